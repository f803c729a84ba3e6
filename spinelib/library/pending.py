"""The pending room: identifiers that could not be fetched (offline), kept for a retry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spinelib.results import PendingItem
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class PendingManager:
    """``lib.pending``."""

    def __init__(self, lib: Library) -> None:
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
