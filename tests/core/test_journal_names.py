"""A journal stored without its abbreviation is cited by the one the library holds for it.

Before: an article imported from a .bib (JabRef, Google Scholar, Mendeley) or a RIS file
without ``J2`` has its journal's full name only, and Vancouver, AMA and Spine, which cite the
abbreviation, printed "Journal of Neurosurgery: Spine. 2020;32(4):500–7." although the
library held PubMed's "J Neurosurg Spine" on other articles of that journal.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import docx
import pytest

from spinelib.cli import main
from spinelib.formats import registry
from spinelib.gui.jobs import citations_clip, export_to_file, load_detail
from spinelib.journalnames import (
    JournalAbbreviations,
    KnownAbbreviation,
    issn_key,
    journal_key,
    title_case,
)
from spinelib.library import ExportScope, Library
from spinelib.manuscript import format_manuscript

from .helpers import make_record


def citations_text(lib: Library, ids: list[int], style: str) -> str:
    return citations_clip(lib, ids, style).text


def bib_article(**changes: object):  # type: ignore[no-untyped-def]
    """An article as a .bib gave it: the journal's full name, no abbreviation."""
    fields: dict[str, object] = dict(
        title="Separation surgery followed by SBRT for epidural compression",
        journal="Journal of Neurosurgery: Spine", journal_abbrev="", issn="", year=2020, month=None,
        volume="32", issue="4", pages="500-507", doi="10.3171/2019.9.spine19001", pmid="",
        source="bibtex", references=[], mesh=[])
    fields.update(changes)
    return make_record(**fields)


def pubmed_article(**changes: object):  # type: ignore[no-untyped-def]
    """An article of the same journal as PubMed gives it (NLM's title and abbreviation)."""
    fields: dict[str, object] = dict(
        title="Outcomes of separation surgery", journal="Journal of neurosurgery. Spine",
        journal_abbrev="J Neurosurg Spine", issn="1547-5654", year=2021, month=None, volume="34",
        issue="1", pages="1-9", doi="10.3171/2020.1.spine20002", pmid="33000001",
        source="pubmed", references=[], mesh=[])
    fields.update(changes)
    return make_record(**fields)


# ---- the matching


@pytest.mark.parametrize(("one", "other"), [
    ("Journal of Neurosurgery: Spine", "Journal of neurosurgery. Spine"),
    ("The Spine Journal", "Spine journal"),
    ("Spine & Spinal Cord", "Spine and spinal cord"),
    ("Revista Española de Cirugía Ortopédica", "Revista espanola de cirugia ortopedica"),
    ("  European   Spine Journal ", "European spine journal"),
])
def test_spellings_of_one_journal_fold_alike(one: str, other: str) -> None:
    assert journal_key(one) == journal_key(other) != ""


@pytest.mark.parametrize(("one", "other"), [
    ("Spine", "Spine Journal"),
    ("Journal of Neurosurgery", "Journal of Neurosurgery: Spine"),
    ("Neuro-Oncology", "Neuro-Oncology Advances"),
])
def test_other_journals_do_not(one: str, other: str) -> None:
    assert journal_key(one) != journal_key(other)


def test_issns_read_with_or_without_hyphen() -> None:
    assert issn_key("1547-5654") == issn_key("15475654") == "15475654"
    assert issn_key("0362-243x") == "0362243X"
    assert issn_key("1547-565") == "" == issn_key("")


def test_the_abbreviation_on_more_articles_wins_then_the_fuller() -> None:
    known = JournalAbbreviations([
        KnownAbbreviation("Spine", "Spine", "", 2),
        KnownAbbreviation("Spine", "Spine (Phila Pa 1976)", "", 5),
        KnownAbbreviation("Global spine journal", "Global Spine J", "", 1),
        KnownAbbreviation("Global Spine Journal", "Glob Spine J", "", 1),
    ])
    assert known.lookup("SPINE") == "Spine (Phila Pa 1976)"
    # A tie: the longer, then the first alphabetically, whatever the rows' order.
    assert known.lookup("Global Spine Journal") == "Global Spine J"
    reversed_rows = JournalAbbreviations([
        KnownAbbreviation("Global Spine Journal", "Glob Spine J", "", 1),
        KnownAbbreviation("Global spine journal", "Global Spine J", "", 1)])
    assert reversed_rows.lookup("global spine journal") == "Global Spine J"
    assert known.lookup("Spine Journal") == "" and known.lookup("") == ""


