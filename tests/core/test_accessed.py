"""When a web page was read: kept from every file that carries it, written back, printed by
the styles that ask for it, editable, and safe across the schema step that added it.

Before: BibTeX's ``urldate``, RIS's ``Y2`` and CSL-JSON's ``accessed`` were dropped on
import, so a guideline cited from a Zotero library lost its "[cited 2026 Dec 5]" (Vancouver)
or "Accessed December 5, 2026" (AMA), which both manuals require of a web page.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from spinelib.accessed import iso_accessed
from spinelib.cite.engine import StyleEngine
from spinelib.errors import SpineLibError
from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from spinelib.formats.csljson import write_csljson
from spinelib.formats.csljson_read import read_csljson
from spinelib.formats.ris import read_ris, write_ris
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from spinelib.store import snapshots
from tests.core.helpers import before_column_step

NICE = "https://www.nice.org.uk/guidance/ng234"


def guideline(**changes: object) -> ArticleRecord:
    fields: dict[str, object] = dict(
        type="webpage", citekey="nice2023",
        title="Metastatic spinal cord compression in adults (NG234)",
        authors=[Author(collective="National Institute for Health and Care Excellence")],
        year=2023, url=NICE, accessed="2026-12-05")
    fields.update(changes)
    return ArticleRecord(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-12-05", "2026-12-05"), ("2026-12-05 09:14:03", "2026-12-05"),
    ("2026/12/05/", "2026-12-05"), ("2026-12-05T09:14:03Z", "2026-12-05"),
    ("December 5, 2026", "2026-12-05"), ("5 Dec 2026", "2026-12-05"), ("Dec 2026", "2026-12"),
    ("2026-02-30", ""), ("2026-13-01", ""), ("yesterday", ""), ("", ""),
])
def test_the_forms_files_write(text: str, iso: str) -> None:
    assert iso_accessed(text) == iso


def test_zotero_bib_and_a_date_that_is_none() -> None:
    text = ("@online{nice2023,\n  title = {Metastatic spinal cord compression},\n"
            "  author = {{National Institute for Health and Care Excellence}},\n"
            "  date = {2023-09-06},\n  url = {https://www.nice.org.uk/guidance/ng234},\n"
            "  urldate = {2026-12-05},\n}\n"
            "@misc{b,\n  title = {B},\n  author = {Doe, J},\n  year = {2020},\n"
            "  urldate = {last week},\n}\n")
    result = read_bibtex(text, "zotero.bib")
    assert [r.accessed for r in result.records] == ["2026-12-05", ""]
    assert len(result.warnings) == 1 and "'last week'" in result.warnings[0]


def test_every_format_writes_it_and_reads_it_back() -> None:
    rec = guideline()
    assert "urldate = {2026-12-05}" in write_bibtex([rec])
    assert "urldate = {2026-12-05}" in write_biblatex([rec])
    assert "Y2  - 2026-12-05" in write_ris([rec])
    assert json.loads(write_csljson([rec]))[0]["accessed"] == {"date-parts": [[2026, 12, 5]]}
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        assert read(write([rec]), "f").records[0].accessed == "2026-12-05", write.__name__
    # An @article (the one-pass writer) keeps it too: Zotero dates articles saved from the web.
    article = guideline(type="article", journal="Spine")
    assert "urldate = {2026-12-05}" in write_bibtex([article])
    # What is stored is written only when it is a date (a team document could hold anything).
    assert "urldate" not in write_bibtex([guideline(accessed="soon")])


def test_zotero_ris_access_date() -> None:
    text = ("TY  - ELEC\nTI  - NG234\nAU  - NICE\nPY  - 2023\nUR  - " + NICE
            + "\nY2  - 2026-12-05 09:14:03\nER  - \n")
    assert read_ris(text, "z.ris").records[0].accessed == "2026-12-05"


@pytest.mark.parametrize(("style", "printed"), [
    ("vancouver", "[cited 2026 Dec 5]"),
    ("american-medical-association", "Accessed December 5, 2026"),
])
def test_the_styles_print_it(style: str, printed: str) -> None:
    assert printed in StyleEngine.for_id(style).reference(guideline())


def test_it_is_stored_edited_and_refused_when_no_date(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(guideline()).article_id
        assert lib.articles.record(aid).accessed == "2026-12-05"
        lib.edits.edit(aid, {"accessed": "6 Dec 2026"})
        assert lib.articles.record(aid).accessed == "2026-12-06"
        with pytest.raises(SpineLibError, match="'soon' is not a date"):
            lib.edits.edit(aid, {"accessed": "soon"})
        with pytest.raises(SpineLibError, match="'2026-02-30' is not a date"):
            lib.edits.edit(aid, {"accessed": "2026-02-30"})  # refused, not kept as 2026-02
        lib.edits.edit(aid, {"accessed": ""})
        assert lib.articles.record(aid).accessed == ""


def test_an_article_trashed_before_the_step_comes_back(tmp_path: Path) -> None:
    """A trash payload (and an undo step) written before schema 19 has no ``accessed``: the
    restore gives it the column's empty value instead of failing."""
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        aid = lib.articles.add_record(guideline(accessed="")).article_id
        lib.trash.delete([aid])
    con = sqlite3.connect(path)
    payload = con.execute("SELECT payload FROM article_trash").fetchone()[0]
    old = snapshots.unpack(payload)
    del old["article"]["accessed"]
    con.execute("UPDATE article_trash SET payload = ?", (snapshots.pack(old),))
    con.commit()
    con.close()
    with Library.open(path) as lib:
        lib.trash.restore([aid])
        assert lib.articles.record(aid).accessed == ""


def test_the_step_adds_the_column_to_an_older_library(tmp_path: Path) -> None:
    from spinelib.store.sqlite import migrations

    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(guideline(accessed=""))
    before_column_step(path, "article", "accessed", 18)
    with Library.open(path) as lib:
        assert lib.schema_version() == migrations.SCHEMA_VERSION
        (rec,) = lib.articles.records(lib.search.ids())
        assert rec.accessed == "" and rec.title.startswith("Metastatic")


def test_endnote_access_dates() -> None:
    from spinelib.formats.endnote_tagged import read_endnote_tagged
    from spinelib.formats.endnote_xml import read_endnote_xml_bytes

    enw = "%0 Web Page\n%T NG234\n%A NICE\n%D 2023\n%U " + NICE + "\n%[ December 5, 2026\n"
    assert read_endnote_tagged(enw, "e.enw").records[0].accessed == "2026-12-05"
    xml = (b'<xml><records><record><ref-type name="Web Page">12</ref-type><titles><title>'
           b'NG234</title></titles><dates><year>2023</year></dates>'
           b'<access-date>2026/12/05</access-date></record></records></xml>')
    assert read_endnote_xml_bytes(xml, "e.xml").records[0].accessed == "2026-12-05"
