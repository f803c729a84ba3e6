"""The duplicates room: finding articles that look like one publication, and merging them.

Promises:
- Candidates are never merged by accident: an import merges only on a matching identifier
  (:mod:`spinelib.library.merge`); articles sharing normalised title and first author,
  dated the same year or one apart (online, then in an issue), are listed here with the
  reason, for the user to merge or dismiss.
- A merge keeps the chosen article's values, fills its empty fields from the others, unites
  tags, reading-list places, notes, read status and rating, and keeps the others' citation
  keys and identifiers as aliases, so an old key or a re-import of the other PMID finds the
  merged article. One transaction, one undoable operation ("merge of 2 articles").
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spinelib.curation_results import EDITABLE_FIELDS, DuplicateGroup, MergeResult
from spinelib.errors import NoMatch, SpineLibError
from spinelib.library.merge import MIN_TITLE_KEY
from spinelib.records import Author, ReferenceEntry
from spinelib.results import CONFIRMED_ORIGINS, ReadStatus
from spinelib.store.connection import Connection
from spinelib.store.mapping import editors_from_json, first_author_text, title_key, utcnow
from spinelib.store.schema import FILLABLE, IDENTIFIER_COLUMNS
from spinelib.store.snapshots import Snapshot
from spinelib.text import plural
from spinelib.vocabulary import facets

if TYPE_CHECKING:
    from spinelib.library.facade import Library

_NAMES = {"doi": "DOIs", "pmid": "PMIDs", "pmcid": "PMCIDs"}
#: Read status order for a merge: the furthest the user got wins.
_PROGRESS = (ReadStatus.UNREAD, ReadStatus.READING, ReadStatus.READ)


#: How many years apart two records of one paper may be dated: a paper online in one year
#: is often in an issue the next, and a .bib or a publisher's record gives the first year
#: where PubMed gives the second (Zotero's duplicate check allows the same one year).
YEARS_APART = 1


def _year_runs(members: list[Any]) -> list[list[Any]]:
    """``members`` (rows of one title and first author) split into runs whose years are
    at most :data:`YEARS_APART` from the one before, each in id order."""
    runs: list[list[Any]] = []
    for row in sorted(members, key=lambda r: (int(r[3]), int(r[0]))):
        if runs and int(row[3]) - int(runs[-1][-1][3]) <= YEARS_APART:
            runs[-1].append(row)
        else:
            runs.append([row])
    return [sorted(run, key=lambda r: int(r[0])) for run in runs]


def _reason(rows: Sequence[Any]) -> str:
    conflicts = [_NAMES[c] for i, c in enumerate(IDENTIFIER_COLUMNS)
                 if len({r[5 + i] for r in rows if r[5 + i]}) > 1]
    years = sorted({int(r[3]) for r in rows})
    base = ("same title, year and first author" if len(years) == 1 else
            f"same title and first author, years {' and '.join(map(str, years))} (online, "
            "then in print?)")
    if conflicts:
        return f"{base}; different {' and '.join(conflicts)}"
    if not any(r[5] or r[6] or r[7] for r in rows):
        return f"{base}; no identifiers"
    return f"{base}; identifiers missing on some"


@dataclass
class _Merging:
    """A merge under way: the kept article's row as it becomes, the column updates, the
    fields filled, the aliases gathered, and the authors and references it now has."""

    kept: dict[str, Any]
    authors: list[Any]
    refs: list[Any]
    updates: dict[str, Any] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)


def _refuse_missing(found: Mapping[int, Snapshot], ids: Sequence[int]) -> None:
    """Raise NoMatch for the first of ``ids`` deleted meanwhile (nothing is merged)."""
    missing = [a for a in ids if a not in found]
    if missing:
        raise NoMatch(f"article id:{missing[0]} no longer exists (deleted meanwhile); "
                      "nothing was merged")


def _take_aliases(m: _Merging, art: Mapping[str, Any], aliases: list[Any]) -> None:
    """Keep the other's citation key and aliases; take an identifier the kept article
    lacks, and keep every other identifier as an alias."""
    m.aliases.append(("citekey", art["citekey"]))
    m.aliases.extend((k, v) for k, v in aliases)
    for col in IDENTIFIER_COLUMNS:
        if art[col] and not m.kept[col] and col not in m.updates:
            m.updates[col] = art[col]
        elif art[col]:
            m.aliases.append((col, art[col]))


def _take_fields(m: _Merging, art: Mapping[str, Any]) -> None:
    """Fill the kept article's empty fields, and a generic type, from the other."""
    for col in FILLABLE:
        if m.kept[col] in ("", None) and art[col] not in ("", None) and col not in m.updates:
            m.updates[col] = art[col]
    if m.kept["type"] in ("article", "other") and art["type"] not in ("article", "other"):
        m.updates.setdefault("type", art["type"])


