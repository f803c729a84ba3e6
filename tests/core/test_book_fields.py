"""A chapter's book editors, a book's edition and its ISBN: read from every source that
carries them, stored, editable, written back, and printed by the styles ("In: Benzel EC,
Steinmetz MP, eds. Benzel's Spine Surgery. 4th ed.").

Before: no record kept either. A GeneReviews chapter from PubMed, a Benzel chapter from
Zotero or EndNote, cited in Vancouver, came out as "In: GeneReviews®." with no "Adam MP,
Feldman J, … editors", which the ICMJE's sample references and AMA both print, and a
textbook chapter without the edition that says which Benzel; BibTeX wrote such a chapter as
biblatex's @inbook because no editor was known.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from spinelib.cite.engine import StyleEngine
from spinelib.citekeys import base_key
from spinelib.edition import edition_label, edition_of, edition_words
from spinelib.errors import SpineLibError
from spinelib.formats import export_problems
from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from spinelib.formats.bibtex.article import ArticleEntries
from spinelib.formats.bibtex.emit import entry_text
from spinelib.formats.bibtex.fields import entry_type, fields, new_memo
from spinelib.formats.crossref_json import parse_work
from spinelib.formats.csljson import write_csljson
from spinelib.formats.csljson_read import read_csljson
from spinelib.formats.medline import read_medline
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.formats.ris import read_ris, write_ris
from spinelib.formats.scopus_csv import read_scopus_csv
from spinelib.formats.wos import read_wos
from spinelib.formats.zotero_rdf import read_zotero_rdf_bytes
from spinelib.isbn import first_isbn
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from spinelib.store.mapping import editors_from_json, editors_json
from tests.core.helpers import before_column_step

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
BENZEL = [Author(family="Benzel", given="Edward C.", initials="EC"),
          Author(family="Steinmetz", given="Michael P.", initials="MP")]


def chapter(**changes: object) -> ArticleRecord:
    values: dict[str, object] = dict(
        type="chapter", citekey="bilsky2017metastatic", title="Metastatic spine tumors",
        authors=[Author(family="Bilsky", given="Mark H.", initials="MH")],
        book_title="Benzel's Spine Surgery", editors=list(BENZEL), publisher="Elsevier",
        place="Philadelphia", year=2017, pages="1190-1200", edition="4",
        isbn="978-0-323-40030-5")
    values.update(changes)
    return ArticleRecord(**values)  # type: ignore[arg-type]


def names(people: list[Author]) -> list[str]:
    return [p.display() for p in people]


# ---- reading: each source's real shape
def test_a_pubmed_genereviews_chapter(fixtures_dir: Path) -> None:
    """PubMed's book record: the chapter's authors, the book's editors (an AuthorList of
    type "editors" in <Book>), never mixed."""
    data = (fixtures_dir / "pubmed" / "metapub_book_20301577.xml").read_bytes()
    rec = parse_pubmed_xml(data)[0]
    assert names(rec.authors) == ["Napolitano C", "Priori SG"]
    assert names(rec.editors) == ["Adam MP", "Feldman J", "Mirzaa GM", "Pagon RA",
                                  "Wallace SE", "Amemiya A"]
    assert rec.editors[0].given == "Margaret P"


def test_a_whole_edited_book_from_pubmed() -> None:
    """A book whose BookDocument names only editors: no author is made of them, and its
    citation key is its first editor's (as Better BibTeX and JabRef make it), not "anon"."""
    xml = (b"<PubmedBookArticleSet><PubmedBookArticle><BookDocument>"
           b'<PMID Version="1">21204444</PMID><Book><BookTitle>Spine Oncology</BookTitle>'
           b"<PubDate><Year>2011</Year></PubDate></Book>"
           b'<AuthorList Type="editors"><Author><LastName>Bilsky</LastName>'
           b"<ForeName>Mark H</ForeName><Initials>MH</Initials></Author></AuthorList>"
           b"</BookDocument></PubmedBookArticle></PubmedBookArticleSet>")
    rec = parse_pubmed_xml(xml)[0]
    assert (rec.type, rec.authors, names(rec.editors)) == ("book", [], ["Bilsky MH"])
    assert base_key(rec) == "bilsky2011spine"


