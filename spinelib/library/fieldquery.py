"""The search box's language: qualified terms picked out of what the user typed.

``author:patchell`` (any author, by family name), ``editor:benzel`` (an editor of the
book), ``title:kyphoplasty``, ``year:2005``,
``year:2015..2020`` (inclusive, in either order; ``2015..`` and ``..2020`` are open; ``>2020``,
``>=2020``, ``<2010`` and ``<=2010`` as PubMed users write them; ``2015-2020``, with an en
dash, or PubMed's ``2015:2020`` read as ``2015..2020``, and ``2019-`` as ``2019..``),
``journal:spine``, ``mesh:"spinal neoplasms"``, ``tag:kyphoplasty`` (confirmed tags and
their children), ``type:review``, ``read:unread``, ``has:pdf`` / ``has:abstract``,
``doi:``, ``pmid:`` and ``pmcid:`` (also a DOI, a doi.org, PubMed or PMC link, or a PMCID
pasted alone: "do I have this paper?"), ``key:`` or ``@key`` / ``[@key]`` as a manuscript
cites it (a citation key, or a former key kept as an alias), ``-word`` or ``-"a phrase"`` to
exclude (PubMed's ``NOT word`` too; its field tags, ``Bilsky MH[au]``, are read by
:mod:`.pubmedtags`). Terms combine with AND (PubMed's ``AND`` between them
changes nothing; ``OR`` between plain words joins them in the full-text query, where
parentheses group them; beside a qualified term it joins the two terms next to it into one
``any`` term).
Everything else (quoted phrases, plain words, a qualifier SpineLib does not know, a value it
cannot read) stays full-text search, so any text typed is safe; for a value a known qualifier
cannot read, :attr:`ParsedQuery.hints` says what it takes (``year:abc`` finds nothing, and the
user should learn why), and so it does for a qualifier SpineLib does not know
(``abstract:spine``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spinelib.citationtext import cited_work
from spinelib.curation_results import FieldTerm
from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import identifier_or_empty, parse_identifier
from spinelib.library import pubmedtags
from spinelib.library.bareyears import years_as_either
from spinelib.results import ReadStatus
from spinelib.searchsyntax import STRAIGHT_QUOTES
from spinelib.store.fieldsearch import HAS, IDENTIFIER_KINDS

QUALIFIERS = ("author", "editor", "title", "year", "journal", "mesh", "tag", "type", "read", "has",
              *IDENTIFIER_KINDS, "key")
#: A citation as pandoc writes it in a manuscript: ``@key``, ``[@key]``, ``@key;`` (the
#: punctuation around it is not part of the key).
_CITED_KEY = re.compile(r"\[?@([^\s\[\];,@]+?)[\];,.]*")
#: A token that can only be an identifier, never a word of text: a DOI, a PMCID, a link.
_IDENTIFIER_SHAPE = re.compile(r"(?:https?://|doi:|10\.\d{4,9}(?:\.\d+)*/|PMC\d)", re.I)
#: What comes before ``:`` in a web address: not a qualifier the user got wrong.
_SCHEMES = frozenset({"http", "https", "ftp", "file", "mailto"})
_TOKEN = re.compile(r'(-?)(?:(\w+):)?"([^"]*)"?|(-?)(?:(\w+):)?(\S+)')
_YEARS = re.compile(r"(\d{4})?(\.\.)?(\d{4})?")
#: ``>2020``, ``>=2020``, ``<2010``, ``<=2010``: the open ranges ``2021..``, ``2020..``,
#: ``..2009``, ``..2010``.
_YEAR_COMPARED = re.compile(r"([<>]=?)(\d{4})")
#: A range as people write one (``2015-2020``, ``2015–2020``, PubMed's ``2015:2020``,
#: ``2019-``): the dash or colon stands for ``..``. A year alone stays a year.
_YEAR_DASHED = re.compile(r"(\d{4})?[-\u2010-\u2014\u2212:](\d{4})?")


@dataclass
class ParsedQuery:
    """What the search text holds: the qualified terms (tag names not yet resolved to ids)
    and the free text left for the full-text index."""

    terms: list[FieldTerm] = field(default_factory=list)
    free_text: str = ""
    #: One sentence per qualified term whose value could not be read (searched as text).
    hints: list[str] = field(default_factory=list)
    #: The citation the whole text was read as ('' for none): the library narrows its
    #: first author's articles to the one it names, when it holds that one.
    citation: str = ""


def _one_of(values: list[str]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1]


#: What a qualifier with a closed set of values takes, for the hints.
_TAKES = {
    "year": "a year or a range of years (2005, 2015..2020 or 2015-2020, 2015.., ..2020, >2020, "
            "<=2010)",
    "read": _one_of([s.label for s in ReadStatus]),
    "has": _one_of(sorted(HAS)),
    "doi": "a DOI (10.1056/NEJMoa…, doi:…, https://doi.org/…)",
    "pmid": "a PubMed id (digits, as 16112300)",
    "pmcid": "a PubMed Central id (PMC1234567)",
}


def _hint(kind: str, value: str) -> str | None:
    """Why ``kind:value`` was searched as text, when ``kind`` takes readable values only."""
    if not re.search(r"\w", value):
        return None
    if kind not in QUALIFIERS:
        if not re.fullmatch(r"[a-z]{2,}", kind) or kind in _SCHEMES:
            return None  # "T2:STIR", "1:2", a web address: text, nothing mistyped
        return (f"“{kind}:” is not a search field (the fields are {_one_of(list(QUALIFIERS))}); "
                f"“{kind}:{value}” was searched as plain text.")
    takes = _TAKES.get(kind)
    if takes is None:
        return None
    # What it takes first: that is what the user needs; then why nothing was found.
    return f"“{kind}:” takes {takes}; “{kind}:{value}” was searched as plain text."


def _term(kind: str, value: str, negated: bool) -> FieldTerm | None:
    """A term for a known qualifier with a readable value, else None (plain text)."""
    value = " ".join(value.split())
    if not value or not re.search(r"\w", value):  # "journal:%" is plain text, not a pattern
        return None
    if kind == "year":
        return _year_term(value, negated)
    if kind == "read" and value.lower() not in {s.label for s in ReadStatus}:
        return None
    if kind == "has" and value.lower() not in HAS:
        return None
    if kind == "key":
        return FieldTerm("key", value.removeprefix("@"), negated=negated)
    if kind in IDENTIFIER_KINDS:
        normal = identifier_or_empty(kind, value)
        return FieldTerm(kind, normal, negated=negated) if normal else None
    if kind in ("read", "has", "type"):
        value = value.lower()
    return FieldTerm(kind, value, negated=negated)


def _year_term(value: str, negated: bool) -> FieldTerm | None:
    """``year:`` with a year, a range or a comparison, else None (plain text)."""
    compared = _YEAR_COMPARED.fullmatch(value)
    if compared:
        sign, year = compared.group(1), int(compared.group(2))
        low = {">": year + 1, ">=": year}.get(sign)
        high = {"<": year - 1, "<=": year}.get(sign)
        return FieldTerm("year", value, low, high, negated=negated)
    dashed = _YEAR_DASHED.fullmatch(value)
    m = _YEARS.fullmatch(f"{dashed.group(1) or ''}..{dashed.group(2) or ''}"
                         if dashed else value)
    if not m or not (m.group(1) or m.group(3)) or (m.group(2) is None and m.group(3)):
        return None
    low = int(m.group(1)) if m.group(1) else None
    high = int(m.group(3)) if m.group(3) else (low if m.group(2) is None else None)
    if low is not None and high is not None and low > high:  # "2020..2010": the same years
        low, high = high, low
    return FieldTerm("year", value, low, high, negated=negated)


def _whole_token(token: str, kind: str, negated: bool) -> FieldTerm | None:
    """The term an unquoted token is as a whole, typed or pasted as it is: a citation as a
    manuscript writes it (``@key``, ``[@key]``), or a DOI, PMCID or identifier link
    (``10.1016/…``, ``https://doi.org/…``, a PubMed address, ``PMC…``); None for anything
    else, a bare number included (it may be a word of the text: a year, a dose)."""
    cited = None if kind else _CITED_KEY.fullmatch(token)
    if cited is not None:
        return FieldTerm("key", cited.group(1), negated=negated)
    if not _IDENTIFIER_SHAPE.match(token):
        return None
    try:
        found = parse_identifier(token)
    except InvalidIdentifier:
        return None  # a web address without an identifier: text, as before
    return FieldTerm(found.kind, found.value, negated=negated)


@dataclass
class _Token:
    """One token of the search text: its text as typed, whether it is negated (``-`` or
    PubMed's ``NOT`` before it), its qualifier ('' for none) and value."""

    raw: str
    negated: bool
    kind: str
    value: str
    quoted: bool
    after_not: bool = False
    #: A parenthesised group after ``NOT`` (``value`` holds it, parentheses and all).
    group: bool = False
    #: Such a group holding a field term: not searched, a hint says so.
    unreadable: bool = False


#: A chunk of the search text between spaces (a quoted phrase, spaces and all, is one).
_CHUNK = re.compile(r'(?:"[^"]*"?|[^\s"])+')


def _split_parens(text: str) -> str:
    """``text`` with the parentheses that open or close a group set apart as tokens of their
    own (``(myeloma OR plasmacytoma)`` is ``( myeloma OR plasmacytoma )``), so that a group
    reaches the full-text query whole and a tagged or qualified term inside one is read.
    Only a chunk's unbalanced outer parentheses, or a pair around the whole chunk
    (``(spine[mh])``, as PubMed writes its own queries), are parted: "(18F)FDG", "T2(STIR)"
    and a DOI holding "(05)" stay as typed. ``-(`` is ``NOT (``."""
    if "(" not in text and ")" not in text:
        return text
    out: list[str] = []
    for chunk in _CHUNK.findall(text):
        lead: list[str] = []
        trail: list[str] = []
        if chunk.startswith("-(") and chunk.count("(") > chunk.count(")"):
            lead, chunk = ["NOT", "("], chunk[2:]
        while True:
            if _wrapped(chunk):
                lead.append("(")
                trail.append(")")
                chunk = chunk[1:-1]
            elif chunk.startswith("(") and chunk.count("(") > chunk.count(")"):
                lead.append("(")
                chunk = chunk[1:]
            elif chunk.endswith(")") and chunk.count(")") > chunk.count("("):
                trail.append(")")
                chunk = chunk[:-1]
            else:
                break
        out += [*lead, *([chunk] if chunk else []), *reversed(trail)]
    return " ".join(out)


def _wrapped(chunk: str) -> bool:
    """Whether ``chunk`` is one pair of parentheses around the rest: "(a(b))", not "(a)(b)"."""
    if len(chunk) < 2 or chunk[0] != "(" or chunk[-1] != ")":
        return False
    depth = 0
    for at, char in enumerate(chunk):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return at == len(chunk) - 1
    return False


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text``; PubMed's ``AND`` and ``NOT`` (in capitals, as ``OR``) read as
    PubMed reads them: ``AND`` is what terms do anyway, ``NOT x`` is ``-x``."""
    matches = list(_TOKEN.finditer(text))
    out: list[_Token] = []
    negate_next = False
    skip_to = 0  # past a negated group taken whole
    for at, m in enumerate(matches):
        if at < skip_to or m.group(0) == "AND":
            continue
        if m.group(0) == "NOT" and at + 1 < len(matches):
            negate_next = True
            continue
        if negate_next and m.group(0) == "(":
            skip_to = _group_end(matches, at)
            out += _negated_group(matches[at:skip_to])
            negate_next = False
            continue
        token = _token_of(m)
        if negate_next:
            token.negated, token.after_not, negate_next = True, True, False
        out.append(token)
    return out


def _token_of(m: re.Match[str]) -> _Token:
    if m.group(3) is not None:  # a quoted value, qualified or not
        return _Token(m.group(0), m.group(1) == "-", (m.group(2) or "").lower(), m.group(3),
                      True)
    return _Token(m.group(0), m.group(4) == "-", (m.group(5) or "").lower(), m.group(6),
                  False)


def _negated_group(group: list[re.Match[str]]) -> list[_Token]:
    """``NOT ( … )``: for ``( a OR b OR c )`` each term excluded (-a -b -c, the same
    articles); any other group of plain words excluded as the full-text query groups it.
    A group holding a field term otherwise (``NOT (author:a b)``) cannot be written as
    exclusions: one token marked :attr:`_Token.unreadable`."""
    inner = group[1:-1] if group[-1].group(0) == ")" else group[1:]
    words = [m.group(0) for m in inner]
    if words and len(words) % 2 and all(w == "OR" for w in words[1::2]) and not any(
            w in ("OR", "(", ")") for w in words[::2]):
        tokens = [_token_of(m) for m in inner[::2]]
        for token in tokens:
            token.negated = token.after_not = True
        return tokens
    text = " ".join(m.group(0) for m in group)
    qualified = any(_token_of(m).kind for m in inner)
    return [_Token(text, True, "", text, False, after_not=True, group=True,
                   unreadable=qualified)]


def _group_end(matches: list[re.Match[str]], start: int) -> int:
    """The index after the ``)`` closing the ``(`` at ``start`` (the end when unclosed)."""
    depth = 0
    for at in range(start, len(matches)):
        depth += {"(": 1, ")": -1}.get(matches[at].group(0), 0)
        if depth == 0:
            return at + 1
    return len(matches)


def _excluded_text(token: _Token) -> FieldTerm | None:
    """The exclusion a negated unqualified token is, or None (plain text): "-word" (a whole
    word) or '-"a phrase"'; "-spinal-" is plain text, but after ``NOT`` the user meant an
    exclusion, so "NOT spinal-cord" excludes the phrase "spinal cord"."""
    value = token.value
    if token.group:  # NOT ( a OR b ): the group's words, as the full-text query groups them
        return FieldTerm("text", value, negated=True) if re.search(r"\w", value) else None
    if token.quoted and value.strip():
        return FieldTerm("text", f'"{value}"', negated=True)
    if re.fullmatch(r"\w+", value):
        return FieldTerm("text", value, negated=True)
    words = re.findall(r"\w+", value) if token.after_not else []
    return FieldTerm("text", '"' + " ".join(words) + '"', negated=True) if words else None


def parse(text: str) -> ParsedQuery:
    """Split ``text`` into qualified terms and free text (see the module docstring). A
    citation pasted whole ("Patchell RA, Tibbs PA. Direct… Lancet. 2005;366:643-8.") asks
    for its first author's articles of its year, one either way (online and print); the
    library keeps those whose title it gives, when it has any (:attr:`ParsedQuery.citation`)."""
    cited = cited_work(text) if ":" not in text.split(".", 1)[0] else None
    if cited is not None:
        years = f"{cited.year - 1}..{cited.year + 1}"
        return ParsedQuery([FieldTerm("author", cited.family.lower()),
                            FieldTerm("year", years, cited.year - 1, cited.year + 1)], "",
                           [f"Read as a citation: the paper it names, else articles by "
                            f"{cited.family} from {cited.year - 1} to {cited.year + 1}."],
                           citation=" ".join(text.split()))
    out = ParsedQuery()
    items: list[FieldTerm | str] = []  # terms and free tokens, in the order typed
    text = text.translate(STRAIGHT_QUOTES)  # a phrase copied from Word is still a phrase
    pubmed = pubmedtags.rewrite(_split_parens(text))  # "Bilsky MH[au]": author:"Bilsky MH"
    out.hints.extend(pubmed.hints)
    for token in _tokens(pubmed.text):
        if token.unreadable:
            out.hints.append(f"“NOT {token.raw}” was left out of the search: a group after "
                             "NOT may hold fields only as alternatives (NOT (author:a OR "
                             "author:b)); write each exclusion, such as -author:a -word.")
            continue
        term, hint = _token_term(token)
        if hint is not None:
            out.hints.append(hint)
        items.append(term if term is not None else token.raw)
    items = years_as_either(_join_alternatives(_plain_groups(items)))
    out.terms = [i for i in items if isinstance(i, FieldTerm)]
    out.free_text = " ".join(i for i in items if isinstance(i, str))
    return out


def _token_term(token: _Token) -> tuple[FieldTerm | None, str | None]:
    """The term a token is (None: free text), and why a qualifier was not read (or None)."""
    neg, kind, value = token.negated, token.kind, token.value
    whole = None if token.quoted else _whole_token(token.raw.removeprefix("-"), kind, neg)
    if whole is not None:
        return whole, None
    if kind in QUALIFIERS:
        term = _term(kind, value, neg)
        if term is not None:
            return term, None
    hint = _hint(kind, value) if kind else None
    return (_excluded_text(token) if neg and not kind else None), hint


def _join_alternatives(items: list[FieldTerm | str]) -> list[FieldTerm | str]:
    """Each ``X OR Y [OR Z…]`` with a qualified term among them as one ``any`` term
    (``author:bilsky OR author:laufer``, ``title:kyphoplasty OR vertebroplasty``); an OR
    between plain words only stays in the free text, where the full-text index joins them
    (and parentheses group them)."""
    out: list[FieldTerm | str] = []
    at = 0
    while at < len(items):
        end = at + 1
        while end + 1 < len(items) and items[end] == "OR" and _alternative(items[end + 1]):
            end += 2
        chain = items[at:end:2]
        if end > at + 1 and _alternative(items[at]) and any(
                isinstance(i, FieldTerm) for i in chain):
            either = [i if isinstance(i, FieldTerm) else FieldTerm("text", i) for i in chain]
            out.append(FieldTerm("any", alternatives=tuple(either)))
            at = end
        else:
            out.append(items[at])
            at += 1
    return out


def _plain_groups(items: list[FieldTerm | str]) -> list[FieldTerm | str]:
    """Each parenthesised group of free tokens only as one item ("( spinal neoplasms )"), so
    that it can be one side of an OR beside a field term (PubMed's own query translation:
    ``"spinal neoplasms"[mh] OR ("spinal" AND "neoplasms")``); innermost groups first."""
    out: list[FieldTerm | str] = []
    for item in items:
        out.append(item)
        if item != ")" or "(" not in out[:-1]:
            continue
        start = len(out) - 1 - out[::-1].index("(", 1)
        inner = out[start + 1:-1]
        if all(isinstance(i, str) for i in inner):
            out[start:] = [" ".join(str(i) for i in out[start:])]
    return out


def _alternative(item: FieldTerm | str) -> bool:
    """Whether ``item`` can be one side of an OR: a term, or a free word or phrase."""
    return isinstance(item, FieldTerm) or (item not in ("OR", "(", ")")
                                           and re.search(r"\w", item) is not None)
