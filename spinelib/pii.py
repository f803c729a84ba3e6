"""Elsevier's Publisher Item Identifier (PII): recognise one in a link or a label.

What it is for: an article of The Lancet, The Spine Journal, World Neurosurgery or the Red
Journal is very often shared as a ScienceDirect or journal-site address that holds no DOI,
only the article's PII (``https://www.sciencedirect.com/science/article/pii/S1529943020300012``,
``https://www.thelancet.com/journals/lancet/article/PIIS0140-6736(05)66954-1/fulltext``).
Crossref keeps the PII Elsevier deposits as the work's ``alternative-id``, so an import can
find the DOI from it (:mod:`spinelib.sources.crossref_pii`).

The promise of :func:`pii_in`: the compact PII (``S0140673605669541``, the form Crossref's
``alternative-id`` holds) or ''. A journal PII is "S", the journal's ISSN (8 characters),
the year's last two digits, a five-digit item number and a check character; it is printed
``S0140-6736(05)66954-1`` or written compact. Nothing is guessed: a PII is taken from a link
only as a whole step of its path, from text only when labelled ``PII`` or written out in the
printed form, and only when the ISSN inside it passes its own check digit (ISO 3297).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

#: The printed or compact PII of a journal article, as a whole (case-insensitive).
_PII = r"S(\d{4})-?(\d{3}[\dX])\(?(\d{2})\)?(\d{5})-?([\dX])"
_PII_RE = re.compile(_PII, re.I)
#: The printed form only: its hyphens and parentheses make it unmistakable in a line.
PRINTED_PII_RE = re.compile(r"\bS\d{4}-\d{3}[\dX]\(\d{2}\)\d{5}-[\dX]\b", re.I)
#: A labelled PII in text ("PII: S0140-6736(05)66954-1", "PII S1529943020300012").
LABELLED_PII_RE = re.compile(rf"\bPII\s*[:#]?\s*({_PII})(?![\w-])", re.I)
#: A step of an address that is a PII, with the "PII" Elsevier's journal sites put before it.
_PATH_STEP_RE = re.compile(rf"(?:PII)?({_PII})", re.I)


def issn_check_ok(seven_digits: str, check: str) -> bool:
    """True when ``check`` is the ISSN check character of ``seven_digits`` (mod 11)."""
    total = sum(int(d) * w for d, w in zip(seven_digits, range(8, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    return check.upper() == ("X" if expected == 10 else str(expected))


def compact_pii(text: str) -> str:
    """``text`` as a compact PII when it is exactly one (printed or compact), else ''."""
    m = _PII_RE.fullmatch(text.strip())
    if m is None:
        return ""
    issn = m.group(1) + m.group(2)
    if not issn_check_ok(issn[:7], issn[7]):
        return ""
    return ("S" + issn + m.group(3) + m.group(4) + m.group(5)).upper()


def printed_pii(value: str) -> str:
    """``S0140-6736(05)66954-1`` from the compact ``S0140673605669541`` (as journals print it)."""
    v = value.upper()
    if len(v) != 17:
        return value
    return f"{v[0:5]}-{v[5:9]}({v[9:11]}){v[11:16]}-{v[16]}"


def doi_built_from(value: str) -> str:
    """The DOI Elsevier builds from a PII where it does (``10.1016/s0140-6736(05)66954-1``,
    lower-case as SpineLib keeps DOIs): an article holding it is the PII's article. The
    converse is no rule (The Spine Journal's DOIs read ``10.1016/j.spinee…``), so this only
    tells what the library holds; a fetch always asks Crossref."""
    return "10.1016/" + printed_pii(value).lower()


def pii_in_url(url: str) -> str:
    """The PII a publisher's address holds as one step of its path, or ''.

    The shapes Elsevier's sites write: ScienceDirect's ``/science/article/pii/S…`` and
    ``/science/article/abs/pii/S…``, its linking hub's ``/retrieve/pii/S…``, the journal
    sites' ``/article/PIIS…/fulltext`` and ``/article/S…(…)…/fulltext``, Cell Press's
    ``/fulltext/S…``, and a PDF link's ``?pii=S…`` (``showPdf``); any other part of the
    query (``?via=ihub``) and the view after the PII are not read.
    """
    parts = urlsplit(url)
    # The Lancet's and Cell's PDF links name it in the query: "showPdf?pii=S0140-6736(05)…".
    steps = [*unquote(parts.path).split("/"), *parse_qs(parts.query).get("pii", [])]
    for step in steps:
        m = _PATH_STEP_RE.fullmatch(step.strip())
        if m is not None:
            found = compact_pii(m.group(1))
            if found:
                return found
    return ""


def pii_typo(text: str) -> str:
    """Why ``text``, shaped like a PII or holding one in its address, is none (its ISSN
    fails the check: a mistyped character), or '' when it holds nothing PII-shaped."""
    s = text.strip().rstrip(".,;")
    steps = unquote(urlsplit(s).path).split("/") if re.match(r"^https?://", s, re.I) else [s]
    for step in steps:
        m = _PATH_STEP_RE.fullmatch(step) or LABELLED_PII_RE.fullmatch(step)
        if m is not None and not compact_pii(m.group(1)):
            issn = f"{m.group(2)}-{m.group(3)}"
            return (f"{m.group(1)} is shaped like an Elsevier PII, but the journal ISSN in "
                    f"it, {issn}, fails its check digit: a character is mistyped")
    return ""


def pii_in(text: str) -> str:
    """The PII ``text`` is, as a whole (a link, ``PII: …``, the printed or compact form), or ''."""
    s = text.strip().rstrip(".,;")
    if re.match(r"^https?://", s, re.I):
        return pii_in_url(s)
    labelled = LABELLED_PII_RE.fullmatch(s)
    if labelled is not None:
        return compact_pii(labelled.group(1))
    return compact_pii(s)
