"""Issue 21: every entry of the files users really have imports whole, or is named.

One test (or a few) per numbered class of the issue, over the sample files in
``tests/data/formats/issue21/`` (the real layouts of EndNote, Mendeley, ERIC, Scopus, Web of
Science and PubMed exports; invented records), then the library's side: keys taken in the
library or differing only in case get fresh keys and the report says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.formats import read_file
from spinelib.formats.bibtex import export_problems, read_bibtex, write_biblatex, write_bibtex
from spinelib.formats.citation import format_citation
from spinelib.formats.common import export_keys
from spinelib.formats.csljson import write_csljson
from spinelib.formats.csljson_read import read_csljson
from spinelib.formats.decoding import decode_bytes
from spinelib.formats.ris import read_ris, write_ris
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats" / "issue21"


def by_title(records: list[ArticleRecord]) -> dict[str, ArticleRecord]:
    return {r.title: r for r in records}


# -- 1. MEDLINE without PMID lines ------------------------------------------------------------

def test_eric_medline_records_split_on_blank_lines_with_full_author_names() -> None:
    result = read_file(DATA / "eric_medline.txt")  # a .txt: recognised by its tags
    assert result.problems == []
    assert [r.title for r in result.records] == [
        "Teaching spine oncology to surgical residents: a curriculum study",
        "Simulation of separation surgery for metastatic epidural compression",
        "A third record with the same author as the first"]
    first = result.records[0]
    assert [(a.family, a.given) for a in first.authors] == [("Okafor", "Chidi"),
                                                           ("Lindqvist", "Åsa")]
    assert first.journal == "Journal of Surgical Education" and first.year == 2019
    assert first.abstract == "Residents scored P < 0.05 better after the course."
    assert [a.family for a in result.records[1].authors] == ["Haddad"]


def test_medline_tags_without_the_space_are_still_tags() -> None:
    result = read_file(DATA / "nospace.nbib")
    assert [(r.pmid, r.title) for r in result.records] == [
        ("31000001", "Tag written without the space"), ("31000002", "A record right after")]
    assert result.records[0].authors == [Author("Tan", "Wei", initials="W")]


def test_glued_medline_records_are_reported_never_folded() -> None:
    result = read_file(DATA / "glued.txt")
    assert result.records == []
    assert result.problems == [
        "glued.txt record 1 (line 1): holds 2 TI lines with no blank line between the "
        "records, so where one record ends cannot be told (skipped; separate the records "
        "with blank lines)"]


# -- 2, 3, 6. BibTeX keys: none, empty, repeated, differing in case ----------------------------

def test_mendeley_empty_keys_import_under_new_keys() -> None:
    result = read_file(DATA / "mendeley_no_keys.bib")
    assert len(result.records) == 3 and result.problems == []
    assert [r.citekey for r in result.records] == ["", "", "Patchell2005"]
    assert result.warnings == [
        "mendeley_no_keys.bib line 6: the entry has no key; it is imported under a new key",
        "mendeley_no_keys.bib line 12: the entry has no key; it is imported under a new key"]


def test_endnote_entries_without_any_key_import() -> None:
    result = read_file(DATA / "endnote_no_keys.bib")
    assert result.problems == []
    assert [r.title for r in result.records] == [
        "A revised scoring system for preoperative evaluation of metastatic spine tumor "
        "prognosis", "Surgical strategy for spinal metastases"]
    assert result.records[0].pages == "2186-2191" and result.records[0].volume == "30"
    assert len(result.warnings) == 2 and "has no key" in result.warnings[0]


def test_repeated_and_case_only_keys_keep_every_work() -> None:
    result = read_file(DATA / "repeated_keys.bib")
    assert result.problems == []
    assert [(r.citekey, r.year) for r in result.records] == [
        ("Smith2010", 2010), ("", 2010), ("ITEM-1", 2011), ("", 2012)]
    assert result.records[1].journal == "Radiotherapy and Oncology"  # raw block still read
    assert "only in letter case" in result.warnings[1]


def test_export_keys_are_unique_case_insensitively() -> None:
    recs = [ArticleRecord(title="A", citekey="ITEM-1"), ArticleRecord(title="B", citekey="item-1")]
    keys = [k for k, _ in export_keys(recs)]
    assert keys == ["ITEM-1", "item-1a"]
    back = read_bibtex(write_bibtex(recs), "t.bib")
    assert back.warnings == [] and [r.citekey for r in back.records] == keys


def test_many_keyless_records_of_one_base_get_the_suffixes_in_order() -> None:
    """Every earlier suffix was tried again for each record (quadratic in a base's count)."""
    recs = [ArticleRecord(title="Abstract of a poster", citekey="ANONNDABSTRACT")] + [
        ArticleRecord(title="Abstract of a poster") for _ in range(29)]
    keys = [k for k, _ in export_keys(recs)]
    assert keys[:4] == ["ANONNDABSTRACT", "anonndabstracta", "anonndabstractb",
                        "anonndabstractc"]
    assert keys[26:] == ["anonndabstractz", "anonndabstractaa", "anonndabstractab",
                         "anonndabstractac"]
    assert len({k.casefold() for k in keys}) == 30


# -- 4. Non-article types keep their fields through every format --------------------------------

def test_bibtex_types_and_their_fields_are_read() -> None:
    recs = by_title(read_file(DATA / "types.bib").records)
    paper = recs["Deep learning for vertebral metastasis detection on CT"]
    assert paper.type == "conference"
    assert paper.book_title == "Proceedings of the 22nd MICCAI Conference"
    assert (paper.volume, paper.issue, paper.pages) == ("11767", "4", "112-120")
    assert (paper.publisher, paper.place, paper.institution) == ("Springer", "Shenzhen",
                                                                 "MICCAI Society")
    assert paper.authors[1] == Author("von Hicks", "Michael", suffix="III")
    report = recs["Spinal metastases and metastatic spinal cord compression"]
    assert (report.type, report.report_number, report.institution) == ("report", "NG234", "NICE")
    thesis = recs["Biomechanics of the metastatic vertebra"]
    assert thesis.type == "thesis" and thesis.institution == "Universidad de Barcelona"
    assert thesis.publication_types == ["PhD thesis"]
    assert recs["Spinal tumors: patient information"].type == "webpage"
    assert recs["Cancer pain relief"].report_number == "WHO/NMH/2020.1"
    preprint = recs["A trial of separation surgery"]
    assert (preprint.pubstate, preprint.date_text, preprint.year) == ("submitted", "2025?", 2025)
    galen = recs["On the usefulness of the parts of the body"]
    assert (galen.date_text, galen.year) == ("-0160", None)
    assert galen.authors == [Author("of Galen", "Claudius")]  # extended name format


FIELDS = ("type", "title", "book_title", "volume", "pages", "publisher", "place",
          "institution", "report_number", "year")


def _fields(rec: ArticleRecord, names: tuple[str, ...] = FIELDS) -> dict[str, object]:
    return {n: getattr(rec, n) for n in names}


@pytest.mark.parametrize(("write", "read"), [
    (write_bibtex, read_bibtex), (write_biblatex, read_bibtex), (write_ris, read_ris),
    (write_csljson, read_csljson)], ids=["bibtex", "biblatex", "ris", "csljson"])
def test_types_survive_every_format(write, read) -> None:  # type: ignore[no-untyped-def]
    originals = read_file(DATA / "types.bib").records[:3]  # conference, report, thesis
    back = read(write(originals), "t").records
    for original, again in zip(originals, back, strict=True):
        expected = _fields(original)
        if read is read_ris and original.type == "conference":
            expected["institution"] = ""  # RIS has no organiser field
        if read is not read_bibtex and original.type == "conference":
            expected["institution"] = ""
        assert _fields(again) == expected
        assert again.publication_types == original.publication_types


def test_ris_and_csl_types_are_read() -> None:
    ris = read_file(DATA / "types.ris").records
    assert [r.type for r in ris] == ["conference", "conference", "report", "thesis", "webpage"]
    assert ris[1].book_title == "Proceedings of the Spine Oncology Summit 2018"
    assert (ris[2].report_number, ris[2].institution, ris[2].place) == ("NG234", "NICE",
                                                                        "London")
    csl = read_file(DATA / "types.json").records
    assert [r.type for r in csl[:3]] == ["conference", "report", "thesis"]
    assert csl[0].authors[1] == Author("von Hicks", "Michael", suffix="III")
    assert csl[1].report_number == "NG234" and csl[1].institution == "NICE"


def test_reference_lists_show_the_proceedings_title_and_report_number() -> None:
    recs = by_title(read_file(DATA / "types.bib").records)
    paper = recs["Deep learning for vertebral metastasis detection on CT"]
    assert "In: Proceedings of the 22nd MICCAI Conference. Shenzhen: Springer; 2019. " \
           "p. 112–20." in format_citation(paper, "vancouver")
    # the CSL styles decide (pandoc prints the same): NLM names the report number, AMA's
    # CSL style does not
    assert "London: NICE; 2019. Report no.: NG234." in format_citation(
        recs["Spinal metastases and metastatic spinal cord compression"], "vancouver")


# -- 5. crossref -----------------------------------------------------------------------------------

def test_crossref_children_inherit_from_their_parent() -> None:
    result = read_file(DATA / "crossref.bib")
    paper1, paper2, proceedings, orphan = result.records
    assert paper1.book_title == "Proceedings of the Spine Oncology Summit 2018"
    assert (paper1.year, paper1.publisher, paper1.place) == (2018, "Thieme", "New York")
    assert paper1.title == "Cement leakage after kyphoplasty"  # never the parent's title
    assert paper2.year == 2017  # its own field wins; the key matched case-insensitively
    assert proceedings.type == "proceedings"
    assert orphan.book_title == ""
    assert result.warnings == [
        "crossref.bib line 24: entry 'orphan': its crossref 'missingparent' is not in "
        "crossref.bib; the fields it would inherit are missing"]


# -- 7. PubMed XML roots --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "pmid", "kind"), [
    ("single_article.xml", "23657305", "article"),
    ("single_book_article.xml", "20301577", "chapter"),
    ("book_article_set.xml", "20301577", "chapter")])
