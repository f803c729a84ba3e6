"""SpineLib's fast path through citeproc-py (``spinelib.cite.fastpath``: its style-tree searches
remembered, a style loaded once per process) prints exactly what citeproc-py as published
prints: every entry and every in-text citation, text and HTML, for a varied set of records
in numeric and author-date styles.

The reference is citeproc-py itself, unpatched (``fastpath.disabled()``), on a freshly parsed
style tree, so nothing the memo remembered can leak into it. (Both sides get the engine's
documented corrections of citeproc-py's output, the left-margin space and the localized date
delimiter, which the golden tests hold to pandoc.)
"""

from __future__ import annotations

import threading

import pytest

from benchmarks import corpus
from spinelib.cite import Citer, StyleEngine, fastpath
from spinelib.records import ArticleRecord
from spinelib.styles import resolve
from tests.manuscript.golden_records import golden_records

#: Numeric (superscript, brackets, NLM, AMA) and author-date (APA, Chicago, Harvard) styles.
STYLES = ("spine", "american-medical-association", "vancouver",
          "journal-of-neurosurgery-spine", "european-spine-journal", "ieee", "apa",
          "chicago-author-date", "harvard-cite-them-right")


def varied_records() -> list[ArticleRecord]:
    """The 20 golden references (collective authors, > 6 authors, no pages, article
    numbers, epub ahead of print, book, chapter, particles, Vietnamese names) and 25
    generated articles (1–80 authors, non-ASCII names, group authors)."""
    generated = corpus.articles(7, 0, 25)
    for i, rec in enumerate(generated):
        rec.citekey = f"gen{i}"
    return golden_records() + generated


def _keys(records: list[ArticleRecord]) -> list[str]:
    return [r.citekey for r in records]


def _plain_engine(style_id: str) -> StyleEngine:
    """A new engine on a newly parsed tree (not the process's shared one)."""
    path, info = resolve(style_id)
    return StyleEngine(info, path)


@pytest.mark.parametrize("style_id", STYLES)
@pytest.mark.parametrize("html", [False, True])
def test_bibliography_equals_plain_citeproc(style_id: str, html: bool) -> None:
    records = varied_records()
    with fastpath.disabled():
        reference = _plain_engine(style_id).bibliography(records, _keys(records), html=html)
    fast = StyleEngine.for_id(style_id)
    assert fast is StyleEngine.for_id(style_id)  # loaded once per process
    first = fast.bibliography(records, _keys(records), html=html)
    again = fast.bibliography(records, _keys(records), html=html)  # memo warm now
    assert fastpath.memo_size() > 0
    assert len(reference) == len(records)
    assert first == reference
    assert again == reference


@pytest.mark.parametrize("style_id", ["apa", "chicago-author-date", "harvard-cite-them-right"])
def test_author_date_citations_equal_plain_citeproc(style_id: str) -> None:
    records = varied_records()
    keys = _keys(records)
    groups = [[keys[0]], [keys[1], keys[2]], [keys[3], keys[20], keys[30]], [keys[-1]]]
    with fastpath.disabled():
        plain = _plain_engine(style_id)
        reference = [plain.author_date_citation(records, keys, g) for g in groups]
    fast = StyleEngine.for_id(style_id)
    assert [fast.author_date_citation(records, keys, g) for g in groups] == reference
    assert all(reference)
    # A document's Citer gives citeproc-py only the cited records, to the same text as the
    # whole list's, with what tells the document's works apart (APA and Chicago cite
    # "I. Laufer et al." here: another cited Laufer is Y. Laufer).
    citer = Citer(fast, dict(zip(keys, records, strict=True)))
    assert [citer.cite(g) for g in groups] == [
        fast.author_date_citation(records, keys, g, found=citer.found) for g in groups]
    assert [c.replace("I. Laufer", "Laufer") for c in (citer.cite(g) for g in groups)] == \
        reference


def test_a_shared_engine_keeps_each_threads_output_format() -> None:
    """Plain text and HTML asked at once of one engine from two threads: citeproc-py keeps
    the output format on the style, so without the engine's lock one would get the other's."""
    records = golden_records()
    engine = StyleEngine.for_id("american-medical-association")
    want = {False: engine.bibliography(records, _keys(records)),
            True: engine.bibliography(records, _keys(records), html=True)}
    got: dict[bool, list[list[str]]] = {False: [], True: []}

    def work(html: bool) -> None:
        for _ in range(5):
            got[html].append(engine.bibliography(records, _keys(records), html=html))

    threads = [threading.Thread(target=work, args=(h,)) for h in (False, True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert any("<i>" in e for e in want[True]) and not any("<i>" in e for e in want[False])
    assert got[False] == [want[False]] * 5
    assert got[True] == [want[True]] * 5
