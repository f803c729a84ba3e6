"""Merging incoming records into the library: the import policy.

Promises:
- An article sharing a DOI, PMID or PMCID (its own, or one kept as an alias by a merge) is
  updated; an identifier of an article in the trash restores it; otherwise a new one is
  made. A record that shares an identifier with a stored article but is plainly another
  publication (another title *and* another first author: a supplement DOI that Embase gives
  each abstract) is made an article of its own without that identifier, never merged into
  it (:mod:`spinelib.library.otherwork`). The same normalised title, year and first author
  never merges by itself (two PMIDs can be two publications): such twins are duplicate *candidates*
  (:mod:`spinelib.library.duplicates`), except a record without identifiers that is the very
  entry of a stored article without identifiers (the same file read again: same citation
  key, or same title, year, first author, journal, volume and pages).
- Fields the user edited are never filled or changed by an import.
- A merge never erases what the user made: tags, notes, read status, rating and the citation
  key survive any re-import; an incoming record only fills fields that are empty, and a
  retraction or erratum notice can only switch on.
- Records are written in transactions of ``batch`` with a savepoint each: a record that fails
  is rolled back whole (no half article) and reported ``failed`` while the others are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spinelib.citekeys import generate_citekey, is_valid_citekey, rekeyed
from spinelib.errors import SpineLibError
from spinelib.library.bulk import MIN_TITLE_KEY as MIN_TITLE_KEY  # duplicates.py reads it here
from spinelib.library.bulk import BulkMerger, identifiers_of, twin_key
from spinelib.library.otherwork import plainly_another_publication
from spinelib.pubstate import before_publication, ended_by, status_text
from spinelib.records import ArticleRecord, as_stored
from spinelib.results import AddResult, AddStatus, ReadStatus, TagOrigin
from spinelib.store.connection import Connection
from spinelib.store.mapping import (
    first_author_text,
    json_list,
    record_values,
    title_key,
    utcnow,
)
from spinelib.store.schema import FILLABLE, IDENTIFIER_COLUMNS, JSON_LIST_COLUMNS
from spinelib.vocabulary import facets, suggest

if TYPE_CHECKING:
    from spinelib.bulkvocab import Answers
    from spinelib.library.facade import Library

log = logging.getLogger(__name__)


class Merger:
    """Writes records into the library (used by the articles manager)."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def add_records(self, records: Iterable[ArticleRecord], *, tags: Sequence[str] = (),
                    suggest_tags: bool = True, batch: int = 1000,
                    on_result: Callable[[AddResult], None] | None = None,
                    known: Answers | None = None) -> list[AddResult]:
        """Merge records (see the module's promises); ``tags`` are added as the user's own.
        New records are written in bulk (:mod:`spinelib.library.bulk`), the others one by
        one through :meth:`merge`: the same result either way."""
        return BulkMerger(self.lib, self).add_records(
            records, tags=tags, suggest_tags=suggest_tags, batch=batch, on_result=on_result,
            known=known)

    def find_existing(self, conn: Connection, rec: ArticleRecord) -> int | None:
        sql = self.store.articles
        idents = list(zip(IDENTIFIER_COLUMNS, (rec.doi.lower(), rec.pmid, rec.pmcid), strict=True))
        for column, value in idents:
            if value:
                found = sql.id_by_identifier(conn, column, value)
                if found is not None:
                    return found
        for column, value in idents:
            if value:
                found = self.store.edits.alias_owner(conn, column, value)
                if found is not None:
                    return found
        if any(v for _, v in idents):
            return None
        return self._same_entry_again(conn, rec)

    def _same_entry_again(self, conn: Connection, rec: ArticleRecord) -> int | None:
        """A stored article without identifiers that ``rec`` (without identifiers too) is
        the very entry of, with the same title and year: its citation key, or its first
        author, journal, volume and pages all agree (the same file read again). A title too
        short to tell works apart ("Editorial", "The NOMS framework") needs the first author
        as well as the key, or a volume and pages to agree on. Anything less is a duplicate
        candidate, never a merge."""
        sql = self.store.articles
        twin = twin_key(rec)
        if twin is None:
            return None
        key, year = twin
        short = len(key) < MIN_TITLE_KEY
        family = title_key(rec.first_author_family())
        new = record_values(rec)
        for row_id, first in sql.ids_by_title(conn, key, year):
            row = sql.row(conn, row_id)
            if row is None or row["doi"] or row["pmid"] or row["pmcid"]:
                continue
            same_author = title_key(first).startswith(family)
            if rec.citekey and row["citekey"] == rec.citekey and (same_author or not short):
                return row_id
            if (not short or (rec.volume and rec.pages)) and same_author and all(
                    title_key(str(row[c] or "")) == title_key(str(new[c] or ""))
                    for c in ("journal", "volume", "pages")):
                return row_id
        return None

    def _own_work(self, conn: Connection, rec: ArticleRecord, existing: int | None,
                  messages: list[str]) -> tuple[ArticleRecord, int | None]:
        """``rec`` and the article it merges into, unless that article holds one of its
        identifiers but is plainly another publication (:mod:`spinelib.library.otherwork`):
        then ``rec`` without the identifiers it shares, looked up again, and why in
        ``messages``. A match through a merge's alias stands (the user said they are one),
        and so does one whose title or authors the user edited."""
        sql = self.store.articles
        while existing is not None:
            shared = [(c, v) for c, v in identifiers_of(rec)
                      if sql.id_by_identifier(conn, c, v) == existing]
            row = sql.row(conn, existing)
            if not shared or row is None or not self._another_publication(conn, row, rec):
                return rec, existing
            gone = {c for c, _ in shared}
            rec = replace(rec, doi="" if "doi" in gone else rec.doi,
                          pmid="" if "pmid" in gone else rec.pmid,
                          pmcid="" if "pmcid" in gone else rec.pmcid)
            named = ", ".join(f"{c.upper()} {v}" for c, v in shared)
            title = str(row["title"])
            title = title if len(title) <= 60 else title[:57].rstrip() + "…"
            why = ("a supplement's DOI its abstracts share?" if "doi" in gone
                   else "an identifier given to the wrong paper?")
            messages.append(f"shares {named} with {row['citekey']} ({title}), another "
                            f"publication ({why}): kept apart, without it")
            existing = self.find_existing(conn, rec)
        return rec, existing

    def _another_publication(self, conn: Connection, row: Any, rec: ArticleRecord) -> bool:
        """Whether ``rec`` is plainly not the stored article ``row`` it shares an identifier
        with; never when the user edited the article's title or authors (theirs to say)."""
        if self.store.edits.edited(conn, row["id"]) & {"title", "authors"}:
            return False
        return plainly_another_publication(row["title"], row["first_author"], rec)

    def find_trashed(self, conn: Connection, rec: ArticleRecord) -> int | None:
        """The trashed article holding one of the record's identifiers."""
        for column, value in zip(IDENTIFIER_COLUMNS, (rec.doi.lower(), rec.pmid, rec.pmcid),
                                 strict=True):
            if value:
                found = self.store.trash.find(conn, column, value)
                if found is not None:
                    return found
        return None

    def merge(self, conn: Connection, rec: ArticleRecord, tag_ids: Sequence[str],
              suggest_tags: bool) -> AddResult:
        """Merge one record inside the caller's transaction."""
        messages: list[str] = []
        rec, existing = self._own_work(conn, rec, self.find_existing(conn, rec), messages)
        restored_now = False
        if existing is None:
            trashed = self.find_trashed(conn, rec)
            if trashed is not None:
                restored = self.lib.trash.restore_in(conn, trashed)
                existing = restored.article_id
                restored_now = True
                messages.extend(["restored from the trash", *restored.messages])
        if existing is None:
            article_id, citekey = self._insert(conn, rec, messages)
            status: AddStatus = "imported"
        else:
            article_id = existing
            before = self.lib.articles.stand_in_before(conn, article_id)
            filled = self._fill(conn, article_id, rec, messages)
            status = "updated" if filled or restored_now else "unchanged"
            if filled and before and self.lib.articles.rekey_stand_in(conn, article_id, before):
                # Its key stood in for the author or date this record filled ("anonnd…").
                new_key = self.store.articles.citekey(conn, article_id) or ""
                messages.append(rekeyed(new_key, before.citekey))
            citekey = self.store.articles.citekey(conn, article_id) or ""
        self.store.tags.assign(conn, [(article_id, t) for t in tag_ids], TagOrigin.USER)
        if existing is None:
            # Just written from ``rec``: no need to read it back (half the cost of an import).
            stored = as_stored(rec, citekey)
        else:
            stored = self.store.articles.load(conn, [article_id],
                                              with_references=False)[article_id]
        taxonomy = self.lib.taxonomy
        if suggest_tags:
            self.store.tags.suggest(conn, [(article_id, sg.tag_id, sg.reason)
                                           for sg in suggest(stored, taxonomy)])
        self.store.tags.replace_facets(
            conn, article_id, [(fv.facet, fv.value, fv.reason) for fv in facets(stored, taxonomy)],
            existing=existing is not None)
        self.store.fulltext.reindex(conn, article_id, stored)
        return AddResult(article_id, status, citekey, stored.label(), messages)

    def _insert(self, conn: Connection, rec: ArticleRecord,
                messages: list[str]) -> tuple[int, str]:
        sql = self.store.articles

        def taken(key: str) -> bool:
            return sql.citekey_taken(conn, key)

        if rec.citekey and is_valid_citekey(rec.citekey) and not taken(rec.citekey):
            citekey = rec.citekey
        else:
            citekey = generate_citekey(rec, taken)
            if rec.citekey:
                why = "is already used" if is_valid_citekey(rec.citekey) else "is not a valid key"
                messages.append(f"key '{rec.citekey}' {why}; stored as '{citekey}'")
        now = utcnow()
        values = record_values(rec)
        values.update(citekey=citekey, doi=rec.doi.lower() or None, pmid=rec.pmid or None,
                      pmcid=rec.pmcid or None, added_at=now, updated_at=now, notes=rec.notes,
                      read_status=int(ReadStatus.UNREAD), rating=0,
                      # Never an id a trashed article holds: its restore and the undo log
                      # must find it free (SQLite would reuse the highest id otherwise).
                      id=self.store.snapshots.next_id(conn))
        article_id = sql.insert(conn, values)
        sql.insert_authors(conn, article_id, rec.authors)
        sql.insert_references(conn, article_id, rec.references)
        return article_id, citekey

    def _fill(self, conn: Connection, article_id: int, rec: ArticleRecord,
              messages: list[str]) -> bool:
        """Fill empty fields of an existing article from ``rec``; True when anything changed."""
        sql = self.store.articles
        row = sql.row(conn, article_id)
        if row is None:
            raise SpineLibError(f"article id:{article_id} vanished during the import")
        new = record_values(rec)
        edited = self.store.edits.edited(conn, article_id)
        updates = {c: v for c, v in _filled_fields(row, new, rec).items()
                   if c not in edited and not (c in ("title_sort", "title_key")
                                               and "title" in edited)}
        _publication_state(row, rec, edited, updates, messages)
        self._fill_identifiers(conn, row, rec, edited, updates, messages)
        self._fill_authors(conn, article_id, rec, new, edited, updates)
        if "editors" in updates and not row["author_count"] and "author_count" not in updates:
            # An article without authors is named by the editors it gains.
            updates["first_author"] = first_author_text([], rec.editors)
        if rec.references and self._fill_references(conn, article_id, rec, messages):
            updates.setdefault("updated_at", utcnow())
        if not updates:
            return False
        updates["updated_at"] = utcnow()
        sql.update(conn, [article_id], updates)
        return True

    def _fill_references(self, conn: Connection, article_id: int, rec: ArticleRecord,
                         messages: list[str]) -> bool:
        """Give the article ``rec``'s reference list when it has none, or when not one of its
        references has an identifier and some of ``rec``'s do (a file's cited works as bare
        text, then the same article from PubMed, whose list carries PMIDs: "in my library",
        "cited by" and reference chasing need them). A list with any identifier is kept."""
        sql = self.store.articles
        held, identified = sql.reference_counts(conn, article_id)
        if not held:
            sql.insert_references(conn, article_id, rec.references)
            return True
        arriving = sum(1 for r in rec.references if r.has_identifier)
        if identified or not arriving:
            return False
        sql.replace_references(conn, article_id, rec.references)
        messages.append(f"its {held} cited works had no identifier; replaced by the "
                        f"{len(rec.references)} read here, {arriving} with one")
        return True

    def _fill_identifiers(self, conn: Connection, row: Any, rec: ArticleRecord,
                          edited: Collection[str], updates: dict[str, Any],
                          messages: list[str]) -> None:
        """Set the record's identifiers the row lacks (unless another article holds one);
        a differing identifier is kept and reported in ``messages``."""
        for col, value in zip(IDENTIFIER_COLUMNS, (rec.doi.lower(), rec.pmid, rec.pmcid),
                              strict=True):
            if col in edited:
                continue
            if value and not row[col]:
                self._fill_identifier(conn, col, value, updates, messages)
            elif value and row[col] and row[col] != value:
                messages.append(f"kept {col.upper()} {row[col]} (the record says {value})")

    def _fill_identifier(self, conn: Connection, col: str, value: str,
                         updates: dict[str, Any], messages: list[str]) -> None:
        """Take one missing identifier, or report the article that already holds it."""
        owner = self.store.articles.id_by_identifier(conn, col, value)
        if owner is None:
            updates[col] = value
        else:
            messages.append(f"{col.upper()} {value} already belongs to another article "
                            f"(id:{owner}); left there")

    def _fill_authors(self, conn: Connection, article_id: int, rec: ArticleRecord,
                      new: dict[str, Any], edited: Collection[str],
                      updates: dict[str, Any]) -> None:
        """Store the record's authors when the article has none (and the user did not edit
        them); otherwise attach ORCIDs learned later to the matching stored authors."""
        sql = self.store.articles
        has_authors = sql.has_authors(conn, article_id)
        if not has_authors and rec.authors and "authors" not in edited:
            sql.insert_authors(conn, article_id, rec.authors)
            updates.update(first_author=new["first_author"], author_count=new["author_count"])
        elif has_authors and rec.authors:
            # ORCIDs learned later are attached to the matching stored author.
            for au in rec.authors:
                if au.orcid and au.family and sql.add_orcid(conn, article_id, au.family, au.orcid):
                    updates.setdefault("updated_at", utcnow())


