"""The saved-searches room: named queries in the search box's language, evaluated live.

Promises: names are unique (saving an existing name replaces its query) and never empty; a
saved search is re-run every time it is used, so it always shows what the library holds now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.curation_results import SavedSearch
from spinelib.errors import NoMatch, SpineLibError
from spinelib.store.mapping import utcnow

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
            self.store.curation.save_search(conn, name, query.strip(), utcnow())
        return SavedSearch(name, query.strip())

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        with self.store.reading() as conn:
            return self.store.curation.searches(conn)

    def get(self, name: str) -> SavedSearch:
        with self.store.reading() as conn:
            found = self.store.curation.search(conn, " ".join(name.split()))
        if found is None:
            raise NoMatch(f"no saved search named {name!r}")
        return found

    def delete(self, name: str) -> None:
        with self.store.writing() as conn:
            if not self.store.curation.delete_search(conn, " ".join(name.split())):
                raise NoMatch(f"no saved search named {name!r}")

    def counts(self) -> list[tuple[SavedSearch, int]]:
        """Each saved search with how many articles it finds now (the sidebar's counts)."""
        from spinelib.results import Query

        return [(s, self.lib.search.count(Query(search=s.query))) for s in self.all()]
