"""The watches and inbox rooms: stored PubMed queries and citation watches (the articles
citing a key paper), and the papers they found waiting for triage (accept into the library,
or dismiss for good).

The network side of a run lives in :mod:`spinelib.watch_run`; these rooms only store. A
watch's window starts at its last *successful* run (minus a margin): a failed run moves
nothing, so the next one asks again for the whole gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinelib.errors import SpineLibError
from spinelib.records import ArticleRecord
from spinelib.safety_results import InboxEntry, Watch
from spinelib.store.mapping import utcnow
from spinelib.store.watches import ACCEPTED, DISMISSED, NEW
from spinelib.text import one_in_any_case, same_in_any_case

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class WatchesManager:
    """``lib.watches``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def add(self, name: str, query: str, tag: str = "") -> Watch:
        """Store a new watch; a name in use (in any letter case), an empty query or a tag the
        library does not know is refused. The query is read as a PubMed search is
        (:func:`spinelib.pubmedquery.read_query`): a results page's address is stored as the
        search it ran, its filters as search words, and a query PubMed's E-utilities could
        not run as the page did (a filter SpineLib cannot write, a History search) is
        refused, from the window's form as from the command line. The tag may be typed as its
        id, label or a synonym; its id is stored (a tag that did not resolve made every
        later Accept fail)."""
        from spinelib.pubmedquery import read_query

        name = name.strip()
        if not name or not query.strip():
            raise SpineLibError("a watch needs a name and a query")
        return self._add(name, read_query(query).term, tag)

    def add_citing(self, name: str, cites: str, label: str, tag: str = "") -> Watch:
        """Store a citation watch: the articles citing the paper Europe PMC names ``cites``
        ("MED:16112300"), ``label`` naming it in lists. Refused like :meth:`add`, and when
        a watch on the same paper exists (under any name)."""
        name = name.strip()
        source, _, work_id = cites.partition(":")
        if not name:
            raise SpineLibError("a watch needs a name")
        if not source or not work_id:
            raise SpineLibError(f"not a paper Europe PMC names: {cites!r}")
        return self._add(name, "", tag, cites=cites, cites_label=label.strip())

    def _add(self, name: str, query: str, tag: str, *, cites: str = "",
             cites_label: str = "") -> Watch:
        tag = self.lib.tags.resolve(tag) if tag.strip() else ""
        with self.store.writing() as conn:
            watches = self.store.watches.all(conn)
            # Checked in the transaction that stores it: two windows cannot both add one.
            same = [w for w in watches if cites and w.cites == cites]
            if same:
                raise SpineLibError(f"the watch {same[0].name!r} already watches the "
                                    f"articles citing {same[0].cites_label or cites}")
            # "SBRT spine" is "sbrt Spine".
            taken = same_in_any_case([w.name for w in watches], name)
            if taken:
                raise SpineLibError(f"a watch called {taken[0]!r} already exists")
            self.store.watches.add(conn, name, query, tag, utcnow(), cites=cites,
                                   cites_label=cites_label)
            found = self.store.watches.by_name(conn, name)
        assert found is not None
        return found

    def get(self, name: str) -> Watch:
        """The watch called ``name``, else the one so called in another letter case."""
        with self.store.reading() as conn:
            found = self.store.watches.by_name(conn, name)
            if found is not None:
                return found
            every = {w.name: w for w in self.store.watches.all(conn)}
        other = one_in_any_case(every, name)
        if other is None:
            raise SpineLibError(f"no watch called {name!r} (spinelib watch list)")
        return every[other]

    def all(self) -> list[Watch]:
        with self.store.reading() as conn:
            return self.store.watches.all(conn)

    def remove(self, name: str) -> Watch:
        """Forget the watch :meth:`get` finds and return it; its inbox items stay (their
        watch name becomes empty)."""
        watch = self.get(name)
        with self.store.writing() as conn:
            self.store.watches.remove(conn, watch.id)
        return watch

    def record_run(self, watch: Watch, records: Sequence[ArticleRecord], when: str) -> int:
        """Put a successful run's records in the inbox and move the watch's window, in one
        transaction; returns how many were new to the inbox."""
        with self.store.writing() as conn:
            added = self.store.watches.add_items(conn, watch.id, records, utcnow())
            self.store.watches.mark_success(conn, watch.id, when)
            return added

    def seen(self, watch: Watch) -> set[str]:
        """The citing works a citation watch has listed so far (``source:id``)."""
        with self.store.reading() as conn:
            return self.store.watches.seen(conn, watch.id)

    def record_citing_run(self, watch: Watch, records: Sequence[ArticleRecord],
                          listed: Sequence[str], when: str) -> int:
        """A citation watch's successful run, in one transaction: ``records`` into the inbox,
        ``listed`` (every work listed, ``source:id``) remembered, the run's date kept.
        Returns how many were new to the inbox."""
        with self.store.writing() as conn:
            added = self.store.watches.add_items(conn, watch.id, records, utcnow())
            self.store.watches.add_seen(conn, watch.id, listed)
            self.store.watches.mark_success(conn, watch.id, when)
            return added

    def record_failure(self, watch: Watch, error: str, *, queued: bool) -> None:
        """Remember why a run failed (``queued``: offline, to run when back online)."""
        with self.store.writing() as conn:
            self.store.watches.mark_failure(conn, watch.id, error, queued)

    def unknown_pmids(self, pmids: Sequence[str]) -> list[str]:
        """``pmids`` neither in the inbox (whatever its status) nor in the library."""
        with self.store.reading() as conn:
            known = self.store.watches.known_pmids(conn, pmids)
        return [p for p in pmids if p not in known]


class InboxManager:
    """``lib.inbox``."""

    def __init__(self, lib: Library) -> None:
        self.store = lib.store

    def items(self) -> list[InboxEntry]:
        """Papers waiting for triage, oldest first."""
        with self.store.reading() as conn:
            return self.store.watches.items(conn, NEW)

    def count(self) -> int:
        with self.store.reading() as conn:
            return self.store.watches.count(conn, NEW)

    def resolve(self, idents: Sequence[str]) -> list[InboxEntry]:
        """Inbox items by id or PMID; an unknown one is refused before anything changes."""
        found: list[InboxEntry] = []
        with self.store.reading() as conn:
            for ident in idents:
                item = self.store.watches.find_item(conn, ident.strip())
                if item is None:
                    raise SpineLibError(f"{ident!r} is not in the inbox (spinelib inbox)")
                found.append(item)
        return found

    def tag_for(self, item: InboxEntry) -> str:
        """The tag of the watch that found ``item`` ('' when none)."""
        with self.store.reading() as conn:
            return self.store.watches.watch_tag(conn, item.id)

    def dismiss(self, items: Sequence[InboxEntry]) -> None:
        """Never show these again (a later run skips their PMIDs)."""
        with self.store.writing() as conn:
            self.store.watches.set_status(conn, [i.id for i in items], DISMISSED)

    def mark_accepted(self, items: Sequence[InboxEntry]) -> None:
        with self.store.writing() as conn:
            self.store.watches.set_status(conn, [i.id for i in items], ACCEPTED)