def test_pubmeds_medline_display_of_a_book_chapter() -> None:
    """PubMed's MEDLINE format (.nbib) pairs FED and ED as it pairs FAU and AU."""
    text = ("PMID- 20301770\nSTAT- Publisher\nPB  - University of Washington, Seattle\n"
            "DP  - 1993\nTI  - Feingold Syndrome 1.\nBTI - GeneReviews(R)\n"
            "FED - Adam, Margaret P\nED  - Adam MP\nFED - Ardinger, Holly H\n"
            "ED  - Ardinger HH\nFED - Bean, Lora JH\nED  - Bean LJH\n"
            "FAU - Marcelis, Carlo LM\nAU  - Marcelis CLM\nFAU - de Brouwer, Arjan PM\n"
            "AU  - de Brouwer APM\nLA  - eng\nPT  - Review\nPT  - Book Chapter\n"
            "AID - NBK7050 [bookaccession]\n")
    rec = read_medline(text, "pubmed.nbib").records[0]
    assert names(rec.authors) == ["Marcelis CLM", "de Brouwer APM"]
    assert names(rec.editors) == ["Adam MP", "Ardinger HH", "Bean LJH"]
    assert rec.editors[1].given == "Holly H"
    assert rec.url == "https://www.ncbi.nlm.nih.gov/books/NBK7050/"  # as the XML gives it
    assert (rec.type, rec.book_title) == ("chapter", "GeneReviews(R)")


ZOTERO_CHAPTER = """TY  - CHAP
TI  - Metastatic spine tumors
AU  - Bilsky, Mark H.
T2  - Benzel's Spine Surgery
A2  - Benzel, Edward C.
A2  - Steinmetz, Michael P.
A3  - Series, Editor
CY  - Philadelphia
PB  - Elsevier
PY  - 2017
SP  - 1190
EP  - 1200
""" + "ER  - \n"


def test_ris_chapters_books_and_articles() -> None:
    """A2 is a chapter's editor (Zotero's and EndNote's RIS) and nothing else's; ED is an
    editor anywhere; an EDBOOK's AU are its editors; A3 (a series editor) is left out."""
    rec = read_ris(ZOTERO_CHAPTER, "zotero.ris").records[0]
    assert names(rec.editors) == ["Benzel EC", "Steinmetz MP"]
    assert names(rec.authors) == ["Bilsky MH"]
    article = read_ris("TY  - JOUR\nTI  - A\nAU  - Doe, J\nA2  - Someone, S\nER  - \n", "a")
    assert article.records[0].editors == []
    book = read_ris("TY  - BOOK\nTI  - Spine Oncology\nED  - Bilsky, Mark H.\nER  - \n", "b")
    assert names(book.records[0].editors) == ["Bilsky MH"]
    edited = read_ris("TY  - EDBOOK\nTI  - Spine Oncology\nAU  - Bilsky, Mark H.\nER  - \n", "e")
    assert (edited.records[0].authors, names(edited.records[0].editors)) == ([], ["Bilsky MH"])


def test_endnote_xml_secondary_authors_of_a_book_section() -> None:
    from spinelib.formats.endnote_xml import read_endnote_xml_bytes

    xml = ("<xml><records><record><ref-type name=\"Book Section\">5</ref-type><contributors>"
           "<authors><author>Bilsky, Mark H.</author></authors><secondary-authors>"
           "<author>Benzel, Edward C.</author><author>Steinmetz, Michael P.</author>"
           "</secondary-authors></contributors><titles><title>Metastatic spine tumors</title>"
           "<secondary-title>Benzel's Spine Surgery</secondary-title></titles>"
           "<dates><year>2017</year></dates></record></records></xml>")
    rec = read_endnote_xml_bytes(xml.encode(), "endnote.xml").records[0]
    assert (rec.type, names(rec.editors)) == ("chapter", ["Benzel EC", "Steinmetz MP"])


def test_zotero_rdf_book_section() -> None:
    result = read_zotero_rdf_bytes((DATA / "zotero_export.rdf").read_bytes(), "zotero.rdf")
    section = next(r for r in result.records if r.type == "chapter")
    assert names(section.editors) == ["Steinmetz MP"]


