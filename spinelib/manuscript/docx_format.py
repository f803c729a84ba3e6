"""Formatting a Word manuscript: placeholders become the style's citations, numbered in order
of first citation, and the bibliography goes at ``{Bibliography}``, under the author's own
empty "References" heading, or at the end.

Promises: the input file is only read; the result is a new file written atomically (never
the input); a placeholder naming nothing, or more than one article, is left as typed and
reported, the rest formatted; retracted articles are named; the reading list
"Cited in <name>" holds the cited articles in citation order (one transaction).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from spinelib.cite import Citer
from spinelib.cite.items import CitedItem
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.manuscript import citefields, stories, wordfile
from spinelib.manuscript.placeholders import (
    BIBLIOGRAPHY_MARK,
    Cite,
    Placeholder,
    bare_citekeys,
    find_placeholders,
    unreadable_brackets,
)
from spinelib.manuscript.refheading import references_heading
from spinelib.manuscript.resolve import Resolver
from spinelib.outputfile import write_bytes_atomic
from spinelib.paths import same_file

#: (paragraph, placeholder, [article ids], where: "body", "footnote 3", "header" …)
_Found = tuple[Any, Placeholder, list[int], str]


@dataclass
class ManuscriptReport:
    """What formatting a manuscript did.

    ``cited`` holds the citekeys in order of first citation; ``unmatched`` and ``ambiguous``
    one message per placeholder left as typed; ``retracted`` one per retracted article cited;
    ``unshown_locators`` one per page (or other locator) typed that the style does not print
    (numeric styles such as Vancouver print the number alone: the author should know).
    """

    output: Path
    style: str
    citations: int = 0
    cited: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)
    unshown_locators: list[str] = field(default_factory=list)
    reading_list: str = ""
    bibliography_at_mark: bool = False
    #: Citations and reference lists of an earlier formatting read back as typed
    #: (:mod:`.citefields`): the file had been formatted by SpineLib before.
    read_back: int = 0
    #: EndNote's, Zotero's or Mendeley's citation and bibliography fields read as placeholders
    #: (:mod:`.otherfields`).
    converted: int = 0
    #: The author's own empty references heading the bibliography went under ('' if none).
    bibliography_under: str = ""

    @property
    def ok(self) -> bool:
        return not self.unmatched and not self.ambiguous

    @property
    def read_back_text(self) -> str:
        """What the CLI and the window say of an earlier formatting read back ('' if none)."""
        said = []
        if self.read_back:
            said.append(f"formatted before by SpineLib: {self.read_back} citation and "
                        "reference-list field" + ("s" if self.read_back != 1 else "") +
                        " read back and formatted afresh")
        if self.converted:
            said.append(f"{self.converted} EndNote, Zotero or Mendeley citation and "
                        "reference-list field" + ("s" if self.converted != 1 else "") +
                        " read as placeholders and formatted by SpineLib")
        return "; ".join(said)

    @property
    def bibliography_place(self) -> str:
        """Where the reference list went, as the CLI and the window say it."""
        if self.bibliography_at_mark:
            return "at {Bibliography}"
        if self.bibliography_under:
            return f'under your heading "{self.bibliography_under}"'
        return 'at the end, under a new "References" heading'


def cited_list_name(path: Path) -> str:
    """The reading list a manuscript's citations go to: "Cited in paper.docx"."""
    return f"Cited in {Path(path).name}"


