"""The quick path for plain entries (spinelib/formats/bibtex/quicksplit.py) splits exactly as
bibtexparser's own splitter does: the same blocks, fields, lines and raw text, on a real
export, on the stream tests' file of every awkward construct, and on thousands of copies of
it with marks thrown in anywhere. It takes the plain entries (else it would be no quicker)
and gives up on the rest, which bibtexparser then splits with its own recovery."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from bibtexparser import model
from bibtexparser.splitter import Splitter

from benchmarks import corpus
from spinelib.formats.bibtex import quicksplit
from spinelib.formats.bibtex.quicksplit import QuickSplitter
from spinelib.formats.bibtex.write import write_bibtex
from spinelib.text import normalise_newlines

from .test_bibtex_stream import VARIED


def _shape(block: model.Block) -> Any:
    """What a block says, comparable: a failed block's error by its message (the exception
    objects of two parses are never equal)."""
    if isinstance(block, model.ParsingFailedBlock):
        return (type(block).__name__, block.start_line, block.raw, str(block.error))
    if isinstance(block, model.DuplicateFieldKeyBlock):
        return (type(block).__name__, sorted(block.duplicate_keys), _shape(block.entry))
    if isinstance(block, model.Entry):
        return ("Entry", block.start_line, block.entry_type, block.key, block.raw,
                [(f.key, f.value, f.start_line) for f in block.fields])
    return (type(block).__name__, block.start_line, block.raw, vars(block))


def _split_both(text: str, first_line: int = 0) -> tuple[list[Any], int]:
    """(the blocks, as both splitters make them; entries the quick path took)."""
    taken = 0
    quick = QuickSplitter(text, first_line)
    real = quick._quick_entry

    def counting(m: Any, m_val: str) -> model.Entry | None:
        nonlocal taken
        entry = real(m, m_val)
        taken += entry is not None
        return entry

    quick._quick_entry = counting  # type: ignore[method-assign]
    got = [_shape(b) for b in quick.split().blocks]
    reference = Splitter(text)
    reference._current_line = first_line - 1
    reference._reset_block_status(current_char_index=0)
    expected = [_shape(b) for b in reference.split().blocks]
    assert got == expected
    return got, taken


def test_an_export_is_split_alike_and_every_entry_takes_the_quick_path() -> None:
    text = write_bibtex(corpus.articles(1, 0, 60), abstracts=True)
    blocks, taken = _split_both(text)
    assert len(blocks) == 60 and taken == 60
    titles = [dict((f[0], f[1]) for f in b[5])["title"] for b in blocks]
    assert any("{" in t[1:-1] for t in titles)  # braces inside braces: "({CORPECTOMY})"


def test_lines_count_from_where_the_text_starts_in_the_file() -> None:
    text = "\n\n@article{a,\n  title = {T},\n\n  year = 2001\n}\n@article{b, doi = {x}}\n"
    blocks, taken = _split_both(text, first_line=41)
    assert taken == 2
    assert [(b[1], [f[2] for f in b[5]]) for b in blocks] == [(43, [44, 46]), (48, [48])]


@pytest.mark.parametrize("text", [
    '@article{q, title = "Quoted"}',  # a quote: bibtexparser's
    "@article{c, title = {A} # b}",  # concatenation
    "@article{e, note = {mail a@b.org}}",  # any @
    "@article{n, note = {a\n  @book{v, year = 1}}}",  # a block start inside braces
    "@article{d, year = 1, year = 2}",  # a repeated field (a DuplicateFieldKeyBlock)
    "@article{nofields}",  # no comma after the key
    "@article{u, title = {unclosed}\n@article{v, year = 1}",  # aborted by the next block
    "@article{s, title = {x}, = {y}}",  # no field name
    "@article{k, title = {a \\} b}}",  # an escaped brace is not a brace to bibtexparser
    "@article{w, title = {a}, stray}",  # text where a field belongs
    "@article{b, title = a\\,b}",  # a backslash in a bare value
    "@article(p, title = {paren})",  # (-delimited
])
def test_what_the_quick_path_does_not_take_is_still_split_alike(text: str) -> None:
    _split_both(text)


def test_the_awkward_file_and_its_plain_entries() -> None:
    blocks, taken = _split_both(VARIED)
    assert taken >= 3
    assert any(b[0] == "ParsingFailedBlock" for b in blocks)


#: What is thrown into the awkward file: every character that means something to the
#: splitter, and a few that only look as if they might.
_MARKS = ("{", "}", '"', ",", "=", "@", "\\", "\n", "#", "(", ")", " ", "\r", "\t",
          "@article{", "\\}", "\\{", "\\\n", "{\"}", "}\n", ",\n", "@string{", "\u00a0")


@pytest.mark.parametrize("seed", range(300))
def test_marks_thrown_in_anywhere_are_split_alike(seed: int) -> None:
    rnd = random.Random(seed)
    text = VARIED
    for _ in range(rnd.randint(1, 12)):
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + rnd.choice(_MARKS) + text[at:]
    _split_both(text, first_line=rnd.randrange(3))


def test_without_bibtexparser_internals_the_quick_path_stays_off(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quicksplit, "_QUICK", False)
    blocks, taken = _split_both(write_bibtex(corpus.articles(1, 0, 5)))
    assert taken == 0 and len(blocks) == 5


_FILES = sorted(p for p in (Path(__file__).parent.parent / "data").rglob("*.bib")
                if "bad" not in p.parts)


@pytest.mark.parametrize("path", _FILES, ids=lambda p: p.name)
def test_every_bib_file_of_the_tests_splits_alike(path: Path) -> None:
    """Exports of JabRef, Zotero (Better BibTeX), Mendeley and EndNote, SpineLib's own golden
    exports and the format tests' awkward files."""
    text = normalise_newlines(path.read_text(encoding="utf-8", errors="replace"))
    _split_both(text)
