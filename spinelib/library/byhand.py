"""The by-hand room: an article typed in field by field (``spinelib add``, File ▸ New
article…), for what no DOI or PMID fetches: a society's guideline, a conference abstract,
a thesis, a web page, a chapter of a book without a DOI.

Promises:
- The values are checked as an edit checks them (:meth:`EditsManager.validate
  <spinelib.library.edits.EditsManager.validate>`: a year that is not one, a malformed
  identifier, an unknown type, a field that does not exist) and a title is required; the
  tags and reading lists are named before anything is written. One problem refuses the
  whole article and the library is unchanged.
- A DOI, PMID or PMCID another article holds (live, as a merge's alias, or in the trash)
  is refused naming it: typing a held paper again would otherwise fill it silently.
- The article is stored as an import stores one (citation key, search index, facets and
  technique suggestions), in one transaction recorded as one undo step, "addition of KEY":
  undo takes it away, redo brings it back. Every value typed is remembered as the user's,
  so a refresh reports its source's values and never takes them over.
- A citation key typed with it (``--key``, the form's Key field) is the article's key, as
  BibTeX, biber and pandoc accept it; a key another article holds, or once held (an alias
  a manuscript may still cite), is refused naming that article, never taken over.
- The very entry typed again (the same title, year, first author, journal, volume and
  pages) is refused naming the article; the same title with other details is another
  article, which Duplicates lists, never merged silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from spinelib.citekeys import key_form_problem
from spinelib.errors import NoMatch, SpineLibError
from spinelib.records import TYPED, ArticleRecord
from spinelib.results import AddResult
from spinelib.store.mapping import editors_from_json, utcnow
from spinelib.thesisdegree import refuse_unless_thesis

if TYPE_CHECKING:
    from spinelib.library.edits import CheckedValues
    from spinelib.library.facade import Library
    from spinelib.store.connection import Connection

def typed_record(columns: Mapping[str, Any]) -> ArticleRecord:
    """The record of the checked ``columns`` (:meth:`EditsManager.validate`'s values: the
    editors in their column's JSON, read back as a stored article's are)."""
    rec = ArticleRecord(source=TYPED)
    for field, value in columns.items():
        if field == "editors":
            rec.editors = editors_from_json(value)
        elif field == "degree":  # a thesis's, kept as its first publication type
            rec.publication_types = [value] if value else []
        elif value is not None:
            setattr(rec, field, value)
    return rec


class ByHandManager:
    """``lib.by_hand``: add an article typed in by hand."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def check(self, values: Mapping[str, str], authors: str | None = None,
              citekey: str | None = None) -> CheckedValues:
        """The values as :meth:`add` stores them, checked without the database (a form
        checks them before it saves): the edit's checks, a field that is not one too, a
        title, and the form of a typed ``citekey``. SpineLibError says the first problem."""
        checked = self.lib.edits.validate(values, authors)
        if not checked.columns.get("title"):
            raise SpineLibError("an article needs a title (title=…); nothing was added")
        refuse_unless_thesis(checked.columns.get("degree", ""),
                             checked.columns.get("type", "article"))
        problem = key_form_problem(citekey.strip()) if citekey and citekey.strip() else ""
        if problem:
            raise SpineLibError(f"{problem}; nothing was added")
        return checked

    def add(self, values: Mapping[str, str], authors: str | None = None, *,
            tags: Sequence[str] = (), lists: Sequence[str] = (),
            citekey: str | None = None) -> AddResult:
        """Store one article of ``values`` (field -> text as typed, the fields of
        ``spinelib edit``) and ``authors`` ("Family, Given; Group name"); ``tags`` (as
        ``spinelib tag add`` takes them) are the user's own, ``lists`` reading lists it
        joins; ``citekey`` its key (generated as an import's when None or blank).
        SpineLibError (NoMatch for an unknown list) says why nothing was added."""
        checked = self.check(values, authors, citekey)
        key = (citekey or "").strip()
        typed = {f: v for f, v in values.items() if v.strip()}
        tag_ids = [self.lib.tags.resolve(t) for t in tags]
        names = list(dict.fromkeys(self.lib.lists.name_of(n) for n in lists if n.strip()))
        rec = typed_record(checked.columns)
        rec.authors = checked.authors or []
        rec.citekey = key
        fields = [*typed, *(["authors"] if rec.authors else [])]
        with self.lib.history.recording("addition of a typed article") as conn:
            self.lib.edits.check_identifiers(conn, 0, checked.columns)
            if key:
                self._check_key_free(conn, key)
            result = self.lib.articles.merger.merge(conn, rec, tag_ids, suggest_tags=True)
            if result.status != "imported":
                # The very entry again (title, year, first author, journal, volume, pages:
                # the merge's rule for records without identifiers); what it filled goes
                # back with the transaction.
                raise SpineLibError(f"{rec.label()} is already in the library as "
                                    f"{result.citekey}; nothing was added")
            self.lib.history.touch_new(conn, articles=[result.article_id])
            self.store.edits.mark_edited(conn, result.article_id, fields, utcnow())
            for name in names:
                list_id = self.store.lists.id_of(conn, name)
                if list_id is None:
                    raise NoMatch(f"the reading list {name!r} was deleted meanwhile; "
                                  "nothing was added")
                self.lib.history.touch(conn, lists=[list_id])
                self.store.lists.append(conn, list_id, [result.article_id])
            self.lib.history.rename_running(f"addition of {result.citekey}")
        result.messages.extend(self._look_alike(result.article_id))
        return result

    def _check_key_free(self, conn: Connection, key: str) -> None:
        """Refuse ``key`` when an article holds it (in any letter case, as BibTeX reads
        keys) or held it (an alias: a manuscript citing it finds that article)."""
        if self.store.articles.citekey_taken(conn, key):
            exact = self.store.articles.id_by_identifier(conn, "citekey", key) is not None
            case = "" if exact else " in another letter case (BibTeX reads them as one)"
            raise SpineLibError(f"citation key {key!r} is already used by another "
                                f"article{case}; nothing was added")
        owner = self.store.edits.alias_owner(conn, "citekey", key)
        if owner is not None:
            held = self.store.articles.citekey(conn, owner)
            raise SpineLibError(f"citation key {key!r} is an earlier key of {held} (a "
                                f"manuscript citing it finds {held}); nothing was added")

    def _look_alike(self, article_id: int) -> list[str]:
        """A note naming the articles this one looks like (Duplicates' reason: the same
        title and first author, dated the same year or one apart; two versions of one paper,
        or one typed in twice), as an import notes its look-alikes; none when there are
        none."""
        for group in self.lib.duplicates.candidates():
            if article_id in group.ids:
                others = [k for i, k in zip(group.ids, group.keys) if i != article_id]
                why = group.reason.split(";")[0]
                return [f"looks like {', '.join(others)} ({why}): Duplicates lists them, to "
                        "merge or to keep apart"]
        return []
