"""The annotations room: the highlights and comments a reader made on an article's PDFs in
a PDF viewer, read from the files as they are now, and copied into the article's notes.

SpineLib does not draw on PDFs; a surgeon highlights in the viewer ``spinelib pdf open`` (or
a double-click) starts, and saves. Those marks live in the file, so ``lib.annotations``
reads them from it each time it is asked (:mod:`spinelib.formats.pdf_annotations`): what the
viewer saved a minute ago is there, and nothing is stored twice. Copying them into the notes
(:meth:`AnnotationsManager.add_to_notes`) makes them searchable, exported with the notes,
and kept when the file is detached.

Promises: reading never writes (to the library or the file), and reads a file again only
when it changed (its time or size); a file that is missing or
cannot be read is reported as a problem beside the others, never raised; adding to the
notes is one transaction and one undo step, appends only the lines the notes do not hold
already (so adding again after new highlights adds just those), and never rewrites what the
notes say.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import SpineLibError
from spinelib.formats.pdf_annotations import PdfAnnotation, read_annotations
from spinelib.results_files import Attachment
from spinelib.text import appended_note, plural

if TYPE_CHECKING:
    from spinelib.library.facade import Library


@dataclass(frozen=True)
class FileAnnotations:
    """One attached PDF's highlights and comments, or why they could not be read."""

    attachment: Attachment
    annotations: tuple[PdfAnnotation, ...] = ()
    #: Why the file was not read ('' when it was): missing, damaged, encrypted.
    problem: str = ""

    def summary(self) -> str:
        """"3 highlights, 1 note" (kinds counted, most frequent first), or "no highlights
        or comments"."""
        counts: dict[str, int] = {}
        for a in self.annotations:
            counts[a.kind] = counts.get(a.kind, 0) + 1
        if not counts:
            return "no highlights or comments"
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return ", ".join(plural(n, kind, "text boxes" if kind == "text box" else None)
                         for kind, n in ordered)


@dataclass(frozen=True)
class AddedToNotes:
    """What :meth:`AnnotationsManager.add_to_notes` did: lines added, lines the notes held
    already, and the files that could not be read (their problems)."""

    added: int
    already: int
    problems: tuple[str, ...] = ()
    #: The article's citation key, for the line saying what was done.
    citekey: str = ""

    def line(self) -> str:
        """What was done, in words: "copied 2 annotations into KEY's notes (1 was there
        already)"."""
        key = self.citekey
        if not self.added:
            return (f"nothing new for {key}'s notes: "
                    + (f"{plural(self.already, 'annotation')} there already"
                       if self.already else "no highlights or comments to copy"))
        return (f"copied {plural(self.added, 'annotation')} into {key}'s notes"
                f"{_there_already(self.already)}")


def annotation_line(a: PdfAnnotation) -> str:
    """One annotation as one line of plain text, the same in the terminal and the notes:
    ``p. 3, highlight: “marked text” — comment (author) · reply (author): text``."""
    head = f"p. {a.page}, {a.kind}"
    said = [f"“{a.quote}”"] if a.quote else []
    if a.comment:
        said.append(a.comment.replace("\n", " / "))
    line = f"{head}: {' — '.join(said)}" if said else head
    if a.author:
        line += f" ({a.author})"
    for reply in a.replies:
        who = f" ({reply.author})" if reply.author else ""
        line += f" · reply{who}: {reply.text.replace(chr(10), ' / ')}"
    return line


def copied_summary(results: Sequence[AddedToNotes]) -> str:
    """What copying several articles' highlights did: "copied 12 annotations into 3
    articles' notes (5 were there already)"."""
    added = sum(r.added for r in results)
    into = sum(1 for r in results if r.added)
    already = sum(r.already for r in results)
    there = _there_already(already)
    if added:
        return f"copied {plural(added, 'annotation')} into {_whose(into)} notes{there}"
    if already:
        return f"nothing new for {_whose(len(results))} notes{there}"
    return f"no highlights or comments in {_whose(len(results))} PDFs"


def _there_already(n: int) -> str:
    """" (3 annotations were there already)", or '' for none."""
    return f" ({plural(n, 'annotation')} {'was' if n == 1 else 'were'} there already)" \
        if n else ""


