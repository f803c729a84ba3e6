"""Entries as .bib text, byte for byte what bibtexparser 2.x wrote for SpineLib (issue 19),
without its per-field objects and middleware passes; and a per-export memo so each distinct
string (a journal, an author's name, a keyword) is encoded once.

The layout reproduced: ``@type{key,`` then one field per line, indented two spaces,
``name = {value}`` (``month`` a bare macro), a comma after every field but the last, ``}``;
each entry ends with a newline and one more separates entries (bibtexparser's block
separator "\\n"); the text ends with exactly one newline.
``tests/core/test_bibtex_emit.py`` proves the output identical to bibtexparser's writer.

Promises: pure functions of their inputs; the memo only ever returns what the encoder
would (it is an exact cache, scoped to one export so memory is bounded by its size).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from operator import attrgetter
from typing import TypeVar

from spinelib.formats.bibtex.encode import (
    MONTH_MACROS,
    _name_part,
    encode_authors,
    encode_keywords,
)
from spinelib.records import Author
from spinelib.text import one_line

K = TypeVar("K", bound=Hashable)

#: Field values written without braces: the month macros (``month = mar``).
_BARE = frozenset(MONTH_MACROS)


def entry_text(entry_type: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    """One entry as bibtexparser writes it (two-space indent, braces, no trailing comma)."""
    if not fields:
        return f"@{entry_type}{{{key},\n}}\n"
    return f"@{entry_type}{{{key},\n  {fields_text(fields)}\n}}\n"


def fields_text(fields: Sequence[tuple[str, str]]) -> str:
    """The fields of an entry as they stand between its first line and its closing brace
    (``name = {value}``, ``month = mar``), joined by ",\\n  " ('' for none).

    Built with one join over the fields (issue 19: a branch and an append per field cost
    more than the join)."""
    return ",\n  ".join([f"{name} = {value}" if name == "month" and value in _BARE
                          else f"{name} = {{{value}}}" for name, value in fields])


def document(entries: Sequence[str]) -> str:
    """Entries joined as bibtexparser joins blocks, ending with one newline ('' for none)."""
    if not entries:
        return ""
    return "\n".join(entries).rstrip("\n") + "\n"


class OnFirstLookup(dict[K, str]):
    """value -> ``make(value)``, computed on the first lookup (a hit is a plain dict lookup
    in C, with no Python call: the fields of 10,000 entries look up ~50,000 values)."""

    def __init__(self, make: Callable[[K], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, value: K) -> str:
        found = self[value] = self._make(value)
        return found


#: All a name's text depends on, read in C (``operator.attrgetter``): the key of a name.
_NAME_KEY = attrgetter("family", "given", "collective", "suffix")
_FAMILY, _GIVEN = attrgetter("family"), attrgetter("given")
_COLLECTIVE, _SUFFIX = attrgetter("collective"), attrgetter("suffix")
#: What a name part stands for when its name is not the plain "Family, Given" (a blank
#: family or given name); encoded text never holds it (one_line drops control characters).
_NOT_PLAIN = "\x00"


class _Parts(dict[str, str]):
    """A family or given name -> its encoded part, or :data:`_NOT_PLAIN` when it is blank
    (encoded on the first lookup; a hit is a dict lookup in C)."""

    def __init__(self, ascii_only: bool, family: bool) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.family = family

    def __missing__(self, part: str) -> str:
        if self.family:  # one_line(family) is non-blank (without the call when printable)
            plain = part.strip() if part.isprintable() else one_line(part)
        else:
            plain = part.strip()
        found = self[part] = _name_part(part, self.ascii_only) if plain else _NOT_PLAIN
        return found


class _Names(dict[tuple[str, str, str, str], str]):
    """(family, given, collective, suffix) -> the name as ``encode_authors`` writes it ('' for
    a name it leaves out), encoded on the first lookup (a hit is a dict lookup in C)."""

    def __init__(self, ascii_only: bool) -> None:
        super().__init__()
        self.ascii_only = ascii_only

    def __missing__(self, key: tuple[str, str, str, str]) -> str:
        family, given, collective, suffix = key
        # one_line(family) is non-blank, without the call for the usual printable name
        has_family = family.strip() if family.isprintable() else one_line(family)
        if not collective and given.strip() and not suffix.strip() and has_family:
            # The common "Family, Given" (encode.py's _author_text, same branch), from name
            # parts already encoded for other names.
            found = (f"{_name_part(family, self.ascii_only)}, "
                     f"{_name_part(given, self.ascii_only)}")
        else:  # "" when no family name or group
            found = encode_authors([Author(family=family, given=given, collective=collective,
                                           suffix=suffix)], self.ascii_only)
        self[key] = found
        return found


class Memo:
    """Encoders that remember: each distinct input of one export is encoded once."""

    def __init__(self, encode: Callable[[str], str], ascii_only: bool) -> None:
        self.ascii_only = ascii_only
        #: ``encode_text(value)``, once per distinct value.
        self.text: Callable[[str], str] = OnFirstLookup(encode).__getitem__
        self._name: Callable[[tuple[str, str, str, str]], str] = _Names(ascii_only).__getitem__
        self._family: Callable[[str], str] = _Parts(ascii_only, family=True).__getitem__
        self._given: Callable[[str], str] = _Parts(ascii_only, family=False).__getitem__
        self._words: dict[str, str] = {}
        self._journal: dict[str, str] = {}
        self._keyword_parts: dict[str, tuple[str, str]] = {}

    def journal(self, name: str, title_case: Callable[[str], str]) -> str:
        """The encoded, title-cased journal name, once per distinct name."""
        found = self._journal.get(name)
        if found is None:
            found = self._journal[name] = self.text(title_case(name))
        return found

    def authors(self, authors: Sequence[Author]) -> str:
        """``encode_authors(authors)``, each distinct name (or name part) encoded once.

        Every step per author runs in C (issue 19: at 66,000 names in a 10,000-entry export,
        a Python step per author was the largest single cost): attributes read with
        attrgetter, parts looked up in dicts, pairs joined. An author list where every name
        is the plain "Family, Given" (no group, no suffix, neither part blank: nearly all)
        is joined from the two encoded parts; any other list goes name by name.
        """
        if not (any(map(_COLLECTIVE, authors)) or any(map(_SUFFIX, authors))):
            text = " and ".join(map(", ".join, zip(map(self._family, map(_FAMILY, authors)),
                                                   map(self._given, map(_GIVEN, authors)))))
            if _NOT_PLAIN not in text:
                return text
        return " and ".join(filter(None, map(self._name, map(_NAME_KEY, authors))))

    def keywords(self, words: Sequence[str]) -> str:
        """``encode_keywords(words)``, each distinct word encoded once."""
        out: list[str] = []
        for w in words:
            found = self._words.get(w)
            if found is None:
                found = self._words[w] = encode_keywords([w], self.ascii_only)
            out.append(found)
        return ", ".join(out)

    def merged_keywords(self, tags: Sequence[str], keywords: Sequence[str]) -> str:
        """``encode_keywords(merged_keywords(record))`` (formats/common.py: the tags, then
        the keywords, whitespace-collapsed, blanks and case-insensitive repeats left out),
        with each distinct raw word collapsed, case-folded and encoded once per export."""
        seen: set[str] = set()
        out: list[str] = []
        known = self._keyword_parts
        for word in (*tags, *keywords):
            parts = known.get(word)
            if parts is None:
                line = one_line(word)
                parts = known[word] = (line.casefold(), self.keywords([line]) if line else "")
            folded, encoded = parts
            if folded and folded not in seen:  # "" for a blank word
                seen.add(folded)
                out.append(encoded)
        return ", ".join(out)
