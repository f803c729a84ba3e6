"""The files a reference file names for its entries, attached as an import stores them: a
Zotero, JabRef or Mendeley library exported to BibTeX (or RIS) brings its PDFs along.

A record's :attr:`~spinelib.records.ArticleRecord.files` holds the paths as the file wrote
them (:mod:`spinelib.formats.linkpaths` reads the ``file`` field's forms). Each is looked
for as written, then beside the reference file (JabRef's relative paths), then from the root
(Mendeley drops the leading ``/``), then in the file directory a JabRef library names. A
file found is copied into the library's files folder by
:meth:`~spinelib.library.attachments.AttachmentsManager.attach` (one transaction each, after
its entry's batch is committed; a PDF is checked and its text read; a file attached before
is not attached twice). Only the kinds of file a paper comes with are taken
(:data:`ATTACHABLE`): a reference file from someone else must not bring a private file into
the library. Files not found, or refused, are counted and named in the import's warnings;
the entries are imported whatever happens to their files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from spinelib.errors import SpineLibError
from spinelib.library import AddResult, Library
from spinelib.records import ArticleRecord
from spinelib.results_files import AttachmentSource
from spinelib.text import first_few, plural

#: Problems named one by one in the warnings; the rest are counted.
NAMED = 5
#: The kinds of file a paper comes with (the text, supplements, figures, a saved web page).
#: A reference file from someone else could name any file on this computer (an SSH key, a
#: password list), and an attachment is copied into the library, backed up and, in a team
#: library, shared: only these are taken, and a .pdf must read as one.
ATTACHABLE = frozenset({
    ".pdf", ".epub", ".djvu", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp",
    ".xls", ".xlsx", ".ods", ".csv", ".html", ".htm", ".png", ".jpg", ".jpeg", ".gif",
    ".tif", ".tiff", ".mp4", ".mov"})


#: A JabRef library's own file directory (``fileDirectory``, or ``fileDirectory-USER-HOST``
#: for one user on one machine; not ``fileDirectoryLatex``, the LaTeX files' folder).
_JABREF_DIRECTORY_RE = re.compile(
    r"@comment\s*\{\s*jabref-meta:\s*fileDirectory(?:-[^:;{}]*)?:([^;{}]*);\s*\}", re.I)


class LinkedFiles:
    """Attaches the files named by one reference file's entries, and says what happened."""

    def __init__(self, library: Library, source: Path) -> None:
        self.library = library
        self.source = source
        self.attached = 0
        self.missing: list[str] = []
        self.refused: list[str] = []
        self._folders: list[Path] | None = None

    def attach(self, records: Sequence[ArticleRecord], results: Sequence[AddResult]) -> None:
        """Attach each stored record's files to the article it became (or was merged into)."""
        for record, result in zip(records, results, strict=True):
            if not record.files or not result.article_id:
                continue
            for name in record.files:
                path = self.find(name)
                if path is None:
                    self.missing.append(name)
                    continue
                if path.suffix.lower() not in ATTACHABLE:
                    self.refused.append(f"{name} ({result.citekey}): not a kind of file a "
                                        "paper comes with (attach it yourself if you want it)")
                    continue
                try:
                    outcome = self.library.attachments.attach(
                        result.article_id, path, origin=AttachmentSource.IMPORTED)
                except (SpineLibError, OSError) as exc:
                    why = str(exc).removeprefix(f"{path.name}: ")
                    self.refused.append(f"{name} ({result.citekey}): {why}")
                    continue
                if not outcome.already:
                    self.attached += 1

    def find(self, name: str) -> Path | None:
        """The file ``name`` means, if it is on this machine."""
        written = Path(name).expanduser()
        if written.is_absolute():
            candidates = [written]
        else:
            candidates = [self.source.parent / written, Path("/") / written]
            candidates += [folder / written for folder in self._jabref_folders()]
        return next((p for p in candidates if p.is_file()), None)

    def _jabref_folders(self) -> list[Path]:
        """The file directories a JabRef library names for itself
        (``@Comment{jabref-meta: fileDirectory:papers;}``, or one per user and machine),
        absolute or relative to the .bib's folder; read from the file once, when a relative
        path is not found beside it."""
        if self._folders is None:
            try:
                text = self.source.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self._folders = [
                self.source.parent / Path(m.group(1).strip().replace("\\\\", "\\"))
                .expanduser() for m in _JABREF_DIRECTORY_RE.finditer(text) if m.group(1).strip()]
        return self._folders

    def summary(self) -> list[str]:
        """The warnings for files not found or refused ([] when every one was attached)."""
        out = []
        where = self.source.name
        if self.missing:
            out.append(f"{where}: {plural(len(self.missing), 'attached file')} named by the "
                       f"entries not found on this computer: {first_few(self.missing, NAMED)} "
                       "(the entries were imported; drop a file on its article, or: spinelib "
                       "attach KEY FILE)")
        out += [f"{where}: not attached: {problem}" for problem in self.refused[:NAMED]]
        if len(self.refused) > NAMED:
            out.append(f"{where}: {len(self.refused) - NAMED} more files not attached")
        return out