def test_pubmed_files_whose_root_is_one_article_or_a_book_set(name: str, pmid: str,
                                                              kind: str) -> None:
    result = read_file(DATA / name)
    assert [(r.pmid, r.type) for r in result.records] == [(pmid, kind)]
    assert result.problems == []


def test_an_empty_pubmed_article_is_named_not_imported_blank() -> None:
    result = read_file(DATA / "empty_article.xml")
    assert [r.pmid for r in result.records] == ["23657305"]
    assert result.problems == ["empty_article.xml article 2: an empty <PubmedArticle> (no "
                               "title, no PMID) (skipped)"]


def test_pubmed_book_keeps_its_place() -> None:
    rec = read_file(DATA / "single_book_article.xml").records[0]
    assert rec.place == "Seattle (WA)" and rec.publisher == "University of Washington, Seattle"


# -- 8. HTML entities -----------------------------------------------------------------------------

def test_entities_are_decoded_in_ris_and_csl_alike_and_survive_round_trips() -> None:
    ris = read_file(DATA / "scopus.ris").records
    assert ris[0].abstract == "Local control improved (P < 0.0001; HR ≥ 2 & rising)."
    assert ris[1].title == "Radiosurgery & fracture risk"
    csl = read_file(DATA / "types.json").records
    assert csl[4].title == "P < 0.05 in a p-value title" and csl[4].abstract == "Dose ≥ 8 Gy."
    literal = ArticleRecord(title="The string &lt; stays literal & so does < this", year=2020,
                            abstract="A &amp; B", notes="&#945; typed by hand")
    for write, read in ((write_ris, read_ris), (write_csljson, read_csljson)):
        back = read(write([literal], abstracts=True), "t").records[0]
        assert (back.title, back.abstract, back.notes) == (
            literal.title, literal.abstract, literal.notes)


