"""Every place of a Word file where an author may type a citation, in reading order: the
body (tables, content controls and text boxes where they stand: :mod:`.blocks`) with each
footnote and endnote read where its reference mark stands, then the headers and footers.

python-docx reaches headers and footers itself, but not footnotes or endnotes: their parts
(``word/footnotes.xml``, ``word/endnotes.xml``) are read here from the part's bytes, checked
with defusedxml first (no DTD, no entities: the file comes from outside), then parsed with
python-docx's own parser, so their paragraphs are python-docx paragraphs that
:func:`spinelib.manuscript.wordfile.replace_span` edits exactly like the body's.
:meth:`NotesPart.flush` writes the edited XML back into the part before the document is
saved.

Order matters for numeric styles (numbers go in order of first citation): a note's
citations count where its mark stands in the text, so "see [@a]¹" with footnote 1 citing b
numbers a 1 and b 2. Headers and footers come after the body (they repeat on every page, so
they have no one place in the reading order); a note referenced from nowhere is read after
the body too, so none is skipped.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from spinelib.errors import FormatError
from spinelib.manuscript import blocks, wordfile

_W = blocks.W
#: The relationship types of the two note parts, by kind.
_NOTE_RELS = {
    "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
}


@dataclass(frozen=True)
class Segment:
    """Part of one paragraph's text, ``[start, end)`` (``end`` None: to its end), at one
    place of the document: "body", "footnote 3", "endnote 1", "header" or "footer"."""

    paragraph: Any
    where: str
    start: int = 0
    end: int | None = None

    def holds(self, offset: int) -> bool:
        """Whether a placeholder starting at ``offset`` of the paragraph's text is here."""
        return self.start <= offset and (self.end is None or offset < self.end)


class NotesPart:
    """The footnotes or endnotes of a document, parsed for editing in place."""

    def __init__(self, part: Any, kind: str, file_name: str) -> None:
        from docx.oxml.parser import parse_xml
        from docx.text.paragraph import Paragraph

        self.part, self.kind = part, kind
        blob: bytes = part.blob
        _check_safe(blob, f"{file_name}: its {kind}s ({part.partname})")
        try:
            self.root = parse_xml(blob)
        except Exception as exc:  # lxml's XMLSyntaxError and kin
            raise FormatError(f"{file_name}: its {kind}s ({part.partname}) cannot be read "
                              f"({type(exc).__name__})") from None
        #: Each note's paragraphs (tables inside a note too), by its w:id.
        self.notes: dict[str, list[Any]] = {}
        for note in self.root.iter(f"{_W}{kind}"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator",
                                         "continuationNotice"):
                continue
            # the parent python-docx asks for ``.part`` (images, links): this part
            self.notes[note.get(f"{_W}id", "")] = [
                Paragraph(p, cast(Any, self)) for p in note.iter(f"{_W}p")]

    @classmethod
    def create(cls, document: Any, file_name: str) -> NotesPart:
        """A new, empty footnotes part (with the separators Word expects), related from the
        document: for a note style's citations in a file that had no footnotes yet."""
        from docx.opc.constants import CONTENT_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
                f'xmlns:w="{_W[1:-1]}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
                '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuation'
                'Separator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
                "</w:footnote></w:footnotes>").encode()
        part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob,
                    document.part.package)
        document.part.relate_to(part, _NOTE_RELS["footnote"])
        return cls(part, "footnote", file_name)

    def add(self, text: str) -> str:
        """A new note holding ``text`` after its own superscript mark; the note's id."""
        from docx.oxml.parser import parse_xml
        from docx.text.paragraph import Paragraph

        body = html.escape(text, quote=False)
        numbers = [int(i) for i in self.notes if i.lstrip("-").isdigit()]
        note_id = str(max([0, *numbers]) + 1)
        note = parse_xml(
            f'<w:{self.kind} xmlns:w="{_W[1:-1]}" w:id="{note_id}"><w:p><w:r><w:rPr>'
            f'<w:vertAlign w:val="superscript"/></w:rPr><w:{self.kind}Ref/></w:r><w:r>'
            f'<w:t xml:space="preserve"> {body}</w:t></w:r></w:p></w:{self.kind}>')
        self.root.append(note)
        self.notes[note_id] = [Paragraph(p, cast(Any, self)) for p in note.iter(f"{_W}p")]
        return note_id

    def remove(self, note_id: str) -> None:
        """Remove the note ``note_id`` (a note style's citation read back); none: nothing."""
        for note in list(self.root.iter(f"{_W}{self.kind}")):
            if note.get(f"{_W}id") == note_id:
                note.getparent().remove(note)
        self.notes.pop(note_id, None)

    def flush(self) -> None:
        """Put the edited XML back into the part, so saving the document writes it."""
        from docx.opc.oxml import serialize_part_xml

        self.part._blob = serialize_part_xml(self.root)


