"""SQL for what curation keeps beside an article: the fields the user edited
(``article_user_edit``) and aliases (``article_alias``: the citation keys and identifiers of
articles merged into it), plus replacing an article's author list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spinelib.records import Author
from spinelib.store.articles import INSERT_AUTHOR
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect
from spinelib.store.mapping import author_rows

ALIAS_KINDS = ("citekey", "doi", "pmid", "pmcid")


class EditSql:
    """Statements over ``article_user_edit``, ``article_alias`` and an article's authors."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._mark = dialect.upsert("article_user_edit", ("article_id", "field", "edited_at"),
                                    ("article_id", "field"), ("edited_at",))

    def mark_edited(self, conn: Connection, article_id: int, fields: Iterable[str],
                    when: str) -> None:
        conn.executemany(self._mark, [{"article_id": article_id, "field": f, "edited_at": when}
                                      for f in fields])

    def edited(self, conn: Connection, article_id: int) -> set[str]:
        return {str(f) for f in conn.column(
            "SELECT field FROM article_user_edit WHERE article_id = :a", {"a": article_id})}

    def alias_owner(self, conn: Connection, kind: str, value: str) -> int | None:
        found = conn.scalar("SELECT article_id FROM article_alias WHERE kind = :k AND value = :v",
                            {"k": kind, "v": value})
        return None if found is None else int(found)

    def aliases(self, conn: Connection, article_id: int) -> list[tuple[str, str]]:
        return [(str(r[0]), str(r[1])) for r in conn.execute(
            "SELECT kind, value FROM article_alias WHERE article_id = :a ORDER BY kind, value",
            {"a": article_id})]

    def add_aliases(self, conn: Connection, article_id: int,
                    pairs: Sequence[tuple[str, str]]) -> None:
        conn.executemany(
            "INSERT INTO article_alias (kind, value, article_id) VALUES (:k, :v, :a) "
            "ON CONFLICT (kind, value) DO UPDATE SET article_id = excluded.article_id",
            [{"k": k, "v": v, "a": article_id} for k, v in pairs if k in ALIAS_KINDS and v])

    def drop_alias(self, conn: Connection, kind: str, value: str) -> None:
        conn.execute("DELETE FROM article_alias WHERE kind = :k AND value = :v",
                     {"k": kind, "v": value})

    def replace_authors(self, conn: Connection, article_id: int, authors: list[Author]) -> None:
        conn.execute("DELETE FROM author WHERE article_id = :a", {"a": article_id})
        if authors:
            conn.executemany(INSERT_AUTHOR, author_rows(article_id, authors))