def test_an_issn_tells_two_journals_of_one_name_apart() -> None:
    known = JournalAbbreviations([
        KnownAbbreviation("Spine", "Spine (Phila Pa 1976)", "1528-1159", 3),
        KnownAbbreviation("Spine", "Spine Surg Relat Res", "2432-261X", 1),
    ])
    assert known.lookup("Spine", "2432-261x") == "Spine Surg Relat Res"
    assert known.lookup("Spine", "1528-1159") == "Spine (Phila Pa 1976)"
    assert known.lookup("Spine", "9999-9999") == "Spine (Phila Pa 1976)"
    assert known.lookup("Spine") == "Spine (Phila Pa 1976)"


def test_only_journal_articles_without_one_borrow_and_the_given_stay_as_they_were() -> None:
    known = JournalAbbreviations([KnownAbbreviation("Journal of neurosurgery. Spine",
                                                    "J Neurosurg Spine", "", 4)])
    plain = bib_article()
    own = bib_article(journal_abbrev="J. Neurosurg.: Spine")
    chapter = bib_article(type="chapter", book_title="Spine Surgery")
    lent = known.lend([plain, own, chapter])
    assert [r.journal_abbrev for r in lent] == ["J Neurosurg Spine", "J. Neurosurg.: Spine", ""]
    assert plain.journal_abbrev == "" and lent[1] is own and lent[2] is chapter
    assert dataclasses.replace(lent[0], journal_abbrev="") == plain


def test_blank_abbreviations_and_names_teach_nothing() -> None:
    known = JournalAbbreviations([KnownAbbreviation("Spine", "  ", "", 3),
                                  KnownAbbreviation("", "Spine", "", 3),
                                  KnownAbbreviation("Spine", "Spine", "", 0)])
    assert len(known) == 0 and known.lookup("Spine") == ""


# ---- the library


def test_citing_lends_the_librarys_abbreviation_and_stores_nothing(lib: Library) -> None:
    aid = lib.articles.add_record(bib_article()).article_id
    lib.articles.add_record(pubmed_article())
    assert lib.articles.records_to_cite([aid])[0].journal_abbrev == "J Neurosurg Spine"
    assert lib.articles.record(aid).journal_abbrev == ""
    assert "J Neurosurg Spine. 2020;32(4):500–7." in citations_text(lib, [aid], "vancouver")
    assert "Journal of Neurosurgery: Spine" not in citations_text(lib, [aid], "vancouver")
    # APA names journals in full: the lent abbreviation changes nothing there.
    assert "Journal of Neurosurgery: Spine, 32(4)" in citations_text(lib, [aid], "apa")


def test_a_journal_the_library_holds_no_abbreviation_for_keeps_its_name(lib: Library) -> None:
    aid = lib.articles.add_record(bib_article(journal="Spine Surgery and Related Research")
                                  ).article_id
    lib.articles.add_record(pubmed_article())
    assert lib.articles.records_to_cite([aid])[0].journal_abbrev == ""
    assert "Spine Surgery and Related Research. 2020" in citations_text(lib, [aid], "vancouver")