def test_bibtex_editor_field() -> None:
    text = ("@incollection{bilsky2017,\n  author = {Bilsky, Mark H.},\n"
            "  editor = {Benzel, Edward C. and Steinmetz, Michael P.},\n"
            "  title = {Metastatic spine tumors},\n  booktitle = {Benzel's Spine Surgery},\n"
            "  year = {2017},\n}\n")
    rec = read_bibtex(text, "jabref.bib").records[0]
    assert names(rec.editors) == ["Benzel EC", "Steinmetz MP"]


def test_csl_json_crossref_scopus_and_web_of_science() -> None:
    csl = json.dumps([{"id": "a", "type": "chapter", "title": "Metastatic spine tumors",
                       "author": [{"family": "Bilsky", "given": "Mark H."}],
                       "editor": [{"family": "Benzel", "given": "Edward C."}, "junk"],
                       "container-title": "Benzel's Spine Surgery"}])
    assert names(read_csljson(csl, "zotero.json").records[0].editors) == ["Benzel EC"]
    # Crossref's book-chapter work (Springer deposits the book's editors with it).
    work = {"DOI": "10.1007/978-3-319-33037-2_97-1", "type": "book-chapter",
            "title": ["Spinal Metastases"], "author": [{"given": "Ilya", "family": "Laufer"}],
            "editor": [{"given": "Michael P.", "family": "Steinmetz", "sequence": "first"},
                       {"name": "AO Spine"}], "container-title": ["Handbook of Spine Technology"]}
    rec = parse_work({"status": "ok", "message-type": "work", "message": work})
    assert names(rec.editors) == ["Steinmetz MP", "AO Spine"]
    header = '"Authors","Title","Year","Source title","Editors","Document Type","Source","EID"\n'
    row = ('"Bilsky M.H.","Metastatic spine tumors","2017","Benzel\'s Spine Surgery",'
           '"Benzel E.C.; Steinmetz M.P.","Book chapter","Scopus","2-s2.0-1"\n')
    assert names(read_scopus_csv(header + row, "scopus.csv").records[0].editors) == [
        "Benzel EC", "Steinmetz MP"]
    wos = ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT B\nAU Bilsky, MH\n"
           "BE Benzel, EC\n   Steinmetz, Michael P.\nTI Metastatic spine tumors\n"
           "SO BENZEL'S SPINE SURGERY\nPY 2017\nUT WOS:000000000000001\nER\n\nEF\n")
    assert names(read_wos(wos, "savedrecs.txt").records[0].editors) == [
        "Benzel EC", "Steinmetz MP"]


# ---- writing
def test_every_writer_gives_them_back() -> None:
    rec = chapter()
    assert "editor = {Benzel, Edward C. and Steinmetz, Michael P.}" in write_bibtex([rec])
    biblatex = write_biblatex([rec])
    assert biblatex.startswith("@incollection{") and "editor = {Benzel" in biblatex
    # Without editors biblatex keeps @inbook (its @incollection requires an editor); an
    # edited book is its @collection (its @book requires an author), BibTeX's @book.
    assert write_biblatex([chapter(editors=[])]).startswith("@inbook{")
    edited = chapter(type="book", authors=[], book_title="")
    assert write_biblatex([edited]).startswith("@collection{")
    assert write_bibtex([edited]).startswith("@book{")
    assert read_bibtex(write_biblatex([edited]), "b").records[0].type == "book"
    assert not any("missing author" in p for p in export_problems([edited], "biblatex"))
    ris = write_ris([rec])
    assert "A2  - Benzel, Edward C.\nA2  - Steinmetz, Michael P." in ris
    assert "ED  - Bilsky, Mark H." in write_ris([chapter(type="book", authors=[], editors=[
        Author(family="Bilsky", given="Mark H.")])])
    assert json.loads(write_csljson([rec]))[0]["editor"] == [
        {"family": "Benzel", "given": "Edward C."}, {"family": "Steinmetz", "given": "Michael P."}]
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        back = read(write([rec]), "f").records[0]
        assert names(back.editors) == ["Benzel EC", "Steinmetz MP"], write.__name__


