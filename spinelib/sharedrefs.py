"""The references of several articles at once, each counted once with the chosen articles
that cite it, the most shared first: chasing the references of a handful of key papers
together, the way a resident starts a reference list (and the way a reference five key
papers all cite is found before the ones only one of them cites).

Two entries are one work when they share a PMID, DOI or PMCID, or match the same article
of the library. Entries without any identifier (a book, an old paper, most of a Crossref
list's) are one work when their citations name the same first author and year and share
most of their words (:data:`SAME_WORDING`), and their first pages do not differ: a Vancouver
and an APA citation of Enneking's 1983 book are one work, Laufer's two papers of 2013 two.
``refs KEY --find-dois`` gives such entries DOIs. Nothing is written here: the chosen works
go through the identifier import (:func:`shared_identifiers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from spinelib.citationtext import cited_work, title_words
from spinelib.identifiers import Identifier, carried
from spinelib.import_results import ImportItem, chosen_identifiers
from spinelib.library import Library
from spinelib.results import ReferenceRow
from spinelib.text import accent_fold


@dataclass(frozen=True)
class SharedWork:
    """One work of a listing across several chosen articles: its number, the first citation
    of it met, its identifiers (the first one met of each kind), the library's article it
    is, and ``among``, the chosen articles it is linked with (in the order they were
    chosen): those whose reference lists cite it; for articles found citing them, those it
    cites; for similar articles, those PubMed finds it like."""

    number: int
    citation: str
    doi: str
    pmid: str
    pmcid: str
    article_id: int | None
    among: tuple[int, ...]
    #: The year and Europe PMC's citation count, when the listing knows them.
    year: int | None = None
    cited_by: int | None = None

    @property
    def in_library(self) -> bool:
        return self.article_id is not None

    def identifier(self) -> Identifier | None:
        """What an import fetches it by: its PMID, else its DOI, else its PMCID."""
        return next(iter(carried(self.pmid, self.doi, self.pmcid)), None)


Direction = Literal["references", "citing", "similar", "search"]


@dataclass(frozen=True)
class SharedWorks:
    """The works the chosen articles cite (``direction`` "references"), that cite them
    ("citing"), or that PubMed finds similar to them ("similar"), each once; or a PubMed
    search's results ("search": no chosen articles, so none is shared; all are listed)."""

    #: The chosen articles, in the order given.
    sources: tuple[int, ...]
    #: Most shared first; among as shared, in the order met (references), newest first
    #: (citing) or in PubMed's ranking (similar).
    works: list[SharedWork]
    #: The chosen articles with no reference list stored, or that could not be asked about
    #: (with why: no identifier, unknown to Europe PMC).
    unasked: tuple[int, ...]
    direction: Direction = "references"
    why_unasked: tuple[str, ...] = ()

    def shared_by(self, at_least: int) -> list[SharedWork]:
        if self.direction == "search":
            return list(self.works)
        return [w for w in self.works if len(w.among) >= at_least]

    def summary(self) -> str:
        """One line: how many works, how many shared, how many held."""
        n, asked = len(self.works), len(self.sources) - len(self.unasked)
        held = sum(1 for w in self.works if w.in_library)
        shared = len(self.shared_by(2))
        if self.direction == "references":
            line = (f"{n:,} cited work{'s' if n != 1 else ''} in {asked} reference "
                    f"list{'s' if asked != 1 else ''}, {shared:,} cited by two or more, "
                    f"{held:,} in your library")
            if self.unasked:
                k = len(self.unasked)
                line += (f" ({k} of the chosen articles {'has' if k == 1 else 'have'} no "
                         "reference list stored)")
            return line
        if self.direction == "search":  # the count of every match: PubMedResults.summary
            return f"{n:,} listed, {held:,} in your library"
        if self.direction == "similar":
            line = (f"PubMed lists {n:,} article{'s' if n != 1 else ''} similar to "
                    + ("it" if len(self.sources) == 1 else f"{asked} of them, {shared:,} "
                       "similar to two or more") + f", {held:,} in your library")
        else:
            line = (f"Europe PMC lists {n:,} article{'s' if n != 1 else ''} citing {asked} "
                    f"of them, {shared:,} citing two or more, {held:,} in your library")
        if self.unasked:
            line += " (not asked about: " + "; ".join(self.why_unasked) + ")"
        return line


