"""A paper in press, and dates kept as text, from the files authors have to the references
they print.

Before: ``year = {in press}`` in a .bib (and RIS's ``PY  - In Press``, EndNote's habit) was
dropped without a word, so the paper was cited with no year and no state; biblatex's
``pubstate = {inpress}`` printed "Inpress." in APA; and an article whose date was kept as
EDTF text ("2004?", "2019/2020", a year BCE) was cited with no year at all, since
citeproc-py reads neither CSL's ``raw`` dates nor any other form but parts and literals.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib.cite.dates import parsed
from spinelib.cite.engine import StyleEngine
from spinelib.cli import main
from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from spinelib.formats.csljson import write_csljson
from spinelib.formats.csljson_read import read_csljson
from spinelib.formats.ris import read_ris, write_ris
from spinelib.pubstate import year_and_state
from spinelib.records import ArticleRecord, Author


def accepted(**changes: object) -> ArticleRecord:
    fields: dict[str, object] = dict(
        title="Separation surgery and SBRT for epidural compression",
        authors=[Author(family="Smith", given="John"), Author(family="Doe", given="Jane")],
        journal="Spine", citekey="smith2026", pubstate="inpress", doi="10.1097/brs.0000000000005001")
    fields.update(changes)
    return ArticleRecord(**fields)  # type: ignore[arg-type]


def bib(fields: str) -> str:
    return f"@article{{k,\n  author = {{Smith, John}},\n  title = {{T}},\n  {fields}\n}}\n"


@pytest.mark.parametrize(("year", "expected"), [
    ("in press", (None, "inpress")), ("In Press", (None, "inpress")),
    ("(in press)", (None, "inpress")), ("2026, in press", (2026, "inpress")),
    ("accepted", (None, "inpress")), ("forthcoming", (None, "forthcoming")),
    ("submitted", (None, "submitted")), ("in prep.", (None, "inpreparation")),
    ("2015a", (2015, "")), ("2021", (2021, "")),
])
def test_a_bib_year_field_keeps_the_state(year: str, expected: tuple[int | None, str]) -> None:
    result = read_bibtex(bib(f"year = {{{year}}}"), "a.bib")
    rec = result.records[0]
    assert (rec.year, rec.pubstate) == expected
    assert result.warnings == []
    assert year_and_state(year) == expected


def test_a_year_that_is_no_year_is_said_to_be_left_out() -> None:
    result = read_bibtex(bib("year = {20x5}") + bib("year = {n.d.}").replace("{k,", "{k2,"),
                         "a.bib")
    assert [r.year for r in result.records] == [None, None]
    assert len(result.warnings) == 1  # n.d. says there is no date: nothing to warn of
    assert "'20x5'" in result.warnings[0] and "left out" in result.warnings[0]


def test_a_note_of_in_press_and_biblatex_keys() -> None:
    recs = read_bibtex(bib("note = {In press}") + bib("date = {2026},\n  pubstate = {in press}")
                       .replace("{k,", "{k2,"), "a.bib").records
    assert [(r.pubstate, r.notes) for r in recs] == [("inpress", "In press"), ("inpress", "")]


def test_the_writers_say_in_press_where_the_year_goes() -> None:
    rec = accepted()
    assert "year = {in press}" in write_bibtex([rec])
    latex = write_biblatex([rec])
    assert "pubstate = {inpress}" in latex and "date" not in latex
    assert "PY  - In press" in write_ris([rec])
    item = json.loads(write_csljson([rec]))[0]
    assert item["status"] == "in press" and "issued" not in item
    # A state stored as words (by an older reader) is written as biblatex's key too.
    assert "pubstate = {inpress}" in write_biblatex([accepted(pubstate="in press")])
    # With a year, classic BibTeX and RIS say the year (they have no field for the state).
    dated = accepted(year=2026)
    assert "year = {2026}" in write_bibtex([dated])
    assert "PY  - 2026" in write_ris([dated])


def test_every_format_reads_its_own_in_press_back() -> None:
    rec = accepted()
    for write, read in ((write_bibtex, read_bibtex), (write_biblatex, read_bibtex),
                        (write_ris, read_ris), (write_csljson, read_csljson)):
        back = read(write([rec]), "f").records[0]
        assert (back.year, back.pubstate) == (None, "inpress"), write.__name__


def test_csl_json_from_zotero() -> None:
    """Zotero keeps "in press" in the date field; citeproc-js users put it in ``status``."""
    items = [{"id": "a", "type": "article-journal", "title": "A",
              "issued": {"literal": "in press"}},
             {"id": "b", "type": "article-journal", "title": "B",
              "issued": {"date-parts": [[2026]]}, "status": "In press"}]
    recs = read_csljson(json.dumps(items), "z.json").records
    assert [(r.year, r.pubstate, r.date_text) for r in recs] == [
        (None, "inpress", ""), (2026, "inpress", "")]


def test_ris_in_press_and_a_year_that_is_none() -> None:
    text = ("TY  - JOUR\nTI  - A\nAU  - Brown, Bob\nPY  - In Press\nER  - \n\n"
            "TY  - JOUR\nTI  - B\nAU  - Brown, Bob\nPY  - soon\nER  - \n")
    result = read_ris(text, "e.ris")
    assert [(r.year, r.pubstate) for r in result.records] == [(None, "inpress"), (None, "")]
    assert len(result.warnings) == 1 and "'soon'" in result.warnings[0]


@pytest.mark.parametrize(("style", "expected"), [
    ("apa", "Smith, J., & Doe, J. (in press). Separation surgery"),
    ("vancouver", "Spine. In press."),
    ("american-medical-association", "Spine. In press."),
    ("spine", "Spine. In press."),
])
def test_a_paper_in_press_is_cited_so(style: str, expected: str) -> None:
    entry = StyleEngine.for_id(style).reference(accepted())
    assert expected in entry
    assert "Inpress" not in entry and "n.d." not in entry
    # AMA's "Published online" and Spine's "Epub ahead of print" are for a date, not a state.
    assert "online" not in entry.casefold() and "epub" not in entry.casefold()


def test_apa_cites_in_press_in_the_text() -> None:
    engine = StyleEngine.for_id("apa")
    assert engine.status_printed and not StyleEngine.for_id("vancouver").status_printed
    cited = engine.author_date_citation([accepted()], ["smith2026"], ["smith2026"])
    assert cited == "(Smith & Doe, in press)"


@pytest.mark.parametrize(("date_text", "vancouver", "apa"), [
    ("2004?", "Spine. 2004;3:1–9.", "(ca. 2004)"),
    ("2019/2020", "Spine. 2019–2020;3:1–9.", "(2019–2020)"),
    ("-0044", "Spine. 44 BC;3:1–9.", "(44 B.C.E.)"),
    ("Spring 2004", "Spine. Spring 2004;3:1–9.", "(Spring 2004)"),
])
def test_a_date_kept_as_text_is_cited_with_its_year(date_text: str, vancouver: str,
                                                    apa: str) -> None:
    year = 2004 if "2004" in date_text else 2019 if "2019" in date_text else None
    rec = ArticleRecord(title="T", authors=[Author(family="Smith", given="John")],
                        journal="Spine", volume="3", pages="1-9", year=year,
                        date_text=date_text, citekey="k")
    assert vancouver in StyleEngine.for_id("vancouver").reference(rec)
    assert apa in StyleEngine.for_id("apa").reference(rec)


@pytest.mark.parametrize(("text", "expected"), [
    ("2004", {"date-parts": [[2004]]}),
    ("2004-03-07~", {"date-parts": [[2004, 3, 7]], "circa": 1}),
    ("2004-22", {"date-parts": [[2004]]}),  # a season: its year
    ("2019/..", {"date-parts": [[2019]]}),
    ("../2020", {"date-parts": [[2020]]}),
    ("2019-05/2020-06", {"date-parts": [[2019, 5], [2020, 6]]}),
    ("2004-13", {"literal": "2004-13"}),
    ("201X", {"literal": "201X"}),
    ("1/2/3", {"literal": "1/2/3"}),
])
def test_edtf_to_citeproc(text: str, expected: dict[str, object]) -> None:
    assert parsed(text) == expected


def test_no_missing_year_warning_for_a_paper_in_press(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    source = tmp_path / "mine.bib"
    source.write_text(bib("journal = {Spine},\n  year = {in press}"), encoding="utf-8")
    lib = str(tmp_path / "lib.sqlite")
    assert main(["--library", lib, "import", str(source)]) == 0
    capsys.readouterr()
    for fmt in ("bibtex", "ris", "csljson"):
        assert main(["--library", lib, "export", "--format", fmt]) == 0
        out, err = capsys.readouterr()
        assert "missing year" not in err, fmt
    assert main(["--library", lib, "cite", "--style", "vancouver", "k"]) == 0
    assert "Spine. In press." in capsys.readouterr().out


def test_a_paper_in_press_is_keyed_so() -> None:
    """Not "smithnd…" (no date): the key of a paper in press says it, as JabRef's does."""
    from spinelib.citekeys import base_key

    assert base_key(accepted(citekey="")) == "smithinpressseparation"
    assert base_key(accepted(citekey="", pubstate="")) == "smithndseparation"
    assert base_key(accepted(citekey="", year=2026)) == "smith2026separation"
