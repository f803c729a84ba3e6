"""RIS writing and reading (spinelib.formats.ris)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.formats import read_file
from spinelib.formats.ris import export_problems, read_ris, write_ris
from spinelib.records import ArticleRecord, Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"


def record(**changes: object) -> ArticleRecord:
    rec = ArticleRecord(
        title="The NOMS framework: approach to the treatment of spinal metastatic tumors",
        authors=[Author("Laufer", "Ilya"), Author(collective="Spine Oncology Study Group")],
        journal="The Oncologist", journal_abbrev="Oncologist", issn="1083-7159",
        year=2013, month=6, day=1, volume="18", issue="6", pages="744-51",
        doi="10.1634/theoncologist.2012-0293", pmid="23709750", pmcid="PMC4063402",
        abstract="First paragraph.\n\nSecond paragraph.", language="eng",
        citekey="laufer2013noms", tags=["NOMS"], keywords=["spinal metastases"],
        notes="Read this.",
    )
    for key, value in changes.items():
        setattr(rec, key, value)
    return rec


def test_write_layout() -> None:
    text = write_ris([record()], abstracts=True)
    assert text.splitlines() == [
        "TY  - JOUR",
        "ID  - laufer2013noms",
        "AU  - Laufer, Ilya",
        "AU  - Spine Oncology Study Group,",
        "TI  - The NOMS framework: approach to the treatment of spinal metastatic tumors",
        "T2  - The Oncologist",
        "J2  - Oncologist",
        "PY  - 2013",
        "DA  - 2013/06/01/",
        "VL  - 18",
        "IS  - 6",
        "SP  - 744",
        "EP  - 751",
        "SN  - 1083-7159",
        "DO  - 10.1634/theoncologist.2012-0293",
        "AN  - 23709750",
        "DB  - PubMed",
        "C2  - PMC4063402",
        "LA  - eng",
        "AB  - First paragraph.",
        "Second paragraph.",
        "KW  - NOMS",
        "KW  - spinal metastases",
        "N1  - Read this.",
        "ER  - ",
    ]
    assert "\r" not in text


def test_abstract_left_out_unless_asked_and_records_separated() -> None:
    text = write_ris([record(), record(citekey="b")])
    assert "AB  -" not in text
    assert text.count("TY  - JOUR") == 2
    assert "ER  - \n\nTY  - JOUR" in text


def test_types_and_dates() -> None:
    book = write_ris([ArticleRecord(type="book", title="B", publisher="Thieme", year=2018)])
    assert "TY  - BOOK" in book and "PB  - Thieme" in book and "DA  -" not in book
    chap = write_ris([ArticleRecord(type="chapter", title="C", book_title="B", year=2018,
                                    month=3)])
    assert "TY  - CHAP" in chap and "T2  - B" in chap and "DA  - 2018/03//" in chap
    assert "TY  - GEN" in write_ris([ArticleRecord(title="x", type="other")])


def test_paragraph_that_looks_like_a_tag_is_indented_and_survives() -> None:
    rec = record(abstract="Intro.\n\nER - not the end\n\nAB - not a tag")
    text = write_ris([rec], abstracts=True)
    assert "\n ER - not the end\n AB - not a tag\n" in text
    back = read_ris(text, "t.ris")
    assert back.problems == []
    assert back.records[0].abstract == rec.abstract


@pytest.mark.parametrize("notes", ["<pre-op MRI> showed cord compression",
                                   "<p>typed, not HTML</p>", "&lt;p&gt; is how HTML writes <p>",
                                   "First.\n\n<div>second</div>"])
def test_a_note_that_looks_like_html_comes_back_as_written(notes: str) -> None:
    # A surgeon's "<pre-op MRI> showed…" read back as "showed…": the note was taken for
    # Zotero's HTML. The writer escapes the "<" that makes it look so.
    text = write_ris([record(notes=notes)])
    assert read_ris(text, "t.ris").records[0].notes == notes


def test_zotero_html_note_decoded_once() -> None:
    # HTML escapes its text once: "&amp;lt;" in a Zotero note is the text "&lt;".
    text = "TY  - JOUR\nTI  - T\nN1  - <p>x &amp;lt; y, <b>p</b> &lt; 0.05</p><p>Two</p>\nER  - \n"
    assert read_ris(text, "t.ris").records[0].notes == "x &lt; y, p < 0.05\n\nTwo"


#: Zotero keeps a title's italics, super- and subscripts as HTML tags in the field and its
#: RIS export writes them as they are (zotero.org/support/kb/rich_text_bibliography).
ZOTERO_RICH_TEXT = (
    "TY  - JOUR\n"
    "TI  - <sup>18</sup>F-FDG PET of <i>in vivo</i> H<sub>2</sub>O in "
    '<span style="font-variant:small-caps;">sins</span> <7 &amp; p<0.05\n'
    "T2  - <i>Spine</i>\n"
    "AB  - Patients with <i>p</i> < 0.05 and <b>SINS</b> >12.\n"
    "ER  - \n")


def test_zoteros_rich_text_is_read_as_plain_text() -> None:
    rec = read_ris(ZOTERO_RICH_TEXT, "t.ris").records[0]
    assert rec.title == "18F-FDG PET of in vivo H2O in sins <7 & p<0.05"
    assert rec.journal == "Spine"
    assert rec.abstract == "Patients with p < 0.05 and SINS >12."
    assert rec.citekey == ""  # the key is made from the plain title, not from "sup18"


@pytest.mark.parametrize("title", ["The <b> element and <i>x</i>", "&lt;i&gt; is <i>",
                                   "SINS <7 and p<0.05", "a<span class=\"nocase\">b"])
def test_a_title_that_looks_like_rich_text_comes_back_as_written(title: str) -> None:
    text = write_ris([record(title=title, abstract=title, journal=title)], abstracts=True)
    back = read_ris(text, "t.ris").records[0]
    assert (back.title, back.abstract, back.journal) == (title, title, title)


def test_round_trip_keeps_fields() -> None:
    rec = record()
    back = read_ris(write_ris([rec], abstracts=True), "t.ris").records[0]
    assert back.title == rec.title and back.journal == rec.journal
    assert back.journal_abbrev == "Oncologist" and back.issn == "1083-7159"
    assert (back.year, back.month, back.day) == (2013, 6, 1)
    assert (back.volume, back.issue, back.pages) == ("18", "6", "744-751")
    assert (back.doi, back.pmid, back.pmcid) == (rec.doi, rec.pmid, rec.pmcid)
    assert back.authors == [Author("Laufer", "Ilya"),
                            Author(collective="Spine Oncology Study Group")]
    assert back.keywords == ["NOMS", "spinal metastases"]
    assert back.abstract == rec.abstract and back.notes == rec.notes
    assert back.citekey == "laufer2013noms" and back.language == "eng"
    assert back.source == "ris"


def test_read_endnote_export() -> None:
    result = read_file(DATA / "endnote_pubmed.ris")
    assert result.problems == [] and result.warnings == []
    patchell, laufer = result.records
    assert patchell.pmid == "16125588"  # AN with DB - NLM
    assert patchell.doi == "10.1016/s0140-6736(05)66954-1"
    assert patchell.pages == "643-648"
    assert (patchell.year, patchell.month, patchell.day) == (2005, 8, 20)  # "Aug 20-26"
    assert patchell.issn == "0140-6736"  # the Linking ISSN, as PubMed's parser keeps
    assert patchell.journal == "Lancet"
    assert patchell.citekey == ""  # EndNote's record number is not a key
    assert patchell.authors[0] == Author("Patchell", "R. A.")
    assert len(patchell.authors) == 8
    assert patchell.notes.startswith("1474-547x\n\nPatchell, Roy A")
    assert laufer.pmcid == "PMC4063402" and laufer.month == 6


def test_read_zotero_export() -> None:
    result = read_file(DATA / "zotero_export.ris")
    assert result.problems == []
    article, book, chapter = result.records
    assert article.journal == "Journal of Neurosurgery: Spine"
    assert article.journal_abbrev == "J Neurosurg Spine"
    assert (article.year, article.month, article.day) == (2010, 9, None)
    assert article.pages == "324-328"
    assert article.abstract.count("\n\n") == 2
    assert article.abstract.startswith("OBJECT: ")
    assert article.keywords == ["Spinal Cord Compression", "Magnetic Resonance Imaging",
                                "Observer Variation"]
    assert article.notes == "Read for the SBRT journal club; ESCC 1c vs 2 cut-off matters."
    assert book.type == "book" and book.publisher == "Thieme" and book.issn == ""
    assert chapter.type == "chapter"
    assert chapter.book_title == "Spine Oncology: Principles and Practice"
    assert chapter.pages == "201-212"


def test_read_mendeley_export_with_bom() -> None:
    result = read_file(DATA / "mendeley.ris")
    assert result.problems == []
    fisher, tokuhashi = result.records
    assert fisher.citekey == "Fisher2010"
    assert fisher.journal == "Spine" and fisher.journal_abbrev == "Spine (Phila Pa 1976)"
    assert fisher.year == 2010 and fisher.month is None
    assert fisher.doi == "10.1097/brs.0b013e3181e16ae2"  # from M3 (and the UR)
    assert fisher.abstract.startswith("STUDY DESIGN:")  # N2
    assert fisher.pages == "E1221-E1229"
    assert fisher.url == ""  # the doi.org link is not kept as a URL
    assert tokuhashi.pmid == "16205345"  # from a PubMed UR
    assert tokuhashi.url.startswith("https://journals.lww.com/")
    assert (tokuhashi.year, tokuhashi.month, tokuhashi.day) == (2005, 10, 1)


def test_unterminated_last_record() -> None:
    result = read_file(DATA / "unterminated.ris")
    assert [r.title for r in result.records] == [
        "Stereotactic body radiotherapy versus conventional external beam radiotherapy in "
        "patients with painful spinal metastases", "The NOMS framework"]
    assert result.problems == [
        "unterminated.ris: last record (line 16) has no ER line; it was not imported"]


def test_malformed_records_named_by_number_and_line() -> None:
    result = read_file(DATA / "no_ty.ris")
    assert result.problems == [
        "no_ty.ris record 2 (line 12): no TY tag (skipped)",
        "no_ty.ris record 3 (line 17): neither a title nor a DOI, PMID or PMCID (skipped)",
    ]
    # Record 1 is imported without its DOI: a warning, not a failure.
    assert result.warnings == ["no_ty.ris record 1 (line 4): 'not-a-doi' is not a DOI "
                               "(dropped)"]
    assert len(result.records) == 2
    cafe = result.records[1]
    assert cafe.authors[1] == Author(
        collective="Cancer Patient Fracture Evaluation (CAFE) Investigators")


def test_an_import_that_drops_an_invalid_doi_fails_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both records are imported, one without its DOI: the import says so as a warning,
    counts no failure and exits 0 (it once read "2 imported, 1 failed", exit 1)."""
    from spinelib.cli import main
    from spinelib.library import Library

    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nTI  - Separation surgery before SBRT\nDO  - not-a-doi\n"
                   "PY  - 2020\nER  - \n\nTY  - JOUR\nTI  - Kyphoplasty for myeloma\n"
                   "DO  - 10.1016/j.spinee.2020.01.001\nPY  - 2021\nER  - \n",
                   encoding="utf-8")
    lib = tmp_path / "lib.sqlite"
    code = main(["--library", str(lib), "import", str(ris)])
    out, err = capsys.readouterr()
    assert code == 0 and out.splitlines()[-1] == "2 imported"
    assert ("warning: refs.ris record 1 (line 1): 'not-a-doi' is not a DOI (dropped)"
            in err.splitlines())
    assert "failed" not in out + err
    with Library.open(lib) as opened:
        assert sorted(r.doi for r in opened.articles.records(opened.search.ids())) == [
            "", "10.1016/j.spinee.2020.01.001"]


