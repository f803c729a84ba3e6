"""The Library facade: the one object the CLI, the GUI and scripts drive (DESIGN §1).

All SQL lives behind it. It merges :class:`~spinelib.records.ArticleRecord` s into the
database, keeps tags, facets and the full-text index in step, and answers queries.

Promises:
- Every write is one transaction; a failure leaves no half article behind.
- Merging never erases what the user made: tags, notes, read status, rating and the citation
  key survive any re-import; an incoming record only fills fields that are empty.
- Search accepts any text a user types; it never raises for FTS syntax.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from spinelib import db
from spinelib.citekeys import generate_citekey, is_valid_citekey
from spinelib.errors import LibraryError, NoMatch, SpineLibError
from spinelib.identifiers import Identifier, parse_identifier
from spinelib.models import READ_STATUS_NAMES, utcnow
from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry
from spinelib.taxonomy import Taxonomy, facets, load_taxonomy, suggest

AddStatus = Literal["imported", "updated", "unchanged", "failed"]

log = logging.getLogger(__name__)

#: Article columns an incoming record may fill when they are empty.
FILLABLE = ("title", "abstract", "journal", "journal_abbrev", "issn", "year", "month", "day",
            "volume", "issue", "pages", "language", "publisher", "book_title", "url")
#: Sort keys the table may ask for -> SQL expression.
SORTS: dict[str, str] = {
    "added": "a.added_at",
    "first_author": "a.first_author COLLATE NOCASE",
    "year": "a.year",
    "title": "a.title_sort",
    "journal": "a.journal COLLATE NOCASE",
    "read_status": "a.read_status",
}
#: Tag origins that mean "this article has this tag" (suggestions are shown apart).
CONFIRMED = ("user", "accepted")
RECENT_DAYS = 30

# Statements run once per imported article, built once (SQLAlchemy caches their compiled form).
_INSERT_SUGGESTION = text("INSERT OR IGNORE INTO article_tag (article_id, tag_id, origin, "
                          "reason) VALUES (:a, :t, 'suggested', :r)")
_INSERT_FACET = text("INSERT OR IGNORE INTO article_facet (article_id, facet, value, reason) "
                     "VALUES (:a, :f, :v, :r)")
_DELETE_FACETS = text("DELETE FROM article_facet WHERE article_id = :a")
_ARTICLE_TAG_LABELS = text(
    "SELECT t.id, t.label FROM article_tag at JOIN tag t ON t.id = at.tag_id "
    "WHERE at.article_id = :a AND at.origin != 'rejected' ORDER BY t.id")
_DELETE_FTS = text("DELETE FROM article_fts WHERE rowid = :id")
_INSERT_FTS = text(
    "INSERT INTO article_fts (rowid, title, abstract, authors, journal, keywords, mesh, notes, "
    "tags) VALUES (:id, :t, :ab, :au, :j, :k, :m, :n, :tg)")
_INSERT_AUTHOR = text(
    "INSERT INTO author (article_id, position, family, given, initials, collective, orcid) "
    "VALUES (:a, :p, :f, :g, :i, :c, :o)")
_INSERT_REFERENCE = text(
    'INSERT INTO "reference" (article_id, position, citation, doi, pmid, pmcid) '
    "VALUES (:a, :p, :c, :d, :m, :x)")


@dataclass
class AddResult:
    """What happened to one record given to :meth:`Library.add_record`."""

    article_id: int
    status: AddStatus
    citekey: str
    label: str
    messages: list[str] = field(default_factory=list)


@dataclass
class Query:
    """A filter over the library; every part is optional and they combine with AND."""

    search: str = ""
    tags: list[str] = field(default_factory=list)
    facets: list[tuple[str, str]] = field(default_factory=list)
    reading_list: str | None = None
    unread: bool = False
    recent: bool = False
    retracted: bool = False
    ids: list[int] | None = None
    sort: str = "added"
    descending: bool = True


@dataclass
class Row:
    """What the article table shows for one article."""

    id: int
    citekey: str
    first_author: str
    year: int | None
    title: str
    journal: str
    tags: list[str]
    read_status: int
    retracted: bool
    has_erratum: bool
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None


def title_key(title: str) -> str:
    """Letters and digits of a title, diacritics folded: the fuzzy dedupe key."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def fts_query(user_text: str) -> str:
    """Turn anything a user types into a safe FTS5 query.

    Quoted phrases stay phrases; every other word becomes a quoted prefix term, so FTS syntax
    (``NEAR(``, ``*``, ``-``, ``:``, unbalanced quotes or brackets) is matched as plain text and
    never interpreted. Words combine with AND. Returns "" when nothing searchable remains.
    """
    terms: list[str] = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', user_text):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            words = re.findall(r"\w+", phrase)
            if words:
                terms.append('"' + " ".join(words) + '"')
        else:
            terms.extend(f'"{w}"*' for w in re.findall(r"\w+", word))
    return " ".join(terms)


def _json_list(value: str) -> list[Any]:
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


