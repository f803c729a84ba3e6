"""PubMed's field tags in the search box: ``Bilsky MH[au]``, ``"spinal neoplasms"[mh]``,
``kyphoplasty[ti]``, ``2015:2020[dp]``, read as SpineLib's qualified terms.

Surgeons search PubMed every day and type its syntax out of habit. Without this,
``myeloma[tiab]`` searched for the words "myeloma" and "tiab" and found nothing, and
``myeloma[ti]`` matched any word starting with "ti". As in PubMed, a tag applies to the
quoted phrase before it, or to the run of plain words before it (``spinal cord
compression[mh]``, ``Bilsky MH[au]``), back to an operator, a qualified or tagged term or a
negation. A PubMed tag SpineLib has no field for (``english[la]``) leaves its term out, with a
hint; that term is the one word before the tag (or a known filter phrase, ``free full
text[sb]``), never the user's words before it. Brackets that are no PubMed tag
(``T2[STIR]``) are text as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spinelib.records import RECORD_TYPES

#: PubMed's tags (short and long forms, lower case) and the SpineLib qualifier each is; ""
#: for the tags whose words are plain text here (plain search already reads titles,
#: abstracts, keywords and MeSH).
TAGS: dict[str, str] = {
    **dict.fromkeys(("au", "author", "auth", "1au", "lastau", "fau", "full author name",
                     "first author name", "last author name", "author - first",
                     "author - last", "author - full"), "author"),
    **dict.fromkeys(("ed", "editor"), "editor"),
    **dict.fromkeys(("ti", "title"), "title"),
    **dict.fromkeys(("mh", "mesh", "mesh terms", "majr", "mesh major topic", "mh:noexp",
                     "majr:noexp", "mesh:noexp"), "mesh"),
    **dict.fromkeys(("ta", "journal", "jour", "jt"), "journal"),
    **dict.fromkeys(("dp", "pdat", "publication date", "date - publication"), "year"),
    **dict.fromkeys(("pt", "publication type"), "type"),
    **dict.fromkeys(("pmid", "uid"), "pmid"),
    **dict.fromkeys(("doi", "aid", "lid"), "doi"),
    **dict.fromkeys(("pmc", "pmcid"), "pmcid"),
    **dict.fromkeys(("tiab", "title/abstract", "tw", "text word", "all", "all fields",
                     "ot", "other term", "kw"), ""),
}
#: PubMed's tags for what SpineLib does not search by (affiliation, language, subsets,
#: dates of entry, grants, substances…): such a term is left out of the search, with a
#: hint (as words, "english[la]" or "free full text[sb]" would find nothing).
OTHER_TAGS = frozenset({
    "ad", "affiliation", "la", "language", "sb", "subset", "filter", "sh", "subheading",
    "edat", "entry date", "crdt", "create date", "mhda", "mesh date", "lr", "gr", "grant number",
    "nm", "supplementary concept", "rn", "ec/rn number", "ps", "personal name as subject",
    "pl", "place of publication", "is", "issn", "vi", "volume", "ip", "issue", "pg",
    "pagination", "ir", "investigator", "cn", "corporate author", "book",
    "so", "source", "si", "secondary source id", "pa", "pharmacological action",
    "tt", "transliterated title", "dcom", "completion date", "author - corporate",
    "date - create", "date - entry", "date - completion", "date - modification",
    "date - mesh", "grants and funding", "publisher", "isbn", "mesh subheading",
    "conflict of interest statement"})
#: Filters of several words, taken whole before a tag SpineLib leaves out.
_FILTER_PHRASES = frozenset({"free full text", "full text", "english abstract"})
#: Tags whose value is one token (a year, an identifier): no words before it are taken.
_ONE_TOKEN = frozenset({"year", "pmid", "doi", "pmcid"})

#: A token as :mod:`.fieldquery` splits the text (a quoted phrase, or a run of non-spaces),
#: but a tag in brackets is kept whole with what it ends: ``"spinal neoplasms"[MeSH Terms]``.
_TOKEN = re.compile(r'-?(?:\w+:)?"[^"]*"?(?:\[[^\]\[]*\](?=\s|$))?'
                    r'|[^\s\[]*\[[^\]\[]*\](?=\s|$)|\S+')
#: A token ending in a tag: ``myeloma[tiab]``, ``"spinal cord"[mh]``, or ``[mh]`` alone.
_TAGGED = re.compile(r"(?s)(?P<before>.*?)\[(?P<tag>[A-Za-z0-9 /:-]+)\]")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass
class Rewritten:
    """The search text with PubMed's tags turned into qualified terms, and a hint for each
    tag SpineLib does not search by."""

    text: str
    hints: list[str] = field(default_factory=list)


def rewrite(text: str) -> Rewritten:
    """``text`` with each tagged term written as SpineLib's (see the module docstring);
    text without ``[`` is returned as it is."""
    if "[" not in text:
        return Rewritten(text)
    out = Rewritten("")
    tokens: list[str] = []
    plain_run = 0  # how many of the last tokens are plain words a tag may take
    for token in _TOKEN.findall(text):
        m = _TAGGED.fullmatch(token)
        name = " ".join(m.group("tag").lower().split()) if m else ""
        tag = TAGS.get(name, "" if name in OTHER_TAGS else None)
        if m is None or tag is None:  # not a tag PubMed has ("T2[STIR]"): text as typed
            tokens.append(token)
            plain_run = plain_run + 1 if _plain(token) else 0
            continue
        before = m.group("before")
        words = [before] if before else []
        if not before and tokens and tokens[-1].startswith(('"', '-"')):
            words = [tokens.pop()]  # "spinal neoplasms"[mh]
        elif before and _plain(before) and plain_run and tag not in _ONE_TOKEN:
            take = plain_run if name not in OTHER_TAGS else _filter_words(tokens, before)
            words = [*tokens[len(tokens) - take:], before]  # Bilsky MH[au]
            del tokens[len(tokens) - take:]
        plain_run = 0
        if not words:
            continue  # "[mh]" after nothing it could tag
        if name in OTHER_TAGS:  # a filter that cannot apply: left out, not searched as words
            typed = " ".join(words) + f"[{m.group('tag')}]"
            out.hints.append(f"“[{m.group('tag')}]” is a PubMed field SpineLib does not "
                             f"search by; “{typed}” was left out of the search.")
            continue
        tokens.append(_qualified(tag, words))
    out.text = " ".join(tokens)
    return out


def _filter_words(tokens: list[str], last: str) -> int:
    """How many words before ``last`` a filter SpineLib leaves out takes: only those of a
    known filter phrase ("free full text[sb]"). Dropping the run PubMed would take
    ("myeloma english[la]") would drop the user's own search words with it."""
    for take in (2, 1):
        phrase = " ".join([*tokens[len(tokens) - take:], last]).lower()
        if len(tokens) >= take and phrase in _FILTER_PHRASES:
            return take
    return 0


def _plain(token: str) -> bool:
    """A plain word a tag after it may take: not an operator, a phrase, a qualified or
    negated term."""
    return (token not in _OPERATORS and not token.startswith(("-", '"', "(", "@"))
            and ":" not in token and not token.endswith(")"))


def _qualified(kind: str, words: list[str]) -> str:
    """``kind:"the words"`` (a negation kept in front), or the words alone for plain text."""
    negated = words[0].startswith("-")
    joined = " ".join(w.lstrip("-").strip('"') for w in words).replace('"', "")
    if kind == "year":
        joined = joined.replace(" ", "")  # "2015 : 2020"
        years = re.findall(r"\d{4}", joined)
        if len(years) == 2 and ":" in joined:  # PubMed's dates: 2015/01/01:2020/12/31
            joined = f"{years[0]}:{years[1]}"
        elif len(years) == 1 and re.fullmatch(r"\d{4}(?:/\d{1,2}){0,2}", joined):
            joined = years[0]
    if kind == "type" and joined.lower() not in RECORD_TYPES:
        kind = ""  # "randomized controlled trial"[pt]: its words, not a record type
    value = f'"{joined}"' if " " in joined else joined
    return ("-" if negated else "") + (f"{kind}:{value}" if kind else value)
