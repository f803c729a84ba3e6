"""The full-text index's content: what of an article is searchable, written from what is
stored (one source of truth), through the dialect's index."""

from __future__ import annotations

from spinelib.records import ArticleRecord
from spinelib.store.articles import ArticleSql
from spinelib.store.connection import Connection
from spinelib.store.dialect import Dialect
from spinelib.store.tags import TagSql


class FulltextSql:
    """Rewrites articles' rows in the full-text index."""

    def __init__(self, dialect: Dialect, articles: ArticleSql, tags: TagSql) -> None:
        self.dialect = dialect
        self.articles = articles
        self.tags = tags

    def reindex(self, conn: Connection, article_id: int,
                stored: ArticleRecord | None = None) -> None:
        """Rewrite the article's index row from what is stored.

        ``stored`` may be given when the caller already holds the stored record (a merge);
        it must be what the database now holds, so the index never drifts from the article.
        """
        if stored is None:
            stored = self.articles.load(conn, [article_id], with_references=False)[article_id]
        self._replace(conn, article_id, stored, self.tags.index_text(conn, article_id))

    def reindex_many(self, conn: Connection, stored: dict[int, ArticleRecord]) -> None:
        """Rewrite many articles' index rows from records that are what the database now
        holds (a restore writing snapshots back): their tags' text is read in one query, not
        one per article."""
        tags = self.tags.index_texts(conn, list(stored))
        for article_id, rec in stored.items():
            self._replace(conn, article_id, rec, tags.get(article_id, ""))

    def _replace(self, conn: Connection, article_id: int, stored: ArticleRecord,
                 tags: str) -> None:
        authors = " ".join(" ".join(p for p in (a.family, a.given, a.collective) if p)
                           for a in stored.authors)
        self.dialect.fulltext_replace(conn, article_id, {
            "title": stored.title, "abstract": stored.abstract, "authors": authors,
            "journal": f"{stored.journal} {stored.journal_abbrev}",
            "keywords": " ".join(stored.keywords), "mesh": " ".join(m.name for m in stored.mesh),
            "notes": stored.notes, "tags": tags})
