"""NCBI's small replies, parsed: esearch and elink (E-utilities) and the PMC ID converter.

Pure functions from the bytes or decoded JSON of a reply to typed results; the client in
:mod:`spinelib.sources.pubmed` sends the requests. XML replies are read with defusedxml.
Anything that is not the expected reply raises :class:`~spinelib.errors.FormatError`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml.common import DefusedXmlException

from spinelib.errors import FormatError
from spinelib.formats.pubmed_xml_values import element_text, find_text, local_name
from spinelib.identifiers import identifier_or_empty

#: What is said when NCBI refuses the API key: every request with it would be refused.
KEY_REFUSED = ("PubMed refused the NCBI API key in your settings ({detail}): copy it again "
               "from your NCBI account's API Key Management, or clear it to work without one "
               "(Preferences, or: spinelib settings ncbi_api_key \"\")")


def refuses_api_key(status: int, text: str) -> bool:
    """True when an E-utilities refusal is of the API key (HTTP 400 with
    ``{"error":"API key invalid",…}``: a key mistyped, cut short or revoked)."""
    return status in (400, 401, 403) and "api key" in text.lower()


@dataclass
class SearchResult:
    """An esearch answer: the total hit count and the ids on this page; ``not_found``: the
    words or fields PubMed could not use (its ``errorlist`` and quoted phrases not found),
    which it searched without."""

    count: int
    ids: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def parse_esearch(data: bytes) -> SearchResult:
    """Read an esearch reply in JSON (``retmode=json``) or XML (``eSearchResult``).

    Raises :class:`~spinelib.errors.FormatError` for anything else or an error reply.
    """
    head = data.lstrip()[:1]
    if head == b"{":
        return _esearch_json(data)
    if head == b"<":
        return _esearch_xml(data)
    raise FormatError("the PubMed search answer is neither JSON nor XML")


def _esearch_json(data: bytes) -> SearchResult:
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise FormatError(f"the PubMed search answer is not valid JSON ({exc})") from None
    result = payload.get("esearchresult") if isinstance(payload, dict) else None
    if not isinstance(result, dict):
        raise FormatError("the PubMed search answer has no esearchresult")
    if result.get("ERROR"):
        raise FormatError(f"PubMed search failed: {str(result['ERROR'])[:200]}")
    ids = [str(i) for i in result.get("idlist") or [] if str(i).isdigit()]
    count = str(result.get("count", ""))
    return SearchResult(count=int(count) if count.isdigit() else len(ids), ids=ids,
                        not_found=_not_found(result.get("errorlist"),
                                             result.get("warninglist")))


def _not_found(errors: Any, warnings: Any) -> list[str]:
    """The phrases and fields an esearch reply says it could not use."""
    lists = [(errors, "phrasesnotfound"), (errors, "fieldsnotfound"),
             (warnings, "quotedphrasesnotfound")]
    return list(dict.fromkeys(str(v) for part, key in lists if isinstance(part, dict)
                              for v in part.get(key) or [] if str(v).strip()))


def _reply_root(data: bytes, what: str, root_tag: str) -> Element:
    """The root of a small NCBI XML reply, checked to be ``root_tag``; FormatError naming
    ``what`` for malformed XML, entity declarations or another root."""
    try:
        root: Element = DET.fromstring(data)
    except ParseError as exc:
        raise FormatError(f"{what} is not well-formed XML ({exc})") from None
    except DefusedXmlException:
        raise FormatError(f"{what} declares XML entities (refused)") from None
    if root.tag != root_tag:
        raise FormatError(f"{what} has root <{local_name(root.tag)}>, not <{root_tag}>")
    return root


def _esearch_xml(data: bytes) -> SearchResult:
    root = _reply_root(data, "the PubMed search answer", "eSearchResult")
    error = find_text(root, "ERROR")
    if error:
        raise FormatError(f"PubMed search failed: {error[:200]}")
    ids = [element_text(i) for i in root.findall("IdList/Id") if element_text(i).isdigit()]
    count = find_text(root, "Count")
    return SearchResult(count=int(count) if count.isdigit() else len(ids), ids=ids)


def parse_elink(data: bytes) -> dict[str, list[str]]:
    """LinkName -> linked ids, in the order given, from an elink XML reply (``eLinkResult``).

    For ``db=pubmed`` the useful names are ``pubmed_pubmed_refs`` (what the article cites,
    as far as PubMed knows: an unordered set) and ``pubmed_pubmed_citedin``. Links of all
    LinkSets are merged. Raises FormatError for anything that is not an elink reply.
    """
    return {name: list(ids) for name, ids in elink_links(data).items()}


def elink_links(data: bytes, what: str = "PubMed link") -> dict[str, dict[str, int]]:
    """LinkName -> {linked id: its score} in the order given, from an elink XML reply (a
    score is 0 where the reply gives none: only ``cmd=neighbor_score`` does), each id once,
    the LinkSets merged. FormatError naming ``what`` for anything that is not an elink
    reply, or an error reply."""
    root = _reply_root(data, f"the {what} answer", "eLinkResult")
    error = find_text(root, "ERROR") or find_text(root, "LinkSet/ERROR")
    if error:
        raise FormatError(f"{what} lookup failed: {error[:200]}")
    out: dict[str, dict[str, int]] = {}
    for link_db in root.findall("LinkSet/LinkSetDb"):
        ids = out.setdefault(find_text(link_db, "LinkName"), {})
        for link in link_db.findall("Link"):
            value, score = find_text(link, "Id"), find_text(link, "Score")
            if value.isdigit():
                ids.setdefault(value, int(score) if score.isdigit() else 0)
    return out


def parse_idconv(payload: Any, requested: Sequence[str]) -> dict[str, dict[str, str]]:
    """Map each requested id to what the PMC ID converter knows about it.

    ``payload`` is the decoded JSON. Values hold normalised ``pmid``/``pmcid``/``doi`` (only
    those present). Error records (``"status": "error"``) and ids the converter does not echo
    back are left out. Matching uses ``requested-id`` when the service sends it (the 2024+
    API) and otherwise the record's own identifiers (the older v1.0 API).
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise FormatError("the PMC ID converter answer has no records list")
    wanted = {_requested_key(r): r for r in requested}
    out: dict[str, dict[str, str]] = {}
    for rec in payload["records"]:
        if not isinstance(rec, dict) or rec.get("status") == "error" or rec.get("errmsg"):
            continue
        found: dict[str, str] = {}
        for kind in ("pmid", "pmcid", "doi"):
            raw = str(rec.get(kind) or "")
            if kind == "pmcid":
                raw = raw.split(".")[0]  # a versioned PMCID ("PMC123.2") names the article
            value = identifier_or_empty(kind, raw)
            if value:
                found[kind] = value
        if not found:
            continue
        keys = [_requested_key(str(rec["requested-id"]))] if rec.get("requested-id") else []
        keys += list(found.values())
        for key in keys:
            if key in wanted:
                out[wanted[key]] = found
                break
    return out


def _requested_key(text: str) -> str:
    """A comparison key for an id as sent to or echoed by the converter."""
    text = text.strip()
    for kind in ("pmcid", "pmid", "doi"):
        value = identifier_or_empty(kind, text)
        if value:
            return value
    return text.lower()
