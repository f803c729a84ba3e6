"""The bulk import path (issue 19): records merged in large batches, linear in their number.

Every import goes through :meth:`BulkMerger.add_records` (``lib.articles.add_records``). Per
batch (one transaction):

1. the batch's identifiers are looked up as sets (live articles, merge aliases, the trash)
   and so are the title keys of its records without identifiers: one statement per few
   hundred values, not several per record;
2. walking the records in order, a record that is plainly *new* (none of its identifiers
   known, nor seen earlier in the batch; without identifiers, no stored or earlier entry it
   could be the same as) joins the current *run*; any other record (a duplicate inside the
   file, an article already in the library or the trash) first ends the run, then goes
   through the per-record merge of :mod:`spinelib.library.merge`, which states the policy;
3. a run is written whole: citation keys, ids, tag suggestions and facets computed in
   Python (each record's text folded once for all vocabulary rules), then one
   ``executemany`` per table and the full-text rows.

Promises: the result is exactly what merging the same records one by one gives (same ids,
citation keys, rows, messages and results in order), because runs hold only records the
per-record merge would insert, in the same order. A run is written inside a savepoint: if
anything in it fails, the savepoint is rolled back and its records are merged one by one,
each in its own savepoint, so a failing record is reported ``failed`` and no half article is
ever kept. Each batch commits on its own: a killed import keeps the batches committed, and
importing the file again completes it (those articles come back ``unchanged``).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from spinelib.errors import SpineLibError
from spinelib.library.bulk_keys import CitekeyBook
from spinelib.records import ArticleRecord, as_stored
from spinelib.results import AddResult, ReadStatus, TagOrigin
from spinelib.store.connection import Connection
from spinelib.store.gcpause import gc_paused
from spinelib.store.mapping import record_values, title_key, utcnow
from spinelib.store.schema import IDENTIFIER_COLUMNS

if TYPE_CHECKING:
    from spinelib.bulkvocab import Answers
    from spinelib.library.facade import Library

log = logging.getLogger(__name__)
#: Records per transaction of the bulk path (the issue asks for 500-2,000).
BULK_BATCH = 1000
#: Titles shorter than this (letters and digits) are too generic to match on (the merge's
#: rule for records without identifiers, :mod:`spinelib.library.merge`).
MIN_TITLE_KEY = 20


class OneByOne(Protocol):
    """The per-record merge (:class:`spinelib.library.merge.Merger`)."""

    def merge(self, conn: Connection, rec: ArticleRecord, tag_ids: Sequence[str],
              suggest_tags: bool) -> AddResult: ...


def identifiers_of(rec: ArticleRecord) -> list[tuple[str, str]]:
    """The record's identifiers as stored: (column, normalised value), known ones only."""
    return [(c, v) for c, v in zip(IDENTIFIER_COLUMNS, (rec.doi.lower(), rec.pmid, rec.pmcid),
                                   strict=True) if v]


@dataclass
class _Batch:
    """What is known about one batch while it is walked in order."""

    known: set[tuple[str, str]]
    twins: set[tuple[str, int]]
    seen: set[tuple[str, str]] = field(default_factory=set)
    seen_twins: set[tuple[str, int]] = field(default_factory=set)


@dataclass
class _New:
    """One record of a run, ready to be written."""

    index: int
    rec: ArticleRecord
    article_id: int
    citekey: str
    messages: list[str]
    values: dict[str, Any]
    stored: ArticleRecord


#: Container objects alive since the last collection beyond which a batch ends with one
#: (:meth:`BulkMerger._commit`). Reference counting frees a batch's objects as it ends; what
#: stays young are the next batch's records, read ahead: 90,000-100,000 objects a batch of
#: a 10,000-record PubMed import, where a pass after every batch found nothing to free in
#: 50-90 ms (0.63 s of the import, as much again as a 20,000-entry .bib's 20 passes). A
#: batch that did leave cycles behind grows the count past this within a few batches.
YOUNG_OBJECTS_COLLECTED = 500_000


