"""A JATS full-text article (Europe PMC's ``fullTextXML``) as structured, reflowable text.

The article's ``<body>`` becomes one part per section (its heading path, e.g. "Methods ›
Patients", and its paragraphs), every figure and table caption becomes a ``caption`` part,
and the reference list becomes one ``reference`` part per entry. The XML comes from outside:
it is parsed with defusedxml (no entity expansion, no external resources) and a reply that is
not a JATS article raises :class:`~spinelib.errors.FormatError`.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml.common import DefusedXmlException

from spinelib.errors import FormatError
from spinelib.results_files import FulltextPart

#: Elements whose text is not running prose of a section (shown elsewhere or not at all).
_SKIP_IN_SECTION = frozenset({"sec", "fig", "table-wrap", "title", "label", "fig-group",
                              "supplementary-material"})
#: Block elements: each starts a new paragraph.
_BLOCKS = frozenset({"p", "list-item", "disp-quote", "def-item", "statement", "boxed-text"})


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _text(el: Element) -> str:
    """All text inside ``el``, whitespace collapsed."""
    return " ".join("".join(el.itertext()).split())


def _paragraphs(sec: Element) -> list[str]:
    """The section's own paragraphs (not its subsections', figures' or tables')."""
    out: list[str] = []

    def walk(el: Element) -> None:
        for child in el:
            name = _local(child.tag)
            if name in _SKIP_IN_SECTION:
                continue
            if name in _BLOCKS:
                text = _text(child)
                if text:
                    out.append(text)
            else:
                walk(child)

    walk(sec)
    return out


def _title(el: Element) -> str:
    for child in el:
        if _local(child.tag) == "title":
            return _text(child)
    return ""


def _article_root(data: bytes) -> Element:
    """The ``<article>`` element of the XML (the root or one inside it); FormatError if none."""
    try:
        root: Element = DET.fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise FormatError(f"the full text is not readable XML ({exc})") from None
    if _local(root.tag) == "article":
        return root
    found = root.find(".//{*}article")
    if found is None:
        found = root.find(".//article")
    if found is None:
        raise FormatError(f"the full text is not a JATS article (<{_local(root.tag)}>)")
    return found


def _child_text(el: Element, name: str) -> str:
    """The text of the first child of ``el`` named ``name``, '' if it has none."""
    return next((_text(c) for c in el if _local(c.tag) == name), "")


def _section_parts(el: Element, path: list[str], parts: list[FulltextPart]) -> None:
    """One ``section`` part per ``<sec>`` under ``el``, depth first, headed by its title path."""
    for child in el:
        if _local(child.tag) != "sec":
            continue
        heading = " › ".join([*path, _title(child)]).strip(" ›")
        paras = _paragraphs(child)
        if paras or heading:
            parts.append(FulltextPart(None, "section", heading, "\n\n".join(paras)))
        _section_parts(child, [*path, _title(child)] if _title(child) else path, parts)


def _caption_parts(body: Element) -> list[FulltextPart]:
    """One ``caption`` part per figure or table in the body that has a caption."""
    parts: list[FulltextPart] = []
    for fig in body.iter():
        if _local(fig.tag) in ("fig", "table-wrap"):
            label = _child_text(fig, "label")
            caption = _child_text(fig, "caption")
            if caption:
                parts.append(FulltextPart(None, "caption", label, caption))
    return parts


def _body_parts(body: Element) -> list[FulltextPart]:
    """The body's lead paragraphs, its sections, then its figure and table captions."""
    parts: list[FulltextPart] = []
    lead = _paragraphs(body)
    if lead:
        parts.append(FulltextPart(None, "section", "", "\n\n".join(lead)))
    _section_parts(body, [], parts)
    parts.extend(_caption_parts(body))
    return parts


def _reference_parts(root: Element) -> list[FulltextPart]:
    """One ``reference`` part per non-empty ``<ref>``, its label split off the text."""
    parts: list[FulltextPart] = []
    for ref in root.iter():
        if _local(ref.tag) == "ref":
            text = _citation_text(ref)
            if text:
                label = _child_text(ref, "label")
                if label and text.startswith(label):
                    text = text[len(label):].strip()
                parts.append(FulltextPart(None, "reference", label, text))
    return parts


#: How a reference's identifiers are written in its text, so a reader of the text (the
#: search, a reference list read from it) knows a number for a PMID.
_PUB_ID_LABELS = {"pmid": "PMID: ", "doi": "doi:", "pmcid": ""}


def _citation_text(ref: Element) -> str:
    """A reference's text as a citation reads. An ``element-citation`` stands its names,
    title and numbers in elements with nothing between them ("PatchellRA…Lancet2005" when
    joined as they are), so two pieces that meet letter to letter get a space; punctuation
    written between elements (a ``mixed-citation``'s) joins as written. PMIDs and DOIs are
    labelled ("PMID: 16112300")."""
    pieces: list[str] = []

    def walk(el: Element) -> None:
        name = _local(el.tag)
        if name == "pub-id" and el.get("pub-id-type") in _PUB_ID_LABELS:
            pieces.append(_PUB_ID_LABELS[str(el.get("pub-id-type"))] + "".join(el.itertext()))
            return
        pieces.append(el.text or "")
        for child in el:
            walk(child)
            pieces.append(child.tail or "")

    walk(ref)
    text = ""
    for piece in pieces:
        if text and piece and text[-1].isalnum() and piece[0].isalnum():
            text += " "
        text += piece
    return " ".join(text.split())


def parse_jats_fulltext(data: bytes) -> list[FulltextPart]:
    """Sections, captions and references of a JATS article; [] when it has no body text."""
    root = _article_root(data)
    parts: list[FulltextPart] = []
    body = next((c for c in root.iter() if _local(c.tag) == "body"), None)
    if body is not None:
        parts.extend(_body_parts(body))
    parts.extend(_reference_parts(root))
    return parts
