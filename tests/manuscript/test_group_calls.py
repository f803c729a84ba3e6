"""Groups and macros left out by the variables their rendering called, as pandoc leaves them
out (``spinelib.cite.groupcalls``): a group printed for fixed words beside a macro that
called nothing, a macro whose variables are all empty printing nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import format_bibliography
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import edge_records, pandoc_entries

GBT = "china-national-standard-gb-t-7714-2015-numeric"


def _entry(entries: list[str], words: str) -> str:
    return next(entry for entry in entries if words in entry)


def test_a_chinese_standard_article_keeps_its_type_code_without_a_doi(tmp_path: Path) -> None:
    """GB/T 7714-2015 puts "[J]" after an article's title, "[J/OL]" when it has a DOI: the
    "OL" macro only tests the DOI, so the group holding "J" called no variable."""
    recs = golden_records()
    ours = format_bibliography(recs, GBT).splitlines()
    assert "spinal metastases[J]. Spine, 2019" in _entry(ours, "Consensus statement")
    assert "randomised trial[J/OL]. Lancet" in _entry(ours, "Direct decompressive")
    assert "Spine Oncology[M]. Thieme" in _entry(ours, "Spine Oncology[")
    assert ours == pandoc_entries(GBT, tmp_path, recs)


@pytest.mark.parametrize("style", ["acta-ophthalmologica", "animal-welfare", "antipode"])
def test_a_macro_whose_variables_are_empty_prints_none_of_its_words(style: str,
                                                                    tmp_path: Path) -> None:
    """The chapter has no editors: these styles' macro of "In: " and the editors prints
    nothing (pandoc's "Separation surgery. Metastatic Spine Disease"), where citeproc-py
    printed the "In" alone."""
    recs = golden_records() + edge_records()
    chapter = _entry(format_bibliography(recs, style).splitlines(), "Metastatic Spine Disease")
    assert "In" not in chapter.split("Metastatic")[0].split("surgery")[1]
    assert chapter in pandoc_entries(style, tmp_path, recs)