class BulkMerger:
    """Writes records in batches; records that are not plainly new go through ``merger``."""

    def __init__(self, lib: Library, merger: OneByOne) -> None:
        self.lib = lib
        self.store = lib.store
        self.merger = merger
        self._known: Answers = {}

    def add_records(self, records: Iterable[ArticleRecord], *, tags: Sequence[str] = (),
                    suggest_tags: bool = True, batch: int = BULK_BATCH,
                    on_result: Callable[[AddResult], None] | None = None,
                    known: Answers | None = None) -> list[AddResult]:
        """Merge ``records`` in transactions of ``batch``; one result per record, in order.
        ``records`` is consumed lazily, so a streamed parse keeps memory flat. ``known``:
        vocabulary answers already found for some of these record objects (by ``id()``,
        with this ``suggest_tags``; :mod:`spinelib.bulkvocab`), used instead of asking."""
        self._known = known or {}
        tag_ids = [self.lib.tags.resolve(t) for t in tags]
        results: list[AddResult] = []
        pending: list[ArticleRecord] = []
        with gc_paused():
            for rec in records:
                pending.append(rec)
                if len(pending) >= max(1, batch):
                    results.extend(self._commit(pending, tag_ids, suggest_tags, on_result))
                    pending = []
            if pending:
                results.extend(self._commit(pending, tag_ids, suggest_tags, on_result))
        return results

    def _commit(self, recs: Sequence[ArticleRecord], tag_ids: Sequence[str], suggest_tags: bool,
                on_result: Callable[[AddResult], None] | None) -> list[AddResult]:
        with self.store.writing() as conn, self.store.bulk.roomy_cache(conn):
            results = self._write_batch(conn, recs, tag_ids, suggest_tags)
        # The cycle collector is paused for the import (a batch makes hundreds of thousands
        # of acyclic objects, and its automatic passes re-walked every survivor: about a
        # fifth of a 10k import's CPU, measured). A pass over what is young frees any cycle
        # batches made, so memory stays flat; it runs only once they could have piled up.
        if gc.get_count()[0] > YOUNG_OBJECTS_COLLECTED:
            gc.collect(1)
        # Records merged one by one into articles already here were folded through the
        # vocabulary's text caches, which would otherwise hold every text until full (a
        # re-import of 10,000 articles: 158 -> 390 MB, measured).
        from spinelib.vocabulary.batch import release_text_caches

        release_text_caches()
        if on_result:
            for res in results:
                on_result(res)
        return results

    # ---- one batch
    def _write_batch(self, conn: Connection, recs: Sequence[ArticleRecord],
                     tag_ids: Sequence[str], suggest_tags: bool) -> list[AddResult]:
        state = self._look_up(conn, recs)
        results: list[AddResult | None] = [None] * len(recs)
        run: list[int] = []
        for i, rec in enumerate(recs):
            if self._plainly_new(rec, state):
                run.append(i)
            else:
                self._write_run(conn, recs, run, results, tag_ids, suggest_tags)
                run = []
                results[i] = self._merge_one(conn, rec, tag_ids, suggest_tags)
            idents = identifiers_of(rec)
            state.seen.update(idents)
            twin = None if idents else twin_key(rec)
            if twin is not None:
                state.seen_twins.add(twin)
        self._write_run(conn, recs, run, results, tag_ids, suggest_tags)
        return [r for r in results if r is not None]

    def _look_up(self, conn: Connection, recs: Sequence[ArticleRecord]) -> _Batch:
        wanted: dict[str, list[str]] = {c: [] for c in IDENTIFIER_COLUMNS}
        twins: list[tuple[str, int]] = []
        for rec in recs:
            idents = identifiers_of(rec)
            for column, value in idents:
                wanted[column].append(value)
            twin = None if idents else twin_key(rec)
            if twin is not None:
                twins.append(twin)
        bulk = self.store.bulk
        return _Batch(bulk.known_identifiers(conn, wanted),
                      bulk.identifierless_twins(conn, twins))

    @staticmethod
    def _plainly_new(rec: ArticleRecord, state: _Batch) -> bool:
        """True when the per-record merge would certainly insert ``rec`` as a new article."""
        idents = identifiers_of(rec)
        if idents:
            return not any(i in state.known or i in state.seen for i in idents)
        twin = twin_key(rec)
        return twin is None or (twin not in state.twins and twin not in state.seen_twins)

    def _merge_one(self, conn: Connection, rec: ArticleRecord, tag_ids: Sequence[str],
                   suggest_tags: bool) -> AddResult:
        """The per-record merge in its own savepoint (a failure is a ``failed`` result)."""
        try:
            with conn.savepoint():
                return self.merger.merge(conn, rec, tag_ids, suggest_tags)
        except SpineLibError as exc:
            return AddResult(0, "failed", "", rec.label(), [str(exc)])
        except Exception as exc:
            log.exception("storing %s failed", rec.label())
            return AddResult(0, "failed", "", rec.label(),
                             [f"internal error: {exc!r} (details in the log)"])

    # ---- a run of new records
    def _write_run(self, conn: Connection, recs: Sequence[ArticleRecord], run: Sequence[int],
                   results: list[AddResult | None], tag_ids: Sequence[str],
                   suggest_tags: bool) -> None:
        """Insert the run's records together; on any failure, one by one instead."""
        if not run:
            return
        try:
            with conn.savepoint():
                written = self._insert_run(conn, [(i, recs[i]) for i in run], tag_ids,
                                           suggest_tags)
        except Exception:
            log.warning("a batch of %d new records failed; storing them one by one", len(run),
                        exc_info=True)
            for i in run:
                results[i] = self._merge_one(conn, recs[i], tag_ids, suggest_tags)
            return
        for new in written:
            results[new.index] = AddResult(new.article_id, "imported", new.citekey,
                                           new.stored.label(), new.messages)

    def _insert_run(self, conn: Connection, items: Sequence[tuple[int, ArticleRecord]],
                    tag_ids: Sequence[str], suggest_tags: bool) -> list[_New]:
        news = self._prepare(conn, items)
        bulk, tags = self.store.bulk, self.store.tags
        # _prepare numbers the run from the next free id, one after another.
        with bulk.counted_run(conn, news[0].article_id, news[-1].article_id):
            bulk.insert_articles(conn, [n.values for n in news])
            bulk.insert_authors(conn, [(n.article_id, n.rec.authors) for n in news])
            bulk.insert_references(conn, [(n.article_id, n.rec.references) for n in news])
            tags.assign(conn, [(n.article_id, t) for n in news for t in tag_ids],
                        TagOrigin.USER)
            suggested, facet_rows = self._vocabulary(news, suggest_tags)
            tags.suggest(conn, suggested)
            bulk.insert_facets(conn, facet_rows)
        self._index(conn, news, tag_ids, suggested)
        return news

    def _prepare(self, conn: Connection, items: Sequence[tuple[int, ArticleRecord]]
                 ) -> list[_New]:
        """Citation keys (free in the library and in the run), ids and rows, in order."""
        keys = CitekeyBook(conn, self.store.bulk, [rec for _, rec in items])
        next_id = self.store.snapshots.next_id(conn)
        now = utcnow()
        news: list[_New] = []
        for index, rec in items:
            citekey, messages = keys.assign(rec)
            values = record_values(rec)
            values.update(citekey=citekey, doi=rec.doi.lower() or None, pmid=rec.pmid or None,
                          pmcid=rec.pmcid or None, added_at=now, updated_at=now,
                          notes=rec.notes, read_status=int(ReadStatus.UNREAD), rating=0,
                          id=next_id)
            stored = as_stored(rec, citekey)
            news.append(_New(index, rec, next_id, citekey, messages, values, stored))
            next_id += 1
        return news

    def _vocabulary(self, news: Sequence[_New], suggest_tags: bool
                    ) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str, str]]]:
        """Tag suggestions and facet values of the run, each record's text folded once."""
        from spinelib.vocabulary.batch import release_text_caches, suggestions_and_facets

        suggested: list[tuple[int, str, str]] = []
        facet_rows: list[tuple[int, str, str, str]] = []
        taxonomy = self.lib.taxonomy
        for n in news:
            found = self._known.get(id(n.rec))
            sgs, fvs = found if found is not None else suggestions_and_facets(
                n.stored, taxonomy, suggest_tags=suggest_tags)
            suggested.extend((n.article_id, sg.tag_id, sg.reason) for sg in sgs)
            facet_rows.extend((n.article_id, fv.facet, fv.value, fv.reason) for fv in fvs)
        release_text_caches()  # each text was folded once: keep the import's memory flat
        return suggested, facet_rows

    def _index(self, conn: Connection, news: Sequence[_New], tag_ids: Sequence[str],
               suggested: Sequence[tuple[int, str, str]]) -> None:
        """The run's full-text rows, written from what was just stored (as
        :meth:`FulltextSql.reindex <spinelib.store.fulltext.FulltextSql.reindex>` writes
        them), without reading each article's tags back."""
        per_article: dict[int, set[str]] = {n.article_id: set(tag_ids) for n in news}
        for article_id, tag_id, _reason in suggested:
            per_article[article_id].add(tag_id)
        labels = self.store.bulk.tag_labels(
            conn, {t for ids in per_article.values() for t in ids})
        docs = []
        for n in news:
            s = n.stored
            tag_text = " ".join(f"{t} {labels[t]}" for t in sorted(per_article[n.article_id])
                                if t in labels)
            docs.append((n.article_id, self.store.fulltext.columns(s, tag_text)))
        self.store.bulk.index_new(conn, docs)


def twin_key(rec: ArticleRecord) -> tuple[str, int] | None:
    """(title key, year) when the merge could take ``rec`` (without identifiers) for a stored
    entry read again (``Merger._same_entry_again``): a long title (``MIN_TITLE_KEY`` letters
    and digits, enough to tell works apart), or a short one with a citation key or a volume
    and pages to agree on."""
    key = title_key(rec.title)
    if not key or not rec.year or not (
            len(key) >= MIN_TITLE_KEY or rec.citekey or (rec.volume and rec.pages)):
        return None
    return key, rec.year