def format_manuscript(lib: Library, source: Path, output: Path, style: str) -> ManuscriptReport:
    """Format ``source`` into the new file ``output`` in ``style`` (see the module's promises).

    Raises SpineLibError (and writes nothing) for an output that is the input, a file that is
    not a readable .docx and an unknown or unusable style.
    """
    from spinelib.cite import StyleEngine

    source, output = Path(source), Path(output)
    _refuse_overwriting_input(source, output)
    engine = StyleEngine.for_id(style)  # an unknown style fails before any work
    document = wordfile.open_document(source)
    notes = stories.note_parts(document, source.name)  # footnotes, endnotes: read safely
    report = ManuscriptReport(output, engine.info.id)
    # A file SpineLib formatted before: its citations and reference list become what the
    # author typed again, so they are formatted afresh with any typed since.
    read_back = citefields.restore(stories.story_roots(document, notes), notes)
    report.read_back, report.converted = read_back.own, read_back.other
    manuscript = read_back.manuscript or source.name  # the copies of a paper fill its list

    # Pass 1: every placeholder (body, notes where their marks stand, headers, footers),
    # resolved; the ones that resolve fully are formatted.
    found, mark_paragraph = _collect_placeholders(document, notes, Resolver(lib), report)

    ids = list(dict.fromkeys(i for _p, _ph, got, _w in found for i in got))
    records = dict(zip(ids, lib.articles.records_to_cite(ids), strict=False))
    key_of = {i: (rec.citekey or f"id{i}") for i, rec in records.items()}
    citer = Citer(engine, {key_of[i]: records[i] for i in ids})

    # Pass 2: numbers in document order, replaced from the end of each paragraph backwards
    # so the offsets of earlier placeholders stay right.
    texts = [citer.cite_items(_cited_items(ph, got, key_of))
             for _paragraph, ph, got, _where in found]
    report.unshown_locators = _unshown_locators(found, texts, engine.info.id)
    _replace_placeholders(found, texts, engine.note)
    if engine.note:
        notes = _notes_for_note_style(document, notes, found, texts, source.name)
    report.citations = len(found)
    report.cited = citer.cited_keys()

    entries = citer.bibliography(html=True) if report.cited else []
    heading = references_heading(document) if mark_paragraph is None else None
    citefields.wrap_bibliography(place_bibliography(document, mark_paragraph, entries,
                                                    heading), manuscript)
    report.bibliography_at_mark = mark_paragraph is not None
    if heading is not None:
        report.bibliography_under = " ".join(wordfile.paragraph_text(heading).split())
    by_key = {key_of[i]: records[i] for i in ids}
    report.retracted = [f"{k}: this article is RETRACTED ({by_key[k].label()})"
                        for k in report.cited if by_key[k].retracted]
    for part in notes:
        part.flush()
    stories.mirror_text_boxes(document)  # the copies older readers show, after the edits
    save_document(document, output)
    if report.cited:
        _save_reading_list(lib, report, manuscript, key_of)
    return report


def _refuse_overwriting_input(source: Path, output: Path) -> None:
    """Raise SpineLibError when ``output`` is the input file itself."""
    if same_file(source, output):
        raise SpineLibError(f"{output} is the input file; write the formatted manuscript "
                            "to a new file (-o OTHER.docx)")


def _collect_placeholders(document: Any, notes: list[stories.NotesPart], resolver: Resolver,
                          report: ManuscriptReport) -> tuple[list[_Found], Any | None]:
    """Pass 1: the fully resolved placeholders in reading order (:mod:`.stories`), and the
    bibliography mark (looked for in the body only).

    Placeholders that do not resolve are reported in ``report`` and left out.
    """
    found: list[_Found] = []
    mark_paragraph = None
    for segment in stories.segments(document, notes):
        text = wordfile.paragraph_text(segment.paragraph)
        if mark_paragraph is None and segment.where == "body" and BIBLIOGRAPHY_MARK in text:
            mark_paragraph = segment.paragraph
        for start, bracket, why in unreadable_brackets(text):
            if segment.holds(start):
                report.unmatched.append(f"{bracket}: {why}")
        for start, key in bare_citekeys(text):
            # Only a key the library knows: "@hospital_it" on a line of thanks names nothing.
            if segment.holds(start) and resolver.resolve(Cite("citekey", key)).article_id:
                report.unmatched.append(f"@{key}: a citation outside brackets is not "
                                        f"formatted; write [@{key}]")
        for ph in find_placeholders(text):
            if not segment.holds(ph.start):
                continue
            ids = _resolve_placeholder(ph, resolver, report)
            if ids is not None:
                found.append((segment.paragraph, ph, ids, segment.where))
    return found, mark_paragraph