def _publication_state(row: Any, rec: ArticleRecord, edited: Collection[str],
                       updates: dict[str, Any], messages: list[str]) -> None:
    """A paper in press that PubMed or Crossref now has in an issue is no longer in press;
    an "in press" from an older file does not come back to an article already in one (APA
    would print "(2024) … In press." of a published paper). Unless the user set the state."""
    if "pubstate" in edited:
        return  # ``updates`` holds no edited column already
    if ended_by(row["pubstate"], rec):
        updates["pubstate"] = ""
        messages.append(f"published: no longer {status_text(row['pubstate'])}")
    elif before_publication(updates.get("pubstate", "")) and (row["volume"] or row["pages"]):
        del updates["pubstate"]


def _filled_fields(row: Any, new: dict[str, Any], rec: ArticleRecord) -> dict[str, Any]:
    """The bibliographic columns an incoming record may set on a stored row."""
    updates: dict[str, Any] = {}
    for col in FILLABLE:
        if row[col] in ("", None) and new[col] not in ("", None):
            updates[col] = new[col]
    if "title" in updates:
        updates.update(title_sort=new["title_sort"], title_key=new["title_key"])
    for col in JSON_LIST_COLUMNS:
        if not json_list(row[col]) and json_list(new[col]):
            updates[col] = new[col]
    if row["type"] in ("", "article", "other") and rec.type not in ("", "article", "other"):
        updates["type"] = rec.type
    # A retraction or erratum notice is news, not an overwrite: it can only switch on.
    for col in ("retracted", "has_erratum"):
        if new[col] and not row[col]:
            updates[col] = True
    return updates
