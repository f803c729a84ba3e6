"""The PMID of a PDF's paper found from its first page in PubMed, when Crossref has none the
page plainly is: the PDF's title searched word by word in PubMed's titles, each answer
checked against the page.

Why: the classics a spine-oncology library keeps as PDFs (a 1988 *Clin Orthop Relat Res*
paper, an archive's scan with a text layer) were published before their journal's DOIs, so
Crossref's search (:mod:`spinelib.sources.page_match`) finds nothing, and the PDF stayed an
unidentified article; PubMed has the paper, and its record (abstract, MeSH, references).

Promises:

- Asked only with a title of :data:`~spinelib.sources.page_match.MIN_TITLE_WORDS` words or
  more (the PDF's heading, its metadata title, or a kept article's stored title) and a page
  that could be a paper's first page (as Crossref's search asks): else no request.
- One esearch (its title's words of four letters or more, :data:`TITLE_TERMS` at most,
  each ``[ti]``, :data:`CANDIDATES` PMIDs at most), one esummary of what it found.
- **Never a wrong paper**: a PMID is taken only when the page plainly is its first page
  (:func:`~spinelib.sources.page_match.is_page_of`: its whole title word for word, its first
  author, its year one either way) and no other answer is.
- Requests go through the shared client: timeouts, retries on 429/5xx honouring
  Retry-After, NCBI's published rate (3 a second without an API key, 10 with one:
  :mod:`spinelib.sources.limits`); NetworkError or ServiceError as the client raises them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinelib.citationtext import title_words
from spinelib.records import ArticleRecord, Author
from spinelib.sources.page_match import MIN_TITLE_WORDS, is_page_of, page_head
from spinelib.sources.pubmed import search
from spinelib.sources.pubmed_summaries import PubMedSummary, fetch_summaries

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Title words searched (each ``[ti]``, ANDed): enough to narrow PubMed to a handful.
TITLE_TERMS = 8
#: PMIDs read back, at most.
CANDIDATES = 5


def title_term(title: str) -> str:
    """The esearch term for ``title``: its words of four letters or more, each in PubMed's
    titles (``classification[ti] AND instability[ti] …``); '' for a title too short to
    search by."""
    words = list(dict.fromkeys(title_words(title)))
    if len(words) < MIN_TITLE_WORDS:
        return ""
    return " AND ".join(f"{w}[ti]" for w in words[:TITLE_TERMS])


def find_pmid_on_page(client: HttpClient, page: str, title: str, heading: str = "") -> str:
    """The PMID of the paper whose first page ``page`` is, searched by ``title`` (the PDF's
    own), '' when PubMed has none the page plainly is (see the promises); ``heading``: the
    page's own title in its largest type, when known."""
    head = page_head(page)
    term = title_term(title)
    if not term or not head:
        return ""
    pmids = search(client, term, retmax=CANDIDATES)
    summaries = fetch_summaries(client, pmids) if pmids else {}
    agreeing = [p for p in pmids
                if p in summaries and is_page_of(head, _work(summaries[p]), heading)]
    return agreeing[0] if len(agreeing) == 1 else ""


def _work(summary: PubMedSummary) -> ArticleRecord:
    """What the page is checked against: the summary's title, first author and year."""
    authors = [Author(summary.first_author)] if summary.first_author else []
    return ArticleRecord(title=summary.title, authors=authors, year=summary.year,
                         volume=summary.volume, pages=summary.pages, pmid=summary.pmid)