def test_missing_er_between_records_imports_both_with_warning() -> None:
    text = "TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n"
    result = read_ris(text, "t.ris")
    assert [r.title for r in result.records] == ["One", "Two"]
    assert result.problems == []
    assert result.warnings == ["t.ris record 1 (line 1) has no ER line before the next TY; "
                               "it was imported as it stands"]


def test_crlf_single_space_separator_and_author_forms() -> None:
    text = ("TY - JOUR\r\nA1 - Patchell RA\r\nAU  - World Health Organization\r\n"
            "AU  - Smith, John, Jr.\r\nAU  - Madonna\r\nT1  - Title\r\nJF  - Lancet\r\n"
            "Y1  - 2005/08/20/\r\nSP  - 643-648\r\nER  -\r\n")
    rec = read_ris(text, "t.ris").records[0]
    assert rec.authors == [Author("Patchell", initials="RA"),
                           Author(collective="World Health Organization"),
                           Author("Smith", "John", suffix="Jr."), Author("Madonna")]
    assert rec.title == "Title" and rec.journal == "Lancet"
    assert (rec.year, rec.month, rec.day) == (2005, 8, 20)
    assert rec.pages == "643-648"


@pytest.mark.parametrize(("written", "family", "initials"), [
    ("Behan L.", "Behan", "L"),            # Embase: each initial with a full stop
    ("Lucas J.S.", "Lucas", "JS"),
    ("de la Cruz M.", "de la Cruz", "M"),  # a family name of several words
    ("Dupont J.-P.", "Dupont", "JP"),      # a hyphenated given name
    ("Patchell RA", "Patchell", "RA"),     # MEDLINE's way
    ("van der Heijden GJMG", "van der Heijden", "GJMG"),  # four initials
])
def test_family_and_initials_with_full_stops_are_a_person(written: str, family: str,
                                                          initials: str) -> None:
    """Embase's "Lucas J.S." was read as a group's name and printed whole."""
    rec = read_ris(f"TY  - JOUR\nA1  - {written}\nT1  - A title\nER  - \n", "t.ris").records[0]
    assert rec.authors == [Author(family, initials=initials)]