def _resolve_placeholder(ph: Placeholder, resolver: Resolver, report: ManuscriptReport
                         ) -> list[int] | None:
    """The article ids of ``ph``'s cites, or None (each failure reported) if any fails."""
    answers = [resolver.resolve(c) for c in ph.cites]
    bad = [a for a in answers if a.article_id is None]
    for a in bad:
        (report.ambiguous if a.ambiguous else report.unmatched).append(
            _in_group(a.problem, ph) if len(ph.cites) > 1 else a.problem)
    if bad:
        return None
    return [a.article_id for a in answers if a.article_id]


def _in_group(problem: str, ph: Placeholder) -> str:
    """A cite's problem, saying that the group it is in waits with it: "[@a; @typo]" is
    left whole, which would otherwise look half done."""
    if problem.endswith(("?", ".")):
        return f"{problem} The whole of {ph.text} waits for it"
    return f"{problem}; the whole of {ph.text} waits for it"


def _cited_items(ph: Placeholder, got: list[int], key_of: dict[int, str]) -> list[CitedItem]:
    """The placeholder's items with the words the author typed around each, a repeat of the
    very same item dropped ("[@a; @a]" cites a once)."""
    items = [CitedItem(key_of[i], locator=c.locator, label=c.locator_label, prefix=c.prefix,
                       suffix=c.suffix) for i, c in zip(got, ph.cites, strict=True)]
    return list(dict.fromkeys(items))


def _unshown_locators(found: list[_Found], texts: list[tuple[str, bool]],
                      style: str) -> list[str]:
    """One line per locator typed (``[@key, p. 12]``) that its formatted citation does not
    hold: the style prints none, so the page would silently go missing."""
    out: list[str] = []
    for (_paragraph, ph, _got, _where), (text, _sup) in zip(found, texts, strict=False):
        shown = re.sub(r"\W", "", text)
        for cite in ph.cites:
            if cite.locator and re.sub(r"\W", "", cite.locator) not in shown:
                out.append(f"{cite.label}, {cite.locator_label or 'page'} {cite.locator}: "
                           f"{style} prints no page or other locator in its citations, so "
                           "it is not shown")
    return out


def _in_text(where: str, note_style: bool) -> bool:
    """Whether a citation at ``where`` is printed in the text: always for numeric and
    author-date styles; for a note style only inside a note already, or in a header or
    footer (Word allows no note marks there)."""
    return not note_style or where != "body"


def _replace_placeholders(found: list[_Found], texts: list[tuple[str, bool]],
                          note_style: bool = False) -> None:
    """Replace each placeholder by its citation, last first so earlier offsets stay right
    (for a note style, the body's placeholders are left to :func:`_notes_for_note_style`)."""
    for (paragraph, ph, _got, where), (text, sup) in reversed(list(zip(found, texts,
                                                                      strict=False))):
        if not _in_text(where, note_style):
            continue
        # A style whose citation opens with its own space (Ophthalmic Genetics' " (1)", for
        # Word add-ins that insert it straight after the word) takes the typed one's place;
        # one that ends with a space (the Journal of Cellular and Molecular Medicine's "[1] ")
        # leaves it out before a space, a mark or the paragraph's end ("[1].", not "[1] .").
        if text[-1:].isspace() and _closes(wordfile.paragraph_text(paragraph)[ph.end:]):
            text = text.rstrip()
        _replace_cited(paragraph, ph, sup or text[:1].isspace(),
                       partial(wordfile.replace_span, paragraph, text=text, superscript=sup))


def _closes(after: str) -> bool:
    """Whether the text after a citation starts with a space or a closing mark (or is none),
    so a space the citation ends with would stand doubled or before the mark."""
    return not after or after[0].isspace() or after[0] in ".,;:!?)]"


