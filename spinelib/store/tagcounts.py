"""Technique counts over a subtree, kept by the store (issue 19): ``tag_cover`` and
``tag_tree_count`` (schema step ``schema_v10_query``).

How they stay exact: triggers note the articles whose assignments changed and the tags that
moved in the tree; :meth:`TagCountSql.settle` runs inside every write transaction just
before COMMIT (the engine's ``before_commit`` hook) and recounts exactly those articles, so
every write path (add, merge, delete, trash and restore, tag edits, undo, a team pull, a
bulk import) keeps the counts in step without knowing about them.

For a bulk path: call :meth:`TagCountSql.recount` with the ids of a batch it wrote (any
time inside its transaction; recounting an article twice is harmless). Settling at COMMIT
then finds nothing left to do for those articles.

Promises: after every committed write, ``tag_tree_count`` equals a recomputation from
``article_tag`` and the tag tree (``recompute``), tag by tag; a cycle in user tags never
loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spinelib.results import CONFIRMED_ORIGINS
from spinelib.store.connection import Connection, batches, id_list

#: Articles recounted per statement (their ids are inlined as an SQL list).
_BATCH = 2000
_UPSERT = ("INSERT INTO tag_tree_count (tag_id, every, confirmed) VALUES (:t, :e, :c) "
           "ON CONFLICT(tag_id) DO UPDATE SET every = every + excluded.every, "
           "confirmed = confirmed + excluded.confirmed")

#: One article's cover: tag -> whether a confirmed assignment reaches it.
Cover = dict[str, bool]


@dataclass(frozen=True)
class TreeCount:
    """Articles counted under a tag's subtree: any origin but rejected, and confirmed."""

    every: int
    confirmed: int


def covers(assignments: Iterable[tuple[int, str, bool]],
           parents: Mapping[str, str | None]) -> dict[int, Cover]:
    """Each article's cover from its (article, tag, confirmed) assignments: the tag and
    every ancestor, a tag confirmed when any confirmed assignment reaches it."""
    out: dict[int, Cover] = {}
    for article_id, tag_id, confirmed in assignments:
        cover = out.setdefault(article_id, {})
        node: str | None = tag_id
        while node is not None and cover.get(node) is not True:
            if node in cover and not confirmed:
                break  # already counted on the way up from another tag, at least as strong
            cover[node] = confirmed or cover.get(node, False)
            parent = parents.get(node)
            node = parent if parent != tag_id else None
    return out


