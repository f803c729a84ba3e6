"""The typed values of the attachments room: attached files, full-text parts, file problems
and where a search matched (docs/ARCHITECTURE.md, "Typed results").

They sit beside :mod:`spinelib.results` (below both the store and the library) and are plain
data: JSON shapes and text for people are made from them by the faces.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class AttachmentSource(enum.StrEnum):
    """Where an attached file came from (``show --json``'s ``"source"``)."""

    USER = "user"
    EUROPEPMC = "europepmc"
    UNPAYWALL = "unpaywall"
    WATCHED = "watched-folder"
    #: Named by an imported reference file's entry (a Zotero, JabRef or Mendeley export).
    IMPORTED = "imported"


#: How each source reads beside a file's name.
_SOURCE_LABELS: dict[str, str] = {
    AttachmentSource.USER: "added by you", AttachmentSource.EUROPEPMC: "Europe PMC",
    AttachmentSource.UNPAYWALL: "Unpaywall", AttachmentSource.WATCHED: "watched folder",
    AttachmentSource.IMPORTED: "came with an imported file"}


def source_label(source: str) -> str:
    """A file's source as a reader says it ("added by you", "Europe PMC"); an unknown one as
    it is stored."""
    return _SOURCE_LABELS.get(source, source)


class FulltextKind(enum.StrEnum):
    """Which full text an article has for reading offline (``show --json``'s ``"fulltext"``)."""

    JATS = "jats"
    PDF = "pdf"


@dataclass(frozen=True)
class Attachment:
    """One file attached to an article. ``path`` is absolute, resolved from what is stored
    (relative to the files folder for a copy, to the base folder for a link)."""

    id: int
    article_id: int
    name: str
    path: Path
    linked: bool
    kind: str  # "pdf" | "file"
    sha256: str
    size: int
    source: str
    version: str | None
    license: str | None
    pages: int | None
    text_status: str
    added_at: str
    #: What is stored: the path relative to its base (for messages and moves).
    stored_path: str = ""


@dataclass(frozen=True)
class FulltextPart:
    """A piece of an article's own text: a PDF page (``page`` 1..n) or a JATS section,
    caption or reference (``page`` None; ``kind`` says which)."""

    page: int | None
    kind: str  # "page" | "section" | "caption" | "reference"
    heading: str
    body: str


@dataclass(frozen=True)
class FileProblem:
    """A file ``check`` found wrong: ``missing``, ``changed`` (other hash) or ``orphan`` (in
    the files folder, attached to nothing); or, said but not wrong, ``saved``: a PDF saved
    again by a viewer, the same paper with highlights or comments added (said once: the
    check stores its new fingerprint)."""

    kind: str
    path: Path
    citekey: str = ""


@dataclass
class SearchPlaces:
    """Where a search matched one article: the metadata fields and full-text places
    (``"fulltext p. 3"``, or ``"fulltext"`` for JATS text), in a stable order."""

    article_id: int
    places: list[str] = field(default_factory=list)
    #: The PDF pages that matched (the GUI shows them as hit pages).
    pages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OpenAccessState:
    """What the last open-access look-up for an article answered, and when."""

    outcome: str  # "none" (no open copy)
    checked_at: str
