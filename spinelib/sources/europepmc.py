"""Europe PMC REST: an article's reference list (and its citations), plus ``ext_id`` and DOI
search.

Europe PMC knows the reference lists of many PubMed articles whose publishers do not deposit
references with Crossref, and it has already matched each entry to a PMID where it could.
As everywhere in ``sources``, parsing is pure (:func:`parse_references`, :func:`parse_search`)
and fetching goes through the shared :class:`~spinelib.sources.http.HttpClient`.

The references reply (``/MED/{pmid}/references?format=json``) looks like::

    {"version": "6.9", "hitCount": 2, "request": {...},
     "referenceList": {"reference": [{"id": "123", "source": "MED", "citationType": "...",
        "title": "...", "authorString": "...", "journalAbbreviation": "...", "pubYear": 2010,
        "volume": "12", "issue": "3", "pageInfo": "345-50", "citedOrder": 1, "match": "Y"}]}}

and the citations reply has the same items under ``citationList.citation``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from spinelib.errors import InvalidIdentifier, ServiceError
from spinelib.formats.jats_text import plain_text
from spinelib.identifiers import normalise_doi, parse_identifier
from spinelib.records import ReferenceEntry
from spinelib.sources.http import HttpClient, json_body
from spinelib.text import scalar_text

#: Europe PMC's largest allowed ``pageSize`` for references/citations: one page almost always.
PAGE_SIZE = 1000
#: Pages fetched at most for one article (a bound against a server that never says "done").
MAX_PAGES = 10
#: The (container, item) keys a list reply may use: references and the sibling citations.
LIST_KEYS = (("referenceList", "reference"), ("citationList", "citation"))
#: Europe PMC ``source`` codes whose ``id`` is a PubMed ID / a PMC ID.
PUBMED_SOURCE = "MED"
PMC_SOURCE = "PMC"


# --------------------------------------------------------------------------- small readers
# (``scalar_text``, a JSON scalar as text, is the one in spinelib.text.)


def _doi(value: Any) -> str:
    try:
        return normalise_doi(scalar_text(value)) if scalar_text(value) else ""
    except InvalidIdentifier:
        return ""


def _pmid(value: Any) -> str:
    text = scalar_text(value)
    return str(int(text)) if text.isdigit() and 0 < len(text) <= 8 and int(text) else ""


def _pmcid(value: Any) -> str:
    text = scalar_text(value).upper()
    if text.startswith("PMC") and text[3:].isdigit() and int(text[3:]):
        return "PMC" + str(int(text[3:]))
    return ""


def _hit_count(payload: Mapping[str, Any]) -> int | None:
    """``hitCount`` as an int, or None when absent or not a number."""
    text = scalar_text(payload.get("hitCount"))
    return int(text) if text.isdigit() else None


def _as_object(payload: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise ServiceError(f"Europe PMC {what} reply is not a JSON object")
    return payload


# --------------------------------------------------------------------------- references


def citation_text(item: Mapping[str, Any]) -> str:
    """``"Authors. Title. Journal. Year;Volume(Issue):Pages."`` from the pieces an item has."""
    heads = [
        plain_text(item.get(key)).rstrip(" .")
        for key in ("authorString", "title")
    ]
    journal = item.get("journalAbbreviation") or item.get("journalTitle")
    heads.append(plain_text(journal).rstrip(" ."))
    year, volume, issue, pages = (
        scalar_text(item.get(k)) for k in ("pubYear", "volume", "issue", "pageInfo")
    )
    tail = year
    if volume or issue:
        tail += (";" if tail else "") + volume + (f"({issue})" if issue else "")
    if pages:
        tail += (":" if tail else "") + pages
    pieces = [p for p in (*heads, tail) if p]
    return ". ".join(pieces) + "." if pieces else ""


def item_identifiers(item: Mapping[str, Any]) -> tuple[str, str, str]:
    """(PMID, PMCID, DOI) of a list item, normalised, ``""`` for each it lacks: an item
    whose ``source`` is ``MED`` has its PMID as ``id``, one from ``PMC`` its PMCID."""
    source = scalar_text(item.get("source")).upper()
    pmid = _pmid(item.get("pmid")) or (_pmid(item.get("id")) if source == PUBMED_SOURCE else "")
    pmcid = _pmcid(item.get("pmcid")) or (_pmcid(item.get("id")) if source == PMC_SOURCE else "")
    return pmid, pmcid, _doi(item.get("doi"))


def _entry(position: int, item: Mapping[str, Any]) -> ReferenceEntry:
    pmid, pmcid, doi = item_identifiers(item)
    return ReferenceEntry(position=position, citation=citation_text(item), doi=doi,
                          pmid=pmid, pmcid=pmcid)


def _cited_order(item: Mapping[str, Any]) -> int | None:
    text = scalar_text(item.get("citedOrder"))
    return int(text) if text.isdigit() else None


def entries_from_items(items: list[Mapping[str, Any]]) -> list[ReferenceEntry]:
    """Reference entries numbered 1..n, in the article's own order.

    When every item carries ``citedOrder`` (its number in the article's bibliography) the
    list is put in that order, since pages may come back in another; otherwise the reply's
    order is kept.
    """
    orders = [_cited_order(item) for item in items]
    known = [o for o in orders if o is not None]
    if items and len(known) == len(items):
        ranked = sorted(zip(known, items, strict=True), key=lambda pair: pair[0])
        items = [item for _, item in ranked]
    return [_entry(i, item) for i, item in enumerate(items, start=1)]


def _items(payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The raw items of a references or citations reply; ServiceError if it is neither."""
    for container_key, item_key in LIST_KEYS:
        container = payload.get(container_key)
        if isinstance(container, Mapping):
            raw = container.get(item_key, [])
            if isinstance(raw, Mapping):  # one item may arrive as an object, not a list
                raw = [raw]
            if not isinstance(raw, list):
                raise ServiceError(f"Europe PMC reply has a malformed {container_key}")
            return [item for item in raw if isinstance(item, Mapping)]
    if _hit_count(payload) == 0:  # "nothing found" may come without an empty list
        return []
    raise ServiceError("Europe PMC reply has neither a reference list nor a citation list")


def list_items(payload: Any, what: str) -> tuple[list[Mapping[str, Any]], int]:
    """The raw items of one references or citations reply and its ``hitCount`` (the items'
    count when it gives none); ServiceError for a reply that is neither."""
    data = _as_object(payload, what)
    items = _items(data)
    total = _hit_count(data)
    return items, len(items) if total is None else total


def parse_references(payload: Any) -> list[ReferenceEntry]:
    """Reference entries from one Europe PMC references (or citations) JSON reply.

    Accepts ``referenceList.reference`` and ``citationList.citation``. An entry gets
    ``pmid`` when its ``source`` is ``MED``, ``pmcid`` when it is ``PMC``, and ``doi`` when
    present. Raises ServiceError for a reply that is not such a list.
    """
    return entries_from_items(_items(_as_object(payload, "references")))


def _check_pmid(pmid: str) -> str:
    ident = parse_identifier(pmid)
    if ident.kind != "pmid":
        raise InvalidIdentifier(f"{pmid!r} is a {ident.kind.upper()}, not a PMID")
    return ident.value


def fetch_references(client: HttpClient, pmid: str) -> list[ReferenceEntry]:
    """The reference list Europe PMC holds for a PubMed article; ``[]`` when it has none.

    A 404 or ``hitCount`` 0 means "no list" and gives ``[]``; a reply that is not JSON
    raises ServiceError; network failures come from the client.
    """
    bare = _check_pmid(pmid)
    items, _total = fetch_list(client, PUBMED_SOURCE, bare, "references",
                               f"references of PMID {bare}")
    return entries_from_items(items)


def fetch_list(client: HttpClient, source: str, ident: str, endpoint: str,
               what: str) -> tuple[list[Mapping[str, Any]], int]:
    """The raw items of ``/{source}/{ident}/{endpoint}`` (``references`` or ``citations``)
    and the reply's ``hitCount`` (the items' count when it gives none).

    Pages of :data:`PAGE_SIZE` are followed while fewer items than ``hitCount`` have
    arrived, at most :data:`MAX_PAGES` pages; a 404 is an empty list. ``what`` names the
    request in error messages.
    """
    url = f"{client.settings.europepmc_url.rstrip('/')}/{source}/{ident}/{endpoint}"
    items: list[Mapping[str, Any]] = []
    total: int | None = None
    for page in range(1, MAX_PAGES + 1):
        response = client.get(
            "europepmc", url,
            params={"format": "json", "page": str(page), "pageSize": str(PAGE_SIZE)},
            headers={"Accept": "application/json"},
        )
        if response.status_code == 404:
            break
        payload = _as_object(json_body(response, f"Europe PMC ({what})"), endpoint)
        batch = _items(payload)
        items.extend(batch)
        total = _hit_count(payload)
        if not batch or total is None or len(items) >= total:
            break
    return items, len(items) if total is None else total


# --------------------------------------------------------------------------- search


def parse_search(payload: Any) -> list[dict[str, str]]:
    """Hits of a Europe PMC ``search`` JSON reply as ``{pmid, pmcid, doi, title, source, id}``.

    Values are normalised (``""`` when absent). "Not found" is a 200 reply with
    ``hitCount`` 0 and an empty ``resultList.result``, which gives ``[]``.
    """
    raw = search_results(payload)
    hits: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        source = scalar_text(item.get("source")).upper()
        hits.append({
            "id": scalar_text(item.get("id")),
            "source": source,
            "pmid": _pmid(item.get("pmid"))
            or (_pmid(item.get("id")) if source == PUBMED_SOURCE else ""),
            "pmcid": _pmcid(item.get("pmcid")),
            "doi": _doi(item.get("doi")),
            "title": plain_text(item.get("title")),
        })
    return hits


def search_ext_id(client: HttpClient, pmid: str) -> dict[str, str] | None:
    """Europe PMC's identifiers for one PubMed article (its PMCID and DOI), or None.

    Uses ``search?query=ext_id:{pmid} src:med``; only a hit whose PMID is the one asked for
    is returned, so a fuzzy match can never swap articles.
    """
    bare = _check_pmid(pmid)
    return _search_one(client, f"ext_id:{bare} src:med", f"PMID {bare}",
                       lambda hit: hit["pmid"] == bare)


def search_doi(client: HttpClient, doi: str) -> dict[str, str] | None:
    """Europe PMC's record of the work with this DOI (``source`` and ``id`` name it there),
    or None; only a hit carrying exactly that DOI is returned."""
    bare = normalise_doi(doi)
    if '"' in bare:  # it would end the quoted phrase of the query
        return None
    return _search_one(client, f'DOI:"{bare}"', f"DOI {bare}",
                       lambda hit: hit["doi"] == bare)


def _search_one(client: HttpClient, query: str, what: str,
                wanted: Callable[[dict[str, str]], bool]) -> dict[str, str] | None:
    response = client.get(
        "europepmc", f"{client.settings.europepmc_url.rstrip('/')}/search",
        params={"query": query, "format": "json", "resultType": "lite"},
        headers={"Accept": "application/json"},
    )
    if response.status_code == 404:
        return None
    for hit in parse_search(json_body(response, f"Europe PMC (search for {what})")):
        if wanted(hit):
            return hit
    return None


# --------------------------------------------------------------------------- citation counts


def cited_by_of(item: Mapping[str, Any]) -> int | None:
    """A search hit's ``citedByCount`` (Europe PMC's count of citing articles) when it is a
    count; None when absent or not a number."""
    value = item.get("citedByCount")
    if isinstance(value, bool):
        return None
    text = scalar_text(value)
    return int(text) if text.isdigit() else None


def search_results(payload: Any) -> list[Any]:
    """The raw ``resultList.result`` items of a search reply; ``[]`` for "nothing found"
    (``hitCount`` 0); ServiceError for a reply that is not a search reply."""
    data = _as_object(payload, "search")
    result_list = data.get("resultList")
    if not isinstance(result_list, Mapping):
        if _hit_count(data) == 0:
            return []
        raise ServiceError("Europe PMC search reply has no result list")
    raw = result_list.get("result", [])
    if not isinstance(raw, list):
        raise ServiceError("Europe PMC search reply has a malformed result list")
    return raw


def parse_cited_by(payload: Any) -> list[tuple[str, str, int]]:
    """``(pmid, doi, citedByCount)`` of every hit of a search reply (``lite`` or ``core``)
    that carries a count; ``[]`` for "nothing found"; ServiceError for a reply that is not
    a search reply."""
    raw = search_results(payload)
    out: list[tuple[str, str, int]] = []
    for item in raw:
        if not isinstance(item, Mapping) or (count := cited_by_of(item)) is None:
            continue
        source = scalar_text(item.get("source")).upper()
        pmid = _pmid(item.get("pmid")) or (_pmid(item.get("id"))
                                           if source == PUBMED_SOURCE else "")
        out.append((pmid, _doi(item.get("doi")), count))
    return out
