"""SQL for reading lists (``reading_list``) and the articles' places in them."""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.results import ReadingListInfo
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect


class ListSql:
    """Statements over ``reading_list`` and ``reading_list_item``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._add = dialect.insert_ignore("reading_list_item",
                                          ("list_id", "article_id", "position"))

    def id_of(self, conn: Connection, name: str) -> int | None:
        """The id of the list named exactly ``name``, or None."""
        found = conn.scalar("SELECT id FROM reading_list WHERE name = :n", {"n": name})
        return None if found is None else int(found)

    def names(self, conn: Connection) -> list[tuple[int, str]]:
        """Every list's (id, name)."""
        return [(int(r[0]), r[1]) for r in conn.execute("SELECT id, name FROM reading_list")]

    def all(self, conn: Connection) -> list[ReadingListInfo]:
        return [ReadingListInfo(r[0], int(r[1])) for r in conn.execute(
            "SELECT l.name, count(i.id) FROM reading_list l LEFT JOIN reading_list_item i "
            f"ON i.list_id = l.id GROUP BY l.id ORDER BY {self.dialect.nocase('l.name')}")]

    def create(self, conn: Connection, name: str, created_at: str) -> None:
        conn.execute("INSERT INTO reading_list (name, created_at) VALUES (:n, :c)",
                     {"n": name, "c": created_at})

    def rename(self, conn: Connection, list_id: int, name: str) -> None:
        conn.execute("UPDATE reading_list SET name = :n WHERE id = :i", {"n": name, "i": list_id})

    def delete(self, conn: Connection, list_id: int) -> None:
        conn.execute("DELETE FROM reading_list WHERE id = :i", {"i": list_id})

    def append(self, conn: Connection, list_id: int, article_ids: Sequence[int]) -> int:
        """Append articles at the end (those already in the list stay); returns how many."""
        end = int(conn.scalar("SELECT coalesce(max(position) + 1, 0) FROM reading_list_item "
                              "WHERE list_id = :l", {"l": list_id}))
        added = 0
        for a in article_ids:
            added += conn.execute(self._add, {"list_id": list_id, "article_id": a,
                                              "position": end + added}).rowcount
        return added

    def remove(self, conn: Connection, list_id: int, article_ids: Sequence[int]) -> int:
        return conn.executemany(
            "DELETE FROM reading_list_item WHERE list_id = :l AND article_id = :a",
            [{"l": list_id, "a": a} for a in article_ids])

    def names_holding(self, conn: Connection, article_id: int) -> list[str]:
        """The names of the lists that hold ``article_id``, in name order."""
        return [str(n) for n in conn.column(
            "SELECT l.name FROM reading_list l JOIN reading_list_item i ON i.list_id = l.id "
            f"WHERE i.article_id = :a ORDER BY {self.dialect.nocase('l.name')}",
            {"a": article_id})]

    def order(self, conn: Connection, list_id: int) -> list[int]:
        return [int(a) for a in conn.column(
            "SELECT article_id FROM reading_list_item WHERE list_id = :l ORDER BY position",
            {"l": list_id})]

    def renumber(self, conn: Connection, list_id: int, order: Sequence[int]) -> None:
        conn.executemany("UPDATE reading_list_item SET position = :p WHERE list_id = :l "
                         "AND article_id = :a",
                         [{"p": pos, "l": list_id, "a": a} for pos, a in enumerate(order)])
