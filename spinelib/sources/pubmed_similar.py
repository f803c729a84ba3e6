"""PubMed's "Similar articles" of an article: the third way of chasing a key paper, beside
its references and the articles citing it (PubMed ranks its neighbours by the words and MeSH
headings they share, so a paper that cites neither still turns up). They are listed by
their summaries (:mod:`spinelib.sources.pubmed_summaries`).

``elink.fcgi?dbfrom=pubmed&db=pubmed&linkname=pubmed_pubmed&cmd=neighbor_score&id=PMID``
answers an ``eLinkResult`` whose ``pubmed_pubmed`` LinkSetDb holds the neighbours, each a
``<Link><Id>…</Id><Score>…</Score></Link>``; the article itself is among them (the most like
itself) and is dropped. Read best score first; a reply without scores (``cmd=neighbor``,
the recorded ``biopython_elink1.xml``) keeps the order given, which is PubMed's.

Requests go through the shared client (timeouts, retries on 429/5xx honouring Retry-After,
and NCBI's published rate, 3 a second without an API key and 10 with one:
:mod:`spinelib.sources.limits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.sources.ncbi_replies import elink_links
from spinelib.sources.pubmed import elink

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: The neighbours kept of each article, best first: PubMed's "Similar articles" page lists
#: some hundreds, and past the first hundred they drift off the topic.
MOST_SIMILAR = 100
LINK_NAME = "pubmed_pubmed"


def parse_similar(data: bytes, pmid: str) -> list[str]:
    """The PMIDs PubMed links to ``pmid`` as similar, best score first (the order given
    when the reply has no scores), without ``pmid`` itself. FormatError for anything that
    is not an elink reply, or an error reply."""
    scored = elink_links(data, "PubMed similar-articles").get(LINK_NAME, {})
    scored.pop(pmid, None)
    # sorted() is stable: without scores (all 0) PubMed's own order stays.
    return sorted(scored, key=lambda p: -scored[p])


def fetch_similar(client: HttpClient, pmid: str) -> list[str]:
    """The PMIDs of the articles PubMed finds most like ``pmid`` (:data:`MOST_SIMILAR` at
    most), best first; [] when it links none."""
    return elink(client, pmid, LINK_NAME, parse_similar, cmd="neighbor_score")[:MOST_SIMILAR]


__all__ = ["MOST_SIMILAR", "fetch_similar", "parse_similar"]
