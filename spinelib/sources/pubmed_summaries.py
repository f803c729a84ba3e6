"""PubMed's summaries of articles (esummary): enough to list an article without fetching its
record (the similar articles, :mod:`spinelib.sources.pubmed_similar`), and to check a
look-up's answer before taking it (a citation's, :mod:`spinelib.sources.pubmed_citmatch`;
a journal address's, :mod:`spinelib.sources.pubmed_pages`).

``esummary.fcgi?db=pubmed&retmode=json&id=…`` answers ``{"result": {"uids": [...],
"<uid>": {"title", "authors": [{"name": "Laufer I"}], "source": "J Neurosurg Spine",
"fulljournalname", "pubdate": "2013 Mar", "volume", "issue", "pages", "articleids":
[{"idtype": "doi", "value": …}, {"idtype": "pmc", …}]}}}`` (the recorded
``ualib_esummary_27933103.json``). 200 ids a request, by POST, through the shared client
(timeouts, retries on 429/5xx honouring Retry-After, NCBI's published rate:
:mod:`spinelib.sources.limits`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spinelib.errors import FormatError, ServiceError
from spinelib.formats.jats_text import plain_text
from spinelib.identifiers import identifier_or_empty
from spinelib.sources.parallel import chunks
from spinelib.sources.pubmed import answered, eutil_url, ncbi_params
from spinelib.text import scalar_text

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Ids per esummary request (sent by POST).
SUMMARY_BATCH = 200


@dataclass(frozen=True)
class PubMedSummary:
    """What esummary gives to list one PubMed article by."""

    pmid: str
    citation: str
    title: str
    year: int | None
    doi: str = ""
    pmcid: str = ""
    #: The first author's family name ("Bilsky" of "Bilsky MH"), a look-up's answer is
    #: checked against (:mod:`spinelib.sources.pubmed_citmatch`), with the volume and pages.
    first_author: str = ""
    volume: str = ""
    pages: str = ""
    #: The journal's NLM abbreviation ("J Neurosurg Spine": esummary's ``source``), and
    #: its full name ("Journal of neurosurgery. Spine": ``fulljournalname``).
    journal: str = ""
    full_journal: str = ""


def _names(item: dict[str, Any]) -> list[str]:
    """The authors' names as esummary writes them ("Bilsky MH"), groups left out."""
    names = [scalar_text(a.get("name")) for a in item.get("authors") or []
             if isinstance(a, dict) and a.get("authtype", "Author") == "Author"]
    return [n for n in names if n]


def _family(name: str) -> str:
    """"Bilsky" of "Bilsky MH", "van der Berg" of "van der Berg J" (MEDLINE writes the
    initials last, in capitals)."""
    family, _, initials = name.rpartition(" ")
    return family if family and initials.isupper() and initials.isalpha() else name


def _citation(item: dict[str, Any], title: str, year: int | None) -> str:
    """"Laufer I, Rubin DG, Lis E, et al. Title. Oncologist. 2013;18(6):744-51." (Vancouver's
    order: six authors, then et al.)."""
    names = _names(item)
    who = ", ".join(names[:6]) + (", et al" if len(names) > 6 else "")
    volume, issue, pages = (scalar_text(item.get(k)) for k in ("volume", "issue", "pages"))
    where = str(year or "")
    if volume:
        where += f";{volume}" + (f"({issue})" if issue else "")
    if pages:
        where += f":{pages}"
    parts = [who, title.rstrip("."), scalar_text(item.get("source")).rstrip("."), where]
    return ". ".join(p for p in parts if p) + "."


def _summary(uid: str, item: Any) -> PubMedSummary | None:
    if not isinstance(item, dict) or item.get("error"):
        return None
    title = plain_text(scalar_text(item.get("title"))).strip()
    date = scalar_text(item.get("pubdate")) or scalar_text(item.get("sortpubdate"))
    year = int(date[:4]) if date[:4].isdigit() else None
    ids = {scalar_text(i.get("idtype")): scalar_text(i.get("value"))
           for i in item.get("articleids") or [] if isinstance(i, dict)}
    names = _names(item)
    return PubMedSummary(uid, _citation(item, title, year), title.rstrip("."), year,
                         identifier_or_empty("doi", ids.get("doi", "")),
                         identifier_or_empty("pmcid", ids.get("pmc", "")),
                         _family(names[0]) if names else "", scalar_text(item.get("volume")),
                         scalar_text(item.get("pages")), scalar_text(item.get("source")),
                         scalar_text(item.get("fulljournalname")))


def parse_summaries(data: bytes) -> dict[str, PubMedSummary]:
    """PMID -> summary from an esummary JSON reply (ids PubMed reports an error for are
    left out). FormatError for anything else."""
    try:
        payload = json.loads(data)
    except ValueError as exc:
        raise FormatError(f"PubMed's summary answer is not valid JSON ({exc})") from None
    result = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(result, dict) or not isinstance(result.get("uids"), list):
        message = payload.get("error") if isinstance(payload, dict) else None
        raise FormatError("PubMed's summary answer has no result"
                          + (f": {str(message)[:200]}" if message else ""))
    out: dict[str, PubMedSummary] = {}
    for uid in result["uids"]:
        summary = _summary(str(uid), result.get(str(uid)))
        if summary is not None:
            out[summary.pmid] = summary
    return out


def fetch_summaries(client: HttpClient, pmids: Sequence[str]) -> dict[str, PubMedSummary]:
    """PMID -> summary for ``pmids``, :data:`SUMMARY_BATCH` a request (a PMID PubMed no
    longer has is absent)."""
    out: dict[str, PubMedSummary] = {}
    for batch in chunks(list(dict.fromkeys(pmids)), SUMMARY_BATCH):
        params = {"db": "pubmed", "retmode": "json", "id": ",".join(batch),
                  **ncbi_params(client)}
        response = answered(client.post("ncbi", eutil_url(client, "esummary"), data=params),
                            "esummary")
        try:
            out.update(parse_summaries(response.content))
        except FormatError as exc:
            raise ServiceError(str(exc)) from None
    return out


__all__ = ["PubMedSummary", "fetch_summaries", "parse_summaries"]