def test_the_table_shows_the_borrowed_abbreviation_too(lib: Library) -> None:
    """Before: an Embase or .bib article read "Journal of Neurosurgery: Spine" in the table's
    Journal column beside PubMed's "J Neurosurg Spine" for the same journal."""
    bib = lib.articles.add_record(bib_article()).article_id
    pubmed = lib.articles.add_record(pubmed_article()).article_id
    other = lib.articles.add_record(bib_article(
        journal="Spine Surgery and Related Research", doi="10.22603/ssrr.2020-0001")).article_id
    chapter = lib.articles.add_record(bib_article(
        type="chapter", journal="", book_title="Spine Oncology", doi="10.1007/x")).article_id
    rows = lib.search.table_rows([bib, pubmed, other, chapter])
    assert [rows[i].journal for i in (bib, pubmed, other, chapter)] == [
        "J Neurosurg Spine", "J Neurosurg Spine", "Spine Surgery and Related Research",
        "Spine Oncology"]
    # What the command line lists (and its JSON) stays what is stored.
    assert lib.search.rows([bib])[bib].journal == "Journal of Neurosurgery: Spine"
    assert lib.articles.record(bib).journal_abbrev == ""


def test_records_to_cite_keeps_the_order_and_skips_unknown_ids(lib: Library) -> None:
    first = lib.articles.add_record(bib_article()).article_id
    second = lib.articles.add_record(pubmed_article()).article_id
    cited = lib.articles.records_to_cite([second, 999_999, first])
    assert [r.pmid for r in cited] == ["33000001", ""]
    assert [r.journal_abbrev for r in cited] == ["J Neurosurg Spine"] * 2


def test_many_journals_are_read_in_batches(lib: Library) -> None:
    """More journals than one statement's list holds (500 a statement)."""
    records = []
    for n in range(620):
        records.append(pubmed_article(journal=f"Journal of spine study {n}",
                                      journal_abbrev=f"J Spine Stud {n}", pmid=str(34000000 + n),
                                      doi=f"10.1000/pm{n}", title=f"Study {n} of the spine"))
        records.append(bib_article(journal=f"Journal of Spine Study {n}", doi=f"10.1000/b{n}",
                                   title=f"Another study {n}"))
    ids = [lib.articles.add_record(r).article_id for r in records]
    cited = lib.articles.records_to_cite(ids)
    assert [r.journal_abbrev for r in cited[1::2]] == [f"J Spine Stud {n}" for n in range(620)]


def test_the_detail_panes_citation_borrows_too(lib: Library) -> None:
    aid = lib.articles.add_record(bib_article()).article_id
    lib.articles.add_record(pubmed_article())
    detail = load_detail(lib, aid)
    assert "J Neurosurg Spine. 2020" in detail.citation
    assert detail.record.journal_abbrev == ""  # what the edit pane shows is what is stored


# ---- the faces


def _library_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite"
    with Library.open(path) as library:
        library.articles.add_record(bib_article(citekey="smith2020separation"))
        library.articles.add_record(pubmed_article())
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_cite_show_and_reference_list_exports(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = str(_library_file(tmp_path))
    with Library.open(Path(path)) as library:
        key = library.articles.citekey(library.articles.resolve_key("10.3171/2019.9.spine19001"))
    for args in (("cite", key, "--style", "vancouver"),
                 ("show", key),
                 ("export", "--format", "vancouver", key),
                 ("export", "--format", "ama", "--html", key),
                 ("export", "--format", "bibliography", "--style", "spine", key)):
        out = _run(capsys, "--library", path, *args)
        assert "J Neurosurg Spine" in out, args
        assert "Journal of Neurosurgery: Spine" not in out, args


def test_data_exports_write_what_is_stored(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = str(_library_file(tmp_path))
    for fmt, absent in (("bibtex", "shortjournal"), ("ris", "J2  -"),
                        ("csljson", "container-title-short")):
        out = _run(capsys, "--library", path, "export", "--format", fmt,
                   "10.3171/2019.9.spine19001")
        assert "Journal of Neurosurgery: Spine" in out and absent not in out, fmt
    assert json.loads(_run(capsys, "--library", path, "show", "--json",
                           "10.3171/2019.9.spine19001"))["journal_abbrev"] == ""


def test_the_registry_says_which_formats_cite() -> None:
    assert [(f.name, f.style) for f in registry.EXPORT_FORMATS if f.cites] == [
        ("vancouver", "vancouver"), ("ama", "ama"), ("vancouver-html", "vancouver"),
        ("ama-html", "ama"), ("report", "vancouver")]  # a report cites each article too
    assert not registry.cites("bibtex") and not registry.cites("no-such-format")


def test_word_reference_list_and_text_export(lib: Library, tmp_path: Path) -> None:
    aid = lib.articles.add_record(bib_article()).article_id
    lib.articles.add_record(pubmed_article())
    out = tmp_path / "refs.docx"
    export_to_file(lib, [aid], None, "bibliography:vancouver", False, out)
    assert "J Neurosurg Spine. 2020" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    text = tmp_path / "refs.txt"
    assert export_to_file(lib, [aid], None, "vancouver", False, text).count == 1
    assert "J Neurosurg Spine. 2020" in text.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "style"), [("bibliography", "ama"), ("vancouver", ""),
                                            ("bibtex", "")])
