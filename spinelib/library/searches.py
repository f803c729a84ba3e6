"""The saved-searches room: named queries in the search box's language, evaluated live.

Promises: names are unique in any letter case (saving an existing name replaces its query,
and its spelling) and never empty; a saved search is re-run every time it is used, so it
always shows what the library holds now.
A name is looked up as written, else in any letter case when that finds exactly one; a name
that finds none is told which names there are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.curation_results import SavedSearch
from spinelib.errors import NoMatch, SpineLibError
from spinelib.store.mapping import utcnow
from spinelib.text import first_few, one_in_any_case, same_in_any_case

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class SearchesManager:
    """``lib.searches``: save, list, get, delete."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def save(self, name: str, query: str) -> SavedSearch:
        name = " ".join(name.split())
        if not name:
            raise SpineLibError("a saved search needs a name")
        if not query.strip():
            raise SpineLibError("a saved search needs a query")
        with self.store.writing() as conn:
            # "Spine surgery" replaces "spine surgery": one name, spelt as last typed.
            every = [s.name for s in self.store.curation.searches(conn)]
            for other in same_in_any_case(every, name):
                if other != name:
                    self.store.curation.delete_search(conn, other)
            self.store.curation.save_search(conn, name, query.strip(), utcnow())
        return SavedSearch(name, query.strip())

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        with self.store.reading() as conn:
            return self.store.curation.searches(conn)

    def find(self, name: str) -> SavedSearch | None:
        """The saved search named ``name`` (spaces squashed), else the one whose name differs
        only in letter case, if exactly one does; None otherwise."""
        name = " ".join(name.split())
        with self.store.reading() as conn:
            found = self.store.curation.search(conn, name)
            if found is not None:
                return found
            every = {s.name: s for s in self.store.curation.searches(conn)}
        other = one_in_any_case(every, name)
        return None if other is None else every[other]

    def get(self, name: str) -> SavedSearch:
        """:meth:`find`, or NoMatch naming the saved searches there are."""
        found = self.find(name)
        if found is None:
            names = [repr(s.name) for s in self.all()]
            there = f"saved searches: {first_few(names)}" if names else (
                "there are none yet (spinelib searches save NAME QUERY)")
            raise NoMatch(f"no saved search named {name!r}; {there}")
        return found

    def delete(self, name: str) -> SavedSearch:
        """Forget the saved search :meth:`get` finds (NoMatch, naming them, if none);
        returns it."""
        found = self.get(name)
        with self.store.writing() as conn:
            if not self.store.curation.delete_search(conn, found.name):
                raise NoMatch(f"no saved search named {name!r}")
        return found

    def counts(self) -> list[tuple[SavedSearch, int]]:
        """Each saved search with how many articles it finds now (the sidebar's counts)."""
        from spinelib.results import Query

        return [(s, self.lib.search.count(Query(search=s.query))) for s in self.all()]
