"""BibTeX name lists to authors: "and" splitting, groups, suffixes and biblatex's own form.

A name is read as BibTeX reads it (``von Last, Jr, First``; ``First von Last``), with
bibtexparser's splitter for the parts, and two forms it does not know:

* a name that is one brace group, ``{Canadian Respiratory Research Network}``, is a group
  (collective) author;
* biblatex's extended name format, ``family=Hicks, given=Michael, prefix=von,
  useprefix=true, suffix=III``, read by keys rather than by position.

The "Jr" part (``III``, ``Jr.``) goes to :attr:`Author.suffix`, not into the family name, so
the writers can put it back where BibTeX expects it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import parse_single_name_into_parts

from spinelib.formats.bibtex.decode import decode_line
from spinelib.records import Author

_BRACE_RE = re.compile(r"[{}]")


def split_top_level(value: str, seps: str) -> list[str]:
    """Split on separator characters outside braces.

    Only the braces and separators are visited (issue 19: a Python step per character of
    every keyword and author field was a large part of reading a big .bib file)."""
    if "{" not in value and "}" not in value:
        return _split_on_any(value, seps)  # no brace: every separator is top level
    parts: list[str] = []
    depth = 0
    start = 0
    for m in _marks(seps).finditer(value):
        ch = m.group(0)
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(value[start:m.start()])
            start = m.end()
    parts.append(value[start:])
    return parts


@lru_cache(maxsize=32)
def _marks(seps: str) -> re.Pattern[str]:
    """Braces and any of ``seps``, one character at a time."""
    return re.compile("[{}" + re.escape(seps) + "]")


@lru_cache(maxsize=32)
def _any_of(seps: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(seps) + "]")


def _split_on_any(value: str, seps: str) -> list[str]:
    return _any_of(seps).split(value) if seps else [value]


def _masked(raw: str) -> str:
    """``raw`` with every character inside braces, and every closing brace, made "x" (same
    length), so that separators inside groups are not seen; only braces are visited."""
    if "{" not in raw and "}" not in raw:
        return raw
    out: list[str] = []
    depth = 0
    last = 0
    for m in _BRACE_RE.finditer(raw):
        at = m.start()
        out.append("x" * (at - last) if depth else raw[last:at])
        depth = depth + 1 if raw[at] == "{" else max(0, depth - 1)
        out.append("x")  # an opening brace is inside its group; a closing one is masked
        last = at + 1
    out.append("x" * (len(raw) - last) if depth else raw[last:])
    return "".join(out)


def unbraced(value: str) -> str:
    """``value`` without a brace group around all of it: Web of Science writes
    ``Keywords = {{a; b}}`` for two keywords (where SpineLib's ``{a, b}`` is one)."""
    return value.strip()[1:-1] if _is_one_group(value) else value


def _is_one_group(name: str) -> bool:
    """True when the whole name is a single brace group: ``{World Health Organization}``."""
    name = name.strip()
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


_AND_RE = re.compile(r"\s+and\s+", re.I)


def split_names(raw: str) -> list[str]:
    """The names of a BibTeX name list: split on "and" between spaces outside braces.

    (bibtexparser's own splitter loses a name that starts with a backslash, as in
    ``Smith, J and \\"Ozt\\"urk, A``.)
    """
    cuts = [m.span() for m in _AND_RE.finditer(_masked(raw))]
    names, start = [], 0
    for a, b in cuts:
        names.append(raw[start:a])
        start = b
    names.append(raw[start:])
    return [n.strip() for n in names if n.strip()]


def read_authors(raw: str) -> list[Author]:
    """The authors of a BibTeX ``author`` (or ``editor``) field, "others" left out."""
    authors = []
    for name in split_names(raw):
        parsed = read_name(name)
        if parsed is not None:
            family, given, collective, suffix = parsed
            authors.append(Author(family=family, given=given, collective=collective,
                                  suffix=suffix))
    return authors


#: biblatex's extended name format: "family=..., given=..." (keys from its data model).
_EXTENDED_RE = re.compile(r"^\s*(?:family|given|prefix|suffix)\s*=", re.I)
_EXTENDED_KEYS = frozenset({"family", "given", "prefix", "suffix", "useprefix",
                            "given-i", "family-i", "prefix-i", "suffix-i"})


def _extended(name: str) -> tuple[str, str, str, str] | None:
    """(family, given, "", suffix) of a name in biblatex's extended format, else None."""
    parts: dict[str, str] = {}
    for piece in split_top_level(name, ","):
        key, eq, value = piece.partition("=")
        key = key.strip().lower()
        if not eq or key not in _EXTENDED_KEYS:
            return None
        value = value.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1]
        parts[key] = decode_line(value)
    family = " ".join(p for p in (parts.get("prefix", ""), parts.get("family", "")) if p)
    given, suffix = parts.get("given", ""), parts.get("suffix", "")
    if not family:
        return (given, "", "", suffix) if given else None
    return family, given, "", suffix


@lru_cache(maxsize=65536)
def read_name(name: str) -> tuple[str, str, str, str] | None:
    """(family, given, collective, suffix) of one BibTeX name; None for "others"/empty.

    Cached: a big bibliography repeats its authors.
    """
    name = name.strip()
    if not name or name.lower() == "others":
        return None
    if _is_one_group(name):
        collective = decode_line(name[1:-1])
        return ("", "", collective, "") if collective else None
    if _EXTENDED_RE.match(name):
        found = _extended(name)
        if found is not None:
            return found
    if name.endswith(",") and "," not in name[:-1]:
        # "De La Cruz," (written by some tools): a family name alone.
        family = decode_line(name[:-1])
        return (family, "", "", "") if family else None
    parts = parse_single_name_into_parts(name, strict=False)
    family = decode_line(" ".join(parts.von + parts.last))
    suffix = decode_line(" ".join(parts.jr))
    given = decode_line(" ".join(parts.first))
    if family:
        return family, given, "", suffix
    return (given, "", "", suffix) if given else None
