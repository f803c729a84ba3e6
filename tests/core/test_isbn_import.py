"""A textbook imports by its ISBN, and a chapter fetched by DOI gets its book's editors.

Crossref is served by ``responses`` in the real list shape (``message.items``), its works
shaped like our recorded ``/works/{doi}`` sample with the book fields Crossref's book
deposits carry (``ISBN``, ``isbn-type``, ``editor``, ``edition-number``,
``publisher-location``; a chapter's record lists its book's ISBNs and, as nearly all do,
no editors), and the list answers honouring the ``isbn:``, ``type:`` and ``doi:`` filters
as Crossref does (one name OR'ed, names AND'ed). PubMed knows none of these books.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests
import responses

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import Identifier, parse_fetchable
from spinelib.identifiertext import find_identifiers
from spinelib.importer import import_identifiers, plan, retry_pending, run_import
from spinelib.isbn import isbn_in_doi
from spinelib.library import Library
from spinelib.refresh import refresh
from spinelib.sources.crossref_books import books_by_isbn
from tests.core.test_resolve_batched import (
    CROSSREF_LIST,
    CROSSREF_ONE,
    make_client,
    serve_one_article,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "pubmed"
WORK = json.loads((DATA / "crossref_work_pone_0123456.json").read_text())["message"]

BOOK_DOI, CHAPTER_DOI = "10.1016/c2014-0-01467-3", "10.1016/b978-0-323-40030-5.00120-4"
ISBN_PRINT, ISBN_ONLINE = "9780323400305", "9780323400312"
UNKNOWN_ISBN = "978-0-306-40615-7"


def work(doi: str, kind: str, **fields: object) -> dict[str, object]:
    item = {k: v for k, v in WORK.items() if k not in (
        "author", "volume", "issue", "ISSN", "issn-type", "journal-issue", "reference",
        "short-container-title", "abstract")}
    item.update(DOI=doi.upper(), type=kind, publisher="Elsevier",
                ISBN=[ISBN_PRINT, ISBN_ONLINE],
                **{"isbn-type": [{"value": ISBN_PRINT, "type": "print"},
                                 {"value": ISBN_ONLINE, "type": "electronic"}]})
    item.update(fields)
    return item


BOOK = work(BOOK_DOI, "edited-book", title=["Benzel's Spine Surgery"], **{
    "container-title": [], "edition-number": "4", "publisher-location": "Philadelphia",
    "editor": [{"given": "Edward C.", "family": "Benzel", "sequence": "first",
                "affiliation": []},
               {"given": "Michael P.", "family": "Steinmetz", "sequence": "additional",
                "affiliation": []}]})
CHAPTER = work(CHAPTER_DOI, "book-chapter", title=["Metastatic spine tumors"], page="1190-1200",
               author=[{"given": "Mark H.", "family": "Bilsky", "sequence": "first",
                        "affiliation": []}],
               **{"container-title": ["Benzel's Spine Surgery"]})
WORKS = [BOOK, CHAPTER]


def filters(request: requests.PreparedRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in parse_qs(urlsplit(str(request.url)).query)["filter"][0].split(","):
        name, _, value = part.partition(":")
        out.setdefault(name, []).append(value)
    return out


def crossref_reply(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    asked = filters(request)
    items = [w for w in WORKS
             if ("doi" not in asked or str(w["DOI"]).lower() in asked["doi"])
             and ("isbn" not in asked or set(w.get("ISBN", [])) & set(asked["isbn"]))  # type: ignore[call-overload]
             and ("type" not in asked or w["type"] in asked["type"])]
    message = {"facets": {}, "total-results": len(items), "items": items,
               "items-per-page": len(items), "next-cursor": "DnF1ZXJ5VGhlbkZldGNo"}
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"status": "ok", "message-type": "work-list", "message": message})


def one_work(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    doi = unquote(urlsplit(str(request.url)).path.removeprefix("/works/")).lower()
    found = [w for w in WORKS if str(w["DOI"]).lower() == doi]
    if not found:
        return 404, {"Content-Type": "text/plain"}, "Resource not found."
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"status": "ok", "message-type": "work", "message": found[0]})


def serve() -> None:
    serve_one_article("16112300", "10.1016/S0140-6736(05)66954-1", crossref_reply)
    responses.add_callback(responses.GET, CROSSREF_ONE, callback=one_work)  # type: ignore[arg-type]


def crossref_filters() -> list[dict[str, list[str]]]:
    """The filters of each Crossref list request, in order."""
    return [filters(c.request) for c in responses.calls
            if "crossref.test/works?" in str(c.request.url)]


@pytest.mark.parametrize(("text", "isbn"), [
    ("ISBN 978-0-323-40030-5", ISBN_PRINT), ("9780323400305", ISBN_PRINT),
    ("978-0-323-40030-5", ISBN_PRINT), ("ISBN-10: 0-306-40615-2", "9780306406157"),
    ("0-306-40615-2", "9780306406157"), ("ISBN: 080442957X", "9780804429573"),
])
def test_the_forms_an_isbn_is_pasted_in(text: str, isbn: str) -> None:
    ident = parse_fetchable(text)
    assert ident == Identifier("isbn", isbn)
    assert str(ident) == f"ISBN {isbn}"
    assert ident.url == f"https://search.worldcat.org/search?q=bn:{isbn}"


@pytest.mark.parametrize(("text", "reason"), [
    ("978-0-323-40030-4", "its last digit, the check digit, does not fit"),
    ("ISBN 12345", r"'ISBN 12345' is not an ISBN \(10 or 13 digits\)"),
    ("0306406152", "is not a PMID"),  # ten bare digits: no ISBN is guessed
])
def test_what_is_not_an_isbn_says_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_fetchable(text)


def test_the_command_line_takes_an_isbn() -> None:
    [planned] = plan(["ISBN 978-0-323-40030-5"])
    assert (planned.kind, planned.describe()) == ("identifier", f"ISBN {ISBN_PRINT}")


def test_a_reference_to_a_book_gives_its_labelled_isbn() -> None:
    [found] = find_identifiers("Benzel EC, Steinmetz MP, eds. Benzel's Spine Surgery. 4th ed. "
                               "Philadelphia: Elsevier; 2017. ISBN 978-0-323-40030-5")
    assert found.identifier == Identifier("isbn", ISBN_PRINT)


@responses.activate
def test_a_textbook_imports_by_its_isbn(lib: Library) -> None:
    serve()
    report = run_import(lib, ["ISBN 978-0-323-40030-5", f"ISBN {UNKNOWN_ISBN}"],
                        client=make_client())
    assert [i.status for i in report.items] == ["imported", "not_found"]
    assert "Crossref files no book under ISBN 9780306406157" in report.items[1].message
    book = lib.articles.record(report.items[0].article_id or 0)
    assert (book.type, book.doi, book.title) == ("book", BOOK_DOI, "Benzel's Spine Surgery")
    assert [e.display() for e in book.editors] == ["Benzel EC", "Steinmetz MP"]
    assert (book.edition, book.isbn, book.publisher) == ("4", ISBN_PRINT, "Elsevier")
    assert book.citekey.startswith("benzel")  # its first editor's: it has no author
    # One list request for both ISBNs, books only (never their chapters); the book's DOI is
    # not asked of Crossref again.
    asked = crossref_filters()
    assert len(asked) == 1 and sorted(asked[0]["isbn"]) == sorted([ISBN_PRINT,
                                                                   "9780306406157"])
    assert "book-chapter" not in asked[0]["type"] and "edited-book" in asked[0]["type"]


@responses.activate
def test_a_chapter_fetched_by_doi_gets_its_books_editors_and_edition(lib: Library) -> None:
    serve()
    report = run_import(lib, [CHAPTER_DOI], client=make_client())
    assert [i.status for i in report.items] == ["imported"]
    chapter = lib.articles.record(report.items[0].article_id or 0)
    assert (chapter.type, chapter.book_title) == ("chapter", "Benzel's Spine Surgery")
    assert [e.display() for e in chapter.editors] == ["Benzel EC", "Steinmetz MP"]
    assert chapter.edition == "4"
    assert [a.display() for a in chapter.authors] == ["Bilsky MH"]  # its own, not the book's
    # The chapter by its DOI, then its book by ISBN among the books: one list request.
    asked = crossref_filters()
    assert [sorted(a) for a in asked] == [["isbn", "type"]]
    assert sorted(asked[0]["isbn"]) == [ISBN_PRINT]


@responses.activate
def test_a_chapter_deposited_without_isbns_finds_its_book_by_its_doi(lib: Library) -> None:
    """Elsevier builds a chapter's DOI from its book's ISBN (10.1016/B978-0-323-40030-5…):
    a chapter record deposited without the ISBN list still reaches its book."""
    bare = {k: v for k, v in CHAPTER.items() if k not in ("ISBN", "isbn-type")}
    WORKS[1] = bare
    try:
        serve()
        [item] = run_import(lib, [CHAPTER_DOI], client=make_client()).items
    finally:
        WORKS[1] = CHAPTER
    chapter = lib.articles.record(item.article_id or 0)
    assert chapter.isbn == "978-0-323-40030-5"
    assert [e.display() for e in chapter.editors] == ["Benzel EC", "Steinmetz MP"]


@pytest.mark.parametrize(("doi", "isbn"), [
    ("10.1016/B978-0-323-40030-5.00120-4", "978-0-323-40030-5"),
    ("10.1007/978-3-319-33037-2_97-1", "978-3-319-33037-2"),
    ("10.1002/9781118445112.ch1", "9781118445112"),
    ("10.1201/9781315152547-3", "9781315152547"),
    ("10.1016/j.spinee.2020.01.001", ""), ("10.1234/97803234003055", ""),
    ("10.1016/B978-0-323-40030-4.00120-4", ""),  # its check digit does not hold
])
def test_the_isbn_a_doi_is_built_from(doi: str, isbn: str) -> None:
    assert isbn_in_doi(doi) == isbn


@responses.activate
def test_the_books_look_up_failing_leaves_the_chapter_as_found(lib: Library) -> None:
    """The chapter itself came (its /works/DOI answered); the books' list did not: the
    chapter is imported without editors, not queued or failed."""
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection reset"))
    report = run_import(lib, [CHAPTER_DOI], client=make_client())
    assert [i.status for i in report.items] == ["imported"]
    chapter = lib.articles.record(report.items[0].article_id or 0)
    assert (chapter.title, chapter.editors) == ("Metastatic spine tumors", [])


@responses.activate
def test_a_refresh_offers_a_chapters_book_editors(lib: Library) -> None:
    """A chapter imported while its book's record could not be had gets them from a
    refresh, as a difference to apply."""
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection reset"))
    [item] = run_import(lib, [CHAPTER_DOI], client=make_client()).items
    responses.remove(responses.GET, CROSSREF_LIST)  # type: ignore[arg-type]
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref_reply)  # type: ignore[arg-type]
    [result] = refresh(lib, [item.article_id or 0], client=make_client(), apply=True)
    assert ("editors", "", "Benzel, Edward C.; Steinmetz, Michael P.") in [
        (d.field, d.stored, d.source) for d in result.diffs]
    assert "editors" in result.applied
    assert [e.display() for e in lib.articles.record(item.article_id or 0).editors] == [
        "Benzel EC", "Steinmetz MP"]


@responses.activate
def test_an_offline_isbn_is_queued_named_and_imported_when_back(lib: Library) -> None:
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    ident = parse_fetchable("ISBN 978-0-323-40030-5")
    [item] = import_identifiers(lib, [ident], client=make_client())
    assert item.status == "queued"
    [queued] = lib.pending.all()
    assert lib.pending.label(queued.identifier) == f"ISBN {ISBN_PRINT}"
    responses.remove(responses.GET, CROSSREF_LIST)  # type: ignore[arg-type]
    responses.add_callback(responses.GET, CROSSREF_LIST, callback=crossref_reply)  # type: ignore[arg-type]
    report = retry_pending(lib, make_client())
    assert [i.status for i in report.items] == ["imported"]
    assert lib.articles.record(report.items[0].article_id or 0).doi == BOOK_DOI


@responses.activate
def test_crossref_found_unreachable_by_the_piis_is_not_asked_again_for_the_isbns(
        lib: Library) -> None:
    """One round's first look-ups share what they learn: Crossref unreachable for the PIIs
    fails the ISBNs at once, without its retries again (both queued, for when it is back)."""
    serve()
    responses.replace(responses.GET, CROSSREF_LIST,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    asked = [parse_fetchable("S0140673605669541"), parse_fetchable("ISBN 978-0-323-40030-5")]
    items = import_identifiers(lib, asked, client=make_client())
    assert [i.status for i in items] == ["queued", "queued"]
    listed = [c for c in responses.calls if CROSSREF_LIST.match(str(c.request.url))]
    assert len(listed) == 3  # the PIIs' request and its two retries (max_retries=2), once


@responses.activate
def test_books_by_isbn_keys_each_book_by_every_isbn_it_lists() -> None:
    serve()
    answers = books_by_isbn(make_client(), [ISBN_ONLINE, "978-0-323-40030-5", "nonsense"])
    assert set(answers.records) == {ISBN_PRINT, ISBN_ONLINE} and answers.requests == 1
    assert answers.records[ISBN_ONLINE].doi == BOOK_DOI
