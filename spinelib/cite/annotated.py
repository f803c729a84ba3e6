"""What a reference list prints beside the reference itself: the work's abstract and the
reader's own notes, each set apart as the style's ``display="block"`` asks.

Annotated bibliographies (APA's, Chicago's and MLA's annotated styles) end each entry with
a block holding the work's ``note``; APA "with abstract" and Chicago's annotated style with
abstracts end it with the ``abstract``. SpineLib gave citeproc-py neither (no other
reference list prints them), so a resident's annotated reading list came out as a bare
list of references.

- :func:`asked_for` reads, once a style is loaded, what it asks for: the abstract and the
  reader's notes only where the style prints them as an annotation, in a ``display="block"``
  of the list's own. Some 200 styles print ``note`` inside the reference as a publication
  note, and some 45 the ``abstract`` (Health Economics after the title, Interactive
  CardioVascular and Thoracic Surgery as an online article's "doi:"): a surgeon's private
  notes must never reach a journal's reference list through them, nor 250 words of
  abstract a manuscript's.
- citeproc-py ignores ``display``, so a block was glued to the text before it ("…66954-1
  Background:" printed "…66954-1Background:", the Atlas of Genetics and Cytogenetics in
  Oncology and Haematology "…cohort study.Williams H"). :func:`mark_blocks` puts a mark in
  each block's affixes when the style is loaded (affixes print only with the block's
  text), and :func:`set_apart` turns the marks into a line break in HTML (the block on
  lines of its own, as pandoc's ``csl-block`` and Zotero's Word plug-in set it) and a space
  in plain text, one entry a line (pandoc's plain text glues blocks the style sets no space
  between, the Hochschule Bonn-Rhein-Sieg's "(2022):Separation surgery": SpineLib writes
  "(2022): Separation surgery").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spinelib.styles.catalogue import CSL_NS

#: Where a block starts and ends in citeproc-py's output: characters of Unicode's private
#: use area, which no bibliographic record holds (a style's attributes, where they are set,
#: take no control character).
BLOCK_START, BLOCK_END = "\ue010", "\ue011"
#: The ``display`` values that set an element on lines of its own (``left-margin`` and
#: ``right-inline``, a number apart from its entry, are :func:`spinelib.cite.layout.left_margin`'s).
BLOCKS = ("block", "indent")
#: The variables an annotation block may print the reader's notes as.
NOTE_VARIABLES = ("note", "annote")

_MARKS_RE = re.compile(rf"\s*[{BLOCK_START}{BLOCK_END}]+\s*")
#: Punctuation that follows a block on its line rather than starting a line of its own.
_TRAILING = ".,;:"


@dataclass(frozen=True)
class Asked:
    """What a style's reference list prints beside the reference: ``abstract`` whether it
    prints the work's abstract; ``notes`` the variable it prints the reader's notes as, an
    annotation block (``"note"`` or ``"annote"``), or "" for none."""

    abstract: bool = False
    notes: str = ""


def asked_for(style: Any) -> Asked:
    """What ``style`` (a citeproc-py style) asks for beside each reference: the variables
    its list prints each in a display block of its own (the module docstring; a block
    holding a whole entry, as some archaeology styles set one, prints its ``note`` inline)."""
    bibliography = style.root.find(f"{{{CSL_NS}}}bibliography")
    if bibliography is None:
        return Asked()
    alone: list[str] = []  # the variable of each block that prints one and nothing else
    for block in bibliography.iter():
        if isinstance(block.tag, str) and block.get("display") in BLOCKS:
            printed = {text.get("variable") for text in block.iter(f"{{{CSL_NS}}}text")}
            if len(printed) == 1:
                alone += [v for v in printed if v]
    return Asked(abstract="abstract" in alone,
                 notes=next((v for v in alone if v in NOTE_VARIABLES), ""))


def mark_blocks(style: Any) -> None:
    """Put :data:`BLOCK_START` and :data:`BLOCK_END` round each display block of the
    style's reference list, in its affixes (once, when the style is loaded)."""
    bibliography = style.root.find(f"{{{CSL_NS}}}bibliography")
    if bibliography is None:
        return
    for element in bibliography.iter():
        if isinstance(element.tag, str) and element.get("display") in BLOCKS:
            element.set("prefix", BLOCK_START + element.get("prefix", ""))
            element.set("suffix", element.get("suffix", "") + BLOCK_END)


def set_apart(entry: str, *, html: bool = False) -> str:
    """The entry with its blocks set apart: a space between them in plain text, a line
    break in HTML; none at the entry's start or end, nor before the punctuation the layout
    puts after a block (MLA's annotated list ends each entry with "." after the note, which
    pandoc prints once: "…read it.", not "…read it. .")."""
    if BLOCK_START not in entry and BLOCK_END not in entry:
        return entry
    joined = ""
    for part in _MARKS_RE.split(entry):
        if not part:
            continue
        if joined and part[0] in _TRAILING:
            if part[0] == "." and joined[-1] in ".?!":
                part = part[1:]
            joined += part
        else:
            joined += ("<br/>" if html else " ") + part if joined else part
    return joined
