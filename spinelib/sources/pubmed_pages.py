"""The PubMed record an article's address names by its place (:mod:`spinelib.journalpages`:
the Journal of Neurosurgery's journal, volume and first page; Wolters Kluwer's year and the
first words of the title).

One esearch for the place (:meth:`~spinelib.journalpages.JournalPage.term`, five PMIDs at
most, or a hundred when the journal cannot be searched for), then one esummary of what it
found; the PMID is taken only when exactly one summary agrees with every part the address
gives (:meth:`~spinelib.journalpages.JournalPage.matches`), so an address costs a "not
found", never a wrong article. Requests go through the shared client: timeouts, retries on
429/5xx honouring Retry-After, and NCBI's published rate (3 a second without an API key,
10 with one: :mod:`spinelib.sources.limits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.journalpages import JournalPage
from spinelib.sources.pubmed import search
from spinelib.sources.pubmed_summaries import fetch_summaries

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient


def pmid_at(client: HttpClient, page: JournalPage) -> str:
    """The PMID of the one PubMed article ``page`` names, '' when none (or several) agree;
    raises NetworkError or ServiceError as the client does."""
    pmids = search(client, page.term(), retmax=page.candidates)
    if not pmids:
        return ""
    summaries = fetch_summaries(client, pmids)
    agreeing = [p for p in pmids if p in summaries and page.matches(summaries[p])]
    return agreeing[0] if len(agreeing) == 1 else ""
