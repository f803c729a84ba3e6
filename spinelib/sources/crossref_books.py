"""Books by ISBN -> Crossref's book records: a textbook imported by its ISBN, and the book
a chapter is in (its editors and edition, which Crossref's chapter records seldom carry).

Publishers that register DOIs for their books (Elsevier, Springer, Thieme, Wiley, De
Gruyter…) deposit each book's ISBNs with it, and a chapter's record carries its book's
ISBNs too. Crossref's ``/works`` list filters on them (``filter=isbn:…``, its REST API's
"works" filters) and on the work type (``type:book``…); filters of one name are OR'ed and
of different names AND'ed, so ``isbn:A,isbn:B,type:book,type:edited-book,…`` asks for the
books (never their hundreds of chapters) holding any of :data:`ISBN_BATCH` ISBNs in one
request. The book's record carries what a chapter's citation needs of it: the editors
(``editor``), the edition (``edition-number``), the publisher and its place.

Limits: list requests are charged to ``crossref_list`` (3/s and 3 in flight in the polite
pool, 1/s and 1 in the public pool: :mod:`spinelib.sources.limits`); retries, back-off and
``Retry-After`` are the client's.

Promise of :func:`books_by_isbn`: a record for each ISBN a book Crossref knows lists (keyed
by the ISBN-13's digits, :func:`spinelib.isbn.isbn13`); an ISBN no book lists is absent. A
failed request raises (NetworkError when the service is unreachable, ServiceError for an
unreadable answer): the caller decides what becomes of the ISBNs it asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinelib.formats.crossref_updates import cited_by_count
from spinelib.isbn import isbn13
from spinelib.sources.crossref_batch import KeyedAnswers, list_pages, usable_work
from spinelib.sources.http import HttpClient
from spinelib.sources.parallel import chunks

#: ISBNs per list request (a book lists two or three: rows for all of them).
ISBN_BATCH = 40
#: Crossref's work types of a whole book (its chapters are ``book-chapter``, ``book-part``…).
BOOK_TYPES = ("book", "edited-book", "monograph", "reference-book")


#: What Crossref said about a set of ISBNs (keys: ISBN-13 digits).
BookAnswers = KeyedAnswers


def books_by_isbn(client: HttpClient, isbns: Sequence[str]) -> BookAnswers:
    """Crossref's book records for ``isbns`` (any valid form); see the module docstring."""
    wanted = list(dict.fromkeys(d for d in map(isbn13, isbns) if d))
    answers = BookAnswers()
    for batch in chunks(wanted, ISBN_BATCH):
        params = {"filter": ",".join([*(f"isbn:{i}" for i in batch),
                                      *(f"type:{t}" for t in BOOK_TYPES)]),
                  "rows": str(3 * len(batch))}
        asked = set(batch)
        for items in list_pages(client, params, f"books by {len(batch)} ISBNs"):
            answers.requests += 1
            for item in items:
                _take(item, asked, answers)
    return answers


def _take(item: Any, wanted: set[str], answers: BookAnswers) -> None:
    """Keep ``item`` for each wanted ISBN it lists (the first book answered keeps one)."""
    listed = item.get("ISBN") if isinstance(item, dict) else None
    if not isinstance(listed, list):
        return
    isbns = {isbn13(i) for i in listed if isinstance(i, str)} & wanted
    record = usable_work(item) if isbns else None
    if record is None or record.type != "book":
        return
    for isbn in isbns:
        answers.records.setdefault(isbn, record)
    count = cited_by_count(item)
    if count is not None:
        answers.counts[record.doi.lower()] = count
