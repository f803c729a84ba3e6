"""Annotated bibliographies and lists with abstracts: the reader's notes and the abstract
where the style prints them, on lines of their own, never in another style's list
(``spinelib.cite.annotated``). Each list is compared with pandoc's, given the same notes
and abstracts."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from spinelib.cite import format_bibliography
from spinelib.formats.csljson import write_csljson
from spinelib.records import ArticleRecord
from spinelib.styles import resolve
from tests.manuscript.golden_records import golden_records
from tests.manuscript.one_paragraph import formatted
from tests.manuscript.test_golden_pandoc import _pandoc

ANNOTATED = ["apa-annotated-bibliography", "chicago-notes-bibliography-annotated",
             "modern-language-association-annotated-bibliography"]
WITH_ABSTRACT = ["apa-with-abstract", "chicago-notes-bibliography-annotated-abstract"]


def annotated_records() -> list[ArticleRecord]:
    """Six golden records: abstracts on every other one, notes on two of three."""
    records = golden_records()[:6]
    for i, record in enumerate(records):
        record.abstract = (f"BACKGROUND: Cohort {i} with spinal metastases.\n\n"
                           f"RESULTS: Ambulation kept in {80 + i}%." if i % 2 == 0 else "")
        record.notes = f"Journal club {i}: strong design, read first." if i % 3 != 2 else ""
    return records


def pandoc_annotated(style: str, tmp_path: Path, records: list[ArticleRecord]) -> list[str]:
    """pandoc's list of ``records`` given their abstracts, and their notes as CSL's ``note``
    (the variable the annotated styles print)."""
    items = json.loads(write_csljson(records, abstracts=True))
    for item in items:
        item.pop("keyword", None)
        if "annote" in item:
            item["note"] = item.pop("annote")
    bib = tmp_path / "refs.json"
    bib.write_text(json.dumps(items), encoding="utf-8")
    keys = ", ".join(f"@{r.citekey}" for r in records)
    out = subprocess.run([_pandoc(), "--citeproc", "--bibliography", str(bib), "--csl",
                          str(resolve(style)[0]), "-t", "plain", "--wrap=none"],
                         input=f"---\nnocite: |\n  {keys}\n---\n", capture_output=True,
                         text=True, timeout=60, check=True)
    return [re.sub(r"[ \t\n]+", " ", e).strip(" ") for e in out.stdout.strip().split("\n\n")]


@pytest.mark.parametrize("style", ["apa-annotated-bibliography",
                                   "modern-language-association-annotated-bibliography",
                                   *WITH_ABSTRACT[:1]])
def test_annotated_lists_print_notes_and_abstracts_as_pandoc(style: str,
                                                             tmp_path: Path) -> None:
    """Before, SpineLib gave citeproc-py neither notes nor abstracts: these styles printed
    bare references."""
    records = annotated_records()
    ours = format_bibliography(records, style).splitlines()
    assert ours == pandoc_annotated(style, tmp_path, records)
    wanted = "Journal club" if style in ANNOTATED else "BACKGROUND: Cohort"
    assert sum(wanted in entry for entry in ours) == (4 if style in ANNOTATED else 3)


@pytest.mark.parametrize("style", ANNOTATED + WITH_ABSTRACT)
def test_the_annotation_stands_on_a_line_of_its_own_in_html(style: str) -> None:
    """citeproc-py ignores ``display="block"``: the note was glued to the DOI
    ("…66954-1Journal club"); in HTML (the Word manuscript, the window) it is a new line."""
    records = [r for r in annotated_records() if r.notes and r.abstract]
    html = format_bibliography(records, style, html=True)
    wanted = "Journal club 0" if style in ANNOTATED else "BACKGROUND: Cohort 0"
    assert f"<br/>{wanted}" in html
    plain = format_bibliography(records, style)
    assert f" {wanted}" in plain and "\ue010" not in plain and "\ue011" not in plain


@pytest.mark.parametrize("style", ["vancouver", "spine", "american-medical-association",
                                   "harvard-university-of-bath", "apa", "health-economics",
                                   "interactive-cardiovascular-and-thoracic-surgery",
                                   "documents-d-archeologie-francaise"])
def test_notes_and_abstracts_never_reach_another_styles_list(style: str) -> None:
    """Some 200 styles print CSL's ``note`` inside the reference (a publication note; the
    University of Bath's Harvard ``annote``, an archaeology style a whole entry's block),
    and some 45 the ``abstract`` (Health Economics after the title, ICVTS as an online
    article's "doi:"): the reader's notes and the abstract are given to a style only where
    it prints them as an annotation block of their own."""
    online = replace(annotated_records()[0], volume="", issue="", pages="")
    listed = format_bibliography([*annotated_records(), online], style)
    assert "Journal club" not in listed and "BACKGROUND: Cohort" not in listed


def test_a_block_in_the_middle_of_an_entry_is_set_apart(tmp_path: Path) -> None:
    """The Atlas of Genetics and Cytogenetics in Oncology and Haematology sets title,
    authors and journal as blocks: "…cohort study.Williams H" before."""
    records = golden_records()[:4]
    style = "atlas-of-genetics-and-cytogenetics-in-oncology-and-haematology"
    ours = format_bibliography(records, style).splitlines()
    theirs = pandoc_annotated(style, tmp_path, records)
    assert [e.replace("\u202f", " ") for e in ours] == theirs  # (narrow spaces: tidy.py)
    assert not re.search(r"\.[A-Z]", " ".join(ours))
    html = format_bibliography(records[:1], style, html=True)
    assert "randomised trial.<br/>Patchell RA" in html


def test_a_word_reading_list_in_an_annotated_style_keeps_the_notes_on_their_line(
        tmp_path: Path) -> None:
    """A resident's journal-club handout: the Word manuscript's list in APA's annotated
    style, each note after a line break in its entry's paragraph."""
    records = [r for r in annotated_records() if r.notes][:2]
    document = formatted(tmp_path, records, lambda k: f"Read these [@{k[0]}; @{k[1]}].",
                         "apa-annotated-bibliography")
    body = document.paragraphs
    entries = [p for p in body if "Journal club" in p.text]
    assert len(entries) == 2
    for paragraph in entries:
        assert "<br" not in paragraph.text
        assert paragraph.text.split("\n")[-1].startswith("Journal club")
        assert any(br.tag.endswith("}br") for run in paragraph.runs for br in run._r)
