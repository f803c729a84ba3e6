"""Moving from Zotero: its RDF export (the one that keeps collections) imports with its
collections as reading lists, its tags, notes and attached PDFs.

The fixture is written in the shapes Zotero's export translator ("Zotero RDF.js",
zotero/translators) and its serializer produce: a journal written apart as ``urn:issn:`` and
pointed at, one nested, one shared through ``rdf:nodeID``; attachments with ``rdf:resource``
(before Zotero 5.0.97) and ``z:path`` (since); notes as escaped HTML; automatic and manual
tags; nested collections.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.errors import FormatError
from spinelib.formats import detect
from spinelib.formats.rdfxml import RDF, Ref, parse_rdfxml
from spinelib.formats.safexml import chunks_of
from spinelib.formats.zotero_rdf import read_zotero_rdf_bytes, read_zotero_rdf_text
from spinelib.importer import run_import
from spinelib.library import Library
from tests.pdfmaker import make_pdf

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "formats" / "zotero_export.rdf"


def read_fixture() -> list:  # type: ignore[type-arg]
    result = read_zotero_rdf_bytes(FIXTURE.read_bytes(), "zotero_export.rdf")
    assert result.problems == ["zotero_export.rdf item 4: neither a title nor a DOI, PMID "
                               "or PMCID (skipped)"]
    return result.records


def test_a_journal_article_keeps_every_field_zotero_wrote() -> None:
    patchell, laufer, chapter = read_fixture()
    assert patchell.title.startswith("Direct decompressive surgical resection")
    assert [(a.family, a.given) for a in patchell.authors] == [
        ("Patchell", "Roy A."), ("Tibbs", "Phillip A.")]
    # The journal written apart under its urn:issn name, pointed at with rdf:resource.
    assert (patchell.journal, patchell.journal_abbrev) == ("Lancet (London, England)", "Lancet")
    assert (patchell.volume, patchell.issue, patchell.pages) == ("366", "9486", "643-648")
    assert (patchell.year, patchell.month, patchell.day) == (2005, 8, 20)
    assert patchell.doi == "10.1016/s0140-6736(05)66954-1"  # Zotero puts it on the journal
    assert patchell.issn == "1474-547X"
    assert patchell.pmid == "16112300"  # from Extra, where Zotero's PubMed import keeps it
    assert patchell.abstract.startswith("BACKGROUND: The standard treatment")
    assert "\n\nFINDINGS:" in patchell.abstract
    assert patchell.keywords == ["Spinal Cord Compression"]  # Zotero's automatic tag
    assert patchell.user_tags == ["to read"]  # typed by the user
    assert patchell.notes == "Read before the tumour board.\n\nAmbulation 84% vs 57%."
    assert patchell.files == [
        "files/12/Patchell et al. - 2005 - Direct decompressive surgical resection.pdf"]
    assert patchell.source == "zotero" and patchell.language == "eng"
    # A journal shared through rdf:nodeID, the file as z:path, an ISO date, access date.
    assert (laufer.journal, laufer.doi) == ("The Oncologist", "10.1634/theoncologist.2012-0293")
    assert (laufer.year, laufer.month) == (2013, 6)
    assert laufer.accessed.startswith("2024-03-02")
    assert laufer.files == ["files/15/Laufer 2013 NOMS.pdf"]


def test_a_book_section_is_a_chapter_of_its_book() -> None:
    chapter = read_fixture()[2]
    assert chapter.type == "chapter"
    assert chapter.title == "Spinal metastases: decision making"
    assert chapter.book_title == "Benzel's Spine Surgery" and chapter.journal == ""
    assert [a.family for a in chapter.authors] == ["Fourney"]  # given as property attributes
    assert chapter.publisher == "Elsevier" and chapter.year == 2017


def test_collections_become_paths_in_their_own_order() -> None:
    patchell, laufer, chapter = read_fixture()
    assert patchell.groups == ["Spine oncology", "Spine oncology/MESCC"]
    assert laufer.groups == ["Spine oncology/MESCC", "Journal club & board"]
    # MESCC lists Laufer before Patchell: its own order, not the file's.
    assert laufer.group_places["Spine oncology/MESCC"] < patchell.group_places[
        "Spine oncology/MESCC"]
    assert chapter.groups == ["Spine oncology"]


def test_an_export_moves_in_with_its_collections_tags_notes_and_pdfs(
        lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "Exported Items"
    (folder / "files" / "15").mkdir(parents=True)
    rdf = folder / "Exported Items.rdf"
    rdf.write_bytes(FIXTURE.read_bytes())
    make_pdf(folder / "files" / "15" / "Laufer 2013 NOMS.pdf", ["The NOMS framework"])
    assert detect(rdf) == "zotero_rdf"
    report = run_import(lib, [str(rdf)], client=None)
    assert report.counts() == {"imported": 3, "failed": 1}
    assert {e.name: e.count for e in lib.lists.all()} == {
        "Spine oncology": 2, "Spine oncology/MESCC": 2, "Journal club & board": 1}
    laufer = lib.articles.resolve_key("laufer2013noms")
    assert lib.lists.items("Spine oncology/MESCC")[0] == laufer
    assert [t.id for t in lib.tags.state(lib.articles.resolve_key("patchell2005direct")).tags
            ] == ["to read"]
    # The PDF exported beside the file is attached; the missing one is named.
    assert [a.name for a in lib.attachments.files_of([laufer])] == ["laufer2013noms.pdf"]
    assert any("files/12/Patchell et al." in w for w in report.warnings)


def test_rdf_text_is_told_from_other_xml(tmp_path: Path) -> None:
    as_text = tmp_path / "zotero.txt"
    as_text.write_bytes(FIXTURE.read_bytes())
    assert detect(as_text) == "zotero_rdf"
    other = tmp_path / "feed.rdf"
    other.write_text('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                     '22-rdf-syntax-ns#"><rdf:Description rdf:about="x"/></rdf:RDF>')
    result = read_zotero_rdf_text(other.read_text(), "feed.rdf")
    assert result.records == [] and result.warnings == ["feed.rdf has no Zotero items"]


@pytest.mark.parametrize("body, says", [
    ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>',
     "declares XML entities; SpineLib refuses to expand them"),
    ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description',
     "is truncated or not well-formed XML"),
])
def test_hostile_or_broken_rdf_is_refused_whole(body: str, says: str) -> None:
    with pytest.raises(FormatError, match=says):
        read_zotero_rdf_text(body, "export.rdf")


def test_the_rdf_reader_follows_the_syntax_not_one_nesting() -> None:
    doc = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns:ex="http://ex.org/">
      <ex:Thing rdf:about="a" ex:short="attr">
        <ex:knows rdf:nodeID="n1"/>
        <ex:part rdf:parseType="Resource"><ex:name>inner</ex:name></ex:part>
        <ex:list><rdf:Bag><rdf:li>one</rdf:li><rdf:li>two</rdf:li></rdf:Bag></ex:list>
      </ex:Thing>
      <rdf:Description rdf:nodeID="n1"><ex:name>shared</ex:name></rdf:Description>
    </rdf:RDF>"""
    graph = parse_rdfxml(chunks_of(doc))
    assert graph.types("a") == {"http://ex.org/Thing"}
    assert graph.literal("a", "http://ex.org/short") == "attr"
    assert graph.literal(graph.nodes("a", "http://ex.org/knows")[0], "http://ex.org/name") \
        == "shared"
    [part] = graph.nodes("a", "http://ex.org/part")
    assert graph.literal(part, "http://ex.org/name") == "inner"
    [bag] = graph.nodes("a", "http://ex.org/list")
    assert graph.members(bag) == ["one", "two"]
    assert graph.types(bag) == {RDF + "Bag"} and not isinstance(graph.members(bag)[0], Ref)


def test_a_conference_paper_is_in_its_proceedings() -> None:
    doc = FIXTURE.read_text().replace(
        "<z:itemType>bookSection</z:itemType>", "<z:itemType>conferencePaper</z:itemType>"
    ).replace("<bib:Book>", "<bib:Journal>").replace("</bib:Book>", "</bib:Journal>")
    paper = read_zotero_rdf_text(doc, "export.rdf").records[2]
    assert paper.type == "conference"
    assert paper.book_title == "Benzel's Spine Surgery" and paper.journal == ""
