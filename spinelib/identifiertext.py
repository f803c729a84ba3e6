"""Identifiers in pasted text: one result per identifier, or per line that holds none.

What the import dialog's preview, the CLI's ``import -`` and lists of identifiers in files
read (:mod:`spinelib.identifierfiles`). The promise of :func:`find_identifiers`: only
unmistakable forms are taken from inside a longer line, and a line that yields nothing comes
back with the reason, so nothing pasted is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinelib.bookshelf import ID_IN_TEXT_RE
from spinelib.citationtext import LIST_NUMBER_RE, byline_start, citation_in
from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import DOI_IN_TEXT_RE, Identifier, Kind, parse_fetchable
from spinelib.pii import LABELLED_PII_RE, PRINTED_PII_RE


@dataclass(frozen=True)
class Found:
    """One piece of pasted text and what it was recognised as (or why not)."""

    text: str
    identifier: Identifier | None
    reason: str = ""


_PMID_LABELLED_RE = re.compile(r"\bPMID\s*[:#-]?\s*(\d{1,8})\b", re.I)
#: A DOI inside a line, up to the citation's next word when text copied without its spaces
#: runs it on after a dot ("…2020.01.001.Epub 2020", "…0000003456.PMID: 32000000"): no
#: DOI ends in such a word, and the word's own identifier (the PMID) is read after it.
_DOI_IN_LINE_RE = re.compile(
    r"\b10\.\d{4,9}(?:\.\d+)*/(?:(?!\.(?:Epub|PMID|PMCID|eCollection|Available|Accessed"
    r"|Published|Retrieved)\b)[^\s\"'<>])+")
_PMCID_IN_TEXT_RE = re.compile(r"\bPMC\d{1,9}\b", re.I)
_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.I)
#: PubMed's, PMC's and Europe PMC's addresses written without ``https://`` inside a line
#: ("Available from: pubmed.ncbi.nlm.nih.gov/16112300/"): hosts no other text starts with.
_BARE_NCBI_URL_RE = re.compile(
    r"(?<![\w./])(?:www\.)?(?:(?:pubmed|pmc)\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov|pubmed\.gov"
    r"|europepmc\.org)/[^\s<>\"']+", re.I)
#: The patterns of addresses, whose matches may run on into the sentence's punctuation.
_URL_RES = (_URL_RE, _BARE_NCBI_URL_RE)
#: A book's ISBN labelled inside a line ("… 4th ed. Elsevier; 2017. ISBN 978-0-323-40030-5").
_ISBN_LABELLED_RE = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*\d[\d -]{8,15}[\dXx]\b", re.I)


def _hits_in_line(line: str) -> list[tuple[int, int, Found]]:
    """The unmistakable identifiers inside a longer line with their spans, in the order they
    stand: URLs first (a DOI inside a URL belongs to the URL), then DOIs, ``PMID: n``,
    ``PMCn``, Elsevier PIIs, labelled or printed (one inside a DOI belongs to the DOI), and
    labelled ISBNs and Bookshelf IDs ("NBK441938")."""
    hits: list[tuple[int, int, Found]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b, _found in hits)

    for rx in (_URL_RE, _BARE_NCBI_URL_RE, _DOI_IN_LINE_RE, _PMID_LABELLED_RE,
               _PMCID_IN_TEXT_RE, LABELLED_PII_RE, PRINTED_PII_RE, _ISBN_LABELLED_RE,
               ID_IN_TEXT_RE):
        for m in rx.finditer(line):
            if not free(m.span()):
                continue
            text = _prose_end_off(m.group(0)) if rx in _URL_RES else m.group(0)
            try:
                found = Found(text, parse_fetchable(text))
                hits.append((m.start(), m.start() + len(text), found))
            except InvalidIdentifier:
                continue
    return sorted(hits, key=lambda h: h[0])


def _prose_end_off(url: str) -> str:
    """An address found in prose without the sentence's punctuation after it ("(see
    https://pubmed.ncbi.nlm.nih.gov/16112300/)."): a closing bracket the address does not
    open, and a stop, comma or colon; an address's own balanced brackets stay
    ("…/S0140-6736(05)66954-1")."""
    while url:
        last = url[-1]
        opening = {")": "(", "]": "["}.get(last)
        if last in ".,;:!?" or (opening and url.count(opening) < url.count(last)):
            url = url[:-1]
        else:
            return url
    return url


#: Which of one work's identifiers to fetch it by (a reference line's, a CSV row's): a PMID
#: brings PubMed's full record (its DOI and PMCID with it), then a DOI, then a PMCID.
WORK_KINDS: tuple[Kind, ...] = ("pmid", "doi", "pmcid")
#: The same order for a pasted line, where a PII (known only to Crossref) comes last.
_FETCH_ORDER: tuple[Kind, ...] = (*WORK_KINDS, "nbk", "pii", "journalpage", "isbn",
                                  "citation")
#: What may stand between one work's identifiers at a reference's end, as PubMed's and
#: the AMA's citations write them ("doi: 10.1016/j.x. Epub 2014 Jun 12. PMID: 24930701;
#: PMCID: PMC4098789."): labels, an Epub date, punctuation. Any other word ("see PMID: 1
#: and doi 10.5555/zz") means the identifiers are of different works.
_BETWEEN_ONE_WORKS = re.compile(
    r"(?:[\s.,;:\[\]]|\b(?:PMCID|Bookshelf ID|Epub|ahead of print|Jan|Feb|Mar|Apr|May|Jun"
    r"|Jul|Aug|Sep|Oct|Nov|Dec|\d+)\b)*")


def _one_work(line: str, hits: list[tuple[int, int, Found]]) -> list[Found]:
    """A line's identifiers, or the one that stands for them all when they name one work:
    at most one of each kind, next to each other as a reference ends ("… doi:
    10.1634/theoncologist.2012-0293. PMID: 23709750; PMCID: PMC4063402.")."""
    found = [f for _a, _b, f in hits]
    kinds = [f.identifier.kind for f in found if f.identifier is not None]
    if len(kinds) < 2 or len(set(kinds)) < len(kinds):
        return found
    gaps = (line[end:start] for (_a, end, _f), (start, _b, _g) in zip(hits, hits[1:]))
    if not all(_BETWEEN_ONE_WORKS.fullmatch(gap) for gap in gaps):
        return found
    return [min(found, key=lambda f: _FETCH_ORDER.index(f.identifier.kind)
                if f.identifier is not None else len(_FETCH_ORDER))]


def find_identifiers(text: str) -> list[Found]:
    """Recognise identifiers in pasted text, one result per identifier or per unusable line.

    A line that is itself one identifier (``12345``, ``PMC1``, a DOI or URL) is taken whole.
    Inside longer lines only unmistakable forms are taken: DOIs (``10.xxxx/…``), ``PMID: n``,
    ``PMCn``, URLs and Elsevier PIIs (``PII: S…`` or printed ``S0140-6736(05)66954-1``); a
    line giving one work's DOI, PMID and PMCID (a reference) gives its PMID alone
    (:func:`_one_work`). A line holding none that reads as a reference's citation
    ("Patchell RA, Tibbs PA. Direct decompressive… Lancet. 2005;366:643-8.") is that
    citation, to be looked up in Crossref; a reference a PDF or a narrow window wrapped over
    several lines is joined first (:func:`_references`). A number in running text is never
    taken as a PMID; a line of neither is reported with the reason instead. Duplicates are
    dropped, first occurrence kept.
    """
    out: list[Found] = []
    seen: set[Identifier] = set()
    lines = _unbroken([raw.strip() for raw in text.splitlines()])
    joined = _references([line.strip("•*-–").strip() for line in lines])
    among_references = sum(1 for line in joined if citation_in(line)) >= 2
    for line in joined:
        if among_references and _PAGE_NUMBER_RE.fullmatch(line):
            out.append(Found(line, None, f"'{line}', a number alone among references (a page "
                                         f"number?), is not taken as a PMID; write PMID: "
                                         f"{line} to import it"))
            continue
        try:
            found_here = [Found(line, parse_fetchable(line))]
        except InvalidIdentifier as exc:
            found_here = (_numbered(line) or _one_work(line, _hits_in_line(line))
                          or _cited(line) or [Found(line, None, str(exc))])
        for found in found_here:
            if found.identifier is None or found.identifier not in seen:
                out.append(found)
                if found.identifier is not None:
                    seen.add(found.identifier)
    return out


def reference_lines(text: str) -> list[str]:
    """``text``'s lines as :func:`find_identifiers` reads them: a line a PDF broke inside a
    word or a DOI joined to the next, a reference wrapped over several lines joined into
    one, bullets taken off; blank lines dropped."""
    lines = _unbroken([raw.strip() for raw in text.splitlines()])
    return [line for line in _references([ln.strip("•*-–").strip() for ln in lines]) if line]


def identifiers_in_line(line: str) -> list[Identifier]:
    """The unmistakable identifiers inside ``line`` (DOIs, labelled PMIDs, PMCIDs, PubMed
    and doi.org addresses, PIIs…), in the order they stand."""
    return [f.identifier for _a, _b, f in _hits_in_line(line) if f.identifier is not None]


#: A line a PDF broke after a dash inside a word, a number or a DOI ("decom-", "3072-",
#: "10.1016/S0140-"), and a next line that goes on with it.
_BROKEN_AT_DASH = re.compile(r"[A-Za-z0-9][-\u2010\u2013]$")
_GOES_ON = re.compile(r"[A-Za-z0-9(]")


def unbroken_text(text: str) -> str:
    """``text``'s lines, stripped, with each one a PDF broke inside a word, a number or a DOI
    joined to the next (:func:`_unbroken`): what a PDF's page is searched for its DOI in."""
    return "\n".join(_unbroken([raw.strip() for raw in text.splitlines()]))


def _unbroken(lines: list[str]) -> list[str]:
    """``lines`` with each one a PDF broke after a dash inside a word or an identifier
    joined to the next, dash kept and no space: "S0140-" + "6736(05)66954-1" is one DOI
    again (it was taken as "10.1016/S0140", a DOI of nothing), "3072-" + "7." a page range
    (its "7." was taken as PMID 7), "neo-" + "plastic" the title's word (as "neo-plastic",
    which :func:`~spinelib.citationtext.holds_title` reads as "neoplastic" too)."""
    out: list[str] = []
    for line in lines:
        if out and ((_BROKEN_AT_DASH.search(out[-1]) and _GOES_ON.match(line))
                    or _doi_goes_on(out[-1], line)):
            out[-1] += line
        else:
            out.append(line)
    return out


#: A DOI at a line's end, cut after a dot or a slash ("https://doi.org/10.1016/j.spinee."),
#: or right after its prefix's slash, as AMA references wrap in a PDF ("doi:10.3171/").
_DOI_CUT = re.compile(rf"(?:{DOI_IN_TEXT_RE.pattern}(?<=[./])|\b10\.\d{{4,9}}(?:\.\d+)*/)$")
#: What a cut DOI's rest starts with: no label, a digit in it ("2019.01.001", "01.001").
_DOI_REST = re.compile(r"(?!(?:pmid|pmc|doi|https?|www)\b)(?=\S*\d)[A-Za-z0-9][^\s\"'<>]*",
                       re.I)


def _doi_goes_on(before: str, line: str) -> bool:
    """Whether ``line`` is the rest of a DOI a PDF cut after a dot or a slash at the end of
    ``before`` (Elsevier's "10.1016/j.spinee." / "2019.01.001" was taken as the DOI
    "10.1016/j.spinee", nobody's). A dot there may also be a reference's last full stop, so
    only a line that is nothing on its own goes on: no identifier, citation, list or page
    number, or byline; and its first word has a digit and no label."""
    if not _DOI_CUT.search(before) or not _DOI_REST.match(line):
        return False
    return not (_is_identifier(line) or citation_in(line) or _hits_in_line(line)
                or LIST_NUMBER_RE.match(line) or byline_start(line)
                or _PAGE_NUMBER_RE.fullmatch(line))


#: A number a PDF's page gives among references (its page number, a running head's year).
_PAGE_NUMBER_RE = re.compile(r"\d{1,4}")


def _numbered(line: str) -> list[Found]:
    """A numbered list's line holding one identifier after its number ("1. 16112300", as a
    list of PMIDs is numbered, or its number on the line above): that identifier."""
    number = LIST_NUMBER_RE.match(line)
    rest = line[number.end():].strip() if number else ""
    if not rest or _PAGE_NUMBER_RE.fullmatch(rest):  # "3. 2010": no PMID of four digits
        return []
    try:
        return [Found(line, parse_fetchable(rest))]
    except InvalidIdentifier:
        return []


def _cited(line: str) -> list[Found]:
    """The line as a citation to look up, when it reads as one (:mod:`spinelib.citationtext`)."""
    cited = citation_in(line)
    return [Found(line, Identifier("citation", cited))] if cited else []


def parse_input(text: str) -> Identifier:
    """One import input (a command-line argument, a queued entry): what
    :func:`~spinelib.identifiers.parse_fetchable` takes, else the citation of a work without
    an identifier (when the text holds none: one inside it is what a line gives);
    InvalidIdentifier with parse_fetchable's reason otherwise."""
    try:
        return parse_fetchable(text)
    except InvalidIdentifier:
        if isinstance(text, str) and not _hits_in_line(text):
            found = _cited(text)
            if found and found[0].identifier is not None:
                return found[0].identifier
        raise


#: APA's year after the byline, "(2011)": the title and the source follow it.
_APA_YEAR = re.compile(r"\((?:1[89]|20)\d\d[a-z]?\)")


def _apa_unfinished(ref: str) -> bool:
    """An APA reference not yet at its source: no number (volume, pages) after its year."""
    years = list(_APA_YEAR.finditer(ref))
    return bool(years) and re.search(r"\d", ref[years[-1].end():]) is None


#: A reference list's number and nothing else: "1.", "[2]", "(3)", "4)".
_LIST_NUMBER_ALONE = re.compile(r"\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)]")


def _references(lines: list[str]) -> list[str]:
    """The pasted lines, a reference wrapped over several joined into one: a line that
    starts a reference (a list number, when the list is numbered; else a byline) opens one,
    and the lines after it that neither start another nor are an identifier alone continue
    it while it is unfinished; a blank line ends it. In a numbered list an identifier alone
    on a line ends the reference above it (AMA's "doi:…" wrapped by a PDF: the next
    reference would start with its number). Any other line stands alone."""
    numbered = sum(1 for line in lines if LIST_NUMBER_RE.match(line)) >= 2
    out: list[str] = []
    open_ref: str | None = None
    for line in lines:
        whole = bool(line) and _is_identifier(line)
        # Only while it still lacks what a citation has (its year, eight words, an APA
        # reference's source) or an identifier: a note after a complete reference, even
        # in a numbered list, stays its own line.
        unfinished = open_ref is not None and (
            _apa_unfinished(open_ref)
            or not (citation_in(open_ref) or _hits_in_line(open_ref)))
        # Without numbers, a byline cut after a comma goes on; so does one whose first name
        # is written out while the reference above lacks its year: Chicago names
        # co-authors given name first, so a line wrapped within a name ("… Peter / Paul
        # Varga, Frank D. Vrionis, …") reads as a first author's byline. (A year-less
        # reference above a Vancouver or APA byline stays its own line, as before.)
        byline = "" if numbered else byline_start(line)
        starts = (LIST_NUMBER_RE.match(line) is not None if numbered
                  else bool(byline) and not (open_ref or "").endswith(",")
                  and not (unfinished and byline == "given"))
        if unfinished and line and not whole and not starts:
            open_ref = f"{open_ref} {line}"
            continue
        if whole and numbered and open_ref is not None and not starts:
            out.append(f"{open_ref} {line}")
            open_ref = None
            continue
        if open_ref is not None:
            out.append(open_ref)
            open_ref = None
        if starts and (not whole or _LIST_NUMBER_ALONE.fullmatch(line)):
            # A list number on a line of its own (a PDF's number column) opens its reference,
            # never a PMID: "1." was imported as PMID 1.
            open_ref = line
        elif line:
            out.append(line)
    if open_ref is not None:
        out.append(open_ref)
    return out


def _is_identifier(line: str) -> bool:
    try:
        parse_fetchable(line)
    except InvalidIdentifier:
        return False
    return True