def _check_safe(blob: bytes, what: str) -> None:
    """FormatError unless ``blob`` is well-formed XML without a DTD or entities."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        SafeET.fromstring(blob, forbid_dtd=True)
    except DefusedXmlException:
        raise FormatError(f"{what} declares a DTD or entities; refusing to read it") from None
    except SafeET.ParseError as exc:
        raise FormatError(f"{what} is not well-formed XML ({exc})") from None


def note_parts(document: Any, file_name: str) -> list[NotesPart]:
    """The document's footnotes and endnotes parts (none, one or both)."""
    found = []
    for rel in document.part.rels.values():
        for kind, reltype in _NOTE_RELS.items():
            if rel.reltype == reltype and not rel.is_external:
                found.append(NotesPart(rel.target_part, kind, file_name))
    return found


def _note_marks(paragraph: Any) -> list[tuple[int, str, str]]:
    """(offset in the paragraph's text, kind, note id) of each note mark, in order."""
    marks, pos = [], 0
    for run in wordfile.runs(paragraph):
        for kind in _NOTE_RELS:
            for ref in run._r.iter(f"{_W}{kind}Reference"):
                marks.append((pos, kind, ref.get(f"{_W}id", "")))
        pos += len(run.text)
    return marks


def _headers_and_footers(document: Any) -> Iterator[tuple[str, Any]]:
    """("header" | "footer", container) for each header and footer the file defines, once
    each (a section linked to the previous one shares its part; asking python-docx for an
    undefined one would add it to the file, so those are skipped)."""
    seen: set[int] = set()
    for section in document.sections:
        for where, item in (("header", section.header), ("header", section.first_page_header),
                            ("header", section.even_page_header), ("footer", section.footer),
                            ("footer", section.first_page_footer),
                            ("footer", section.even_page_footer)):
            if item.is_linked_to_previous or id(item.part) in seen:
                continue
            seen.add(id(item.part))
            yield where, item


def _with_notes(paragraph: Any, by_kind: dict[str, NotesPart],
                read: set[tuple[str, str]], where: str) -> Iterator[Segment]:
    """A body paragraph cut at its note marks, each note's paragraphs read at its mark (a
    note is read once, at its first mark)."""
    pos = 0
    for offset, kind, note_id in _note_marks(paragraph):
        yield Segment(paragraph, where, pos, offset)
        part = by_kind.get(kind)
        if part is not None and (kind, note_id) not in read:
            read.add((kind, note_id))
            for note_paragraph in part.notes.get(note_id, []):
                yield Segment(note_paragraph, f"{kind} {note_id}")
        pos = offset
    yield Segment(paragraph, where, pos)


def segments(document: Any, notes: list[NotesPart]) -> Iterator[Segment]:
    """Every paragraph (or part of one) where placeholders may be, in reading order."""
    by_kind = {n.kind: n for n in notes}
    read: set[tuple[str, str]] = set()
    for paragraph, boxed in blocks.placed_paragraphs(document):
        yield from _with_notes(paragraph, by_kind, read, "text box" if boxed else "body")
    for part in notes:  # notes no mark in the body points to (a text box, a header…)
        for note_id, paragraphs in part.notes.items():
            if (part.kind, note_id) not in read:
                for note_paragraph in paragraphs:
                    yield Segment(note_paragraph, f"{part.kind} {note_id}")
    for where, container in _headers_and_footers(document):
        for paragraph, _boxed in blocks.placed_paragraphs(container):
            yield Segment(paragraph, where)


def story_roots(document: Any, notes: Sequence[NotesPart]) -> list[Any]:
    """The root elements of every story of the document: the body, each header and footer
    it defines, and its notes parts."""
    return [document.element.body, *(c._element for _w, c in _headers_and_footers(document)),
            *(n.root for n in notes)]


def mirror_text_boxes(document: Any) -> int:
    """:func:`.blocks.mirror_text_boxes` over the body, headers and footers (after their
    placeholders are replaced); how many text boxes' fallback copies were changed."""
    return sum(blocks.mirror_text_boxes(root) for root in story_roots(document, ()))
