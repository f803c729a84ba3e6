"""The pending room: what the network stopped, kept for a retry: identifiers to fetch,
open-access look-ups (``pdf:id:``), kept PDFs' first-page searches (``pdf:page:``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spinelib.errors import InvalidIdentifier, NoMatch
from spinelib.identifiers import FOUND_THROUGH_ANOTHER, parse_fetchable
from spinelib.results import PendingItem, Query
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: What an open-access look-up is queued as, before its article's id (``pdf:id:4``;
#: :mod:`spinelib.pdffind` queues and retries them).
OPEN_ACCESS_PREFIX = "pdf:id:"
#: What a first-page search of a PDF kept unidentified is queued as when Crossref or PubMed
#: could not be reached (``pdf:page:7``; :mod:`spinelib.pdfidentify` retries them).
IDENTIFY_PREFIX = "pdf:page:"
#: What each such entry is, as a person reads it, before the article's key.
_OTHER_LABELS = {OPEN_ACCESS_PREFIX: "open-access copy", IDENTIFY_PREFIX: "first-page search"}


class PendingManager:
    """``lib.pending``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def queue(self, identifier: str, reason: str, *, tags: Sequence[str] = (),
              with_references: bool = True, lists: Sequence[str] = ()) -> None:
        """Remember an identifier that could not be fetched, to retry when online, with the
        tags (ids) and reading lists (names) its import was asked for."""
        with self.store.writing() as conn:
            self.store.pending.queue(conn, identifier, reason, utcnow(), tags, with_references,
                                     lists)

    def all(self) -> list[PendingItem]:
        """Everything queued, oldest first."""
        with self.store.reading() as conn:
            return self.store.pending.all(conn)

    def remove(self, identifiers: Iterable[str]) -> None:
        identifiers = list(identifiers)
        if identifiers:  # nothing to drop: no write (a retry often has nothing gone)
            with self.store.writing() as conn:
                self.store.pending.remove(conn, identifiers)

    def label(self, identifier: str) -> str:
        """How a queued entry reads to a person: an identifier as it is, one known only
        through another named so (an Elsevier PII as printed: "PII S0140-6736(05)66954-1",
        not its compact queue value; "ISBN 9780323400305"; "Bookshelf NBK441938"), an
        open-access look-up (``pdf:id:4``) as "open-access copy for KEY", a kept PDF's
        first-page search (``pdf:page:7``) as "first-page search for KEY" (the listing's,
        CLI and window)."""
        prefix = next((p for p in _OTHER_LABELS if identifier.startswith(p)), "")
        if not prefix:
            try:
                ident = parse_fetchable(identifier)
            except InvalidIdentifier:
                return identifier  # a citation's text
            return str(ident) if ident.kind in FOUND_THROUGH_ANOTHER else identifier
        try:
            key = self.lib.articles.citekey(int(identifier.removeprefix(prefix)))
        except (ValueError, NoMatch):
            return f"{_OTHER_LABELS[prefix]} for an article no longer in the library"
        return f"{_OTHER_LABELS[prefix]} for {key}"

    def queued_articles(self, prefix: str) -> tuple[list[int], list[str]]:
        """The live articles queued under ``prefix`` (:data:`OPEN_ACCESS_PREFIX`,
        :data:`IDENTIFY_PREFIX`), oldest first, and the entries naming none (an article
        deleted since), for the caller to drop."""
        ids: list[int] = []
        gone: list[str] = []
        for entry in self.all():
            if entry.identifier.startswith(prefix):
                value = entry.identifier.removeprefix(prefix)
                if value.isdigit() and self.lib.search.count(Query(ids=[int(value)])):
                    ids.append(int(value))
                else:
                    gone.append(entry.identifier)
        return ids, gone
