"""SQL for the evidence-table study fields an article's reader confirmed or typed
(``article_evidence``); suggestions are computed, never stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.store.connection import Connection, id_list
from spinelib.store.dialect import Dialect

COLUMNS: tuple[str, ...] = ("level", "level_confirmed", "n", "n_confirmed", "comparator",
                            "follow_up", "outcomes", "notes")


class EvidenceSql:
    """Statements over ``article_evidence``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def get(self, conn: Connection, article_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Stored fields per article (articles without any are absent)."""
        return {int(r["article_id"]): {c: r[c] for c in COLUMNS} for r in conn.execute(
            f"SELECT * FROM article_evidence WHERE article_id IN ({id_list(article_ids)})")}

    def put(self, conn: Connection, article_id: int, values: dict[str, Any]) -> None:
        """Store the whole set of fields for one article (insert or replace)."""
        row = {"article_id": article_id, **{c: values[c] for c in COLUMNS}}
        conn.execute(self.dialect.upsert("article_evidence", ("article_id", *COLUMNS),
                                         ("article_id",), COLUMNS), row)