@pytest.mark.parametrize("biblatex", [False, True])
def test_an_article_with_editors_is_written_by_the_one_pass_writer_as_by_the_fields(
        biblatex: bool) -> None:
    """A supplement's article with guest editors, with and without a named author."""
    for rec in (chapter(type="article", journal="Spine"),
                chapter(type="article", journal="Spine", authors=[])):
        assert entry_type(rec, biblatex) == "article"
        memo = new_memo(biblatex)
        one_pass = ArticleEntries(memo, biblatex, False).entry(rec, "k")
        assert one_pass == entry_text("article", "k", fields(rec, biblatex, False, new_memo(
            biblatex)))
        assert one_pass.count("editor = {") == 1


@pytest.mark.parametrize(("style", "printed"), [
    ("vancouver", "In: Benzel EC, Steinmetz MP, editors. Benzel’s Spine Surgery. 4th ed."),
    ("american-medical-association",
     "In: Benzel EC, Steinmetz MP, eds. Benzel’s Spine Surgery. 4th ed."),
    # APA's label is title-cased (citeproc-py left labels in lower case: spinelib/cite/mends).
    ("apa", "In E. C. Benzel & M. P. Steinmetz (Eds.), Benzel’s Spine Surgery (4th ed., pp. "
     "1190–1200)"),
])
def test_the_styles_print_them(style: str, printed: str) -> None:
    assert printed in StyleEngine.for_id(style).reference(chapter())


@pytest.mark.parametrize(("style", "entry"), [
    ("vancouver", "Benzel EC, Steinmetz MP, editors. Benzel’s Spine Surgery. 4th ed. "
                  "Philadelphia: Elsevier; 2017."),
    ("american-medical-association", "Benzel EC, Steinmetz MP, eds. Benzel’s Spine Surgery. "
                                     "4th ed. Elsevier; 2017."),
    ("apa", "Benzel, E. C., & Steinmetz, M. P. (Eds.). (2017). Benzel’s Spine Surgery (4th "
            "ed.). Elsevier."),
    # Chicago substitutes through a macro: the names it prints are silenced after it too.
    ("chicago-author-date", "2017. Benzel’s Spine Surgery. 4th ed. Elsevier."),
])
def test_an_edited_books_editors_are_printed_once(style: str, entry: str) -> None:
    """Its editors stand where its author would (CSL's substitute), and not again after
    the title: citeproc-py's names ignored what a substitute printed (spinelib/cite/mends)."""
    book = chapter(type="book", authors=[], book_title="", title="Benzel's Spine Surgery",
                   pages="", isbn="")
    assert StyleEngine.for_id(style).reference(book).endswith(entry)


