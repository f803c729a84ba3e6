"""The typed values of the safety rooms: retraction notices, watches, the inbox, evidence.

Kept beside :mod:`spinelib.results` (same rules: plain data, no SQL, no Qt, no display
strings) so the store, the library rooms, the sources' pure parsers and the faces share one
vocabulary for "this article is retracted" without importing each other.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Nature(enum.StrEnum):
    """What a notice says about a work. Only the first three flag it (see :data:`SEVERITY`)."""

    RETRACTION = "Retraction"
    WITHDRAWAL = "Withdrawal"
    CONCERN = "Expression of concern"
    CORRECTION = "Correction"
    REINSTATEMENT = "Reinstatement"


#: How serious a flagging notice is: the most serious current one is shown.
SEVERITY: dict[Nature, int] = {Nature.RETRACTION: 3, Nature.WITHDRAWAL: 2, Nature.CONCERN: 1}
#: Natures that mark an article "retracted" (an expression of concern does not).
RETRACTING = frozenset({Nature.RETRACTION, Nature.WITHDRAWAL})


class NoticeSource(enum.StrEnum):
    """Where a notice was learned."""

    RETRACTION_WATCH = "retraction-watch"
    CROSSREF = "crossref"
    PUBMED = "pubmed"


@dataclass(frozen=True)
class Notice:
    """One notice about a work: its nature, date (ISO ``YYYY-MM-DD`` or None), reasons and
    the notice's own DOI ("" when unknown)."""

    nature: Nature
    source: NoticeSource
    date: str | None = None
    reasons: tuple[str, ...] = ()
    notice_doi: str = ""


@dataclass(frozen=True)
class RetractionWatchRow:
    """One row of the Retraction Watch data set, identifiers normalised ("" when missing)."""

    record_id: int
    title: str
    journal: str
    nature: Nature
    date: str | None
    reasons: tuple[str, ...]
    notice_doi: str
    notice_pmid: str
    original_doi: str
    original_pmid: str


@dataclass(frozen=True)
class Flag:
    """An article's most serious current notice (what ``show --json`` calls ``retraction``)."""

    nature: Nature
    date: str | None
    reasons: tuple[str, ...]
    notice_doi: str
    source: NoticeSource


@dataclass(frozen=True)
class FlaggedArticle:
    """A flagged article in the library, for ``spinelib retractions``."""

    article_id: int
    citekey: str
    flag: Flag
    is_new: bool


@dataclass(frozen=True)
class CitedFlag:
    """A reference in an article's list that points at a retracted or concerning work."""

    position: int
    doi: str
    pmid: str
    nature: Nature


@dataclass
class CheckReport:
    """What a retraction update did: rows loaded, rows skipped (line, reason), works checked
    online, and the keys newly flagged."""

    loaded: int | None = None
    not_modified: bool = False
    skipped: list[tuple[int, str]] = field(default_factory=list)
    crossref_checked: int = 0
    pubmed_checked: int = 0
    flagged: int = 0
    new_keys: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Retraction Watch rows stored after the update (those of an earlier download when
    #: this one could not be made): what the library was checked against offline.
    stored_rows: int = 0

    @property
    def reached_nothing(self) -> bool:
        """Whether no source could be reached: the data set neither downloaded nor found
        unchanged, and neither Crossref nor PubMed answered, each for the reason its
        warning gives (offline, say). Then "nothing new" means nothing."""
        return bool(self.warnings) and self.loaded is None and not self.not_modified \
            and not self.crossref_checked and not self.pubmed_checked


@dataclass(frozen=True)
class Watch:
    """A stored PubMed query, or a key paper (a citation alert), whose new papers land in
    the inbox."""

    id: int
    name: str
    #: The PubMed query ('' for a citation watch).
    query: str
    tag: str
    created_at: str
    last_success: str | None
    last_error: str
    queued: bool
    #: A citation watch's paper as Europe PMC names it ("MED:16112300"); '' otherwise.
    cites: str = ""
    #: How that paper is named in lists ("Patchell RA 2005, PMID 16112300").
    cites_label: str = ""

    @property
    def watched(self) -> str:
        """What it watches, in words: its query, or "articles citing …"."""
        return f"articles citing {self.cites_label or self.cites}" if self.cites else self.query

    @property
    def state(self) -> str:
        """Its state in words, as ``watch list`` and the app show it: queued, failed, last
        run or never run."""
        return (f"queued ({self.last_error})" if self.queued else
                f"failed: {self.last_error}" if self.last_error else
                f"last run {self.last_success}" if self.last_success else "never run")


@dataclass(frozen=True)
class InboxEntry:
    """A paper found by a watch, waiting for triage (kept with enough to read offline)."""

    id: int
    pmid: str
    title: str
    journal: str
    year: int | None
    watch: str
    abstract: str
    mesh: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class CitationCount:
    """How often a work is cited according to a service, and when that was read."""

    source: str
    count: int
    counted_at: str


#: The user-editable study fields of an evidence table, in the table's order.
EVIDENCE_FIELDS: tuple[str, ...] = ("level", "n", "comparator", "follow_up", "outcomes",
                                    "notes")


@dataclass
class Evidence:
    """An article's study fields: suggested values with their reason until the user confirms.

    ``level``/``n`` hold the confirmed value when ``*_confirmed``, else the suggestion."""

    level: str = ""
    level_reason: str = ""
    level_confirmed: bool = False
    n: str = ""
    n_reason: str = ""
    n_confirmed: bool = False
    comparator: str = ""
    follow_up: str = ""
    outcomes: str = ""
    notes: str = ""
