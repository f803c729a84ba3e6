"""Formatted citations that can be formatted again: each citation and the reference list
SpineLib writes into a manuscript is the result of a Word field whose code holds what the
author typed, and formatting such a file first puts the typed text back.

Why: after formatting, the citations were plain text. An author who went on revising the
formatted copy (the usual case: co-authors comment on it, reviewers ask for more
references) could neither add a citation that renumbers the rest nor move the paper to
another journal's style after a rejection. Zotero and EndNote keep each citation in a Word
field for that reason; SpineLib does the same, with fields of its own: the citation
``{ ADDIN SPINELIB_CITATION "[@a; @b]" }`` (the placeholder as typed, as a JSON string, with
the space a superscript took away) and ``{ ADDIN SPINELIB_BIBLIOGRAPHY }`` around the
reference list. Word shows a field's result and keeps its code through editing, copying
and saving (Alt+F9 shows the codes; "Unlink fields", Ctrl+Shift+F9, makes them plain text
for a journal that asks for it); an ``ADDIN`` field is never recomputed by Word. The result
runs are ordinary runs, so every reader of the text (python-docx, pandoc) sees the
citation as printed.

:func:`restore` undoes the formatting in a document about to be formatted: each SpineLib
field becomes its typed text again (the reference list its ``{Bibliography}`` mark, a note
style's footnote citation its placeholder, the footnote removed), so the usual pass finds
the placeholders where the citations stood, new ones typed since among them, and numbers
everything afresh. Other fields (Zotero's, a cross-reference, a page number) are left alone.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spinelib.manuscript.blocks import W

#: The field codes (after "ADDIN "), and the mark a reference list is read back as.
CITATION_CODE = "SPINELIB_CITATION"
BIBLIOGRAPHY_CODE = "SPINELIB_BIBLIOGRAPHY"
#: Tracked deletions: what is in them is no longer the paper's.
_DELETED = (f"{W}del", f"{W}moveFrom")


def _char_run(kind: str) -> Any:
    """A run holding a field character: "begin", "separate" or "end"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _code_run(code: str) -> Any:
    """A run holding a field's code."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    run.append(_spaced("w:instrText", code))
    return run


def _spaced(tag: str, text: str) -> Any:
    """A ``w:t`` or ``w:instrText`` element holding ``text`` with its spaces kept (a
    citation's leading space, a code's padding)."""
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = text
    return element


def wrap_citation(run: Any, typed: str) -> None:
    """Make the run holding a formatted citation (a python-docx Run) the result of a
    SpineLib citation field whose code holds the placeholder it replaced, as typed."""
    element = run._r
    for made in (_char_run("begin"), _code_run(f" ADDIN {CITATION_CODE} {json.dumps(typed)} "),
                 _char_run("separate")):
        element.addprevious(made)
    element.addnext(_char_run("end"))


def wrap_bibliography(paragraphs: Sequence[Any], manuscript: str = "") -> None:
    """Make the reference list's paragraphs (consecutive, python-docx Paragraphs) the result
    of one SpineLib bibliography field: it begins in the first, ends in the last. Its code
    names the ``manuscript`` first formatted (the file whose reading list it fills), so the
    copies formatted from it fill that list, not one list a copy."""
    if not paragraphs:
        return
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    properties = first.find(f"{W}pPr")
    named = f" {json.dumps({'manuscript': manuscript})}" if manuscript else ""
    start = [_char_run("begin"), _code_run(f" ADDIN {BIBLIOGRAPHY_CODE}{named} "),
             _char_run("separate")]
    for n, made in enumerate(start):
        first.insert(n + (1 if properties is not None else 0), made)
    last.append(_char_run("end"))


@dataclass(frozen=True)
class ReadBack:
    """How many fields :func:`restore` read back: SpineLib's own, and EndNote's, Zotero's or
    Mendeley's (:mod:`.otherfields`)."""

    own: int = 0
    other: int = 0
    #: The manuscript an earlier formatting named in its reference list ("" if none).
    manuscript: str = ""


def restore(roots: Iterable[Any], notes: Sequence[Any] = ()) -> ReadBack:
    """Put the typed text back in place of every SpineLib field under ``roots`` (a
    document's body, headers and footers, its notes parts' roots), and the placeholder an
    EndNote, Zotero or Mendeley field stands for in place of it; ``notes`` are the
    :class:`~spinelib.manuscript.stories.NotesPart` objects, whose notes a note style's
    citation made are removed."""
    from spinelib.manuscript.otherfields import placeholder_for
    from spinelib.manuscript.placeholders import BIBLIOGRAPHY_MARK

    own = other = 0
    manuscript = ""
    for root in roots:
        # The runs in document order, listed once; last field first, as reading one back
        # changes runs from its own on, never those before it.
        runs = list(root.iter(f"{W}r"))
        index = {id(run): n for n, run in enumerate(runs)}
        for begin in reversed([c for c in root.iter(f"{W}fldChar")
                               if c.get(f"{W}fldCharType") == "begin"]):
            field = _field(begin, runs, index)
            if field is None:
                continue
            code, field_runs = field
            typed = _typed(code, BIBLIOGRAPHY_MARK)
            manuscript = manuscript or _manuscript_named(code)
            if typed is not None:
                _remove_notes(field_runs, notes)
                own += 1
            else:
                typed = placeholder_for(code, _field_data(field_runs))
                if typed is None:
                    continue
                # Their result may start with the space before it: " (1)" stays " [@a]".
                if _result_text(field_runs)[:1].isspace():
                    typed = " " + typed
                other += 1
            _replace(field_runs, typed)
    return ReadBack(own, other, manuscript)


