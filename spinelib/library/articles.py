"""The articles room: adding records, reading articles back, and the user's edits to them.

Promises: every write is one transaction; reads see one consistent snapshot; a KEY the user
types (citation key, DOI, PMID, PMCID, a link, or ``id:N``) resolves the same everywhere.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from spinelib.citekeys import (
    generate_citekey,
    has_name_and_date,
    is_stand_in,
    key_form_problem,
)
from spinelib.errors import NoMatch, SpineLibError
from spinelib.identifiers import Identifier, parse_identifier
from spinelib.import_results import HeldArticle
from spinelib.library.holding import held_articles
from spinelib.library.merge import Merger
from spinelib.records import ArticleRecord
from spinelib.results import (
    AddResult,
    ArticleState,
    FacetAssignment,
    Query,
    ReadStatus,
    ReferenceRow,
)
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.bulkvocab import Answers
    from spinelib.journalnames import JournalAbbreviations
    from spinelib.library.facade import Library
    from spinelib.store.connection import Connection


def _by_key_as_typed(key: str, near: Sequence[tuple[int, str]]) -> int:
    """The article whose key is ``key`` in another letter case (keys are unique in any
    case), among ``near`` (the keys sharing its start); else NoMatch naming close keys: a
    typo of one, or the keys it begins ("muller" for muller2018resultats)."""
    same = [i for i, k in near if k.casefold() == key.casefold()]
    if len(same) == 1:
        return same[0]
    keys = [k for _i, k in near]
    begun = sorted(k for k in keys if k.casefold().startswith(key.casefold()))
    close = list(dict.fromkeys([*difflib.get_close_matches(key, keys, 3, 0.8), *begun]))[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise NoMatch(f"no article matches {key!r}{hint}", close=tuple(close))


#: Records an import must bring for the reference identifier indexes to be set aside during
#: it (:meth:`ArticlesManager.large_import`); below this they stay small, in the page
#: cache. Measured into a new library, alternating: 10,000 records 20.6-21.2 -> 19.8-20.9 s
#: CPU and 181 -> 164 MB peak; 100,000 records 283-311 -> 194-198 s wall
#: (spinelib/store/sqlite/deferred_indexes.py).
LARGE_IMPORT = 5_000


class ArticlesManager:
    """``lib.articles``: merge, records, edits."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store
        self.merger = Merger(lib)

    # ---- adding
    def add_record(self, record: ArticleRecord, *, tags: Sequence[str] = (),
                   suggest_tags: bool = True) -> AddResult:
        """Merge one record in its own transaction (see :meth:`add_records`)."""
        return self.add_records([record], tags=tags, suggest_tags=suggest_tags)[0]

    def add_records(self, records: Iterable[ArticleRecord], *, tags: Sequence[str] = (),
                    suggest_tags: bool = True, batch: int = 1000,
                    on_result: Callable[[AddResult], None] | None = None,
                    known: Answers | None = None) -> list[AddResult]:
        """Merge records (:mod:`spinelib.library.merge` states the policy); ``tags`` (names as
        :meth:`TagsManager.resolve <spinelib.library.tags.TagsManager.resolve>` takes them) are
        added as the user's own. Returns one result per record, in order. One transaction
        per ``batch`` records; ``records`` may be a generator (consumed batch by batch).
        ``known``: vocabulary answers found ahead (:mod:`spinelib.bulkvocab`)."""
        return self.merger.add_records(records, tags=tags, suggest_tags=suggest_tags,
                                       batch=batch, on_result=on_result, known=known)

    def large_import(self, incoming: int) -> contextlib.AbstractContextManager[bool]:
        """Around the batches of an import of ``incoming`` records: when they are many
        (:data:`LARGE_IMPORT`) and outnumber the articles already here, the reference
        identifier indexes are built once at the end instead of updated row by row
        (:meth:`Store.reference_lookups_deferred`; a cited-by list asked for meanwhile
        is slower, never wrong). Yields whether they were set aside. A small import into
        a big library keeps them: rebuilding them would cost more than it saves."""
        if incoming < LARGE_IMPORT:
            return contextlib.nullcontext(False)
        with self.store.reading() as conn:  # the highest id: at least the articles here
            here = self.store.snapshots.next_id(conn) - 1
        if incoming < here:
            return contextlib.nullcontext(False)
        return self._deferred()

    @contextlib.contextmanager
    def _deferred(self) -> Iterator[bool]:
        with self.store.reference_lookups_deferred():
            yield True

    # ---- reading
    def record(self, article_id: int) -> ArticleRecord:
        """The stored article as a record (with citekey, confirmed tags and notes)."""
        with self.store.reading() as conn:
            found = self.store.articles.load(conn, [article_id])
        if article_id not in found:
            raise NoMatch(f"no article with id {article_id}")
        return found[article_id]

    def records(self, ids: Sequence[int], *, with_references: bool = True,
                with_mesh: bool = True) -> list[ArticleRecord]:
        """Stored articles as records, in the order of ``ids`` (unknown ids are skipped).
        Exports pass ``with_references=False`` and ``with_mesh=False``: no export format
        writes reference lists or MeSH headings (decoding the headings was a fifth of a
        10,000-entry export's CPU time; issue 19)."""
        with self.store.reading() as conn:
            found = self.store.articles.load(conn, ids, with_references=with_references,
                                             with_mesh=with_mesh)
        return [found[i] for i in ids if i in found]

    def records_to_cite(self, ids: Sequence[int]) -> list[ArticleRecord]:
        """Stored articles as a reference list or a citation formats them, in the order of
        ``ids``: without reference lists or MeSH, and a journal article stored without its
        journal's abbreviation lent the one the library holds for that journal
        (:mod:`spinelib.journalnames`); the stored articles are not changed."""
        with self.store.reading() as conn:
            found = self.store.articles.load(conn, ids, with_references=False,
                                             with_mesh=False)
        return self.as_cited([found[i] for i in ids if i in found])

    def as_cited(self, records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
        """``records`` (read already) as :meth:`records_to_cite` gives them: each journal
        article without an abbreviation a copy with the one the library holds for its
        journal, the others as they are."""
        wanted = [r.journal for r in records if r.journal and not r.journal_abbrev]
        if not wanted:
            return list(records)
        return self.known_abbreviations(wanted).lend(records)

    def known_abbreviations(self, journals: Iterable[str]) -> JournalAbbreviations:
        """The abbreviations the library holds for these journals, under any spelling of
        their names that folds alike (:mod:`spinelib.journalnames`)."""
        from spinelib.journalnames import JournalAbbreviations, journal_key

        wanted = {journal_key(j) for j in journals} - {""}
        if not wanted:
            return JournalAbbreviations([])
        sql = self.store.articles
        with self.store.reading() as conn:
            # The names are read from their index (milliseconds at 100,000 articles); only
            # the rows of the journals that match are read for their abbreviations.
            names = [n for n in sql.journal_names(conn) if journal_key(n) in wanted]
            known = sql.journal_abbreviations(conn, names) if names else []
        return JournalAbbreviations(known)

    def resolve_key(self, key: str) -> int:
        """KEY -> article id: a citekey, else any identifier (bare number = PMID), else id:N,
        else an alias (a merged-away or former key), else the key in another letter case;
        NoMatch says when it is in the trash, or names close keys (a typo), or the articles
        words typed instead of a key find ("noms")."""
        key = key.strip()
        sql = self.store.articles
        with self.store.reading() as conn:
            found = sql.id_by_identifier(conn, "citekey", key)
            if found is not None:
                return found
            ident: Identifier | None
            try:
                ident = parse_identifier(key)
            except SpineLibError:
                ident = None
            if ident is not None:
                found = sql.id_by_identifier(conn, ident.kind, ident.value)
                if found is not None:
                    return found
            m = re.fullmatch(r"id:(\d+)", key)
            if m:
                found = sql.id_by_identifier(conn, "id", m.group(1))
                if found is not None:
                    return found
            # A merged-away article's key or identifier names the article it went into.
            found = self.store.edits.alias_owner(conn, "citekey", key)
            if found is None and ident is not None:
                found = self.store.edits.alias_owner(conn, ident.kind, ident.value)
            if found is not None:
                return found
            in_trash = self.store.trash.find(conn, "citekey", key) is not None or (
                ident is not None and self.store.trash.find(conn, ident.kind, ident.value)
                is not None)
            near = sql.citekeys_starting(conn, key[:3]) if len(key) >= 3 else []
        if in_trash:
            raise NoMatch(f"{key!r} is in the trash (spinelib trash restore {key})")
        return self._as_typed_or_by_words(key, near)

    def _as_typed_or_by_words(self, key: str, near: Sequence[tuple[int, str]]) -> int:
        """:func:`_by_key_as_typed`; when no key is close, NoMatch names the articles the
        KEY's words find, if any."""
        try:
            return _by_key_as_typed(key, near)
        except NoMatch as miss:
            if miss.close:
                raise
            raise self._by_words(key) or miss from None

    def _by_words(self, key: str) -> NoMatch | None:
        """What to say of a KEY that is no key but words of an article ("noms" for
        laufer2013noms): the articles its words find, or None when they find none."""
        try:
            found = self.lib.search.ids(Query(search=key))
        except SpineLibError:
            return None
        if not found:
            return None
        keys = [self.citekey(i) for i in found[:3]]
        if len(found) == 1:
            return NoMatch(f"no article has the key {key!r}; its words find {keys[0]} "
                           f"({self.record(found[0]).label()})", close=tuple(keys))
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        return NoMatch(f"no article has the key {key!r}; its words find {len(found)} "
                       f"articles: {', '.join(keys)}{more} (spinelib list {key})",
                       close=tuple(keys))

    def holding(self, identifiers: Iterable[Identifier]) -> dict[Identifier, HeldArticle]:
        """The identifiers an article of the library (or of its trash) already holds, and
        that article: what importing them again will refresh or restore (the import
        dialog's preview says so before anything is fetched; :mod:`.holding`)."""
        return held_articles(self.lib, identifiers)

    def citekey(self, article_id: int) -> str:
        with self.store.reading() as conn:
            key = self.store.articles.citekey(conn, article_id)
        if key is None:
            raise NoMatch(f"no article with id {article_id}")
        return key

    def state(self, article_id: int) -> ArticleState:
        """What the user set on one article and when (the detail pane's controls)."""
        with self.store.reading() as conn:
            state = self.store.articles.state(conn, article_id)
        if state is None:
            raise NoMatch(f"no article with id {article_id}")
        return state

    def references(self, article_id: int) -> list[ReferenceRow]:
        """The article's reference list, each marked with the in-library article it matches."""
        with self.store.reading() as conn:
            return self.store.articles.references(conn, article_id)

    def set_reference_identifiers(self, article_id: int, dois: Mapping[int, str],
                                  pmids: Mapping[int, str] | None = None) -> int:
        """Give the article's cited works the DOIs (and PMIDs) found for them (by reference
        position), each only where it has no identifier: one undo step; how many
        references gained one."""
        if not dois and not pmids:
            return 0
        with self.lib.history.recording("identifiers of cited works",
                                        articles=[article_id]) as conn:
            changed = self.store.articles.set_reference_identifiers(conn, article_id, dois,
                                                                    pmids or {})
            if changed:
                # The article changed: in a team library's copy this is also what marks it
                # for the server (its capture triggers see a reference row inserted, not
                # one updated: schema_v14_capture_triggers).
                self.store.articles.update(conn, [article_id], {"updated_at": utcnow()})
            return changed

    def cited_by(self, article_id: int) -> list[int]:
        """Articles in this library whose reference lists cite ``article_id``."""
        with self.store.reading() as conn:
            return self.store.articles.citing(conn, article_id)

    # ---- editing
    def delete(self, ids: Sequence[int]) -> int:
        """Move articles to the trash (see :mod:`spinelib.library.trash`): one undoable step.
        Their copied files move to the files folder's trash, never erased."""
        return self.lib.trash.delete(ids)

    def set_read_status(self, ids: Sequence[int], status: int | ReadStatus) -> None:
        try:
            chosen = ReadStatus(status)
        except ValueError:
            raise SpineLibError(f"unknown read status {status}") from None
        self._update(ids, f"read status {chosen.label}", read_status=int(chosen))

    def set_ratings(self, ids: Sequence[int], rating: int) -> None:
        """Give every article in ``ids`` the same rating (0 to 5 stars): one transaction and
        one undo step, as for a rated selection (``set_rating`` per article is a
        transaction and an undo step each; the benchmark generator rates 5,000 at 100k)."""
        if not 0 <= rating <= 5:
            raise SpineLibError("a rating is 0 to 5 stars")
        self._update(ids, "rating", rating=rating)

    def set_rating(self, article_id: int, rating: int) -> None:
        self.set_ratings([article_id], rating)

    def set_notes_many(self, notes: Mapping[int, str]) -> None:
        """Set each article's notes (article id -> text) in one transaction and one undo
        step, each article's full-text row reindexed in it."""
        with self.lib.history.recording("notes edit", marks=list(notes)) as conn:
            now = utcnow()
            for article_id, text in notes.items():
                self.store.articles.update(conn, [article_id], {"notes": text,
                                                                "updated_at": now})
            self.store.fulltext.reindex_many(conn, list(notes))

    def set_notes(self, article_id: int, notes: str) -> None:
        self.set_notes_many({article_id: notes})

    def _update(self, ids: Sequence[int], name: str, **values: object) -> None:
        """Set marks (read status, rating) on articles: one transaction, one undo step
        holding only their marks (:mod:`spinelib.store.marks`)."""
        with self.lib.history.recording(name, marks=ids) as conn:
            self.store.articles.update(conn, ids, {**values, "updated_at": utcnow()})

    def rekey(self, article_id: int, new_key: str | None = None) -> str:
        """Give an article a new citation key (generated when ``new_key`` is None); one undo
        step. The old key is kept as an alias, as a merge keeps the merged article's: a
        manuscript, a ``.bib`` or a note that cites it still finds the article."""
        with self.store.reading() as conn:
            old = self.store.articles.citekey(conn, article_id)
        if old is None:
            raise NoMatch(f"no article with id {article_id}")
        with self.lib.history.recording(f"rekey of {old}", articles=[article_id]) as conn:
            return self.rekey_in(conn, article_id, new_key)

    def rekey_in(self, conn: Connection, article_id: int, new_key: str | None) -> str:
        """:meth:`rekey` inside the caller's write transaction (an edit that also changes
        the key: one undo step); returns the key the article has now."""
        sql = self.store.articles
        found = sql.load(conn, [article_id], with_references=False)
        if article_id not in found:
            raise NoMatch(f"no article with id {article_id}")
        rec = found[article_id]

        def taken(key: str) -> bool:
            return sql.citekey_taken(conn, key)

        if new_key is None:
            # Free its own key first, so the generator may hand the same key back.
            sql.update(conn, [article_id], {"citekey": f"__rekey_{article_id}"})
            new_key = generate_citekey(rec, taken)
        elif problem := key_form_problem(new_key):
            raise SpineLibError(problem)
        elif new_key != rec.citekey and taken(new_key):
            raise SpineLibError(f"citation key {new_key!r} is already used")
        sql.update(conn, [article_id], {"citekey": new_key, "updated_at": utcnow()})
        if new_key != rec.citekey:
            self.store.edits.add_aliases(conn, article_id, [("citekey", rec.citekey)])
            # An alias of the new key is dead: a key is found before any alias.
            self.store.edits.drop_alias(conn, "citekey", new_key)
        return new_key

    def stand_in_before(self, conn: Connection, article_id: int) -> ArticleRecord | None:
        """The stored article when it lacks a first author or a year, so that its key may be
        a stand-in a change can replace (read before the change, for
        :meth:`rekey_stand_in`); None otherwise, the common case, without reading the
        record."""
        row = self.store.articles.row(conn, article_id)
        if row is None or (row["year"] and row["first_author"]):
            return None
        return self.store.articles.load(conn, [article_id], with_references=False)[article_id]

    def rekey_stand_in(self, conn: Connection, article_id: int,
                       before: ArticleRecord | None) -> bool:
        """Give the article a key of its author, year and title when its key was a stand-in
        for ``before`` (:meth:`stand_in_before`; :func:`~spinelib.citekeys.is_stand_in`:
        "anonnd…" while it had no author or date) and it has both now, inside the caller's
        write transaction (an edit, an update from the source or an import's fill: one undo
        step); the stand-in stays an alias, so a note or a manuscript citing it still finds
        the article. True when the key changed."""
        if before is None or not is_stand_in(before.citekey, before):
            return False
        now = self.store.articles.load(conn, [article_id], with_references=False)[article_id]
        if not has_name_and_date(now):
            return False  # still without an author or a date
        return self.rekey_in(conn, article_id, None) != before.citekey

    def facets(self, article_id: int) -> list[FacetAssignment]:
        """The clinical facet values found in the article, with their reasons."""
        with self.store.reading() as conn:
            return self.store.tags.facets_of(conn, article_id)
