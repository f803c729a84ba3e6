"""SQLModel tables: the library's on-disk shape (DESIGN §4).

The schema version lives in ``PRAGMA user_version`` (see :mod:`spinelib.db`); any change here
needs a step in the migration ladder there. Identifiers are stored normalised and ``NULL`` when
unknown, so the UNIQUE constraints hold for known values only. List-valued fields (MeSH,
keywords, publication types) are JSON text: they are read whole with the article and searched
through the FTS index, never joined on.

Two derived tables are not models: ``facet_count`` and ``tag_count`` (schema 2) hold the
sidebar's counts and are kept in step by triggers (see :mod:`spinelib.db`), so the numbers
beside each technique and facet cost nothing to read at 100,000 articles.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def utcnow() -> str:
    """Timestamps are ISO-8601 UTC text: sortable, readable, timezone-free in SQL."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: read_status values
UNREAD, READING, READ = 0, 1, 2
READ_STATUS_NAMES = {UNREAD: "unread", READING: "reading", READ: "read"}


class Article(SQLModel, table=True):
    """One article. ``citekey`` is assigned once and only changes when the user asks."""

    __tablename__ = "article"
    __table_args__ = (
        Index("ix_article_added", "added_at"),
        Index("ix_article_year", "year"),
        Index("ix_article_first_author", "first_author"),
        Index("ix_article_title_sort", "title_sort"),
        Index("ix_article_journal", "journal"),
        Index("ix_article_title_year", "title_key", "year"),
        Index("ix_article_read", "read_status"),
        Index("ix_article_flagged", "id", sqlite_where=text("retracted OR has_erratum")),
    )

    id: int | None = Field(default=None, primary_key=True)
    citekey: str = Field(sa_column=Column(String, unique=True, nullable=False))
    doi: str | None = Field(default=None, sa_column=Column(String, unique=True))
    pmid: str | None = Field(default=None, sa_column=Column(String, unique=True))
    pmcid: str | None = Field(default=None, sa_column=Column(String, unique=True))
    title: str = ""
    #: Lower-cased title for sorting (SQL ORDER BY on an index).
    title_sort: str = ""
    #: Normalised title (letters and digits only) for the title+year+author dedupe.
    title_key: str = ""
    abstract: str = ""
    journal: str = ""
    journal_abbrev: str = ""
    issn: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    type: str = "article"
    language: str = ""
    publisher: str = ""
    book_title: str = ""
    url: str = ""
    publication_types: str = "[]"
    mesh: str = "[]"
    keywords: str = "[]"
    #: Display/sort copy of the first author ("Patchell RA" or a group name).
    first_author: str = ""
    author_count: int = 0
    source: str = ""
    added_at: str = Field(default_factory=utcnow)
    updated_at: str = Field(default_factory=utcnow)
    read_status: int = UNREAD
    rating: int = 0
    notes: str = ""
    retracted: bool = False
    has_erratum: bool = False


class Author(SQLModel, table=True):
    """An author of one article, in byline order (``position`` from 0)."""

    __tablename__ = "author"
    __table_args__ = (Index("ix_author_article", "article_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False))
    position: int
    family: str = ""
    given: str = ""
    initials: str = ""
    collective: str = ""
    orcid: str = ""


class Tag(SQLModel, table=True):
    """A tag: from the vocabulary (id = taxonomy id) or the user's own (id = its name)."""

    __tablename__ = "tag"

    id: str = Field(primary_key=True)
    label: str
    parent: str | None = Field(
        default=None, sa_column=Column(String, ForeignKey("tag.id", ondelete="SET NULL")))
    #: "vocabulary" | "user"
    origin: str = "user"


class ArticleTag(SQLModel, table=True):
    """A tag on an article. ``origin``: user | suggested | accepted | rejected.

    A rejected suggestion stays as a row so that re-importing the article does not suggest it
    again; it never counts as the article having the tag.
    """

    __tablename__ = "article_tag"
    # Covering (tag_id, origin, article_id): tag filters and counts never touch the table.
    __table_args__ = (Index("ix_article_tag_tag", "tag_id", "origin", "article_id"),)

    article_id: int = Field(sa_column=Column(
        Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True))
    tag_id: str = Field(sa_column=Column(
        String, ForeignKey("tag.id", ondelete="CASCADE", onupdate="CASCADE"), primary_key=True))
    origin: str = "user"
    reason: str = ""


class ArticleFacet(SQLModel, table=True):
    """A clinical facet value found in an article (histology, region, design, score)."""

    __tablename__ = "article_facet"
    __table_args__ = (Index("ix_article_facet_value", "facet", "value"),)

    article_id: int = Field(sa_column=Column(
        Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True))
    facet: str = Field(sa_column=Column(String, primary_key=True))
    value: str = Field(sa_column=Column(String, primary_key=True))
    reason: str = ""


class Reference(SQLModel, table=True):
    """One entry of an article's own reference list (``position`` from 1, as cited)."""

    __tablename__ = "reference"
    __table_args__ = (
        Index("ix_reference_article", "article_id", "position"),
        Index("ix_reference_doi", "doi"),
        Index("ix_reference_pmid", "pmid"),
        Index("ix_reference_pmcid", "pmcid"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False))
    position: int
    citation: str = ""
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None


class ReadingList(SQLModel, table=True):
    __tablename__ = "reading_list"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String, unique=True, nullable=False))
    created_at: str = Field(default_factory=utcnow)


class ReadingListItem(SQLModel, table=True):
    """An article's place in a reading list (``position`` from 0)."""

    __tablename__ = "reading_list_item"
    __table_args__ = (UniqueConstraint("list_id", "article_id"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(sa_column=Column(
        Integer, ForeignKey("reading_list.id", ondelete="CASCADE"), nullable=False))
    article_id: int = Field(sa_column=Column(
        Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False))
    position: int = 0


class PendingImport(SQLModel, table=True):
    """An identifier that could not be fetched (offline) and waits for ``pending --retry``."""

    __tablename__ = "pending_import"

    id: int | None = Field(default=None, primary_key=True)
    identifier: str = Field(sa_column=Column(String, unique=True, nullable=False))
    reason: str = ""
    queued_at: str = Field(default_factory=utcnow)
    attempts: int = 1
    #: JSON list of tag ids to apply once imported.
    tags: str = "[]"
    with_references: bool = True
