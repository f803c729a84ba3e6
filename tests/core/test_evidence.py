"""Evidence tables (issue 17): study fields suggested and confirmed, CSV for Excel (BOM,
no formulas), XLSX read back with openpyxl."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from spinelib.cli import main
from spinelib.formats.evidence_table import HEADER, escape_formula
from spinelib.library import Library

from .helpers import make_record

CSV = Path(__file__).resolve().parent.parent / "data" / "retraction_watch_30.csv"


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([
            make_record(abstract="METHODS: We randomised 1,204 patients to surgery. "
                                 "RESULTS: 51 patients had a fracture.",
                        title="Randomised trial of separation surgery for breast cancer "
                              "metastases to the thoracic spine"),
            make_record(title="A: retracted cohort", pmid="31000001", doi="10.1097/brs.0000000000001234",
                        abstract="No counts here.", publication_types=["Journal Article"],
                        references=[])])
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def key_of(path: Path, title_start: str) -> str:
    with Library.open(path) as lib:
        return next(r.citekey for r in lib.search.rows(lib.search.ids()).values()
                    if r.title.startswith(title_start))


def test_suggestions_then_confirmed_values(libpath: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    key = key_of(libpath, "Randomised")
    code, out, _ = run(capsys, "--library", str(libpath), "evidence", key, "--json")
    data = json.loads(out)
    assert (data["level"], data["level_confirmed"]) == ("2", False)
    assert "randomised trial" in data["level_reason"]
    assert (data["n"], data["n_reason"]) == ("1204", "abstract: '1,204 patients'")
    code, out, err = run(capsys, "--library", str(libpath), "evidence", key, "--set", "level=3",
                         "--set", "n=51", "--set", "comparator=radiotherapy alone",
                         "--set", "outcomes==HYPERLINK(\"http://x\")", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["level"], data["level_confirmed"], data["n"], data["n_confirmed"]) == \
        ("3", True, "51", True)
    assert data["comparator"] == "radiotherapy alone"
    # Bad values are refused, nothing changes.
    for bad in ("level=6", "n=many", "colour=red", "level"):
        code, _, err = run(capsys, "--library", str(libpath), "evidence", key, "--set", bad)
        assert code in (1, 2) and err.startswith("spinelib: ") and err.count("\n") == 1
    data = json.loads(run(capsys, "--library", str(libpath), "evidence", key, "--json")[1])
    assert (data["level"], data["n"]) == ("3", "51")
    # An empty value returns a field to its suggestion.
    run(capsys, "--library", str(libpath), "evidence", key, "--set", "n=")
    data = json.loads(run(capsys, "--library", str(libpath), "evidence", key, "--json")[1])
    assert (data["n"], data["n_confirmed"]) == ("1204", False)


def test_csv_has_bom_header_order_and_no_formulas(libpath: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    key = key_of(libpath, "Randomised")
    run(capsys, "--library", str(libpath), "evidence", key, "--set", "notes=@SUM(A1:A2)",
        "--set", "outcomes=-2+3", "--set", "follow_up=+12 months")
    assert run(capsys, "--library", str(libpath), "tag", "add", key, "separation_surgery")[0] == 0
    # The reader's own tag is no technique of the study.
    assert run(capsys, "--library", str(libpath), "tag", "create", "Journal club")[0] == 0
    assert run(capsys, "--library", str(libpath), "tag", "add", key, "Journal club")[0] == 0
    run(capsys, "--library", str(libpath), "retractions", "update", "--from", str(CSV),
        "--offline")
    out = tmp_path / "table.csv"
    code, _, err = run(capsys, "--library", str(libpath), "export", "--format", "evidence-csv",
                       "-o", str(out))
    assert code == 0, err
    assert "is included but has a notice: Retraction" in err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADER
    table = {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    mine = table[key]
    assert mine["notes"] == "'@SUM(A1:A2)" and mine["outcomes"] == "'-2+3"
    assert mine["follow_up"] == "'+12 months"
    assert mine["design"] and mine["level"] == "2" and mine["n"] == "1204"
    assert mine["first_author"] == "Patchell RA" and mine["read_status"] == "unread"
    assert mine["techniques"] == "Separation surgery"  # the confirmed technique tags
    retracted_key = key_of(libpath, "A: retracted")
    assert table[retracted_key]["retracted"] == "yes" and mine["retracted"] == "no"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_xlsx_reads_back_with_strings_as_strings(libpath: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    key = key_of(libpath, "Randomised")
    run(capsys, "--library", str(libpath), "evidence", key, "--set",
        'outcomes==HYPERLINK("http://evil")', "--set", "comparator=Ünïcode – radiotherapy")
    out = tmp_path / "table.xlsx"
    code, _, err = run(capsys, "--library", str(libpath), "export", key, "--format",
                       "evidence-xlsx", "-o", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADER and len(rows) == 2
    row = dict(zip(HEADER, rows[1], strict=True))
    assert row["citekey"] == key and row["year"] == 2005
    assert row["outcomes"] == '=HYPERLINK("http://evil")'
    cell = ws.cell(row=2, column=HEADER.index("outcomes") + 1)
    assert cell.data_type == "s"  # a string, not a formula
    assert row["comparator"] == "Ünïcode – radiotherapy"


def test_escape_formula() -> None:
    assert [escape_formula(v) for v in ("=1", "+1", "-1", "@x", "\tx", "ok", "")] == \
        ["'=1", "'+1", "'-1", "'@x", "'\tx", "ok", ""]


def test_the_first_author_is_written_as_everywhere_else(tmp_path: Path) -> None:
    """A file that gave the given names but no initials ("M. H.") still gives "Bilsky MH",
    as the table and the citations write it, and a group keeps its name."""
    from spinelib.records import Author

    with Library.open(tmp_path / "lib.sqlite") as lib:
        a = lib.articles.add_record(make_record(
            pmid="", doi="", title="Separation surgery", authors=[Author("Bilsky", "M. H.", "")]))
        b = lib.articles.add_record(make_record(
            pmid="", doi="", title="Guideline", authors=[Author("", "", "", "AOSpine Group")]))
        rows = lib.evidence.table_rows([a.article_id, b.article_id])
    assert [r[HEADER.index("first_author")] for r in rows] == ["Bilsky MH", "AOSpine Group"]


def test_a_textbook_chapter_is_suggested_as_expert_opinion(tmp_path: Path) -> None:
    """A chapter of Benzel's Spine Surgery has no study design to read; as a narrative
    review it is an expert's summary (level 5), suggested with that reason and never
    stored; a design found in it still comes first, and the reader's level wins."""
    from spinelib.records import ArticleRecord, Author

    with Library.open(tmp_path / "lib.sqlite") as lib:
        chapter = lib.articles.add_record(ArticleRecord(
            type="chapter", title="Metastatic spine tumors", book_title="Spine Surgery",
            authors=[Author(family="Bilsky", given="Mark H")], year=2017)).article_id
        trial = lib.articles.add_record(ArticleRecord(
            type="chapter", title="A randomised trial of kyphoplasty reported in a book",
            abstract="We randomised 120 patients to kyphoplasty or non-surgical care.",
            publication_types=["Randomized Controlled Trial"], year=2017,
            authors=[Author(family="Berenson", given="J")])).article_id
        article = lib.articles.add_record(make_record(title="Outcomes of kyphoplasty",
                                                      publication_types=[])).article_id
        ev = lib.evidence.get(chapter)
        assert (ev.level, ev.level_confirmed) == ("5", False)
        assert ev.level_reason == "textbook chapter: expert opinion (OCEBM 2011 level 5)"
        assert lib.evidence.get(trial).level == "2"
        assert lib.evidence.get(article).level == ""
        lib.evidence.set(chapter, {"level": "4"})
        assert lib.evidence.get(chapter).level == "4"
