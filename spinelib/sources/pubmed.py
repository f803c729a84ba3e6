"""PubMed through NCBI E-utilities: efetch XML -> :class:`~spinelib.records.ArticleRecord`.

Two halves:

* **Pure parsing** (:func:`parse_pubmed_xml`, :func:`iter_pubmed_file`, :func:`parse_esearch`,
  :func:`parse_idconv`): bytes in, records out, no network. XML is read with defusedxml
  (entity declarations are refused) and streamed with ``iterparse`` so a saved file of tens of
  thousands of records needs neither quadratic work nor the whole tree in memory.
* **Network** (:func:`fetch_pmids`, :func:`search_doi`, :func:`convert_ids`): thin calls through
  :class:`~spinelib.sources.http.HttpClient`, which owns retries, rate limits and timeouts.
  Every E-utilities call carries ``tool=spinelib`` plus the user's email and API key when set
  (NCBI's usage policy asks for both).

The PubMed DTD (pubmed_250101) shapes this code: ``PubmedArticle`` (MedlineCitation +
PubmedData) and ``PubmedBookArticle`` (BookDocument + PubmedBookData), dates as
Year/Month/Day, Season or free-text MedlineDate, and inline markup (``i``, ``sup``, ``sub``,
MathML) inside titles and abstracts, which we flatten to readable text.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml.common import DefusedXmlException

from spinelib.errors import FormatError, InvalidIdentifier, ServiceError
from spinelib.identifiers import DOI_IN_TEXT_RE, parse_identifier
from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Sent as ``tool=`` on every NCBI call (no spaces, per the E-utilities policy).
TOOL = "spinelib"
#: PMIDs per efetch request; NCBI recommends POST beyond a couple of hundred ids.
EFETCH_BATCH = 200
#: Above this many ids a request is sent as POST so the URL stays short.
POST_THRESHOLD = 50
#: The PMC ID converter takes at most 200 ids per call.
IDCONV_BATCH = 200

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
#: PublicationType values (MeSH publication types) that decide ArticleRecord.type.
REVIEW_TYPES = {"review", "systematic review", "scoping review"}
ERRATUM_TYPE = "published erratum"
RETRACTED_TYPE = "retracted publication"
PREPRINT_TYPE = "preprint"
#: CommentsCorrections RefType values that flag the article itself.
RETRACTION_REFS = {"RetractionIn"}
ERRATUM_REFS = {"ErratumIn"}
#: An ELocationID pii is used as pages only when it looks like an article number.
ARTICLE_NUMBER_RE = re.compile(r"^e?\d{1,8}$")
YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")
#: Already-normal identifiers (the usual case in efetch output), checked without the
#: general parser. A DOI qualifies only when it cannot end in prose punctuation.
_FAST = {
    "pmid": re.compile(r"^(\d{1,8})$"),
    "pmcid": re.compile(r"^PMC(\d{1,9})$"),
    "doi": re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[!-$&-~]*[A-Za-z0-9]$"),  # no % (escapes)
}


# ------------------------------------------------------------------------------------------
# Parsing efetch XML
# ------------------------------------------------------------------------------------------

def parse_pubmed_xml(data: bytes, *, origin: str = "the PubMed data") -> list[ArticleRecord]:
    """Every article in an efetch ``PubmedArticleSet`` document, in document order.

    An empty set gives ``[]``. Raises :class:`~spinelib.errors.FormatError` (naming
    ``origin``) for an HTML page, JSON, an NCBI ``<ERROR>`` reply, truncated or malformed XML,
    entity declarations (refused for safety) or a root that is not ``PubmedArticleSet``.
    """
    _sniff(data[:2048], origin, whole=data)
    # Building thousands of records makes millions of small objects and no cycles; the
    # cyclic collector would rescan the growing list again and again (a third of the time
    # on a 10,000-record file), so it waits until the list is built.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return list(_iter_records(io.BytesIO(data), origin, data[:65536]))
    finally:
        if was_enabled:
            gc.enable()


def iter_pubmed_file(path: str | Path) -> Iterator[ArticleRecord]:
    """Stream the records of a saved efetch file (``.xml`` or ``.xml.gz``) without network.

    Records come one at a time, so a file of thousands of articles never sits in memory as a
    tree. Errors are :class:`~spinelib.errors.FormatError` naming the file; records before a
    truncation point have already been yielded when it is raised.
    """
    path = Path(path)
    try:
        with _open_binary(path) as fh:
            head = fh.peek(65536)[:65536]
            _sniff(head[:2048], path.name)
            yield from _iter_records(fh, path.name, head)
    except (OSError, EOFError) as exc:
        raise FormatError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _open_binary(path: Path) -> io.BufferedReader | gzip.GzipFile:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def _sniff(head: bytes, origin: str, *, whole: bytes | None = None) -> None:
    """Reject what is plainly not PubMed XML before the parser gives a cryptic error."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text:
        raise FormatError(f"{origin} is empty")
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        raise FormatError(f"{origin} is a web page, not PubMed XML "
                          "(the service may be down or behind a login page)")
    if text.startswith((b"{", b"[")):
        detail = ""
        if whole is not None:
            try:
                payload = json.loads(whole)
                if isinstance(payload, dict) and isinstance(payload.get("error"), str):
                    detail = f": {payload['error'][:200]}"
            except ValueError:
                pass
        raise FormatError(f"{origin} is JSON, not PubMed XML{detail}")
    if not text.startswith(b"<"):
        raise FormatError(f"{origin} is not XML")


