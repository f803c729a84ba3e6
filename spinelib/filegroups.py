"""What a reference file says the user made of its entries, brought in as an import stores
them: a surgeon moving from Mendeley, JabRef or Zotero (Better BibTeX's JabRef groups) keeps
their folders as reading lists, their tags as tags, and JabRef's reading state and stars.
The reader finds them (:attr:`~spinelib.records.ArticleRecord.groups`, ``.user_tags``,
``.read_status``, ``.rating``; :mod:`spinelib.formats.bibtex.groups`); this places the
stored articles.

Promises:

- a group becomes the reading list of its name, a sub-group's path ("Spine/Reviews") for a
  sub-group; a list of that name in any letter case is joined, never a second one made;
- articles join in the group's own order where the file keeps one (JabRef's older group
  tree, SpineLib's export), else in file order; each once; those already in a list stay
  where they are;
- a tag is found as a typed one is (a vocabulary tag by its label or a synonym, a tag of your
  own by name), and made as one of your own when nothing fits;
- a reading state only goes forward (a paper you have read stays read), and stars are
  given only to an article without any, as when another SpineLib library is merged in;
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
from spinelib.results import ReadStatus
from spinelib.text import first_few, plural


class FileGroups:
    """Collects one file's group and tag memberships batch by batch; :meth:`finish` places
    the articles."""

    def __init__(self, library: Library, source: Path) -> None:
        self.library = library
        self.source = source
        #: Group path -> (its place in the group's own order, when the file gives one; the
        #: record's place in the file; the article), sorted at the end (repeats dropped).
        self.groups: dict[str, list[tuple[int, int, int]]] = {}
        self._seen = 0
        #: Tag name as the file wrote it -> its articles.
        self.tags: dict[str, list[int]] = {}
        #: Article -> (reading state, stars) the file gives it (when it gives any).
        self.marks: dict[int, tuple[int, int]] = {}

    def note(self, records: Sequence[ArticleRecord], results: Sequence[AddResult]) -> None:
        """Remember the groups and tags of each stored record's article."""
        for record, result in zip(records, results, strict=True):
            if not result.article_id:
                continue
            self._seen += 1
            for group in record.groups:
                self.groups.setdefault(group, []).append(
                    (record.group_places.get(group, -1), self._seen, result.article_id))
            for tag in record.user_tags:
                self.tags.setdefault(tag, []).append(result.article_id)
            if record.read_status or record.rating:
                state, stars = self.marks.get(result.article_id, (0, 0))
                self.marks[result.article_id] = (max(state, record.read_status),
                                                 stars or record.rating)

    def finish(self, report: ImportReport) -> None:
        """Put the articles in their reading lists and give them their tags (one undo
        step), and say so in ``report``."""
        if not self.groups and not self.tags and not self.marks:
            return
        said = _Said()
        marked = sorted({a for ids in self.tags.values() for a in ids} | set(self.marks))
        with self.library.history.recording(f"lists, tags and stars from {self.source.name}",
                                            marks=marked):
            for group, placed in self.groups.items():
                ids = [article for _place, _seen, article in sorted(placed)]
                self._join_list(group, list(dict.fromkeys(ids)), said)
            self._give_tags(said)
            self._mark(said)
        report.warnings += said.lines(self.source.name)

    def _mark(self, said: _Said) -> None:
        """Reading states forward only, stars where there are none."""
        read: dict[int, list[int]] = {}
        rated: dict[int, list[int]] = {}
        rows = self.library.search.rows(list(self.marks))
        for article, (state, stars) in self.marks.items():
            row = rows.get(article)
            if row is None:
                continue
            if state > row.read_status:
                read.setdefault(state, []).append(article)
            if stars and not row.rating:
                rated.setdefault(stars, []).append(article)
        for state, articles in read.items():
            self.library.articles.set_read_status(articles, state)
            said.marks.append(f"{plural(len(articles), 'article')} marked "
                              f"{ReadStatus(state).label}")
        for stars, articles in sorted(rated.items(), reverse=True):
            self.library.articles.set_ratings(articles, stars)
            said.marks.append(f"{plural(len(articles), 'article')} given {stars}★")

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

    def _give_tags(self, said: _Said) -> None:
        """Each tag found or made, then every article's tags given at once."""
        pairs: list[tuple[int, str]] = []
        for tag, ids in self.tags.items():
            try:
                try:
                    tag_id, new = self.library.tags.resolve(tag), False
                except SpineLibError:  # no tag fits the name: made as the user's own
                    tag_id, new = self.library.tags.create(tag), True
            except SpineLibError as exc:
                said.failed.append(f"the tag {tag!r}: {exc}")
                continue
            pairs += ((article, tag_id) for article in ids)
            said.tags.append(f"{tag}{' (new)' if new else ''}: "
                             f"{plural(len(set(ids)), 'article')}")
        if pairs:
            self.library.tags.add_pairs(pairs)


class _Said:
    """What :meth:`FileGroups.finish` did, for the report."""

    def __init__(self) -> None:
        self.lists: list[str] = []
        self.tags: list[str] = []
        self.marks: list[str] = []
        self.failed: list[str] = []

    def lines(self, where: str) -> list[str]:
        out = []
        if self.lists:
            out.append(f"{where}: its groups, as reading lists: {first_few(self.lists)}")
        if self.tags:
            out.append(f"{where}: its tags, as your own: {first_few(self.tags)}")
        if self.marks:
            out.append(f"{where}: its reading states and stars: {', '.join(self.marks)}")
        out += [f"{where}: not taken: {failure}" for failure in self.failed]
        return out
