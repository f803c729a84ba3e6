"""The order of a reference list sorted by author, held to pandoc's (``spinelib.cite.sortkeys``):
one author's work before the same author's with others, whatever the titles; accented names
among their unaccented letters; a work without authors under its title.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import format_bibliography
from spinelib.cite.sortkeys import NAMES_END, collation_key
from spinelib.records import ArticleRecord, Author
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import edge_records, pandoc_entries

#: Clinical Orthopaedics and Related Research (sorted by its author macro, then the year),
#: the Clio Medica humanities style (by a macro of the authors and then the title) and APA.
AUTHOR_SORTED = ["clinical-orthopaedics-and-related-research", "clio-medica", "apa"]


def _like(key: str, **changes: object) -> ArticleRecord:
    rec = ArticleRecord(**{**golden_records()[0].__dict__, "citekey": key})
    for name, value in changes.items():
        setattr(rec, name, value)
    return rec


@pytest.mark.parametrize("style", AUTHOR_SORTED)
def test_one_author_comes_before_the_same_author_with_others(style: str,
                                                             tmp_path: Path) -> None:
    """Bilsky's book (2018, "Spine Oncology") before Bilsky and Laufer's article (2010,
    "Reliability…"), and Laufer's chapter before Laufer et al.: the comma after "Bilsky MH"
    sorted before the full stop ending it, so the longer list came first."""
    recs = golden_records() + edge_records()
    ours = format_bibliography(recs, style).splitlines()
    book = next(i for i, entry in enumerate(ours) if "Spine Oncology." in entry
                or "Spine Oncology (" in entry)
    article = next(i for i, entry in enumerate(ours) if "Reliability" in entry)
    assert book < article
    theirs = pandoc_entries(style, tmp_path, recs)
    assert [e[:60] for e in ours[:12]] == [e[:60] for e in theirs[:12]]


def test_an_accented_name_sorts_among_its_letters(tmp_path: Path) -> None:
    """Åkesson under A (between Adams and Azevedo), not after Zhang: an accent only decides
    between otherwise equal words."""
    recs = [_like(f"k{i}", authors=[Author(family, "Kristina")], title=f"Study {i}")
            for i, family in enumerate(["Zhang", "Azevedo", "Åkesson", "Adams", "Akesson"])]
    ours = format_bibliography(recs, "apa").splitlines()
    assert [entry.split(",")[0] for entry in ours] == [
        "Adams", "Akesson", "Åkesson", "Azevedo", "Zhang"]
    assert ours == pandoc_entries("apa", tmp_path, recs)


def test_collation_keys_compare_words_not_marks() -> None:
    key = collation_key
    assert key("Bilsky MH." + NAMES_END) < key("Bilsky MH, Laufer I." + NAMES_END)
    assert key("Bilsky MH" + NAMES_END + " Zebra") < key("Bilsky MH, Laufer I" + NAMES_END)
    assert key("“Direct decompressive”") == key("direct decompressive")
    assert key("Åkesson") > key("Akesson") and key("Åkesson") < key("Azevedo")
    assert key("999") < key("2005")  # a key that is one number keeps its value's order
    assert key("") is None and key(" – ") is None and key(NAMES_END) is None


def test_names_are_compared_one_by_one() -> None:
    """APA and Chicago list "Jackson, A." before "Jackson, A. L." and "He, Daniel" before
    "He, Daniel B." whoever follows them (nothing precedes something, name by name): a key
    that ran the names together sorted "Jackson, A. L., Schmitt" before "Jackson, A., Zhao"
    ("l" before "z"). Here SpineLib and the manuals part from pandoc, which compares full
    given names ("Anna" after "Arjun") or runs the names together."""
    recs = [_like("a", authors=[Author("Jackson", "Arjun L", "AL"), Author("Schmitt", "Jo")],
                  year=2024),
            _like("b", authors=[Author("Jackson", "Anna", "A"), Author("Zhao", "Giulia")],
                  year=2019),
            _like("c", authors=[Author("Łukasiewicz", "Ji-Hoon")], year=2003),
            _like("d", authors=[Author("Luo", "Jürgen")], year=2018)]
    apa = format_bibliography(recs, "apa").splitlines()
    assert [entry[:16] for entry in apa] == [
        "Jackson, A., & Z", "Jackson, A. L., ", "Łukasiewicz, J.-", "Luo, J. (2018). "]
    recs[0].authors[0] = Author("Jackson", "Anna B", "AB")
    chicago = format_bibliography(recs, "chicago-author-date").splitlines()
    assert [entry[:18] for entry in chicago[:2]] == ["Jackson, Anna, and", "Jackson, Anna B., "]
