"""The exchange type: plain article records passed between sources, formats and the Library.

Nothing here touches the database, the network or Qt. A source or a file reader produces an
:class:`ArticleRecord`; the Library merges it into the database; exporters turn records back
into text. Every field is optional except that a useful record has at least a title or an
identifier, so readers fill what they know and leave the rest at its empty default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import TypeVar

from spinelib.text import one_line
from spinelib.thesisdegree import degree_of

_GIVEN_PARTS_RE = re.compile(r"[\s.\-\u2010]+")


def initials_of(given: str) -> str:
    """The initials of a given name as Vancouver writes them: "Jean-Paul" -> "JP",
    "J.H." and "J. H." -> "JH" (Scopus and EndNote write initials with dots and no space),
    "Ji Hoon" -> "JH"; a part of two or three capitals is initials already ("JH", as Web of
    Science writes them) and is kept whole."""
    out = []
    for part in _GIVEN_PARTS_RE.split(given):
        if not part or not part[0].isalpha():
            continue
        out.append(part if 2 <= len(part) <= 3 and part.isalpha() and part.isupper()
                   else part[0].upper())
    return "".join(out)


@dataclass
class Author:
    """One author in byline order: a person (family/given) or a group (``collective``)."""

    family: str = ""
    given: str = ""
    initials: str = ""
    collective: str = ""
    orcid: str = ""
    #: "Jr", "III": kept apart from the family name so BibTeX writes "von Hicks, III, Michael".
    suffix: str = ""

    @property
    def is_collective(self) -> bool:
        return bool(self.collective) and not self.family

    def display(self) -> str:
        """'Family Initials' (Vancouver style) or the group name."""
        if self.is_collective:
            return self.collective
        return f"{self.family} {self.initials or initials_of(self.given)}".strip()


def any_named(people: Iterable[Author]) -> bool:
    """Whether any of ``people`` has a name to write (a family or a group name that is more
    than white space): the writers drop the others, so an export that finds none has no
    author (or editor) to print."""
    return any(one_line(p.family) or one_line(p.collective) for p in people)


@dataclass
class ReferenceEntry:
    """One entry of an article's own reference list, in the order the article cites it."""

    position: int
    citation: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""

    @property
    def has_identifier(self) -> bool:
        """Whether it names a DOI, PMID or PMCID (as :class:`~spinelib.results.ReferenceRow`
        says of a stored one)."""
        return bool(self.doi or self.pmid or self.pmcid)


@dataclass
class MeshHeading:
    """A MeSH descriptor (matched by UI, never by name) with its qualifiers."""

    ui: str
    name: str
    major: bool = False
    qualifiers: list[str] = field(default_factory=list)


#: The values of :attr:`ArticleRecord.type`, in the order menus list them.
RECORD_TYPES: tuple[str, ...] = (
    "article", "review", "erratum", "preprint", "book", "chapter", "conference", "proceedings",
    "report", "thesis", "webpage", "other")


#: ``ArticleRecord.source`` of a record typed in by hand (``spinelib add``, File ▸ New
#: article…), which the detail pane says in words.
TYPED = "typed"


