"""PubMed through NCBI E-utilities and the PMC ID converter: the network client.

Thin calls through :class:`~spinelib.sources.http.HttpClient`, which owns retries, rate
limits and timeouts: :func:`fetch_pmids` (efetch), :func:`search_doi` (esearch),
:func:`fetch_elink_refs` (elink) and :func:`convert_ids` (the ID converter). Every call
carries ``tool=spinelib`` plus the user's email and API key when set (NCBI's usage policy
asks for both). The replies are parsed by pure functions: efetch XML by the file format
:mod:`spinelib.formats.pubmed_xml`, the rest by :mod:`spinelib.sources.ncbi_replies`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from spinelib.errors import FormatError, InvalidIdentifier, ServiceError
from spinelib.formats.pubmed_notices import parse_notices
from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.identifiers import identifier_or_empty, parse_identifier
from spinelib.records import ArticleRecord
from spinelib.safety_results import Notice
from spinelib.sources.ncbi_replies import (
    SearchResult,
    parse_elink,
    parse_esearch,
    parse_idconv,
)
from spinelib.sources.parallel import chunks

if TYPE_CHECKING:
    import requests

    from spinelib.sources.http import HttpClient

#: What an elink reply is read into (:func:`elink`).
Read = TypeVar("Read")
#: Sent as ``tool=`` on every NCBI call (no spaces, per the E-utilities policy).
TOOL = "spinelib"
#: PMIDs per efetch request; NCBI recommends POST beyond a couple of hundred ids.
EFETCH_BATCH = 200
#: Above this many ids a request is sent as POST so the URL stays short.
POST_THRESHOLD = 50
#: The PMC ID converter takes at most 200 ids per call.
IDCONV_BATCH = 200
#: DOIs OR'ed into one esearch term (1,000 DOIs -> 5 searches); their PMIDs then go to
#: efetch in EFETCH_BATCH runs like any other.
ESEARCH_DOI_BATCH = 200
#: A search term longer than this is sent by POST (NCBI asks for POST for long queries).
GET_TERM_CHARS = 1500
#: Bytes without which an efetch reply holds no retraction or concern notice.
NOTICE_MARKERS = (b"RetractionIn", b"ExpressionOfConcernIn", b"Retracted Publication")


def ncbi_params(client: HttpClient) -> dict[str, str]:
    """``tool``, plus ``email`` and ``api_key`` when set: sent on every NCBI call."""
    params = {"tool": TOOL}
    if client.settings.email:
        params["email"] = client.settings.email
    if client.settings.ncbi_api_key:
        params["api_key"] = client.settings.ncbi_api_key
    return params


def eutil_url(client: HttpClient, name: str, ending: str = ".fcgi") -> str:
    """The address of one E-utility (``efetch``, ``esearch``…) at the configured base
    (``ending``: ".cgi" for ECitMatch, as NCBI documents its address)."""
    return f"{client.settings.eutils_url.rstrip('/')}/{name}{ending}"


def answered(response: requests.Response, name: str) -> requests.Response:
    """``response`` of the E-utility ``name``; ServiceError when its address answered 404
    (a wrong E-utilities URL in the settings, not "nothing found")."""
    if response.status_code == 404:
        raise ServiceError(f"PubMed's {name} address answered 'not found' (HTTP 404); "
                           "check the E-utilities URL in the settings")
    return response


def _clean_pmids(pmids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in pmids:
        value = identifier_or_empty("pmid", str(raw))
        if not value:
            raise InvalidIdentifier(f"{raw!r} is not a PMID")
        out.append(value)
    return list(dict.fromkeys(out))


def fetch_pmids(client: HttpClient, pmids: Sequence[str]) -> dict[str, ArticleRecord]:
    """PubMed records for ``pmids``, keyed by PMID, in batches of :data:`EFETCH_BATCH`.

    Long batches go by POST. PMIDs efetch silently omits (deleted, never existed) are simply
    absent. Raises NetworkError (unreachable), ServiceError (refused or unreadable answer),
    InvalidIdentifier (an input that is not a PMID).
    """
    return fetch_pmids_noticed(client, pmids)[0]


def fetch_pmids_noticed(client: HttpClient, pmids: Sequence[str]
                        ) -> tuple[dict[str, ArticleRecord], dict[str, list[Notice]]]:
    """:func:`fetch_pmids`, plus the retraction and concern notices the same replies carry
    (PMID -> notices, only for records that have some; issue 17), with no extra request."""
    wanted = _clean_pmids(pmids)
    out: dict[str, ArticleRecord] = {}
    notices: dict[str, list[Notice]] = {}
    for batch in chunks(wanted, EFETCH_BATCH):
        records, found = _efetch(client, batch)
        out.update(records)
        notices.update(found)
    return out, notices


def _efetch(client: HttpClient, batch: list[str]
            ) -> tuple[dict[str, ArticleRecord], dict[str, list[Notice]]]:
    params = {"db": "pubmed", "retmode": "xml", **ncbi_params(client)}
    url = eutil_url(client, "efetch")
    ids = ",".join(batch)
    if len(batch) > POST_THRESHOLD:
        response = client.post("ncbi", url, data={**params, "id": ids})
    else:
        response = client.get("ncbi", url, params={**params, "id": ids})
    answered(response, "efetch")
    try:
        records = parse_pubmed_xml(response.content, origin="PubMed's answer")
        # Notices are rare: the second reading only runs when a reply names one.
        notices = parse_notices(response.content) if any(
            marker in response.content for marker in NOTICE_MARKERS) else {}
    except FormatError as exc:
        raise ServiceError(str(exc)) from None
    wanted = set(batch)
    return ({r.pmid: r for r in records if r.pmid in wanted},
            {p: n for p, n in notices.items() if n and p in wanted})


def search_doi(client: HttpClient, doi: str) -> str | None:
    """The PMID PubMed files under ``doi``, or None unless exactly one record matches."""
    ident = parse_identifier(doi)
    if ident.kind != "doi":
        raise InvalidIdentifier(f"{doi!r} is not a DOI")
    if '"' in ident.value:
        return None  # cannot be quoted as a phrase; no PubMed DOI contains one anyway
    result = search_page(client, f'"{ident.value}"[doi]', 2, "")
    if result.count == 1 and len(result.ids) == 1:
        return result.ids[0]
    return None


def search_dois(client: HttpClient, dois: Sequence[str]) -> list[str]:
    """PMIDs of the PubMed records filed under any of ``dois``, ESEARCH_DOI_BATCH per search.

    One esearch per batch with the DOIs OR'ed (``"A"[doi] OR "B"[doi]``). esearch does not say
    which DOI found which PMID: the caller fetches the PMIDs and matches each record's own DOI
    (case-insensitively) to the DOIs asked, which also drops a record that merely mentions a
    DOI. DOIs holding a double quote are skipped (they cannot be quoted; PubMed has none).
    Raises NetworkError / ServiceError like the other calls.
    """
    quotable = [d for d in dict.fromkeys(d.strip() for d in dois) if d and '"' not in d]
    found: list[str] = []
    for batch in chunks(quotable, ESEARCH_DOI_BATCH):
        term = " OR ".join(f'"{d}"[doi]' for d in batch)
        # A DOI may match a record and its erratum: room for more PMIDs than DOIs.
        found.extend(search_page(client, term, min(10_000, 2 * len(batch) + 10), "").ids)
    return list(dict.fromkeys(found))


def search_pii(client: HttpClient, pii: str) -> list[str]:
    """PMIDs of the PubMed records whose article identifiers (``[aid]``, MEDLINE's AID: "the
    pii (controlled publisher identifier) or doi") hold the Elsevier PII ``pii``, asked in
    both forms publishers deposit it: printed ("S0140-6736(05)66954-1") and compact."""
    from spinelib.pii import compact_pii, printed_pii

    compact = compact_pii(pii)
    if not compact:
        raise InvalidIdentifier(f"{pii!r} is not an Elsevier PII")
    return search_aid(client, printed_pii(compact), compact)


def search_aid(client: HttpClient, *values: str) -> list[str]:
    """PMIDs of the PubMed records whose article identifiers (``[aid]``) hold any of
    ``values``: an Elsevier PII in its forms, an NCBI Bookshelf ID (a book record's ``AID -
    NBK441938 [bookaccession]``)."""
    return search(client, " OR ".join(f'"{v}"[aid]' for v in values))


def search(client: HttpClient, term: str, retmax: int = 5) -> list[str]:
    """The PMIDs (``retmax`` at most) of one esearch for ``term``, a PubMed query."""
    return search_page(client, term, retmax, "").ids


def search_page(client: HttpClient, term: str, retmax: int, sort: str,
                retstart: int = 0) -> SearchResult:
    """One esearch for ``term``: the hit count and ``retmax`` PMIDs from the ``retstart``-th
    (0 = the first) in ``sort``'s order (esearch's own, "" being its default: most recent
    first). A long term (the DOI searches' 200 DOIs, a systematic review's search string)
    goes by POST, as NCBI asks for long queries. Every esearch of this module is one of
    these."""
    params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(retmax),
              "retstart": str(retstart), **({"sort": sort} if sort else {}),
              **ncbi_params(client)}
    url = eutil_url(client, "esearch")
    return _esearch_reply(client.post("ncbi", url, data=params) if len(term) > GET_TERM_CHARS
                          else client.get("ncbi", url, params=params))


def search_ids(response: requests.Response) -> list[str]:
    """The PMIDs of an esearch reply (the watches' date-window search reads its own)."""
    return _esearch_reply(response).ids


def _esearch_reply(response: requests.Response) -> SearchResult:
    """An esearch reply read; ServiceError for a wrong address or an unreadable reply."""
    answered(response, "esearch")
    try:
        return parse_esearch(response.content)
    except FormatError as exc:
        raise ServiceError(str(exc)) from None


def fetch_elink_refs(client: HttpClient, pmid: str) -> list[str]:
    """PMIDs of the articles ``pmid`` cites, as PubMed links them (``pubmed_pubmed_refs``).

    This is a set, not the article's reference order; [] when PubMed has no such links.
    """
    return elink(client, pmid, "pubmed_pubmed_refs",
                 lambda data, _pmid: parse_elink(data).get("pubmed_pubmed_refs", []))


def elink(client: HttpClient, pmid: str, linkname: str, parse: Callable[[bytes, str], Read],
          **extra: str) -> Read:
    """One elink request for ``pmid``'s ``linkname`` links (``extra``: more parameters,
    ``cmd=neighbor_score``), its reply read by ``parse(data, pmid)``; InvalidIdentifier for
    a ``pmid`` that is none, ServiceError for a wrong address or an unreadable reply."""
    bare = identifier_or_empty("pmid", pmid)
    if not bare:
        raise InvalidIdentifier(f"{pmid!r} is not a PMID")
    params = {"dbfrom": "pubmed", "db": "pubmed", "id": bare, "linkname": linkname,
              "retmode": "xml", **extra, **ncbi_params(client)}
    response = answered(client.get("ncbi", eutil_url(client, "elink"), params=params),
                        "elink")
    try:
        return parse(response.content, bare)
    except FormatError as exc:
        raise ServiceError(str(exc)) from None


def convert_ids(client: HttpClient, ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """What the PMC ID converter knows about each of ``ids`` (PMIDs, PMCIDs or DOIs).

    Returns, per requested id that the converter recognised, a dict with normalised
    ``pmid``/``pmcid``/``doi``. Ids of one kind go together (the service requires it), up
    to :data:`IDCONV_BATCH` per call. Only articles in PMC are known to the converter.
    """
    groups: dict[str, list[str]] = {}
    for raw in dict.fromkeys(ids):
        ident = parse_identifier(raw)
        groups.setdefault(ident.kind, []).append(raw)
    out: dict[str, dict[str, str]] = {}
    for kind, members in groups.items():
        for batch in chunks(members, IDCONV_BATCH):
            out.update(_idconv(client, kind, batch))
    return out


def _idconv(client: HttpClient, kind: str, batch: list[str]) -> dict[str, dict[str, str]]:
    params = {"ids": ",".join(parse_identifier(b).value for b in batch), "idtype": kind,
              "format": "json", "versions": "no", **ncbi_params(client)}
    params.pop("api_key", None)  # the converter does not take one; keep it off the wire
    response = client.get("ncbi", client.settings.idconv_url, params=params)
    if response.status_code == 404:
        raise ServiceError("the PMC ID converter address answered 'not found' (HTTP 404); "
                           "check its URL in the settings")
    try:
        payload = response.json()
    except ValueError:
        raise ServiceError("the PMC ID converter did not answer with JSON") from None
    if isinstance(payload, dict) and payload.get("status") == "error":
        raise ServiceError(f"the PMC ID converter refused the request: "
                           f"{str(payload.get('message') or payload.get('errmsg') or '')[:200]}")
    try:
        return parse_idconv(payload, batch)
    except FormatError as exc:
        raise ServiceError(str(exc)) from None