class Library:
    """A library file opened for use. Create with :meth:`open`; close when done."""

    def __init__(self, path: Path, engine: Engine, taxonomy: Taxonomy) -> None:
        self.path = path
        self.engine = engine
        self.taxonomy = taxonomy

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def open(cls, path: Path | str, *, taxonomy: Taxonomy | None = None,
             daily_backup: bool = False) -> Library:
        """Open or create the library at ``path`` (see :func:`spinelib.db.open_engine`)."""
        path = Path(path)
        engine = db.open_engine(path)
        lib = cls(path, engine, taxonomy or load_taxonomy())
        try:
            # Reach the root page of every table we rely on, so a damaged file is usually
            # reported here with a plain message. LIMIT 1, not count(*): counting reads the
            # whole FTS index (6 s from a cold disk at 100k articles). Damage deeper in the
            # file is reported by the command that meets it, with the same message, and
            # found in full by `spinelib check`.
            with db.reading(engine) as conn:
                for table in ("article", "author", "tag", '"reference"', "article_fts"):
                    conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).scalar()
            lib._sync_vocabulary()
        except DBAPIError as exc:
            engine.dispose()
            raise db.damaged(path, exc) from exc
        if daily_backup:
            lib._daily_backup()
        return lib

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.path.stem

    def _sync_vocabulary(self) -> None:
        """Keep vocabulary tags in the tag table (new taxonomy versions add or relabel)."""
        with db.reading(self.engine) as conn:
            have = {r[0]: (r[1], r[2]) for r in conn.execute(
                text("SELECT id, label, parent FROM tag WHERE origin = 'vocabulary'"))}
        wanted = {t.id: (t.label, t.parent) for t in self.taxonomy.tags}
        if all(have.get(k) == v for k, v in wanted.items()):
            return
        with db.transaction(self.engine) as conn:
            for tag in self.taxonomy.tags:
                conn.execute(text(
                    "INSERT INTO tag (id, label, parent, origin) VALUES (:id, :label, NULL, "
                    "'vocabulary') ON CONFLICT(id) DO UPDATE SET label = excluded.label, "
                    "origin = 'vocabulary'"), {"id": tag.id, "label": tag.label})
            for tag in self.taxonomy.tags:
                conn.execute(text("UPDATE tag SET parent = :p WHERE id = :id"),
                             {"p": tag.parent, "id": tag.id})

    def _daily_backup(self) -> None:
        newest = db.newest_backup(self.path)
        if newest is not None:
            age = datetime.now(UTC).timestamp() - newest.stat().st_mtime
            if age < 24 * 3600:
                return
        if self.count() == 0:
            return
        # A damaged file must never enter the rotation: it would push a good backup out and
        # become the "newest backup" every damage message points the user to.
        try:
            with db.reading(self.engine) as conn:
                verdict = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check")]
        except DBAPIError as exc:
            self.close()
            raise db.damaged(self.path, exc) from exc
        if verdict != ["ok"]:
            self.close()
            raise db.damaged(self.path, LibraryError(verdict[0].splitlines()[0]))
        db.automatic_backup(self.path, "daily")

    # ----------------------------------------------------------------- adding
    def add_record(self, record: ArticleRecord, *, tags: Sequence[str] = (),
                   suggest_tags: bool = True) -> AddResult:
        """Merge one record in its own transaction (see :meth:`add_records`)."""
        return self.add_records([record], tags=tags, suggest_tags=suggest_tags)[0]

    def add_records(self, records: Iterable[ArticleRecord], *, tags: Sequence[str] = (),
                    suggest_tags: bool = True, batch: int = 200,
                    on_result: Callable[[AddResult], None] | None = None) -> list[AddResult]:
        """Merge records: an article sharing a DOI, PMID or PMCID (or, lacking those, the same
        normalised title, year and first author) is updated; otherwise a new one is made.

        ``tags`` (tag ids, see :meth:`resolve_tag`) are added as the user's own tags. Records are
        written in transactions of ``batch`` with a savepoint each: a record that fails is rolled
        back whole (no half article) and reported with status ``failed`` while the others are
        kept. An unexpected error is also logged with its traceback.
        """
        tag_ids = [self.resolve_tag(t) for t in tags]
        results: list[AddResult] = []
        pending: list[ArticleRecord] = []

        def flush() -> None:
            if not pending:
                return
            with db.transaction(self.engine) as conn:
                for rec in pending:
                    try:
                        with conn.begin_nested():
                            res = self._merge(conn, rec, tag_ids, suggest_tags)
                    except SpineLibError as exc:
                        res = AddResult(0, "failed", "", rec.label(), [str(exc)])
                    except Exception as exc:
                        log.exception("storing %s failed", rec.label())
                        res = AddResult(0, "failed", "", rec.label(),
                                        [f"internal error: {exc!r} (details in the log)"])
                    results.append(res)
                    if on_result:
                        on_result(res)
            pending.clear()

        for rec in records:
            pending.append(rec)
            if len(pending) >= batch:
                flush()
        flush()
        return results

    def _find_existing(self, conn: Connection, rec: ArticleRecord) -> int | None:
        for column, value in (("doi", rec.doi.lower()), ("pmid", rec.pmid), ("pmcid", rec.pmcid)):
            if value:
                found = conn.execute(text(f"SELECT id FROM article WHERE {column} = :v"),
                                     {"v": value}).scalar()
                if found is not None:
                    return int(found)
        key = title_key(rec.title)
        if len(key) >= 20 and rec.year:
            rows = conn.execute(text(
                "SELECT id, first_author FROM article WHERE title_key = :k AND year = :y"),
                {"k": key, "y": rec.year}).fetchall()
            family = title_key(rec.first_author_family())
            for row_id, first in rows:
                if not family or title_key(first).startswith(family):
                    return int(row_id)
        return None

    def _merge(self, conn: Connection, rec: ArticleRecord, tag_ids: Sequence[str],
               suggest_tags: bool) -> AddResult:
        existing = self._find_existing(conn, rec)
        messages: list[str] = []
        if existing is None:
            article_id, citekey = self._insert(conn, rec, messages)
            status: AddStatus = "imported"
        else:
            article_id = existing
            changed = self._fill(conn, article_id, rec, messages)
            status = "updated" if changed else "unchanged"
            citekey = conn.execute(text("SELECT citekey FROM article WHERE id = :id"),
                                   {"id": article_id}).scalar_one()
        for tag_id in tag_ids:
            self._set_tag(conn, article_id, tag_id, "user", "")
        if existing is None:
            # Just written from ``rec``: no need to read it back (half the cost of an import).
            stored = replace(rec, doi=rec.doi.lower(), citekey=citekey, tags=[], references=[])
        else:
            stored = self._load_records(conn, [article_id], with_references=False)[article_id]
            conn.execute(_DELETE_FACETS, {"a": article_id})
        if suggest_tags:
            rows = [{"a": article_id, "t": sg.tag_id, "r": sg.reason}
                    for sg in suggest(stored, self.taxonomy)]
            if rows:
                conn.execute(_INSERT_SUGGESTION, rows)
        facet_rows = [{"a": article_id, "f": fv.facet, "v": fv.value, "r": fv.reason}
                      for fv in facets(stored, self.taxonomy)]
        if facet_rows:
            conn.execute(_INSERT_FACET, facet_rows)
        self._reindex(conn, article_id, stored)
        return AddResult(article_id, status, citekey, stored.label(), messages)

    def _citekey_taken(self, conn: Connection) -> Callable[[str], bool]:
        def taken(key: str) -> bool:
            return conn.execute(text("SELECT 1 FROM article WHERE citekey = :k"),
                                {"k": key}).first() is not None
        return taken

    def _article_values(self, rec: ArticleRecord) -> dict[str, Any]:
        first = rec.authors[0].display() if rec.authors else ""
        return {
            "title": rec.title, "title_sort": rec.title.casefold(),
            "title_key": title_key(rec.title), "abstract": rec.abstract,
            "journal": rec.journal, "journal_abbrev": rec.journal_abbrev, "issn": rec.issn,
            "year": rec.year, "month": rec.month, "day": rec.day, "volume": rec.volume,
            "issue": rec.issue, "pages": rec.pages, "type": rec.type or "article",
            "language": rec.language, "publisher": rec.publisher, "book_title": rec.book_title,
            "url": rec.url, "publication_types": json.dumps(rec.publication_types),
            "mesh": json.dumps([m.__dict__ for m in rec.mesh]),
            "keywords": json.dumps(rec.keywords), "first_author": first,
            "author_count": len(rec.authors), "source": rec.source,
            "retracted": rec.retracted, "has_erratum": rec.has_erratum,
        }

    def _insert(self, conn: Connection, rec: ArticleRecord, messages: list[str]) -> tuple[int, str]:
        taken = self._citekey_taken(conn)
        if rec.citekey and is_valid_citekey(rec.citekey) and not taken(rec.citekey):
            citekey = rec.citekey
        else:
            citekey = generate_citekey(rec, taken)
            if rec.citekey:
                why = "is already used" if is_valid_citekey(rec.citekey) else "is not a valid key"
                messages.append(f"key '{rec.citekey}' {why}; stored as '{citekey}'")
        values = self._article_values(rec)
        now = utcnow()
        values.update(citekey=citekey, doi=rec.doi.lower() or None, pmid=rec.pmid or None,
                      pmcid=rec.pmcid or None, added_at=now, updated_at=now, notes=rec.notes,
                      read_status=0, rating=0)
        cols = ", ".join(values)
        params = ", ".join(f":{k}" for k in values)
        article_id = int(conn.execute(
            text(f"INSERT INTO article ({cols}) VALUES ({params}) RETURNING id"),
            values).scalar_one())
        self._insert_authors(conn, article_id, rec.authors)
        self._insert_references(conn, article_id, rec.references)
        return article_id, citekey

    def _insert_authors(self, conn: Connection, article_id: int, authors: Sequence[Author]) -> None:
        if authors:
            conn.execute(_INSERT_AUTHOR,
                [{"a": article_id, "p": i, "f": au.family, "g": au.given, "i": au.initials,
                  "c": au.collective, "o": au.orcid} for i, au in enumerate(authors)])

    def _insert_references(self, conn: Connection, article_id: int,
                           refs: Sequence[ReferenceEntry]) -> None:
        if refs:
            conn.execute(_INSERT_REFERENCE,
                [{"a": article_id, "p": r.position, "c": r.citation, "d": r.doi.lower() or None,
                  "m": r.pmid or None, "x": r.pmcid or None} for r in refs])

    def _fill(self, conn: Connection, article_id: int, rec: ArticleRecord,
              messages: list[str]) -> bool:
        """Fill empty fields of an existing article from ``rec``; True when anything changed."""
        row = conn.execute(text("SELECT * FROM article WHERE id = :id"),
                           {"id": article_id}).mappings().one()
        new = self._article_values(rec)
        updates: dict[str, Any] = {}
        for col in FILLABLE:
            if row[col] in ("", None) and new[col] not in ("", None):
                updates[col] = new[col]
        if "title" in updates:
            updates.update(title_sort=new["title_sort"], title_key=new["title_key"])
        for col in ("publication_types", "mesh", "keywords"):
            if not _json_list(row[col]) and _json_list(new[col]):
                updates[col] = new[col]
        if row["type"] in ("", "article", "other") and rec.type not in ("", "article", "other"):
            updates["type"] = rec.type
        # A retraction or erratum notice is news, not an overwrite: it can only switch on.
        for col in ("retracted", "has_erratum"):
            if new[col] and not row[col]:
                updates[col] = True
        for col, value in (("doi", rec.doi.lower()), ("pmid", rec.pmid), ("pmcid", rec.pmcid)):
            if value and not row[col]:
                owner = conn.execute(text(f"SELECT id FROM article WHERE {col} = :v"),
                                     {"v": value}).scalar()
                if owner is None:
                    updates[col] = value
                else:
                    messages.append(f"{col.upper()} {value} already belongs to another article "
                                    f"(id:{owner}); left there")
            elif value and row[col] and row[col] != value:
                messages.append(f"kept {col.upper()} {row[col]} (the record says {value})")
        has_authors = conn.execute(text("SELECT 1 FROM author WHERE article_id = :a LIMIT 1"),
                                   {"a": article_id}).first()
        if not has_authors and rec.authors:
            self._insert_authors(conn, article_id, rec.authors)
            updates.update(first_author=new["first_author"], author_count=new["author_count"])
        elif has_authors and rec.authors:
            # ORCIDs learned later are attached to the matching stored author.
            for au in rec.authors:
                if au.orcid and au.family:
                    res = conn.execute(text(
                        "UPDATE author SET orcid = :o WHERE article_id = :a AND orcid = '' "
                        "AND family = :f"), {"o": au.orcid, "a": article_id, "f": au.family})
                    if res.rowcount:
                        updates.setdefault("updated_at", utcnow())
        has_refs = conn.execute(text('SELECT 1 FROM "reference" WHERE article_id = :a LIMIT 1'),
                                {"a": article_id}).first()
        if not has_refs and rec.references:
            self._insert_references(conn, article_id, rec.references)
            updates.setdefault("updated_at", utcnow())
        if not updates:
            return False
        updates["updated_at"] = utcnow()
        sets = ", ".join(f"{k} = :{k}" for k in updates)
        conn.execute(text(f"UPDATE article SET {sets} WHERE id = :id"),
                     {**updates, "id": article_id})
        return True

    def _reindex(self, conn: Connection, article_id: int,
                 stored: ArticleRecord | None = None) -> None:
        """Rewrite the article's full-text row from what is stored (one source of truth).

        ``stored`` may be given when the caller already holds the stored record (a merge);
        it must be what the database now holds, so the index never drifts from the article.
        """
        if stored is None:
            stored = self._load_records(conn, [article_id], with_references=False)[article_id]
        authors = " ".join(" ".join(p for p in (a.family, a.given, a.collective) if p)
                           for a in stored.authors)
        tag_text = " ".join(
            f"{tag_id} {label}" for tag_id, label in conn.execute(_ARTICLE_TAG_LABELS,
                                                                 {"a": article_id}))
        mesh = " ".join(m.name for m in stored.mesh)
        conn.execute(_DELETE_FTS, {"id": article_id})
        conn.execute(_INSERT_FTS, {
            "id": article_id, "t": stored.title, "ab": stored.abstract, "au": authors,
            "j": f"{stored.journal} {stored.journal_abbrev}", "k": " ".join(stored.keywords),
            "m": mesh, "n": stored.notes, "tg": tag_text})

    # ----------------------------------------------------------------- reading one
    def _load_record(self, conn: Connection, article_id: int) -> ArticleRecord:
        found = self._load_records(conn, [article_id])
        if article_id not in found:
            raise NoMatch(f"no article with id {article_id}")
        return found[article_id]

    def _load_records(self, conn: Connection, ids: Sequence[int],
                      *, with_references: bool = True) -> dict[int, ArticleRecord]:
        """Stored articles as records, four queries per chunk of ids (not per article)."""
        out: dict[int, ArticleRecord] = {}
        for chunk in iter_batches(list(ids), 500):
            id_list = ", ".join(str(int(i)) for i in chunk)
            authors: dict[int, list[Author]] = {}
            for r in conn.execute(text(
                    "SELECT article_id, family, given, initials, collective, orcid FROM author "
                    f"WHERE article_id IN ({id_list}) ORDER BY article_id, position")):
                authors.setdefault(r[0], []).append(Author(*r[1:]))
            refs: dict[int, list[ReferenceEntry]] = {}
            if with_references:
                for r in conn.execute(text(
                        'SELECT article_id, position, citation, doi, pmid, pmcid FROM "reference" '
                        f"WHERE article_id IN ({id_list}) ORDER BY article_id, position")):
                    refs.setdefault(r[0], []).append(ReferenceEntry(
                        r[1], r[2], r[3] or "", r[4] or "", r[5] or ""))
            tags: dict[int, list[str]] = {}
            for a, t in conn.execute(text(
                    f"SELECT article_id, tag_id FROM article_tag WHERE article_id IN ({id_list}) "
                    "AND origin IN ('user', 'accepted') ORDER BY article_id, tag_id")):
                tags.setdefault(a, []).append(t)
            for row in conn.execute(text(f"SELECT * FROM article WHERE id IN ({id_list})"))\
                    .mappings():
                a_id = int(row["id"])
                out[a_id] = self._record_from_row(row, authors.get(a_id, []),
                                                  refs.get(a_id, []), tags.get(a_id, []))
        return out

    @staticmethod
    def _record_from_row(row: Any, authors: list[Author], refs: list[ReferenceEntry],
                         tags: list[str]) -> ArticleRecord:
        mesh = [MeshHeading(ui=m.get("ui", ""), name=m.get("name", ""),
                            major=bool(m.get("major")), qualifiers=list(m.get("qualifiers", [])))
                for m in _json_list(row["mesh"]) if isinstance(m, dict)]
        return ArticleRecord(
            title=row["title"], authors=authors, journal=row["journal"],
            journal_abbrev=row["journal_abbrev"], issn=row["issn"], year=row["year"],
            month=row["month"], day=row["day"], volume=row["volume"], issue=row["issue"],
            pages=row["pages"], doi=row["doi"] or "", pmid=row["pmid"] or "",
            pmcid=row["pmcid"] or "", abstract=row["abstract"], language=row["language"],
            type=row["type"], publication_types=_json_list(row["publication_types"]),
            mesh=mesh, keywords=_json_list(row["keywords"]), references=refs,
            retracted=bool(row["retracted"]), has_erratum=bool(row["has_erratum"]),
            publisher=row["publisher"], book_title=row["book_title"], url=row["url"],
            source=row["source"], citekey=row["citekey"], tags=tags, notes=row["notes"])

    def record(self, article_id: int) -> ArticleRecord:
        """The stored article as a record (with citekey, confirmed tags and notes)."""
        with db.reading(self.engine) as conn:
            return self._load_record(conn, article_id)

    def records(self, ids: Sequence[int], *, with_references: bool = True
                ) -> list[ArticleRecord]:
        """Stored articles as records, in the order of ``ids`` (unknown ids are skipped).
        Exports pass ``with_references=False``: no format writes reference lists."""
        with db.reading(self.engine) as conn:
            found = self._load_records(conn, ids, with_references=with_references)
        return [found[i] for i in ids if i in found]

    def resolve_key(self, key: str) -> int:
        """KEY -> article id: a citekey, else any identifier (bare number = PMID), else id:N."""
        key = key.strip()
        with db.reading(self.engine) as conn:
            found = conn.execute(text("SELECT id FROM article WHERE citekey = :k"),
                                 {"k": key}).scalar()
            if found is not None:
                return int(found)
            ident: Identifier | None
            try:
                ident = parse_identifier(key)
            except SpineLibError:
                ident = None
            if ident is not None:
                found = conn.execute(text(f"SELECT id FROM article WHERE {ident.kind} = :v"),
                                     {"v": ident.value}).scalar()
                if found is not None:
                    return int(found)
            m = re.fullmatch(r"id:(\d+)", key)
            if m:
                found = conn.execute(text("SELECT id FROM article WHERE id = :v"),
                                     {"v": int(m.group(1))}).scalar()
                if found is not None:
                    return int(found)
        raise NoMatch(f"no article matches {key!r}")

    def references(self, article_id: int) -> list[dict[str, Any]]:
        """The article's reference list, each marked with the in-library article it matches."""
        with db.reading(self.engine) as conn:
            rows = conn.execute(text(
                'SELECT r.position, r.citation, r.doi, r.pmid, r.pmcid, '
                "COALESCE((SELECT a.id FROM article a WHERE a.doi = r.doi), "
                "(SELECT a.id FROM article a WHERE a.pmid = r.pmid), "
                "(SELECT a.id FROM article a WHERE a.pmcid = r.pmcid)) AS in_id "
                'FROM "reference" r WHERE r.article_id = :a ORDER BY r.position'),
                {"a": article_id}).fetchall()
        return [{"position": r.position, "citation": r.citation, "doi": r.doi or "",
                 "pmid": r.pmid or "", "pmcid": r.pmcid or "", "in_library": r.in_id is not None,
                 "article_id": r.in_id} for r in rows]

    def cited_by(self, article_id: int) -> list[int]:
        """Articles in this library whose reference lists cite ``article_id``."""
        with db.reading(self.engine) as conn:
            row = conn.execute(text("SELECT doi, pmid, pmcid FROM article WHERE id = :id"),
                               {"id": article_id}).one()
            # One indexed lookup per known identifier (an OR across columns would scan).
            found: set[int] = set()
            for column, value in (("doi", row.doi), ("pmid", row.pmid), ("pmcid", row.pmcid)):
                if value:
                    found.update(conn.execute(text(
                        f'SELECT article_id FROM "reference" WHERE {column} = :v'),
                        {"v": value}).scalars())
        return sorted(int(i) for i in found if i != article_id)

    def tag_state(self, article_id: int) -> dict[str, list[dict[str, str]]]:
        """Tags of an article split by origin: confirmed, suggested and rejected."""
        out: dict[str, list[dict[str, str]]] = {"tags": [], "suggested": [], "rejected": []}
        with db.reading(self.engine) as conn:
            for tag_id, label, origin, reason in conn.execute(text(
                    "SELECT at.tag_id, t.label, at.origin, at.reason FROM article_tag at "
                    "JOIN tag t ON t.id = at.tag_id WHERE at.article_id = :a "
                    "ORDER BY at.tag_id"), {"a": article_id}):
                key = {"user": "tags", "accepted": "tags", "suggested": "suggested"}.get(
                    origin, "rejected")
                out[key].append({"id": tag_id, "label": label, "reason": reason, "origin": origin})
        return out

    def facet_values(self, article_id: int) -> list[dict[str, str]]:
        with db.reading(self.engine) as conn:
            return [{"facet": f, "value": v, "reason": r} for f, v, r in conn.execute(text(
                "SELECT facet, value, reason FROM article_facet WHERE article_id = :a "
                "ORDER BY facet, value"), {"a": article_id})]

    def to_json(self, article_id: int) -> dict[str, Any]:
        """The stable ``show --json`` object (documented in the README)."""
        rec = self.record(article_id)
        with db.reading(self.engine) as conn:
            meta = conn.execute(text(
                "SELECT added_at, updated_at, read_status, rating FROM article WHERE id = :id"),
                {"id": article_id}).one()
        state = self.tag_state(article_id)
        return {
            "id": article_id, "citekey": rec.citekey, "doi": rec.doi or None,
            "pmid": rec.pmid or None, "pmcid": rec.pmcid or None, "title": rec.title,
            "authors": [{"collective": a.collective} if a.is_collective else
                        {"family": a.family, "given": a.given, **({"orcid": a.orcid}
                                                                  if a.orcid else {})}
                        for a in rec.authors],
            "journal": rec.journal, "journal_abbrev": rec.journal_abbrev, "year": rec.year,
            "month": rec.month, "volume": rec.volume, "issue": rec.issue, "pages": rec.pages,
            "type": rec.type, "issn": rec.issn, "language": rec.language,
            "abstract": rec.abstract,
            "mesh": [{"ui": m.ui, "name": m.name, "major": m.major} for m in rec.mesh],
            "keywords": rec.keywords, "publication_types": rec.publication_types,
            "tags": [t["id"] for t in state["tags"]],
            "suggested_tags": [{"id": t["id"], "reason": t["reason"]} for t in state["suggested"]],
            "facets": self.facet_values(article_id),
            "references": [{k: r[k] for k in ("position", "citation", "doi", "pmid",
                                              "in_library")} for r in self.references(article_id)],
            "cited_by": [self.citekey(i) for i in self.cited_by(article_id)],
            "retracted": rec.retracted, "has_erratum": rec.has_erratum,
            "read_status": READ_STATUS_NAMES.get(meta.read_status, "unread"),
            "rating": meta.rating, "notes": rec.notes, "added_at": meta.added_at,
            "updated_at": meta.updated_at,
        }

    def citekey(self, article_id: int) -> str:
        with db.reading(self.engine) as conn:
            return str(conn.execute(text("SELECT citekey FROM article WHERE id = :id"),
                                    {"id": article_id}).scalar_one())

    # ----------------------------------------------------------------- querying
    def _where(self, q: Query) -> tuple[list[str], dict[str, Any]]:
        where: list[str] = []
        params: dict[str, Any] = {}
        if q.search.strip():
            match = fts_query(q.search)
            if match:
                where.append("a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :fts)")
                params["fts"] = match
        for i, tag in enumerate(q.tags):
            ids = self.tag_with_descendants(self.resolve_tag(tag))
            names = ", ".join(f":tag{i}_{j}" for j in range(len(ids)))
            where.append(f"a.id IN (SELECT article_id FROM article_tag WHERE origin != 'rejected' "
                         f"AND tag_id IN ({names}))")
            params.update({f"tag{i}_{j}": t for j, t in enumerate(ids)})
        for i, (facet, value) in enumerate(q.facets):
            where.append(f"a.id IN (SELECT article_id FROM article_facet WHERE facet = :ff{i} "
                         f"AND value = :fv{i})")
            params.update({f"ff{i}": facet, f"fv{i}": value})
        if q.reading_list is not None:
            list_id = self._list_id(q.reading_list)
            where.append("a.id IN (SELECT article_id FROM reading_list_item WHERE list_id = :lid)")
            params["lid"] = list_id
        if q.unread:
            where.append("a.read_status = 0")
        if q.recent:
            since = (datetime.now(UTC) - timedelta(days=RECENT_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
            where.append("a.added_at >= :since")
            params["since"] = since
        if q.retracted:
            where.append("(a.retracted OR a.has_erratum)")
        if q.ids is not None:
            where.append(f"a.id IN ({', '.join(str(int(i)) for i in q.ids) or 'NULL'})")
        return where, params

    def ids(self, q: Query | None = None) -> list[int]:
        """Article ids matching ``q``, sorted in SQL (a reading list keeps its own order
        when sorted by 'list'; a search sorts by relevance when sorted by 'relevance')."""
        q = q or Query()
        where, params = self._where(q)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        direction = "DESC" if q.descending else "ASC"
        if q.sort == "list" and q.reading_list is not None:
            sql = ("SELECT a.id FROM article a JOIN reading_list_item li ON li.article_id = a.id "
                   f"AND li.list_id = :lid {clause} ORDER BY li.position")
        elif q.sort == "relevance" and "fts" in params and len(where) == 1:
            # Search alone: the index answers by itself (every indexed row is an article).
            sql = "SELECT rowid FROM article_fts WHERE article_fts MATCH :fts ORDER BY rank"
        elif q.sort == "relevance" and "fts" in params:
            sql = ("SELECT a.id FROM article a JOIN (SELECT rowid, rank FROM article_fts WHERE "
                   f"article_fts MATCH :fts) f ON f.rowid = a.id {clause} ORDER BY f.rank")
        else:
            order = SORTS.get(q.sort, SORTS["added"])
            sql = (f"SELECT a.id FROM article a {clause} "
                   f"ORDER BY {order} {direction}, a.id {direction}")
        with db.reading(self.engine) as conn:
            return [int(r[0]) for r in conn.execute(text(sql), params)]

    def count(self, q: Query | None = None) -> int:
        where, params = self._where(q or Query())
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with db.reading(self.engine) as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM article a {clause}"), params)
                       .scalar_one())

    def rows(self, ids: Sequence[int]) -> dict[int, Row]:
        """Table rows for ``ids`` (a page at a time; ids not found are absent)."""
        if not ids:
            return {}
        id_list = ", ".join(str(int(i)) for i in ids)
        out: dict[int, Row] = {}
        with db.reading(self.engine) as conn:
            tag_map: dict[int, list[str]] = {}
            for a_id, tag_id in conn.execute(text(
                    f"SELECT article_id, tag_id FROM article_tag WHERE article_id IN ({id_list}) "
                    "AND origin IN ('user', 'accepted') ORDER BY tag_id")):
                tag_map.setdefault(a_id, []).append(tag_id)
            for r in conn.execute(text(
                    "SELECT id, citekey, first_author, author_count, year, title, journal, "
                    "journal_abbrev, read_status, retracted, has_erratum, doi, pmid, pmcid "
                    f"FROM article WHERE id IN ({id_list})")):
                first = r.first_author + (" et al." if r.author_count > 1 else "")
                out[r.id] = Row(r.id, r.citekey, first, r.year, r.title,
                                r.journal_abbrev or r.journal, tag_map.get(r.id, []),
                                r.read_status, bool(r.retracted), bool(r.has_erratum),
                                r.doi, r.pmid, r.pmcid)
        return out

    def search(self, user_text: str) -> list[int]:
        """Ids matching a full-text search, best first. Never raises for odd input."""
        return self.ids(Query(search=user_text, sort="relevance"))

    def highlight_terms(self, user_text: str) -> list[str]:
        """The words a search matches on, for highlighting in the detail pane."""
        return [t.strip('"*') for t in re.findall(r'"[^"]+"\*?', fts_query(user_text))]

    # ----------------------------------------------------------------- editing
    def delete(self, ids: Sequence[int]) -> int:
        """Delete articles (and their authors, references, tags, list places) at once."""
        with db.transaction(self.engine) as conn:
            n = 0
            for i in ids:
                conn.execute(text("DELETE FROM article_fts WHERE rowid = :id"), {"id": i})
                n += conn.execute(text("DELETE FROM article WHERE id = :id"), {"id": i}).rowcount
        return n

    def set_read_status(self, ids: Sequence[int], status: int) -> None:
        if status not in READ_STATUS_NAMES:
            raise SpineLibError(f"unknown read status {status}")
        self._update_many(ids, read_status=status)

    def set_rating(self, article_id: int, rating: int) -> None:
        if not 0 <= rating <= 5:
            raise SpineLibError("a rating is 0 to 5 stars")
        self._update_many([article_id], rating=rating)

    def set_notes(self, article_id: int, notes: str) -> None:
        with db.transaction(self.engine) as conn:
            conn.execute(text("UPDATE article SET notes = :n, updated_at = :u WHERE id = :id"),
                         {"n": notes, "u": utcnow(), "id": article_id})
            self._reindex(conn, article_id)

    def _update_many(self, ids: Sequence[int], **values: Any) -> None:
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with db.transaction(self.engine) as conn:
            for i in ids:
                conn.execute(text(f"UPDATE article SET {sets}, updated_at = :u WHERE id = :id"),
                             {**values, "u": utcnow(), "id": i})

    def rekey(self, article_id: int, new_key: str | None = None) -> str:
        """Give an article a new citation key (generated when ``new_key`` is None)."""
        with db.transaction(self.engine) as conn:
            rec = self._load_record(conn, article_id)
            taken = self._citekey_taken(conn)
            if new_key is None:
                conn.execute(text("UPDATE article SET citekey = :k WHERE id = :id"),
                             {"k": f"__rekey_{article_id}", "id": article_id})
                new_key = generate_citekey(rec, taken)
            elif not is_valid_citekey(new_key):
                raise SpineLibError(f"{new_key!r} is not a valid citation key "
                                    "(letters, digits and _:.-+/ only)")
            elif new_key != rec.citekey and taken(new_key):
                raise SpineLibError(f"citation key {new_key!r} is already used")
            conn.execute(text("UPDATE article SET citekey = :k, updated_at = :u WHERE id = :id"),
                         {"k": new_key, "u": utcnow(), "id": article_id})
        return new_key

    # ----------------------------------------------------------------- tags
    def resolve_tag(self, name: str) -> str:
        """A user-typed tag (id, label, synonym, abbreviation, or user tag name) -> tag id.

        Raises SpineLibError listing close matches when nothing fits.
        """
        name = name.strip()
        if not name:
            raise SpineLibError("empty tag name")
        with db.reading(self.engine) as conn:
            exact = conn.execute(text("SELECT id FROM tag WHERE id = :n"), {"n": name}).scalar()
            if exact is not None:
                return str(exact)
            by_label = conn.execute(text(
                "SELECT id FROM tag WHERE lower(label) = lower(:n) OR lower(id) = lower(:n) "
                "ORDER BY origin = 'vocabulary' DESC LIMIT 1"), {"n": name}).scalar()
            if by_label is not None:
                return str(by_label)
            user_tags = [r[0] for r in conn.execute(text(
                "SELECT id FROM tag WHERE origin = 'user'"))]
        found = self.taxonomy.find(name)
        if found is not None:
            return found.id
        import difflib

        close = self.taxonomy.close_matches(name) + difflib.get_close_matches(name, user_tags, 3)
        hint = f"; did you mean: {', '.join(dict.fromkeys(close))}?" if close else ""
        raise SpineLibError(f"unknown tag {name!r}{hint} (create your own with "
                            f"'spinelib tag create {name!r}')")

    def tag_with_descendants(self, tag_id: str) -> list[str]:
        with db.reading(self.engine) as conn:
            return [r[0] for r in conn.execute(text(
                "WITH RECURSIVE sub(id) AS (SELECT :t UNION SELECT tag.id FROM tag JOIN sub "
                "ON tag.parent = sub.id) SELECT id FROM sub"), {"t": tag_id})]

    def create_tag(self, label: str, parent: str | None = None) -> str:
        """Create a user tag named ``label`` (stored as typed: commas, quotes, Unicode)."""
        label = " ".join(label.split())
        if not label:
            raise SpineLibError("a tag needs a name")
        parent_id = self.resolve_tag(parent) if parent else None
        with db.transaction(self.engine) as conn:
            if conn.execute(text("SELECT 1 FROM tag WHERE id = :t"), {"t": label}).first():
                raise SpineLibError(f"tag {label!r} already exists")
            conn.execute(text("INSERT INTO tag (id, label, parent, origin) VALUES "
                              "(:t, :t, :p, 'user')"), {"t": label, "p": parent_id})
        return label

    def _set_tag(self, conn: Connection, article_id: int, tag_id: str, origin: str,
                 reason: str) -> None:
        conn.execute(text(
            "INSERT INTO article_tag (article_id, tag_id, origin, reason) VALUES "
            "(:a, :t, :o, :r) ON CONFLICT(article_id, tag_id) DO UPDATE SET origin = :o"),
            {"a": article_id, "t": tag_id, "o": origin, "r": reason})

    def add_tags(self, ids: Sequence[int], tags: Sequence[str]) -> list[str]:
        """Add tags (resolved by :meth:`resolve_tag`) to articles as the user's own."""
        tag_ids = [self.resolve_tag(t) for t in tags]
        with db.transaction(self.engine) as conn:
            for a in ids:
                for t in tag_ids:
                    self._set_tag(conn, a, t, "user", "")
                self._reindex(conn, a)
        return tag_ids

    def remove_tags(self, ids: Sequence[int], tags: Sequence[str]) -> list[str]:
        """Remove tags; a removed suggestion is remembered as rejected."""
        tag_ids = [self.resolve_tag(t) for t in tags]
        with db.transaction(self.engine) as conn:
            for a in ids:
                for t in tag_ids:
                    conn.execute(text(
                        "UPDATE article_tag SET origin = 'rejected' WHERE article_id = :a AND "
                        "tag_id = :t AND origin = 'suggested'"), {"a": a, "t": t})
                    conn.execute(text(
                        "DELETE FROM article_tag WHERE article_id = :a AND tag_id = :t AND "
                        "origin IN ('user', 'accepted')"), {"a": a, "t": t})
                self._reindex(conn, a)
        return tag_ids

    def accept_suggestion(self, article_id: int, tag: str) -> str:
        return self._judge(article_id, tag, "accepted")

    def reject_suggestion(self, article_id: int, tag: str) -> str:
        return self._judge(article_id, tag, "rejected")

    def _judge(self, article_id: int, tag: str, origin: str) -> str:
        tag_id = self.resolve_tag(tag)
        with db.transaction(self.engine) as conn:
            res = conn.execute(text(
                "UPDATE article_tag SET origin = :o WHERE article_id = :a AND tag_id = :t AND "
                "origin IN ('suggested', 'accepted', 'rejected')"),
                {"o": origin, "a": article_id, "t": tag_id})
            if not res.rowcount:
                raise SpineLibError(f"{tag_id!r} is not a suggestion for this article")
            self._reindex(conn, article_id)
        return tag_id

    def rename_tag(self, old: str, new_label: str) -> str:
        """Rename a user tag (its id changes, assignments follow) or relabel a vocabulary tag."""
        tag_id = self.resolve_tag(old)
        new_label = " ".join(new_label.split())
        if not new_label:
            raise SpineLibError("a tag needs a name")
        with db.transaction(self.engine) as conn:
            origin = conn.execute(text("SELECT origin FROM tag WHERE id = :t"),
                                  {"t": tag_id}).scalar_one()
            if origin == "vocabulary":
                raise SpineLibError(f"{tag_id!r} belongs to the vocabulary and cannot be "
                                    "renamed; create a user tag and merge into it instead")
            if conn.execute(text("SELECT 1 FROM tag WHERE id = :n"), {"n": new_label}).first():
                raise SpineLibError(f"tag {new_label!r} already exists; merge instead")
            conn.execute(text("INSERT INTO tag (id, label, parent, origin) SELECT :n, :n, parent, "
                              "origin FROM tag WHERE id = :t"), {"n": new_label, "t": tag_id})
            conn.execute(text("UPDATE article_tag SET tag_id = :n WHERE tag_id = :t"),
                         {"n": new_label, "t": tag_id})
            conn.execute(text("UPDATE tag SET parent = :n WHERE parent = :t"),
                         {"n": new_label, "t": tag_id})
            conn.execute(text("DELETE FROM tag WHERE id = :t"), {"t": tag_id})
            for (a,) in conn.execute(text("SELECT article_id FROM article_tag WHERE tag_id = :n"),
                                     {"n": new_label}).fetchall():
                self._reindex(conn, a)
        return new_label

    def merge_tags(self, source: str, target: str) -> int:
        """Move every assignment of ``source`` to ``target`` and delete ``source`` (a user tag)."""
        src, dst = self.resolve_tag(source), self.resolve_tag(target)
        if src == dst:
            raise SpineLibError("cannot merge a tag into itself")
        with db.transaction(self.engine) as conn:
            if conn.execute(text("SELECT origin FROM tag WHERE id = :t"),
                            {"t": src}).scalar_one() == "vocabulary":
                raise SpineLibError(f"{src!r} belongs to the vocabulary and cannot be merged away")
            articles = [r[0] for r in conn.execute(text(
                "SELECT article_id FROM article_tag WHERE tag_id = :s"), {"s": src})]
            for a in articles:
                origin = conn.execute(text("SELECT origin FROM article_tag WHERE article_id = :a "
                                           "AND tag_id = :s"), {"a": a, "s": src}).scalar_one()
                self._set_tag(conn, a, dst, "user" if origin in CONFIRMED else origin, "")
            conn.execute(text("UPDATE tag SET parent = :d WHERE parent = :s"), {"d": dst, "s": src})
            conn.execute(text("DELETE FROM tag WHERE id = :s"), {"s": src})
            for a in articles:
                self._reindex(conn, a)
        return len(articles)

    def tag_counts(self, q: Query | None = None) -> list[dict[str, Any]]:
        """Every tag with parent, origin and the number of articles (within ``q``) carrying it
        or a descendant (suggestions included, rejections not).

        Without a query, a tag without children reads its count from ``tag_count`` (kept by
        triggers) and a parent counts distinct articles over its subtree in the covering
        index; with a query, the same count is taken within the query's articles.
        """
        where, params = self._where(q or Query())
        scope = f"AND article_id IN (SELECT a.id FROM article a WHERE {' AND '.join(where)})" \
            if where else ""
        with db.reading(self.engine) as conn:
            tags = conn.execute(text("SELECT id, label, parent, origin FROM tag")).fetchall()
            children: dict[str | None, list[str]] = {}
            for t in tags:
                children.setdefault(t.parent, []).append(t.id)

            def subtree(tag_id: str) -> list[str]:
                out = [tag_id]
                for child in children.get(tag_id, []):
                    out.extend(subtree(child))
                return out

            direct: dict[str, int]
            if where:
                direct = dict(conn.execute(text(
                    "SELECT tag_id, count(*) FROM article_tag WHERE origin != 'rejected' "
                    f"{scope} GROUP BY tag_id"), params).fetchall())
            else:
                direct = dict(conn.execute(text("SELECT tag_id, n FROM tag_count")).fetchall())
            counts: dict[str, int] = {}
            for t in tags:
                ids = subtree(t.id)
                in_use = [i for i in ids if direct.get(i)]
                if len(in_use) <= 1:
                    counts[t.id] = int(direct.get(in_use[0], 0)) if in_use else 0
                    continue
                names = ", ".join(f":t{j}" for j in range(len(in_use)))
                counts[t.id] = int(conn.execute(text(
                    "SELECT count(DISTINCT article_id) FROM article_tag WHERE origin != "
                    f"'rejected' AND tag_id IN ({names}) {scope}"),
                    {**params, **{f"t{j}": i for j, i in enumerate(in_use)}}).scalar_one())
        order = {t.id: i for i, t in enumerate(self.taxonomy.tags)}
        result = [{"id": t.id, "label": t.label, "parent": t.parent, "origin": t.origin,
                   "count": counts[t.id]} for t in tags]
        result.sort(key=lambda d: (d["origin"] != "vocabulary", order.get(d["id"], 0),
                                   str(d["label"]).casefold()))
        return result

    def facet_counts(self, q: Query | None = None) -> dict[str, list[tuple[str, int]]]:
        """facet -> [(value, count)] within ``q``, most frequent first (without a query, read
        from ``facet_count``, which triggers keep exact)."""
        where, params = self._where(q or Query())
        if where:
            scope = f"WHERE article_id IN (SELECT a.id FROM article a WHERE {' AND '.join(where)})"
            sql = (f"SELECT facet, value, count(*) AS n FROM article_facet {scope} "
                   "GROUP BY facet, value ORDER BY facet, n DESC, value")
        else:
            sql = ("SELECT facet, value, n FROM facet_count WHERE n > 0 "
                   "ORDER BY facet, n DESC, value")
        out: dict[str, list[tuple[str, int]]] = {}
        with db.reading(self.engine) as conn:
            for facet, value, n in conn.execute(text(sql), params):
                out.setdefault(facet, []).append((value, int(n)))
        return out

    def sidebar_counts(self) -> dict[str, int]:
        """Counts for the fixed sidebar entries (each an indexed count, no table scan)."""
        since = (datetime.now(UTC) - timedelta(days=RECENT_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with db.reading(self.engine) as conn:
            row = conn.execute(text(
                "SELECT (SELECT count(*) FROM article), "
                "(SELECT count(*) FROM article WHERE read_status = 0), "
                "(SELECT count(*) FROM article WHERE added_at >= :s), "
                "(SELECT count(*) FROM article WHERE retracted OR has_erratum), "
                "(SELECT count(*) FROM pending_import)"), {"s": since}).one()
        return {"all": int(row[0]), "unread": int(row[1]), "recent": int(row[2]),
                "retracted": int(row[3]), "pending": int(row[4])}

    # ----------------------------------------------------------------- reading lists
    def _list_id(self, name: str) -> int:
        with db.reading(self.engine) as conn:
            found = conn.execute(text("SELECT id FROM reading_list WHERE name = :n"),
                                 {"n": name}).scalar()
        if found is None:
            raise NoMatch(f"no reading list named {name!r}")
        return int(found)

    def reading_lists(self) -> list[dict[str, Any]]:
        with db.reading(self.engine) as conn:
            return [{"name": n, "count": int(c)} for n, c in conn.execute(text(
                "SELECT l.name, count(i.id) FROM reading_list l LEFT JOIN reading_list_item i "
                "ON i.list_id = l.id GROUP BY l.id ORDER BY l.name COLLATE NOCASE"))]

    def create_list(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise SpineLibError("a reading list needs a name")
        with db.transaction(self.engine) as conn:
            if conn.execute(text("SELECT 1 FROM reading_list WHERE name = :n"),
                            {"n": name}).first():
                raise SpineLibError(f"a reading list named {name!r} already exists")
            conn.execute(text("INSERT INTO reading_list (name, created_at) VALUES (:n, :c)"),
                         {"n": name, "c": utcnow()})

    def rename_list(self, old: str, new: str) -> None:
        list_id = self._list_id(old)
        new = new.strip()
        if not new:
            raise SpineLibError("a reading list needs a name")
        with db.transaction(self.engine) as conn:
            if conn.execute(text("SELECT 1 FROM reading_list WHERE name = :n AND id != :i"),
                            {"n": new, "i": list_id}).first():
                raise SpineLibError(f"a reading list named {new!r} already exists")
            conn.execute(text("UPDATE reading_list SET name = :n WHERE id = :i"),
                         {"n": new, "i": list_id})

    def delete_list(self, name: str) -> None:
        list_id = self._list_id(name)
        with db.transaction(self.engine) as conn:
            conn.execute(text("DELETE FROM reading_list WHERE id = :i"), {"i": list_id})

    def list_add(self, name: str, ids: Sequence[int]) -> int:
        """Append articles to a list (those already in it stay where they are)."""
        list_id = self._list_id(name)
        added = 0
        with db.transaction(self.engine) as conn:
            end = conn.execute(text("SELECT coalesce(max(position) + 1, 0) FROM reading_list_item "
                                    "WHERE list_id = :l"), {"l": list_id}).scalar_one()
            for a in ids:
                res = conn.execute(text(
                    "INSERT OR IGNORE INTO reading_list_item (list_id, article_id, position) "
                    "VALUES (:l, :a, :p)"), {"l": list_id, "a": a, "p": end + added})
                added += res.rowcount
        return added

    def list_remove(self, name: str, ids: Sequence[int]) -> int:
        list_id = self._list_id(name)
        with db.transaction(self.engine) as conn:
            n = sum(conn.execute(text("DELETE FROM reading_list_item WHERE list_id = :l AND "
                                      "article_id = :a"), {"l": list_id, "a": a}).rowcount
                    for a in ids)
            self._renumber(conn, list_id, self._list_order(conn, list_id))
        return n

    def list_items(self, name: str) -> list[int]:
        list_id = self._list_id(name)
        with db.reading(self.engine) as conn:
            return self._list_order(conn, list_id)

    def list_move(self, name: str, ids: Sequence[int], to_index: int) -> None:
        """Move articles (keeping their relative order) to ``to_index`` in the list."""
        list_id = self._list_id(name)
        with db.transaction(self.engine) as conn:
            order = self._list_order(conn, list_id)
            moving = [i for i in order if i in set(ids)]
            rest = [i for i in order if i not in set(ids)]
            before = len([i for i in order[:to_index] if i not in set(ids)])
            self._renumber(conn, list_id, rest[:before] + moving + rest[before:])

    def _list_order(self, conn: Connection, list_id: int) -> list[int]:
        return [int(r[0]) for r in conn.execute(text(
            "SELECT article_id FROM reading_list_item WHERE list_id = :l ORDER BY position"),
            {"l": list_id})]

    def _renumber(self, conn: Connection, list_id: int, order: Sequence[int]) -> None:
        for pos, a in enumerate(order):
            conn.execute(text("UPDATE reading_list_item SET position = :p WHERE list_id = :l "
                              "AND article_id = :a"), {"p": pos, "l": list_id, "a": a})

    # ----------------------------------------------------------------- pending imports
    def queue_pending(self, identifier: str, reason: str, *, tags: Sequence[str] = (),
                      with_references: bool = True) -> None:
        """Remember an identifier that could not be fetched, to retry when online."""
        with db.transaction(self.engine) as conn:
            conn.execute(text(
                "INSERT INTO pending_import (identifier, reason, queued_at, attempts, tags, "
                "with_references) VALUES (:i, :r, :q, 1, :t, :w) ON CONFLICT(identifier) DO "
                "UPDATE SET reason = :r, attempts = attempts + 1"),
                {"i": identifier, "r": reason, "q": utcnow(), "t": json.dumps(list(tags)),
                 "w": with_references})

    def pending(self) -> list[dict[str, Any]]:
        with db.reading(self.engine) as conn:
            return [{"identifier": r.identifier, "reason": r.reason, "queued_at": r.queued_at,
                     "attempts": r.attempts, "tags": _json_list(r.tags),
                     "with_references": bool(r.with_references)}
                    for r in conn.execute(text("SELECT * FROM pending_import ORDER BY id"))]

    def remove_pending(self, identifiers: Iterable[str]) -> None:
        with db.transaction(self.engine) as conn:
            for i in identifiers:
                conn.execute(text("DELETE FROM pending_import WHERE identifier = :i"), {"i": i})

    # ----------------------------------------------------------------- upkeep
    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the library (online-backup API), safe while others write."""
        if dest is None:
            return db.automatic_backup(self.path, "manual")
        return db.backup_to(self.path, dest)

    def check(self) -> list[str]:
        """Problems found by SQLite's checks and ours; [] means healthy."""
        return db.integrity_problems(self.path)

    # ---- queries added for the GUI
    def article_state(self, article_id: int) -> dict[str, Any]:
        """What the user set on one article and when: ``read_status`` (int), ``rating``,
        ``added_at``, ``updated_at`` (the detail pane's controls)."""
        with db.reading(self.engine) as conn:
            row = conn.execute(text(
                "SELECT read_status, rating, added_at, updated_at FROM article WHERE id = :id"),
                {"id": article_id}).first()
        if row is None:
            raise NoMatch(f"no article with id {article_id}")
        return {"read_status": int(row.read_status), "rating": int(row.rating),
                "added_at": row.added_at, "updated_at": row.updated_at}


def iter_batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


__all__ = ["AddResult", "Library", "LibraryError", "Query", "Row", "fts_query", "title_key"]
