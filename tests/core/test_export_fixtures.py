"""Issue 5's acceptance check: a library built from every shared fixture, exported through the
CLI in both BibTeX modes, passes check-bib (bibtex, biber, pandoc) with zero problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.formats.crossref_json import parse_work
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.library import Library

from .test_checkbib import needs_check_bib, run_check_bib


def fixture_library(fixtures_dir: Path, path: Path) -> int:
    """Every PubMed efetch and Crossref work fixture, through the real parsers."""
    records = []
    for xml in sorted((fixtures_dir / "pubmed").glob("*.xml")):
        data = xml.read_bytes()
        if b"<PubmedArticleSet" in data:  # efetch files (not esearch/elink replies)
            records.extend(parse_pubmed_xml(data, origin=xml.name))
    for js in sorted((fixtures_dir / "crossref").glob("*.json")):
        records.append(parse_work(json.loads(js.read_text(encoding="utf-8"))))
    with Library.open(path) as lib:
        results = lib.articles.add_records(records)
    assert all(r.status in ("imported", "updated", "unchanged") for r in results)
    return len(records)


@pytest.mark.e2e
@needs_check_bib
@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_fixture_library_exports_cleanly(fixtures_dir: Path, tmp_path: Path, fmt: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    n = fixture_library(fixtures_dir, tmp_path / "lib.sqlite")
    assert n >= 12
    out = tmp_path / f"all.{fmt}.bib"
    code = main(["--library", str(tmp_path / "lib.sqlite"), "export", "--format", fmt,
                 "-o", str(out)])
    _, err = capsys.readouterr()
    assert code == 0
    assert "warning" not in err, err  # the pre-export check found nothing to fix
    text = out.read_text(encoding="utf-8")
    assert text.count("\n@") + text.startswith("@") >= n - 1  # merged duplicates aside
    if fmt == "bibtex":
        assert text.isascii()
    proc = run_check_bib(out, biblatex=fmt == "biblatex")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_export_other_formats_through_cli(fixtures_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fixture_library(fixtures_dir, tmp_path / "lib.sqlite")
    lib = ["--library", str(tmp_path / "lib.sqlite")]
    for fmt, probe in (("ris", "TY  - JOUR"), ("csljson", '"container-title"'),
                       ("vancouver", "1. "), ("ama", "1. ")):
        assert main([*lib, "export", "--format", fmt]) == 0
        out, _ = capsys.readouterr()
        assert probe in out, fmt
    # Filters pick what is exported; nothing matching is a clear failure, not an empty file.
    assert main([*lib, "export", "--format", "bibtex", "--search", "myeloma"]) == 0
    out, _ = capsys.readouterr()
    assert out.count("@") >= 1 and "Myeloma" in out
    assert main([*lib, "export", "--format", "bibtex", "--search", "zzzznothing"]) == 1
    assert "nothing to export" in capsys.readouterr()[1]