class TagCountSql:
    """The kept subtree counts: read, settle at commit, recount, recompute."""

    def tree_counts(self, conn: Connection) -> dict[str, TreeCount] | None:
        """tag -> its subtree's counts, or None when this transaction has unsettled changes
        (a read inside a write before COMMIT: the caller then counts directly)."""
        if self._pending(conn):
            return None
        return {r[0]: TreeCount(int(r[1]), int(r[2])) for r in conn.execute(
            "SELECT tag_id, every, confirmed FROM tag_tree_count")}

    def _pending(self, conn: Connection) -> bool:
        return bool(conn.scalar("SELECT EXISTS (SELECT 1 FROM tag_cover_dirty) "
                                "OR EXISTS (SELECT 1 FROM tag_tree_dirty)"))

    def settle(self, conn: Connection) -> None:
        """Recount what this transaction's triggers noted (the before-COMMIT hook)."""
        if not self._pending(conn):
            return
        ids = {int(i) for i in conn.column("SELECT article_id FROM tag_cover_dirty")}
        moved = [str(t) for t in conn.column("SELECT tag_id FROM tag_tree_dirty")]
        if moved:
            ids |= self._under(conn, moved)
        self.recount(conn, ids)
        conn.execute("DELETE FROM tag_cover_dirty")
        conn.execute("DELETE FROM tag_tree_dirty")

    def _under(self, conn: Connection, moved: list[str]) -> set[int]:
        """Articles a tree change can affect: those counted under a moved tag before (its
        cover rows) and those carrying it or a descendant now."""
        children: dict[str | None, list[str]] = {}
        for tag_id, parent in conn.execute("SELECT id, parent FROM tag"):
            children.setdefault(parent, []).append(tag_id)
        subtree: set[str] = set()
        stack = list(moved)
        while stack:
            node = stack.pop()
            if node not in subtree:
                subtree.add(node)
                stack.extend(children.get(node, []))
        names = sorted(subtree)
        params = {f"t{i}": t for i, t in enumerate(names)}
        marks = ", ".join(f":t{i}" for i in range(len(names)))
        return {int(a) for a in conn.column(
            f"SELECT article_id FROM tag_cover WHERE tag_id IN ({marks}) UNION "
            f"SELECT article_id FROM article_tag WHERE tag_id IN ({marks})", params)}

    def recount(self, conn: Connection, article_ids: Iterable[int]) -> None:
        """Bring ``article_ids``' cover rows and the counters in step with ``article_tag``
        (ids of deleted articles lose their rows). The bulk import path may call this per
        batch; it is idempotent."""
        parents = self._parents(conn)
        for chunk in batches(sorted(set(article_ids)), _BATCH):
            self._recount_chunk(conn, chunk, parents)

    def _parents(self, conn: Connection) -> dict[str, str | None]:
        return {str(r[0]): r[1] for r in conn.execute("SELECT id, parent FROM tag")}

    def _recount_chunk(self, conn: Connection, chunk: Iterable[int],
                       parents: Mapping[str, str | None]) -> None:
        ids = id_list(chunk)
        new = covers(((int(r[0]), str(r[1]), r[2] in CONFIRMED_ORIGINS) for r in conn.execute(
            f"SELECT article_id, tag_id, origin FROM article_tag WHERE article_id IN ({ids}) "
            "AND origin != 'rejected'")), parents)
        old: dict[int, Cover] = {}
        for tag_id, article_id, confirmed in conn.execute(
                f"SELECT tag_id, article_id, confirmed FROM tag_cover "
                f"WHERE article_id IN ({ids})"):
            old.setdefault(int(article_id), {})[str(tag_id)] = bool(confirmed)
        delta: dict[str, list[int]] = {}
        gone: list[dict[str, object]] = []
        put: list[dict[str, object]] = []
        for article_id in set(old) | set(new):
            before, after = old.get(article_id, {}), new.get(article_id, {})
            for tag_id in before.keys() | after.keys():
                b, a = before.get(tag_id), after.get(tag_id)
                if b == a:
                    continue
                d = delta.setdefault(tag_id, [0, 0])
                d[0] += (a is not None) - (b is not None)
                d[1] += bool(a) - bool(b)
                row = {"t": tag_id, "a": article_id, "c": int(bool(a))}
                (gone if a is None else put).append(row)
        conn.executemany("DELETE FROM tag_cover WHERE article_id = :a AND tag_id = :t", gone)
        conn.executemany("INSERT INTO tag_cover (tag_id, article_id, confirmed) "
                         "VALUES (:t, :a, :c) ON CONFLICT(article_id, tag_id) "
                         "DO UPDATE SET confirmed = excluded.confirmed", put)
        conn.executemany(_UPSERT, [{"t": t, "e": e, "c": c}
                                   for t, (e, c) in delta.items() if e or c])

    def recompute(self, conn: Connection) -> dict[str, TreeCount]:
        """The subtree counts computed from scratch (what the kept table must equal)."""
        parents = self._parents(conn)
        every: dict[str, int] = {}
        confirmed: dict[str, int] = {}
        for cover in covers(((int(r[0]), str(r[1]), r[2] in CONFIRMED_ORIGINS)
                             for r in conn.execute(
                                 "SELECT article_id, tag_id, origin FROM article_tag "
                                 "WHERE origin != 'rejected'")), parents).values():
            for tag_id, conf in cover.items():
                every[tag_id] = every.get(tag_id, 0) + 1
                confirmed[tag_id] = confirmed.get(tag_id, 0) + int(conf)
        return {t: TreeCount(n, confirmed[t]) for t, n in every.items()}