#: The first element name after the prolog (XML declaration, comments, DOCTYPE).
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PROLOG_RE = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*",
                        re.S)


def _root_tag(head: bytes) -> str:
    """The document element's name, read from the head of the document ("" if not there)."""
    head = head.lstrip(b"\xef\xbb\xbf")
    m = _ROOT_RE.match(head, _PROLOG_RE.match(head).end())  # type: ignore[union-attr]
    return m.group(1).decode("ascii", "replace") if m else ""


def _iter_records(stream: io.BufferedIOBase, origin: str, head: bytes) -> Iterator[ArticleRecord]:
    # Only "end" events: start events would double the parser's Python callbacks (half the
    # parse time on big files), and the root is known from the document's head.
    root_tag = _root_tag(head)
    if root_tag not in ("PubmedArticleSet", "eFetchResult"):
        shown = f"<{_local(root_tag)}>" if root_tag else "not found near the start"
        raise FormatError(f"{origin} is XML but not a PubMed article set "
                          f"(its root element is {shown})")
    try:
        for _event, elem in DET.iterparse(stream, events=("end",)):
            tag = elem.tag
            if root_tag == "eFetchResult":
                if tag == "eFetchResult":
                    message = _text(elem.find("ERROR")) or "no details given"
                    raise FormatError(f"PubMed answered with an error: {message[:200]}")
                continue
            if tag == "PubmedArticle":
                yield _journal_article(elem)
                elem.clear()  # each finished record is dropped: memory stays flat
            elif tag == "PubmedBookArticle":
                yield _book_article(elem)
                elem.clear()
            elif tag == "DeleteCitation":
                elem.clear()
    except ParseError as exc:
        raise FormatError(f"{origin} is truncated or not well-formed XML ({exc})") from None
    except DefusedXmlException:
        raise FormatError(f"{origin} declares XML entities; SpineLib refuses to expand them "
                          "for safety") from None


# -- text helpers ---------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _text(elem: Element | None) -> str:
    """All text inside ``elem``, inline markup and MathML flattened, whitespace collapsed."""
    if elem is None:
        return ""
    if not len(elem):  # the common case: plain text, no markup inside
        return " ".join(elem.text.split()) if elem.text else ""
    parts: list[str] = []
    _collect(elem, parts)
    return _squash("".join(parts))


def _collect(elem: Element, out: list[str]) -> None:
    if elem.text:
        out.append(elem.text)
    for child in elem:
        if child.tag == MATHML_NS + "math":
            out.append(_mathml(child))
        else:
            _collect(child, out)
        if child.tail:
            out.append(child.tail)


