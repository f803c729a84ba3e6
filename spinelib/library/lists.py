"""The reading-lists room: named lists of articles in the user's order.

Promises: names are unique and never empty; a new name (or a rename) that differs from
another list's only in letter case is refused, and a name is looked up as written, else in
any letter case when that finds exactly one list (names synced from a team library may
still differ only in case; then the exact spelling is needed). A name that finds no list is
told the names there are. Adding an article already in a list leaves it where it is;
removing renumbers the rest without gaps. Renaming a folder's list ("Spine oncology")
renames its sub-lists with it ("Spine oncology/MESCC"), as renaming a folder does, or none
of them when a new name is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from spinelib.errors import NoMatch, SpineLibError
from spinelib.results import LIST_FOLDER_SEPARATOR, ReadingListInfo
from spinelib.store.connection import Connection
from spinelib.store.mapping import utcnow
from spinelib.text import first_few, one_in_any_case, same_in_any_case

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class ListsManager:
    """``lib.lists``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def _id(self, conn: Connection, name: str) -> int:
        """:meth:`list_id` inside a transaction."""
        found = self.store.lists.id_of(conn, name)
        if found is not None:
            return found
        lists = {n: i for i, n in self.store.lists.names(conn)}
        other = one_in_any_case(lists, name)
        if other is not None:
            return lists[other]
        folder = name.strip(LIST_FOLDER_SEPARATOR).casefold() + LIST_FOLDER_SEPARATOR
        inside = sorted((repr(n) for n in lists if n.casefold().startswith(folder)),
                        key=str.casefold)
        if inside:  # "Review" for "Review/Chapter 1": the lists to name instead, first
            raise NoMatch(f"no reading list named {name!r}; the lists under it: "
                          f"{first_few(inside)}")
        names = sorted((repr(n) for n in lists), key=str.casefold)
        there = f"reading lists: {first_few(names)}" if names else (
            "there are none yet (spinelib lists create NAME)")
        raise NoMatch(f"no reading list named {name!r}; {there}")

    def list_id(self, name: str) -> int:
        """The id of the list ``name`` finds (see the module's promises; NoMatch if none)."""
        with self.store.reading() as conn:
            return self._id(conn, name)

    def name_of(self, name: str) -> str:
        """The list's name as stored, for ``name`` as typed (see the module's promises)."""
        with self.store.reading() as conn:
            list_id = self._id(conn, name)
            return next(n for i, n in self.store.lists.names(conn) if i == list_id)

    @staticmethod
    def _refuse_taken(others: Iterable[str], name: str) -> None:
        """SpineLibError when one of the ``others`` lists is ``name`` in any letter case."""
        taken = same_in_any_case(others, name)
        if taken:
            raise SpineLibError(f"a reading list named {taken[0]!r} already exists")

    def all(self) -> list[ReadingListInfo]:
        """Every list with its size, by name."""
        with self.store.reading() as conn:
            return self.store.lists.all(conn)

    def create(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise SpineLibError("a reading list needs a name")
        with self.store.writing() as conn:
            self._refuse_taken((n for _i, n in self.store.lists.names(conn)), name)
            self.store.lists.create(conn, name, utcnow())
            made = self.store.lists.id_of(conn, name)
            if made is not None:  # made inside an undoable step (an import's): its undo goes
                self.lib.history.touch_new(conn, lists=[made])

    def rename(self, old: str, new: str) -> int:
        """Rename the list ``old`` finds, and its sub-lists with it; how many sub-lists."""
        new = new.strip()
        with self.lib.history.recording(f"rename of list {old}") as conn:
            list_id = self._id(conn, old)
            names = dict(self.store.lists.names(conn))
            folder = names[list_id] + LIST_FOLDER_SEPARATOR
            renamed = {list_id: new, **{i: new + n[len(names[list_id]):]
                                        for i, n in names.items() if n.startswith(folder)}}
            self.lib.history.touch(conn, lists=list(renamed))
            if not new:
                raise SpineLibError("a reading list needs a name")
            others = [n for i, n in names.items() if i not in renamed]
            for name in renamed.values():
                self._refuse_taken(others, name)
            # Names are unique, and a sub-list may take a name another still holds ("A/B"
            # to "A" renames "A/B/B/c" to "A/B/c"): a shorter name takes a shorter one's,
            # so the shortest go first (the longest when the name grows). No name is
            # parked on a temporary one: a team library would share that rename too.
            grows = len(new) > len(names[list_id])
            for i in sorted(renamed, key=lambda i: len(names[i]), reverse=grows):
                self.store.lists.rename(conn, i, renamed[i])
            return len(renamed) - 1

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

    def of_article(self, article_id: int) -> list[str]:
        """The reading lists an article is in, by name (what its detail pane and ``show``
        say, so a surgeon sees where a paper is filed)."""
        with self.store.reading() as conn:
            return self.store.lists.names_holding(conn, article_id)

    def holding(self, ids: Sequence[int]) -> list[tuple[str, list[int]]]:
        """Each reading list that holds any of ``ids``, by name, with those it holds in its
        own order (what an export writes as groups)."""
        wanted = set(ids)
        out: list[tuple[str, list[int]]] = []
        with self.store.reading() as conn:
            for list_id, name in sorted(self.store.lists.names(conn), key=lambda n: n[1]):
                members = [i for i in self.store.lists.order(conn, list_id) if i in wanted]
                if members:
                    out.append((name, members))
        return out

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