def test_kept_exports_borrow_only_when_they_cite(lib: Library, tmp_path: Path, fmt: str,
                                                 style: str) -> None:
    aid = lib.articles.add_record(bib_article()).article_id
    lib.articles.add_record(pubmed_article())
    path = tmp_path / "kept.txt"
    lib.exports.register(path, fmt, ExportScope(keys=[lib.articles.citekey(aid)]), style=style,
                         written=False)
    assert [o.status for o in lib.exports.sync()] != ["failed"]
    text = path.read_text(encoding="utf-8")
    assert ("J Neurosurg Spine" in text) == (fmt != "bibtex")
    assert ("Journal of Neurosurgery: Spine" in text) == (fmt == "bibtex")


def test_a_word_manuscript_cites_the_abbreviation(lib: Library, tmp_path: Path) -> None:
    aid = lib.articles.add_record(bib_article()).article_id
    lib.articles.add_record(pubmed_article())
    src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
    paper = docx.Document()
    paper.add_paragraph(f"Separation surgery first [@{lib.articles.citekey(aid)}].")
    paper.add_paragraph("{Bibliography}")
    paper.save(str(src))
    report = format_manuscript(lib, src, out, "vancouver")
    assert report.citations == 1 and not report.unmatched
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any("J Neurosurg Spine. 2020;32(4):500–7." in t for t in texts), texts


# ---- title case


@pytest.mark.parametrize(("given", "cited"), [
    ("Global spine journal", "Global Spine Journal"),
    ("Journal of neurosurgery. Spine", "Journal of Neurosurgery. Spine"),
    ("Journal of medical imaging (Bellingham, Wash.)",
     "Journal of Medical Imaging (Bellingham, Wash.)"),
    ("Revista española de cirugía ortopédica y traumatología",
     "Revista Española de Cirugía Ortopédica y Traumatología"),
    ("Spine", "Spine"), ("eLife", "eLife"), ("BMJ Open", "BMJ Open"),
    ("The Spine Journal", "The Spine Journal"),
    ("Zeitschrift für Orthopädie und Unfallchirurgie",
     "Zeitschrift für Orthopädie und Unfallchirurgie"),
])
def test_pubmeds_sentence_case_names_are_cited_in_title_case(given: str, cited: str) -> None:
    assert title_case(given) == cited


def test_a_letter_whose_capital_is_two_keeps_its_case() -> None:
    assert title_case("journal of ßtudies") == "Journal of ßtudies"


def test_full_name_styles_cite_the_title_case_and_files_keep_the_name(lib: Library) -> None:
    """Before: Harvard printed PubMed's "Journal of neurosurgery. Spine" as it is stored."""
    aid = lib.articles.add_record(pubmed_article()).article_id
    harvard = citations_text(lib, [aid], "harvard-cite-them-right")
    assert "Journal of Neurosurgery. Spine, 34" in harvard
    assert lib.articles.record(aid).journal == "Journal of neurosurgery. Spine"
    # The CSL-JSON file is read back (by SpineLib, Zotero): the name as stored.
    item = json.loads(lib.exports.render(lib.articles.records([aid]), "csljson"))[0]
    assert item["container-title"] == "Journal of neurosurgery. Spine"
    assert item["container-title-short"] == "J Neurosurg Spine"
