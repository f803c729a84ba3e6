"""The C-speed guarded XML parser (issue 19, item 6): every entity declaration or external
entity is refused before the main parser sees it; ordinary documents (a PUBLIC DOCTYPE, an
internal subset without entities, UTF-16) parse; the whole-document check agrees."""

from __future__ import annotations

from xml.etree.ElementTree import ParseError

import pytest

from spinelib.formats.safexml import (
    EntitiesRefused,
    check_document,
    chunks_of,
    iter_elements,
    iter_top_level,
)

HOSTILE = [
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
    b'<!DOCTYPE a [<!ENTITY a0 "ha"><!ENTITY a1 "&a0;&a0;">]><a>&a1;</a>',
    b'<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><a/>',
    b'<!DOCTYPE a [<!ENTITY u SYSTEM "x.bin" NDATA gif>]><a/>',
    # The declaration sits after a long, harmless internal subset (spans chunk boundaries).
    b'<!DOCTYPE a [' + b'<!ELEMENT b (#PCDATA)>' * 5000 + b'<!ENTITY x "y">]><a>&x;</a>',
]


@pytest.mark.parametrize("doc", HOSTILE, ids=range(len(HOSTILE)))
def test_entity_declarations_are_refused_before_any_element(doc: bytes) -> None:
    seen: list[str] = []
    with pytest.raises(EntitiesRefused):
        for elem in iter_elements(chunks_of(doc, 1024)):
            seen.append(elem.tag)
    with pytest.raises(EntitiesRefused):
        for elem in iter_top_level(chunks_of(doc, 1024), ("a",)):
            seen.append(elem.tag)
    assert seen == []
    with pytest.raises(EntitiesRefused):
        check_document(chunks_of(doc, 1024))


def test_an_undeclared_entity_is_an_error_even_with_an_external_dtd() -> None:
    doc = (b'<!DOCTYPE a PUBLIC "-//NLM//DTD x//EN" "https://127.0.0.1:9/x.dtd">'
           b'<a><b>&xxe;</b></a>')
    with pytest.raises(ParseError, match="undefined entity"):
        list(iter_elements([doc]))
    with pytest.raises(ParseError, match="undefined entity"):
        check_document([doc])


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0" ?>\n<!DOCTYPE a PUBLIC "-//NLM//DTD x//EN" "https://x/y.dtd">'
    b'<a><b>1 &amp; 2</b><b>&#233;</b></a>',
    b'<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a v CDATA "d">]><a><b>1 &amp; 2</b><b>&#233;</b></a>',
    '<?xml version="1.0" encoding="UTF-16"?><a><b>1 &amp; 2</b><b>é</b></a>'.encode("utf-16"),
])
def test_ordinary_documents_parse(doc: bytes) -> None:
    texts = [e.text for e in iter_elements(chunks_of(doc, 7)) if e.tag == "b"]
    assert texts == ["1 & 2", "é"]
    check_document(chunks_of(doc, 7))


@pytest.mark.parametrize("doc", [b"<a><b>", b"<a></b>", b"", b"<!DOCTYPE a [<!ELEMENT"])
def test_truncated_or_malformed_is_a_parse_error(doc: bytes) -> None:
    with pytest.raises(ParseError):
        list(iter_elements([doc]))
    with pytest.raises(ParseError):
        check_document([doc])


def test_only_the_asked_for_elements_come_back_with_their_children_built() -> None:
    doc = b"<set><art><t>one</t><ids><id>1</id></ids></art><skip/><art><t>two</t></art></set>"
    arts = list(iter_elements(chunks_of(doc, 5), ("art",)))
    assert [a.findtext("t") for a in arts] == ["one", "two"]
    assert arts[0].findtext("ids/id") == "1"
    assert [e.tag for e in iter_elements([doc])] == ["t", "id", "ids", "art", "skip", "t",
                                                     "art", "set"]


def test_the_elements_before_a_malformed_spot_come_before_the_error() -> None:
    # One chunk holds two whole articles and the fault: both are produced, then the error.
    doc = b"<set><art>1</art><art>2</art><art>3</oops></set>"
    seen: list[str | None] = []
    with pytest.raises(ParseError):
        for elem in iter_elements([doc], ("art",)):
            seen.append(elem.text)
    assert seen == ["1", "2"]


def test_top_level_reading_gives_the_root_children_asked_for_as_they_complete() -> None:
    doc = (b"<?xml version='1.0'?><!DOCTYPE set PUBLIC '-//x//EN' 'x.dtd'><set><art><t>one</t>"
           b"<art><t>nested</t></art></art><skip/><art><t>two</t></art><del>3</del></set>")
    for size in (1, 5, len(doc)):  # any chunking: every boundary inside a tag or a text
        got = [(e.tag, e.findtext("t")) for e in iter_top_level(chunks_of(doc, size),
                                                                 ("art", "del"))]
        assert got == [("art", "one"), ("art", "two"), ("del", None)]


def test_top_level_reading_hands_over_a_wanted_root_whole_and_last() -> None:
    doc = b"<art><t>alone</t><ids><id>1</id></ids></art>"
    got = list(iter_top_level(chunks_of(doc, 4), ("art",)))
    assert len(got) == 1 and got[0].findtext("ids/id") == "1"
    assert list(iter_top_level([b"<other><art/></other>"], ("art",)))[0].tag == "art"
    assert list(iter_top_level([b"<other/>"], ("art",))) == []


def test_top_level_reading_drops_what_it_handed_out() -> None:
    """Memory stays flat: once its holder lets go, a child handed out is freed (the root no
    longer holds it) while the parser is still reading the rest."""
    import gc
    import weakref

    doc = b"<set>" + b"<art><t>x</t></art>" * 50 + b"</set>"
    refs: list[weakref.ref[object]] = []
    alive_midway = -1
    for elem in iter_top_level(chunks_of(doc, 64), ("art",)):
        refs.append(weakref.ref(elem))
        if len(refs) == 40:
            gc.collect()
            alive_midway = sum(ref() is not None for ref in refs[:30])
    assert len(refs) == 50 and alive_midway == 0


def test_top_level_reading_before_a_malformed_spot() -> None:
    """The children known complete before the fault come first, then the error; a truncated
    document never hands out its unfinished last child."""
    seen: list[str | None] = []
    with pytest.raises(ParseError):
        for elem in iter_top_level([b"<set><art>1</art><art>2</art><art>3</oops></set>"],
                                   ("art",)):
            seen.append(elem.text)
    assert seen == ["1", "2"]
    seen.clear()
    with pytest.raises(ParseError):
        for elem in iter_top_level(chunks_of(b"<set><art>1</art><art>2</art><art>3", 6),
                                   ("art",)):
            seen.append(elem.text)
    assert seen == ["1", "2"]
