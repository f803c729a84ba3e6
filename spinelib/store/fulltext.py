"""The full-text index's content: what of an article is searchable, written from what is
stored (one source of truth), through the dialect's index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.records import ArticleRecord
from spinelib.store.articles import ArticleSql
from spinelib.store.connection import Connection, batches
from spinelib.store.dialect import Dialect
from spinelib.store.mapping import editors_from_json, json_list
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

    def reindex_many(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """:meth:`reindex` of many articles: their records and tags' text read a chunk at a
        time (a tagging of 30,000 articles: a few queries per 500, not several each), in id
        order: a user's selection comes in the table's sort order, and ids near each other
        share the index's and the article table's pages (tagging 4,000 of 100,000 articles
        took 1.1 s instead of 1.7 s)."""
        for chunk in batches(sorted(set(article_ids)), 500):
            stored = self.articles.load(conn, chunk, with_references=False)
            tags = self.tags.index_texts(conn, chunk)
            self.dialect.fulltext_replace_many(conn, [
                (article_id, self.columns(stored[article_id], tags.get(article_id, "")))
                for article_id in chunk])

    def reindex_tags(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """Rewrite only the tags' text in these articles' index rows (a tagging or an
        untagging changes nothing else), in id order; an article without an index row (a
        damaged library) is reindexed whole, so the index still ends as it is stored."""
        for chunk in batches(sorted(set(article_ids)), 500):
            tags = self.tags.index_texts(conn, chunk)
            there = self.dialect.fulltext_set_column(
                conn, "tags", [(a, tags.get(a, "")) for a in chunk])
            missing = [a for a in chunk if a not in there]
            if missing:
                self.reindex_many(conn, missing)

    def reindex_rows(self, conn: Connection,
                     rows: dict[int, tuple[dict[str, Any], list[list[Any]]]]) -> None:
        """Rewrite many articles' index rows straight from their stored ``article`` row and
        author rows (a restore writing snapshots back: what the database now holds), without
        building records; their tags' text is read in one query, not one per article."""
        tags = self.tags.index_texts(conn, list(rows))
        docs: list[tuple[int, dict[str, str]]] = []
        for article_id, (art, authors) in rows.items():
            mesh = [str(m.get("name", "")) for m in json_list(art["mesh"]) if isinstance(m, dict)]
            # Author rows as stored: position, family, given, initials, collective, ...
            docs.append((article_id, self.row_columns(
                art["title"] or "", art["abstract"] or "",
                [(r[1], r[2], r[4]) for r in authors], art["journal"] or "",
                art["journal_abbrev"] or "", [str(k) for k in json_list(art["keywords"])], mesh,
                art["notes"] or "", tags.get(article_id, ""), art["book_title"] or "",
                editor_parts(art.get("editors")))))  # not in a snapshot from before schema 20
        self.dialect.fulltext_replace_many(conn, docs)

    @staticmethod
    def columns(stored: ArticleRecord, tag_text: str) -> dict[str, str]:
        """The index columns of a stored article whose tags read ``tag_text`` (the bulk
        import path writes new articles' rows from this too: one definition)."""
        return FulltextSql.row_columns(
            stored.title, stored.abstract,
            [(a.family, a.given, a.collective) for a in stored.authors],
            stored.journal, stored.journal_abbrev, stored.keywords,
            [m.name for m in stored.mesh], stored.notes, tag_text, stored.book_title,
            [(e.family, e.given, e.collective) for e in stored.editors])

    @staticmethod
    def row_columns(title: str, abstract: str, authors: list[tuple[str, str, str]],
                    journal: str, abbrev: str, keywords: list[str], mesh: list[str],
                    notes: str, tags: str, book_title: str = "",
                    editors: Sequence[tuple[str, str, str]] = ()) -> dict[str, str]:
        """The one place that says what of an article is searchable, column by column. A
        chapter's book title is searched where a journal's name is (the table shows it in
        the Journal column): "StatPearls", "GeneReviews", ``journal:"spine surgery"``; its
        book's editors where the authors are (a search for "Benzel" finds the chapters of
        the book he edited, as Zotero's finds any creator; ``editor:`` names them alone)."""
        names = " ".join(" ".join(p for p in parts if p) for parts in (*authors, *editors))
        source = f"{journal} {abbrev} {book_title}" if book_title else f"{journal} {abbrev}"
        return {"title": title, "abstract": abstract, "authors": names,
                "journal": source, "keywords": " ".join(keywords),
                "mesh": " ".join(mesh), "notes": notes, "tags": tags}


def editor_parts(editors: str | None) -> list[tuple[str, str, str]]:
    """The (family, given, group name) of each editor an ``editors`` column holds, as
    :meth:`FulltextSql.row_columns` takes them (none read for '', nearly every article: a
    first copy of 100,000 calls this for each)."""
    if not editors:
        return []
    return [(e.family, e.given, e.collective) for e in editors_from_json(editors)]