@pytest.mark.parametrize(("lines", "pmid"), [
    ("DB  - MEDLINE\nDP  - EBSCOhost\n", "32502345"),   # MEDLINE on EBSCOhost: AN is the PMID
    ("DB  - MEDLINE with Full Text\nDP  - EBSCOhost\n", "32502345"),
    ("DB  - Ovid MEDLINE(R) ALL\n", "32502345"),
    ("DB  - CINAHL Complete\nDP  - EBSCOhost\n", ""),    # CINAHL's own number
    ("DB  - Embase\nDB  - Medline\n", ""),               # Embase's number, in both
    ("DP  - EBSCOhost\n", ""),                            # a provider of many databases
    ("", "32502345"),                                      # EndNote's own RIS
])
def test_an_accession_number_is_a_pmid_only_in_a_medline_database(lines: str, pmid: str) -> None:
    """MEDLINE exported from EBSCOhost came without its PMID (the provider was taken for
    a database with numbers of its own)."""
    text = f"TY  - JOUR\nTI  - T\nAN  - 32502345\n{lines}ER  - \n"
    assert read_ris(text, "t.ris").records[0].pmid == pmid


def test_accession_number_from_other_database_is_not_a_pmid() -> None:
    text = "TY  - JOUR\nTI  - T\nAN  - 620471329\nDB  - Embase\nER  - \n"
    text2 = "TY  - JOUR\nTI  - T\nAN  - 12345678\nDB  - Embase\nER  - \n"
    assert read_ris(text, "t.ris").records[0].pmid == ""
    assert read_ris(text2, "t.ris").records[0].pmid == ""


