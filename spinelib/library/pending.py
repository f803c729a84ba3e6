"""The pending room: identifiers that could not be fetched (offline), kept for a retry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spinelib.errors import InvalidIdentifier, NoMatch
from spinelib.identifiers import FOUND_THROUGH_ANOTHER, parse_fetchable
from spinelib.results import PendingItem
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: What an open-access look-up is queued as, before its article's id (``pdf:id:4``;
#: :mod:`spinelib.pdffind` queues and retries them).
OPEN_ACCESS_PREFIX = "pdf:id:"


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
        with self.store.writing() as conn:
            self.store.pending.remove(conn, identifiers)

    def label(self, identifier: str) -> str:
        """How a queued entry reads to a person: an identifier as it is, one known only
        through another named so (an Elsevier PII as printed: "PII S0140-6736(05)66954-1",
        not its compact queue value; "ISBN 9780323400305"; "Bookshelf NBK441938"), an
        open-access look-up (``pdf:id:4``) as "open-access copy for KEY" (the listing's, CLI
        and window)."""
        if not identifier.startswith(OPEN_ACCESS_PREFIX):
            try:
                ident = parse_fetchable(identifier)
            except InvalidIdentifier:
                return identifier  # a citation's text
            return str(ident) if ident.kind in FOUND_THROUGH_ANOTHER else identifier
        try:
            key = self.lib.articles.citekey(int(identifier.removeprefix(OPEN_ACCESS_PREFIX)))
        except (ValueError, NoMatch):
            return "open-access copy for an article no longer in the library"
        return f"open-access copy for {key}"
