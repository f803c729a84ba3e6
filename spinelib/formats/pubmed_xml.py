"""PubMed efetch XML -> :class:`~spinelib.records.ArticleRecord`: a pure file format.

Bytes in, records out, no network: the E-utilities client (:mod:`spinelib.sources.pubmed`)
calls :func:`parse_pubmed_xml` on its replies, and the format registry reads saved files
with :func:`read_pubmed_xml_bytes`. XML is read by the C parser behind the guard of
:mod:`~spinelib.formats.safexml` (entity declarations are refused, nothing is expanded or
fetched) and streamed, so a saved file of tens of thousands of records
needs neither quadratic work nor the whole tree in memory.

The PubMed DTD (pubmed_250101) shapes this code: ``PubmedArticle`` (MedlineCitation +
PubmedData) and ``PubmedBookArticle`` (BookDocument + PubmedBookData). The values inside
are read by :mod:`~spinelib.formats.pubmed_xml_values` and the record's parts by
:mod:`~spinelib.formats.pubmed_xml_parts`.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from spinelib.edition import edition_of
from spinelib.errors import FormatError
from spinelib.formats.common import ReadResult
from spinelib.formats.pubmed_xml_parts import (
    abstract_text,
    author_list,
    first_doi,
    keyword_list,
    mesh_headings,
    parse_authors,
    record_type,
    references,
    strip_title,
)
from spinelib.formats.pubmed_xml_values import (
    article_ids,
    article_pages,
    element_text,
    find_text,
    grandchildren,
    local_name,
    pub_date,
)
from spinelib.formats.safexml import EntitiesRefused, iter_top_level, read_chunks, utf8_document
from spinelib.identifiers import identifier_or_empty
from spinelib.isbn import first_isbn
from spinelib.records import ArticleRecord
from spinelib.text import unique_texts

#: The publication type that marks a retracted article.
RETRACTED_TYPE = "retracted publication"
#: CommentsCorrections RefType values that flag the article itself.
RETRACTION_REFS = {"RetractionIn"}
ERRATUM_REFS = {"ErratumIn"}


def parse_pubmed_xml(data: bytes, *, origin: str = "the PubMed data",
                     skipped: list[str] | None = None) -> list[ArticleRecord]:
    """Every article in an efetch ``PubmedArticleSet`` document, in document order.

    A ``PubmedBookArticleSet``, or a single ``PubmedArticle``/``PubmedBookArticle`` saved
    alone, is read the same way; an empty article (no title, no identifier) is left out
    and named in ``skipped`` when that list is given.

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
        return list(_iter_records(io.BytesIO(data), origin, data[:65536], skipped))
    finally:
        if was_enabled:
            gc.enable()


def read_pubmed_xml_bytes(data: bytes, source_name: str) -> ReadResult:
    """The registry's reader for a saved PubMed XML file (a ``PubmedArticleSet``).

    Bytes, not text: the XML declaration names the encoding and the parser honours it. An
    empty set is a warning naming the file; anything unreadable raises FormatError.
    """
    result = ReadResult()
    result.records = parse_pubmed_xml(data, origin=source_name, skipped=result.problems)
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} holds no PubMed articles")
    return result


def read_pubmed_xml_text(text: str, source_name: str) -> ReadResult:
    """:func:`read_pubmed_xml_bytes` for text already decoded: re-encoded as UTF-8, with the
    XML declaration changed to say so."""
    return read_pubmed_xml_bytes(utf8_document(text), source_name)


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


#: Document elements that hold articles: efetch's set, a book set, or one article saved alone.
_ROOTS = ("PubmedArticleSet", "PubmedBookArticleSet", "PubmedArticle", "PubmedBookArticle",
          "eFetchResult")


def _check_root(root_tag: str, origin: str) -> None:
    """Refuse a document whose root element holds no PubMed articles."""
    if root_tag not in _ROOTS:
        shown = f"<{local_name(root_tag)}>" if root_tag else "not found near the start"
        raise FormatError(f"{origin} is XML but not a PubMed article set "
                          f"(its root element is {shown})")


def _efetch_error(elem: Element) -> FormatError:
    """The error an ``eFetchResult`` document (efetch's error reply) reports."""
    message = element_text(elem.find("ERROR")) or "no details given"
    return FormatError(f"PubMed answered with an error: {message[:200]}")


def _finished_article(elem: Element, where: str,
                      skipped: list[str] | None) -> ArticleRecord | None:
    """A finished article element's record (element cleared); None, noted in skipped, if empty."""
    tag = elem.tag
    rec = _journal_article(elem) if tag == "PubmedArticle" else _book_article(elem)
    elem.clear()  # each finished record is dropped: memory stays flat
    if rec.title or rec.identifiers():
        return rec
    if skipped is not None:
        skipped.append(f"{where}: an empty <{tag}> (no title, no PMID) (skipped)")
    return None


#: The elements the reader acts on when they end; the parser builds the others inside them.
_WANTED = frozenset({"PubmedArticle", "PubmedBookArticle", "DeleteCitation", "eFetchResult"})


