"""The edits room: the user's corrections to an article's bibliographic fields, and a
source's values compared with (and applied over) what is stored, for refresh.

Promises:
- An edit is validated whole before anything is written: one invalid value (a malformed
  identifier, a year that is not a year, an identifier another article holds, named) refuses
  the whole edit and nothing changes.
- Edited fields are remembered as the user's; a refresh reports them and never overwrites
  them, and an import never fills them.
- Every edit and every applied refresh is one transaction and one undoable operation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spinelib.accessed import iso_accessed
from spinelib.curation_results import ARTICLE_TYPES, COMPARED_FIELDS, EDITABLE_FIELDS, FieldDiff
from spinelib.edition import edition_of
from spinelib.errors import NoMatch, SpineLibError
from spinelib.identifiers import identifier_of_kind
from spinelib.isbn import checked_isbn
from spinelib.pubstate import ended_by, status_text, typed_state
from spinelib.records import ArticleRecord, Author, initials_of
from spinelib.store.connection import Connection
from spinelib.store.mapping import (
    editors_from_json,
    editors_json,
    first_author_text,
    json_list,
    title_key,
    utcnow,
)
from spinelib.thesisdegree import refuse_unless_thesis, with_degree
from spinelib.vocabulary import facets

if TYPE_CHECKING:
    from spinelib.library.facade import Library

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The fields a kept PDF's article is identified by when the user has typed them all.
_TYPED_IN = frozenset({"authors", "year"})
#: The years an article may carry (a typo like 20015 is refused).
YEAR_RANGE = (1500, 2100)


def parse_authors(text: str, who: str = "author") -> list[Author]:
    """``"Family, Given; Family, Given"`` -> authors (or editors: ``who`` names them in the
    error); an entry without a comma is a group ("SPINE Study Group"). Raises
    :class:`SpineLibError` for an entry with no family name."""
    out: list[Author] = []
    for part in text.split(";"):
        part = " ".join(part.split())
        if not part:
            continue
        family, comma, given = (p.strip() for p in part.partition(","))
        if not comma:
            out.append(Author(collective=part))
            continue
        if not family:
            raise SpineLibError(f"{who} {part!r} has no family name (write 'Family, Given')")
        out.append(Author(family=family, given=given, initials=initials_of(given)))
    return out


def authors_text(authors: list[Author]) -> str:
    """Authors as ``edit --authors`` takes them (and as a refresh's diff shows them)."""
    return "; ".join(a.collective if a.is_collective else
                     f"{a.family}, {a.given}".rstrip(", ") for a in authors)


def _clean_title(value: str) -> str:
    """The title with runs of whitespace collapsed; an empty title is refused."""
    if not value:
        raise SpineLibError("title: an article needs a title")
    return " ".join(value.split())


def _clean_year(value: str) -> int | None:
    """The year as a number within :data:`YEAR_RANGE`, or None when left empty."""
    if not value:
        return None
    if not value.isdigit() or not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
        raise SpineLibError(f"year: {value!r} is not a year ({YEAR_RANGE[0]}-"
                            f"{YEAR_RANGE[1]})")
    return int(value)


def _clean_month(value: str) -> int | None:
    """The month number (1-12) from a number or a month name, or None when left empty."""
    if not value:
        return None
    if value.lower()[:3] in _MONTHS and value.isalpha():
        return _MONTHS.index(value.lower()[:3]) + 1
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise SpineLibError(f"month: {value!r} is not a month (1-12 or a month name)")
    return int(value)


def _identifier(kind: str) -> Callable[[str], str | None]:
    """The cleaner of an identifier field: the value normalised as every reader and the
    import box normalise it (:func:`~spinelib.identifiers.identifier_of_kind`: a doi.org or
    PubMed link, "PMID: 123", a PMID's leading zeros), None when left empty; a value that is
    not one is refused with the reason ("PMIDs start at 1"), never stored or silently
    cleared. A bare number is a PMID, so refused in the PMCID field: a pasted PMID there is
    likelier than a PMCID without its "PMC"."""
    def clean(value: str) -> str | None:
        if not value:
            return None
        found, why = identifier_of_kind(kind, value)
        if why:
            raise SpineLibError(f"{kind}: {why}")
        return found

    return clean


def _clean_type(value: str) -> str:
    """The lower-cased article type, which must be one of :data:`ARTICLE_TYPES`."""
    if value.lower() not in ARTICLE_TYPES:
        raise SpineLibError(f"type: {value!r} is not one of {', '.join(ARTICLE_TYPES)}")
    return value.lower()


def _clean_pubstate(value: str) -> str:
    """The stored key of a typed publication state ("in press" → "inpress"; '' for none)."""
    try:
        return typed_state(value)
    except ValueError as exc:
        raise SpineLibError(f"pubstate: {exc}") from None


def _clean_accessed(value: str) -> str:
    """The ISO date of a typed access date ("2026-12-05", "5 Dec 2026"; '' for none)."""
    found = iso_accessed(value)
    if value and not found:
        raise SpineLibError(f"accessed: {value!r} is not a date (2026-12-05, 5 Dec 2026)")
    return found


def _clean_isbn(value: str) -> str:
    """An ISBN whose check digit holds, as typed ('' for none)."""
    found = checked_isbn(value)
    if value and not found:
        raise SpineLibError(f"isbn: {value!r} is not an ISBN (10 or 13 digits whose last, the "
                            "check digit, fits the others)")
    return found


def _clean_editors(value: str) -> str:
    """The ``editors`` column of a typed list ("Family, Given; Family, Given")."""
    return editors_json(parse_authors(value, "editor"))


#: The fields whose typed text needs more than stripping, and the helper that checks each.
_CLEANERS: dict[str, Callable[[str], Any]] = {
    "title": _clean_title,
    "year": _clean_year,
    "month": _clean_month,
    "doi": _identifier("doi"),
    "pmid": _identifier("pmid"),
    "pmcid": _identifier("pmcid"),
    "type": _clean_type,
    "pubstate": _clean_pubstate,
    "accessed": _clean_accessed,
    "editors": _clean_editors,
    "edition": edition_of,
    "isbn": _clean_isbn,
}


def _clean(field: str, raw: str) -> Any:
    """One typed value (the column's) from what the user typed; SpineLibError says why not.
    Every field but the abstract is one line: a line break typed or pasted into it (a
    journal's name copied from a PDF) is a space, as the exports would write it."""
    value = raw.strip()
    if _CONTROL.search(value):
        raise SpineLibError(f"{field}: control characters are not allowed")
    if field != "abstract":
        value = " ".join(value.split())
    cleaner = _CLEANERS.get(field)
    if cleaner is None:
        return value
    return cleaner(value)


@dataclass(frozen=True)
class CheckedValues:
    """Typed values checked: the columns as stored, and the author list when given."""

    columns: dict[str, Any]
    authors: list[Author] | None


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _compared(rec: ArticleRecord, field: str) -> str:
    """A field as a refresh compares and shows it: the author list as typed, a DOI in lower
    case, a publication state in words ("in press")."""
    if field == "authors":
        return authors_text(rec.authors)
    if field == "editors":
        return authors_text(rec.editors)
    if field == "pubstate":
        return status_text(rec.pubstate)
    value = _shown(getattr(rec, field))
    return value.lower() if field == "doi" else value


def _degree_update(row: Any, degree: str | None, new_type: str | None) -> dict[str, str]:
    """``{"publication_types": JSON}`` when a typed ``degree`` changes the stored thesis's
    (:mod:`spinelib.thesisdegree`; refused for another type), ``{}`` otherwise."""
    if degree is None:
        return {}
    types = json_list(row["publication_types"])
    typed = with_degree(row["type"], types, new_type or row["type"], degree)
    return {} if typed == types else {"publication_types": json.dumps(typed)}


class EditsManager:
    """``lib.edits``: edit, compare with a source, apply a source."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def validate(self, values: Mapping[str, str], authors: str | None = None) -> CheckedValues:
        """Check every value (no database needed); the first problem raises."""
        unknown = [f for f in values if f not in EDITABLE_FIELDS]
        if unknown:
            raise SpineLibError(f"cannot edit {unknown[0]!r}; fields: "
                                f"{', '.join(EDITABLE_FIELDS)} (and --authors)")
        columns = {f: _clean(f, v) for f, v in values.items()}
        if "type" in columns:  # the stored type is the edit's to check (_write)
            refuse_unless_thesis(columns.get("degree", ""), columns["type"])
        parsed = None if authors is None else parse_authors(authors)
        return CheckedValues(columns, parsed)

    def edit(self, article_id: int, values: Mapping[str, str],
             authors: str | None = None, *, citekey: str | None = None) -> list[str]:
        """Set fields (``values``: field -> text as typed) and, when given, the author list
        and a new citation key (:meth:`~spinelib.library.articles.ArticlesManager.rekey`'s
        rules: the old key stays an alias); one transaction, one undo step. Returns the
        fields that changed ("citekey" among them); the others are remembered as the
        user's."""
        checked = self.validate(values, authors)
        if not checked.columns and checked.authors is None and citekey is None:
            raise SpineLibError("nothing to edit: give --set FIELD=VALUE or --authors")
        key = self._key(article_id)
        with self.lib.history.recording(f"edit of {key}", articles=[article_id]) as conn:
            kept_pdf = self.store.attachments.is_unidentified(conn, article_id)
            before = self.lib.articles.stand_in_before(conn, article_id)
            changed = self._write(conn, article_id, checked.columns, checked.authors)
            if citekey is not None and citekey != key:
                self.lib.articles.rekey_in(conn, article_id, citekey)
                changed.append("citekey")
            elif (kept_pdf and not self.store.attachments.is_unidentified(conn, article_id)
                  and self.lib.articles.rekey_in(conn, article_id, None) != key) or (
                    changed and self.lib.articles.rekey_stand_in(conn, article_id, before)):
                # Identified by this edit, or given the author and date its key stood in
                # for: the key its first page or its lack gave ("anonnd…") is now one of its
                # authors and year, as an identification by search gives it; the old key
                # stays an alias.
                changed.append("citekey")
            return changed

    def _key(self, article_id: int) -> str:
        trashed = None
        with self.store.reading() as conn:
            key = self.store.articles.citekey(conn, article_id)
            if key is None:
                trashed = self.store.trash.get(conn, article_id)
        if key is None:
            where = "is in the trash" if trashed else "no longer exists"
            raise NoMatch(f"article id:{article_id} {where} (deleted, perhaps by another "
                          "window); nothing was changed")
        return key

    def _write(self, conn: Connection, article_id: int, columns: dict[str, Any],
               authors: list[Author] | None, *, mark: bool = True) -> list[str]:
        sql = self.store.articles
        row = sql.row(conn, article_id)
        if row is None:
            raise NoMatch(f"article id:{article_id} was deleted meanwhile; nothing was changed")
        self.check_identifiers(conn, article_id, columns)
        columns = dict(columns)
        degree = _degree_update(row, columns.pop("degree", None), columns.get("type"))
        changed = {c: v for c, v in columns.items() if row[c] != v}
        updates: dict[str, Any] = {**changed, **degree}
        if "title" in changed:
            updates.update(title_sort=changed["title"].casefold(),
                           title_key=title_key(changed["title"]))
        fields = [*changed, *(["degree"] if degree else [])]
        if authors is not None:
            current = self.lib.articles.record(article_id).authors
            if authors_text(current) != authors_text(authors):
                orcids = {a.family: a.orcid for a in current if a.orcid}
                authors = [Author(a.family, a.given, a.initials, a.collective,
                                  a.orcid or orcids.get(a.family, "")) for a in authors]
                self.store.edits.replace_authors(conn, article_id, authors)
                updates["author_count"] = len(authors)
                fields.append("authors")
        if "authors" in fields or ("editors" in changed and not row["author_count"]):
            # An edited book without authors is named by its editors (mapping.first_author_text).
            updates["first_author"] = first_author_text(
                authors if authors is not None else [],
                editors_from_json(changed["editors"] if "editors" in changed
                                  else row["editors"]))
        if not fields:
            return []
        now = utcnow()
        updates["updated_at"] = now
        sql.update(conn, [article_id], updates)
        if mark:
            self.store.edits.mark_edited(conn, article_id, fields, now)
        if any(changed.get(c) for c in ("doi", "pmid", "pmcid")) or (
                mark and self.store.edits.edited(conn, article_id) >= _TYPED_IN):
            # A paper kept from a PDF without an identifier has one now, or the user typed
            # what its first page did not give (a guideline has no DOI to find): identified.
            self.store.attachments.clear_unidentified(conn, article_id)
        stored = sql.load(conn, [article_id], with_references=False)[article_id]
        self.store.tags.replace_facets(
            conn, article_id, [(fv.facet, fv.value, fv.reason)
                               for fv in facets(stored, self.lib.taxonomy)], existing=True)
        self.store.fulltext.reindex(conn, article_id, stored)
        return fields

    def check_identifiers(self, conn: Connection, article_id: int,
                           columns: Mapping[str, Any]) -> None:
        """Refuse, naming the holder, an identifier another article holds (live, as an
        alias of a merge, or in the trash)."""
        for column in ("doi", "pmid", "pmcid"):
            value = columns.get(column)
            if not value:
                continue
            owner = self.store.articles.id_by_identifier(conn, column, value)
            how = ""
            if owner is None:
                owner = self.store.edits.alias_owner(conn, column, value)
                how = " (merged into it)"
            if owner is not None and owner != article_id:
                key = self.store.articles.citekey(conn, owner)
                raise SpineLibError(f"{column.upper()} {value} already belongs to {key}{how}; "
                                    "nothing was changed")
            trashed = self.store.trash.find(conn, column, value)
            if trashed is not None and trashed != article_id:
                raise SpineLibError(f"{column.upper()} {value} belongs to an article in the "
                                    "trash; restore it or empty the trash first")

    def user_edited(self, article_id: int) -> set[str]:
        """The fields the user edited on this article."""
        with self.store.reading() as conn:
            return self.store.edits.edited(conn, article_id)

    # ---- refresh: a source's record against what is stored
    def diff(self, article_id: int, source: ArticleRecord) -> list[FieldDiff]:
        """Fields whose stored value differs from the source's (the source's empty values
        are not differences: a refresh never empties a field)."""
        stored = self.lib.articles.record(article_id)
        edited = self.user_edited(article_id)
        out: list[FieldDiff] = []
        for f in COMPARED_FIELDS:
            mine, theirs = _compared(stored, f), _compared(source, f)
            if theirs and mine != theirs:
                out.append(FieldDiff(f, mine, theirs, f in edited))
        if ended_by(stored.pubstate, source):
            # The one emptying a refresh does: the source has the paper in an issue, so
            # "in press" is over (APA would print "(2026) … In press." of a published paper).
            out.append(FieldDiff("pubstate", _compared(stored, "pubstate"), "",
                                 "pubstate" in edited))
        return out

    def apply_source(self, article_id: int, source: ArticleRecord) -> tuple[list[str], list[str]]:
        """Take the source's values except for user-edited fields; returns (applied, kept).
        Not marked as the user's: the values are the source's."""
        diffs = self.diff(article_id, source)
        kept = [d.field for d in diffs if d.user_edited]
        take = {d.field: d.source for d in diffs if not d.user_edited}
        if not take:
            return [], kept
        key = self._key(article_id)
        authors = source.authors if "authors" in take else None
        columns = {f: _clean(f, v) for f, v in take.items() if f != "authors"}
        with self.lib.history.recording(f"update of {key} from its source",
                                        articles=[article_id]) as conn:
            before = self.lib.articles.stand_in_before(conn, article_id)
            applied = self._write(conn, article_id, columns, authors, mark=False)
            if applied and self.lib.articles.rekey_stand_in(conn, article_id, before):
                # A key that stood in for a missing author or date ("anonnd…", a kept PDF
                # identified by its DOI) becomes the article's own; the old one an alias.
                applied.append("citekey")
        return applied, kept
