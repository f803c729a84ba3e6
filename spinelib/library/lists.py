"""The reading-lists room: named lists of articles in the user's order.

Promises: names are unique (compared as typed) and never empty; adding an article already in
a list leaves it where it is; removing renumbers the rest without gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinelib.errors import NoMatch, SpineLibError
from spinelib.results import ReadingListInfo
from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class ListsManager:
    """``lib.lists``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def _id(self, conn: Connection, name: str) -> int:
        found = self.store.lists.id_of(conn, name)
        if found is None:
            raise NoMatch(f"no reading list named {name!r}")
        return found

    def all(self) -> list[ReadingListInfo]:
        """Every list with its size, by name."""
        with self.store.reading() as conn:
            return self.store.lists.all(conn)

    def create(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise SpineLibError("a reading list needs a name")
        with self.store.writing() as conn:
            if self.store.lists.id_of(conn, name) is not None:
                raise SpineLibError(f"a reading list named {name!r} already exists")
            self.store.lists.create(conn, name, utcnow())

    def rename(self, old: str, new: str) -> None:
        new = new.strip()
        with self.lib.history.recording(f"rename of list {old}") as conn:
            list_id = self._id(conn, old)
            self.lib.history.touch(conn, lists=[list_id])
            if not new:
                raise SpineLibError("a reading list needs a name")
            if self.store.lists.id_of(conn, new, other_than=list_id) is not None:
                raise SpineLibError(f"a reading list named {new!r} already exists")
            self.store.lists.rename(conn, list_id, new)

    def delete(self, name: str) -> None:
        with self.lib.history.recording(f"deletion of list {name}") as conn:
            list_id = self._id(conn, name)
            self.lib.history.touch(conn, lists=[list_id])
            self.store.lists.delete(conn, list_id)

    def add(self, name: str, ids: Sequence[int]) -> int:
        """Append articles to a list (those already in it stay where they are)."""
        with self.lib.history.recording(f"addition to list {name}") as conn:
            list_id = self._id(conn, name)
            self.lib.history.touch(conn, lists=[list_id])
            return self.store.lists.append(conn, list_id, ids)

    def remove(self, name: str, ids: Sequence[int]) -> int:
        with self.lib.history.recording(f"removal from list {name}") as conn:
            list_id = self._id(conn, name)
            self.lib.history.touch(conn, lists=[list_id])
            n = self.store.lists.remove(conn, list_id, ids)
            self.store.lists.renumber(conn, list_id, self.store.lists.order(conn, list_id))
        return n

    def items(self, name: str) -> list[int]:
        """The list's article ids in its order."""
        with self.store.reading() as conn:
            return self.store.lists.order(conn, self._id(conn, name))

    def move(self, name: str, ids: Sequence[int], to_index: int) -> None:
        """Move articles (keeping their relative order) to ``to_index`` in the list."""
        moving_set = set(ids)
        with self.lib.history.recording(f"reordering of list {name}") as conn:
            list_id = self._id(conn, name)
            self.lib.history.touch(conn, lists=[list_id])
            order = self.store.lists.order(conn, list_id)
            moving = [i for i in order if i in moving_set]
            rest = [i for i in order if i not in moving_set]
            before = len([i for i in order[:to_index] if i not in moving_set])
            self.store.lists.renumber(conn, list_id, rest[:before] + moving + rest[before:])

    def replace(self, name: str, ids: Sequence[int]) -> bool:
        """Make the list hold exactly ``ids`` in that order, creating it if needed, in one
        transaction; True when the list was created."""
        name = name.strip()
        if not name:
            raise SpineLibError("a reading list needs a name")
        with self.store.writing() as conn:
            list_id = self.store.lists.id_of(conn, name)
            created = list_id is None
            if list_id is None:
                self.store.lists.create(conn, name, utcnow())
                list_id = self._id(conn, name)
            self.store.lists.remove(conn, list_id, self.store.lists.order(conn, list_id))
            self.store.lists.append(conn, list_id, list(dict.fromkeys(ids)))
        return created