@dataclass
class ArticleRecord:
    """Everything SpineLib knows about one article, independent of where it came from.

    Identifiers are stored normalised: ``doi`` lower-case without prefix, ``pmid`` digits,
    ``pmcid`` as ``PMC123``. ``title`` and ``abstract`` are plain text (markup flattened);
    a structured abstract keeps its section labels as ``LABEL: text`` paragraphs separated by
    blank lines. ``pages`` is the range as published, or the article number when there are none.

    ``citekey``, ``tags`` and ``notes`` are filled when a record comes *out* of the Library (for
    export) or from a file that carries them (a .bib key, RIS keywords); sources leave them empty.
    """

    title: str = ""
    authors: list[Author] = field(default_factory=list)
    journal: str = ""
    journal_abbrev: str = ""
    issn: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    abstract: str = ""
    language: str = ""
    #: "article", "review", "book", "chapter", "erratum", "preprint", "conference" (a paper in
    #: proceedings: ``book_title`` is the proceedings), "proceedings", "report", "thesis",
    #: "webpage", "other" (:data:`RECORD_TYPES`).
    type: str = "article"
    publication_types: list[str] = field(default_factory=list)
    mesh: list[MeshHeading] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    references: list[ReferenceEntry] = field(default_factory=list)
    retracted: bool = False
    has_erratum: bool = False
    #: Book fields (PubmedBookArticle, RIS BOOK/CHAP, BibTeX @book/@incollection).
    publisher: str = ""
    book_title: str = ""
    #: The editors of the book a chapter is in (or of an edited book), in the order printed:
    #: "In: Adam MP, Feldman J, editors. GeneReviews" (BibTeX ``editor``, RIS ``ED``/``A2``,
    #: CSL ``editor``, a PubMed book's editors' AuthorList).
    editors: list[Author] = field(default_factory=list)
    #: The book's edition as the source gives it ("4", "4th", "Second"); '' for a first.
    edition: str = ""
    #: The book's ISBN (a chapter's is its book's), as the source wrote it (:mod:`spinelib.isbn`).
    isbn: str = ""
    url: str = ""
    #: Report fields (techreport, RIS RPRT, CSL report): its number; the issuing institution
    #: (a thesis's school too) and the place of publication or of a conference.
    report_number: str = ""
    institution: str = ""
    place: str = ""
    #: A date year/month/day cannot hold, as the file gave it in EDTF (biblatex's ``date``):
    #: "-0044-03-15" (BCE), "2004?", "2019/2020", "2020-21" (season). ``year`` still holds
    #: the year when there is one, so sorting and searching work.
    date_text: str = ""
    #: Publication status: "prepublished", "submitted", "inpress", "forthcoming" (biblatex's
    #: ``pubstate``; CSL's ``status``).
    pubstate: str = ""
    #: When a web page was read, as an ISO date ("2026-12-05", or "2026-12"): BibTeX's
    #: ``urldate``, RIS's ``Y2``, CSL's ``accessed`` (:mod:`spinelib.accessed`).
    accessed: str = ""
    #: Where the record came from ("pubmed", "crossref", "bibtex", ...; :data:`TYPED` for one
    #: typed in by hand), for reports.
    source: str = ""
    citekey: str = ""
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    #: Files a reference file names for the entry (BibTeX ``file``, RIS ``L1``), as written;
    #: an import attaches those it finds (:mod:`spinelib.linkedfiles`). Never stored.
    files: list[str] = field(default_factory=list)
    #: Groups or folders a reference file puts the entry in, as paths ("Spine/Reviews"):
    #: JabRef's and Mendeley's (:mod:`spinelib.formats.bibtex.groups`), Zotero's collections
    #: (:mod:`spinelib.formats.zotero_rdf`); an import puts the article in reading lists of
    #: these names (:mod:`spinelib.filegroups`). Never stored.
    groups: list[str] = field(default_factory=list)
    #: For a group whose file lists its members in an order (JabRef's older group tree),
    #: the entry's place there: the reading list keeps that order. Never stored.
    group_places: dict[str, int] = field(default_factory=dict)
    #: The user's own tags in the program that wrote the file (Mendeley's, Zotero's typed
    #: ones), by name; an import gives the article these tags, made when missing. Never
    #: stored.
    user_tags: list[str] = field(default_factory=list)
    #: How far the user got, and their stars, in the program that wrote the file (JabRef's
    #: ``readstatus`` and ``ranking``): 0 not said, 1 reading (skimmed), 2 read; 0 to 5. An
    #: import raises the article's own to these, never lowers them. Never stored.
    read_status: int = 0
    rating: int = 0

    def identifiers(self) -> dict[str, str]:
        """The identifiers this record carries, by kind ('doi', 'pmid', 'pmcid')."""
        pairs = (("doi", self.doi), ("pmid", self.pmid), ("pmcid", self.pmcid))
        return {k: v for k, v in pairs if v}

    @property
    def degree(self) -> str:
        """A thesis's degree ("PhD thesis"), kept as its first publication type; '' for
        other types (:mod:`spinelib.thesisdegree`)."""
        return degree_of(self.type, self.publication_types)

    def first_author_family(self) -> str:
        if not self.authors:
            return ""
        a = self.authors[0]
        return a.family or a.collective

    def label(self) -> str:
        """A short human label for reports: 'Patchell 2005, Direct decompressive…' or an id."""
        who = self.first_author_family()
        bits = [b for b in (who, str(self.year) if self.year else "") if b]
        head = " ".join(bits)
        title = self.title if len(self.title) <= 60 else self.title[:57] + "…"
        if head and title:
            return f"{head}, {title}"
        return head or title or self.doi or self.pmid or self.pmcid or "(untitled)"