class WorkGroups:
    """Entries grouped into works by any identifier (or library article) they share: a
    union-find over the entries, each added with its keys."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.by_key: dict[tuple[str, str], int] = {}

    def add(self, keys: Sequence[tuple[str, str]]) -> int:
        entry = len(self.parent)
        self.parent.append(entry)
        for key in keys:
            other = self.by_key.setdefault(key, entry)
            if other != entry:
                self.parent[self.find(other)] = self.find(entry)
        return entry

    def find(self, entry: int) -> int:
        while self.parent[entry] != entry:
            self.parent[entry] = self.parent[self.parent[entry]]
            entry = self.parent[entry]
        return entry

    def groups(self) -> list[list[int]]:
        """The entries of each work, works in the order of their first entry."""
        grouped: dict[int, list[int]] = {}
        for entry in range(len(self.parent)):
            grouped.setdefault(self.find(entry), []).append(entry)
        return list(grouped.values())


def keys_of(pmid: str, doi: str, pmcid: str, article_id: int | None) -> list[tuple[str, str]]:
    """What makes two entries one work: any identifier, or the library article they are."""
    keys: list[tuple[str, str]] = [(i.kind, i.value.lower())
                                   for i in carried(pmid, doi, pmcid)]
    if article_id is not None:
        keys.append(("article", str(article_id)))
    return keys


#: A page range's first page: "744-51", "744–751", "E1221-9" (its letter aside).
_PAGE_RANGE_RE = re.compile(r"(\d+)\s*[-–]\s*[A-Z]?\d+")
#: The share of two citations' words (four letters or more) that makes them one work, when
#: neither has an identifier and both name the same first author and year.
SAME_WORDING = 0.6


class _Unidentified:
    """Keys for entries without identifiers: one key for the citations that name one work
    (see the module docstring)."""

    def __init__(self) -> None:
        #: (folded first author, year) -> (words, first pages, key) of each work met so far.
        self.met: dict[tuple[str, int], list[tuple[set[str], set[str], str]]] = {}

    def key(self, citation: str) -> tuple[str, str] | None:
        work = cited_work(citation)
        if work is None:
            return None
        bucket = self.met.setdefault((accent_fold(work.family).lower(), work.year), [])
        words = set(title_words(citation))
        pages = {first.lstrip("0") for first in _PAGE_RANGE_RE.findall(citation)}
        for other_words, other_pages, key in bucket:
            shared = len(words & other_words) / max(1, len(words | other_words))
            # Parts 1 and 2 of one title are worded alike: their first pages tell them apart.
            disagree = bool(pages and other_pages and not pages & other_pages)
            if shared >= SAME_WORDING and not disagree:
                return ("cited", key)
        key = f"{work.family}|{work.year}|{len(bucket)}"
        bucket.append((words, pages, key))
        return ("cited", key)


def shared_references(library: Library, article_ids: Sequence[int]) -> SharedWorks:
    """The chosen articles' references as one list of works (see the module docstring)."""
    sources = tuple(dict.fromkeys(article_ids))
    works = WorkGroups()
    entries: list[tuple[int, ReferenceRow]] = []  # (citing article, entry), in list order
    unasked: list[int] = []
    unidentified = _Unidentified()
    for source in sources:
        refs = [r for r in library.articles.references(source) if r.article_id != source]
        if not refs:
            unasked.append(source)
        for ref in refs:
            keys = keys_of(ref.pmid, ref.doi, ref.pmcid, ref.article_id)
            if not keys and (cited := unidentified.key(ref.citation)) is not None:
                keys.append(cited)
            works.add(keys)
            entries.append((source, ref))
    order = {source: i for i, source in enumerate(sources)}
    found = []
    for group in works.groups():
        pairs = [entries[e] for e in group]
        found.append(merged(pairs, order, next(
            (ref.article_id for _s, ref in pairs if ref.article_id is not None), None)))
    found.sort(key=lambda w: -len(w.among))  # stable: first met first among equals
    return SharedWorks(sources, numbered(found), tuple(unasked))


def numbered(works: Sequence[SharedWork]) -> list[SharedWork]:
    """The works numbered from 1 in this order."""
    return [replace(w, number=n) for n, w in enumerate(works, 1)]


class CitedEntry(Protocol):
    """What :func:`merged` reads of an entry: a reference, or a work found citing one."""

    @property
    def citation(self) -> str: ...
    @property
    def doi(self) -> str: ...
    @property
    def pmid(self) -> str: ...
    @property
    def pmcid(self) -> str: ...


def merged(group: Sequence[tuple[int, CitedEntry]], order: Mapping[int, int],
           article_id: int | None, *, year: int | None = None,
           cited_by: int | None = None) -> SharedWork:
    """One work from the (chosen article, entry) pairs found to be it: the first citation
    and the first of each identifier met, the chosen articles in the order given."""
    def first(values: Iterable[str]) -> str:
        return next((v for v in values if v), "")

    return SharedWork(0, first(e.citation for _s, e in group), first(e.doi for _s, e in group),
                      first(e.pmid for _s, e in group), first(e.pmcid for _s, e in group),
                      article_id, tuple(sorted({s for s, _e in group}, key=order.__getitem__)),
                      year=year, cited_by=cited_by)


def shared_identifiers(shared: SharedWorks, numbers: Sequence[int] | None,
                       at_least: int = 1) -> tuple[list[Identifier], list[ImportItem]]:
    """What to fetch the chosen works by (``numbers`` None: every one linked with at least
    ``at_least`` of the articles and not in the library yet), and a failed item for each
    chosen one that has no identifier, or that the listing does not have."""
    chosen = ([r.number for r in shared.shared_by(at_least) if not r.in_library]
              if numbers is None else list(dict.fromkeys(numbers)))
    what = {"references": "reference", "citing": "citing article",
            "similar": "similar article", "search": "result"}[shared.direction]
    return chosen_identifiers(
        chosen, {r.number: r for r in shared.works}, what,
        SharedWork.identifier,
        lambda r: f"no DOI or PMID to fetch it by: {r.citation[:60]}",
        f"the listing has {len(shared.works)} works")


__all__ = ["CitedEntry", "Direction", "SharedWork", "SharedWorks", "WorkGroups", "keys_of",
           "merged", "numbered",
           "shared_identifiers", "shared_references"]
