"""The reading report (``export --format report``, the export dialog's *Report*): each
article's citation, identifiers, tags, abstract and notes on one HTML page to read or hand
out."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.formats.report import write_report
from spinelib.library import Library
from tests.core.helpers import make_record


def test_each_article_is_cited_linked_and_its_abstract_and_notes_shown() -> None:
    trial = make_record(citekey="patchell2005direct", tags=["Separation surgery"],
                        notes="Journal club:\n- surgery first <then> RT & rehab")
    bare = make_record(title="A <b>guideline</b> & its words", authors=[], pmid="", doi="",
                       abstract="", citekey="nass2025", journal="", volume="", issue="",
                       pages="", tags=[])
    page = write_report([trial, bare])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Reading report: 2 articles</title>" in page
    first, second = page.split("<article")[1:]
    assert "<h2>1. Direct decompressive surgical resection" in first
    assert "Patchell RA, Tibbs PA, Müller J. Direct decompressive" in first  # Vancouver
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/16112300/">16112300</a>' in first
    assert 'DOI <a href="https://doi.org/10.1016/s0140-6736(05)66954-1">' in first
    assert "Tags: Separation surgery" in first and "Key: patchell2005direct" in first
    # A structured abstract: a paragraph a section, its label in bold.
    assert "<p><b>BACKGROUND:</b> The standard treatment for spinal metastases" in first
    assert "<p><b>METHODS:</b> Patients were randomised" in first
    # The notes as written, escaped, their lines kept (the block keeps line breaks).
    assert "Journal club:\n- surgery first &lt;then&gt; RT &amp; rehab</div>" in first
    # Nothing written by an article becomes markup; nothing missing is invented.
    assert "<h2>2. A &lt;b&gt;guideline&lt;/b&gt; &amp; its words</h2>" in second
    assert "PMID" not in second and "abstract" not in second and "Notes" not in second
    assert write_report([]).count("<article") == 0
    assert "<h1>Reading report</h1>" in page  # no list: a plain heading
    assert "<h1>Club &lt;Thursday&gt;</h1>" in write_report([], title="Club <Thursday>")


def test_a_reading_list_as_a_report_in_its_order_with_tag_labels(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    libpath = tmp_path / "lib.sqlite"
    with Library.open(libpath) as lib:
        first = lib.articles.add_record(make_record(pmid="", doi="", title="Second in the "
                                                    "library, first in the list"))
        second = lib.articles.add_record(make_record())
        lib.tags.add([second.article_id], ["separation_surgery"])
        lib.articles.set_notes(second.article_id, "Read before Thursday")
        lib.lists.create("Journal club")
        lib.lists.add("Journal club", [first.article_id, second.article_id])
    out_file = tmp_path / "club.html"
    code = main(["--library", str(libpath), "export", "--format", "report", "--list",
                 "Journal club", "-o", str(out_file)])
    assert code == 0
    assert "wrote 2 entries" in capsys.readouterr().err
    page = out_file.read_text(encoding="utf-8")
    assert "<h1>Journal club</h1>" in page  # headed by the list's name
    assert page.index("<h2>1. Second in the library") < page.index("<h2>2. Direct")
    assert "Tags: Separation surgery" in page  # its label, not "separation_surgery"
    assert "Read before Thursday" in page
    # The file's name says what it is: .html, or refused before anything is written.
    code = main(["--library", str(libpath), "export", "--format", "report", "-o",
                 str(tmp_path / "club.docx")])
    assert code == 2 and not (tmp_path / "club.docx").exists()
    # Kept up to date, it keeps its heading.
    kept = tmp_path / "kept.html"
    assert main(["--library", str(libpath), "export", "--format", "report", "--list",
                 "Journal club", "-o", str(kept), "--keep-updated"]) == 0
    with Library.open(libpath) as lib:
        lib.articles.set_notes(second.article_id, "Moved to Friday")
        lib.exports.sync()
    assert "<h1>Journal club</h1>" in kept.read_text(encoding="utf-8")
    assert "Moved to Friday" in kept.read_text(encoding="utf-8")
