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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import SpineLibError
from spinelib.formats.pdf_annotations import PdfAnnotation, read_annotations
from spinelib.results_files import Attachment
from spinelib.text import plural

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
        """"3 highlights, 1 note" (kinds counted, most frequent first), or "none"."""
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
        there = (f" ({plural(self.already, 'annotation')} "
                 f"{'was' if self.already == 1 else 'were'} there already)"
                 if self.already else "")
        return f"copied {plural(self.added, 'annotation')} into {key}'s notes{there}"


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

    def add_to_notes(self, article_id: int,
                     read: list[FileAnnotations] | None = None) -> AddedToNotes:
        """Append to the article's notes each file's annotations the notes lack, under a
        line naming the file (``read``: what :meth:`of` gave, not read again)."""
        files = self.of(article_id) if read is None else read
        record = self.lib.articles.record(article_id)
        notes = record.notes
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
        if blocks:
            # Under what the notes say already, a blank line between, as `notes --append`.
            text = "\n\n".join([notes.rstrip(), *blocks]) if notes.strip() else \
                "\n\n".join(blocks)
            self.lib.articles.set_notes(article_id, text)
        return AddedToNotes(added, already, tuple(f.problem for f in files if f.problem),
                            record.citekey)
