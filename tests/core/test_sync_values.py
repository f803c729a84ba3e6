"""A team library's values read as a reader reads them (the conflicts and history of issue 13):
MeSH, keywords and a book's editors are JSON text in their columns, authors and references rows
of columns; none of that is what a surgeon should read when choosing Keep mine or Keep theirs."""

from __future__ import annotations

import json

from spinelib.library.sync_values import (
    field_label,
    field_words,
    one_line,
    value_lines,
    value_text,
)
from spinelib.records import Author, MeshHeading
from spinelib.store.mapping import editors_json


def test_editors_read_as_names_not_json() -> None:
    stored = editors_json([Author(family="Benzel", given="Edward C"),
                           Author(family="Steinmetz", given="Michael P"),
                           Author(collective="AO Spine Knowledge Forum Tumor")])
    assert value_lines("editors", stored) == [
        "Benzel, Edward C", "Steinmetz, Michael P", "AO Spine Knowledge Forum Tumor"]
    assert one_line("editors", stored) == (
        "Benzel, Edward C; Steinmetz, Michael P; AO Spine Knowledge Forum Tumor")


def test_mesh_reads_as_headings_with_the_major_topic_starred() -> None:
    # The column as the store writes it (mapping: the headings' fields as a JSON list).
    stored = json.dumps([MeshHeading("D013120", "Spinal Neoplasms", True, ["secondary"]).__dict__,
                         MeshHeading("D006801", "Humans").__dict__])
    assert value_text("mesh", stored) == "*Spinal Neoplasms/secondary\nHumans"


def test_keywords_and_publication_types_one_per_line() -> None:
    assert value_text("keywords", json.dumps(["SBRT", "separation surgery"])) == (
        "SBRT\nseparation surgery")
    assert one_line("publication_types", json.dumps(["Journal Article", "Review"])) == (
        "Journal Article; Review")


def test_author_and_reference_rows_read_as_names_and_citations() -> None:
    authors = [["Bilsky", "Mark H", "MH", "", ""], ["", "", "", "Spine Oncology Study Group", ""]]
    assert value_lines("authors", authors) == ["Bilsky, Mark H", "Spine Oncology Study Group"]
    refs = [[0, "Patchell RA et al. Lancet. 2005;366:643-8.", "10.1016/s0140-6736(05)66954-1",
             "16112300", ""], [1, "", "10.1002/cncr.11111", "", ""]]
    assert value_lines("references", refs) == [
        "Patchell RA et al. Lancet. 2005;366:643-8.", "doi:10.1002/cncr.11111"]


def test_empty_flags_and_plain_values() -> None:
    for empty in (None, "", []):
        assert value_text("editors", empty) == "(empty)" == one_line("mesh", empty)
    assert value_text("retracted", 1) == "yes" and value_text("has_erratum", 0) == "no"
    assert value_text("year", 2013) == "2013"
    assert value_text("tag", ["to read", "SBRT"]) == "to read\nSBRT"
    assert one_line("notes", "ask about\nthe  table") == "ask about the table"


def test_what_cannot_be_read_is_shown_as_it_is_never_as_empty() -> None:
    for field in ("editors", "mesh", "keywords"):
        assert value_text(field, "[not json") == "[not json"
    assert value_text("keywords", "[]") == "(empty)" == value_text("mesh", "[]")
    assert value_text("editors", "[1]") == "[1]"  # no name in it: the text, not "(empty)"
    assert value_text("mesh", '{"a": 1}') == '{"a": 1}'
    assert value_text("notes", "[]") == "[]"  # a note is what it says
    assert value_lines("authors", ["odd"]) == ["odd"]
    assert value_lines("references", [[0, "", "", "", ""]]) == ["[0, '', '', '', '']"]


def test_fields_are_named_as_a_reader_names_them() -> None:
    assert field_words("mesh") == "the MeSH terms" and field_label("mesh") == "MeSH terms"
    assert field_label("editors") == "Book's editors" and field_label("doi") == "DOI"
    assert field_words("volume") == "the volume" and field_label("report_number") == (
        "Report number")
    assert field_label("list") == "Reading list"
