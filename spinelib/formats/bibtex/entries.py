"""Which entries a .bib file holds and under which key: the file-level half of the reader.

:mod:`spinelib.formats.bibtex.read` turns one entry into a record; this module decides what
the entries are, so that no entry is lost for a reason that is not its own:

* :func:`add_missing_keys`: EndNote writes ``@article{`` and then the fields on the next
  line, with no key at all; bibtexparser refuses such a block. A placeholder key is put in
  (on the same line, so line numbers stay right) and the entry is imported under a new key.
* :class:`KeyLedger`: an empty key (Mendeley's ``@article{,``), a key used before, or one
  that differs from an earlier key only in letter case (BibTeX reads ``ITEM-1`` and
  ``item-1`` as the same key and rejects the second) gives the entry a new key, and the
  report says so.
* :func:`inherit_crossref`: a child entry's missing fields come from the entry its
  ``crossref`` names (same file), as BibTeX and biber do, with biber's renamings (the
  parent's ``title`` is the child's ``booktitle``).
* :func:`resolve_concat`: a value written without braces, ``@string`` macros and month
  names joined with ``#``, is what the file's strings make it.
"""

from __future__ import annotations

import re

from bibtexparser import model

from spinelib.formats.bibtex.encode import MONTH_MACROS
from spinelib.formats.bibtex.names import split_top_level

#: The start of an entry whose first thing after the brace is a field ("name ="), not a key.
#: @string/@preamble/@comment are not entries and never have keys.
_NO_KEY_RE = re.compile(
    r"(@[ \t]*(?!(?:string|preamble|comment)\b)[A-Za-z]+[ \t]*\{)(?=\s*[A-Za-z][\w\-:.]*\s*=)",
    re.I)
#: The prefix of the keys given to entries that had none (never a valid user key: "__").
PLACEHOLDER = "__spinelib_nokey_"


def add_missing_keys(text: str) -> str:
    """``text`` with a placeholder key in every entry that has none (EndNote's export).

    Cheap when there is nothing to do: one search for the pattern over the text.
    """
    if _NO_KEY_RE.search(text) is None:
        return text
    count = iter(range(1, 1 << 62))
    return _NO_KEY_RE.sub(lambda m: f"{m.group(1)}{PLACEHOLDER}{next(count)},", text)


class KeyLedger:
    """The keys seen so far in one file, case-insensitively; says when a key must change."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str]] = {}

    def claim(self, key: str, where: str) -> tuple[str, str]:
        """(key to keep, warning): the key itself and "" when it is new in this file;
        "" and a message saying why when the entry must be given a new key."""
        if not key.strip() or key.startswith(PLACEHOLDER):
            return "", f"{where}: the entry has no key; it is imported under a new key"
        folded = key.casefold()
        earlier = self._seen.get(folded)
        if earlier is not None:
            first_key, first_where = earlier
            if first_key == key:
                why = f"the key {key!r} was already used ({first_where})"
            else:
                why = (f"the key {key!r} differs from {first_key!r} ({first_where}) only in "
                       "letter case, which BibTeX treats as the same key")
            return "", f"{where}: {why}; this entry is imported under a new key"
        self._seen[folded] = (key, where)
        return key, ""


#: Fields a child never inherits (biber's "noinherit" list, and BibTeX's own bookkeeping).
_NO_INHERIT = frozenset(
    "ids crossref xref entryset entrysubtype execute label options presort related "
    "relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey key".split())
#: Parent field -> child field, where biber renames on inheritance (book-like parents).
_RENAMED = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon",
            "shorttitle": "", "sorttitle": ""}


def inherit_crossref(child: dict[str, str], parent: dict[str, str]) -> list[str]:
    """Fill ``child``'s missing fields from ``parent`` in place; the names filled, in order.

    A parent's ``title`` becomes the child's ``booktitle`` (a proceedings' title is the
    paper's book title), never the child's own title; ``crossref`` itself and biber's
    bookkeeping fields are not inherited.
    """
    filled = []
    for name, value in parent.items():
        if name in _NO_INHERIT or not value.strip():
            continue
        target = _RENAMED.get(name, name)
        if target and not child.get(target, "").strip():
            child[target] = value
            filled.append(target)
    return filled


_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)")


def failed_message(block: model.ParsingFailedBlock, source: str) -> str:
    """The report line for a block bibtexparser could not read (a duplicate key, unbalanced
    braces, …), naming its line and, when it can be found, its key."""
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    m = _KEY_RE.search(raw)
    what = f"entry '{m.group(1)}'" if m else "a block"
    if isinstance(block, model.DuplicateBlockKeyBlock):
        prev = block.previous_block.start_line
        where = f" (first at line {prev + 1})" if prev is not None else ""
        return f"{source} line {line}: duplicate key '{block.key}'{where}; this entry was skipped"
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    if "Unexpected block start" in reason or "end of file" in reason.lower() or (
            raw.count("{") != raw.count("}")):
        why = "unbalanced braces"
    elif reason:
        why = reason.strip().rstrip(".")
    else:
        why = "it is not valid BibTeX"
    return f"{source} line {line}: {why} in {what} (skipped)"


def resolve_concat(raw: str, strings: dict[str, str]) -> str:
    """Evaluate an unenclosed value: macros (``@string``, months) joined with ``#``."""
    out = []
    for part in split_top_level(raw, "#"):
        part = part.strip()
        if (len(part) >= 2 and part[0] == part[-1] == '"') or (
                part.startswith("{") and part.endswith("}")):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTH_MACROS:
            out.append(str(MONTH_MACROS.index(part.lower()) + 1))
        else:
            out.append(part)
    return "".join(out)
