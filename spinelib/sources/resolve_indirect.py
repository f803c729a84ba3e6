"""Inputs known only through another identifier -> one resolution each, through their DOI
(or PMID): an Elsevier PII, a book's ISBN, an NCBI Bookshelf ID, a journal's article
address that names no DOI, or the citation of a work pasted without any identifier.

A PII (a ScienceDirect or Lancet link: :mod:`spinelib.pii`) is known to Crossref only, as
the ``alternative-id`` of the work it names (:mod:`spinelib.sources.crossref_pii`); an ISBN
as one of the ISBNs a book's record lists (:mod:`spinelib.sources.crossref_books`, for the
publishers that register their books); a Bookshelf ID (a StatPearls address:
:mod:`spinelib.bookshelf`) to PubMed, whose record of the document files it among its
article identifiers; a journal's article address naming the article's place, not its DOI
(:mod:`spinelib.journalpages`), to PubMed too, by that place; a citation ("Patchell RA,
Tibbs PA. Direct decompressive… Lancet. 2005;366:643-8.", :mod:`spinelib.citationtext`)
is looked up in Crossref's bibliographic search, its answer taken only when the citation
plainly agrees with it (:mod:`spinelib.sources.citation_match`), and one Crossref names
nothing for in PubMed's citation matcher, held to the same check
(:mod:`spinelib.sources.pubmed_citmatch`). So :func:`resolve_indirect` asks about those
first (PIIs a Crossref list request per 100, a PII Crossref lacks then searched in PubMed's
article identifiers; ISBNs a list request per 40; Bookshelf IDs a PubMed search each;
journal addresses a PubMed search and summary each; citations one search each, side by side
within Crossref's list limits, then PubMed's matcher 40 a request), then resolves the DOIs
(or PMIDs) it learned together with the other identifiers in one
:func:`~spinelib.sources.resolve.resolve_many` run: PubMed's record is preferred as for any
DOI, and Crossref's record for a PII or an ISBN, fetched already, is not asked for again.

Promises, those of ``resolve_many``: one :class:`Resolution` per input identifier, in input
order, each under the identifier given (so the importer's item, queue entry and report
speak of what the user pasted); one Crossref files no work under, or that no answer plainly
matches (a citation: neither Crossref's nor PubMed's), is ``not_found``, saying so;
Crossref (or, for a citation, PubMed) unreachable makes it ``offline`` (the importer queues
it, to be retried like any identifier); a cancel before its look-up makes it
``cancelled``. Without such inputs this is ``resolve_many`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from spinelib.errors import NetworkError
from spinelib.identifiers import FOUND_THROUGH_ANOTHER, Identifier
from spinelib.isbn import isbn13
from spinelib.journalpages import journal_page
from spinelib.sources.citation_match import find_dois
from spinelib.sources.crossref_batch import CrossrefAnswers, KeyedAnswers
from spinelib.sources.crossref_books import books_by_isbn
from spinelib.sources.crossref_pii import works_by_pii
from spinelib.sources.http import HttpClient
from spinelib.sources.lookups import CROSSREF, PUBMED, LookupFailure, Lookups, Resolution
from spinelib.sources.pubmed import search_aid, search_pii
from spinelib.sources.pubmed_citmatch import find_pmids
from spinelib.sources.pubmed_pages import pmids_at
from spinelib.sources.resolve import resolve_many

#: Inputs that reach a DOI (or PMID) through another look-up first.
INDIRECT = (*FOUND_THROUGH_ANOTHER, "citation")
_NOT_STARTED = "cancelled before it was looked up"


class _Indirect:
    """What the first look-ups settled: the inputs ended without a record (and why), the
    DOI (or PMID) each other one names, and Crossref's records fetched on the way (by DOI,
    handed to ``resolve_many`` so they are not fetched again). Its one ``lookups`` serves
    every first look-up: a service found unreachable by one (the PIIs' Crossref request)
    fails the next at once (the ISBNs'), without its timeouts and retries again."""

    def __init__(self, client: HttpClient) -> None:
        self.lookups = Lookups(client, with_references=False)
        self.settled: dict[Identifier, Resolution] = {}
        self.through: dict[Identifier, Identifier] = {}
        self.known = CrossrefAnswers()

    def end(self, idents: Sequence[Identifier], failure: LookupFailure) -> None:
        for ident in idents:
            self.settled[ident] = Resolution(ident, failure.status, message=failure.message)

    def keep(self, answers: KeyedAnswers) -> None:
        """Crossref's records and citation counts of a look-up by PII or ISBN."""
        for record in answers.records.values():
            self.known.records[record.doi.lower()] = record
        self.known.counts.update(answers.counts)


def resolve_indirect(client: HttpClient, identifiers: Sequence[Identifier], *,
                     with_references: bool = True,
                     progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> list[Resolution]:
    """Resolve ``identifiers``, PIIs, ISBNs and citations included; see the module
    docstring. A chapter found without its book's editors is given them, and the edition,
    from its book's record (:func:`_with_their_books`)."""
    wanted = list(dict.fromkeys(i for i in identifiers if i.kind in INDIRECT))
    if not wanted:
        out = resolve_many(client, identifiers, with_references=with_references,
                           progress=progress, cancelled=cancelled)
    else:
        out = _through_crossref(client, identifiers, wanted, with_references=with_references,
                                progress=progress, cancelled=cancelled)
    if not (cancelled or (lambda: False))():
        _with_their_books(client, out)
    return out


def _through_crossref(client: HttpClient, identifiers: Sequence[Identifier],
                      wanted: list[Identifier], *, with_references: bool,
                      progress: Callable[[int, int], None] | None,
                      cancelled: Callable[[], bool] | None) -> list[Resolution]:
    """:func:`resolve_indirect` of a round with PIIs, ISBNs or citations."""
    looked = _Indirect(client)
    stop = cancelled or (lambda: False)
    cited = [i for i in wanted if i.kind == "citation"]
    steps = _Steps(progress, len(dict.fromkeys(identifiers)), searching=bool(cited))
    _piis(client, [i for i in wanted if i.kind == "pii"], looked, stop)
    _isbns(client, [i for i in wanted if i.kind == "isbn"], looked, stop)
    _bookshelf(client, [i for i in wanted if i.kind == "nbk"], looked, stop)
    _journal_pages(client, [i for i in wanted if i.kind == "journalpage"], looked, stop)
    _citations(client, cited, looked, stop, steps.searched)
    rest = [looked.through.get(i, i) for i in identifiers if i not in looked.settled]
    resolved = iter(resolve_many(client, rest, with_references=with_references,
                                 progress=steps.fetched, cancelled=cancelled,
                                 known=looked.known))
    steps.fetched(1, 1)
    out: list[Resolution] = []
    for ident in identifiers:
        if ident in looked.settled:
            out.append(looked.settled[ident])
        else:
            res = next(resolved)
            out.append(replace(res, identifier=ident) if ident.kind in INDIRECT else res)
    return out


class _Steps:
    """A round's progress told in two parts when it has citations: their searches (one
    request each, seconds apiece within Crossref's limits, the long part of a reference
    list's import), then the fetch; in identifiers of the round, never going back."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int, *,
                 searching: bool) -> None:
        self.progress = progress
        self.total = total
        self.head = total // 2 if searching else 0

    def searched(self, asked: int, of: int) -> None:
        if self.progress is not None:
            self.progress(asked * self.head // max(of, 1), self.total)

    def fetched(self, done: int, of: int) -> None:
        if self.progress is not None:
            self.progress(self.head + done * (self.total - self.head) // max(of, 1),
                          self.total)


def _piis(client: HttpClient, piis: list[Identifier], looked: _Indirect,
          cancelled: Callable[[], bool]) -> None:
    """Crossref's works for ``piis``, by the alternative-id Elsevier deposits; for a PII it
    lacks, the PubMed record filing it."""
    answers = _crossref_answers(piis, partial(works_by_pii, client), looked, cancelled)
    if answers is None:
        return
    for pii in piis:
        record = answers.records.get(pii.value)
        if record is not None:
            looked.through[pii] = Identifier("doi", record.doi.lower())
        elif not cancelled():  # not deposited with Crossref: PubMed may file it
            _in_pubmed(client, pii, looked)
        else:
            looked.end([pii], LookupFailure("cancelled", _NOT_STARTED))


def _crossref_answers(idents: list[Identifier],
                      look: Callable[[list[str]], KeyedAnswers], looked: _Indirect,
                      cancelled: Callable[[], bool]) -> KeyedAnswers | None:
    """Crossref's answer to one look-up of ``idents`` by their values, its records kept for
    the fetch; None when there is none to ask, or each input has ended (a cancel before
    it, or the look-up failed)."""
    if not idents:
        return None
    if cancelled():
        looked.end(idents, LookupFailure("cancelled", _NOT_STARTED))
        return None
    try:
        answers = looked.lookups.call(CROSSREF, partial(look, [i.value for i in idents]))
    except LookupFailure as failure:
        looked.end(idents, failure)
        return None
    looked.keep(answers)
    return answers


def _isbns(client: HttpClient, isbns: list[Identifier], looked: _Indirect,
           cancelled: Callable[[], bool]) -> None:
    """Crossref's book records for ``isbns``, handed on so the DOI is not fetched again."""
    answers = _crossref_answers(isbns, partial(books_by_isbn, client), looked, cancelled)
    if answers is None:
        return
    for isbn in isbns:
        record = answers.records.get(isbn.value)
        if record is None:
            looked.end([isbn], LookupFailure("not_found", (
                f"Crossref files no book under {isbn} (publishers register DOIs for some of "
                "their books only); add it from a .bib or RIS file, or by hand")))
            continue
        looked.through[isbn] = Identifier("doi", record.doi.lower())


def _with_their_books(client: HttpClient, resolutions: Sequence[Resolution]) -> None:
    """Chapters found without editors but with their book's ISBN (Crossref's chapter records
    seldom carry the editors; the book's record does) take the editors, the edition, and
    the book's title and publisher where they lack them, from Crossref's book records: one
    list request per 40 books. Unreachable or unanswered, the chapters stay as found (a
    refresh asks again)."""
    chapters = [r.record for r in resolutions if r.record is not None
                and r.record.type == "chapter" and r.record.isbn and not r.record.editors]
    if not chapters:
        return
    try:
        books = Lookups(client, with_references=False).call(
            CROSSREF, partial(books_by_isbn, client, [c.isbn for c in chapters]))
    except LookupFailure:
        return
    for chapter in chapters:
        book = books.records.get(isbn13(chapter.isbn))
        if book is not None:
            chapter.editors, chapter.edition = book.editors, chapter.edition or book.edition
            chapter.book_title = chapter.book_title or book.title
            chapter.publisher = chapter.publisher or book.publisher


def _bookshelf(client: HttpClient, nbks: list[Identifier], looked: _Indirect,
               cancelled: Callable[[], bool]) -> None:
    """The PubMed record of each Bookshelf document, by its ID among the article identifiers
    (one search each, within NCBI's limits; a reference list holds a few)."""
    for nbk in nbks:
        if cancelled():
            looked.end([nbk], LookupFailure("cancelled", _NOT_STARTED))
            continue
        _filed_in_pubmed(nbk, partial(search_aid, client, nbk.value), looked, (
            f"PubMed has no record of the Bookshelf document {nbk.value} (it lists most, not "
            "all); paste the PMID its page shows instead"))


def _journal_pages(client: HttpClient, pages: list[Identifier], looked: _Indirect,
                   cancelled: Callable[[], bool]) -> None:
    """The PubMed record each journal's article address names by its place (one search and
    one summary each, within NCBI's limits: :mod:`spinelib.sources.pubmed_pages`)."""
    for ident in pages:
        page = journal_page(ident.value)
        if page is None:  # never: the input was read as one
            looked.end([ident], LookupFailure("not_found", f"{ident.value!r} names no article"))
            continue
        if cancelled():
            looked.end([ident], LookupFailure("cancelled", _NOT_STARTED))
            continue
        _filed_in_pubmed(ident, partial(pmids_at, client, page), looked, (
            f"PubMed has no article that plainly is the one at {page.describe()} (an article "
            "published online first is not there yet); paste the DOI its page shows "
            "instead"))


def _in_pubmed(client: HttpClient, pii: Identifier, looked: _Indirect) -> None:
    """The PubMed record filing ``pii`` among its article identifiers, when exactly one does."""
    _filed_in_pubmed(pii, partial(search_pii, client, pii.value), looked, (
        f"neither Crossref nor PubMed files a work under Elsevier's {pii}; paste the "
        "article's DOI or PMID instead"))


def _filed_in_pubmed(ident: Identifier, search: Callable[[], list[str]], looked: _Indirect,
                     not_found: str) -> None:
    """Go on with the PMID ``search`` finds for ``ident`` when it finds exactly one; else end
    ``ident`` as ``not_found`` (or as the search failed)."""
    try:
        pmids = looked.lookups.call(PUBMED, search)
    except LookupFailure as failure:
        looked.end([ident], failure)
        return
    if len(pmids) == 1:
        looked.through[ident] = Identifier("pmid", pmids[0])
    else:
        looked.end([ident], LookupFailure("not_found", not_found))


def _citations(client: HttpClient, cited: list[Identifier], looked: _Indirect,
               cancelled: Callable[[], bool], progress: Callable[[int, int], None]) -> None:
    """The DOI of the work each citation plainly names, by Crossref's bibliographic search;
    for those Crossref names nothing for, the PMID PubMed's citation matcher finds."""
    if not cited:
        return
    search = find_dois(client, list(enumerate(c.value for c in cited)), cancelled=cancelled,
                       progress=progress)
    unnamed: list[tuple[int, Identifier]] = []
    for n, ident in enumerate(cited):
        doi, failure = search.found.get(n), search.failures.get(n)
        if doi:
            looked.through[ident] = Identifier("doi", doi.lower())
        elif isinstance(search.error, NetworkError):  # unreachable: asked again when back
            looked.end([ident], LookupFailure("offline", str(search.error)))
        elif failure is not None:
            looked.end([ident], LookupFailure("failed", str(failure)))
        elif cancelled():
            looked.end([ident], LookupFailure("cancelled", _NOT_STARTED))
        else:
            unnamed.append((n, ident))
    _in_pubmed_citations(client, unnamed, looked)


def _in_pubmed_citations(client: HttpClient, unnamed: list[tuple[int, Identifier]],
                         looked: _Indirect) -> None:
    """Go on with the PMID PubMed's citation matcher finds for each citation Crossref named
    nothing for (:mod:`spinelib.sources.pubmed_citmatch`); end the others as not found,
    or as PubMed's look-up failed (offline: asked again, Crossref too, when back)."""
    if not unnamed:
        return
    try:
        pmids = looked.lookups.call(PUBMED, partial(
            find_pmids, client, [(n, ident.value) for n, ident in unnamed]))
    except LookupFailure as failure:
        looked.end([ident for _, ident in unnamed], LookupFailure(failure.status, (
            "Crossref has no work this citation plainly names, and PubMed's citation "
            f"matcher could not be asked: {failure.message}")))
        return
    for n, ident in unnamed:
        if n in pmids:
            looked.through[ident] = Identifier("pmid", pmids[n])
        else:
            looked.end([ident], LookupFailure("not_found", (
                "neither Crossref nor PubMed has a work this citation plainly names (its "
                "first author, year, and title or volume and first page); import it by "
                "DOI or PMID")))