def _mathml(elem: Element) -> str:
    """Readable linear text for a MathML fragment: ``³He`` style scripts become ``3He``.

    Whitespace between MathML elements is layout, not content, so only token elements
    contribute text. Prescripts (``mmultiscripts`` after ``mprescripts``) come first, as
    isotopes are written.
    """
    tag = _local(elem.tag)
    if tag in ("mi", "mn", "mo", "ms"):
        return "".join(elem.itertext()).strip()
    if tag == "mtext":
        text = "".join(elem.itertext())
        return " " if text and not text.strip() else _squash(text)
    if tag in ("none", "mprescripts", "annotation", "annotation-xml"):
        return ""
    children = list(elem)
    if tag == "semantics":
        return _mathml(children[0]) if children else ""
    if tag == "mmultiscripts" and children:
        rest = children[1:]
        split = next((i for i, c in enumerate(rest) if _local(c.tag) == "mprescripts"),
                     len(rest))
        pre = "".join(_mathml(c) for c in rest[split + 1:])
        post = "".join(_mathml(c) for c in rest[:split])
        return pre + _mathml(children[0]) + post
    if tag == "mfrac" and len(children) == 2:
        return f"{_mathml(children[0])}/{_mathml(children[1])}"
    if tag == "msqrt":
        return "√" + "".join(_mathml(c) for c in children)
    return "".join(_mathml(c) for c in children)


def _findtext(elem: Element | None, path: str) -> str:
    return _text(elem.find(path)) if elem is not None else ""


# -- identifiers ----------------------------------------------------------------------------

def _norm(kind: str, raw: str) -> str:
    """Normalised identifier of ``kind`` from untrusted text, or '' when it is not one.

    The common clean forms take a fast path (reference lists hold tens of ids per record
    and big files hold thousands of records); anything else goes through
    :func:`~spinelib.identifiers.parse_identifier`, the one authority on identifiers.
    """
    raw = raw.strip()
    if not raw:
        return ""
    if kind == "pmcid" and raw.isdigit():
        raw = "PMC" + raw
    fast = _FAST[kind].match(raw)
    if fast:
        if kind == "doi":
            return raw.lower()
        value = int(fast.group(1))
        if value:
            return str(value) if kind == "pmid" else f"PMC{value}"
    try:
        ident = parse_identifier(raw)
    except InvalidIdentifier:
        return ""
    return ident.value if ident.kind == kind else ""


def _article_ids(id_list: Element | None) -> dict[str, str]:
    """doi/pmid/pmcid (normalised) from an ``ArticleIdList``; first valid of each kind wins."""
    out: dict[str, str] = {}
    if id_list is None:
        return out
    kinds = {"doi": "doi", "pubmed": "pmid", "pmc": "pmcid"}
    for aid in id_list.findall("ArticleId"):
        kind = kinds.get(aid.get("IdType", ""))
        if kind and kind not in out:
            value = _norm(kind, _text(aid))
            if value:
                out[kind] = value
    return out


def _orcid(raw: str) -> str:
    """Bare ``0000-0002-1825-0097`` from a URL or undashed form; '' when malformed.

    The last character is an ISO 7064 MOD 11-2 check digit; a typo'd iD is worse than none.
    """
    digits = re.sub(r"[^0-9X]", "", raw.rsplit("/", 1)[-1].upper())
    if len(digits) != 16 or not digits[:15].isdigit():
        return ""
    total = 0
    for ch in digits[:15]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    if digits[15] != ("X" if check == 10 else str(check)):
        return ""
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


# -- dates and pages ------------------------------------------------------------------------

