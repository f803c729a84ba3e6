"""The typed values the Library takes and returns (docs/ARCHITECTURE.md, "Typed results").

Both the store (which fills them from rows) and the library managers (which hand them to the
faces) use these, so they live below both. They are plain data: no SQL, no Qt, no display
strings; JSON shapes and text for people are made from them in :mod:`spinelib.serialize` and
the faces.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal

AddStatus = Literal["imported", "updated", "unchanged", "failed"]


class ReadStatus(enum.IntEnum):
    """How far the user got with an article; stored as the integer, named for people."""

    UNREAD = 0
    READING = 1
    READ = 2

    @property
    def label(self) -> str:
        """The lower-case name used in ``--json`` output and on the command line."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: int | str) -> ReadStatus:
        """A status from its number or its name; :class:`ValueError` names what is allowed."""
        if isinstance(value, str):
            for status in cls:
                if status.label == value.strip().lower():
                    return status
            raise ValueError(f"unknown read status {value!r} "
                             f"(one of: {', '.join(s.label for s in cls)})")
        return cls(value)

    @classmethod
    def coerce(cls, value: int) -> ReadStatus:
        """A stored number as a status; an unknown number reads as unread (never raises)."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNREAD


class TagOrigin(enum.StrEnum):
    """Why an article carries a tag. Confirmed origins count as having it."""

    USER = "user"
    ACCEPTED = "accepted"
    SUGGESTED = "suggested"
    REJECTED = "rejected"


#: Tag origins that mean "this article has this tag" (suggestions are shown apart).
CONFIRMED_ORIGINS: tuple[str, ...] = (TagOrigin.USER.value, TagOrigin.ACCEPTED.value)


@dataclass
class AddResult:
    """What happened to one record given to the articles manager's ``add_records``."""

    article_id: int
    status: AddStatus
    citekey: str
    label: str
    messages: list[str] = field(default_factory=list)


@dataclass
class Query:
    """A filter over the library; every part is optional and they combine with AND."""

    search: str = ""
    tags: list[str] = field(default_factory=list)
    facets: list[tuple[str, str]] = field(default_factory=list)
    reading_list: str | None = None
    unread: bool = False
    recent: bool = False
    retracted: bool = False
    ids: list[int] | None = None
    sort: str = "added"
    descending: bool = True


@dataclass
class Row:
    """What the article table shows for one article (raw values; faces format them)."""

    id: int
    citekey: str
    first_author: str
    author_count: int
    year: int | None
    title: str
    journal: str
    tags: list[str]
    read_status: ReadStatus
    retracted: bool
    has_erratum: bool
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    #: Files attached to the article (the table's attachment column, issue 14).
    attachments: int = 0


@dataclass(frozen=True)
class ArticleState:
    """What the user set on one article and when (the detail pane's controls)."""

    read_status: ReadStatus
    rating: int
    added_at: str
    updated_at: str


@dataclass(frozen=True)
class ReferenceRow:
    """One entry of an article's reference list, marked with the in-library article it is."""

    position: int
    citation: str
    doi: str
    pmid: str
    pmcid: str
    article_id: int | None

    @property
    def in_library(self) -> bool:
        return self.article_id is not None


@dataclass(frozen=True)
class TagAssignment:
    """A tag on one article, with its origin and (for suggestions) the reason."""

    id: str
    label: str
    reason: str
    origin: str


@dataclass(frozen=True)
class TagState:
    """An article's tags split by origin."""

    tags: list[TagAssignment]
    suggested: list[TagAssignment]
    rejected: list[TagAssignment]


@dataclass(frozen=True)
class FacetAssignment:
    """A clinical facet value found in one article, with the reason."""

    facet: str
    value: str
    reason: str


@dataclass(frozen=True)
class TagCount:
    """A tag of the library with the number of articles carrying it or a descendant."""

    id: str
    label: str
    parent: str | None
    origin: str
    count: int


@dataclass(frozen=True)
class SidebarCounts:
    """The numbers beside the sidebar's fixed entries."""

    all: int
    unread: int
    recent: int
    retracted: int
    pending: int


@dataclass(frozen=True)
class ReadingListInfo:
    """A reading list and how many articles it holds."""

    name: str
    count: int


@dataclass(frozen=True)
class PendingItem:
    """An identifier waiting to be fetched when the network is back."""

    identifier: str
    reason: str
    queued_at: str
    attempts: int
    tags: list[str]
    with_references: bool
