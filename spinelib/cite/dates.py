"""A CSL item's date and status as citeproc-py reads them.

The CSL-JSON export writes a date kept as text (``ArticleRecord.date_text``: "2004?",
"2019/2020", "-0044", "Spring 2004") as ``{"raw": ...}``, which citeproc-js and pandoc
parse; citeproc-py reads only ``date-parts`` and ``literal`` and drops the rest, so such an
article was cited with no year at all. :func:`for_citeproc` gives the engine the parts of
the EDTF the bibliographies hold (a year, month or day; an approximate one; a range; a
season's year; a year BCE) and the text as written for anything else.

A paper in press has a state and no year. Styles that print CSL's ``status`` (APA) place
it themselves: "(in press)". Most medical styles never mention it (Vancouver, AMA, Spine),
so for them the state goes where the year would, as Zotero's users type it into the date:
"Spine. In press." (:func:`prints_status` asks the style).
"""

from __future__ import annotations

import re
from typing import Any

from spinelib.pubstate import status_text
from spinelib.styles.catalogue import CSL_NS

#: One EDTF date: a year (BCE with "-"), month (21-24: a season) and day, and a qualifier
#: ("?" uncertain, "~" approximate, "%" both) on the whole.
_EDTF_DATE_RE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)")
_OPEN = ("", "..")


def _date(text: str) -> tuple[list[int], bool] | None:
    """(date parts, qualified) of one EDTF date, or None if it is not one. A season
    (months 21-24) is its year alone: citeproc-py's CSL seasons fail whole bibliographies in
    some styles (an AssertionError in 4 of 400 styles tried)."""
    m = _EDTF_DATE_RE.fullmatch(text.strip())
    if m is None:
        return None
    parts = [int(m.group(1))]
    month = int(m.group(2) or 0)
    if 1 <= month <= 12:
        parts.append(month)
        if m.group(3):
            parts.append(int(m.group(3)))
    elif m.group(2) and not (21 <= month <= 24 and not m.group(3)):
        return None
    return parts, bool(m.group(4))


def parsed(text: str) -> dict[str, Any]:
    """citeproc-py's ``issued`` for a date kept as text: its parts when it is EDTF as
    bibliographies write it, else ``{"literal": text}``."""
    sides = text.strip().split("/")
    dates = [_date(side) for side in sides if side.strip() not in _OPEN]
    if len(sides) > 2 or not dates or any(d is None for d in dates):
        return {"literal": text.strip()}
    out: dict[str, Any] = {"date-parts": [d[0] for d in dates if d is not None]}
    if any(d is not None and d[1] for d in dates):
        out["circa"] = 1
    return out


def prints_status(style_root: Any) -> bool:
    """Whether a style (its lxml root) prints CSL's ``status`` variable anywhere."""
    return any("status" in str(v).split()
               for v in style_root.xpath("//@variable"))


def for_citeproc(item: dict[str, Any], *, status_printed: bool) -> dict[str, Any]:
    """``item`` (from :func:`spinelib.formats.csljson.item`) with its date as citeproc-py
    reads it; a dateless item with a state has the state as its date when the style would
    not print the state itself. Changes ``item`` and returns it."""
    issued = item.get("issued")
    if isinstance(issued, dict) and "raw" in issued:
        item["issued"] = parsed(str(issued["raw"]))
    status = item.get("status")
    if status and "issued" not in item and not status_printed:
        # "In press": it starts a sentence in most styles' date place.
        item["issued"] = {"literal": status_text(status, capital=True)}
    return item


#: Words a style puts before an online-first article's date as fixed text (the Spine
#: style's date prefix "Epub ahead of print ", some styles' "Published online").
_ONLINE_WORDS_RE = re.compile(r"online|ahead of print|\bepub\b", re.I)


def online_terms(style_root: Any) -> tuple[str, ...]:
    """What the style prints before an article published online ahead of its issue: its
    term (AMA's "published online"; CSL's English default), the fixed text of its own
    (a date's prefix, a text value) that says so."""
    ns = {"cs": CSL_NS}
    found = [*style_root.xpath("//cs:term[@name='advance-online-publication']/text()",
                               namespaces=ns),
             *style_root.xpath("//cs:date[@variable='issued']/@prefix", namespaces=ns),
             *style_root.xpath("//cs:text/@value", namespaces=ns)]
    said = {" ".join(str(t).split()).strip("[]() ") for t in found}
    return tuple(sorted({t for t in said if t and _ONLINE_WORDS_RE.search(t)}
                        | {"advance online publication"}))


def states_as_dates(entries: list[str], items: list[dict[str, Any]],
                    terms: tuple[str, ...]) -> list[str]:
    """``entries`` without an online-first term right before a state that stands where the
    date goes (:func:`for_citeproc`): AMA prints an issue-less article's date as "Published
    online <date>", and "Published online In press" says two contrary things ("Spine. In
    press." is AMA's own form for an accepted paper)."""
    states = {str(it["issued"]["literal"]) for it in items
              if it.get("status")
              and it.get("issued") == {"literal": status_text(it["status"], capital=True)}}
    if not states:
        return entries
    words = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    said = "|".join(re.escape(s) for s in sorted(states))
    pattern = re.compile(rf"(?i)\[?\b(?:{words})\]?\s+(?=(?:{said})\b)")
    return [pattern.sub("", e) for e in entries]