def _field_data(field_runs: list[Any]) -> str:
    """The binary data Word keeps with a field's code (``w:fldData``, base64), of the field
    and the fields nested in its code: EndNote keeps its cited records there."""
    return "".join(data.text or "" for run in field_runs for data in run.iter(f"{W}fldData"))


def _field(begin: Any, runs: list[Any], index: dict[int, int]
           ) -> tuple[str, list[Any]] | None:
    """(its code, its runs from the begin's to the end's) for the field ``begin`` starts;
    None when it never ends (a damaged field is left as it is)."""
    run = begin.getparent()
    at = index.get(id(run)) if run is not None else None
    if at is None or next(run.iterancestors(*_DELETED), None) is not None:
        return None  # a citation deleted with Track Changes on stays a deletion
    depth, in_code = 0, True
    code: list[str] = []
    for n in range(at, len(runs)):
        for element in runs[n]:
            if element.tag == f"{W}fldChar":
                kind = element.get(f"{W}fldCharType")
                depth += {"begin": 1, "end": -1}.get(kind or "", 0)
                if kind == "separate" and depth == 1:
                    in_code = False
                if depth == 0:
                    return "".join(code), runs[at:n + 1]
            elif element.tag == f"{W}instrText" and in_code and depth == 1:
                code.append(element.text or "")
    return None


def _code_of(code: str, name: str) -> tuple[bool, object]:
    """Whether ``code`` is the SpineLib field ``name`` ("ADDIN " + name), and the JSON
    value after it (None when there is none, or it cannot be read)."""
    words, head = code.strip(), f"ADDIN {name}"
    if words != head and not words.startswith(head + " "):
        return False, None
    rest = words[len(head):].strip()
    try:
        return True, json.loads(rest) if rest else None
    except ValueError:
        return True, None


def _typed(code: str, bibliography_mark: str) -> str | None:
    """What a SpineLib field's code stands for; None for any other field."""
    if _code_of(code, BIBLIOGRAPHY_CODE)[0]:
        return bibliography_mark
    typed = _code_of(code, CITATION_CODE)[1]
    return typed if isinstance(typed, str) else None


def _manuscript_named(code: str) -> str:
    """The manuscript a SpineLib reference list's code names ("" for any other code)."""
    said = _code_of(code, BIBLIOGRAPHY_CODE)[1]
    name = said.get("manuscript") if isinstance(said, dict) else None
    if not isinstance(name, str):
        return ""
    # A file name, one line: the code comes from a file that may have been edited.
    return " ".join(name.replace("\\", "/").rsplit("/", 1)[-1].split())[:200]


def _replace(field_runs: list[Any], typed: str) -> None:
    """Replace a field's runs by one run of ``typed``, formatted like its first result run
    without a superscript (a placeholder is typed on the line). A field over several
    paragraphs (the reference list) leaves the first, holding the typed text; the others
    go."""
    first_p = next(field_runs[0].iterancestors(f"{W}p"))
    typed_run = _typed_run(_result_properties(field_runs), typed)
    field_runs[0].addprevious(typed_run)
    later: list[Any] = []
    for run in field_runs:
        paragraph = next(run.iterancestors(f"{W}p"))
        if paragraph is not first_p and paragraph not in later:
            later.append(paragraph)
        run.getparent().remove(run)
    if later:
        for paragraph in list(first_p.itersiblings()):
            if paragraph is later[-1]:
                _keep_rest(paragraph, first_p)
                break
            paragraph.getparent().remove(paragraph)


def _keep_rest(last: Any, first_p: Any) -> None:
    """The field's last paragraph: anything typed after the field's end moves to the first
    paragraph (after the typed text); the paragraph goes."""
    for child in list(last):
        if child.tag != f"{W}pPr":
            first_p.append(child)
    last.getparent().remove(last)


def _result_runs(field_runs: list[Any]) -> list[Any]:
    """The runs of a field's result: those after its "separate", but its characters."""
    result: list[Any] = []
    seen_separate = False
    for run in field_runs:
        char = run.find(f"{W}fldChar")
        if char is not None:
            seen_separate = seen_separate or char.get(f"{W}fldCharType") == "separate"
        elif seen_separate and run.find(f"{W}instrText") is None:
            result.append(run)
    return result


def _result_text(field_runs: list[Any]) -> str:
    """The text a field shows (its result's ``w:t``)."""
    return "".join(t.text or "" for run in _result_runs(field_runs) for t in run.iter(f"{W}t"))


def _result_properties(field_runs: list[Any]) -> Any | None:
    """The run properties of the field's first result run."""
    result = _result_runs(field_runs)
    return result[0].find(f"{W}rPr") if result else None


def _typed_run(properties: Any | None, typed: str) -> Any:
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    if properties is not None:
        kept = copy.deepcopy(properties)
        for raised in kept.findall(f"{W}vertAlign"):
            kept.remove(raised)
        run.append(kept)
    run.append(_spaced("w:t", typed))
    return run


def _remove_notes(field_runs: list[Any], notes: Sequence[Any]) -> None:
    """Remove the notes a field's note marks point to (a note style's citation)."""
    for part in notes:
        for run in field_runs:
            for mark in run.iter(f"{W}{part.kind}Reference"):
                part.remove(mark.get(f"{W}id", ""))
