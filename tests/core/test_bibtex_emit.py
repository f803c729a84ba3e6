"""The .bib writers emit text directly (issue 19): the output must be byte for byte what
bibtexparser 2.x wrote from the same fields (the oracle below is the previous writer), over
records of every type with non-ASCII, braces, LaTeX specials, ligature pairs and months."""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from functools import partial

from bibtexparser import model
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.writer import BibtexFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.formats.bibtex.emit import Memo, entry_text
from spinelib.formats.bibtex.encode import (
    _NOTHING_TO_ESCAPE,
    _TO_ESCAPE,
    _WORD_RE,
    _escape_ascii,
    _needs_protection,
    encode_keywords,
    encode_text,
    encode_title,
    escape_latex,
)
from spinelib.formats.bibtex.write import _fields, entry_type, write_biblatex, write_bibtex
from spinelib.formats.common import export_keys, merged_keywords
from spinelib.records import ArticleRecord, Author
from spinelib.text import one_line

#: Characters that stress escaping: specials, ligature pairs, accents, CJK, Greek, controls.
HOSTILE = "aZ 09-',<>|\\{}&%$#_~^`\"éøßÆ–—’“μΩ中\u0301\t\n\xa0=@"
TEXT = st.text(alphabet=st.sampled_from(HOSTILE), max_size=24)
TYPES = ("article", "review", "book", "chapter", "conference", "proceedings", "report",
         "thesis", "webpage", "preprint", "erratum", "misc")


def oracle(records: Sequence[ArticleRecord], biblatex: bool, abstracts: bool) -> str:
    """What SpineLib wrote before issue 19: bibtexparser's Library, middleware and writer."""
    entries: list[model.Block] = []
    for record, (key, _note) in zip(records, export_keys(records), strict=True):
        fields = [model.Field(name, value, enclosing="no-enclosing" if name == "month" else None)
                  for name, value in _fields(record, biblatex, abstracts)]
        entries.append(model.Entry(entry_type(record, biblatex), key, fields))
    if not entries:
        return ""
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    stack = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                    default_enclosing="{", allow_inplace_modification=True)]
    return write_string(Library(entries), unparse_stack=stack,
                        bibtex_format=fmt).rstrip("\n") + "\n"


@st.composite
def records(draw: st.DrawFn) -> list[ArticleRecord]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        people = [Author(family=draw(TEXT), given=draw(TEXT), suffix=draw(TEXT),
                         collective=draw(st.sampled_from(["", "", "WHO {Group}", "A & B"])))
                  for _ in range(draw(st.integers(0, 3)))]
        out.append(ArticleRecord(
            type=draw(st.sampled_from(TYPES)), title=draw(TEXT), authors=people,
            journal=draw(st.sampled_from(["", "global spine journal", "Spine", "J. Neuro-Oncol.",
                                          "Ærzteblatt & {Co}"])),
            journal_abbrev=draw(TEXT), book_title=draw(TEXT), volume=draw(TEXT),
            issue=draw(TEXT), pages=draw(st.sampled_from(["", "112-20", "e123", "5--9"])),
            publisher=draw(TEXT), place=draw(TEXT), institution=draw(TEXT),
            report_number=draw(TEXT), year=draw(st.sampled_from([None, 1999, 2024])),
            month=draw(st.sampled_from([None, 3, 12, 13])), day=draw(st.sampled_from([None, 9])),
            doi=draw(st.sampled_from(["", "10.1000/a{b}%c\\d"])), pmid=draw(TEXT),
            pmcid=draw(TEXT), issn=draw(TEXT), url=draw(TEXT), abstract=draw(TEXT),
            notes=draw(TEXT), keywords=draw(st.lists(TEXT, max_size=3)),
            tags=draw(st.lists(TEXT, max_size=2)), citekey=draw(st.sampled_from(
                ["", f"key{i}", "KEY0", "bad key{"])),
            date_text=draw(st.sampled_from(["", "2004?", "2019/2020"])),
            pubstate=draw(st.sampled_from(["", "inpress"])),
            files=draw(st.lists(st.sampled_from(["/a/b.pdf", "C:\\x;y:z.pdf", "/a/{b}.pdf",
                                                 "/p/q r.docx", " "]), max_size=2))))
    return out


@settings(max_examples=300, deadline=None)
@given(records(), st.booleans())
def test_the_writers_emit_what_bibtexparser_wrote(recs: list[ArticleRecord],
                                                  abstracts: bool) -> None:
    assert write_bibtex(recs, abstracts=abstracts) == oracle(recs, False, abstracts)
    assert write_biblatex(recs, abstracts=abstracts) == oracle(recs, True, abstracts)


