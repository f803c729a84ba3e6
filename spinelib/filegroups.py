"""The groups and own tags a reference file gives its entries, brought in as an import stores
them: a surgeon moving from Mendeley, JabRef or Zotero (Better BibTeX's JabRef groups) keeps
their folders as reading lists and their tags as tags. The reader finds them
(:attr:`~spinelib.records.ArticleRecord.groups`, :attr:`~spinelib.records.ArticleRecord.user_tags`;
:mod:`spinelib.formats.bibtex.groups`); this places the stored articles.

Promises:

- a group becomes the reading list of its name, a sub-group's path ("Spine/Reviews") for a
  sub-group; a list of that name in any letter case is joined, never a second one made;
- articles join in file order, each once; those already in a list stay where they are;
- a tag is found as a typed one is (a vocabulary tag by its label or a synonym, a tag of your
  own by name), and made as one of your own when nothing fits;
- it is done once the import's last batch is stored (a cancelled import's stored articles
  too), as one undoable step; what came is said in the report's warnings, and a group or
  tag that cannot be made (an empty name) is named there without failing the import.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spinelib.errors import SpineLibError
from spinelib.import_results import ImportReport
from spinelib.library import AddResult, Library
from spinelib.records import ArticleRecord
from spinelib.text import first_few, plural


class FileGroups:
    """Collects one file's group and tag memberships batch by batch; :meth:`finish` places
    the articles."""

    def __init__(self, library: Library, source: Path) -> None:
        self.library = library
        self.source = source
        #: Group path -> the articles in it, in file order (repeats dropped at the end).
        self.groups: dict[str, list[int]] = {}
        #: Tag name as the file wrote it -> its articles.
        self.tags: dict[str, list[int]] = {}

    def note(self, records: Sequence[ArticleRecord], results: Sequence[AddResult]) -> None:
        """Remember the groups and tags of each stored record's article."""
        for record, result in zip(records, results, strict=True):
            if not result.article_id:
                continue
            for group in record.groups:
                self.groups.setdefault(group, []).append(result.article_id)
            for tag in record.user_tags:
                self.tags.setdefault(tag, []).append(result.article_id)

    def finish(self, report: ImportReport) -> None:
        """Put the articles in their reading lists and give them their tags (one undo
        step), and say so in ``report``."""
        if not self.groups and not self.tags:
            return
        said = _Said()
        tagged = sorted({a for ids in self.tags.values() for a in ids})
        with self.library.history.recording(f"reading lists and tags from {self.source.name}",
                                            marks=tagged):
            for group, ids in self.groups.items():
                self._join_list(group, list(dict.fromkeys(ids)), said)
            for tag, ids in self.tags.items():
                self._give_tag(tag, list(dict.fromkeys(ids)), said)
        report.warnings += said.lines(self.source.name)

    def _join_list(self, group: str, ids: list[int], said: _Said) -> None:
        lists = self.library.lists
        try:
            new = False
            try:
                name = lists.name_of(group)
            except SpineLibError:  # NoMatch: no list of that name yet
                lists.create(group)
                name, new = group.strip(), True
            added = lists.add(name, ids)
        except SpineLibError as exc:
            said.failed.append(f"the group {group!r}: {exc}")
            return
        if added:
            said.lists.append(f"{name} ({'new: ' if new else '+'}{plural(added, 'article')})")

    def _give_tag(self, tag: str, ids: list[int], said: _Said) -> None:
        tags = self.library.tags
        try:
            new = False
            try:
                tag_id = tags.resolve(tag)
            except SpineLibError:  # no tag fits the name: made as the user's own
                tag_id, new = tags.create(tag), True
            tags.add(ids, [tag_id])
        except SpineLibError as exc:
            said.failed.append(f"the tag {tag!r}: {exc}")
            return
        said.tags.append(f"{tag}{' (new)' if new else ''}: {plural(len(ids), 'article')}")


class _Said:
    """What :meth:`FileGroups.finish` did, for the report."""

    def __init__(self) -> None:
        self.lists: list[str] = []
        self.tags: list[str] = []
        self.failed: list[str] = []

    def lines(self, where: str) -> list[str]:
        out = []
        if self.lists:
            out.append(f"{where}: its groups, as reading lists: {first_few(self.lists)}")
        if self.tags:
            out.append(f"{where}: its tags, as your own: {first_few(self.tags)}")
        out += [f"{where}: not taken: {failure}" for failure in self.failed]
        return out
