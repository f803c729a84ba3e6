"""SQL of the history room's narrow snapshots (issue 19): an article's *marks*, what the
user's own marking changes — read status, rating, notes, ``updated_at`` and its tag rows —
captured and written back without the rest of the article (authors, references, files).
``updated_at`` is not a mark: an article re-imported since still undoes its tagging (the
operation's own part is unchanged), and writing marks back stamps the time it happens.

Tagging 30,000 articles or marking them read changes only these, so its undo step holds
only these: a whole-article snapshot of each (references included) made the benchmark
library's user state take 133 s at 100,000 articles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.store.connection import Connection, batches, id_list
from spinelib.store.fulltext import FulltextSql
from spinelib.store.mapping import utcnow

#: The article columns a mark changes.
MARK_COLUMNS = ("read_status", "rating", "notes")

#: [read_status, rating, notes, [[tag_id, origin, reason], ...]] (JSON-ready).
Marks = list[Any]


class MarkSql:
    """Capture and write back articles' marks (see the module docstring)."""

    def __init__(self, fulltext: FulltextSql) -> None:
        self.fulltext = fulltext

    def capture(self, conn: Connection, ids: Sequence[int]) -> dict[int, Marks]:
        """The marks of the live articles among ``ids`` (absent: no such article), tag
        rows in tag order, a few queries per 500 articles."""
        out: dict[int, Marks] = {}
        for chunk in batches(sorted(set(ids)), 500):
            in_ids = id_list(chunk)
            for r in conn.execute(f"SELECT id, {', '.join(MARK_COLUMNS)} FROM article "
                                  f"WHERE id IN ({in_ids})"):
                out[int(r[0])] = [*tuple(r)[1:], []]
            for r in conn.execute("SELECT article_id, tag_id, origin, reason FROM article_tag "
                                  f"WHERE article_id IN ({in_ids}) ORDER BY article_id, tag_id"):
                out[int(r[0])][-1].append([r[1], r[2], r[3]])
        return out

    def write(self, conn: Connection, marks: Mapping[int, Marks]) -> None:
        """Make these articles' marks ``marks`` (only those that differ are written); their
        full-text rows are rewritten, as notes and tags are searchable. The caller checked
        the articles are there (an undo compares the current state first)."""
        now = self.capture(conn, list(marks))
        # In id order, every write below (see ArticleSql.update).
        changed = {a: m for a, m in sorted(marks.items()) if a in now and now[a] != m}
        if not changed:
            return
        stamp = utcnow()
        conn.executemany(
            "UPDATE article SET " + ", ".join(f"{c} = :{c}" for c in MARK_COLUMNS)
            + ", updated_at = :updated_at WHERE id = :id",
            [{**dict(zip(MARK_COLUMNS, m[:len(MARK_COLUMNS)])), "updated_at": stamp, "id": a}
             for a, m in changed.items()])
        for chunk in batches(list(changed), 500):
            conn.execute(f"DELETE FROM article_tag WHERE article_id IN ({id_list(chunk)})")
        conn.executemany(
            "INSERT INTO article_tag (article_id, tag_id, origin, reason) "
            "VALUES (:a, :t, :o, :r)",
            [{"a": a, "t": t, "o": o, "r": r} for a, m in changed.items()
             for t, o, r in m[-1]])
        self.fulltext.reindex_many(conn, list(changed))