# ---- the library
def test_stored_filled_by_a_merge_edited_and_refused(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(chapter(editors=[])).article_id
        assert lib.articles.record(aid).editors == []
        # A richer copy of the same chapter fills the empty editors (never overwrites them).
        lib.articles.add_record(chapter())
        assert names(lib.articles.record(aid).editors) == ["Benzel EC", "Steinmetz MP"]
        lib.articles.add_record(chapter(editors=[Author(family="Other", given="O")]))
        assert names(lib.articles.record(aid).editors) == ["Benzel EC", "Steinmetz MP"]
        changed = lib.edits.edit(aid, {"editors": "Benzel, Edward C.; AO Spine"})
        assert changed == ["editors"]
        edited = lib.articles.record(aid).editors
        assert (names(edited), edited[1].is_collective) == (["Benzel EC", "AO Spine"], True)
        with pytest.raises(SpineLibError, match="editor ', Edward' has no family name"):
            lib.edits.edit(aid, {"editors": ", Edward"})
        lib.history.undo()
        assert names(lib.articles.record(aid).editors) == ["Benzel EC", "Steinmetz MP"]
        lib.edits.edit(aid, {"editors": ""})
        assert lib.articles.record(aid).editors == []


def test_a_refresh_offers_a_sources_editors(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(chapter(editors=[])).article_id
        diffs = lib.edits.diff(aid, chapter())
        assert [(d.field, d.stored, d.source) for d in diffs] == [
            ("editors", "", "Benzel, Edward C.; Steinmetz, Michael P.")]
        assert lib.edits.apply_source(aid, chapter()) == (["editors"], [])
        assert names(lib.articles.record(aid).editors) == ["Benzel EC", "Steinmetz MP"]


def test_the_column_holds_what_it_is_given() -> None:
    people = [*BENZEL, Author(collective="AO Spine"),
              Author(family="Hicks", given="Michael", suffix="III")]
    assert editors_json([]) == ""
    back = editors_from_json(editors_json(people))
    assert [(a.family, a.given, a.collective, a.suffix) for a in back] == [
        (a.family, a.given, a.collective, a.suffix) for a in people]
    assert editors_from_json("not json") == editors_from_json('[{"given": "x"}, 3]') == []


def test_the_step_adds_the_column_to_an_older_library(tmp_path: Path) -> None:
    from spinelib.store.sqlite import migrations

    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(chapter(editors=[], edition="", isbn=""))
    before_column_step(path, "article", "editors, edition, isbn", 19)
    with Library.open(path) as lib:
        assert lib.schema_version() == migrations.SCHEMA_VERSION
        (only,) = lib.articles.records(lib.search.ids())
        assert (only.editors, only.edition, only.isbn, only.title) == (
            [], "", "", "Metastatic spine tumors")


# ---- the edition
@pytest.mark.parametrize(("text", "kept"), [
    ("4", "4"), ("4th", "4"), ("4th ed.", "4"), ("4th edn", "4"), ("4th Edition", "4"),
    ("Fourth", "4"), ("second edition", "2"), ("3. Aufl.", "3"), ("21st", "21"),
    ("Rev. ed.", "Rev. ed."), ("2nd  rev. ed.", "2nd rev. ed."), ("0", "0"), ("", ""),
])
def test_the_forms_an_edition_comes_in(text: str, kept: str) -> None:
    assert edition_of(text) == kept


def test_classic_bibtex_and_the_details_tab_spell_it_out() -> None:
    assert [edition_words(e) for e in ("4", "1", "20", "21", "112", "Rev. ed.")] == [
        "Fourth", "First", "Twentieth", "21st", "112th", "Rev. ed."]
    assert [edition_label(e) for e in ("4", "2", "13", "22", "Rev. ed.")] == [
        "4th ed.", "2nd ed.", "13th ed.", "22nd ed.", "Rev. ed."]


def test_every_source_gives_its_edition(fixtures_dir: Path) -> None:
    ris = ZOTERO_CHAPTER.replace("CY  -", "ET  - 4th ed.\nCY  -")
    assert read_ris(ris, "zotero.ris").records[0].edition == "4"
    bib = "@book{b,\n  title = {Spine Oncology},\n  edition = {Second},\n  year = {2011},\n}\n"
    assert read_bibtex(bib, "b.bib").records[0].edition == "2"
    csl = json.dumps([{"id": "a", "type": "book", "title": "T", "edition": 3}])
    assert read_csljson(csl, "c.json").records[0].edition == "3"
    work = {"DOI": "10.1016/c2014-0-01467-3", "type": "book", "title": ["Benzel's Spine Surgery"],
            "edition-number": "4"}
    assert parse_work({"message": work}).edition == "4"
    nbib = "PMID- 1\nTI  - Spine\nBTI - Spine Book\nEN  - 2nd\n"
    assert read_medline(nbib, "p.nbib").records[0].edition == "2"
    xml = (b"<PubmedBookArticleSet><PubmedBookArticle><BookDocument>"
           b'<PMID Version="1">21204444</PMID><Book><BookTitle>Spine Oncology</BookTitle>'
           b"<PubDate><Year>2011</Year></PubDate><Edition>3rd</Edition></Book>"
           b"</BookDocument></PubmedBookArticle></PubmedBookArticleSet>")
    assert parse_pubmed_xml(xml)[0].edition == "3"
    from spinelib.formats.endnote_xml import read_endnote_xml_bytes

    endnote = ("<xml><records><record><ref-type name=\"Book\">6</ref-type><titles><title>"
               "Spine Oncology</title></titles><edition>2nd</edition></record></records></xml>")
    assert read_endnote_xml_bytes(endnote.encode(), "e.xml").records[0].edition == "2"


def test_the_writers_and_the_styles() -> None:
    rec = chapter()
    assert "edition = {Fourth}" in write_bibtex([rec])
    assert "edition = {4}" in write_biblatex([rec])
    assert "ET  - 4" in write_ris([rec])
    assert json.loads(write_csljson([rec]))[0]["edition"] == "4"
    # Written only where both data models have one (biber rejects it elsewhere).
    assert "edition" not in write_biblatex([chapter(type="article", journal="Spine")])
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        assert read(write([rec]), "f").records[0].edition == "4", write.__name__
    assert "Benzel’s Spine Surgery. 4th ed. Philadelphia: Elsevier; 2017" in StyleEngine.for_id(
        "vancouver").reference(rec)


def test_edited_typed_as_said(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(chapter(edition="")).article_id
        assert lib.edits.edit(aid, {"edition": "Fourth edition"}) == ["edition"]
        assert lib.articles.record(aid).edition == "4"
        assert lib.edits.edit(aid, {"edition": "4th"}) == []  # the same edition


# ---- the ISBN
BENZEL_ISBN = "978-0-323-40030-5"  # Benzel's Spine Surgery, 4th edition (Elsevier, 2017)


@pytest.mark.parametrize(("values", "found"), [
    ([BENZEL_ISBN], BENZEL_ISBN), (["9780323400305"], "9780323400305"),
    (["ISBN 978-0-323-40030-5 (hardcover)"], BENZEL_ISBN),
    (["9780323400306; 9780323400305"], "9780323400305"),  # the first whose check digit holds
    (["0-306-40615-2"], "0-306-40615-2"), (["080442957X"], "080442957X"),
    (["1529-9430", "0-306-40615-3", "NG234", "2-s2.0-85044"], ""),
])
def test_the_forms_an_isbn_comes_in(values: list[str], found: str) -> None:
    assert first_isbn(values) == found


def test_every_source_gives_its_isbn() -> None:
    ris = ZOTERO_CHAPTER.replace("CY  -", f"SN  - {BENZEL_ISBN}\nCY  -")
    assert read_ris(ris, "zotero.ris").records[0].isbn == BENZEL_ISBN
    report = "TY  - RPRT\nTI  - NG234\nSN  - 0306406152\nER  - \n"  # a number, not an ISBN
    assert read_ris(report, "r.ris").records[0].isbn == ""
    bib = "@book{b,\n  title = {Spine Surgery},\n  isbn = {9780323400305},\n}\n"
    assert read_bibtex(bib, "b.bib").records[0].isbn == "9780323400305"
    csl = json.dumps([{"id": "a", "type": "book", "title": "T", "ISBN": "978-0-323-40030-5"}])
    assert read_csljson(csl, "c.json").records[0].isbn == BENZEL_ISBN
    work = {"DOI": "10.1016/c2014-0-01467-3", "type": "book", "title": ["Spine Surgery"],
            "ISBN": ["9780323400305", "9780323400312"]}
    assert parse_work({"message": work}).isbn == "9780323400305"
    nbib = "PMID- 1\nTI  - Spine\nBTI - Spine Book\nISBN- 978-0-323-40030-5\n"
    assert read_medline(nbib, "p.nbib").records[0].isbn == BENZEL_ISBN
    xml = (b"<PubmedBookArticleSet><PubmedBookArticle><BookDocument>"
           b'<PMID Version="1">21204444</PMID><Book><BookTitle>Spine</BookTitle>'
           b"<Isbn>9780323400305</Isbn></Book></BookDocument></PubmedBookArticle>"
           b"</PubmedBookArticleSet>")
    assert parse_pubmed_xml(xml)[0].isbn == "9780323400305"


def test_the_isbn_is_written_back_and_edited(tmp_path: Path) -> None:
    rec = chapter()
    assert f"isbn = {{{BENZEL_ISBN}}}" in write_bibtex([rec])
    assert f"SN  - {BENZEL_ISBN}" in write_ris([rec])
    assert json.loads(write_csljson([rec]))[0]["ISBN"] == BENZEL_ISBN
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        assert read(write([rec]), "f").records[0].isbn == BENZEL_ISBN, write.__name__
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(chapter(isbn="")).article_id
        lib.edits.edit(aid, {"isbn": "9780323400305"})
        assert lib.articles.record(aid).isbn == "9780323400305"
        with pytest.raises(SpineLibError, match="'9780323400306' is not an ISBN"):
            lib.edits.edit(aid, {"isbn": "9780323400306"})


def test_an_edited_book_is_named_by_its_editors_in_the_table(tmp_path: Path) -> None:
    """The First author column (and its sort) of a book without authors names its first
    editor, as Zotero's Creator column does; it follows edits and merges."""
    book = chapter(type="book", authors=[], book_title="", title="Benzel's Spine Surgery")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(book).article_id

        def first() -> str:
            return lib.search.rows([aid])[aid].first_author

        assert first() == "Benzel EC et al. (eds.)"
        lib.edits.edit(aid, {"editors": "Benzel, Edward C."})
        assert first() == "Benzel EC (ed.)"
        lib.edits.edit(aid, {}, "Bilsky, Mark H.")
        assert first() == "Bilsky MH"
        lib.edits.edit(aid, {}, "")
        assert first() == "Benzel EC (ed.)"
        lib.edits.edit(aid, {"editors": ""})
        assert first() == ""
        # A copy of the book with its editors fills them, and the name, on a re-import.
        bare = lib.articles.add_record(chapter(type="book", authors=[], editors=[],
                                               book_title="", title="Spine Oncology",
                                               doi="10.1055/b-0038-1")).article_id
        lib.articles.add_record(chapter(type="book", authors=[], book_title="",
                                        title="Spine Oncology", doi="10.1055/b-0038-1"))
        assert lib.search.rows([bare])[bare].first_author == "Benzel EC et al. (eds.)"


def test_a_chapters_book_title_is_searched_as_a_journal_is(tmp_path: Path) -> None:
    """The table shows a chapter's book in its Journal column; the search finds it there
    too ("StatPearls", journal:"spine surgery"), in a library from before the step as
    well."""
    from spinelib.results import Query

    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        aid = lib.articles.add_record(chapter()).article_id
        assert lib.search.ids(Query(search="Benzel's Spine Surgery")) == [aid]
        assert lib.search.ids(Query(search='journal:"spine surgery"')) == [aid]
        assert lib.search.ids(Query(search="journal:lancet")) == []
    # As a library of schema 19 indexed it: the journal and abbreviation only.
    con = sqlite3.connect(path)
    con.execute("UPDATE article_fts SET journal = ' ' WHERE rowid = ?", (aid,))
    con.commit()
    con.close()
    with Library.open(path) as lib:
        assert lib.search.ids(Query(search='journal:"spine surgery"')) == []
    before_column_step(path, "article", "editors, edition, isbn", 19)
    before_column_step(path, "article", "editors, edition, isbn", 19)  # run twice: once
    with Library.open(path) as lib:
        assert lib.search.ids(Query(search='journal:"spine surgery"')) == [aid]
    con = sqlite3.connect(path)
    [(journal,)] = con.execute("SELECT journal FROM article_fts WHERE rowid = ?", (aid,))
    assert journal.count("Benzel's Spine Surgery") == 1


def test_show_json_gives_the_book_fields(tmp_path: Path) -> None:
    from spinelib.serialize import article_json

    with Library.open(tmp_path / "lib.sqlite") as lib:
        aid = lib.articles.add_record(chapter(editors=[*BENZEL, Author(collective="AO Spine")])
                                      ).article_id
        data = article_json(lib, aid)
    assert (data["book_title"], data["edition"], data["isbn"]) == (
        "Benzel's Spine Surgery", "4", "978-0-323-40030-5")
    assert data["editors"] == [{"family": "Benzel", "given": "Edward C."},
                               {"family": "Steinmetz", "given": "Michael P."},
                               {"collective": "AO Spine"}]


def test_merging_duplicates_names_an_authorless_book_by_the_editors_it_gains(
        tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        bare = lib.articles.add_record(chapter(type="book", authors=[], editors=[],
                                               book_title="", citekey="spine2017a")).article_id
        edited = lib.articles.add_record(chapter(type="book", authors=[], book_title="",
                                                 title="Benzel's Spine Surgery 4th edition",
                                                 citekey="spine2017b")).article_id
        lib.duplicates.merge(bare, [edited])
        rec = lib.articles.record(bare)
        assert [e.display() for e in rec.editors] == ["Benzel EC", "Steinmetz MP"]
        assert lib.search.rows([bare])[bare].first_author == "Benzel EC et al. (eds.)"
