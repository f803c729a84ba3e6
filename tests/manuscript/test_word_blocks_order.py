"""The reading-order walk of a Word story (:mod:`spinelib.manuscript.blocks`) over any
nesting Word writes: paragraphs, tables of cells of blocks, block-level content controls,
custom XML, and text boxes (each kept twice, the drawing and its VML fallback) anchored in
paragraphs, nested in one another.

Its promise, checked on generated nestings: every paragraph a reader sees comes exactly
once, in document order (an anchor before its text boxes' paragraphs, a table's cells row by
row), and no paragraph of a fallback copy comes at all; the paragraphs flagged as in a text
box are exactly those inside one. And mirroring gives every fallback its drawing's text.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from spinelib.manuscript.blocks import W, _paragraphs, mirror_text_boxes

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
NSMAP = {"w": W[1:-1], "mc": MC[1:-1]}

#: A block: ("p", text, [text box contents]) | ("tbl", [[cell blocks]]) | ("sdt", blocks)
#: | ("custom", blocks); a text box's content is itself a list of blocks. At most a dozen
#: paragraphs a story, nested up to a few levels (the walk's cases, not its speed).
_text = st.text("abc", max_size=3)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    some = st.lists(inner, min_size=1, max_size=2)
    return st.one_of(
        st.tuples(st.just("p"), _text, st.lists(some, min_size=1, max_size=1)),
        st.tuples(st.just("tbl"), st.lists(st.lists(some, min_size=1, max_size=2),
                                           min_size=1, max_size=2)),
        st.tuples(st.just("sdt"), some), st.tuples(st.just("custom"), some))


block = st.recursive(st.tuples(st.just("p"), _text, st.just([])), _nested, max_leaves=12)
blocks = st.lists(block, min_size=1, max_size=3)


def _w(parent: Any, name: str) -> Any:
    return etree.SubElement(parent, W + name)


def _build(parent: Any, items: list[Any], names: itertools.count[int]) -> None:
    for item in items:
        kind = item[0]
        if kind == "p":
            p = _w(parent, "p")
            p.set(W + "name", str(next(names)))  # each paragraph's identity, in build order
            _w(_w(p, "r"), "t").text = item[1]
            for box in item[2]:
                alternate = etree.SubElement(_w(p, "r"), MC + "AlternateContent")
                drawn = _w(etree.SubElement(alternate, MC + "Choice"), "txbxContent")
                _build(drawn, box, names)
                fallback = _w(etree.SubElement(alternate, MC + "Fallback"), "txbxContent")
                for child in drawn:  # the VML copy: the same paragraphs, marked as copies
                    twin = copy.deepcopy(child)
                    for q in twin.iter(W + "p"):
                        q.set(W + "name", "copy-" + q.get(W + "name"))
                    fallback.append(twin)
        elif kind == "tbl":
            tbl = _w(parent, "tbl")
            _w(tbl, "tblPr")
            for row in item[1]:
                tr = _w(tbl, "tr")
                for cell in row:
                    _build(_w(tr, "tc"), cell, names)
        elif kind == "sdt":
            sdt = _w(parent, "sdt")
            _w(sdt, "sdtPr")
            _build(_w(sdt, "sdtContent"), item[1], names)
        else:
            _build(_w(parent, "customXml"), item[1], names)


def _body(items: list[Any]) -> Any:
    body = etree.Element(W + "body", nsmap=NSMAP)
    _build(body, items, itertools.count())
    _w(body, "sectPr")
    return body


def _in_box(p: Any) -> bool:
    return next(p.iterancestors(W + "txbxContent"), None) is not None


@settings(max_examples=100)
@given(blocks)
def test_every_paragraph_once_in_document_order(items: list[Any]) -> None:
    body = _body(items)
    walked = list(_paragraphs(body, boxed=False))
    seen = [p.get(W + "name") for p, _boxed in walked]
    expected = [p.get(W + "name") for p in body.iter(W + "p")
                if not p.get(W + "name").startswith("copy-")]
    assert seen == expected  # document order: an anchor first, then its boxes' paragraphs
    assert sorted(seen, key=int) == [str(i) for i in range(len(seen))]  # each once
    assert [boxed for _p, boxed in walked] == [_in_box(p) for p, _boxed in walked]


@settings(max_examples=100)
@given(blocks)
def test_mirroring_gives_every_fallback_its_drawings_text(items: list[Any]) -> None:
    body = _body(items)
    for p, boxed in list(_paragraphs(body, boxed=False)):
        if boxed:
            p.find(f"{W}r/{W}t").text = "edited"
    mirror_text_boxes(body)
    for alternate in body.iter(MC + "AlternateContent"):
        drawn = alternate.find(f"{MC}Choice/{W}txbxContent")
        kept = alternate.find(f"{MC}Fallback/{W}txbxContent")
        assert [t.text for t in kept.iter(W + "t")] == [t.text for t in drawn.iter(W + "t")]