def _month(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return MONTHS.get(text[:3])


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _date(elem: Element | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from a PubDate/ArticleDate-like element.

    Season: month from a month range ("Jan-Mar" -> 1), none for "Spring" etc. (which months
    depend on the hemisphere). MedlineDate ("2019 Nov-Dec", "1998 Dec-1999 Jan") gives the
    first year and the first month named after it.
    """
    if elem is None:
        return None, None, None
    year = _int(_findtext(elem, "Year"))
    month = _month(_findtext(elem, "Month"))
    day = _int(_findtext(elem, "Day")) if month else None
    if day is not None and not 1 <= day <= 31:
        day = None
    if month is None:
        season = _findtext(elem, "Season")
        if season:
            month = _month(re.split(r"[-/\s]", season)[0])
    medline = _findtext(elem, "MedlineDate")
    if year is None and medline:
        m = YEAR_RE.search(medline)
        if m:
            year = int(m.group(1))
            word = re.search(r"[A-Za-z]{3,}", medline[m.end():])
            month = _month(word.group(0)) if word else None
    return year, month, day


def _expand_range(m: re.Match[str]) -> str:
    start, end = m.group(1), m.group(2)
    if len(end) < len(start):
        full = start[: len(start) - len(end)] + end
        if int(full) >= int(start):
            return f"{start}-{full}"
    return m.group(0)


def expand_pages(text: str) -> str:
    """MEDLINE abbreviates page ranges ("113-25"); write them out ("113-125").

    Only plain numeric ranges are touched; "e91-e220", "R67-99" and article numbers stay
    as published.
    """
    return re.sub(r"(?<![\w.])(\d+)-(\d+)(?![\w.])", _expand_range, _squash(text))


def _pages(article: Element) -> str:
    pagination = article.find("Pagination")
    medline = _findtext(pagination, "MedlinePgn")
    if medline:
        return expand_pages(medline)
    start, end = _findtext(pagination, "StartPage"), _findtext(pagination, "EndPage")
    if start:
        return f"{start}-{end}" if end and end != start else start
    for loc in article.findall("ELocationID"):
        value = _text(loc)
        if loc.get("EIdType") == "pii" and ARTICLE_NUMBER_RE.match(value):
            return value
    return ""


# -- people, subjects, references ----------------------------------------------------------

def _authors(author_list: Element | None) -> list[Author]:
    out: list[Author] = []
    if author_list is None:
        return out
    for a in author_list.findall("Author"):
        # ValidYN="N" marks a name NLM recorded in error and kept only for history.
        if a.get("ValidYN", "Y") == "N":
            continue
        family = _findtext(a, "LastName")
        given = _findtext(a, "ForeName")
        suffix = _findtext(a, "Suffix")
        if suffix:
            # records.Author has no suffix field; keep it with the given names.
            given = f"{given} {suffix}".strip()
        orcid = ""
        for ident in a.findall("Identifier"):
            if ident.get("Source", "").upper() == "ORCID":
                orcid = _orcid(_text(ident))
                break
        author = Author(family=family, given=given, initials=_findtext(a, "Initials"),
                        collective="" if family else _findtext(a, "CollectiveName"),
                        orcid=orcid)
        if author.family or author.collective:
            out.append(author)
    return out


def _author_list(parent: Element | None, kind: str = "authors") -> Element | None:
    """The AuthorList of ``kind`` (a list without Type counts as authors)."""
    if parent is None:
        return None
    for al in parent.findall("AuthorList"):
        if al.get("Type", "authors") == kind:
            return al
    return None


#: Section headings some publishers run into the text of an unlabelled abstract, e.g.
#: "Study DesignRetrospective cohort study.ObjectiveIn general…" (Global Spine J records).
_RUN_IN_HEADING_RE = re.compile(
    r"(?:^|(?<=[.?!)]))(Study Design|Design|Background|Objectives?|Purpose|Introduction|"
    r"Methods|Materials and Methods|Results|Conclusions?|Summary of Background Data|"
    r"Level of Evidence)(?=[A-Z(])")


def _split_run_in_headings(text: str) -> list[str]:
    """Turn run-in headings into 'Heading: text' paragraphs; other text is left alone.

    Only a known heading glued to a capitalised word at the start or right after a sentence
    end counts, so ordinary prose ("…Methods were…") is never split.
    """
    starts = [m for m in _RUN_IN_HEADING_RE.finditer(text)]
    if len(starts) < 2 or starts[0].start() != 0:
        return [text]
    paragraphs = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[m.end():end].strip()
        if body:
            paragraphs.append(f"{m.group(1).upper()}: {body}")
    return paragraphs


def _abstract(abstract: Element | None) -> str:
    """Plain abstract; structured sections as 'LABEL: text' paragraphs split by blank lines."""
    if abstract is None:
        return ""
    paragraphs: list[str] = []
    parts = abstract.findall("AbstractText")
    for part in parts:
        text = _text(part)
        label = _squash(part.get("Label", ""))
        if text and label:
            paragraphs.append(f"{label}: {text}")
        elif text:
            paragraphs.extend(_split_run_in_headings(text) if len(parts) == 1 else [text])
    return "\n\n".join(paragraphs)


def _mesh(citation: Element) -> list[MeshHeading]:
    out = []
    for heading in citation.findall("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        if descriptor is None:
            continue
        qualifiers = heading.findall("QualifierName")
        # PubMed stars a heading when the descriptor or any of its qualifiers is major.
        major = descriptor.get("MajorTopicYN") == "Y" or any(
            q.get("MajorTopicYN") == "Y" for q in qualifiers)
        out.append(MeshHeading(ui=descriptor.get("UI", ""), name=_text(descriptor), major=major,
                               qualifiers=[_text(q) for q in qualifiers if _text(q)]))
    return out


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _keywords(parent: Element) -> list[str]:
    return _unique(_text(k) for k in parent.findall("KeywordList/Keyword"))


def _references(*containers: Element | None) -> list[ReferenceEntry]:
    """Reference entries from every ReferenceList (nested lists included), numbered from 1."""
    out: list[ReferenceEntry] = []
    for container in containers:
        if container is None:
            continue
        for ref_list in container.findall("ReferenceList"):
            for ref in ref_list.iter("Reference"):
                citation = _findtext(ref, "Citation")
                ids = _article_ids(ref.find("ArticleIdList"))
                if "doi" not in ids and citation:
                    m = DOI_IN_TEXT_RE.search(citation)
                    doi = _norm("doi", m.group(0)) if m else ""
                    if doi:
                        ids["doi"] = doi
                if not citation and not ids:
                    continue
                out.append(ReferenceEntry(position=len(out) + 1, citation=citation,
                                          doi=ids.get("doi", ""), pmid=ids.get("pmid", ""),
                                          pmcid=ids.get("pmcid", "")))
    return out


def _record_type(publication_types: list[str], default: str = "article") -> str:
    kinds = {p.casefold() for p in publication_types}
    if ERRATUM_TYPE in kinds:
        return "erratum"
    if PREPRINT_TYPE in kinds:
        return "preprint"
    if kinds & REVIEW_TYPES:
        return "review"
    return default


def _strip_title(title: str) -> str:
    """PubMed ends every title with a period; other sources and exporters do not."""
    if title.endswith(".") and not title.endswith(".."):
        return title[:-1].rstrip()
    return title


def _first_doi(article: Element, id_sets: Sequence[dict[str, str]]) -> str:
    """DOI from ELocationID (when valid), else from the PubmedData ArticleIdList."""
    for loc in article.findall("ELocationID"):
        if loc.get("EIdType") == "doi" and loc.get("ValidYN", "Y") != "N":
            doi = _norm("doi", _text(loc))
            if doi:
                return doi
    for ids in id_sets:
        if ids.get("doi"):
            return ids["doi"]
    return ""


# -- the two record shapes ------------------------------------------------------------------

def _journal_article(pa: Element) -> ArticleRecord:
    citation = pa.find("MedlineCitation")
    if citation is None:
        citation = Element("MedlineCitation")
    article = citation.find("Article")
    if article is None:
        article = Element("Article")
    data = pa.find("PubmedData")
    ids = _article_ids(data.find("ArticleIdList") if data is not None else None)
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    info = citation.find("MedlineJournalInfo")

    year, month, day = _date(issue.find("PubDate") if issue is not None else None)
    if year is None:
        year, month, day = _date(article.find("ArticleDate"))
    publication_types = _unique(_text(p) for p in
                                article.findall("PublicationTypeList/PublicationType"))
    ref_types = {c.get("RefType", "") for c in
                 citation.findall("CommentsCorrectionsList/CommentsCorrections")}
    lowered = {p.casefold() for p in publication_types}

    return ArticleRecord(
        title=_strip_title(_findtext(article, "ArticleTitle")
                           or _findtext(article, "VernacularTitle")),
        authors=_authors(_author_list(article)),
        journal=_findtext(journal, "Title"),
        journal_abbrev=_findtext(journal, "ISOAbbreviation") or _findtext(info, "MedlineTA"),
        issn=_findtext(journal, "ISSN") or _findtext(info, "ISSNLinking"),
        year=year, month=month, day=day,
        volume=_findtext(issue, "Volume"),
        issue=_findtext(issue, "Issue"),
        pages=_pages(article),
        doi=_first_doi(article, [ids]),
        pmid=_norm("pmid", _findtext(citation, "PMID")) or ids.get("pmid", ""),
        pmcid=ids.get("pmcid", ""),
        abstract=_abstract(article.find("Abstract")),
        language=_findtext(article, "Language"),
        type=_record_type(publication_types),
        publication_types=publication_types,
        mesh=_mesh(citation),
        keywords=_keywords(citation),
        references=_references(data),
        retracted=RETRACTED_TYPE in lowered or bool(ref_types & RETRACTION_REFS),
        has_erratum=bool(ref_types & ERRATUM_REFS),
        source="pubmed",
    )


def _book_article(pba: Element) -> ArticleRecord:
    doc = pba.find("BookDocument")
    if doc is None:
        doc = Element("BookDocument")
    book = doc.find("Book")
    book_data = pba.find("PubmedBookData")
    ids = _article_ids(doc.find("ArticleIdList"))
    for key, value in _article_ids(
            book_data.find("ArticleIdList") if book_data is not None else None).items():
        ids.setdefault(key, value)
    accession = next((_text(a) for a in doc.findall("ArticleIdList/ArticleId")
                      if a.get("IdType") == "bookaccession"), "")

    book_title = _findtext(book, "BookTitle")
    chapter = _findtext(doc, "ArticleTitle")
    year, month, day = _date(book.find("PubDate") if book is not None else None)
    publication_types = _unique(_text(p) for p in doc.findall("PublicationType"))
    authors = _authors(_author_list(doc)) or _authors(_author_list(book))
    return ArticleRecord(
        title=_strip_title(chapter or book_title or _findtext(doc, "VernacularTitle")),
        authors=authors,
        year=year, month=month, day=day,
        volume=_findtext(book, "Volume"),
        doi=ids.get("doi", ""),
        pmid=_norm("pmid", _findtext(doc, "PMID")) or ids.get("pmid", ""),
        pmcid=ids.get("pmcid", ""),
        abstract=_abstract(doc.find("Abstract")),
        language=_findtext(doc, "Language"),
        type="chapter" if chapter else "book",
        publication_types=publication_types,
        keywords=_keywords(doc),
        references=_references(doc, book_data),
        retracted=RETRACTED_TYPE in {p.casefold() for p in publication_types},
        publisher=_findtext(book, "Publisher/PublisherName"),
        book_title=book_title if chapter else "",
        url=(f"https://www.ncbi.nlm.nih.gov/books/{accession}/"
             if re.fullmatch(r"NBK\d+", accession) else ""),
        source="pubmed",
    )


# ------------------------------------------------------------------------------------------
# esearch and the ID converter (pure parts)
# ------------------------------------------------------------------------------------------

@dataclass
class SearchResult:
    """An esearch answer: the total hit count and the ids on this page."""

    count: int
    ids: list[str] = field(default_factory=list)


def parse_esearch(data: bytes) -> SearchResult:
    """Read an esearch reply in JSON (``retmode=json``) or XML (``eSearchResult``).

    Raises :class:`~spinelib.errors.FormatError` for anything else or an error reply.
    """
    head = data.lstrip()[:1]
    if head == b"{":
        return _esearch_json(data)
    if head == b"<":
        return _esearch_xml(data)
    raise FormatError("the PubMed search answer is neither JSON nor XML")


def _esearch_json(data: bytes) -> SearchResult:
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise FormatError(f"the PubMed search answer is not valid JSON ({exc})") from None
    result = payload.get("esearchresult") if isinstance(payload, dict) else None
    if not isinstance(result, dict):
        raise FormatError("the PubMed search answer has no esearchresult")
    if result.get("ERROR"):
        raise FormatError(f"PubMed search failed: {str(result['ERROR'])[:200]}")
    ids = [str(i) for i in result.get("idlist") or [] if str(i).isdigit()]
    count = str(result.get("count", ""))
    return SearchResult(count=int(count) if count.isdigit() else len(ids), ids=ids)


def _reply_root(data: bytes, what: str, root_tag: str) -> Element:
    """The root of a small NCBI XML reply, checked to be ``root_tag``; FormatError naming
    ``what`` for malformed XML, entity declarations or another root."""
    try:
        root = DET.fromstring(data)
    except ParseError as exc:
        raise FormatError(f"{what} is not well-formed XML ({exc})") from None
    except DefusedXmlException:
        raise FormatError(f"{what} declares XML entities (refused)") from None
    if root.tag != root_tag:
        raise FormatError(f"{what} has root <{_local(root.tag)}>, not <{root_tag}>")
    return root


def _esearch_xml(data: bytes) -> SearchResult:
    root = _reply_root(data, "the PubMed search answer", "eSearchResult")
    error = _findtext(root, "ERROR")
    if error:
        raise FormatError(f"PubMed search failed: {error[:200]}")
    ids = [_text(i) for i in root.findall("IdList/Id") if _text(i).isdigit()]
    count = _findtext(root, "Count")
    return SearchResult(count=int(count) if count.isdigit() else len(ids), ids=ids)


def parse_elink(data: bytes) -> dict[str, list[str]]:
    """LinkName -> linked ids, in the order given, from an elink XML reply (``eLinkResult``).

    For ``db=pubmed`` the useful names are ``pubmed_pubmed_refs`` (what the article cites,
    as far as PubMed knows: an unordered set) and ``pubmed_pubmed_citedin``. Links of all
    LinkSets are merged. Raises FormatError for anything that is not an elink reply.
    """
    root = _reply_root(data, "the PubMed link answer", "eLinkResult")
    error = _findtext(root, "ERROR") or _findtext(root, "LinkSet/ERROR")
    if error:
        raise FormatError(f"PubMed link lookup failed: {error[:200]}")
    out: dict[str, dict[str, None]] = {}  # dicts as ordered sets
    for link_db in root.findall("LinkSet/LinkSetDb"):
        ids = out.setdefault(_findtext(link_db, "LinkName"), {})
        for link in link_db.findall("Link"):
            value = _findtext(link, "Id")
            if value.isdigit():
                ids[value] = None
    return {name: list(ids) for name, ids in out.items()}


def parse_idconv(payload: Any, requested: Sequence[str]) -> dict[str, dict[str, str]]:
    """Map each requested id to what the PMC ID converter knows about it.

    ``payload`` is the decoded JSON. Values hold normalised ``pmid``/``pmcid``/``doi`` (only
    those present). Error records (``"status": "error"``) and ids the converter does not echo
    back are left out. Matching uses ``requested-id`` when the service sends it (the 2024+
    API) and otherwise the record's own identifiers (the older v1.0 API).
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise FormatError("the PMC ID converter answer has no records list")
    wanted = {_requested_key(r): r for r in requested}
    out: dict[str, dict[str, str]] = {}
    for rec in payload["records"]:
        if not isinstance(rec, dict) or rec.get("status") == "error" or rec.get("errmsg"):
            continue
        found: dict[str, str] = {}
        for kind in ("pmid", "pmcid", "doi"):
            raw = str(rec.get(kind) or "")
            if kind == "pmcid":
                raw = raw.split(".")[0]  # a versioned PMCID ("PMC123.2") names the article
            value = _norm(kind, raw)
            if value:
                found[kind] = value
        if not found:
            continue
        keys = [_requested_key(str(rec["requested-id"]))] if rec.get("requested-id") else []
        keys += list(found.values())
        for key in keys:
            if key in wanted:
                out[wanted[key]] = found
                break
    return out


def _requested_key(text: str) -> str:
    """A comparison key for an id as sent to or echoed by the converter."""
    text = text.strip()
    for kind in ("pmcid", "pmid", "doi"):
        value = _norm(kind, text)
        if value:
            return value
    return text.lower()


# ------------------------------------------------------------------------------------------
# Network
# ------------------------------------------------------------------------------------------

def ncbi_params(client: HttpClient) -> dict[str, str]:
    """``tool``, plus ``email`` and ``api_key`` when set: sent on every NCBI call."""
    params = {"tool": TOOL}
    if client.settings.email:
        params["email"] = client.settings.email
    if client.settings.ncbi_api_key:
        params["api_key"] = client.settings.ncbi_api_key
    return params


def _eutil(client: HttpClient, name: str) -> str:
    return f"{client.settings.eutils_url.rstrip('/')}/{name}.fcgi"


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _clean_pmids(pmids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in pmids:
        value = _norm("pmid", str(raw))
        if not value:
            raise InvalidIdentifier(f"{raw!r} is not a PMID")
        out.append(value)
    return list(dict.fromkeys(out))


def fetch_pmids(client: HttpClient, pmids: Sequence[str]) -> dict[str, ArticleRecord]:
    """PubMed records for ``pmids``, keyed by PMID, in batches of :data:`EFETCH_BATCH`.

    Long batches go by POST. PMIDs efetch silently omits (deleted, never existed) are simply
    absent. Raises NetworkError (unreachable), ServiceError (refused or unreadable answer),
    InvalidIdentifier (an input that is not a PMID).
    """
    wanted = _clean_pmids(pmids)
    out: dict[str, ArticleRecord] = {}
    for batch in _chunks(wanted, EFETCH_BATCH):
        out.update(_efetch(client, batch))
    return out


def _efetch(client: HttpClient, batch: list[str]) -> dict[str, ArticleRecord]:
    params = {"db": "pubmed", "retmode": "xml", **ncbi_params(client)}
    url = _eutil(client, "efetch")
    ids = ",".join(batch)
    if len(batch) > POST_THRESHOLD:
        response = client.post("ncbi", url, data={**params, "id": ids})
    else:
        response = client.get("ncbi", url, params={**params, "id": ids})
    if response.status_code == 404:
        raise ServiceError("PubMed's efetch address answered 'not found' (HTTP 404); "
                           "check the E-utilities URL in the settings")
    try:
        records = parse_pubmed_xml(response.content, origin="PubMed's answer")
    except FormatError as exc:
        raise ServiceError(str(exc)) from None
    wanted = set(batch)
    return {r.pmid: r for r in records if r.pmid in wanted}


def search_doi(client: HttpClient, doi: str) -> str | None:
    """The PMID PubMed files under ``doi``, or None unless exactly one record matches."""
    ident = parse_identifier(doi)
    if ident.kind != "doi":
        raise InvalidIdentifier(f"{doi!r} is not a DOI")
    if '"' in ident.value:
        return None  # cannot be quoted as a phrase; no PubMed DOI contains one anyway
    params = {"db": "pubmed", "term": f'"{ident.value}"[doi]', "retmode": "json",
              "retmax": "2", **ncbi_params(client)}
    response = client.get("ncbi", _eutil(client, "esearch"), params=params)
    if response.status_code == 404:
        raise ServiceError("PubMed's esearch address answered 'not found' (HTTP 404); "
                           "check the E-utilities URL in the settings")
    try:
        result = parse_esearch(response.content)
    except FormatError as exc:
        raise ServiceError(str(exc)) from None
    if result.count == 1 and len(result.ids) == 1:
        return result.ids[0]
    return None


def fetch_elink_refs(client: HttpClient, pmid: str) -> list[str]:
    """PMIDs of the articles ``pmid`` cites, as PubMed links them (``pubmed_pubmed_refs``).

    This is a set, not the article's reference order; [] when PubMed has no such links.
    """
    bare = _norm("pmid", pmid)
    if not bare:
        raise InvalidIdentifier(f"{pmid!r} is not a PMID")
    params = {"dbfrom": "pubmed", "db": "pubmed", "id": bare, "linkname": "pubmed_pubmed_refs",
              "retmode": "xml", **ncbi_params(client)}
    response = client.get("ncbi", _eutil(client, "elink"), params=params)
    if response.status_code == 404:
        raise ServiceError("PubMed's elink address answered 'not found' (HTTP 404); "
                           "check the E-utilities URL in the settings")
    try:
        return parse_elink(response.content).get("pubmed_pubmed_refs", [])
    except FormatError as exc:
        raise ServiceError(str(exc)) from None


def convert_ids(client: HttpClient, ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """What the PMC ID converter knows about each of ``ids`` (PMIDs, PMCIDs or DOIs).

    Returns, per requested id that the converter recognised, a dict with normalised
    ``pmid``/``pmcid``/``doi``. Ids of one kind go together (the service requires it), up
    to :data:`IDCONV_BATCH` per call. Only articles in PMC are known to the converter.
    """
    groups: dict[str, list[str]] = {}
    for raw in dict.fromkeys(ids):
        ident = parse_identifier(raw)
        groups.setdefault(ident.kind, []).append(raw)
    out: dict[str, dict[str, str]] = {}
    for kind, members in groups.items():
        for batch in _chunks(members, IDCONV_BATCH):
            out.update(_idconv(client, kind, batch))
    return out


def _idconv(client: HttpClient, kind: str, batch: list[str]) -> dict[str, dict[str, str]]:
    params = {"ids": ",".join(parse_identifier(b).value for b in batch), "idtype": kind,
              "format": "json", "versions": "no", **ncbi_params(client)}
    params.pop("api_key", None)  # the converter does not take one; keep it off the wire
    response = client.get("ncbi", client.settings.idconv_url, params=params)
    if response.status_code == 404:
        raise ServiceError("the PMC ID converter address answered 'not found' (HTTP 404); "
                           "check its URL in the settings")
    try:
        payload = response.json()
    except ValueError:
        raise ServiceError("the PMC ID converter did not answer with JSON") from None
    if isinstance(payload, dict) and payload.get("status") == "error":
        raise ServiceError(f"the PMC ID converter refused the request: "
                           f"{str(payload.get('message') or payload.get('errmsg') or '')[:200]}")
    try:
        return parse_idconv(payload, batch)
    except FormatError as exc:
        raise ServiceError(str(exc)) from None