def _notes_for_note_style(document: Any, notes: list[stories.NotesPart],
                          found: list[_Found], texts: list[tuple[str, bool]],
                          file_name: str) -> list[stories.NotesPart]:
    """A note style's body citations as footnotes: each placeholder becomes a footnote mark
    and its citation the note's text (the footnotes part is made if the file had none).
    Returns the notes parts to write back, the new one included."""
    body = [(f, t) for f, t in zip(found, texts, strict=False) if not _in_text(f[3], True)]
    if not body:
        return notes
    footnotes = next((n for n in notes if n.kind == "footnote"), None)
    if footnotes is None:
        footnotes = stories.NotesPart.create(document, file_name)
        notes = [*notes, footnotes]
    ids = [footnotes.add(text) for _f, (text, _sup) in body]  # numbered in reading order
    for ((paragraph, ph, _got, _where), _t), note_id in reversed(list(zip(body, ids,
                                                                          strict=False))):
        _replace_cited(paragraph, ph, True, partial(wordfile.replace_span_with_note_mark,
                                                    paragraph, kind="footnote",
                                                    note_id=note_id))
    return notes


def _replace_cited(paragraph: Any, ph: Placeholder, attached: bool,
                   replace: Callable[[int, int], Any]) -> None:
    """Replace a placeholder by ``replace(start, end)`` (which returns the new run, or None
    when the span held none), from the space before it when what replaces it is
    ``attached`` to the word ("ambulation [@a]" -> "ambulation¹": a superscript number or a
    note mark; or a citation bringing its own space, "ambulation (1)"), and make that
    run a citation field holding what was typed (:func:`citefields.wrap_citation`), so a
    later formatting reads it back."""
    text = wordfile.paragraph_text(paragraph)
    start = ph.start
    if attached and start and text[start - 1] == " ":
        start -= 1
    run = replace(start, ph.end)
    if run is not None:
        citefields.wrap_citation(run, text[start:ph.end])


def _save_reading_list(lib: Library, report: ManuscriptReport, manuscript: str,
                       key_of: dict[int, str]) -> None:
    """Store the cited articles, in citation order, as the manuscript's reading list."""
    report.reading_list = cited_list_name(Path(manuscript))
    key_to_id = {k: i for i, k in key_of.items()}
    lib.lists.replace(report.reading_list, [key_to_id[k] for k in report.cited])


def place_bibliography(document: object, mark: object | None, entries: list[str],
                       heading: object | None = None) -> list[Any]:
    """The entries (citeproc HTML) as formatted paragraphs: at the ``{Bibliography}`` mark's
    paragraph when there is one, else right under the author's own empty references
    ``heading`` (:mod:`.refheading`), else under a new "References" heading at the end.
    Returns the entries' paragraphs (with the mark's, when the mark stood alone in it)."""
    placed: list[Any] = []
    if mark is not None:
        text = wordfile.paragraph_text(mark)
        start = text.index(BIBLIOGRAPHY_MARK)
        wordfile.replace_span(mark, start, start + len(BIBLIOGRAPHY_MARK), "")
        if not wordfile.paragraph_text(mark).strip():
            wordfile.clear_paragraph(mark)
            target = mark
        else:
            target = wordfile.insert_paragraph_after(mark)
        # The first entry goes into ``target``; it is placed even with no entry, so the
        # mark's place is kept for a later formatting (:mod:`.citefields`).
        placed.append(target)
        for n, entry in enumerate(entries):
            if n:
                placed.append(wordfile.insert_paragraph_after(placed[-1]))
            wordfile.add_formatted(placed[-1], entry)
        return placed
    if not entries:
        return placed
    if heading is not None:
        previous = heading
        for entry in entries:
            previous = wordfile.insert_plain_paragraph_after(previous)
            wordfile.add_formatted(previous, entry)
            placed.append(previous)
        return placed
    try:
        document.add_heading("References", level=1)  # type: ignore[attr-defined]
    except KeyError:  # a template without the Heading 1 style
        document.add_paragraph("References")  # type: ignore[attr-defined]
    for entry in entries:
        paragraph = document.add_paragraph()  # type: ignore[attr-defined]
        wordfile.add_formatted(paragraph, entry)
        placed.append(paragraph)
    return placed


def save_document(document: object, output: Path) -> None:
    """Save whole, never over a database (:func:`spinelib.outputfile.write_bytes_atomic`)."""
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    write_bytes_atomic(output, buffer.getvalue())