def test_export_problems() -> None:
    assert export_problems([record()]) == []
    assert export_problems([ArticleRecord(citekey="x2000")]) == [
        "x2000: missing author, title, year"]


def test_empty_text() -> None:
    result = read_ris("", "e.ris")
    assert result.records == [] and result.problems == []
    assert result.warnings == ["e.ris has no RIS records"]
    assert write_ris([]) == ""


def test_read_scopus_export() -> None:
    """Scopus writes the PubMed ID in C2, the ISSN without its hyphen, the article number
    in C7, the document type in M3 and its cited references in N1: all were lost (no PMID
    to merge on, no ISSN, no pages, a review read as an article, the reference list and
    Scopus's export date in the surgeon's notes)."""
    result = read_file(DATA / "scopus.ris")
    assert result.problems == []
    noms, sbrt, conf = result.records
    assert (noms.pmid, noms.issn, noms.type, noms.pages) == ("23709750", "1083-7159", "review",
                                                             "744-751")
    assert noms.doi == "10.1634/theoncologist.2012-0293"
    # N1: Scopus's bookkeeping dropped, its cited references the reference list, the
    # correspondence address kept as a note.
    assert noms.notes == ("Correspondence Address: Laufer, I.; Department of Neurosurgery, "
                          "MSKCC; email: lauferi@mskcc.org")
    assert [(r.position, r.doi) for r in noms.references] == [
        (1, "10.3171/2010.3.spine09459"), (2, "")]
    assert noms.references[1].citation == ("Patchell, R.A., Tibbs, P.A., Direct decompressive "
                                           "surgical resection (2005) Lancet, 366 (9486), "
                                           "pp. 643-648")
    assert (sbrt.pmid, sbrt.issn, sbrt.type, sbrt.pages) == ("", "2192-5682", "article", "e4021")
    # A conference paper's C7/M3 mean nothing here, but its C2 is still the PubMed ID.
    assert (conf.type, conf.pages, conf.pmid) == ("conference", "12-14", "35550001")


