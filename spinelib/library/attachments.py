"""The attachments room: files attached to articles, their text, and where searches hit it.

``lib.attachments`` attaches a file (copied into ``<library name>.files/`` and named after the
citation key, or linked where it is, relative to the base folder), detaches it (a copy moves
to ``.files/.trash/``, a link is forgotten), stores the papers' own text (PDF pages read by
:mod:`spinelib.formats.pdf`, JATS sections) in its own full-text index, says where a search
matched, finds missing, changed and orphan files, and remembers open-access answers.

Promises: every database write is one transaction; a file is copied whole before the row
that names it is written, and removed again if that write fails, so a failure (a full disk,
a bad PDF) leaves neither a partial file nor a half-stored attachment; a copied file is never
deleted, only moved to the trash.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import FormatError, LibraryError, NoMatch
from spinelib.formats.pdf import PdfText, is_pdf_file, read_pdf
from spinelib.library import filestore
from spinelib.library.bareyears import sought_years
from spinelib.library.fieldquery import parse
from spinelib.results_files import (
    Attachment,
    FileProblem,
    FulltextKind,
    FulltextPart,
    OpenAccessState,
    SearchPlaces,
)
from spinelib.settings import Settings
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library
    from spinelib.records import ArticleRecord

#: The metadata index columns, in the order ``list --search`` reports matches.
METADATA_PLACES = ("title", "abstract", "authors", "journal", "keywords", "mesh", "notes",
                   "tags")
NO_TEXT_LAYER = "no text layer"


@dataclass(frozen=True)
class AttachOutcome:
    """What attaching did: the attachment, and notes for the report (text capped, …)."""

    attachment: Attachment
    notes: tuple[str, ...] = ()
    already: bool = False


class AttachmentsManager:
    """``lib.attachments``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store
        self.base_folder = Path.home()
        self.max_pages = 100
        self.max_chars = 500_000

    def configure(self, settings: Settings) -> None:
        """Adopt the user's base folder for links and the text extraction caps."""
        if settings.files_base_folder:
            self.base_folder = Path(settings.files_base_folder).expanduser()
        self.max_pages = max(1, settings.pdf_max_pages)
        self.max_chars = max(1, settings.pdf_max_chars)

    # ---- where files are
    @property
    def files_dir(self) -> Path:
        return filestore.files_dir(self.lib.path)

    def _resolve(self, stored: str, linked: bool) -> Path:
        path = Path(stored)
        if path.is_absolute():
            return path
        return (self.base_folder if linked else self.files_dir) / path

    def _link_path(self, path: Path) -> str:
        path = path.resolve()
        try:
            return path.relative_to(self.base_folder.resolve()).as_posix()
        except ValueError:
            return str(path)

    # ---- reading
    def of(self, article_id: int) -> list[Attachment]:
        with self.store.reading() as conn:
            return self.store.attachments.of_articles(conn, [article_id], self._resolve)

    def all(self) -> list[Attachment]:
        with self.store.reading() as conn:
            return self.store.attachments.all(conn, self._resolve)

    @staticmethod
    def digest(path: Path) -> tuple[str, int]:
        """(SHA-256, size) of the file at ``path``, as attachments are known by; LibraryError
        when it cannot be read. Given to :meth:`attach`, the file is not read again."""
        try:
            return filestore.sha256_of(Path(path))
        except OSError as exc:
            raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from None

    def holder_of(self, sha256: str) -> int | None:
        """The article that already holds a file with this content (the same bytes, whatever
        its name), or None."""
        with self.store.reading() as conn:
            holders = self.store.attachments.articles_with_content(conn, sha256)
        return holders[0] if holders else None

    def counts(self, article_ids: Sequence[int]) -> dict[int, int]:
        """Attached files per article (the table's attachment column)."""
        with self.store.reading() as conn:
            return self.store.attachments.counts(conn, article_ids)

    def text(self, article_id: int) -> list[FulltextPart]:
        """The stored full text: JATS sections first, then PDF pages."""
        with self.store.reading() as conn:
            return self.store.attachments.parts(conn, article_id)

    def fulltext_kind(self, article_id: int) -> FulltextKind | None:
        """JATS when structured text is stored, else PDF when a PDF's text is, else None."""
        with self.store.reading() as conn:
            kinds = self.store.attachments.fulltext_kinds(conn, article_id)
        if "jats" in kinds:
            return FulltextKind.JATS
        return FulltextKind.PDF if "pdf" in kinds else None

    # ---- attaching
    def read_pdf(self, path: Path, *, heading: bool = False) -> PdfText:
        """Check and read a PDF under the caps (with ``heading``, its first page's heading
        too); FormatError names the file and what is wrong."""
        try:
            problem = is_pdf_file(path)
        except OSError as exc:
            raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from None
        if problem:
            raise FormatError(f"{path.name}: {problem}")
        return read_pdf(path, max_pages=self.max_pages, max_chars=self.max_chars,
                        heading=heading)

    def attach(self, article_id: int, source: Path, *, link: bool = False,
               origin: str = "user", version: str | None = None,
               license: str | None = None, pdf: PdfText | None = None,
               digest: tuple[str, int] | None = None) -> AttachOutcome:
        """Attach ``source`` to the article (a copy, or a link with ``link``); ``pdf`` and
        ``digest`` (:meth:`digest`) when the caller has read the file already.

        A ``.pdf`` (or any file starting like one) is checked and its text read first: an HTML
        page, image, empty, truncated or encrypted "PDF" is refused with a FormatError naming
        it, and nothing is stored.
        """
        source = Path(source).expanduser()
        if not source.is_file():
            raise LibraryError(f"no such file: {source}")
        citekey = self.lib.articles.citekey(article_id)
        try:
            looks_pdf = not is_pdf_file(source)
        except OSError as exc:
            raise LibraryError(f"cannot read {source}: {exc.strerror or exc}") from None
        if source.suffix.lower() == ".pdf" or looks_pdf:
            pdf = pdf or self.read_pdf(source)
        sha, size = digest or filestore.sha256_of(source)
        for existing in self.of(article_id):
            if existing.sha256 == sha:
                return AttachOutcome(existing, ("this file is already attached",), True)
        if link:
            return self._insert(article_id, self._link_path(source), True, source.name, sha,
                                size, origin, version, license, pdf)
        suffix = ".pdf" if pdf is not None else source.suffix.lower()
        return self._copy_in(article_id, source, citekey, suffix, sha, size, origin, version,
                             license, pdf)

    def attach_bytes(self, article_id: int, data: bytes, *, origin: str,
                     version: str | None, license: str | None) -> AttachOutcome:
        """Attach a downloaded PDF (already checked to start with ``%PDF-``)."""
        import hashlib
        import tempfile

        citekey = self.lib.articles.citekey(article_id)
        self.files_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.files_dir, prefix=".incoming-") as tmp:
            staged = Path(tmp) / f"{citekey}.pdf"
            filestore.copy_in(data, staged)
            pdf = self.read_pdf(staged)
            return self._copy_in(article_id, staged, citekey, ".pdf",
                                 hashlib.sha256(data).hexdigest(), len(data), origin,
                                 version, license, pdf)

    def _copy_in(self, article_id: int, source: Path, citekey: str, suffix: str, sha: str,
                 size: int, origin: str, version: str | None, license: str | None,
                 pdf: PdfText | None) -> AttachOutcome:
        with self.store.reading() as conn:
            def taken(name: str) -> bool:
                return self.store.attachments.path_taken(conn, name, False)
            name = filestore.free_name(self.files_dir, citekey, suffix, taken)
        dest = self.files_dir / name
        filestore.copy_in(source, dest)
        try:
            return self._insert(article_id, name, False, name, sha, size, origin, version,
                                license, pdf)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise

    def _insert(self, article_id: int, stored: str, linked: bool, name: str, sha: str,
                size: int, origin: str, version: str | None, license: str | None,
                pdf: PdfText | None) -> AttachOutcome:
        notes: list[str] = []
        status = ""
        parts: list[FulltextPart] = []
        if pdf is not None:
            parts = [FulltextPart(n, "page", "", text) for n, text in pdf.pages_with_text()]
            if not pdf.has_text:
                status = NO_TEXT_LAYER
                notes.append(NO_TEXT_LAYER)
            elif pdf.capped:
                status = f"text of {len(pdf.texts)} of {pdf.pages} pages"
                notes.append(f"text indexed for the first {len(pdf.texts)} of {pdf.pages} "
                             "pages (the cap)")
        values = {"article_id": article_id, "name": name, "path": stored, "linked": int(linked),
                  "kind": "pdf" if pdf is not None else "file", "sha256": sha, "size": size,
                  "source": origin, "version": version, "license": license,
                  "pages": pdf.pages if pdf is not None else None, "text_status": status,
                  "added_at": utcnow()}
        with self.store.writing() as conn:
            new_id = self.store.attachments.insert(conn, values)
            if parts:
                self.store.attachments.add_parts(conn, article_id, new_id, parts)
            found = self.store.attachments.of_articles(conn, [article_id], self._resolve)
        return AttachOutcome(next(a for a in found if a.id == new_id), tuple(notes))

    # ---- detaching and deleting
    def detach(self, article_id: int, name: str | None = None) -> tuple[Attachment, Path | None]:
        """Detach one file (``name`` as listed; may be omitted when there is one). A copy moves
        to the trash (its new place is returned); a link is only forgotten."""
        files = self.of(article_id)
        if not files:
            raise NoMatch(f"{self.lib.articles.citekey(article_id)} has no attached files")
        if name is None and len(files) > 1:
            raise NoMatch("several files are attached; name one of: "
                          + ", ".join(a.name for a in files))
        chosen = files[0] if name is None else next(
            (a for a in files if name in (a.name, a.path.name, a.stored_path)), None)
        if chosen is None:
            raise NoMatch(f"no attached file named {name!r}; attached: "
                          + ", ".join(a.name for a in files))
        with self.store.writing() as conn:
            self.store.attachments.delete(conn, chosen.id)
        moved = None
        if not chosen.linked and chosen.path.exists():
            moved = filestore.to_trash(self.lib.path, chosen.path)
        return chosen, moved

    def files_of(self, article_ids: Sequence[int]) -> list[Attachment]:
        with self.store.reading() as conn:
            return self.store.attachments.of_articles(conn, article_ids, self._resolve)

    def name_files(self, article_ids: Sequence[int], records: Sequence[ArticleRecord]) -> None:
        """Set each record's ``files`` (``records`` in the order of ``article_ids``) to its
        attachments' absolute paths, for an export that carries them to another reference
        manager (BibTeX's ``file`` field, RIS ``L1``)."""
        paths: dict[int, list[str]] = {}
        for attachment in self.files_of(article_ids):
            paths.setdefault(attachment.article_id, []).append(str(attachment.path))
        for article_id, record in zip(article_ids, records, strict=True):
            record.files = paths.get(article_id, [])

    # ---- JATS text, open-access answers, unidentified articles
    def store_jats(self, article_id: int, parts: Sequence[FulltextPart]) -> None:
        """Replace the article's structured (JATS) text in one transaction."""
        with self.store.writing() as conn:
            self.store.attachments.delete_jats(conn, article_id)
            self.store.attachments.add_parts(conn, article_id, None, parts)

    def remember_no_copy(self, article_id: int) -> None:
        with self.store.writing() as conn:
            self.store.attachments.remember_oa(conn, article_id, "none", utcnow())

    def forget_answers(self, article_ids: Sequence[int]) -> None:
        with self.store.writing() as conn:
            self.store.attachments.forget_oa(conn, article_ids)

    def open_access_states(self, article_ids: Sequence[int]) -> dict[int, OpenAccessState]:
        with self.store.reading() as conn:
            return self.store.attachments.oa_states(conn, article_ids)

    def mark_unidentified(self, article_id: int, reason: str) -> None:
        with self.store.writing() as conn:
            self.store.attachments.mark_unidentified(conn, article_id, reason)

    def needs_identification(self, article_id: int) -> bool:
        with self.store.reading() as conn:
            return self.store.attachments.is_unidentified(conn, article_id)

    def unidentified_reason(self, article_id: int) -> str | None:
        """Why the article is kept as an unidentified PDF; None when it is not one."""
        with self.store.reading() as conn:
            return self.store.attachments.unidentified_reason(conn, article_id)

    def unidentified(self) -> list[int]:
        """Articles kept from PDFs without an identifier (their own view)."""
        with self.store.reading() as conn:
            return self.store.attachments.unidentified_ids(conn)

    # ---- search places
    def places(self, article_ids: Sequence[int], user_text: str) -> dict[int, SearchPlaces]:
        """Where ``user_text`` matched each article: metadata fields, then full-text pages.
        Only its free text matches a place: qualifiers (``year:2015..2020``) and ``-word``
        filter, and searching for their words ("year", "2015") in every match's text took
        minutes for a third of 100,000 articles."""
        parsed = parse(user_text)
        # A bare year is the articles' year or a word of their text: its places are found
        # when nothing else is sought as text ("2015" alone), as a word's would be.
        free_text = parsed.free_text.strip() or " ".join(sought_years(parsed.terms))
        match = self.store.dialect.fulltext_query(free_text)
        parts_match = self.store.dialect.fulltext_parts_query(free_text)
        out = {i: SearchPlaces(i) for i in article_ids}
        if not match or not article_ids:
            return out
        any_terms = " OR ".join(re.findall(r'"[^"]*"\*?', parts_match))
        with self.store.reading() as conn:
            for column in METADATA_PLACES:
                for i in self.store.attachments.metadata_columns(conn, article_ids, column,
                                                                 match):
                    out[i].places.append(column)
            hits = self.store.attachments.matching_parts(conn, article_ids, parts_match)
            loose = self.store.attachments.matching_parts(
                conn, [i for i in article_ids if i not in hits], any_terms)
        for i, pages in {**loose, **hits}.items():
            for page in pages:
                out[i].places.append("fulltext" if page is None else f"fulltext p. {page}")
                if page is not None:
                    out[i].pages.append(page)
        return out

    # ---- integrity
    def check(self) -> list[FileProblem]:
        """Missing files, changed files (by hash) and orphans in the files folder; a PDF
        changed only by a viewer's save (highlights) is ``saved``, no problem, and its new
        fingerprint is stored (one write for all): the next check finds it unchanged
        instead of reading its text again, and the annotated file dropped on its article
        again is known as attached."""
        problems: list[FileProblem] = []
        known: set[Path] = set()
        keys: dict[int, str] = {}
        resaved: dict[int, tuple[str, int]] = {}
        for a in self.all():
            key = keys.setdefault(a.article_id, self.lib.articles.citekey(a.article_id))
            known.add(a.path.resolve())
            if not a.path.is_file():
                problems.append(FileProblem("missing", a.path, key))
                continue
            sha, size = filestore.sha256_of(a.path)
            if sha != a.sha256:
                saved = a.kind == "pdf" and self._saved_by_viewer(a)
                problems.append(FileProblem("saved" if saved else "changed", a.path, key))
                if saved:
                    resaved[a.id] = (sha, size)
        if resaved:
            with self.store.writing() as conn:
                for attachment_id, (sha, size) in resaved.items():
                    self.store.attachments.update(conn, attachment_id,
                                                  {"sha256": sha, "size": size})
        for path in filestore.stored_files(self.lib.path):
            if path.resolve() not in known:
                problems.append(FileProblem("orphan", path))
        return problems

    def _saved_by_viewer(self, a: Attachment) -> bool:
        """True when a changed PDF is still the paper attached, saved again by a viewer
        (highlights or comments added): its old bytes kept with an update appended, or,
        rewritten whole, the same pages with the same text as stored."""
        try:
            if filestore.grown_from(a.path, a.sha256, a.size):
                return True
            pdf = read_pdf(a.path, max_pages=self.max_pages, max_chars=self.max_chars)
        except (OSError, FormatError):
            return False
        read = pdf.pages_with_text()
        with self.store.reading() as conn:
            stored = self.store.attachments.pdf_pages(conn, a.id)
        return bool(read) and pdf.pages == a.pages and read == stored

    def backup_with_files(self, dest: Path) -> int:
        """A zip archive at ``dest``: a consistent library copy and the files folder."""
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            copy = self.lib.backup(Path(tmp) / self.lib.path.name)
            return filestore.zip_backup(copy, self.lib.path, dest)
