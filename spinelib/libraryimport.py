"""Another SpineLib library merged into this one: a colleague's library handed over at the
end of a fellowship, the library of a second computer, or an old backup.

What comes along, article by article:

- the record, merged as any import merges it (:mod:`spinelib.library.merge`): an article
  already here (same DOI, PMID or PMCID) is completed, never doubled, and its citation key
  is kept when it is free here (manuscripts citing it keep working);
- its confirmed tags: vocabulary tags as they are, the other library's own tags made here
  when this library has no tag of that name (under the same parent);
- its notes: added after notes already here (never replacing them), once;
- its reading state and rating, where this library has none yet;
- its attached files, copied in as an import of a Zotero or JabRef export copies them
  (:class:`~spinelib.linkedfiles.LinkedFiles`: only the kinds of file a paper comes with);
- the reading lists, in their order: a list of the same name (any letter case) gains the
  articles it lacks, at its end.

What stays behind: the trash, the undo history, rejected suggestions, saved searches,
literature watches and team settings (they are that library's own way of working).

Promises: the other library is never written: it is copied with SQLite's backup API (so a
library open in another SpineLib copies whole) into a temporary folder, and opened there (an
older schema is upgraded in the copy). Every step is idempotent, so importing the same
library again changes nothing, and completes an import that was cut short. A file that is
not a SpineLib library, or is this library itself, is refused before anything is read.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from spinelib.errors import LibraryError, NoMatch, SpineLibError
from spinelib.import_results import Cancelled, ImportItem, ImportReport, Progress
from spinelib.library import AddResult, Library
from spinelib.library.filestore import files_dir
from spinelib.linkedfiles import LinkedFiles
from spinelib.paths import same_file
from spinelib.records import ArticleRecord
from spinelib.results import ReadStatus, TagCount
from spinelib.text import first_few, plural

#: The suffix of a SpineLib library's file (and of its backups), offered by the file chooser.
LIBRARY_SUFFIX = ".sqlite"
#: Articles read from the other library and merged at a time (records with their reference
#: lists: memory stays bounded whatever its size).
BATCH = 500


def refusal(library: Library, source: Path) -> str | None:
    """Why the library file ``source`` cannot be merged into ``library`` (it is that very
    library, not a SpineLib library, empty, of a newer schema), or None; the file is only
    read, its header and schema version (``import --dry-run`` asks this too)."""
    if same_file(source, library.path):
        return "is this library itself"
    try:
        Library.check_backup(source)
    except LibraryError as exc:
        return str(exc)
    return None


def import_library(library: Library, source: Path, *, tags: Sequence[str] = (),
                   progress: Progress | None = None, cancelled: Cancelled | None = None,
                   report: ImportReport) -> None:
    """Merge the SpineLib library at ``source`` into ``library`` (see the module's
    promises); one item per article in ``report``, and what came along in its warnings.
    ``tags`` (ids) are given to every article, as any import gives them."""
    name = source.name
    refused = refusal(library, source)
    if refused is not None:
        report.items.append(ImportItem(name, "failed", refused))
        return
    with tempfile.TemporaryDirectory(prefix="spinelib-merge-") as folder:
        try:
            copy = Library.copy_file(source, Path(folder) / source.name)
            other = Library.open(copy)
        except LibraryError as exc:  # damaged, unreadable: said, and the rest imported
            report.items.append(ImportItem(name, "failed", str(exc)))
            return
        with other:
            _Merge(library, other, source, files_dir(copy), report).run(
                tags, progress, cancelled)


class _Merge:
    """One library merged into another: the ids of the other's articles here, and what
    came along, for the report's warnings."""

    def __init__(self, library: Library, other: Library, source: Path, copy_files: Path,
                 report: ImportReport) -> None:
        self.library = library
        self.other = other
        self.source = source
        self.copy_files = copy_files
        self.report = report
        #: The other library's article id -> the article it became here.
        self.here: dict[int, int] = {}
        #: The other library's tag ids -> this library's (made here when missing).
        self.tag_ids: dict[str, str] = {}
        self.made_tags: list[str] = []
        #: The other library's tags by id (read on first need).
        self.other_tags: dict[str, TagCount] | None = None
        #: Each reading list that gained articles, with how many, for the report.
        self.lists: list[str] = []
        self.files = LinkedFiles(library, source)

    def run(self, tags: Sequence[str], progress: Progress | None,
            cancelled: Cancelled | None) -> None:
        ids = sorted(self.other.search.ids())  # the order they were added there
        if not ids:
            self.report.items.append(ImportItem(self.source.name, "failed",
                                                "holds no articles (its trash aside)"))
            return
        for start in range(0, len(ids), BATCH):
            if cancelled and cancelled():
                self.report.items += [ImportItem(self.source.name, "cancelled", "not started")
                                      for _ in ids[start:]]
                break
            self._batch(ids[start:start + BATCH], tags)
            if progress:
                progress(min(start + BATCH, len(ids)), len(ids), self.source.name)
        self._lists()
        self._say_what_came()

    def _batch(self, ids: list[int], tags: Sequence[str]) -> None:
        records = self.other.articles.records(ids)
        self.other.attachments.name_files(ids, records)
        for record in records:
            record.files = [str(self._original(Path(f))) for f in record.files]
        results = self.library.articles.add_records(records, tags=tags)
        self.report.items += [ImportItem.from_add(self.source.name, r) for r in results]
        done = [(i, rec, res) for i, rec, res in zip(ids, records, results, strict=True)
                if res.article_id]
        self.here.update((i, res.article_id) for i, _rec, res in done)
        # One transaction and one undo step for what came with the batch's articles (the
        # managers' own steps join it), not one per tag and state.
        with self.library.history.recording(f"tags, notes and marks from {self.source.name}",
                                            marks=[res.article_id for _i, _r, res in done]):
            self._tags(done)
            self._notes(done)
            self._states(done)
        self.files.attach([rec for _i, rec, _r in done], [res for _i, _rec, res in done])

    def _original(self, path: Path) -> Path:
        """A copied file's path in the other library's own files folder (the copy opened
        here has none beside it); a linked file's path as it is."""
        try:
            return files_dir(self.source) / path.relative_to(self.copy_files)
        except ValueError:
            return path

    def _tags(self, done: list[tuple[int, ArticleRecord, AddResult]]) -> None:
        """The confirmed tags, each made here first when it is the other library's own."""
        by_tag: dict[str, list[int]] = {}
        for _i, record, result in done:
            for tag in record.tags:
                by_tag.setdefault(self._tag_here(tag), []).append(result.article_id)
        for tag, articles in by_tag.items():
            self.library.tags.add(articles, [tag])

    def _tag_here(self, tag: str) -> str:
        """This library's id for the other's tag ``tag``: the same id (vocabulary tags), or
        a tag of the same name, or a new one under the same parent."""
        if tag in self.tag_ids:
            return self.tag_ids[tag]
        if self.other_tags is None:
            self.other_tags = {t.id: t for t in self.other.tags.counts()}
        info = self.other_tags.get(tag)
        label = info.label if info is not None else tag
        try:
            here = self.library.tags.resolve(tag if info is None or info.origin != "user"
                                             else label)
        except SpineLibError:
            parent = self._tag_here(info.parent) if info is not None and info.parent else None
            here = self.library.tags.create(label, parent=parent)
            self.made_tags.append(label)
        self.tag_ids[tag] = here
        return here

    def _notes(self, done: list[tuple[int, ArticleRecord, AddResult]]) -> None:
        """Notes added after those here, once (a new article got them with its record)."""
        held = [(result.article_id, record.notes.strip()) for _i, record, result in done
                if record.notes.strip() and result.status != "imported"]
        # Their notes here now, read in one go (not a whole record per article).
        here = self.library.articles.records([a for a, _theirs in held],
                                             with_references=False, with_mesh=False)
        wanted: dict[int, str] = {}
        for (article, theirs), record in zip(held, here, strict=True):
            ours = record.notes.strip()
            if theirs not in ours:
                wanted[article] = f"{ours}\n\n{theirs}" if ours else theirs
        if wanted:
            self.library.articles.set_notes_many(wanted)

    def _states(self, done: list[tuple[int, ArticleRecord, AddResult]]) -> None:
        """Reading state and rating, where this library has none yet."""
        read: dict[ReadStatus, list[int]] = {}
        rated: dict[int, list[int]] = {}
        # The table's rows carry both: one read on each side, not two per article.
        their_rows = self.other.search.rows([i for i, _rec, _res in done])
        our_rows = self.library.search.rows([res.article_id for _i, _rec, res in done])
        for i, _record, result in done:
            theirs, ours = their_rows[i], our_rows[result.article_id]
            if theirs.read_status > ours.read_status:
                read.setdefault(theirs.read_status, []).append(result.article_id)
            if theirs.rating and not ours.rating:
                rated.setdefault(theirs.rating, []).append(result.article_id)
        for status, articles in read.items():
            self.library.articles.set_read_status(articles, status)
        for rating, articles in rated.items():
            self.library.articles.set_ratings(articles, rating)

    def _lists(self) -> None:
        """Each reading list, in its order, into the list of that name here (one undo
        step for them all)."""
        with self.library.history.recording(f"reading lists from {self.source.name}"):
            self._each_list()

    def _each_list(self) -> None:
        for entry in self.other.lists.all():
            members = [self.here[i] for i in self.other.lists.items(entry.name)
                       if i in self.here]
            if not members:
                continue
            try:
                name = self.library.lists.name_of(entry.name)
            except NoMatch:
                self.library.lists.create(entry.name)
                name = entry.name.strip()
            added = self.library.lists.add(name, members)
            if added:
                self.lists.append(f"{name} (+{plural(added, 'article')})")

    def _say_what_came(self) -> None:
        where = self.source.name
        if self.lists:
            self.report.warnings.append(f"{where}: reading lists: {first_few(self.lists)}")
        if self.made_tags:
            self.report.warnings.append(f"{where}: its own tags made here: "
                                        f"{first_few(self.made_tags)}")
        if self.files.attached:
            self.report.warnings.append(f"{where}: {plural(self.files.attached, 'file')} "
                                        "attached")
        self.report.warnings += self.files.summary()
