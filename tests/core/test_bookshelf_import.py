"""A StatPearls (NCBI Bookshelf) address imports through PubMed's record of the document.

PubMed is served by ``responses``: esearch JSON answering the ``"NBK…"[aid]`` search as
PubMed files a Bookshelf document (MEDLINE's ``AID - NBK441938 [bookaccession]``), efetch
XML from :func:`tests.fakeserver.pubmed_article`.
"""

from __future__ import annotations

import pytest
import requests
import responses

from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import Identifier, parse_fetchable
from spinelib.identifiertext import find_identifiers
from spinelib.importer import import_identifiers, retry_pending, run_import
from spinelib.library import Library
from spinelib.records import ArticleRecord
from tests.core.test_resolve_batched import (
    ESEARCH,
    ESEARCH_TERMS,
    make_client,
    serve_one_article,
)

NBK, PMID = "NBK441938", "28722886"
LINK = "https://www.ncbi.nlm.nih.gov/books/NBK441938/"


def no_crossref(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    raise AssertionError(f"Crossref was asked: {request.url}")


def serve() -> None:
    serve_one_article(PMID, "10.5555/statpearls", no_crossref, aid=NBK)


@pytest.mark.parametrize("text", [
    LINK, "https://www.ncbi.nlm.nih.gov/books/NBK441938",
    "http://ncbi.nlm.nih.gov/books/NBK441938/#article-1.s1", "NBK441938", "nbk441938",
    "Bookshelf ID: NBK441938",
])
def test_every_shape_of_a_bookshelf_id(text: str) -> None:
    ident = parse_fetchable(text)
    assert ident == Identifier("nbk", NBK)
    assert (str(ident), ident.url) == (f"Bookshelf {NBK}", LINK)


def test_a_bookshelf_address_without_its_id_says_what_to_copy() -> None:
    with pytest.raises(InvalidIdentifier, match="ends in /books/NBK…/, or the PMID"):
        parse_fetchable("https://www.ncbi.nlm.nih.gov/books/n/statpearls/article-29577/")


def test_references_name_them_as_pubmed_and_vancouver_print_them() -> None:
    pubmed = ("Donnally CJ 3rd, Hanna A, Varacallo MA. Vertebral Compression Fracture. 2023 "
              "Aug 4. In: StatPearls [Internet]. Treasure Island (FL): StatPearls Publishing; "
              "2024 Jan-. PMID: 28722886 Bookshelf ID: NBK441938")
    vancouver = ("Donnally CJ, Hanna A, Varacallo MA. Vertebral Compression Fracture. In: "
                 "StatPearls [Internet]. Treasure Island (FL): StatPearls Publishing; 2024. "
                 f"Available from: {LINK}")
    [by_pmid] = find_identifiers(pubmed)  # one work's PMID and Bookshelf ID: its PMID
    [by_link] = find_identifiers(vancouver)
    assert by_pmid.identifier == Identifier("pmid", PMID)
    assert by_link.identifier == Identifier("nbk", NBK)


@responses.activate
def test_a_statpearls_link_imports_its_pubmed_record(lib: Library) -> None:
    serve()
    report = run_import(lib, [LINK, "NBK999999"], client=make_client())
    assert [i.status for i in report.items] == ["imported", "not_found"]
    assert lib.articles.record(report.items[0].article_id or 0).pmid == PMID
    assert "PubMed has no record of the Bookshelf document NBK999999" in report.items[1].message
    assert ESEARCH_TERMS[:2] == [f'"{NBK}"[aid]', '"NBK999999"[aid]']
    again = run_import(lib, [f"Bookshelf ID: {NBK}"], client=make_client())
    assert [i.status for i in again.items] == ["unchanged"]


@responses.activate
def test_an_offline_bookshelf_id_is_queued_named_and_imported_when_back(lib: Library) -> None:
    serve()
    responses.replace(responses.GET, ESEARCH,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    responses.replace(responses.POST, ESEARCH,  # type: ignore[arg-type]
                      body=requests.exceptions.ConnectionError("Connection refused"))
    [item] = import_identifiers(lib, [parse_fetchable(LINK)], client=make_client())
    assert item.status == "queued"
    [queued] = lib.pending.all()
    assert lib.pending.label(queued.identifier) == f"Bookshelf {NBK}"
    responses.reset()
    serve()
    report = retry_pending(lib, make_client())
    assert [i.status for i in report.items] == ["imported"]
    assert lib.pending.all() == []


def test_the_library_knows_a_bookshelf_document_and_a_book_it_holds(lib: Library) -> None:
    """Before anything is fetched: a Bookshelf ID by the article at its address (PubMed's
    book records carry it), an ISBN by the book listing it however written, never by a
    chapter listing its book's ISBN."""
    statpearls = lib.articles.add_record(ArticleRecord(
        type="chapter", title="Vertebral Compression Fracture", book_title="StatPearls",
        pmid=PMID, url=LINK)).article_id
    chapter = lib.articles.add_record(ArticleRecord(
        type="chapter", title="Metastatic spine tumors", isbn="978-0-323-40030-5")).article_id
    book = lib.articles.add_record(ArticleRecord(
        type="book", title="Benzel's Spine Surgery", isbn="9780323400305")).article_id
    asked = [parse_fetchable(LINK), parse_fetchable("ISBN 978-0-323-40030-5"),
             parse_fetchable("NBK999999"), parse_fetchable("ISBN 0-306-40615-2")]
    held = lib.articles.holding(asked)
    assert {i: h.article_id for i, h in held.items()} == {asked[0]: statpearls,
                                                          asked[1]: book}
    assert chapter not in [h.article_id for h in held.values()]
