"""The citation placeholders an author types in a manuscript, recognised in plain text.

Recognised (the issue's list): ``[@patchell2005direct]``, ``[@a; @b]`` (pandoc's form),
``[PMID:16112300]``, ``[doi:10.1016/…]`` (several joined with ";" too, mixed with citekeys),
``{Patchell, 2005}`` (first author and year; "et al." allowed) and the ``{Bibliography}``
marker. Each placeholder becomes a :class:`Placeholder` holding its :class:`Cite` items and
where it sits in the text, so the Word layer can replace it across run boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Where the bibliography goes; at the end of the document when absent.
BIBLIOGRAPHY_MARK = "{Bibliography}"

# One item inside brackets: @citekey, PMID:n, doi:10.x/y. A citekey follows pandoc: it
# starts with a letter, digit or _ and may hold :.#$%&-+?<>~/ inside, not at its end.
_KEY = r"[\w][\w:.#$%&\-+?<>~/]*(?<![:.#$%&\-+?<>~/])"
_ITEM = rf"(?:@{_KEY}|PMID:\s*\d{{1,9}}|doi:\s*10\.\d{{4,9}}/[^\s;\]]+)"
_BRACKET_RE = re.compile(rf"\[\s*{_ITEM}(?:\s*;\s*{_ITEM})*\s*\]", re.I)
_ITEM_RE = re.compile(rf"@({_KEY})|PMID:\s*(\d{{1,9}})|doi:\s*(10\.\d{{4,9}}/[^\s;\]]+)", re.I)
# {Patchell, 2005}, {Patchell et al., 2005}, {Patchell 2005a}; several joined with ";".
_AUTHOR_YEAR = r"[^\W\d_][\w'’\- ]*?(?:\s+et\s+al\.?)?,?\s+(?:19|20)\d\d[a-z]?"
_BRACE_RE = re.compile(rf"\{{\s*{_AUTHOR_YEAR}(?:\s*;\s*{_AUTHOR_YEAR})*\s*\}}")
_AUTHOR_YEAR_RE = re.compile(r"([^\W\d_][\w'’\- ]*?)(?:\s+et\s+al\.?)?,?\s+((?:19|20)\d\d)[a-z]?")


@dataclass(frozen=True)
class Cite:
    """One work a placeholder cites: by ``citekey``, ``pmid``, ``doi`` or ``author_year``.

    ``value`` is the key, number or DOI; for author_year, "Patchell|2005".
    """

    kind: str
    value: str

    @property
    def label(self) -> str:
        """How the placeholder named it, for messages."""
        if self.kind == "citekey":
            return f"@{self.value}"
        if self.kind == "author_year":
            author, year = self.value.split("|")
            return f"{author}, {year}"
        return f"{self.kind.upper() if self.kind == 'pmid' else self.kind}:{self.value}"


@dataclass(frozen=True)
class Placeholder:
    """A placeholder at text[start:end] and what it cites."""

    start: int
    end: int
    text: str
    cites: tuple[Cite, ...]


def _bracket_items(text: str) -> tuple[Cite, ...]:
    out = []
    for m in _ITEM_RE.finditer(text):
        if m.group(1):
            out.append(Cite("citekey", m.group(1)))
        elif m.group(2):
            out.append(Cite("pmid", m.group(2)))
        else:
            out.append(Cite("doi", m.group(3).rstrip(".,").lower()))
    return tuple(out)


def _brace_items(text: str) -> tuple[Cite, ...]:
    return tuple(Cite("author_year", f"{m.group(1).strip()}|{m.group(2)}")
                 for m in _AUTHOR_YEAR_RE.finditer(text.strip("{} ")))


def find_placeholders(text: str) -> list[Placeholder]:
    """Every citation placeholder in ``text``, in order (the bibliography mark is not one)."""
    found = [Placeholder(m.start(), m.end(), m.group(0), _bracket_items(m.group(0)))
             for m in _BRACKET_RE.finditer(text)]
    found += [Placeholder(m.start(), m.end(), m.group(0), _brace_items(m.group(0)))
              for m in _BRACE_RE.finditer(text)]
    return sorted(found, key=lambda p: p.start)


def cited_in_markdown(text: str) -> list[str]:
    """Citekeys a pandoc Markdown file cites (``[@a; @b]``, ``@a`` in text), first-cited order.

    An ``@`` inside a word (an e-mail address) does not cite.
    """
    keys: list[str] = []
    for m in re.finditer(rf"(?<![\w@]){'-'}?@({_KEY})", text):
        if m.group(1) not in keys:
            keys.append(m.group(1))
    return keys


_AUX_RE = re.compile(r"\\citation\{([^}]*)\}|\\abx@aux@cite\{[^}]*\}\{([^}]*)\}")


def cited_in_aux(text: str) -> list[str]:
    """Citekeys a LaTeX ``.aux`` cites (BibTeX's ``\\citation``, BibLaTeX's
    ``\\abx@aux@cite``), first-cited order; ``*`` (\\nocite{*}) is not a key."""
    keys: list[str] = []
    for m in _AUX_RE.finditer(text):
        for key in (m.group(1) or m.group(2) or "").split(","):
            key = key.strip()
            if key and key != "*" and key not in keys:
                keys.append(key)
    return keys