def test_c2_is_a_pubmed_id_only_in_a_scopus_export() -> None:
    """EndNote's C2 is a PMCID; another database's bare C2 number is not taken for a PMID
    (a wrong PMID would merge the record with another article)."""
    def record(c2: str, db: str) -> ArticleRecord:
        text = f"TY  - JOUR\nTI  - A title\nC2  - {c2}\nDB  - {db}\nER  - \n"
        return read_ris(text).records[0]

    assert (record("23709750", "Scopus").pmid, record("23709750", "Scopus").pmcid) == (
        "23709750", "")
    assert record("23709750", "Embase").pmid == ""
    assert (record("PMC1234567", "NLM").pmid, record("PMC1234567", "NLM").pmcid) == (
        "", "PMC1234567")
    assert record("23709750", "NLM").pmid == ""


@pytest.mark.parametrize(("an", "pmid"), [
    ("PMID:35123456", "35123456"), ("PMID: 35123456", "35123456"),
    ("pmid 35123456", "35123456"), ("L2015467890", ""), ("35123456", ""),
])
def test_an_accession_number_labelled_pmid_is_one_from_any_database(an: str,
                                                                     pmid: str) -> None:
    """A database's own accession number is never taken for a PMID (an Embase "L…" or a
    bare number there); one that says "PMID" is one."""
    text = f"TY  - JOUR\nTI  - Sepsis and the spine\nAN  - {an}\nDB  - Embase\nER  - \n"
    assert read_ris(text).records[0].pmid == pmid


def test_scopus_flags_a_retracted_paper() -> None:
    text = "TY  - JOUR\nTI  - Withdrawn\nM3  - Retracted\nDB  - Scopus\nER  - \n"
    assert read_ris(text).records[0].retracted
    assert not read_ris(text.replace("Scopus", "Embase")).records[0].retracted


@pytest.mark.parametrize(("m3", "kind", "journal", "book_title"), [
    ("Book Chapter", "chapter", "", "Spine Oncology Series"),
    ("Conference Paper", "conference", "", "Spine Oncology Series"),
    ("Article", "article", "Spine Oncology Series", ""),
    ("Conference Review", "other", "Spine Oncology Series", ""),
    ("", "other", "Spine Oncology Series", ""),
])
def test_a_scopus_book_series_item_is_what_its_document_type_says(
        m3: str, kind: str, journal: str, book_title: str) -> None:
    """Scopus writes a book series' items as TY SER (11 of 836 in a published export):
    chapters, articles and conference papers, told apart by M3."""
    text = ("TY  - SER\nTI  - Vertebral augmentation in myeloma\nT2  - Spine Oncology Series\n"
            f"VL  - 39\nSP  - 519\nEP  - 530\nPY  - 2015\nM3  - {m3}\nDB  - Scopus\nER  - \n")
    rec = read_ris(text).records[0]
    assert (rec.type, rec.journal, rec.book_title) == (kind, journal, book_title)
    assert read_ris(text.replace("Scopus", "Embase")).records[0].type == "other"


def test_web_of_science_ris_journal_in_capitals_is_title_cased() -> None:
    """Web of Science's RIS ("AN  - WOS:…", its own J9/JI tags) writes the journal in
    capitals, as its plain text does; another exporter's capitals are its own."""
    text = ("TY  - JOUR\nAU  - Laufer, I\nTI  - The NOMS framework\n"
            "T2  - JOURNAL OF NEUROSURGERY-SPINE\nJ9  - J NEUROSURG-SPINE\n"
            "JI  - J. Neurosurg.-Spine\nPY  - 2013\nAN  - WOS:000320453300014\nER  - \n")
    rec = read_ris(text).records[0]
    assert (rec.journal, rec.journal_abbrev, rec.pmid) == (
        "Journal of Neurosurgery-Spine", "J. Neurosurg.-Spine", "")
    other = read_ris(text.replace("WOS:000320453300014", "12345")).records[0]
    assert other.journal == "JOURNAL OF NEUROSURGERY-SPINE"


def test_a_conference_paper_s_proceedings_title_in_c3() -> None:
    """Scopus gives a conference paper's proceedings only in C3 (RIS's "Proceedings
    Title"): it was typed as the proceedings volume itself."""
    text = ("TY  - CONF\nTI  - Cement leakage after kyphoplasty\nC3  - Proceedings of the "
            "Spine Oncology Meeting\nSP  - 12\nEP  - 14\nPY  - 2022\nM3  - Conference Paper\n"
            "DB  - Scopus\nER  - \n")
    rec = read_ris(text).records[0]
    assert (rec.type, rec.book_title, rec.pages) == (
        "conference", "Proceedings of the Spine Oncology Meeting", "12-14")
    assert read_ris(text.replace("C3  -", "XX  -")).records[0].type == "proceedings"