def test_entities_in_bibtex_are_decoded_but_an_escaped_ampersand_is_text() -> None:
    text = "@article{k, title={P &lt; 0.05 in R&amp;D, not \\&lt; this}, year=2000}\n"
    rec = read_bibtex(text, "t.bib").records[0]
    assert rec.title == "P < 0.05 in R&D, not &lt; this"
    assert read_bibtex(write_bibtex([rec]), "t.bib").records[0].title == rec.title


# -- 9. The smaller ones --------------------------------------------------------------------------

def test_gbk_bib_is_detected() -> None:
    data = "@article{k, title={脊柱转移瘤的分离手术}, author={张伟}, year=2020}".encode("gb18030")
    text, warnings = decode_bytes(data, "cn.bib")
    assert "脊柱转移瘤的分离手术" in text
    assert warnings == ["cn.bib is not UTF-8; its text is Chinese in GB18030 (GBK), and was "
                        "read so"]
    latin = decode_bytes("Müller à Zürich".encode("cp1252"), "de.bib")
    assert latin[0] == "Müller à Zürich"


def test_name_suffix_stays_apart_and_comes_back_in_every_format() -> None:
    rec = ArticleRecord(title="T", year=2001, citekey="k",
                        authors=[Author("von Hicks", "Michael", suffix="III")])
    assert "von Hicks, III, Michael" in write_bibtex([rec])
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        assert read(write([rec]), "t").records[0].authors == rec.authors


