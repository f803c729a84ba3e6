"""BibTeX/BibLaTeX writing and reading (spinelib.formats.bibtex)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from spinelib.formats.bibtex import (
    entry_type,
    export_problems,
    read_bibtex,
    write_biblatex,
    write_bibtex,
)
from spinelib.formats.bibtex.fields import journal_title_case
from spinelib.records import ArticleRecord, Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def patchell(**changes: object) -> ArticleRecord:
    rec = ArticleRecord(
        title="Direct decompressive surgical resection in the treatment of spinal cord "
              "compression caused by metastatic cancer: a randomised trial",
        authors=[Author("Patchell", "Roy A", "RA"), Author("Tibbs", "Phillip A", "PA")],
        journal="Lancet", journal_abbrev="Lancet", issn="0140-6736",
        year=2005, month=8, day=20, volume="366", issue="9486", pages="643-8",
        doi="10.1016/s0140-6736(05)66954-1", pmid="16125588", pmcid="PMC1234567",
        abstract="BACKGROUND: First.\n\nMETHODS: Second.", citekey="patchell2005direct",
        tags=["surgery", "MESCC"], keywords=["decompression"], notes="Landmark trial.",
    )
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


def fields_of(text: str) -> dict[str, str]:
    """The fields of the single entry in ``text``, as bibtexparser sees them (raw)."""
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    assert len(lib.entries) == 1
    return {f.key: f.value for f in lib.entries[0].fields}


# -- writing: classic BibTeX ----------------------------------------------------------------

def test_bibtex_entry_has_classic_fields_and_month_macro() -> None:
    text = write_bibtex([patchell()])
    assert text.startswith("@article{patchell2005direct,")
    assert "month = aug," in text  # a macro, unquoted
    f = fields_of(text)
    assert f["author"] == "Patchell, Roy A and Tibbs, Phillip A"
    assert f["journal"] == "Lancet"
    assert f["year"] == "2005"
    assert f["volume"] == "366" and f["number"] == "9486"
    assert f["pages"] == "643--648"  # NLM short form written out, en-dash as --
    assert f["doi"] == "10.1016/s0140-6736(05)66954-1"
    assert f["pmid"] == "16125588" and f["pmcid"] == "PMC1234567"
    assert f["issn"] == "0140-6736"
    assert f["keywords"] == "surgery, MESCC, decompression"
    # The reader's notes as `annote`: BibTeX's styles print `note` in the reference list.
    assert f["annote"] == "Landmark trial." and "note" not in f
    assert "abstract" not in f
    assert text.isascii()


def test_abstract_only_when_asked_and_paragraphs_kept() -> None:
    f = fields_of(write_bibtex([patchell()], abstracts=True))
    assert f["abstract"] == r"BACKGROUND: First. \par METHODS: Second."


def test_title_case_protection() -> None:
    rec = patchell(title="Stereotactic body radiotherapy (SBRT) after MISt and sLITT: "
                         "the Bilsky grade, Tokuhashi score and Kyphon balloons on MRI")
    f = fields_of(write_bibtex([rec]))
    assert f["title"] == (
        "Stereotactic body radiotherapy ({SBRT}) after {MISt} and {sLITT}: the {Bilsky} "
        "grade, {Tokuhashi} score and {Kyphon} balloons on {MRI}")


def test_first_word_protected_only_when_it_has_inner_capitals() -> None:
    assert fields_of(write_bibtex([patchell(title="Spinal metastases")]))["title"] == (
        "Spinal metastases")
    assert fields_of(write_bibtex([patchell(title="SBRT for spinal metastases")]))["title"] == (
        "{SBRT} for spinal metastases")


def test_latex_specials_escaped() -> None:
    rec = patchell(title="50% & $5 costs_x #1 ~ ^ back\\slash {braces} a--b ''q''")
    f = fields_of(write_bibtex([rec]))
    assert f["title"] == (
        r"50\% \& \$5 costs\_x \#1 {\textasciitilde} {\textasciicircum} "
        r"back{\textbackslash}slash {\textbraceleft}braces{\textbraceright} a-{}-b '{}'q'{}'")


def test_unicode_becomes_latex_commands_in_bibtex_mode() -> None:
    rec = patchell(
        title="α-blocker effect on Ω and ≥ 5 °C",
        authors=[Author("Şahin", "Ayşe"), Author("Kupče", "Ēriks"), Author("Müller", "Jürgen"),
                 Author("Ibáñez", "José María"), Author("Gökmen", "Iğdır")],
    )
    text = write_bibtex([rec])
    assert text.isascii()
    f = fields_of(text)
    assert f["title"] == (
        r"{$\alpha$}-blocker effect on {{$\Omega$}} and {$\geq$} 5 {\textdegree}{C}")
    assert f["author"] == (
        r"{\c{S}}ahin, Ay{\c{s}}e and Kup{\v{c}}e, {\={E}}riks and M{\"u}ller, J{\"u}rgen "
        r"and Ib{\'a}{\~n}ez, Jos{\'e} Mar{\'\i}a and G{\"o}kmen, I{\u{g}}d{\i}r")


def test_unencodable_characters_replaced_and_reported() -> None:
    rec = patchell(title="Spinal metastases 中文 study ﬁnal 😀", citekey="han2020")
    text = write_bibtex([rec])
    assert text.isascii()
    # The ligature has a spelling (fi); CJK and emoji have none.
    assert fields_of(text)["title"] == "Spinal metastases ?? study {fi}nal ?"
    problems = export_problems([rec], biblatex=False)
    assert any(p.startswith("han2020: title has characters BibTeX cannot encode")
               and "U+4E2D" in p and "U+1F600" in p for p in problems)
    assert not any("U+FB01" in p for p in problems)  # the ligature has an ASCII spelling
    # BibLaTeX keeps UTF-8, so nothing to report there.
    assert export_problems([rec], biblatex=True) == []


def test_collective_author_is_braced_and_names_that_would_split_are_protected() -> None:
    rec = patchell(authors=[
        Author(collective="Canadian Respiratory Research Network"),
        Author("Smith and Sons", "Ann"),
        Author("De La Cruz", ""),
        Author("van der Berg", "Jan"),
    ])
    f = fields_of(write_bibtex([rec]))
    assert f["author"] == ("{Canadian Respiratory Research Network} and {Smith and Sons}, Ann"
                           " and {De La Cruz} and van der Berg, Jan")
    only = fields_of(write_bibtex([patchell(authors=[Author(collective="Spine Group")])]))
    assert only["author"] == "{Spine Group}"  # i.e. author = {{Spine Group}} in the file


def test_keywords_with_commas_are_braced() -> None:
    rec = patchell(tags=["spine, metastasis", "SBRT"], keywords=["sbrt", "a; b"])
    assert fields_of(write_bibtex([rec]))["keywords"] == "{spine, metastasis}, SBRT, {a; b}"


def test_entry_types() -> None:
    assert entry_type(patchell(type="review"), biblatex=False) == "article"
    assert entry_type(patchell(type="erratum"), biblatex=False) == "article"
    assert entry_type(patchell(type="book"), biblatex=False) == "book"
    assert entry_type(patchell(type="chapter"), biblatex=False) == "incollection"
    assert entry_type(patchell(type="chapter"), biblatex=True) == "inbook"
    assert entry_type(ArticleRecord(title="x", type="other"), biblatex=False) == "misc"
    assert entry_type(ArticleRecord(title="x", type="preprint", journal="medRxiv"),
                      biblatex=False) == "article"


def test_chapter_and_book_fields() -> None:
    chapter = ArticleRecord(type="chapter", title="Separation surgery", book_title="Spine Oncology",
                            authors=[Author("Laufer", "Ilya")], publisher="Thieme", year=2018,
                            pages="201-12", citekey="laufer2018separation")
    text = write_bibtex([chapter])
    assert text.startswith("@incollection{laufer2018separation,")
    f = fields_of(text)
    assert f["booktitle"] == "Spine {Oncology}" and f["publisher"] == "Thieme"
    assert f["pages"] == "201--212"
    book = fields_of(write_biblatex([ArticleRecord(type="book", title="Spine Oncology",
                                                   publisher="Thieme", year=2018)]))
    assert book["publisher"] == "Thieme" and "journaltitle" not in book


def test_biblatex_fields() -> None:
    rec = patchell(title="α-blockers in Rīga")
    text = write_biblatex([rec], abstracts=True)
    assert "α-blockers in {Rīga}" in text  # UTF-8 kept
    f = fields_of(text)
    assert f["journaltitle"] == "Lancet" and f["shortjournal"] == "Lancet"
    assert f["date"] == "2005-08-20"
    assert f["eprint"] == "16125588" and f["eprinttype"] == "pubmed"
    assert f["addendum"] == "PMCID: PMC1234567"
    assert not {"journal", "year", "month", "pmid", "pmcid"} & set(f)
    only_pmc = fields_of(write_biblatex([patchell(pmid="")]))
    assert only_pmc["eprint"] == "PMC1234567" and only_pmc["eprinttype"] == "pmcid"


def test_biblatex_date_without_day_or_month() -> None:
    assert fields_of(write_biblatex([patchell(day=None)]))["date"] == "2005-08"
    assert fields_of(write_biblatex([patchell(month=None, day=None)]))["date"] == "2005"


def test_missing_month_and_article_number() -> None:
    f = fields_of(write_bibtex([patchell(month=None, day=None, pages="e33693")]))
    assert "month" not in f
    assert f["pages"] == "e33693"


def test_keys_are_made_unique_and_valid() -> None:
    a = patchell()
    b = patchell(title="Second paper")
    c = patchell(citekey="not valid key")
    text = write_bibtex([a, b, c])
    lib = bibtexparser.parse_string(text)
    assert [e.key for e in lib.entries] == ["patchell2005direct", "patchell2005directa",
                                            "patchell2005directb"]
    problems = export_problems([a, b, c], biblatex=False)
    assert any("shares the citekey" in p for p in problems)
    assert any("'not valid key'" in p for p in problems)


def test_export_problems_names_missing_fields() -> None:
    rec = ArticleRecord(title="", citekey="x2001")
    problems = export_problems([rec], biblatex=False)
    assert problems == ["x2001: missing author, title, year, journal (bibtex will warn)"]
    book = ArticleRecord(type="book", title="A book", authors=[Author("A", "B")], year=2001,
                         citekey="a2001book")
    assert export_problems([book], biblatex=False) == [
        "a2001book: missing publisher (bibtex will warn)"]
    assert export_problems([patchell()], biblatex=False) == []


def test_no_records_gives_empty_text() -> None:
    assert write_bibtex([]) == "" and write_biblatex([]) == ""


# -- reading ---------------------------------------------------------------------------

def test_read_jabref_file() -> None:
    result = read_bibtex((DATA / "jabref.bib").read_text(encoding="utf-8"), "jabref.bib")
    assert result.problems == [] and result.warnings == []
    fisher, bilsky, berenson, akgun = result.records
    assert fisher.citekey == "Fisher2010"
    assert fisher.journal == "Spine (Phila Pa 1976)"  # @string macro resolved
    assert fisher.month == 10 and fisher.year == 2010
    assert fisher.pages == "E1221-E1229"
    assert fisher.doi == "10.1097/brs.0b013e3181e16ae2" and fisher.pmid == "20562730"
    assert fisher.title.endswith("expert consensus from the Spine Oncology Study Group")
    assert fisher.keywords == ["SINS", "spinal instability", "metastasis, spinal"]
    assert fisher.tags == []
    assert bilsky.journal == "Journal of Neurosurgery: Spine"
    assert bilsky.month == 9  # sep # "~1"
    assert bilsky.doi == "10.3171/2010.3.spine09459"  # from a doi.org URL
    assert bilsky.notes == "Defines the 6-point ESCC grade."
    assert berenson.authors[-1] == Author(
        collective="Cancer Patient Fracture Evaluation (CAFE) Investigators")
    assert berenson.month == 3
    assert [(a.family, a.given) for a in akgun.authors] == [
        ("Akgün Gökmen", "Selçuk"), ("Şahin", "Ayşe"), ("Kupče", "Ēriks"),
        ("García-López", "María José"), ("von Beethoven", "Ludwig")]
    assert akgun.title == "α-blockers and MRI: 50 % of cases & a $5 cost"
    assert akgun.pages == "e33693" and akgun.pmcid == "PMC10000001"
    assert akgun.abstract == ("First paragraph.\n\nSecond paragraph with “quotes” and a "
                              "range 5–7.")
    assert all(r.source == "bibtex" for r in result.records)


def test_read_better_bibtex_biblatex_file() -> None:
    result = read_bibtex((DATA / "zotero_bbt.bib").read_text(encoding="utf-8"), "z.bib")
    assert result.problems == []
    sahgal, book, chapter = result.records
    assert sahgal.journal == "The Lancet Oncology" and sahgal.journal_abbrev == "Lancet Oncol"
    assert (sahgal.year, sahgal.month) == (2021, 7)
    assert sahgal.pmid == "34126044"
    assert sahgal.issn == "1474-5488"
    assert sahgal.keywords == ["Radiosurgery", "Spinal Neoplasms", "SBRT"]
    assert book.type == "book" and book.publisher == "Thieme"
    assert chapter.type == "chapter"
    assert chapter.book_title == "Spine Oncology: Principles and Practice"
    assert chapter.pages == "201-212"


def test_broken_file_imports_good_entries_and_reports_bad_blocks_by_line() -> None:
    result = read_bibtex((DATA / "broken.bib").read_text(encoding="utf-8"), "broken.bib")
    # The entry repeating good2001's key is a work of its own: imported, without the key
    # (the library gives it a fresh one), and the report says so (issue 21, class 2).
    assert [r.citekey for r in result.records] == ["good2001", "good2003", "",
                                                   "twofields2004", "baddoi2006"]
    assert result.records[2].title == "The same key again"
    assert result.problems == [
        "broken.bib line 8: unbalanced braces in entry 'unbalanced2002' (skipped)",
        "broken.bib line 35: entry 'empty2005': entry has neither a title nor a DOI, PMID "
        "or PMCID (skipped)",
    ]
    # An invalid DOI is left out of an entry that is imported: a warning, not a failure.
    assert result.warnings == [
        "broken.bib line 23: the key 'good2001' was already used (broken.bib line 1); this "
        "entry is imported under a new key",
        "broken.bib line 29: entry 'twofields2004' has the field year more than once; the "
        "first was used",
        "broken.bib line 40: entry 'baddoi2006': 'not a doi' is not a DOI (dropped)"]
    assert result.records[3].year == 2004
    assert result.records[4].doi == ""


def test_unbalanced_brace_at_end_of_file() -> None:
    text = "@article{a, title={Fine}, year={2001}}\n\n@article{b, title={Never {closed}, year=2}\n"
    result = read_bibtex(text, "t.bib")
    assert [r.citekey for r in result.records] == ["a"]
    assert result.problems == ["t.bib line 3: unbalanced braces in entry 'b' (skipped)"]


def test_wrong_identifier_kinds_are_dropped() -> None:
    text = "@article{a, title={T}, doi={12345678}, pmid={PMC5}, pmcid={10.1/x}}"
    result = read_bibtex(text, "t.bib")
    rec = result.records[0]
    assert (rec.doi, rec.pmid, rec.pmcid) == ("", "", "")
    assert result.problems == []  # the entry is imported without them
    assert len(result.warnings) == 3
    assert all(w.startswith("t.bib line 1: entry 'a': ") and w.endswith(" (dropped)")
               for w in result.warnings)


def test_invalid_key_is_not_used_as_citekey() -> None:
    result = read_bibtex("@article{Müller2001, title={T}}", "t.bib")
    assert result.records[0].citekey == ""
    assert result.warnings and "Müller2001" in result.warnings[0]


def test_empty_or_comment_only_file_warns() -> None:
    result = read_bibtex("% just a comment\n", "empty.bib")
    assert result.records == [] and result.problems == []
    assert result.warnings == ["empty.bib has no BibTeX entries"]


def test_complex_latex_goes_through_the_full_parser() -> None:
    text = r"@article{a, title={\textit{In vivo} H$_2$O and \emph{SINS}}}"
    assert read_bibtex(text, "t.bib").records[0].title == "In vivo H2O and SINS"


@pytest.mark.parametrize("writer", [write_bibtex, write_biblatex])
def test_reader_reads_back_what_the_writers_write(writer) -> None:  # type: ignore[no-untyped-def]
    rec = patchell(title="SBRT & 50% of α-blockers: the Bilsky grade {x} a--b",
                   authors=[Author("Şahin", "Ayşe"), Author(collective="Spine Group, Canada")],
                   tags=["spine, metastasis"], keywords=[], notes="n1\n\nn2")
    back = read_bibtex(writer([rec], abstracts=True), "t.bib").records[0]
    assert back.title == rec.title
    assert back.authors == rec.authors[:1] + [Author(collective="Spine Group, Canada")]
    assert back.keywords == ["spine, metastasis"]
    assert back.notes == "n1\n\nn2"
    assert back.abstract == rec.abstract
    assert back.pages == "643-648"
    assert (back.doi, back.pmid, back.pmcid) == (rec.doi, rec.pmid, rec.pmcid)
    assert (back.year, back.month, back.day) == (2005, 8, 20)


@pytest.mark.parametrize("stored, title_cased", [
    ("Global spine journal", "Global Spine Journal"),
    ("Revista de ñandú", "Revista de Ñandú"),
    # Capitalising would change the letter in the ASCII export: kept small.
    ("Bone & ƒ-actin research", "Bone & ƒ-Actin Research"),  # Ƒ (U+0191) would be "?"
    ("Acta ελληνικά", "Acta ελληνικά"),  # capital epsilon would be "E"
    ("Zeitschrift für ßtudien", "Zeitschrift Für ßtudien"),  # not "SStudien"
])
def test_a_journal_name_is_title_cased_only_where_the_export_can_spell_the_capital(
        stored: str, title_cased: str) -> None:
    """Title-casing "A & ƒ…" made the capital Ƒ, which classic BibTeX can only write "?"."""
    assert journal_title_case(stored) == title_cased
    rec = ArticleRecord(title="Title", journal=stored, citekey="k")
    written = fields_of(write_bibtex([rec]))["journal"]
    assert "?" not in written
    assert read_bibtex(write_bibtex([rec])).records[0].journal == title_cased


@pytest.mark.parametrize("field", ["shortjournal", "journalabbrev", "journal-abbrev",
                                   "journalabbreviation"])
def test_each_abbreviation_field_gives_the_journals_abbreviation(field: str) -> None:
    """The four spellings exporters use (biblatex's, and older tools'); two of them were
    lost when a rename (journalabbrev.py -> journalnames.py) reached the reader's field
    names too."""
    result = read_bibtex("@article{k, title = {A title}, journal = {Journal of "
                         f"Neurosurgery: Spine}}, {field} = {{J Neurosurg Spine}}, "
                         "year = {2020}}\n", "t.bib")
    assert result.records[0].journal_abbrev == "J Neurosurg Spine"


@pytest.mark.parametrize("writer", [write_bibtex, write_biblatex])
def test_notes_come_back_but_are_not_printed_in_a_reference_list(writer: Any,
                                                                   tmp_path: Path) -> None:
    """An export kept up to date for a paper (`export … --keep-updated`) is cited from as
    it is: written as `note`, BibTeX's own styles printed the reader's notes under the
    entry. As `annote` they stay in the file for SpineLib, Zotero and JabRef to read."""
    rec = patchell(notes="Highlights and comments in patchell.pdf:\np. 2, note: ask RH")
    text = writer([rec])
    back = read_bibtex(text, "refs.bib").records[0]
    assert back.notes.split() == rec.notes.split()  # BibTeX keeps paragraphs, not lines
    if writer is write_bibtex and shutil.which("bibtex"):
        (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
        (tmp_path / "paper.aux").write_text(
            "\\citation{patchell2005direct}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
        subprocess.run(["bibtex", "paper"], cwd=tmp_path, capture_output=True, timeout=60,
                       check=True)
        printed = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
        assert "Patchell" in printed and "ask RH" not in printed
