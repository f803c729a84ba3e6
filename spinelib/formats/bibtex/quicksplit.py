"""bibtexparser's splitter with a quick path for plain entries (issue 19).

bibtexparser's :class:`~bibtexparser.splitter.Splitter` walks a file mark by mark in
Python: every brace, quote, comma, equals sign and line break is one turn of its loop. An
exported ``.bib`` has about a hundred such marks an entry (an abstract's commas are marks
too): on the 40 MB ``import_bib_20k`` file that walk took 4.1-5.1 s of bibtexparser's
6.5-6.9 s parse.

:class:`QuickSplitter` reads an entry that keeps to the plain shape every reference manager
writes, ``@type{key, name = {value}, name = 2023, ...}``, by jumps made in C (``str.find``
and short regular-expression matches): from one field's ``=`` to the next, from a value's
``{`` straight to the brace that closes it (2.2-2.7 s for the same file). Everything else
is bibtexparser's own code, unchanged: comments, ``@string``, ``@preamble``,
``(``-delimited blocks, and every entry the quick path does not take.

Promises:

- **The same blocks.** An entry the quick path takes gives the very Entry, Fields, lines and
  raw text bibtexparser's walk gives (``tests/core/test_bibtex_quicksplit.py`` compares the
  two on an export, on the stream tests' file of awkward constructs and on hundreds of
  damaged copies of it).
- **It only takes what it is sure of.** The quick path gives up, before changing any state,
  on anything but the plain shape: a ``"``, an ``=`` or a ``#`` after a brace outside a
  value's braces, any ``@``, a repeated field name, an entry without a comma after its
  key, an unclosed brace, text where a field name or separator belongs. The entry is then
  split by bibtexparser from where it starts, with its own recovery and messages.
- **Same marks.** What counts as a brace, comma or line break is what bibtexparser's mark
  pattern counts: a ``\\`` before one hides it. If bibtexparser's splitter ever lacks the
  internals this relies on, the quick path stays off.
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser import splitter as _bibtexparser_splitter
from bibtexparser.model import Entry, Field
from bibtexparser.splitter import Splitter

#: A key, field name or bare value: no mark of bibtexparser's (``{}",=``), no ``@`` (a
#: block start is bibtexparser's to judge) and no ``\\`` (which hides a mark from it).
_PLAIN = re.compile(r'[^{}",=@\\]*')
#: Blanks between a braced value and the ``,`` or ``}`` after it.
_BLANK = re.compile(r"[ \t\r\n]*")
#: bibtexparser's pattern for the marks outside ``(``-delimited blocks; None turns the quick
#: path off (another bibtexparser whose splitter works differently).
_RESUME = getattr(_bibtexparser_splitter, "_MARK_PATTERN", None)
_QUICK = isinstance(_RESUME, re.Pattern) and all(
    hasattr(Splitter, name) for name in ("_handle_entry", "_next_mark", "_open_block"))


def newlines(text: str, start: int, end: int) -> int:
    """Line breaks in ``text[start:end]`` as bibtexparser counts them (a ``\\`` before a
    line break hides it from its mark pattern)."""
    return text.count("\n", start, end) - text.count("\\\n", start, end)


def _closing_brace(text: str, pos: int) -> int | None:
    """The index just past the brace closing the one opened before ``pos``, found with
    ``str.find`` (C speed: an abstract is thousands of characters and few braces); None at
    an ``@`` or the end of the text (bibtexparser's walk decides those)."""
    depth = 1
    while True:
        close = text.find("}", pos)
        if close < 0 or text.find("@", pos, close) >= 0:
            return None
        opened = text.find("{", pos, close)
        if opened >= 0:  # a brace opens before the next one closes
            depth += text[opened - 1] != "\\"
            pos = opened + 1
            continue
        if text[close - 1] != "\\":
            depth -= 1
            if not depth:
                return close + 1
        pos = close + 1


class QuickSplitter(Splitter):
    """bibtexparser's splitter, taking plain ``{``-delimited entries by the quick path;
    lines count from ``first_line`` (the line its text starts on in the whole file)."""

    _current_char_index: int  # bibtexparser's own, first set as the walk starts

    def __init__(self, text: str, first_line: int = 0) -> None:
        super().__init__(text)
        # The splitter counts the newline it puts in front of the text: it starts at -1.
        self._current_line = first_line - 1
        self._reset_block_status(current_char_index=0)

    def _handle_entry(self, m: re.Match[str], m_val: str) -> Any:
        # getattr: another bibtexparser may keep its state under other names.
        if (_QUICK and getattr(self, "_closing_delimiter", None) == "}"
                and getattr(self, "_unaccepted_mark", 0) is None):
            entry = self._quick_entry(m, m_val)
            if entry is not None:
                return entry
        return super()._handle_entry(m, m_val)

    def _quick_entry(self, m: re.Match[str], m_val: str) -> Entry | None:
        """The entry opened by block start ``m`` (its ``{`` already consumed), read without
        the mark walk; None, with nothing changed, when it is not of the plain shape."""
        text = self.bibstr
        start_line = line = self._current_line
        pos = m.end() + 1  # after the "{" (a block start's mark is followed by it)
        at = _PLAIN.match(text, pos).end()  # type: ignore[union-attr]
        if text[at:at + 1] != ",":
            return None
        key = text[pos:at].strip()
        counted = pos  # line breaks are counted up to here
        fields: list[Field] = []
        names: set[str] = set()
        name_start = at + 1
        while True:
            at = _PLAIN.match(text, name_start).end()  # type: ignore[union-attr]
            mark = text[at:at + 1]
            if mark == "}":  # the entry's end: only blanks may come before it
                if text[name_start:at].strip():
                    return None
                break
            if mark != "=":
                return None
            line += newlines(text, counted, at)
            counted = at
            name = text[name_start:at].strip()
            value_start = at + 1
            at = _BLANK.match(text, value_start).end()  # type: ignore[union-attr]
            if text[at:at + 1] == "{":
                end = _closing_brace(text, at + 1)
                if end is None:
                    return None
                at = _BLANK.match(text, end).end()  # type: ignore[union-attr]
            else:  # a number or a macro name
                at = _PLAIN.match(text, at).end()  # type: ignore[union-attr]
            mark = text[at:at + 1]
            if mark not in (",", "}") or name in names:
                return None  # a quote, "#", "=" or "@" in the value; a repeated field
            names.add(name)
            fields.append(Field(start_line=line, key=name, value=text[value_start:at].strip()))
            # After a "," the next name starts; a "}" is read again as the entry's end.
            name_start = at + 1 if mark == "," else at
        self._current_line = line + newlines(text, counted, at)
        self._current_char_index = at
        self._markiter = _RESUME.finditer(text, at + 1)  # type: ignore[union-attr]
        return Entry(start_line=start_line, entry_type=m_val[1:].strip(), key=key,
                     fields=fields, raw=text[m.start():at + 1])
