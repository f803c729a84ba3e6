"""Scopus's CSV export is read as records, offline (spinelib/formats/scopus_csv.py): told from
other CSVs by its header, every column mapped (full names with their initials, pages or
article numbers, keywords, ISSN, types, in-press, retractions, cited references), a row
that cannot be imported named by its number and line, and its records the same as the same
search exported as RIS. A CSV that is not a whole Scopus export still lists identifiers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import responses

from spinelib.cli import main
from spinelib.formats import detect, read_file
from spinelib.formats.scopus_csv import read_scopus_csv
from spinelib.identifierfiles import listed_identifiers
from spinelib.library import Library
from spinelib.records import Author

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"
SCOPUS_CSV = DATA / "scopus.csv"


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]], *, sep: str = ",",
           hint: bool = False) -> Path:
    out = io.StringIO()
    if hint:
        out.write(f"sep={sep}\n")
    csv.writer(out, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        [header, *rows])
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path


def test_every_column_is_read() -> None:
    result = read_file(SCOPUS_CSV)
    noms, kim, tokuhashi, chapter, retracted = result.records
    assert noms.source == "scopus" and noms.type == "review"
    assert noms.authors == [Author("Laufer", "Ilya", "I"), Author("Rubin", "David G.", "DG"),
                            Author("Lis", "Eric", "E")]  # full names, the short list's initials
    assert (noms.journal, noms.journal_abbrev, noms.year) == ("Oncologist", "Oncologist", 2013)
    assert (noms.volume, noms.issue, noms.pages) == ("18", "6", "744-751")
    assert (noms.doi, noms.pmid, noms.issn) == ("10.1634/theoncologist.2012-0293", "23709750",
                                                "1083-7159")
    assert noms.abstract.startswith("Spinal metastases are common. The NOMS framework")
    # Author keywords, then index terms, each once whatever its letter case.
    assert noms.keywords == ["Metastatic spine disease", "Radiation", "Separation surgery",
                             "spinal cord compression"]
    assert [(r.position, r.doi) for r in noms.references] == [
        (1, "10.3171/2010.3.spine09459"), (2, "")]
    assert noms.references[1].citation.startswith("Patchell R.A., Tibbs P.A., Direct")
    assert (noms.publisher, noms.language) == ("AlphaMed Press", "English")
    assert noms.url.startswith("https://www.scopus.com/inward/record.uri?eid=2-s2.0-8487")
    assert noms.notes == ""  # the correspondence address is not the surgeon's note
    # Only the short list: initials from "J.-H."; a name with no initials is a group.
    assert kim.authors == [Author("Kim", initials="JH"),
                           Author(collective="Spine Oncology Study Group")]
    assert (kim.pages, kim.abstract, kim.pubstate) == ("e4021", "", "inpress")
    # A conference paper in its proceedings, where it was held; "2186-91" spelled out.
    assert (tokuhashi.type, tokuhashi.journal, tokuhashi.place) == ("conference", "",
                                                                    "Boston, MA")
    assert tokuhashi.book_title.startswith("Proceedings of the 32nd Annual Meeting")
    assert tokuhashi.pages == "2186-2191" and not tokuhashi.identifiers()
    assert (chapter.type, chapter.book_title, chapter.authors) == (
        "chapter", "Spine Oncology: Principles and Practice", [])
    assert retracted.retracted and retracted.type == "article"
    assert result.problems == ["scopus.csv record 6 (line 8): neither a title nor a DOI or "
                               "PubMed ID (skipped)"]  # line 8: an abstract spans two lines
    assert result.warnings == ["scopus.csv record 4 (line 6): 'not a doi' is not a DOI "
                               "(dropped)"]


def test_it_reads_as_the_same_search_exported_as_ris() -> None:
    from_csv = read_file(SCOPUS_CSV).records[0]
    from_ris = read_file(DATA / "scopus.ris").records[0]
    for name in ("title", "year", "volume", "issue", "pages", "doi", "pmid", "issn", "type",
                 "journal", "language"):
        assert getattr(from_csv, name) == getattr(from_ris, name), name
    assert [a.family for a in from_csv.authors] == [a.family for a in from_ris.authors]
    assert [r.doi for r in from_csv.references] == [r.doi for r in from_ris.references]


def test_it_is_told_from_other_csvs_by_its_header(tmp_path: Path) -> None:
    assert detect(SCOPUS_CSV) == "scopus_csv" and listed_identifiers(SCOPUS_CSV) is None
    header, rows = _table(SCOPUS_CSV)
    # A European Excel's re-save: semicolons and its "sep=" line; the same records.
    resaved = _write(tmp_path / "resaved.csv", header, rows, sep=";", hint=True)
    assert detect(resaved) == "scopus_csv"
    assert read_file(resaved).records == read_file(SCOPUS_CSV).records
    # An export of fewer columns: Title, Source title and EID are always there.
    few = ["EID", "Title", "Source title", "DOI"]
    narrow = _write(tmp_path / "narrow.csv", few,
                    [[r[header.index(c)] for c in few] for r in rows])
    assert [r.doi for r in read_file(narrow).records][:2] == [
        "10.1634/theoncologist.2012-0293", "10.1177/21925682241234567"]
    # Without them it is a spreadsheet of identifiers, fetched as before.
    listed = _write(tmp_path / "listed.csv", ["Title", "DOI"],
                    [["The NOMS framework", "10.1634/theoncologist.2012-0293"]])
    found = listed_identifiers(listed)
    assert found is not None and [f.text for f in found.found] == [
        "10.1634/theoncologist.2012-0293"]


def test_a_reference_list_longer_than_the_csv_modules_field_limit_is_read(
        tmp_path: Path) -> None:
    header, rows = _table(SCOPUS_CSV)
    cited = "; ".join(f"Author{n} A., A cited work on spinal metastases number {n}, Spine, "
                      f"{n}, pp. 1-10, (2001), https://doi.org/10.1000/ref{n}"
                      for n in range(1, 1601))
    assert len(cited) > 131_072
    rows[0][header.index("References")] = cited
    result = read_file(_write(tmp_path / "long.csv", header, rows[:1]))
    [rec] = result.records
    assert len(rec.references) == 1600 and rec.references[-1].doi == "10.1000/ref1600"


def test_a_header_without_rows_has_no_records() -> None:
    result = read_scopus_csv('"Title","Source title","EID"\n', "empty.csv")
    assert result.records == [] and result.warnings == ["empty.csv has no Scopus records"]


def test_the_import_is_offline_and_says_what_it_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    code = main(["--library", str(lib), "import", "--dry-run", str(SCOPUS_CSV)])
    out, _err = capsys.readouterr()
    assert code == 0 and "scopus.csv: Scopus CSV file, 6 entries: 3 new" in out
    with responses.RequestsMock() as rsps:  # any HTTP call would fail the test
        code = main(["--library", str(lib), "import", str(SCOPUS_CSV)])
        assert len(rsps.calls) == 0
    out, err = capsys.readouterr()
    assert code == 1 and out.splitlines()[-1] == "5 imported, 1 failed"
    assert "warning: scopus.csv record 4 (line 6): 'not a doi' is not a DOI (dropped)" in err
    with Library.open(lib) as opened:
        noms = opened.articles.record(opened.articles.resolve_key("23709750"))
        assert len(noms.references) == 2 and noms.source == "scopus"
        assert opened.search.count() == 5
