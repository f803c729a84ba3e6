"""References pasted as text (spinelib.pasted): a BibTeX entry from a journal's "Cite" box
or Google Scholar, RIS, MEDLINE, CSL JSON, PubMed XML, recognised and imported as written
(offline: no look-up), by ``spinelib import -`` as by the import dialog."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.pasted import keep, outside, recognise

FORMATS = Path(__file__).parent.parent / "data" / "formats"
#: As Google Scholar's "Cite → BibTeX" gives it: no DOI to fetch by.
SCHOLAR = """@article{fisher2010novel,
  title={A novel classification system for spinal instability in neoplastic disease},
  author={Fisher, Charles G and DiPaola, Christian P and Ryken, Timothy C},
  journal={Spine},
  volume={35},
  number={22},
  pages={E1221--E1229},
  year={2010},
  publisher={LWW}
}
"""


@pytest.mark.parametrize(("name", "fmt", "records"), [
    ("jabref.bib", "bibtex", 4), ("mendeley.ris", "ris", 1),
    ("pubmed_send_to.nbib", "medline", 4), ("zotero.json", "csljson", 5),
    ("endnote_tagged.enw", "enw", 4),
])
def test_each_export_format_is_recognised_with_its_count(name: str, fmt: str,
                                                         records: int) -> None:
    text = (FORMATS / name).read_text(encoding="utf-8")
    pasted = recognise(text)
    assert pasted is not None and (pasted.format, pasted.records) == (fmt, records)


def test_pubmed_xml_and_the_describing_line() -> None:
    xml = (FORMATS.parent / "import" / "efetch_two.xml").read_text(encoding="utf-8")
    pasted = recognise(xml)
    assert pasted is not None and pasted.describe() == "PubMed XML text, 2 entries"
    one = recognise(SCHOLAR)
    assert one is not None and one.describe() == "BibTeX text, 1 entry"


@pytest.mark.parametrize("text", ["", "   \n", "10.1016/j.spinee.2020.01.001\n16112300",
                                  "Patchell RA et al. Lancet 2005 (PMID: 16112300)",
                                  "<html><body>a page</body></html>"])
def test_identifiers_prose_and_pages_are_not_pasted_references(text: str) -> None:
    assert recognise(text) is None


def test_comments_and_strings_are_not_counted_and_broken_json_counts_none() -> None:
    text = "@comment{x}\n@string{j = {Spine}}\n" + SCHOLAR
    assert (recognise(text) or pytest.fail()).records == 1
    broken = recognise('[{"title": "unfinished"')
    assert broken is not None and (broken.format, broken.records) == ("csljson", 0)


def test_keep_writes_the_text_with_its_formats_suffix(tmp_path: Path) -> None:
    pasted = recognise(SCHOLAR)
    assert pasted is not None
    path = keep(SCHOLAR, pasted, tmp_path)
    assert path == tmp_path / "pasted.bib" and path.read_text(encoding="utf-8") == SCHOLAR


def _import_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                  lib: Path, text: str, *more: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["--library", str(lib), "import", "-", *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_dash_reads_bibtex_from_standard_input(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    code, out, _err = _import_stdin(monkeypatch, capsys, lib, SCHOLAR, "--no-refs")
    assert code == 0 and "stdin.bib: imported as fisher2010novel" in out
    with Library.open(lib) as library:
        (record,) = library.articles.records(library.search.ids())
        assert record.journal == "Spine" and record.year == 2010
    assert list(scratch.iterdir()) == []  # the kept file went with the import
    code, out, _err = _import_stdin(monkeypatch, capsys, lib, SCHOLAR)
    assert code == 0 and "unchanged as fisher2010novel" in out


def test_import_dash_with_nothing_usable_says_so(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _import_stdin(monkeypatch, capsys, tmp_path / "lib.sqlite",
                                    "just some words\n")
    assert code == 2
    assert "standard input holds no BibTeX, RIS, MEDLINE or CSL JSON references" in err


def test_import_dash_reads_csl_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    items = json.loads((FORMATS / "zotero.json").read_text(encoding="utf-8"))
    code, out, _err = _import_stdin(monkeypatch, capsys, tmp_path / "lib.sqlite",
                                    json.dumps(items[:2]))
    assert code == 0 and out.count("stdin.json: imported as") == 2


def test_identifiers_pasted_above_the_entries_are_not_dropped(tmp_path: Path) -> None:
    """BibTeX ignores what stands outside its entries: DOIs pasted around an entry were
    lost without a word. They are read as identifiers; the file holds the entries."""
    from spinelib.cli.articles_cmds import stdin_inputs

    text = "My list:\n10.1016/j.spinee.2020.01.001\nPMID: 16112300\n\n" + SCHOLAR
    pasted = recognise(text)
    assert pasted is not None and pasted.body(text) == SCHOLAR and pasted.records == 1
    assert keep(text, pasted, tmp_path).read_text(encoding="utf-8") == SCHOLAR
    assert stdin_inputs(text, tmp_path) == ["10.1016/j.spinee.2020.01.001", "PMID: 16112300",
                                            str(tmp_path / "stdin.bib")]
    # Between and after entries too; never a DOI inside one, nor a @comment's.
    around = ("@article{a, title={One {Two}}, doi={10.9/inside}}\n10.1097/brs.1\n"
              "@comment{jabref-meta: 10.5/meta;}\n@book(b, title={Three (3)})\nPMC123\n")
    assert stdin_inputs(around, tmp_path) == ["10.1097/brs.1", "PMC123",
                                              str(tmp_path / "stdin.bib")]
    # A whole JabRef file pasted: its "% Encoding" line and its group tree, many lines long,
    # are BibTeX's own comments, not lines that failed to be identifiers.
    jabref = ("% Encoding: UTF-8\n\n" + SCHOLAR + "\n@Comment{jabref-meta: databaseType:bibtex;}"
              "\n\n@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n1 StaticGroup:SINS\\;0"
              "\\;1\\;0x8a8a8aff\\;\\;\\;;\n}\n10.1097/after.1\n@string(j = {Spine (Phila)})\n")
    pasted = recognise(jabref)
    assert pasted is not None
    assert outside(jabref, pasted).split() == ["10.1097/after.1"]
    # XML and JSON start where they start: nothing above them is cut off.
    xml = (FORMATS.parent / "import" / "efetch_two.xml").read_text(encoding="utf-8")
    assert (recognise(xml) or pytest.fail()).start == 0
