"""The typed values of curation (issue 15): edits, refresh diffs, the trash, duplicates,
saved searches and the undo log.

Plain data the store fills and the library's curation rooms hand to the faces; like
:mod:`spinelib.results` they hold no SQL, no Qt and no display strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spinelib.citekeys import rekeyed
from spinelib.records import RECORD_TYPES

#: The article fields a user may edit (``edit --set FIELD=VALUE``), besides ``authors``.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title", "journal", "journal_abbrev", "book_title", "editors", "edition", "isbn",
    "publisher", "place", "institution", "degree", "report_number", "year", "month", "pubstate",
    "volume", "issue", "pages", "doi", "pmid", "pmcid", "url", "accessed", "abstract", "type",
    "language",
)
#: The types ``type`` takes: every type SpineLib's readers make and its exports write (a web
#: page, a proceedings volume among them), one list with the records'.
ARTICLE_TYPES: tuple[str, ...] = RECORD_TYPES
#: Every field a refresh compares and an edit may mark as the user's.
COMPARED_FIELDS: tuple[str, ...] = EDITABLE_FIELDS + ("authors",)


@dataclass(frozen=True)
class TrashEntry:
    """One article in the trash."""

    article_id: int
    citekey: str
    title: str
    deleted_at: str


@dataclass(frozen=True)
class RestoreResult:
    """An article brought back from the trash (``messages``: e.g. a citation key that was
    taken in the meantime and replaced)."""

    article_id: int
    citekey: str
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that look like one publication (same title and first author, dated the
    same year or one apart)."""

    ids: list[int]
    keys: list[str]
    reason: str


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: the article kept, the citation keys now aliases of it, and what was
    filled in from the others."""

    article_id: int
    citekey: str
    merged_keys: list[str]
    filled: list[str]


@dataclass(frozen=True)
class FieldDiff:
    """One field whose stored value differs from the source's (a refresh's diff)."""

    field: str
    stored: str
    source: str
    user_edited: bool


RefreshStatus = Literal["found", "not_found", "failed", "offline", "no_identifier"]


@dataclass
class RefreshResult:
    """A refresh of one article: the diff against the source and, when applied, which
    fields were taken and which user-edited ones were kept."""

    article_id: int
    citekey: str
    status: RefreshStatus
    message: str = ""
    diffs: list[FieldDiff] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: The key the update gave it ('' when unchanged): one that stood in for a missing
    #: author or date ("anonnd…"), the old one kept as an alias.
    new_key: str = ""

    def applied_text(self) -> str:
        """What an applied update took, as the command line and the window say it."""
        fields = [f for f in self.applied if f != "citekey"]
        text = ", ".join(fields) or "nothing"
        if self.new_key:
            text += f"; {rekeyed(self.new_key, self.citekey)}"
        return text


@dataclass(frozen=True)
class SavedSearch:
    """A named query, evaluated live whenever it is used."""

    name: str
    query: str


@dataclass(frozen=True)
class SearchSuggestion:
    """An empty search's "Did you mean …?": the ``search`` to run instead, and the
    abbreviations it searches together with what they stand for, each with its phrases
    (empty where a mistyped word was mended)."""

    search: str
    spelled_out: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Operation:
    """One entry of the undo log: ``name`` says what it did ("merge of 2 articles")."""

    op_id: int
    name: str
    created_at: str
    undone: bool


@dataclass(frozen=True)
class FieldTerm:
    """One qualified term of a search (``author:patchell``, ``-word``, ``year:2015..2020``)
    with its names resolved: ``kind`` is the qualifier, ``text`` its value, ``low``/``high``
    a year range, ``tag_ids`` a tag's subtree, ``spellings`` the stored family names an
    ``author:`` value stands for (case, accents and punctuation aside: "muller" is
    "Müller"), or for ``journal:`` the stored names of journals whose articles without an
    abbreviation are shown by one it matches, and ``initials`` the initials an author was
    written with, PubMed's way ("Bilsky MH"); ``negated`` for ``-`` terms. Kind ``any`` is
    an ``OR`` of ``alternatives`` (``author:bilsky OR author:laufer``)."""

    kind: str
    text: str = ""
    low: int | None = None
    high: int | None = None
    tag_ids: tuple[str, ...] = ()
    negated: bool = False
    spellings: tuple[str, ...] = ()
    initials: str = ""
    alternatives: tuple[FieldTerm, ...] = ()
