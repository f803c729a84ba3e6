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
and replaces the other manager's field with SpineLib's.

EndNote's citation field (``ADDIN EN.CITE``) holds its records as EndNote XML: after the
code itself, or (the usual case) base64-encoded in the field data of an ``EN.CITE.DATA``
field nested in its code. Each ``Cite`` is read the same way: the record's DOI
(``electronic-resource-num``), else its PubMed accession number (digits only), else the
``Author`` and ``Year`` the citation shows, with its ``Pages`` and ``Prefix``. The XML is
parsed with entity declarations and DTDs refused, as every file from outside is. Its
reference list (``ADDIN EN.REFLIST``) reads as ``{Bibliography}``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from spinelib.identifiers import DOI_IN_TEXT_RE, PMID_RE
from spinelib.manuscript.placeholders import BIBLIOGRAPHY_MARK

#: Field codes of a cited passage, with the CSL JSON after them.
_CITATION_CODES = ("ADDIN ZOTERO_ITEM CSL_CITATION", "ADDIN CSL_CITATION")
#: Field codes of a reference list (the rest of the code is the manager's settings).
_BIBLIOGRAPHY_CODES = ("ADDIN ZOTERO_BIBL", "ADDIN MENDELEY BIBLIOGRAPHY", "ADDIN EN.REFLIST")
_ENDNOTE_CODE = "ADDIN EN.CITE"
_PMID_NOTE = re.compile(r"(?im)^\s*PMID:\s*(\d{1,9})\s*$")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def placeholder_for(code: str, data: str = "") -> str | None:
    """The placeholder another manager's field code stands for (``data``: the field's
    base64 field data, where EndNote keeps its records); None for any other field, or a
    citation that cannot be read, which is then left as it is."""
    words = code.strip()
    if words.upper().startswith(_BIBLIOGRAPHY_CODES):
        return BIBLIOGRAPHY_MARK
    if words == _ENDNOTE_CODE or words.startswith(_ENDNOTE_CODE + " "):
        return _endnote(words[len(_ENDNOTE_CODE):].strip(), data)
    for prefix in _CITATION_CODES:
        if words.startswith(prefix + " "):
            try:
                citation = json.loads(words[len(prefix):])
            except ValueError:
                return None
            return _placeholder(citation) if isinstance(citation, dict) else None
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
    return _joined(bracketed, by_name)


def _joined(bracketed: list[str], by_name: list[str]) -> str | None:
    """``[…]`` of the works cited by identifier, then ``{…}`` of those by author and year;
    None when there is neither."""
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
    if not PMID_RE.match(pmid):
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


def _endnote(after_code: str, data: str) -> str | None:
    """The placeholder of an EndNote citation: its XML after the code, else in the data."""
    import base64
    import binascii

    xml = after_code if after_code.startswith("<") else ""
    if not xml and data.strip():
        try:
            raw = base64.b64decode("".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
        xml = raw.decode("utf-8", "replace")
    return _endnote_cites(xml) if xml else None


def _endnote_cites(xml: str) -> str | None:
    """``[…]``/``{…}`` of the ``Cite`` elements of EndNote's XML (DTDs and entities
    refused); None when it cannot be read or names no work."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(xml.strip(), forbid_dtd=True)
    except (DefusedXmlException, SafeET.ParseError):
        return None
    bracketed: list[str] = []
    by_name: list[str] = []
    for cite in root.iter("Cite"):
        record = cite.find("record")
        found = _endnote_identifier(record) if record is not None else ""
        if found:
            pages = _text(cite.find("Pages"))
            item = {"prefix": _text(cite.find("Prefix")), "suffix": _text(cite.find("Suffix")),
                    "locator": pages, "label": "page" if pages else ""}
            bracketed.append(_with_words(item, found))
            continue
        author, year = _text(cite.find("Author")), _text(cite.find("Year"))
        family = author.split(",")[0].strip()
        if family and re.fullmatch(r"\d{4}", year):
            by_name.append(f"{family}, {year}")
    return _joined(bracketed, by_name)


def _endnote_identifier(record: Any) -> str:
    """"doi:…" from a record's electronic resource number, else "PMID:…" from its PubMed
    accession number ("" when it has neither)."""
    found = DOI_IN_TEXT_RE.search(_text(record.find("electronic-resource-num")))
    if found:
        return f"doi:{found.group(0).rstrip('.')}"
    accession = _text(record.find("accession-num"))
    return f"PMID:{accession}" if PMID_RE.match(accession) else ""


def _text(element: Any) -> str:
    """An element's text, EndNote's ``<style>`` wrappers included ("" for none)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
