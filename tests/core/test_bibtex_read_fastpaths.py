"""The .bib reader's faster splitting (issue 19: a 20,000-entry .bib import) reads exactly
what the per-character loops it replaced read: the same keyword and name-list pieces for
any text, braces balanced or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spinelib.formats.bibtex.decode import decode_latex, decode_line
from spinelib.formats.bibtex.names import split_names, split_top_level
from spinelib.text import one_line

RAW = st.text(alphabet=st.sampled_from("ab {}{}},;# and\\'\"\t\nAND"), max_size=40)


def per_char_split(value: str, seps: str) -> list[str]:
    """split_top_level as it was: a Python step per character."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def per_char_names(raw: str) -> list[str]:
    """split_names as it was: braces masked one character at a time."""
    import re

    masked = []
    depth = 0
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        masked.append("x" if depth or ch == "}" else ch)
    cuts = [m.span() for m in re.finditer(r"\s+and\s+", "".join(masked), re.I)]
    names, start = [], 0
    for a, b in cuts:
        names.append(raw[start:a])
        start = b
    names.append(raw[start:])
    return [n.strip() for n in names if n.strip()]


@settings(max_examples=600)
@given(RAW, st.sampled_from([",;", ",", "#", ";", ""]))
def test_top_level_splitting_is_unchanged(value: str, seps: str) -> None:
    assert split_top_level(value, seps) == per_char_split(value, seps)


@settings(max_examples=600)
@given(RAW)
def test_name_lists_split_as_before(raw: str) -> None:
    assert split_names(raw) == per_char_names(raw)


def test_examples() -> None:
    assert split_names("Smith, J and {Barnes and Noble} and \\\"Ozt\\\"urk, A") == \
        ["Smith, J", "{Barnes and Noble}", "\\\"Ozt\\\"urk, A"]
    assert split_top_level("a, {b, c}; d", ",;") == ["a", " {b, c}", " d"]
    assert split_top_level("a, b; c", ",;") == ["a", " b", " c"]


@given(st.text(max_size=3))
def test_decode_line_of_empty_and_short_text(value: str) -> None:
    assert decode_line(value) == one_line(decode_latex(value))


LATEX = st.lists(st.sampled_from(
    ["a", "Z", " ", "\\", "{", "}", "$", "~", "`", "'", "?", "!", "-", "^", '"', "=", ".",
     "u", "v", "H", "c", "i", "j", "\\'", "\\v{", "$\\alpha$", "\\ensuremath{\\beta}",
     "\\textbf{", "---", "--", "\\i", "\\ ", "\\%", "\\par ", "\\unknownmacro", "é"]),
    max_size=16).map("".join)


def plain_fast_decode(value: str) -> str:
    """fast_decode as it was: one regex substitution tried at every character."""
    from spinelib.formats.bibtex.decode import _TOKEN_RE, _fast_token
    from spinelib.text import nfc

    return nfc(_TOKEN_RE.sub(_fast_token, value))


@settings(max_examples=1500)
@given(LATEX)
def test_the_fast_decoder_reads_as_the_plain_substitution(value: str) -> None:
    from spinelib.formats.bibtex.decode import NeedsParser, fast_decode

    def outcome(decode: object) -> str:
        try:
            return decode(value)  # type: ignore[operator, no-any-return]
        except NeedsParser:
            return "<needs the parser>"

    assert outcome(fast_decode) == outcome(plain_fast_decode)
