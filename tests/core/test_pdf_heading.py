"""A PDF's title read from its first page's largest type (spinelib/formats/pdf_heading.py):
what an unidentified PDF is named in the library, and what Crossref is asked first, when its
metadata title is missing or no title at all; and a title the page hyphenated at a line's
end still agrees with the paper's (spinelib/sources/page_match.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from spinelib.formats.pdf import read_pdf
from spinelib.formats.pdf_heading import SizedLine, heading, plain_title
from spinelib.library import Library
from spinelib.pdfimport import run_import
from spinelib.sources.page_match import on_page
from tests.core.test_cited_dois import SEARCH, envelope, work
from tests.core.test_pdf_first_page import PAGE, TITLE, fisher
from tests.core.test_resolve_batched import make_client
from tests.pdfmaker import make_pdf

RUNNING_HEAD = "SPINE Volume 35, Number 22, pp E1221-E1229"
#: The first page as the journal sets it: a small running head, the title in large type on
#: two lines, the authors and the abstract in body type.
LAYOUT: list[tuple[float, str]] = [
    (8, RUNNING_HEAD),
    (8, "©2010, Lippincott Williams & Wilkins"),
    (18, "A Novel Classification System for Spinal Instability"),
    (18, "in Neoplastic Disease"),
    (12, "An Evidence-Based Approach and Expert Consensus From the Spine Oncology Study Group"),
    (10, "Charles G. Fisher, MD, MHSc, Christian P. DiPaola, MD, Timothy C. Ryken, MD"),
    (10, "Study Design. Systematic review and modified Delphi technique."),
    (10, "Objective. To use an evidence-based medicine process using systematic review and"),
    (10, "expert opinion to develop a comprehensive classification system for spinal"),
    (10, "instability in the setting of neoplastic disease. Published 2010."),
]
HEADING = "A Novel Classification System for Spinal Instability in Neoplastic Disease"


def lines(*pairs: tuple[float, str]) -> list[SizedLine]:
    return [SizedLine(size, text) for size, text in pairs]


def test_the_heading_is_the_largest_type_over_its_lines() -> None:
    assert heading(lines(*LAYOUT)) == HEADING


@pytest.mark.parametrize(("page", "expected"), [
    # A logo's word or a section label in large type is no title: the next size down is.
    ([(30, "SPINE"), (20, "ORIGINAL ARTICLE"), (16, "Separation surgery for epidural "
      "compression"), (10, "Body text of the abstract, long enough to be the body."),
      (10, "More of it, and more of it, and more of it again.")],
     "Separation surgery for epidural compression"),
    # A drop capital (one letter) is passed over too.
    ([(14, "Vertebral augmentation after radiotherapy"), (40, "T"),
      (10, "he body text starts with a drop capital and goes on and on and on.")],
     "Vertebral augmentation after radiotherapy"),
    # A line ending in a hyphen runs on into the next.
    ([(16, "Single-"), (16, "fraction versus multifraction radiotherapy"),
      (10, "Body text of the abstract, long enough to be the body, and longer.")],
     "Single-fraction versus multifraction radiotherapy"),
    # Nothing stands out: a page of one size (a preprint, a manuscript) has no heading.
    ([(11, "Separation surgery for epidural compression"),
      (11, "Body text of the abstract, long enough to be the body.")], ""),
    # Only a little larger than the body is no heading either (a bold lead-in, say).
    ([(11, "Separation surgery for epidural compression"),
      (10, "Body text of the abstract, long enough to be the body.")], ""),
    ([], ""),
])
def test_what_is_no_heading(page: list[tuple[float, str]], expected: str) -> None:
    assert heading(lines(*page)) == expected


def test_a_heading_holds_no_character_a_library_cannot_store() -> None:
    # PDFium gives control characters for some hyphens, and an astral letter as two
    # surrogate halves, which SQLite's UTF-8 cannot take.
    page = lines((18, "Neo\x02plastic spinal \ud83d\udc80 cord compression\x00"),
                 (10, "Body text of the abstract, long enough to be the body, and longer."))
    got = heading(page)
    assert got == "Neoplastic spinal cord compression"
    got.encode("utf-8")


@pytest.mark.parametrize(("title", "kept"), [
    ("A novel classification system for spinal instability", True),
    ("Microsoft Word - SINS manuscript final.docx", False),
    ("BRS200123 1221..1229", False),
    ("Spine_35_22_E1221.pdf", False),
    ("JNS_Spine_2010_13_324", False),
    ("manuscript final version.doc", False),
    ("untitled", False),
    ("Layout 1", False),
    ("PII: S0360-3016(17)30123-4", False),
    ("doi:10.1097/BRS.0b013e3181e16ae2", False),
    ("10.1097/BRS.0b013e3181e16ae2", False),
    ("", False),
])
def test_a_metadata_title_is_kept_only_when_it_reads_as_one(title: str, kept: bool) -> None:
    assert plain_title(title) == (title if kept else "")


@pytest.mark.parametrize("scaled", [False, True], ids=["sized-font", "scaled-1pt-font"])
def test_read_pdf_reads_the_heading_when_asked(tmp_path: Path, scaled: bool) -> None:
    # A preprint's stamp on its side in the margin, larger than the title, is no heading.
    stamp = "arXiv:2101.00001v1 [physics.med-ph] 12 Jan 2021"
    path = make_pdf(tmp_path / "fisher.pdf", [LAYOUT, "Results. Six components."],
                    scaled=scaled, stamp=stamp)
    pdf = read_pdf(path, heading=True)
    assert stamp in pdf.texts[0]
    assert pdf.heading == HEADING
    assert pdf.texts[0].startswith(RUNNING_HEAD)  # the text itself is as before
    assert read_pdf(path).heading == ""  # not asked: no walk over the letters


def test_an_unidentified_pdf_is_named_by_its_heading(lib: Library, tmp_path: Path) -> None:
    junk = make_pdf(tmp_path / "a.pdf", [LAYOUT], {"Title": "BRS200123 1221..1229"})
    bare = make_pdf(tmp_path / "b.pdf", [LAYOUT + [(10, "Another copy, other bytes.")]])
    real = make_pdf(tmp_path / "c.pdf", [LAYOUT + [(10, "A third copy.")]],
                    {"Title": "SINS: a classification of spinal instability"})
    flat = make_pdf(tmp_path / "d.pdf", ["\n".join(text for _size, text in LAYOUT[:6])])
    items = run_import(lib, [str(p) for p in (junk, bare, real, flat)], client=None).items
    titles = [lib.articles.record(i.article_id or 0).title for i in items]
    assert titles == [HEADING, HEADING, "SINS: a classification of spinal instability",
                      RUNNING_HEAD]  # a page of one size: its first line, as before
    assert sorted(lib.attachments.unidentified()) == sorted(i.article_id for i in items)


@responses.activate
def test_crossref_is_asked_by_the_heading_when_the_metadata_title_is_no_title(
        lib: Library, tmp_path: Path) -> None:
    asked: list[str] = []

    def crossref(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        asked.append(parse_qs(urlsplit(str(request.url)).query)["query.bibliographic"][0])
        return 200, {"Content-Type": "application/json"}, envelope([
            work("10.1000/decoy", "Spinal instability neoplastic score", "Fourney", 2011)])

    responses.add_callback(responses.GET, SEARCH, callback=crossref)
    path = make_pdf(tmp_path / "fisher.pdf", [LAYOUT],
                    {"Title": "Microsoft Word - SINS final.docx"})
    [item] = run_import(lib, [str(path)], client=make_client()).items
    assert "kept as unidentified" in item.message
    [query] = asked
    assert query.startswith(f"{HEADING} {RUNNING_HEAD}")
    assert "Microsoft" not in query


def test_a_title_hyphenated_at_a_line_end_is_still_the_whole_title() -> None:
    split = PAGE.replace(TITLE, TITLE.replace("neoplastic", "neo-\nplastic"))
    assert on_page(split, fisher())  # type: ignore[arg-type]
    # The join is for a line's end only: a hyphen inside a line stays two words.
    inline = PAGE.replace(TITLE, TITLE.replace("neoplastic", "neo-plastic"))
    assert not on_page(inline, fisher())  # type: ignore[arg-type]


def test_spinelib_show_names_both_ways_to_identify_a_kept_pdf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.cli import main

    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "lib.sqlite")
    with Library.open(db) as library:  # imported offline (no client): kept
        run_import(library, [str(make_pdf(tmp_path / "fisher.pdf", [LAYOUT]))], client=None)
    assert main(["--library", db, "pdf", "unidentified"]) == 0
    listed = capsys.readouterr().out
    assert HEADING in listed  # named by its heading, not its running head
    key = listed.split()[0]
    assert main(["--library", db, "show", key]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Needs identification: no DOI or PMID was found in its PDF (spinelib pdf " \
           f"identify {key} looks for it by its first page, in the library, then in " \
           "Crossref and PubMed" in out
