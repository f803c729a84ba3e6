"""The history room: undo and redo of the user's operations, a core service any face drives.

An operation (an edit, tag or list change, a delete, a merge, a restore) runs inside
:meth:`HistoryManager.recording`, which snapshots every article, reading list and tag it
names before and after, in the operation's own transaction, and logs both under a name
("merge of 2 articles"). Undo writes the "before" states back, redo the "after" states.

Promises:
- At least the last :data:`LIMIT` operations can be undone, newest first; a new operation
  drops what was undone (the redo branch), as in any editor.
- Undo and redo are each one transaction, and refuse with a plain message, changing
  nothing, when what the operation touched has changed since (another process, an import),
  so they never overwrite work the log does not know about.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spinelib.curation_results import Operation
from spinelib.errors import SpineLibError
from spinelib.library import trashfiles
from spinelib.store.connection import Connection
from spinelib.store.gcpause import gc_paused
from spinelib.store.mapping import utcnow
from spinelib.store.snapshots import Snapshot, pack, unpack
from spinelib.store.statepack import pack_state, unpack_state

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: How many operations the log keeps.
LIMIT = 50
#: An operation naming this many articles (a delete or restore of a selection) commits as a
#: bulk write: its WAL checkpoint runs afterwards, off the user's wait (undo and redo always
#: do; see :mod:`spinelib.store.sqlite.checkpoint`).
BULK_ARTICLES = 100

State = dict[str, dict[str, Any]]


@dataclass
class Scope:
    """What an operation touches: articles, reading lists and tags (by id). An operation may
    widen it while it runs (:meth:`HistoryManager.touch`) before it changes anything more."""

    articles: set[int] = field(default_factory=set)
    lists: set[int] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    #: Articles whose marks alone change (read status, rating, notes, tags): captured
    #: narrowly (:mod:`spinelib.store.marks`), without their authors and references.
    marks: set[int] = field(default_factory=set)


class HistoryManager:
    """``lib.history``: record, undo, redo."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store
        self._local = threading.local()
        #: Messages of the last undo/redo's file moves (a file that was missing).
        self.last_messages: list[str] = []

    # ---- recording
    @contextlib.contextmanager
    def recording(self, name: str, articles: Sequence[int] = (), lists: Sequence[int] = (),
                  tags: Sequence[str] = (), marks: Sequence[int] = ()) -> Iterator[Connection]:
        """One transaction recorded as one undoable operation named ``name``.

        ``marks``: articles the operation changes only the marks of (read status, rating,
        notes, tag rows; :mod:`spinelib.store.marks`); their undo state is those alone, so
        tagging or marking read 30,000 articles does not snapshot their references.
        Nested recordings (a merge that deletes) join the outer one: one user action, one
        undo step.
        """
        outer: Scope | None = getattr(self._local, "scope", None)
        # The cycle collector paused, as for undo (see _step): a delete or restore of 1,000
        # articles captures and packs their snapshots twice.
        write = (self.store.writing_checkpoint_later
                 if len(articles) + len(marks) >= BULK_ARTICLES else self.store.writing)
        with gc_paused(), write() as conn:
            if outer is not None:
                outer.articles.update(articles)
                outer.lists.update(lists)
                outer.tags.update(tags)
                outer.marks.update(marks)
                yield conn
                return
            scope = Scope(set(articles), set(lists), set(tags), set(marks))
            self._local.scope = scope
            self._local.name = name
            self._local.before = self._capture(conn, scope)
            self._local.captured_at = conn.changes()
            try:
                yield conn
                before: State = self._local.before
                # Units added while running were captured by touch() before they changed.
                after = self._capture(conn, scope)
                if before != after:
                    self.store.history.add(conn, self._local.name, utcnow(),
                                           pack_state(before), pack_state(after))
                    self.store.history.trim(conn, LIMIT)
            finally:
                self._local.scope = None
                self._local.name = None
                self._local.before = None
                self._local.captured_at = None

    def snapshots_as_captured(self, conn: Connection,
                              ids: Sequence[int]) -> dict[int, Snapshot] | None:
        """The live snapshots among ``ids`` (in that order) as the running operation
        captured them when it began, if nothing has been written on ``conn`` since: exactly
        what capturing them again would read. None otherwise (another operation's
        transaction, a write in between, an id it did not capture). Each is a shallow copy,
        so the caller may set its top-level keys (the trash records its planned file moves)
        without touching the operation's "before" state. A delete of 1,000 articles reads
        them once instead of twice."""
        at = getattr(self._local, "captured_at", None)
        if at is None or conn.changes() != at:
            return None
        # Its "before" states: those captured when it began, and by touch() since, which
        # with nothing written in between are as current.
        captured: dict[str, Any] = self._local.before["a"]
        if any(str(a) not in captured for a in ids):
            return None
        found: dict[int, Snapshot] = {}
        for a in ids:
            state = captured[str(a)]
            if state is not None and "live" in state:
                found[a] = dict(state["live"])
        return found

    def rename_running(self, name: str) -> None:
        """Name the running operation ``name`` (one that learns its article's key only
        as it makes it: "addition of laufer2025separation")."""
        if getattr(self._local, "scope", None) is not None:
            self._local.name = name

    def touch(self, conn: Connection, articles: Sequence[int] = (), lists: Sequence[int] = (),
              tags: Sequence[str] = ()) -> None:
        """Widen the running operation's scope (call before changing the new units)."""
        scope: Scope | None = getattr(self._local, "scope", None)
        if scope is None:
            return
        extra = Scope({a for a in articles if a not in scope.articles},
                      {x for x in lists if x not in scope.lists},
                      {t for t in tags if t not in scope.tags})
        captured = self._capture(conn, extra)
        before: State = self._local.before
        for kind, units in captured.items():
            before[kind].update(units)
        scope.articles |= extra.articles
        scope.lists |= extra.lists
        scope.tags |= extra.tags

    def touch_new(self, conn: Connection, lists: Sequence[int] = (),
                  tags: Sequence[str] = (), articles: Sequence[int] = ()) -> None:
        """Widen the running operation's scope to lists, tags and articles it has just
        made: they were not there before it, so its undo removes them (an import's folders
        and tags, undone, leave no empty lists or unused tags behind; an identification
        undone takes away the paper it imported). A unit already in the scope keeps the
        state captured for it."""
        scope: Scope | None = getattr(self._local, "scope", None)
        if scope is None:
            return
        before: State = self._local.before
        for a in articles:
            if a not in scope.articles:
                before["a"][str(a)] = None
                scope.articles.add(a)
        for x in lists:
            if x not in scope.lists:
                before["l"][str(x)] = None
                scope.lists.add(x)
        for t in tags:
            if t not in scope.tags:
                before["t"][t] = None
                scope.tags.add(t)

    # ---- undo / redo
    def can_undo(self) -> Operation | None:
        """The operation Undo would revert (for "Undo merge of 2 articles"), or None."""
        with self.store.reading() as conn:
            found = self.store.history.last(conn, undone=False)
        return None if found is None else found[0]

    def can_redo(self) -> Operation | None:
        with self.store.reading() as conn:
            found = self.store.history.last(conn, undone=True)
        return None if found is None else found[0]

    def operations(self) -> list[Operation]:
        """The log, newest first."""
        with self.store.reading() as conn:
            return self.store.history.operations(conn)

    def undo(self) -> Operation:
        """Revert the newest operation still done; returns it."""
        return self._step(undo=True)

    def redo(self) -> Operation:
        """Apply again the oldest operation undone; returns it."""
        return self._step(undo=False)

    def _step(self, *, undo: bool) -> Operation:
        word = "undo" if undo else "redo"
        # The cycle collector paused: a 1,000-article step decodes and builds hundreds of
        # thousands of acyclic values (snapshots, rows), and every collection they trigger
        # walks them all again (see gcpause). A bulk write: at 100k, copying the ~38,000
        # pages of a 1,000-article step into the file inside its COMMIT cost 0.3 s of CPU.
        with gc_paused(), self.store.writing_checkpoint_later() as conn:
            found = self.store.history.last(conn, undone=not undo)
            if found is None:
                raise SpineLibError(f"nothing to {word}")
            op, before_blob, after_blob = found
            before, after = unpack_state(before_blob), unpack_state(after_blob)
            expected, target = (after, before) if undo else (before, after)
            scope = Scope({int(a) for a in expected["a"]}, {int(x) for x in expected["l"]},
                          set(expected["t"]), {int(a) for a in expected.get("m", {})})
            # Trashed articles are compared by their stored payload's digest: unpacking
            # 1,000 of them only to compare would cost more than the undo itself.
            if self._capture(conn, scope, light=True) != _light(expected):
                raise SpineLibError(
                    f"cannot {word} {op.name}: what it changed has been changed since "
                    "(by an import or another window); nothing was changed")
            # Marked first, while the log row's pages are still in the cache from reading
            # it: after the step has dirtied tens of thousands of pages, rewriting the
            # row's few MB of snapshots (SQLite rewrites a row whole) read them back from
            # the file, 87 ms of a 1,000-article undo at 100k. One transaction either way.
            self.store.history.set_undone(conn, op.op_id, undo)
            self._apply(conn, target)
            moves = self._file_moves(expected, target)
        # After the commit, as a delete does: a rolled-back step must not move files.
        self.last_messages = trashfiles.perform(moves)
        return op

    def _file_moves(self, current: State, target: State) -> list[trashfiles.FileMove]:
        """The attachment files to move when articles go between the trash and the library."""
        moves: list[trashfiles.FileMove] = []
        for a, goal in target["a"].items():
            now = current["a"].get(a)
            if not goal or not now:
                continue
            if "live" in goal and "trash" in now and goal["live"].get("attachments"):
                moves += trashfiles.back_moves(self.lib.path, _payload(now))
            elif "trash" in goal and "live" in now and now["live"].get("attachments"):
                moves += trashfiles.into_trash_moves(self.lib.path, _payload(goal))
        return moves

    # ---- snapshots
    def _capture(self, conn: Connection, scope: Scope, *, light: bool = False) -> State:
        """The units' states; ``light``: trashed articles by digest only (for comparing)."""
        snaps = self.store.snapshots
        live = snaps.capture(conn, sorted(scope.articles))
        trashed = self.store.trash.get_many(conn, [a for a in scope.articles if a not in live])
        articles: dict[str, Any] = {}
        for a in scope.articles:
            if a in live:
                articles[str(a)] = {"live": live[a]}
            elif a in trashed:
                deleted_at, blob = trashed[a]
                articles[str(a)] = {"sha": hashlib.sha256(blob).hexdigest(),
                                    "deleted_at": deleted_at}
                if not light:
                    # Kept packed (the trash row's own blob, stored apart from the state's
                    # JSON: see statepack): an undo of a delete compares digests and never
                    # needs these 1,000 payloads unpacked.
                    articles[str(a)]["trash"] = blob
            else:
                articles[str(a)] = None
        state: State = {"a": articles,
                        "l": {str(x): snaps.capture_list(conn, x) for x in scope.lists},
                        "t": {t: snaps.capture_tag(conn, t) for t in scope.tags}}
        if scope.marks:  # absent otherwise, as in the logs written before marks existed
            marks = self.store.marks.capture(conn, sorted(scope.marks))
            state["m"] = {str(a): marks.get(a) for a in scope.marks}
        return state

    def _apply(self, conn: Connection, target: State) -> None:
        """Make the units' current state ``target`` (the caller checked what is there)."""
        snaps, trash = self.store.snapshots, self.store.trash
        ids = [int(a) for a in target["a"]]
        # An article that will be live or trashed again keeps its reference rows in place
        # (written back only if they differ: see SnapshotSql.write_many); one that will
        # not exist loses them.
        snaps.remove(conn, ids, park={int(a) for a, state in target["a"].items()
                                      if state is not None})
        trash.remove(conn, ids)
        for x in target["l"]:
            snaps.remove_list(conn, int(x))
        self._write_tags_and_lists(conn, target)
        snaps.write_many(conn, self._restore_articles(conn, target, ids))
        # Marks after the tags they name exist again, before a tag that goes is dropped.
        self.store.marks.write(conn, {int(a): m for a, m in target.get("m", {}).items()
                                      if m is not None})
        for t, row in target["t"].items():
            if row is None:
                snaps.drop_tag(conn, t)

    def _write_tags_and_lists(self, conn: Connection, target: State) -> None:
        """Write the target's tags (all rows, then their parents) and its reading lists."""
        snaps = self.store.snapshots
        for t, row in target["t"].items():
            if row is not None:
                snaps.put_tag(conn, t, row)
        for t, row in target["t"].items():
            if row is not None:
                snaps.set_tag_parent(conn, t, row[1])
        for x, lst in target["l"].items():
            if lst is not None:
                snaps.write_list(conn, int(x), lst)

    def _restore_articles(self, conn: Connection, target: State,
                          ids: list[int]) -> list[tuple[int, Any]]:
        """Put the target's trashed articles back in the trash; return its live ones to
        write, refusing one whose identifier another article now holds."""
        live: list[tuple[int, Any]] = []
        for a, state in target["a"].items():
            if state is None:
                continue
            if "live" in state:
                live.append((int(a), state["live"]))
            else:
                blob = _trash_blob(state)
                self.store.trash.put(conn, int(a), unpack(blob)["article"],
                                     state["deleted_at"], blob)
        self._refuse_clash(conn, [snap for _a, snap in live], ids)
        return live

    def _refuse_clash(self, conn: Connection, snapshots: list[Snapshot],
                      ids: list[int]) -> None:
        """Raise if an identifier of one of ``snapshots`` now belongs to an article outside
        ``ids`` (checked for all of them in a few queries)."""
        clashes = self.store.snapshots.clashes_many(conn, snapshots, ignore=ids)
        if clashes:
            column, value, owner = clashes[0]
            key = self.store.articles.citekey(conn, owner)
            raise SpineLibError(f"{column.upper()} {value} now belongs to {key}; "
                                "nothing was changed")


def _payload(state: dict[str, Any]) -> Snapshot:
    """A trashed article's snapshot from its history state (see :func:`_trash_blob` for
    the forms it takes)."""
    trash = state["trash"]
    if isinstance(trash, dict):
        return dict(trash)
    found: Snapshot = unpack(_trash_blob(state))
    return found


def _trash_blob(state: dict[str, Any]) -> bytes:
    """The trash row's blob for a trashed article's history state: the very bytes the trash
    held when the state was captured (their digest is what a later step compares). A state
    holds them as bytes since the format of :mod:`~spinelib.store.statepack`, as base64 in
    logs from the first undo speed-up, and as the plain snapshot in older logs (packed anew
    here)."""
    trash = state["trash"]
    if isinstance(trash, bytes):
        return trash
    if isinstance(trash, str):
        return base64.b64decode(trash)
    return pack(trash)


def _light(state: State) -> State:
    """``state`` without trashed articles' payloads (their digests stay)."""
    articles = {a: ({k: v for k, v in s.items() if k != "trash"}
                    if s is not None and "trash" in s else s)
                for a, s in state["a"].items()}
    return {**state, "a": articles}