def test_ris_journal_abbreviation_only_short_title_only_and_csl_doi_link() -> None:
    ris = read_file(DATA / "scopus.ris").records
    assert ris[1].journal == "Spine J" and ris[1].journal_abbrev == "Spine J"
    assert ris[2].title == "Short title only" and ris[2].journal == "Eur Spine J"
    csl = by_title(read_file(DATA / "types.json").records)
    assert csl["A trial of separation surgery"].doi == "10.1101/2025.01.01.25300001"


def test_preprint_status_and_edtf_dates_are_written_back_for_biber() -> None:
    recs = by_title(read_file(DATA / "types.bib").records)
    pre, galen = recs["A trial of separation surgery"], recs[
        "On the usefulness of the parts of the body"]
    text = write_biblatex([pre, galen])
    assert "date = {2025?}" in text and "pubstate = {submitted}" in text
    assert "date = {-0160}" in text
    back = by_title(read_bibtex(text, "t").records)
    assert back[pre.title].date_text == "2025?" and back[pre.title].pubstate == "submitted"
    assert back[galen.title].date_text == "-0160"
    csl = by_title(read_csljson(write_csljson([pre, galen]), "t").records)
    assert csl[pre.title].date_text == "2025?" and csl[pre.title].pubstate == "submitted"
    assert csl[galen.title].date_text == "-0160" and csl[galen.title].year is None


def test_ascii_bibtex_warns_about_a_greek_letter_that_would_change() -> None:
    rec = ArticleRecord(title="Ὀδύσσεια: έ", year=2000, citekey="k", journal="J",
                        authors=[Author("A", "B")])
    problems = export_problems([rec], biblatex=False)
    assert any("'έ' (U+03AD)" in p for p in problems), problems


def test_web_of_science_file_is_read(tmp_path: Path) -> None:
    """Named and refused before Web of Science's tagged text had a reader (tests/core/
    test_wos.py); now read."""
    [rec] = read_file(DATA / "wos_savedrecs.txt").records
    assert (rec.title, rec.journal) == ("The NOMS framework", "Oncologist")


# -- issue 15 item 8: the library gives taken keys fresh ones and says so -------------------------

def test_a_key_taken_in_the_library_gets_a_fresh_key_and_the_report_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib_path = tmp_path / "lib.sqlite"
    first = tmp_path / "first.bib"
    first.write_text("@article{Smith2010, title={Vertebroplasty outcomes}, year=2010}\n",
                     encoding="utf-8")
    second = tmp_path / "second.ris"
    second.write_text("TY  - JOUR\nID  - smith2010\nTI  - Another work, same key in lower "
                      "case\nPY  - 2011\nER  - \n", encoding="utf-8")
    assert main(["--library", str(lib_path), "import", str(first)]) == 0
    assert main(["--library", str(lib_path), "import", str(second)]) == 0
    out = capsys.readouterr().out
    assert "key 'smith2010' is already used; stored as" in out
    with Library.open(lib_path) as lib:
        assert lib.search.count() == 2
        rec = lib.articles.record(lib.articles.resolve_key("Smith2010"))
        assert rec.title == "Vertebroplasty outcomes"
        [other_id] = lib.search.matching("same key in lower case")
        other = lib.articles.record(other_id)
        assert other.citekey.casefold() != "smith2010"


def test_the_library_stores_every_new_field(tmp_path: Path) -> None:
    records = read_file(DATA / "types.bib").records
    with Library.open(tmp_path / "lib.sqlite") as lib:
        results = lib.articles.add_records(records, suggest_tags=False)
        assert [r.status for r in results] == ["imported"] * len(records)
        for original, res in zip(records, results, strict=True):
            stored = lib.articles.record(res.article_id)
            assert _fields(stored) == _fields(original)
            assert (stored.date_text, stored.pubstate) == (original.date_text,
                                                           original.pubstate)
            assert stored.authors == original.authors
