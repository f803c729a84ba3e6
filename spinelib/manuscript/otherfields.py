"""Citations another manager put in a Word file, read as the placeholders they stand for.

A surgeon moving to SpineLib brings manuscripts cited with Zotero's or Mendeley Desktop's
Word plug-in. Both keep each citation in a field whose code holds the cited works as CSL
JSON (``ADDIN ZOTERO_ITEM CSL_CITATION {…}``, Mendeley's ``ADDIN CSL_CITATION {…}``: the
citation's ``citationItems``, each with its ``itemData`` and any ``locator``, ``label``,
``prefix`` and ``suffix``) and the reference list in a field of its own
(``ADDIN ZOTERO_BIBL … CSL_BIBLIOGRAPHY``, ``ADDIN Mendeley Bibliography CSL_BIBLIOGRAPHY``).

:func:`placeholder_for` turns such a code into the placeholder an author would have typed:
each work by its DOI, else its PMID (a CSL ``PMID`` variable, or Zotero's "PMID: …" line in
``note``), in one bracket with pandoc's locators (``[see doi:10.1/x, page 33]``); a work with
neither by its first author and year (``{Patchell, 2005}``), beside the bracket. The usual
formatting then finds them in the library (a work not in it is reported, as a typed one is)
and replaces the other manager's field with SpineLib's. EndNote's fields keep their works
in binary field data and are not read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from spinelib.manuscript.placeholders import BIBLIOGRAPHY_MARK

#: Field codes of a cited passage, with the CSL JSON after them.
_CITATION_CODES = ("ADDIN ZOTERO_ITEM CSL_CITATION", "ADDIN CSL_CITATION")
#: Field codes of a reference list (the rest of the code is the manager's settings).
_BIBLIOGRAPHY_CODES = ("ADDIN ZOTERO_BIBL", "ADDIN MENDELEY BIBLIOGRAPHY")
_PMID_NOTE = re.compile(r"(?im)^\s*PMID:\s*(\d{1,9})\s*$")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def placeholder_for(code: str) -> str | None:
    """The placeholder another manager's field code stands for; None for any other field
    (or a citation whose JSON cannot be read, which is then left as it is)."""
    words = code.strip()
    if words.upper().startswith(_BIBLIOGRAPHY_CODES):
        return BIBLIOGRAPHY_MARK
    for prefix in _CITATION_CODES:
        if words.startswith(prefix + " "):
            try:
                data = json.loads(words[len(prefix):])
            except ValueError:
                return None
            return _placeholder(data) if isinstance(data, dict) else None
    return None


def _placeholder(data: dict[str, Any]) -> str | None:
    """``[…]`` of the works with an identifier, then ``{…}`` of those known by author and
    year; None when the citation names no work SpineLib could find."""
    items = data.get("citationItems")
    if not isinstance(items, list):
        return None
    bracketed: list[str] = []
    by_name: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        found = _identifier(item.get("itemData"))
        if found:
            bracketed.append(_with_words(item, found))
            continue
        named = _author_year(item.get("itemData"))
        if named:
            by_name.append(named)
    if not bracketed and not by_name:
        return None
    return ((f"[{'; '.join(bracketed)}]" if bracketed else "")
            + (f"{{{'; '.join(by_name)}}}" if by_name else ""))


def _identifier(item_data: Any) -> str:
    """"doi:10.…" or "PMID:…" for a work's CSL data ("" when it has neither)."""
    if not isinstance(item_data, dict):
        return ""
    doi = str(item_data.get("DOI") or "").strip()
    if doi:
        return f"doi:{doi}"
    pmid = str(item_data.get("PMID") or "").strip()
    if not pmid.isdigit():
        note = _PMID_NOTE.search(str(item_data.get("note") or ""))
        pmid = note.group(1) if note else ""
    return f"PMID:{pmid}" if pmid else ""


def _with_words(item: dict[str, Any], identifier: str) -> str:
    """The identifier with the prefix, locator and suffix the author gave it."""
    prefix = " ".join(str(item.get("prefix") or "").split())
    suffix = " ".join(str(item.get("suffix") or "").split())
    locator = " ".join(str(item.get("locator") or "").split())
    text = f"{prefix} {identifier}" if prefix else identifier
    if locator:
        text += f", {item.get('label') or 'page'} {locator}"
    if suffix:
        text += suffix if suffix.startswith(",") else f" {suffix}"
    return text


def _author_year(item_data: Any) -> str:
    """"Patchell, 2005" from a work's first author and year ("" without either)."""
    if not isinstance(item_data, dict):
        return ""
    authors = item_data.get("author")
    first = authors[0] if isinstance(authors, list) and authors else None
    name = ""
    if isinstance(first, dict):
        name = str(first.get("family") or first.get("literal") or "").strip()
    issued = item_data.get("issued")
    year = ""
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = str(parts[0][0])
        elif issued.get("raw") or issued.get("literal"):
            found = _YEAR.search(str(issued.get("raw") or issued.get("literal")))
            year = found.group(1) if found else ""
    if not name or not re.fullmatch(r"\d{4}", year):
        return ""
    return f"{name}, {year}"
