"""The citation placeholders an author types in a manuscript, recognised in plain text.

Recognised (the issue's list): ``[@patchell2005direct]``, ``[@a; @b]`` (pandoc's form),
``[PMID:16112300]``, ``[doi:10.1016/…]`` (several joined with ";" too, mixed with citekeys),
``{Patchell, 2005}`` (first author and year; "et al." allowed) and the ``{Bibliography}``
marker. Each placeholder becomes a :class:`Placeholder` holding its :class:`Cite` items and
where it sits in the text, so the Word layer can replace it across run boundaries.

Inside brackets each item may carry pandoc's prefix, locator and suffix:
``[see @a, pp. 33-35 and passim; also PMID:16112300, fig. 2]``
(:func:`spinelib.cite.items.split_locator`). A bracket that names an identifier but cannot be
read as a citation (an item citing nothing or two things, ``-@key``) is answered by
:func:`unreadable_brackets`, never silently left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spinelib.cite.items import split_locator

#: Where the bibliography goes; when absent, under the author's empty "References" heading
#: (:mod:`.refheading`) or at the end of the document.
BIBLIOGRAPHY_MARK = "{Bibliography}"

# A citekey follows pandoc: it starts with a letter, digit or _ and may hold
# :.#$%&-+?<>~/ inside, not at its end.
_KEY = r"[\w][\w:.#$%&\-+?<>~/]*(?<![:.#$%&\-+?<>~/])"
# A bracket that may hold a citation: one line, no brackets inside.
_BRACKET_RE = re.compile(r"\[([^\[\]\n]*)\]")
# An identifier in an item: @citekey, PMID:n, doi:10.x/y, at the item's start or after a
# space or "(" (so an e-mail address is not one); "-" before "@" is pandoc's "no author".
# "PMID 16112300" and "doi 10.…" (no colon) are typed as often as with one.
_ID_RE = re.compile(rf"(?<![^\s(])(-?)(?:@({_KEY})|PMID:?\s*(\d{{1,9}})\b|"
                    rf"doi:?\s*(10\.\d{{4,9}}/[^\s;\]]+))", re.I)
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
    #: What the author typed around it (pandoc's syntax): "see", "33–35" ("page"), "passim".
    prefix: str = ""
    locator: str = ""
    locator_label: str = ""
    suffix: str = ""

    @property
    def target(self) -> tuple[str, str]:
        """What is cited, whatever the words around it: (kind, value)."""
        return self.kind, self.value

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


def _bracket_items(inner: str) -> tuple[tuple[Cite, ...], str]:
    """The items of a bracket's text, or () and why it is not a citation ("" when it names
    no identifier at all: "[see Table 1]" is text)."""
    if not _ID_RE.search(inner):
        return (), ""
    out = []
    for part in inner.split(";"):
        ids = list(_ID_RE.finditer(part))
        if not ids:
            return (), (f"{part.strip()!r} cites nothing; each item needs one @key, PMID: "
                        "or doi:")
        if len(ids) > 1:
            return (), f"{part.strip()!r} cites {len(ids)} works; separate them with ';'"
        m = ids[0]
        if m.group(1):
            return (), ("a citation without the author's name (-@) is not supported; "
                        f"write [{m.group(0)[1:]}]")
        if m.group(2):
            cite = Cite("citekey", m.group(2))
        elif m.group(3):
            cite = Cite("pmid", m.group(3))
        else:  # a DOI's trailing "." or "," is the sentence's, and dropped
            cite = Cite("doi", m.group(4).rstrip(".,").lower())
        label, locator, suffix = split_locator(part[m.end():])
        if suffix[:1].isspace():
            suffix = " " + suffix.lstrip()
        out.append(Cite(cite.kind, cite.value, prefix=" ".join(part[:m.start()].split()),
                        locator=locator, locator_label=label, suffix=suffix))
    return tuple(out), ""


def _brace_items(text: str) -> tuple[Cite, ...]:
    return tuple(Cite("author_year", f"{m.group(1).strip()}|{m.group(2)}")
                 for m in _AUTHOR_YEAR_RE.finditer(text.strip("{} ")))


def find_placeholders(text: str) -> list[Placeholder]:
    """Every citation placeholder in ``text``, in order (the bibliography mark is not one)."""
    found = []
    for m in _BRACKET_RE.finditer(text):
        cites, _why = _bracket_items(m.group(1))
        if cites:
            found.append(Placeholder(m.start(), m.end(), m.group(0), cites))
    found += [Placeholder(m.start(), m.end(), m.group(0), _brace_items(m.group(0)))
              for m in _BRACE_RE.finditer(text)]
    return sorted(found, key=lambda p: p.start)


def unreadable_brackets(text: str) -> list[tuple[int, str, str]]:
    """(start, bracket, why) for each bracket in ``text`` that names an identifier but is
    not a citation :func:`find_placeholders` can read, so it can be reported."""
    out = []
    for m in _BRACKET_RE.finditer(text):
        cites, why = _bracket_items(m.group(1))
        if not cites and why:
            out.append((m.start(), m.group(0), why))
    return out


def bare_citekeys(text: str) -> list[tuple[int, str]]:
    """(start, key) of each ``@key`` written outside brackets (pandoc's "as @doe99 says"),
    which a Word manuscript does not format: the caller reports those naming an article. An
    ``@`` inside a word (an e-mail address) names nothing."""
    inside = [(m.start(), m.end()) for m in _BRACKET_RE.finditer(text)]
    return [(m.start(), m.group(1))
            for m in re.finditer(rf"(?<![\w@]){'-'}?@({_KEY})", text)
            if not any(a <= m.start() < b for a, b in inside)]


def cited_in_markdown(text: str) -> list[str]:
    """Citekeys a pandoc Markdown file cites (``[@a; @b]``, ``@a`` in text, ``@{a/key}``
    braced, keys in the YAML front matter's ``nocite``), first-cited order.

    What pandoc does not read as a citation is not one here either: an ``@`` inside a word
    (an e-mail address) or escaped (``\\@``), and anything in code (fenced blocks, R or
    Quarto chunks, inline code spans) or in an HTML comment, where a paper shows or
    comments out an ``@key`` without citing it."""
    keys: list[str] = []
    for m in _MARKDOWN_CITE_RE.finditer(_outside_code(text)):
        key = m.group(1) if m.group(1) is not None else m.group(2)
        if key not in keys:
            keys.append(key)
    return keys


# ``@key`` or ``-@key`` not after a word character, another @ or a backslash; a braced
# key may hold any character but braces and spaces (pandoc's
# ``@{https://example.org/x?y=1}``; with a space in it, pandoc cites nothing).
_MARKDOWN_CITE_RE = re.compile(rf"(?<![\w@\\])-?@(?:\{{([^{{}}\s]+)\}}|({_KEY}))")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A code span: a run of backticks, closed by a run of the same length in the same
# paragraph (it may wrap lines, but no blank line ends it).
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)\1(?!`)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def _outside_code(text: str) -> str:
    """``text`` with fenced code blocks, inline code spans and HTML comments blanked out
    (a fence left open runs to the end, as CommonMark reads it)."""
    lines = text.split("\n")
    fence = ""
    for n, line in enumerate(lines):
        m = _FENCE_RE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line[m.end():].strip():
                fence = ""
            lines[n] = ""
        elif m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            fence = m.group(1)  # (a backtick fence's info string holds no backtick)
            lines[n] = ""
    prose = "\n".join(lines)
    prose = _COMMENT_RE.sub(" ", prose)
    return _CODE_SPAN_RE.sub(" ", prose)


_AUX_RE = re.compile(r"\\citation\{([^}]*)\}|\\abx@aux@cite\{[^}]*\}\{([^}]*)\}"
                     r"|\\@input\{([^}]*)\}")
#: How deep ``\@input`` chains are followed (a thesis's chapters are one level).
_AUX_DEPTH = 8


def cited_in_aux(text: str, included: Callable[[str], str] | None = None) -> list[str]:
    """Citekeys a LaTeX ``.aux`` cites (BibTeX's ``\\citation``, BibLaTeX's
    ``\\abx@aux@cite``), first-cited order; ``*`` (\\nocite{*}) is not a key.

    A document split with ``\\include`` keeps each chapter's citations in the chapter's own
    ``.aux``, which the main one names as ``\\@input{ch1.aux}``: ``included(name)`` returns
    that file's text ('' when there is none), read where it stands among the citations."""
    keys: list[str] = []

    def scan(aux: str, depth: int) -> None:
        for m in _AUX_RE.finditer(aux):
            if m.group(3) is not None:
                if included is not None and depth < _AUX_DEPTH:
                    scan(included(m.group(3).strip()), depth + 1)
                continue
            for key in (m.group(1) or m.group(2) or "").split(","):
                key = key.strip()
                if key and key != "*" and key not in keys:
                    keys.append(key)

    scan(text, 0)
    return keys
