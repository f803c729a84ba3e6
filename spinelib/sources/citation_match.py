"""The DOI of a cited work found from its citation text: Crossref's bibliographic query, each
answer checked against what the citation says.

Why: a reference list read from Scopus or Web of Science gives many cited works without any
identifier ("Bilsky M.H., Laufer I., …, J Neurosurg Spine, 13, 3, pp. 324-328, (2010)"), and
a resident chasing a key paper's references can import only those with one. Crossref's
``/works?query.bibliographic=…`` is the field query its REST API documents for this ("query
bibliographic information, useful for citation look up, includes titles, authors, ISSNs and
publication years"); it takes up to a whole citation. ``select`` keeps each answer to the
fields checked.

Promises:

- **Never a wrong DOI on a guess.** Crossref always ranks *something* first, so an answer is
  taken only when the citation agrees with it: the same year (one either way: online and
  print), the first author's family name in the citation, and either most of the work's
  title words in the citation or its volume and first page among the citation's numbers;
  a correction or retraction notice (which repeats the work's title, authors and year) is
  taken only for a citation of the notice. A citation with no year is not looked up.
- Requests are Crossref's list class (``crossref_list``: 3/s and 3 in flight in the polite
  pool, 1/s and 1 in the public pool, :mod:`spinelib.sources.limits`), run side by side up
  to that, with the client's timeouts, retries and ``Retry-After``.
- A network failure ends the run (the service is down): what was found before is returned
  with the error; a cancel stops asking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from spinelib.citationtext import YEAR_RE, plainly_names
from spinelib.errors import NetworkError, SpineLibError
from spinelib.records import ArticleRecord
from spinelib.sources.crossref_batch import list_message, list_request, usable_work
from spinelib.sources.http import HttpClient, json_body
from spinelib.sources.parallel import run_each

#: Works asked for per citation: the first is nearly always the one, when there is one.
ROWS = 3
#: Characters of a citation sent (a long one adds nothing to the match, and the URL).
MAX_QUERY_CHARS = 400


@dataclass
class DoiSearch:
    """What a search found: DOIs by reference position, how many citations were asked about,
    and the error that ended it early (None when every one was asked)."""

    found: dict[int, str] = field(default_factory=dict)
    asked: int = 0
    error: SpineLibError | None = None
    #: The citations whose own search failed, with the error (the others asked found none).
    failures: dict[int, SpineLibError] = field(default_factory=dict)


def agrees(citation: str, work: ArticleRecord) -> bool:
    """Whether ``citation`` is plainly ``work``, a work with a DOI (see the module's
    promises and :func:`~spinelib.citationtext.plainly_names`)."""
    family = next((a.family for a in work.authors if a.family), "")
    return bool(work.doi) and plainly_names(citation, year=work.year, family=family,
                                            title=work.title, volume=work.volume,
                                            pages=work.pages)


def find_doi(client: HttpClient, citation: str) -> str:
    """The DOI of the work ``citation`` names, '' when Crossref has none that agrees
    (:func:`agrees`); raises NetworkError or ServiceError as the client does."""
    if not YEAR_RE.search(citation):
        return ""
    return first_agreeing(client, citation, partial(agrees, citation), "a citation search")


def first_agreeing(client: HttpClient, query: str, agreeing: Callable[[ArticleRecord], bool],
                   what: str) -> str:
    """The DOI of the first of Crossref's :data:`ROWS` answers to the bibliographic
    ``query`` (its first :data:`MAX_QUERY_CHARS` characters) that is ``agreeing``, ''
    when none is; ``what`` names the search in an error."""
    response = list_request(client, {"query.bibliographic": query[:MAX_QUERY_CHARS],
                                     "rows": str(ROWS),
                                     "select": "DOI,title,author,issued,volume,page,type"})
    items = list_message(json_body(response, f"Crossref ({what})"))["items"]
    for item in items:
        work = usable_work(item)
        if work is not None and agreeing(work):
            return work.doi
    return ""


def find_dois(client: HttpClient, cited: Sequence[tuple[int, str]], *,
              cancelled: Callable[[], bool] = lambda: False,
              progress: Callable[[int, int], None] | None = None) -> DoiSearch:
    """DOIs for the citations ``cited`` ((position, citation) pairs), asked side by side as
    Crossref's list class allows; see the module's promises. ``progress(asked, total)``
    after each answer."""
    search = DoiSearch()
    workers = client.gates["crossref_list"].limit
    for position, outcome in run_each(partial(_attempt, client, dict(cited)),
                                      [p for p, _ in cited], workers=workers,
                                      cancelled=lambda: cancelled() or
                                      isinstance(search.error, NetworkError)):
        search.asked += 1
        if progress is not None:
            progress(search.asked, len(cited))
        if isinstance(outcome, SpineLibError):
            search.error = search.error or outcome
            search.failures[position] = outcome
            if isinstance(outcome, NetworkError):
                break
        elif outcome:
            search.found[position] = outcome
    return search


def _attempt(client: HttpClient, cited: dict[int, str], position: int) -> str | SpineLibError:
    try:
        return find_doi(client, cited[position])
    except SpineLibError as exc:
        return exc