def _whose(n: int) -> str:
    """"1 article's", "3 articles'"."""
    return plural(n) + ("'s" if n == 1 else "'")


def notes_heading(attachment: Attachment) -> str:
    """The line above the lines copied from one file into the notes."""
    return f"Highlights and comments in {attachment.name}:"


#: Files whose annotations are remembered between reads (the Text tab reads again on each
#: search typed; a 300-page book takes about half a second to walk).
REMEMBERED_FILES = 32


class AnnotationsManager:
    """``lib.annotations``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        #: (path, modification time, size) -> what the file held then: a file the viewer
        #: saved again has another time or size, and is read again.
        self._read: dict[tuple[str, int, int], tuple[PdfAnnotation, ...]] = {}
        self._lock = threading.Lock()

    def _annotations_in(self, path: Path) -> tuple[PdfAnnotation, ...]:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            found = self._read.get(key)
        if found is None:
            found = tuple(read_annotations(path))
            with self._lock:  # the GUI's read workers share the room
                if len(self._read) >= REMEMBERED_FILES:
                    del self._read[next(iter(self._read))]  # the oldest read first
                self._read[key] = found
        return found

    def of(self, article_id: int) -> list[FileAnnotations]:
        """Each attached PDF's highlights and comments, in the order the files are listed;
        an article without a PDF gives an empty list."""
        out = []
        for attachment in self.lib.attachments.of(article_id):
            if attachment.kind != "pdf":
                continue
            if not attachment.path.is_file():
                out.append(FileAnnotations(attachment, problem=(
                    f"{attachment.name}: the file is missing ({attachment.path})")))
                continue
            try:
                found = self._annotations_in(attachment.path)
            except (SpineLibError, OSError) as exc:
                out.append(FileAnnotations(attachment, problem=str(exc)))
                continue
            out.append(FileAnnotations(attachment, found))
        return out

    def with_pdfs(self, among: Sequence[int] | None = None) -> list[int]:
        """The articles with an attached PDF (of ``among``, in its order; else all, oldest
        first): the ones whose highlights there are to read."""
        holders = {a.article_id for a in self.lib.attachments.all() if a.kind == "pdf"}
        return [i for i in among if i in holders] if among is not None else sorted(holders)

    def add_to_notes(self, article_id: int,
                     read: list[FileAnnotations] | None = None) -> AddedToNotes:
        """Append to the article's notes each file's annotations the notes lack, under a
        line naming the file (``read``: what :meth:`of` gave, not read again)."""
        return self.add_to_notes_many([article_id], None if read is None else {article_id: read}
                                      )[0]

    def add_to_notes_many(self, article_ids: Sequence[int],
                          read: dict[int, list[FileAnnotations]] | None = None
                          ) -> list[AddedToNotes]:
        """:meth:`add_to_notes` for each article, all in one transaction and one undo step
        (the highlights of a flight's reading copied at once); one result an article."""
        results: list[AddedToNotes] = []
        changed: dict[int, str] = {}
        for article_id in article_ids:
            files = read[article_id] if read and article_id in read else self.of(article_id)
            record = self.lib.articles.record(article_id)
            text, added = _merged(record.notes, files, record.citekey)
            if text is not None:
                changed[article_id] = text
            results.append(added)
        if changed:
            self.lib.articles.set_notes_many(changed)
        return results


def _merged(notes: str, files: list[FileAnnotations], citekey: str
            ) -> tuple[str | None, AddedToNotes]:
    """``notes`` with each file's annotation lines they lack appended under the file's
    heading (None when nothing is new), and what that adds."""
    held = {line.strip() for line in notes.splitlines()}
    blocks: list[str] = []
    added = already = 0
    for f in files:
        lines = [annotation_line(a) for a in f.annotations]
        new = [line for line in dict.fromkeys(lines) if line not in held]
        already += len(set(lines)) - len(new)
        if new:
            blocks.append("\n".join([notes_heading(f.attachment), *new]))
            added += len(new)
    problems = tuple(f.problem for f in files if f.problem)
    if not blocks:
        return None, AddedToNotes(0, already, problems, citekey)
    return appended_note(notes, "\n\n".join(blocks)), AddedToNotes(added, already, problems,
                                                                    citekey)