def fill_missing(base: ArticleRecord, extra: ArticleRecord) -> ArticleRecord:
    """Return a copy of ``base`` with every empty field taken from ``extra``.

    Used to let one source fill what another lacks (Crossref references and ORCIDs into a
    PubMed record). Non-empty fields of ``base`` always win; ORCIDs are copied onto matching
    authors (same family name, case-insensitive) even when ``base`` has the author list.
    """
    out = replace(base)
    for f in fields(ArticleRecord):
        mine = getattr(out, f.name)
        theirs = getattr(extra, f.name)
        if mine in ("", None, [], False) and theirs not in ("", None, [], False):
            setattr(out, f.name, theirs)
    if base.authors and extra.authors:
        orcids = {a.family.casefold(): a.orcid for a in extra.authors if a.orcid and a.family}
        out.authors = [
            replace(a, orcid=a.orcid or orcids.get(a.family.casefold(), "")) for a in base.authors
        ]
    return out


def copy_record(rec: ArticleRecord) -> ArticleRecord:
    """A copy of ``rec`` that shares no list or nested record with it (what ``copy.deepcopy``
    gives, without its generic memo walk: sources cache one parsed record and hand each
    identifier its own copy to edit, and deepcopy of a record with ~30 references cost more
    CPU than parsing it; issue 19, ``import_1000_pmids``). Strings are immutable and shared.
    ``tests/core/test_records.py`` fails if a field is added that this would share."""
    out = _shallow(rec)
    out.authors = [_shallow(a) for a in rec.authors]
    out.editors = [_shallow(a) for a in rec.editors]
    out.publication_types = list(rec.publication_types)
    out.mesh = [_shallow(m) for m in rec.mesh]
    for m in out.mesh:
        m.qualifiers = list(m.qualifiers)
    out.keywords = list(rec.keywords)
    out.references = copy_references(rec.references)
    out.tags = list(rec.tags)
    out.files = list(rec.files)
    out.groups = list(rec.groups)
    out.group_places = dict(rec.group_places)
    out.user_tags = list(rec.user_tags)
    return out


def as_stored(rec: ArticleRecord, citekey: str | None = None) -> ArticleRecord:
    """``rec`` as the write paths store it and show it to the vocabulary: DOI in lower case,
    no tags, no references, and ``citekey`` when given. A shallow copy (what
    ``dataclasses.replace`` gives, in a third of its time: a bulk import makes two a record)."""
    out = _shallow(rec)
    out.doi = rec.doi.lower()
    out.tags = []
    out.references = []
    if citekey is not None:
        out.citekey = citekey
    return out


def copy_references(refs: list[ReferenceEntry]) -> list[ReferenceEntry]:
    """A reference list whose entries are copies (see :func:`copy_record`)."""
    return [_shallow(r) for r in refs]


_T = TypeVar("_T")


def _shallow(obj: _T) -> _T:
    """A new instance with the same field values (``dataclasses.replace`` without its
    per-call field walk and ``__init__``: five times faster, which matters per reference)."""
    new: _T = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new
