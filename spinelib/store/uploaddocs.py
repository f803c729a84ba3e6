"""A whole local library read as a team server's documents, batch by batch (issue 13:
``spinelib team create URL --from PATH``).

:func:`spinelib.store.outbox.snapshot` reads one article with six queries, which is right for
the few articles one edit touches and far too slow for a library being uploaded (60,000
queries at 10,000 articles). Here each batch of consecutive articles is read with one range
query per table (every child table has an index leading with ``article_id``), and the small
tables (tags, reading lists and their items) are read once. Both build each document with
:func:`spinelib.store.outbox.assemble`, so only the reading differs.

The authors and references, nine tenths of a document's text, are made into JSON by SQLite
(``json_array`` per row, in the query's guaranteed order) and joined into each article's
arrays, rather than read as rows, copied into lists and encoded again by Python: at 100,000
articles (3 million references) that was 9 of the 18 s of CPU reading took, and most of the
7 s encoding took (issue 19: ``team create --from``, the benchmark's 100k server).

Promises:
- :func:`documents` yields, for every article, exactly what :func:`~spinelib.store.outbox.
  snapshot` gives (its shared document and its private values): the same keys, values and
  orders, once its JSON text is read (``tests/core/test_upload_docs.py`` compares them
  article by article).
- Read only: nothing here writes to the library.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from spinelib.store.connection import Connection
from spinelib.store.outbox import PRIVATE_FIELDS, SHARED_COLUMNS, Snapshot, assemble
from spinelib.store.renames import rename_uuid

#: Articles per batch: a batch's documents are a few MB (~3 KB each with references).
BATCH = 1000
_ARTICLE = (f"SELECT id, {', '.join(SHARED_COLUMNS + PRIVATE_FIELDS)} FROM article "
            "WHERE id BETWEEN :lo AND :hi ORDER BY id")
#: Each article's authors and references as JSON arrays, a row's element made by SQLite
#: (:func:`outbox.assemble` holds the same columns in the same order as lists).
_JSON_CHILDREN: dict[str, str] = {
    "authors": "SELECT article_id, json_array(family, given, initials, collective, orcid) "
               "FROM author WHERE article_id BETWEEN :lo AND :hi ORDER BY article_id, position",
    "references": "SELECT article_id, json_array(position, citation, doi, pmid, pmcid) "
                  'FROM "reference" WHERE article_id BETWEEN :lo AND :hi '
                  "ORDER BY article_id, position",
}
_CHILDREN: dict[str, str] = {
    "tags": "SELECT article_id, tag_id, origin, reason FROM article_tag "
            "WHERE article_id BETWEEN :lo AND :hi",
    "facets": "SELECT article_id, facet, value, reason FROM article_facet "
              "WHERE article_id BETWEEN :lo AND :hi",
}


@dataclass(frozen=True)
class Doc:
    """One uploaded article: its local id, its shared document but for the authors and
    references, those two as JSON text (arrays), and its private values."""

    article_id: int
    shared: Snapshot
    authors_json: str
    references_json: str
    private: Snapshot

    def document_json(self) -> str:
        """The whole shared document as JSON text, as the server stores it."""
        head = json.dumps(self.shared)
        return (f'{head[:-1]}{", " if self.shared else ""}"authors": {self.authors_json}, '
                f'"references": {self.references_json}}}')

    def document(self) -> Snapshot:
        """The whole shared document (what :func:`outbox.snapshot` gives)."""
        return {**self.shared, "authors": json.loads(self.authors_json),
                "references": json.loads(self.references_json)}


def identifier_clashes(conn: Connection, limit: int = 5) -> list[tuple[str, str, list[str]]]:
    """Articles a team server would hold as one: the same DOI (DOIs ignore case, and SpineLib
    stores them in lower case, but a library written by an older version or by hand may not),
    PMID or PMCID. (identifier, value, the articles' citation keys), at most ``limit``."""
    out: list[tuple[str, str, list[str]]] = []
    for ident, expr in (("DOI", "lower(doi)"), ("PMID", "pmid"), ("PMCID", "upper(pmcid)")):
        column = ident.lower()
        for value, keys in conn.all(
                f"SELECT {expr}, group_concat(citekey, char(10)) FROM article "
                f"WHERE {column} IS NOT NULL AND {column} != '' GROUP BY {expr} "
                f"HAVING count(*) > 1 LIMIT {int(limit)}"):
            out.append((ident, str(value), sorted(str(keys).split("\n"))))
    return out[:limit]


def name_events(conn: Connection) -> list[tuple[str, dict[str, Any]]]:
    """Every user tag (parents before children) and reading list as a ``name`` creation
    event (:func:`spinelib.store.names._payload`'s form) with the UUID the server logs it
    under: the empty ones reach a colleague's first copy only this way."""
    tags = {str(t): (str(label), parent) for t, label, parent in conn.all(
        "SELECT id, label, parent FROM tag WHERE origin = 'user' ORDER BY id")}
    events: list[tuple[str, dict[str, Any]]] = []
    done: set[str] = set()

    def add(tag: str, seen: frozenset[str] = frozenset()) -> None:
        label, parent = tags[tag]
        if parent in tags and parent not in done and parent not in seen:
            add(str(parent), seen | {tag})  # a parent first, so a replica can hang it there
        if tag not in done:
            done.add(tag)
            events.append((rename_uuid("tag", tag), {"kind": "tag", "op": "create",
                                                     "name": tag, "label": label,
                                                     "parent": parent}))
    for tag in tags:
        add(tag)
    for name in conn.column("SELECT name FROM reading_list ORDER BY id"):
        events.append((rename_uuid("list", str(name)),
                       {"kind": "list", "op": "create", "name": str(name)}))
    return events


def count(conn: Connection) -> int:
    """How many articles :func:`documents` yields."""
    return int(conn.scalar("SELECT count(*) FROM article"))


def documents(conn: Connection, batch: int | None = None) -> Iterator[list[Doc]]:
    """Every article of the library, in id order, ``batch`` (default :data:`BATCH`) at a
    time (see the module's promises). Run inside one read transaction, so the batches are
    one consistent library."""
    tag_rows = {str(t): (str(label), str(origin)) for t, label, origin in conn.all(
        "SELECT id, label, origin FROM tag")}
    lists: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for article_id, name, position in conn.all(
            "SELECT i.article_id, l.name, i.position FROM reading_list_item i "
            "JOIN reading_list l ON l.id = i.list_id"):
        lists[int(article_id)].append((str(name), int(position)))
    ids = conn.column("SELECT id FROM article ORDER BY id")
    size = batch or BATCH
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        yield _batch(conn, int(chunk[0]), int(chunk[-1]), tag_rows, lists)


def _batch(conn: Connection, lo: int, hi: int, tag_rows: dict[str, tuple[str, str]],
           lists: dict[int, list[tuple[str, int]]]) -> list[Doc]:
    span = {"lo": lo, "hi": hi}
    children: dict[str, dict[int, list[Any]]] = {}
    for name, query in _CHILDREN.items():
        by_article: dict[int, list[Any]] = defaultdict(list)
        for row in conn.all(query, span):
            by_article[int(row[0])].append(row[1:])
        children[name] = by_article
    arrays = {name: _json_arrays(conn, query, span) for name, query in _JSON_CHILDREN.items()}
    out: list[Doc] = []
    for row in conn.all(_ARTICLE, span):
        aid = int(row[0])
        tags = [(t, *tag_rows[t], origin, reason)
                for t, origin, reason in children["tags"].get(aid, ())]
        shared, private = assemble(tuple(row[1:]), (), (), tags,
                                   children["facets"].get(aid, ()), dict(lists.get(aid, [])))
        del shared["authors"], shared["references"]
        out.append(Doc(aid, shared, arrays["authors"].get(aid, "[]"),
                       arrays["references"].get(aid, "[]"), private))
    return out


def _json_arrays(conn: Connection, query: str, span: dict[str, int]) -> dict[int, str]:
    """Article id -> the JSON array of its rows' elements, in the query's order (rows of
    (article id, one element's JSON), ordered by article id)."""
    rows = conn.plain_rows(query, span)
    return {int(aid): f"[{','.join(element for _, element in group)}]"
            for aid, group in groupby(rows, key=itemgetter(0))}
