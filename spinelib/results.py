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


class TagMatch(enum.StrEnum):
    """Which assignments a tag filter matches: the confirmed tags only (what the Tags column
    shows), or those and the open suggestions. Rejected suggestions never match."""

    CONFIRMED = "confirmed"
    WITH_SUGGESTIONS = "with_suggestions"


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
    #: Only articles kept from a PDF in which no DOI or PMID was found (issue 14).
    unidentified: bool = False
    ids: list[int] | None = None
    sort: str = "added"
    descending: bool = True
    #: What ``tags`` match: confirmed only, or with open suggestions (the long-standing
    #: default of the command line; the desktop app filters on confirmed tags).
    tag_match: TagMatch = TagMatch.WITH_SUGGESTIONS


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
    #: The user's star rating (0-5) and when the article was added (ISO 8601, UTC).
    rating: int = 0
    added_at: str = ""
    #: Files attached to the article (the table's attachment column, issue 14).
    attachments: int = 0
    #: The best citation count known (the higher of Crossref's and Europe PMC's, issue 17);
    #: None when no source has given one.
    citations: int | None = None
    #: The publication state ("inpress"…; :mod:`spinelib.pubstate`): said where a paper in
    #: press has no year.
    pubstate: str = ""
    #: True when ``journal`` is a journal article's full name because it has no abbreviation
    #: of its own (the table may show the one the library holds); with its ``issn``.
    journal_unabbreviated: bool = False
    issn: str = ""


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

    @property
    def has_identifier(self) -> bool:
        """Whether it names a DOI, PMID or PMCID to import it by."""
        return bool(self.doi or self.pmid or self.pmcid)


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
    """A tag of the library with the number of articles carrying it or a descendant.

    ``count`` counts every article that has it or has it suggested (``confirmed`` +
    ``suggested``); ``confirmed`` those where the user added or accepted it (in the tag or
    a descendant); ``suggested`` those where it is only an open suggestion.
    """

    id: str
    label: str
    parent: str | None
    origin: str
    count: int
    confirmed: int = 0
    suggested: int = 0


@dataclass(frozen=True)
class SidebarCounts:
    """The numbers beside the sidebar's fixed entries."""

    all: int
    unread: int
    recent: int
    retracted: int
    pending: int
    #: Articles kept from PDFs no identifier was found in, waiting to be identified.
    unidentified: int = 0


#: Between a folder's name and its sub-list's in a reading list's name ("Spine
#: oncology/MESCC"), as Mendeley's folders and JabRef's groups come in: the sidebar and
#: the menus fold such lists under their folder, and renaming the folder renames them.
LIST_FOLDER_SEPARATOR = "/"


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
    #: Reading lists the article joins once fetched (names, as the import was asked).
    lists: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class KeptExport:
    """An export SpineLib keeps up to date (``spinelib export … --keep-updated``).

    ``scope`` is the JSON of the query it exports (search, tags, facets, list, keys);
    ``style`` the CSL style of a ``bibliography`` export ('' otherwise); ``last_written``
    an ISO time ('' never); ``last_error`` why the last sync could not write ('' none).
    """

    path: str
    format: str
    style: str
    html: bool
    abstracts: bool
    scope: str
    last_written: str = ""
    last_error: str = ""


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did to one kept export: ``written``, ``unchanged`` or ``failed``."""

    path: str
    status: str
    message: str = ""