def test_repeated_journals_and_names_are_written_the_same_each_time() -> None:
    """The per-export memo returns exactly what encoding afresh gives."""
    recs = [ArticleRecord(title=f"Paper {i}", journal="global spine journal",
                          authors=[Author("Müller", "Jürgen"), Author("O'Neil", "A")],
                          keywords=["SBRT", "en bloc, resection"], citekey=f"k{i}")
            for i in range(3)]
    text = write_bibtex(recs)
    assert text == oracle(recs, False, False)
    assert text.count("journal = {Global Spine Journal}") == 3
    assert text.count("author = {M{\\\"u}ller, J{\\\"u}rgen and O'Neil, A}") == 3


@given(st.text(alphabet=st.sampled_from(HOSTILE + "ab"), max_size=12))
def test_the_fast_path_skips_only_text_escaping_keeps(text: str) -> None:
    if _NOTHING_TO_ESCAPE.fullmatch(text):
        assert _escape_ascii(text) == text


def test_the_escape_gate_is_the_complement_of_nothing_to_escape() -> None:
    """``_TO_ESCAPE.search`` (the cheap gate) finds something exactly when the full match
    of ``_NOTHING_TO_ESCAPE`` (the specification) fails."""
    @given(st.text(alphabet=st.sampled_from(HOSTILE + "ab<>,,"), max_size=16))
    def check(text: str) -> None:
        assert (_TO_ESCAPE.search(text) is None) == (_NOTHING_TO_ESCAPE.fullmatch(text) is not None)
    check()


#: Title words: capitals, inner capitals, non-ASCII capitals (É, Ω), digits, underscores.
TITLE_TEXT = st.text(alphabet=st.sampled_from("aB cD_éÉωΩ9-'{}\u01c5\u24b6x.:"), max_size=30)


def per_word_title(text: str, ascii_only: bool) -> str:
    """The title encoder before issue 19's regex gate: a Python decision for every word."""
    text = one_line(text)
    first = _WORD_RE.search(text)
    first_at = first.start() if first else -1

    def mark(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.islower() or word.isdigit() or not _needs_protection(word, m.start() == first_at):
            return word
        return "\x01" + word + "\x02"

    marked = _WORD_RE.sub(mark, text)
    return escape_latex(marked, ascii_only=ascii_only).replace("\x01", "{").replace("\x02", "}")


@settings(max_examples=400, deadline=None)
@given(TITLE_TEXT, st.booleans())
def test_titles_protect_the_same_words_as_the_per_word_encoder(text: str, ascii_only: bool) -> None:
    assert encode_title(text, ascii_only=ascii_only) == per_word_title(text, ascii_only)


def test_title_protection_examples() -> None:
    assert encode_title("Outcomes of SBRT after Bilsky grading", ascii_only=True) == \
        "Outcomes of {SBRT} after {Bilsky} grading"
    assert encode_title("MISt for spine_Metastases in Østergaard's cohort", ascii_only=False) == \
        "{MISt} for spine\\_{Metastases} in {Østergaard}'s cohort"
    assert encode_title("sLITT: a review", ascii_only=True) == "{sLITT}: a review"
    assert encode_title("plain lower case title", ascii_only=True) == "plain lower case title"


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=4), st.lists(TEXT, max_size=4), st.booleans())
def test_the_keyword_memo_merges_like_merged_keywords(tags: list[str], words: list[str],
                                                      ascii_only: bool) -> None:
    """Memo.merged_keywords (each raw word folded and encoded once per export) writes what
    merged_keywords followed by encode_keywords writes, also on a second, cached call."""
    record = ArticleRecord(tags=tags, keywords=words)
    memo = Memo(partial(encode_text, ascii_only=ascii_only), ascii_only)
    expected = encode_keywords(merged_keywords(record), ascii_only)
    assert memo.merged_keywords(tags, words) == expected
    assert memo.merged_keywords(tags, words) == expected


def test_an_entry_without_fields_keeps_bibtexparsers_layout() -> None:
    assert entry_text("misc", "k", []) == "@misc{k,\n}\n"
    assert entry_text("article", "k", [("year", "2024"), ("month", "mar")]) == \
        "@article{k,\n  year = {2024},\n  month = mar\n}\n"


def test_the_writer_leaves_the_cyclic_collector_as_it_found_it() -> None:
    """The export pauses the collector while it builds entries and restores its state."""
    recs = [ArticleRecord(title="SBRT", citekey="k")]
    assert gc.isenabled()
    write_bibtex(recs)
    assert gc.isenabled()
    gc.disable()
    try:
        write_biblatex(recs)
        assert not gc.isenabled()
    finally:
        gc.enable()
