"""collapse_whitespace's allocation-free test (issue 19: a PubMed file's 280,000 citations
skip the split when clean): it must answer exactly as splitting and joining would, for
every whitespace character Python knows, not just the ASCII ones."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from spinelib.text import collapse_whitespace, is_collapsed

#: Every character str.split() splits on (NBSP, thin space, line separator, U+0085...).
WHITESPACE = "".join(chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace())
texts = st.text(alphabet=st.one_of(st.sampled_from(WHITESPACE + "ab é­"), st.characters()))


@given(texts)
def test_collapse_is_split_and_join(text: str) -> None:
    assert collapse_whitespace(text) == " ".join(text.split())


@given(texts)
def test_is_collapsed_only_says_so_of_a_text_collapsing_leaves_alone(text: str) -> None:
    unchanged = " ".join(text.split()) == text
    assert not is_collapsed(text) or unchanged
    if text.isprintable():  # then the quick answer is the whole answer
        assert is_collapsed(text) == unchanged


def test_each_kind_of_whitespace_is_seen() -> None:
    assert len(WHITESPACE) > 20
    for space in WHITESPACE:
        assert not is_collapsed(f"a{space}b") or space == " "
        assert collapse_whitespace(f" a{space}{space}b ") == "a b"
    assert is_collapsed("") and is_collapsed("Åberg CG, Chen M. Spine. 2020;45(3):1-9.")
    assert not is_collapsed(" a") and not is_collapsed("a ") and not is_collapsed("a  b")