def _iter_records(stream: io.BufferedIOBase, origin: str, head: bytes,
                  skipped: list[str] | None = None) -> Iterator[ArticleRecord]:
    """The articles of the document; an empty one (no title, no identifier) is left out
    and, when ``skipped`` is given, named there by its position."""
    # Only "end" events (the root is known from the document's head), from the C parser
    # behind the entity guard of spinelib.formats.safexml (issue 19: C speed, still safe).
    root_tag = _root_tag(head)
    number = 0
    _check_root(root_tag, origin)
    try:
        for elem in iter_top_level(read_chunks(stream), _WANTED):
            tag = elem.tag
            if root_tag == "eFetchResult":
                if tag == "eFetchResult":
                    raise _efetch_error(elem)
                continue
            if tag == "PubmedArticle" or tag == "PubmedBookArticle":
                number += 1
                rec = _finished_article(elem, f"{origin} article {number}", skipped)
                if rec is not None:
                    yield rec
            elif tag == "DeleteCitation":
                elem.clear()
    except ParseError as exc:
        raise FormatError(f"{origin} is truncated or not well-formed XML ({exc})") from None
    except EntitiesRefused:
        raise FormatError(f"{origin} declares XML entities; SpineLib refuses to expand them "
                          "for safety") from None


def _journal_article(pa: Element) -> ArticleRecord:
    citation = pa.find("MedlineCitation")
    if citation is None:
        citation = Element("MedlineCitation")
    article = citation.find("Article")
    if article is None:
        article = Element("Article")
    data = pa.find("PubmedData")
    ids = article_ids(data.find("ArticleIdList") if data is not None else None)
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    info = citation.find("MedlineJournalInfo")

    year, month, day = pub_date(issue.find("PubDate") if issue is not None else None)
    if year is None:
        year, month, day = pub_date(article.find("ArticleDate"))
    publication_types = unique_texts(
        element_text(p) for p in grandchildren(article, "PublicationTypeList", "PublicationType"))
    ref_types = {c.get("RefType", "") for c in
                 grandchildren(citation, "CommentsCorrectionsList", "CommentsCorrections")}
    lowered = {p.casefold() for p in publication_types}

    return ArticleRecord(
        title=strip_title(find_text(article, "ArticleTitle")
                           or find_text(article, "VernacularTitle")),
        authors=parse_authors(author_list(article)),
        journal=find_text(journal, "Title"),
        journal_abbrev=find_text(journal, "ISOAbbreviation") or find_text(info, "MedlineTA"),
        issn=find_text(journal, "ISSN") or find_text(info, "ISSNLinking"),
        year=year, month=month, day=day,
        volume=find_text(issue, "Volume"),
        issue=find_text(issue, "Issue"),
        pages=article_pages(article),
        doi=first_doi(article, [ids]),
        pmid=identifier_or_empty("pmid", find_text(citation, "PMID")) or ids.get("pmid", ""),
        pmcid=ids.get("pmcid", ""),
        abstract=abstract_text(article.find("Abstract")),
        language=find_text(article, "Language"),
        type=record_type(publication_types),
        publication_types=publication_types,
        mesh=mesh_headings(citation),
        keywords=keyword_list(citation),
        references=references(data),
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
    ids = article_ids(doc.find("ArticleIdList"))
    for key, value in article_ids(
            book_data.find("ArticleIdList") if book_data is not None else None).items():
        ids.setdefault(key, value)
    accession = next((element_text(a) for a in grandchildren(doc, "ArticleIdList", "ArticleId")
                      if a.get("IdType") == "bookaccession"), "")

    book_title = find_text(book, "BookTitle")
    chapter = find_text(doc, "ArticleTitle")
    year, month, day = pub_date(book.find("PubDate") if book is not None else None)
    contributed = doc.find("ContributionDate")
    if chapter and contributed is not None and find_text(contributed, "Year"):
        # A chapter's own date: a GeneReviews chapter of 2006 sits in a series whose PubDate
        # is its first year, 1993 (issue 16).
        year, month, day = pub_date(contributed)
    publication_types = unique_texts(element_text(p) for p in doc.findall("PublicationType"))
    authors = parse_authors(author_list(doc)) or parse_authors(author_list(book))
    # The book's editors ("In: Adam MP, Feldman J, editors. GeneReviews"): a whole book's
    # are the document's own, a chapter's the book's.
    editors = (parse_authors(author_list(doc, "editors"))
               or parse_authors(author_list(book, "editors")))
    return ArticleRecord(
        title=strip_title(chapter or book_title or find_text(doc, "VernacularTitle")),
        authors=authors,
        editors=editors,
        edition=edition_of(find_text(book, "Edition")),
        isbn=first_isbn([element_text(i) for i in book.findall("Isbn")] if book is not None
                        else []),
        year=year, month=month, day=day,
        volume=find_text(book, "Volume"),
        doi=ids.get("doi", ""),
        pmid=identifier_or_empty("pmid", find_text(doc, "PMID")) or ids.get("pmid", ""),
        pmcid=ids.get("pmcid", ""),
        abstract=abstract_text(doc.find("Abstract")),
        language=find_text(doc, "Language"),
        type="chapter" if chapter else "book",
        publication_types=publication_types,
        keywords=keyword_list(doc),
        references=references(doc, book_data),
        retracted=RETRACTED_TYPE in {p.casefold() for p in publication_types},
        publisher=find_text(book, "Publisher/PublisherName"),
        place=find_text(book, "Publisher/PublisherLocation"),
        book_title=book_title if chapter else "",
        url=(f"https://www.ncbi.nlm.nih.gov/books/{accession}/"
             if re.fullmatch(r"NBK\d+", accession) else ""),
        source="pubmed",
    )
