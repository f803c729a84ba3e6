"""SQL for the smaller curation tables: saved searches (``saved_search``), duplicate
candidates (a scan over ``article``'s title/year index) and the pairs the user said are not
duplicates (``duplicate_dismissed``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.curation_results import SavedSearch
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect


class CurationSql:
    """Statements over ``saved_search`` and ``duplicate_dismissed``, and the duplicate scan."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    # ---- saved searches
    def searches(self, conn: Connection) -> list[SavedSearch]:
        return [SavedSearch(r[0], r[1]) for r in conn.execute(
            f"SELECT name, query FROM saved_search ORDER BY {self.dialect.nocase('name')}")]

    def search(self, conn: Connection, name: str) -> SavedSearch | None:
        r = conn.first("SELECT name, query FROM saved_search WHERE name = :n", {"n": name})
        return None if r is None else SavedSearch(r[0], r[1])

    def save_search(self, conn: Connection, name: str, query: str, when: str) -> None:
        conn.execute(self.dialect.upsert("saved_search", ("name", "query", "created_at"),
                                         ("name",), ("query",)),
                     {"name": name, "query": query, "created_at": when})

    def delete_search(self, conn: Connection, name: str) -> bool:
        return conn.execute("DELETE FROM saved_search WHERE name = :n",
                            {"n": name}).rowcount > 0

    # ---- duplicates
    def title_twins(self, conn: Connection, min_key: int) -> list[Any]:
        """Rows (id, citekey, title_key, year, first family, doi, pmid, pmcid) of dated
        articles sharing their normalised title with another (titles of ``min_key`` or
        more characters only: short titles are too generic to compare); the caller
        compares their years and authors."""
        return conn.all(
            "SELECT a.id, a.citekey, a.title_key, a.year, "
            "COALESCE((SELECT CASE WHEN au.family != '' THEN au.family ELSE au.collective END "
            "FROM author au WHERE au.article_id = a.id ORDER BY au.position LIMIT 1), ''), "
            "a.doi, a.pmid, a.pmcid FROM article a JOIN ("
            "SELECT title_key FROM article WHERE year IS NOT NULL "
            "AND length(title_key) >= :m GROUP BY title_key HAVING count(*) > 1) d "
            "ON d.title_key = a.title_key WHERE a.year IS NOT NULL ORDER BY a.id",
            {"m": min_key})

    def dismissed(self, conn: Connection) -> set[tuple[int, int]]:
        return {(int(r[0]), int(r[1])) for r in conn.execute(
            "SELECT low, high FROM duplicate_dismissed")}

    def dismiss(self, conn: Connection, pairs: Sequence[tuple[int, int]]) -> None:
        conn.executemany(self.dialect.insert_ignore("duplicate_dismissed", ("low", "high")),
                         [{"low": min(a, b), "high": max(a, b)} for a, b in pairs])
