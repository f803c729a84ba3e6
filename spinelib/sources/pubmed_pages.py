"""The PubMed record an article's address names by its place (:mod:`spinelib.journalpages`:
the Journal of Neurosurgery's journal, volume and first page; Wolters Kluwer's year and the
first words of the title).

One esearch for the place (:meth:`~spinelib.journalpages.JournalPage.term`, five PMIDs at
most, or a hundred when the journal cannot be searched for), then one esummary of what it
found; the PMIDs whose summaries agree with every part the address gives
(:meth:`~spinelib.journalpages.JournalPage.matches`), of which the import takes one only
when it is the only one, so an address costs a "not found", never a wrong article.
Requests go through the shared client: timeouts, retries on 429/5xx honouring Retry-After,
and NCBI's published rate (3 a second without an API key, 10 with one:
:mod:`spinelib.sources.limits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.journalpages import JournalPage
from spinelib.sources.pubmed import search
from spinelib.sources.pubmed_summaries import fetch_summaries

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient


def pmids_at(client: HttpClient, page: JournalPage) -> list[str]:
    """The PMIDs of the PubMed articles that agree with every part of ``page`` (the caller
    takes one only when it is the only one); raises NetworkError or ServiceError as the
    client does."""
    pmids = search(client, page.term(), retmax=page.candidates)
    if not pmids:
        return []
    summaries = fetch_summaries(client, pmids)
    return [p for p in pmids if p in summaries and page.matches(summaries[p])]
