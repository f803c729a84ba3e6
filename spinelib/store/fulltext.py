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
        self.dialect.fulltext_replace(conn, article_id,
                                      self.columns(stored, self.tags.index_text(conn, article_id)))

    @staticmethod
    def columns(stored: ArticleRecord, tag_text: str) -> dict[str, str]:
        """The index columns of a stored article whose tags read ``tag_text`` (the bulk
        import path writes new articles' rows from this too: one definition)."""
        authors = " ".join(" ".join(p for p in (a.family, a.given, a.collective) if p)
                           for a in stored.authors)
        return {
            "title": stored.title, "abstract": stored.abstract, "authors": authors,
            "journal": f"{stored.journal} {stored.journal_abbrev}",
            "keywords": " ".join(stored.keywords), "mesh": " ".join(m.name for m in stored.mesh),
            "notes": stored.notes, "tags": tag_text}
