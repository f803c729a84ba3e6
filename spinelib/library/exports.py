"""The kept-exports room: exports SpineLib rewrites when the library changes (Better BibTeX's
"keep updated"), and the one place an export's text is made from a scope and a format.

Promises:
- :meth:`ExportsManager.sync` rewrites a file only when its content would change (identical
  bytes are never rewritten, so Make and LaTeX see no new timestamp), atomically, and one
  target that cannot be written (its folder vanished) is reported without stopping the rest.
- A registration is one transaction; removing one never deletes the file itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import NoMatch, SpineLibError
from spinelib.records import ArticleRecord
from spinelib.results import KeptExport, Query, SyncOutcome
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library

#: The export format that formats with a CSL style (``--format bibliography --style ID``).
BIBLIOGRAPHY = "bibliography"
#: The export read by people: each article's citation, abstract, tags and notes.
REPORT = "report"


@dataclass
class ExportScope:
    """What an export holds: citation keys, or a query (all of it empty: everything)."""

    keys: list[str] = field(default_factory=list)
    search: str = ""
    tags: list[str] = field(default_factory=list)
    facets: list[tuple[str, str]] = field(default_factory=list)
    reading_list: str | None = None

    def to_json(self) -> str:
        return json.dumps({"keys": self.keys, "search": self.search, "tags": self.tags,
                           "facets": [list(f) for f in self.facets],
                           "list": self.reading_list}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ExportScope:
        data = json.loads(text)
        return cls(keys=list(data.get("keys") or []), search=data.get("search") or "",
                   tags=list(data.get("tags") or []),
                   facets=[(str(a), str(b)) for a, b in data.get("facets") or []],
                   reading_list=data.get("list"))

    def describe(self) -> str:
        """"list:Cited in paper.docx", "tag:metastasis", "search:…", "keys:a,b" or "all"."""
        parts = []
        if self.reading_list is not None:
            parts.append(f"list:{self.reading_list}")
        parts += [f"tag:{t}" for t in self.tags]
        parts += [f"facet:{a}={b}" for a, b in self.facets]
        if self.search:
            parts.append(f"search:{self.search}")
        if self.keys:
            parts.append("keys:" + ",".join(self.keys))
        return " ".join(parts) or "all"


class ExportsManager:
    """``lib.exports``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    # ---- making an export
    def ids(self, scope: ExportScope) -> list[int]:
        """The scope's articles in export order: a list's own order, else by first author."""
        query = Query(search=scope.search, tags=list(scope.tags), facets=list(scope.facets),
                      reading_list=scope.reading_list)
        if scope.keys:
            ids = [self.lib.articles.resolve_key(k) for k in scope.keys]
            if scope.search or scope.tags or scope.facets or scope.reading_list:
                allowed = set(self.lib.search.ids(query))
                ids = [i for i in ids if i in allowed]
            return ids
        if query.reading_list is not None:
            query.sort = "list"
        else:
            query.sort, query.descending = "first_author", False
        return self.lib.search.ids(query)

    def records(self, ids: Sequence[int], fmt: str) -> list[ArticleRecord]:
        """The records an export in ``fmt`` writes, in the order of ``ids``: as cited for a
        reference list ("bibliography", "vancouver", "ama"…: a journal's abbreviation lent,
        :meth:`ArticlesManager.records_to_cite`), as stored for a data format."""
        from spinelib.formats import registry

        if fmt == BIBLIOGRAPHY or registry.cites(fmt):
            records = self.lib.articles.records_to_cite(ids)
            if fmt == REPORT:
                # A report is read by people: its tags by their labels, not their ids.
                label = {t.id: t.label for t in self.lib.tags.counts()}
                for rec in records:
                    rec.tags = [label.get(t, t) for t in rec.tags]
            return records
        return self.lib.articles.records(ids, with_references=False, with_mesh=False)

    def list_groups(self, ids: Sequence[int], records: Sequence[ArticleRecord]) -> str:
        """The reading lists holding any of ``ids`` as a JabRef group tree to end a .bib
        with (``records``: the export's, in the order of ``ids``, for their keys): JabRef
        shows the lists as its groups, Zotero's import makes them collections, and an import
        here makes them lists again. '' when no list holds any of them."""
        from spinelib.formats.bibtex.groups import group_tree_text

        key_of = {i: r.citekey for i, r in zip(ids, records, strict=True)}
        held = self.lib.lists.holding(ids)
        if not held:
            return ""
        return group_tree_text([(name, [key_of[i] for i in members]) for name, members in held])

    @staticmethod
    def render(records: list[ArticleRecord], fmt: str, *, style: str = "",
               html: bool = False, abstracts: bool = False, title: str = "") -> str:
        """The export text of ``records`` in format ``fmt`` (a CSL ``style`` for
        "bibliography"; a report headed ``title``, its reading list's name); ValueError for
        an unknown format, NotFound for an unknown style."""
        from spinelib.formats import registry

        if fmt == BIBLIOGRAPHY:
            from spinelib.cite import format_bibliography

            if not style:
                raise SpineLibError("a reference list needs a citation style")
            return format_bibliography(records, style, html=html)
        chosen = registry.export_format(fmt)
        if html and chosen.html_variant:
            chosen = registry.export_format(chosen.html_variant)
        return chosen.write(records, abstracts=abstracts, title=title)

    # ---- keeping exports
    def register(self, path: Path, fmt: str, scope: ExportScope, *, style: str = "",
                 html: bool = False, abstracts: bool = False, written: bool = True) -> KeptExport:
        """Keep the export at ``path`` (made absolute) up to date from now on."""
        kept = KeptExport(str(Path(path).resolve()), fmt, style, html, abstracts,
                          scope.to_json(), utcnow() if written else "", "")
        with self.store.writing() as conn:
            self.store.exports.put(conn, kept)
        return kept

    def all(self) -> list[KeptExport]:
        """Every kept export, by path; ``last_error`` says why its last sync failed."""
        with self.store.reading() as conn:
            return self.store.exports.all(conn)

    def remove(self, path: Path | str) -> None:
        """Stop keeping the export at ``path`` (the file stays); NoMatch if it is not kept."""
        with self.store.writing() as conn:
            if not (self.store.exports.remove(conn, str(Path(path).resolve()))
                    or self.store.exports.remove(conn, str(path))):
                raise NoMatch(f"{path} is not a kept export (see: spinelib exports)")

    def sync(self) -> list[SyncOutcome]:
        """Rewrite every kept export whose content changed; one outcome per export."""
        return [self.sync_one(kept) for kept in self.all()]

    def change_stamp(self) -> str:
        """A value that changes whenever the library changes in a way an export could show
        (see :meth:`sync_if_changed`)."""
        with self.store.reading() as conn:
            return self.store.exports.change_stamp(conn)

    def sync_if_changed(self, previous: str) -> tuple[str, list[SyncOutcome]]:
        """(the stamp now, outcomes): syncs only when the stamp differs from ``previous`` —
        the GUI calls this every few seconds, so a bulk edit or another process's change
        leads to one write per kept export, not one per article."""
        stamp = self.change_stamp()
        if stamp == previous:
            return stamp, []
        return stamp, self.sync()

    def sync_one(self, kept: KeptExport) -> SyncOutcome:
        """Bring one kept export up to date (see :meth:`sync`)."""
        from spinelib.formats import write_atomic

        path = Path(kept.path)
        try:
            scope = ExportScope.from_json(kept.scope)
            records = self.records(self.ids(scope), kept.format)
            text = self.render(records, kept.format, style=kept.style, html=kept.html,
                               abstracts=kept.abstracts, title=scope.reading_list or "")
            if not path.parent.is_dir():
                raise SpineLibError(f"its folder {path.parent} no longer exists")
            try:
                unchanged = path.read_bytes() == text.encode("utf-8")
            except OSError:
                unchanged = False
            if unchanged:
                outcome = SyncOutcome(kept.path, "unchanged")
            else:
                write_atomic(path, text)
                outcome = SyncOutcome(kept.path, "written")
        except (SpineLibError, ValueError) as exc:
            outcome = SyncOutcome(kept.path, "failed", str(exc))
        with self.store.writing() as conn:
            self.store.exports.mark(conn, kept.path, error=outcome.message,
                                    written=utcnow() if outcome.status == "written" else None)
        return outcome
