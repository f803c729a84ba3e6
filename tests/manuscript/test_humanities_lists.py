"""What the humanities' styles (MLA, Chicago, MHRA, New Hart's Rules) print and how they sort,
where citeproc-py differed from pandoc: a work without authors sorted after every other
(its title's quotation mark sorted as a character), and ``after-inverted-name`` printed no
comma before "and others" (``spinelib.cite.sortkeys``, ``spinelib.cite.invertednames``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import Citer, format_bibliography
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import (
    edge_records,
    pandoc_citations,
    pandoc_entries,
)

ANONYMOUS = "Direct Decompressive Surgical Resection"


def _heads(entries: list[str]) -> list[str]:
    return [entry[:40] for entry in entries]


@pytest.mark.parametrize("style", ["modern-language-association", "chicago-author-date"])
def test_a_work_without_authors_sorts_by_its_title_as_in_pandoc(style: str,
                                                                tmp_path: Path) -> None:
    """The edge records' first work has no authors: its title, in quotation marks, is its
    first element, and it belongs under D, not after "WHO Classification"."""
    recs = golden_records() + edge_records()
    ours = format_bibliography(recs, style).splitlines()
    theirs = pandoc_entries(style, tmp_path, recs)
    assert _heads(ours) == _heads(theirs)
    where = next(i for i, entry in enumerate(ours) if entry.lstrip("“‘").startswith(ANONYMOUS))
    assert ours[where - 1].startswith("Cole") and ours[where + 1].startswith("Fisher")


@pytest.mark.parametrize("style", ["mhra-author-date", "new-harts-rules-author-date"])
def test_after_inverted_name_puts_the_comma_after_an_inverted_name(style: str,
                                                                  tmp_path: Path) -> None:
    """The first name is inverted ("Fisher, Charles G."): a comma before "and others"."""
    recs = golden_records()
    ours = format_bibliography(recs, style).splitlines()
    theirs = pandoc_entries(style, tmp_path, recs)
    et_al = "and others" if style.startswith("mhra") else "et al."
    for author in (f"Fisher, Charles G., {et_al}", f"Klimo, Paul, {et_al}"):
        mine = [entry for entry in ours if entry.startswith(author)]
        assert len(mine) == 1 and mine[0] in theirs
    fisher = next(r for r in recs if r.citekey.startswith("fisher"))
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    cited = citer.cite([fisher.citekey])
    assert cited == pandoc_citations(style, tmp_path, recs, [[fisher.citekey]])[0]
    assert f"Fisher {et_al}" in cited  # a short name is never inverted: no comma
