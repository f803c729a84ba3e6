"""The search syntax the faces show (spinelib.searchsyntax) is the language the search
parser reads (spinelib.library.fieldquery): every example parses as it says, every
qualifier and value the parser knows is shown."""

from __future__ import annotations

import re

import pytest

from spinelib import searchsyntax
from spinelib.citationtext import cited_work
from spinelib.library import fieldquery
from spinelib.results import ReadStatus
from spinelib.store.fieldsearch import HAS


def _examples() -> list[str]:
    """Every example of every row, one search each ("year:2005, year:2015..2020" is two)."""
    return [part for row in searchsyntax.SYNTAX for part in row.example.split(", ")]


def _qualifiers_shown() -> set[str]:
    return {m.group(1) for ex in _examples() for m in re.finditer(r"(?:^|-)(\w+):", ex)}


def test_every_qualifier_the_parser_reads_is_shown_and_no_other() -> None:
    assert _qualifiers_shown() == set(fieldquery.QUALIFIERS)


def test_every_value_of_has_and_read_is_shown() -> None:
    examples = set(_examples())
    assert {f"has:{v}" for v in HAS} <= examples
    assert {f"read:{s.label}" for s in ReadStatus} <= examples


@pytest.mark.parametrize("example", _examples())
def test_every_example_searches_as_it_says(example: str) -> None:
    """A qualified or excluded example becomes one term with nothing left over and no
    hint; a plain one stays full-text search."""
    parsed = fieldquery.parse(example)
    if cited_work(example) is not None:  # a citation: its first author and years, said so
        assert [t.kind for t in parsed.terms] == ["author", "year"]
        assert parsed.free_text == "" and parsed.hints[0].startswith("Read as a citation")
        return
    assert parsed.hints == []
    cited = example.lstrip("-").startswith("@")
    if example.startswith("("):  # a group: plain words, the parentheses parted from them
        assert parsed.terms == [] and parsed.free_text == example.replace(
            "(", "( ").replace(")", " )")
    elif "[" in example:  # a PubMed field tag: one qualified term
        kinds = {"au": "author", "ti": "title", "mh": "mesh", "dp": "year"}
        tag = example[example.index("[") + 1:-1]
        assert [t.kind for t in parsed.terms] == [kinds[tag]] and parsed.free_text == ""
    elif " NOT " in example:  # PubMed's: the word after it excluded
        before, after = example.split(" NOT ")
        assert parsed.free_text == before and len(parsed.terms) == 1
        assert parsed.terms[0].negated and parsed.terms[0].text == after
    elif re.fullmatch(r"[a-z ]+ (?:19|20)\d\d", example):  # a year among words: either
        assert parsed.free_text == example.rsplit(" ", 1)[0]
        assert [t.kind for t in parsed.terms] == ["any"]
    elif " AND " in example:  # PubMed's: what terms do anyway
        assert parsed.terms == [] and parsed.free_text == example.replace(" AND ", " ")
    elif example.startswith("-") or re.search(r"\w+:", example) or cited:
        assert len(parsed.terms) == 1 and parsed.free_text == ""
        assert parsed.terms[0].negated == example.startswith("-")
        assert parsed.terms[0].kind == (re.findall(r"(\w+):", example)
                                        or ["key" if cited else "text"])[0]
    else:
        assert parsed.terms == [] and parsed.free_text == example


def test_the_text_fits_a_terminal_and_names_every_example() -> None:
    text = searchsyntax.as_text()
    assert max(len(line) for line in text.splitlines()) <= 79
    assert all(row.example in text for row in searchsyntax.SYNTAX)
    narrow = searchsyntax.as_text(columns=60)
    assert max(len(line) for line in narrow.splitlines()
               if not line.startswith("  has:") and not line.startswith("  year:")) <= 60


def test_the_html_escapes_what_it_shows() -> None:
    html = searchsyntax.as_html()
    assert "<code>-word, -&quot;" not in html  # quotes are fine in text, kept as they are
    assert '<code>mesh:"spinal neoplasms"</code>' in html
    assert "<table" in html and html.count("<tr>") == len(searchsyntax.SYNTAX)
