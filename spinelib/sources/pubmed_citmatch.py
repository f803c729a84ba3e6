"""The PubMed record of a cited work found from its citation text: NCBI's batch citation
matcher, ECitMatch, each answer checked against the citation as Crossref's are.

Why: a reference list pasted without identifiers is first searched in Crossref
(:mod:`spinelib.sources.citation_match`), which knows works by their DOIs. Much of what a
spine-oncology list cites has none there: the classics of the 1980s and 1990s (Harrington's
Clin Orthop Relat Res papers, numbered by issue only), journals that deposited DOIs late.
PubMed indexes them by journal, volume and first page, and that is what a Vancouver or AMA
citation gives; so the citations Crossref plainly names nothing for are asked of PubMed.

The request, as the E-utilities documentation gives it: ``ecitmatch.cgi?db=pubmed&
retmode=xml&bdata=…``, ``bdata`` one line per citation, ``journal|year|volume|first_page|
author|key|``, the lines joined by a carriage return (``%0D``). The reply is plain text
whatever ``retmode`` says: each line asked, with what was found after its last ``|``: the
PMID, ``NOT_FOUND`` (``NOT_FOUND;INVALID_JOURNAL``), or ``AMBIGUOUS`` with a count or the
PMIDs. (A line that missed may come back without its author; a line is known by its key.)

Promises:

- **Never a wrong PMID on a guess.** The matcher weighs journal, volume and page, and can
  answer an article whose author or year differ; an ambiguous answer is no answer. Each
  PMID it gives is read back with esummary (200 a request) and taken only when the
  citation plainly names it (:func:`~spinelib.citationtext.plainly_names`: first author,
  year, and the title or the volume and first page).
- :data:`CITATIONS_PER_REQUEST` citations a request, GET (the E-utilities take ECitMatch
  by GET): a reference list of 60 citations costs two requests and one esummary. Requests
  go through the shared client: timeouts, retries on 429/5xx honouring Retry-After, and
  NCBI's published rate (3 a second without an API key, 10 with one:
  :mod:`spinelib.sources.limits`).
- A citation that gives no journal, volume or first page (a book, a web page) is not
  asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinelib.citationtext import cited_source, cited_work, plainly_names
from spinelib.errors import ServiceError
from spinelib.identifiers import identifier_or_empty
from spinelib.sources.parallel import chunks
from spinelib.sources.pubmed import answered, eutil_url, ncbi_params
from spinelib.sources.pubmed_summaries import fetch_summaries
from spinelib.text import accent_fold

if TYPE_CHECKING:
    from spinelib.sources.http import HttpClient

#: Citations per ECitMatch request. NCBI documents no limit; a line is some 60-90
#: characters, three times that URL-encoded, so 40 keep the address near 8,000 characters.
CITATIONS_PER_REQUEST = 40
#: What cannot be inside a field of a bdata line (its separators).
_SEPARATORS_RE = re.compile(r"[|\r\n]+")


@dataclass(frozen=True)
class CitationQuery:
    """One line of an ECitMatch request: what a citation says of its work."""

    key: str
    journal: str
    year: int
    volume: str
    first_page: str
    author: str

    def line(self) -> str:
        """``journal|year|volume|first_page|author|key|`` (lower case, as NCBI's examples)."""
        fields = (self.journal, str(self.year), self.volume, self.first_page, self.author,
                  self.key)
        return "".join(_SEPARATORS_RE.sub(" ", f).lower() + "|" for f in fields)


def citation_query(key: str, citation: str) -> CitationQuery | None:
    """The query for ``citation`` under ``key``; None when it gives no journal, volume or
    first page, or no first author and year, to ask by."""
    work, source = cited_work(citation), cited_source(citation)
    if work is None or source is None:
        return None
    return CitationQuery(key, source.journal, work.year, source.volume, source.first_page,
                         accent_fold(work.family))


def parse_citmatch(data: bytes, keys: Sequence[str]) -> dict[str, str]:
    """Key -> PMID of the reply's lines that found exactly one article; a line not found or
    ambiguous, or under a key not asked, is left out. ServiceError for a reply that is not
    ECitMatch's (an HTML error page, an XML error)."""
    text = data.decode("utf-8", "replace")
    wanted = set(keys)
    found: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and not any("|" in line for line in lines):
        raise ServiceError(f"PubMed's citation matcher answered something else: "
                           f"{lines[0][:200]!r}")
    for line in lines:
        fields = [f.strip() for f in line.split("|")]
        key = next((f for f in reversed(fields[:-1]) if f in wanted), None)
        pmid = identifier_or_empty("pmid", fields[-1])  # not NOT_FOUND, not AMBIGUOUS
        if key is not None and pmid:
            found[key] = pmid
    return found


def match_citations(client: HttpClient, queries: Sequence[CitationQuery]) -> dict[str, str]:
    """Key -> PMID the matcher gives, :data:`CITATIONS_PER_REQUEST` queries a request."""
    url = eutil_url(client, "ecitmatch", ".cgi")
    found: dict[str, str] = {}
    for batch in chunks(list(queries), CITATIONS_PER_REQUEST):
        params = {"db": "pubmed", "retmode": "xml",
                  "bdata": "\r".join(q.line() for q in batch), **ncbi_params(client)}
        response = answered(client.get("ncbi", url, params=params), "ecitmatch")
        found.update(parse_citmatch(response.content, [q.key for q in batch]))
    return found


def find_pmids(client: HttpClient, cited: Sequence[tuple[int, str]]) -> dict[int, str]:
    """Position -> PMID of the work each citation of ``cited`` ((position, citation) pairs)
    plainly names in PubMed; see the module's promises. Raises NetworkError or ServiceError
    as the client does."""
    texts = {_key(p): c for p, c in cited}
    queries = [q for q in (citation_query(k, c) for k, c in texts.items()) if q is not None]
    if not queries:
        return {}
    matched = match_citations(client, queries)
    summaries = fetch_summaries(client, list(matched.values())) if matched else {}
    out: dict[int, str] = {}
    for key, pmid in matched.items():
        summary = summaries.get(pmid)
        if summary is not None and plainly_names(
                texts[key], year=summary.year, family=summary.first_author,
                title=summary.title, volume=summary.volume, pages=summary.pages):
            out[int(key.removeprefix("ref"))] = pmid
    return out


def _key(position: int) -> str:
    """A line's key: not a bare number, which its year, volume or page could be."""
    return f"ref{position}"
