"""SQL for the trash (``article_trash``): deleted articles kept whole as snapshots, with the
columns needed to list them and to find one by a citation key or identifier."""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.curation_results import TrashEntry
from spinelib.store.connection import Connection, batches, id_list
from spinelib.store.dialect import Dialect

_LOOKUP = ("citekey", "doi", "pmid", "pmcid")


class TrashSql:
    """Statements over ``article_trash``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def put(self, conn: Connection, article_id: int, article: dict[str, object],
            deleted_at: str, payload: bytes) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO article_trash (article_id, citekey, title, doi, pmid, pmcid, "
            "deleted_at, payload) VALUES (:i, :c, :t, :d, :p, :m, :at, :b)",
            {"i": article_id, "c": article["citekey"], "t": article["title"],
             "d": article["doi"], "p": article["pmid"], "m": article["pmcid"],
             "at": deleted_at, "b": payload})

    def entries(self, conn: Connection) -> list[TrashEntry]:
        """Everything in the trash, most recently deleted first."""
        return [TrashEntry(int(r[0]), r[1], r[2], r[3]) for r in conn.execute(
            "SELECT article_id, citekey, title, deleted_at FROM article_trash "
            "ORDER BY deleted_at DESC, article_id DESC")]

    def count(self, conn: Connection) -> int:
        return int(conn.scalar("SELECT count(*) FROM article_trash"))

    def get(self, conn: Connection, article_id: int) -> tuple[str, bytes] | None:
        """(deleted_at, payload) of a trashed article, or None."""
        row = conn.first("SELECT deleted_at, payload FROM article_trash WHERE article_id = :i",
                         {"i": article_id})
        return None if row is None else (str(row[0]), bytes(row[1]))

    def get_many(self, conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        out: dict[int, tuple[str, bytes]] = {}
        for chunk in batches(list(ids), 500):
            for r in conn.execute("SELECT article_id, deleted_at, payload FROM article_trash "
                                  f"WHERE article_id IN ({id_list(chunk)})"):
                out[int(r[0])] = (str(r[1]), bytes(r[2]))
        return out

    def find(self, conn: Connection, column: str, value: str) -> int | None:
        """The trashed article holding this citation key or identifier."""
        if column not in _LOOKUP:
            raise ValueError(f"not a trash lookup column: {column}")
        found = conn.scalar(f"SELECT article_id FROM article_trash WHERE {column} = :v "
                            "ORDER BY deleted_at DESC LIMIT 1", {"v": value})
        return None if found is None else int(found)

    def older_than(self, conn: Connection, cutoff: str) -> list[int]:
        return [int(i) for i in conn.column(
            "SELECT article_id FROM article_trash WHERE deleted_at < :c", {"c": cutoff})]

    def all_ids(self, conn: Connection) -> list[int]:
        return [int(i) for i in conn.column("SELECT article_id FROM article_trash")]

    def remove(self, conn: Connection, ids: Sequence[int]) -> int:
        n = 0
        for chunk in batches(list(ids), 500):
            n += conn.execute(
                f"DELETE FROM article_trash WHERE article_id IN ({id_list(chunk)})").rowcount
        return n
