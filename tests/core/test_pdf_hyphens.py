"""Words a PDF breaks at a line's end are stored, shown and searched whole.

PDFium gives "verte\\ufffebroplasty" for "verte-" at a line's end and "broplasty" on the
next; the full-text index took the mark for a space, so a search for vertebroplasty missed
the page (found by attaching such a PDF and searching it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.formats.pdf import find_identifiers, read_pdf
from spinelib.formats.pdf_hyphens import rejoin
from spinelib.library import Library, Query
from spinelib.store.sqlite import migrations
from tests.core.helpers import back_to_schema, make_record
from tests.pdfmaker import make_pdf

BROKEN_PAGES = [
    "We treated 40 patients with percutaneous verte-\nbroplasty under fluoro-\nscopy; non-\n"
    "small cell lung cancer was the commonest primary.",
    "The non-small cell primaries and the kypho-\nplasty arm were followed up.",
]


@pytest.fixture()
def lib(tmp_path: Path):
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def test_pdfium_marks_a_line_end_hyphen_and_the_reading_makes_the_word_whole(
        tmp_path: Path) -> None:
    pdf = read_pdf(make_pdf(tmp_path / "broken.pdf", BROKEN_PAGES))
    assert not any("\ufffe" in text for text in pdf.texts)
    assert "percutaneous vertebroplasty under fluoroscopy;" in pdf.texts[0]
    # The paper writes "non-small" with its hyphen on page 2: the break keeps it.
    assert "non-small cell lung cancer" in pdf.texts[0]
    assert "the kyphoplasty arm" in pdf.texts[1]
    # Hyphens PDFium leaves alone (a capital or a digit goes on) stay as printed.
    kept = read_pdf(make_pdf(tmp_path / "kept.pdf", ["levels T10-\nL2; 10-\n20 Gy"]))
    assert kept.texts == ["levels T10-\nL2; 10-\n20 Gy"]


@pytest.mark.parametrize(("texts", "expected"), [
    (["verte\ufffebroplasty"], ["vertebroplasty"]),
    # The paper's own spelling decides, counted over every page.
    (["non\ufffesmall cell", "non-small cell; non-small cell"], ["non-small cell",
                                                                 "non-small cell; non-small cell"]),
    (["follow\ufffeup", "a follow-up-free interval"], ["follow-up", "a follow-up-free interval"]),
    (["pre\ufffeoperative", "preoperative, pre-operative"], ["preoperative",
                                                              "preoperative, pre-operative"]),
    # The word goes on over the page: the hyphen the page prints.
    (["the posterior ap\ufffe", "proach"], ["the posterior ap-", "proach"]),
    # Soft hyphens are invisible: dropped, with a line break around one between letters.
    (["Po\n\u00ad\nlitik; Wert\u00adpapier; end\u00ad"], ["Politik; Wertpapier; end"]),
    (["plain text, untouched - even this -\nline"], ["plain text, untouched - even this -\nline"]),
    # A DOI's own hyphen at a line's end is the DOI's: kept, the DOI whole.
    (["https://doi.org/10.1055/s\ufffe0039-1681234"], ["https://doi.org/10.1055/s-0039-1681234"]),
    ([], []),
])
def test_rejoin(texts: list[str], expected: list[str]) -> None:
    assert rejoin(texts) == expected


def test_an_attached_pdf_is_found_by_its_broken_words(lib: Library, tmp_path: Path) -> None:
    aid = lib.articles.add_records([make_record(pmid="1", doi="", title="Spinal metastases")])[0].article_id
    lib.attachments.attach(aid, make_pdf(tmp_path / "paper.pdf", BROKEN_PAGES))
    for words in ("vertebroplasty", "fluoroscopy", "kyphoplasty", '"non-small cell"'):
        assert lib.search.ids(Query(search=words)) == [aid], words
    assert lib.attachments.places([aid], "kyphoplasty")[aid].places == ["fulltext p. 2"]
    assert not any("\ufffe" in part.body for part in lib.attachments.text(aid))


def test_a_schema_23_library_has_its_stored_pages_made_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        aid = lib.articles.add_records([make_record(pmid="1", doi="", title="Spinal metastases")]
                                       )[0].article_id
        lib.attachments.attach(aid, make_pdf(tmp_path / "paper.pdf", BROKEN_PAGES))
        other = lib.articles.add_records([make_record(pmid="2", doi="", title="Other paper")]
                                         )[0].article_id
        lib.attachments.attach(other, make_pdf(tmp_path / "plain.pdf", ["Plain sacral text"]))
    # The pages as SpineLib stored them before (PDFium's marks in the text).
    old = ["We treated 40 patients with percutaneous verte\ufffebroplasty under fluoro\ufffe"
           "scopy; non\ufffesmall cell lung cancer was the commonest primary.",
           "The non-small cell primaries and the kypho\ufffeplasty arm were followed up."]
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM fulltext_part WHERE article_id = ? "
                                      "ORDER BY position", (aid,))]
    for part_id, body in zip(ids, old):
        conn.execute("UPDATE fulltext_fts SET body = ? WHERE rowid = ?", (body, part_id))
    conn.commit()
    conn.close()
    back_to_schema(path, 23)
    with Library.open(path) as lib:
        assert lib.schema_version() == migrations.SCHEMA_VERSION
        assert lib.search.ids(Query(search="vertebroplasty fluoroscopy")) == [aid]
        assert lib.search.ids(Query(search='"non-small cell lung"')) == [aid]
        assert [p.body for p in lib.attachments.text(aid)] == [
            "We treated 40 patients with percutaneous vertebroplasty under fluoroscopy; "
            "non-small cell lung cancer was the commonest primary.",
            "The non-small cell primaries and the kyphoplasty arm were followed up."]
        assert lib.search.ids(Query(search="sacral")) == [other]
        assert lib.check() == []
    assert main(["--library", str(path), "pdf", "text", "1"]) == 0
    assert "percutaneous vertebroplasty under" in capsys.readouterr().out


@pytest.mark.parametrize(("text", "expected"), [
    ("https://doi.org/10.1007/s00586-\n019-06080-1\nReceived", "10.1007/s00586-019-06080-1"),
    ("https://doi.org/10.1016/j.spinee.2020.\n01.005\nAbstract", "10.1016/j.spinee.2020.01.005"),
    ("doi: 10.1016/j.\nwneu.2019.01.001", "10.1016/j.wneu.2019.01.001"),
    ("DOI: 10.3171/\n2010.3.SPINE09459\nAbstract", "10.3171/2010.3.SPINE09459"),
    # A sentence ending with its DOI, the next line a word: nothing joined.
    ("doi:10.1097/BRS.0b013e3181e16ae2.\nAbstract. Background", "10.1097/BRS.0b013e3181e16ae2"),
    ("see 10.1097/BRS.0b013e3181e16ae2.\nIntroduction.", "10.1097/BRS.0b013e3181e16ae2"),
])
def test_a_doi_cut_at_a_line_end_is_found_whole(text: str, expected: str,
                                                 tmp_path: Path) -> None:
    """PDFium keeps these line breaks (a digit or a dot before them): the DOI was taken cut
    short ("10.1007/s00586-"), a wrong DOI fetched before the PDF was kept unidentified."""
    pdf = read_pdf(make_pdf(tmp_path / "doi.pdf", [f"Eur Spine J (2019) 28:1234\n{text}"]))
    assert find_identifiers(pdf).value == expected.lower()


def test_a_doi_hyphen_marked_by_pdfium_stays_the_dois(tmp_path: Path) -> None:
    pdf = read_pdf(make_pdf(tmp_path / "doi.pdf", ["DOI: 10.3171/2010.3.SPINE-\n09459\nAbstract"]))
    assert find_identifiers(pdf).value == "10.3171/2010.3.spine-09459"
