"""The export's fast paths (issue 19: BibTeX export at its floor) write exactly what the
general code writes: the one-pass ``@article`` entry, the per-part author join, the title's
ASCII capital scan, the two-search escape gate and ``one_line``'s early return.

Each is checked against the general code it stands in for, over hostile input (the golden
test, ``test_bibtex_golden.py``, checks the whole output byte for byte)."""

from __future__ import annotations

import dataclasses
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.formats.bibtex.article import ArticleEntries
from spinelib.formats.bibtex.emit import entry_text
from spinelib.formats.bibtex.encode import (
    _CANDIDATE_RE,
    _TO_ESCAPE,
    _mark_later_word,
    _mark_later_words,
    _nothing_to_escape,
    encode_authors,
)
from spinelib.formats.bibtex.fields import entry_type, fields, new_memo
from spinelib.records import ArticleRecord, Author
from spinelib.text import one_line, strip_controls
from tests.core.test_bibtex_emit import HOSTILE, TEXT, per_word_title
from tests.core.test_bibtex_emit import records as hostile_records

#: Every kind of whitespace str.split knows, beside printable text.
SPACES = " \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@st.composite
def article_records(draw: st.DrawFn) -> list[ArticleRecord]:
    """Hostile records, most of them of a type written as ``@article``."""
    out = []
    for record in draw(hostile_records()):
        kind = draw(st.sampled_from(["article", "review", "erratum", "preprint", record.type]))
        out.append(dataclasses.replace(record, type=kind, journal=record.journal or draw(
            st.sampled_from(["", "Spine"]))))
    return out


@settings(max_examples=300, deadline=None)
@given(article_records(), st.booleans(), st.booleans())
def test_the_article_entry_is_what_its_fields_lay_out(recs: list[ArticleRecord], biblatex: bool,
                                                     abstracts: bool) -> None:
    memo = new_memo(biblatex)
    articles = ArticleEntries(memo, biblatex, abstracts)
    for n, record in enumerate(recs):
        if entry_type(record, biblatex) != "article":
            continue
        expected = entry_text("article", f"k{n}", fields(record, biblatex, abstracts))
        assert articles.entry(record, f"k{n}") == expected
        assert articles.entry(record, f"k{n}") == expected  # again, from the caches


def test_an_article_without_any_field_keeps_the_layout() -> None:
    record = ArticleRecord(type="article")
    articles = ArticleEntries(new_memo(False), False, False)
    assert articles.entry(record, "k") == entry_text("article", "k", fields(record, False, False))


NAME = st.text(alphabet=st.sampled_from(HOSTILE + SPACES + "ab"), max_size=8)
AUTHORS = st.lists(st.builds(Author, family=st.one_of(NAME, st.sampled_from(["Smith", "Ng"])),
                             given=st.one_of(NAME, st.sampled_from(["Jo", "A B"])),
                             collective=st.sampled_from(["", "", "", "WHO", " "]),
                             suffix=st.sampled_from(["", "", "", "Jr", " "])), max_size=5)


@settings(max_examples=400, deadline=None)
@given(st.lists(AUTHORS, max_size=4), st.booleans())
def test_author_lists_are_encoded_as_encode_authors_does(lists: list[list[Author]],
                                                        ascii_only: bool) -> None:
    memo = new_memo(not ascii_only)
    for authors in lists + lists:  # the second time from the per-export caches
        # Each name as encode_authors writes it, a name it writes as nothing left out (as
        # the writers always did: a blank family beside a group name, Author(" ", "", "WHO"),
        # would otherwise leave a dangling "and").
        expected = " and ".join(filter(None, (encode_authors([a], ascii_only) for a in authors)))
        assert memo.authors(authors) == expected


def test_a_name_written_as_nothing_leaves_no_dangling_and() -> None:
    memo = new_memo(False)
    assert memo.authors([Author("0"), Author(" ", "", collective="WHO")]) == "0"


def test_only_the_ascii_space_is_printable_whitespace() -> None:
    """What one_line's early return relies on."""
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if c.isspace() and c.isprintable()] == [" "]


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(HOSTILE + SPACES + "ab  "), max_size=16))
def test_one_line_is_the_collapsed_text(text: str) -> None:
    assert one_line(text) == " ".join(strip_controls(text).split())


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(HOSTILE + "ab<>,,--''"), max_size=16))
def test_the_escape_gate_is_the_one_search_gate(text: str) -> None:
    assert _nothing_to_escape(text) == (_TO_ESCAPE.search(text) is None)


ASCII_TITLE = st.text(alphabet=st.sampled_from("aAbZz09 -_'.:({}sLITT2D"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.one_of(ASCII_TITLE, TEXT))
def test_later_title_words_are_marked_as_the_general_search_marks_them(text: str) -> None:
    rest = " " + text  # (the rest of a title starts after its first word)
    assert _mark_later_words(rest) == _CANDIDATE_RE.sub(_mark_later_word, rest)


@settings(max_examples=300, deadline=None)
@given(ASCII_TITLE, st.booleans())
def test_ascii_titles_protect_the_same_words_as_the_per_word_encoder(text: str,
                                                                    ascii_only: bool) -> None:
    from spinelib.formats.bibtex.encode import encode_title

    assert encode_title(text, ascii_only=ascii_only) == per_word_title(text, ascii_only)


def test_capitals_inside_words_take_the_general_search() -> None:
    assert _mark_later_words(" a sLITT and 2D T2 MRI") == \
        " a \x01sLITT\x02 and \x012D\x02 \x01T2\x02 \x01MRI\x02"


def test_keywords_and_tags_are_still_checked_for_unencodable_characters() -> None:
    """The check skips merging all-ASCII keywords (nothing to report there), and still
    reports a tag or a keyword BibTeX cannot encode."""
    from spinelib.formats.bibtex.problems import unencodable_characters

    assert "keywords" not in unencodable_characters(ArticleRecord(tags=["SBRT"],
                                                                  keywords=["spine", "a\tb"]))
    assert unencodable_characters(ArticleRecord(tags=["中"]))["keywords"] == ["中"]
    assert unencodable_characters(ArticleRecord(tags=["SBRT"], keywords=["x", "😀"]))[
        "keywords"] == ["😀"]