def _unite_personal(m: _Merging, art: Mapping[str, Any]) -> None:
    """Join the notes and keep the furthest read status and the higher rating."""
    kept, updates = m.kept, m.updates
    if art["notes"] and art["notes"] not in kept["notes"]:
        kept["notes"] = "\n\n".join(n for n in (kept["notes"], art["notes"]) if n)
        updates["notes"] = kept["notes"]
    if _PROGRESS.index(ReadStatus.coerce(art["read_status"])) > _PROGRESS.index(
            ReadStatus.coerce(kept["read_status"])):
        kept["read_status"] = updates["read_status"] = art["read_status"]
    if art["rating"] > kept["rating"]:
        kept["rating"] = updates["rating"] = art["rating"]


def _apply_choices(updates: dict[str, Any], keep: int, choices: Mapping[str, int],
                   found: Mapping[int, Snapshot]) -> None:
    """Set the fields the user chose from another article (and the title's sort keys)."""
    for f, src in choices.items():
        if src != keep:
            updates[f] = found[src]["article"][f]
    if "title" in updates:
        updates.update(title_sort=str(updates["title"]).casefold(),
                       title_key=title_key(str(updates["title"])))


class DuplicatesManager:
    """``lib.duplicates``: candidates, dismiss, merge."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def candidates(self) -> list[DuplicateGroup]:
        """Groups of live articles with the same normalised title and first author's family
        name, dated the same year or :data:`YEARS_APART` apart, minus groups the user
        dismissed; oldest article first in each."""
        with self.store.reading() as conn:
            rows = self.store.curation.title_twins(conn, MIN_TITLE_KEY)
            dismissed = self.store.curation.dismissed(conn)
        groups: dict[tuple[str, str], list[Any]] = {}
        for r in rows:
            groups.setdefault((r[2], title_key(r[4])), []).append(r)
        runs = [run for members in groups.values() if len(members) > 1
                for run in _year_runs(members)]
        out: list[DuplicateGroup] = []
        for members in runs:
            if len(members) < 2:
                continue
            ids = [int(r[0]) for r in members]
            if all((a, b) in dismissed for a, b in itertools.combinations(sorted(ids), 2)):
                continue
            out.append(DuplicateGroup(ids, [r[1] for r in members], _reason(members)))
        out.sort(key=lambda g: g.ids[0])
        return out

    def look_alikes(self, ids: Collection[int]) -> list[int]:
        """Those of ``ids`` listed in a candidate group (:meth:`candidates`), in order: after
        an import, the new articles that look like others (an import merges only on a
        matching identifier, so a copy from a .bib without DOI comes in beside the PubMed
        record)."""
        wanted = set(ids)
        if not wanted:
            return []
        listed = {i for group in self.candidates() for i in group.ids}
        return sorted(wanted & listed)

    def dismiss(self, ids: Sequence[int]) -> None:
        """Say these articles are not duplicates: they are no longer listed together."""
        if len(set(ids)) < 2:
            raise SpineLibError("name at least two different articles")
        with self.store.writing() as conn:
            self.store.curation.dismiss(conn, list(itertools.combinations(sorted(set(ids)), 2)))

    def merge(self, keep: int, others: Sequence[int],
              choices: Mapping[str, int] | None = None) -> MergeResult:
        """Merge ``others`` into ``keep`` (see the module's promises). ``choices`` picks, per
        editable field, the article whose value wins (the GUI's side-by-side choice)."""
        others = list(dict.fromkeys(others))
        if not others:
            raise SpineLibError("name the article to keep and at least one to merge into it")
        if keep in others:
            raise SpineLibError("cannot merge an article with itself")
        choices = dict(choices or {})
        for f, src in choices.items():
            if f not in EDITABLE_FIELDS or f in IDENTIFIER_COLUMNS or f == "degree":
                raise SpineLibError(f"cannot choose {f!r} in a merge")
            if src != keep and src not in others:
                raise SpineLibError(f"{f}: the chosen article is not one of those merged")
        name = f"merge of {plural(len(others) + 1)}"
        with self.lib.history.recording(name, articles=[keep, *others]) as conn:
            return self._merge(conn, keep, others, choices)

    def _merge(self, conn: Connection, keep: int, others: list[int],
               choices: dict[str, int]) -> MergeResult:
        sql, snaps = self.store.articles, self.store.snapshots
        found = snaps.capture(conn, [keep, *others])
        _refuse_missing(found, [keep, *others])
        m = _Merging(dict(found[keep]["article"]), found[keep]["authors"],
                     found[keep]["references"])
        snaps.remove(conn, others)
        for other in others:
            self._absorb(conn, keep, m, found[other])
        updates = m.updates
        _apply_choices(updates, keep, choices, found)
        m.filled.extend(c for c in updates if c in FILLABLE or c in IDENTIFIER_COLUMNS)
        updates["updated_at"] = utcnow()
        sql.update(conn, [keep], updates)
        self.store.edits.add_aliases(conn, keep, m.aliases)
        self._reindex(conn, keep)
        merged_keys = [found[o]["article"]["citekey"] for o in others]
        return MergeResult(keep, m.kept["citekey"], merged_keys, sorted(set(m.filled)))

    def _absorb(self, conn: Connection, keep: int, m: _Merging, other: Snapshot) -> None:
        """Take one merged-away article into the kept one: its aliases and identifiers, empty
        fields, notes, progress, authors, references, tags, list places and edit marks."""
        art = other["article"]
        _take_aliases(m, art, other["aliases"])
        _take_fields(m, art)
        _unite_personal(m, art)
        self._take_authors_and_references(conn, keep, m, other)
        if not m.authors and "editors" in m.updates:
            # An article without authors is named by the editors it gains.
            m.updates["first_author"] = first_author_text(
                [], editors_from_json(m.updates["editors"]))
        self._unite_tags(conn, keep, other["tags"])
        for list_id, position in other["lists"]:
            self.store.snapshots.place_in_list(conn, int(list_id), keep, int(position))
        self.store.snapshots.write_attachments(conn, keep, other)
        self.store.edits.mark_edited(conn, keep, [f for f, _ in other["edits"]], utcnow())

    def _take_authors_and_references(self, conn: Connection, keep: int, m: _Merging,
                                     other: Snapshot) -> None:
        """Give the kept article the other's authors and references when it has none yet."""
        if not m.authors and other["authors"]:
            m.authors = other["authors"]
            self.store.edits.replace_authors(conn, keep, [Author(*r[1:]) for r in m.authors])
            art = other["article"]
            m.updates.update(first_author=art["first_author"], author_count=art["author_count"])
            m.filled.append("authors")
        if not m.refs and other["references"]:
            m.refs = other["references"]
            self.store.articles.insert_references(conn, keep, [_ref(r) for r in m.refs])
            m.filled.append("references")

    def _reindex(self, conn: Connection, keep: int) -> None:
        """Recompute the merged article's facets and full-text entry from what is stored."""
        stored = self.store.articles.load(conn, [keep], with_references=False)[keep]
        self.store.tags.replace_facets(
            conn, keep, [(fv.facet, fv.value, fv.reason)
                         for fv in facets(stored, self.lib.taxonomy)], existing=True)
        self.store.fulltext.reindex(conn, keep, stored)

    def _unite_tags(self, conn: Connection, keep: int, rows: list[list[Any]]) -> None:
        """The other's confirmed tags become the kept article's; its open suggestions are
        added unless the kept article already judged them."""
        tags = self.store.tags
        for tag_id, origin, reason in rows:
            if origin in CONFIRMED_ORIGINS:
                mine = tags.assignment_origin(conn, keep, tag_id)
                if mine not in CONFIRMED_ORIGINS:
                    tags.assign(conn, [(keep, tag_id)], origin)
            elif origin == "suggested":
                tags.suggest(conn, [(keep, tag_id, reason)])


def _ref(row: list[Any]) -> ReferenceEntry:
    """A reference row of a snapshot as the exchange type."""
    position, citation, doi, pmid, pmcid = row
    return ReferenceEntry(position, citation, doi or "", pmid or "", pmcid or "")
