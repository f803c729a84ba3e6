"""What an import reports: one :class:`ImportItem` per input, gathered in an :class:`ImportReport`.

Kept apart from :mod:`spinelib.importer` (which re-exports them) so the pipeline module stays
small; the faces read these results, the importer makes them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

from spinelib.text import plural

if TYPE_CHECKING:
    from spinelib.identifiers import Identifier
    from spinelib.results import AddResult

ItemStatus = Literal["imported", "updated", "unchanged", "not_found", "failed", "queued",
                     "cancelled"]
OK_STATUSES = ("imported", "updated", "unchanged")
#: Unicode categories shown escaped in report lines: controls, format characters (bidi
#: overrides, zero-width spaces), line and paragraph separators, surrogates.
UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: An import's progress callback: done, total, what (a file name, an identifier).
Progress = Callable[[int, int, str], None]
#: Asked between batches: True stops the import after the batch in hand.
Cancelled = Callable[[], bool]

@dataclass(frozen=True)
class HeldArticle:
    """The article that already holds an identifier about to be imported: importing it
    again refreshes that article (or restores it from the trash), never adds a second."""

    article_id: int
    citekey: str
    trashed: bool


@dataclass
class ImportItem:
    """The outcome for one identifier, or one entry or problem of a file."""

    given: str
    status: ItemStatus
    message: str = ""
    article_id: int | None = None
    citekey: str = ""
    #: A PDF kept (its file, and an article holding it, stored: "imported") whose
    #: identification waits for the network: its first-page search or its identifier's
    #: fetch was queued in ``pending``.
    waits: bool = False

    @classmethod
    def from_add(cls, given: str, res: AddResult) -> ImportItem:
        """The item of a record the library merged (``add_records``' answer for it)."""
        message = "; ".join([res.label, *res.messages])
        return cls(given, res.status, message, res.article_id or None, res.citekey)

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def line(self) -> str:
        """One human line: 'PMID 123: imported as patchell2005direct (Patchell 2005, …)'.

        Control, format and line-separator characters (a pasted terminal escape, a bidi
        override, a newline in a title from a file) are shown escaped, so what the user gave
        or a file held can neither drive the terminal, reorder the line, nor split it.
        """
        text = f"{self.given}: {self.status.replace('_', ' ')}"
        if self.citekey:
            text += f" as {self.citekey}"
        if self.message:
            text += f" ({self.message})"
        return "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in UNSHOWN else ch
                       for ch in text)


@dataclass
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Files the imported entries named and that were attached (:mod:`spinelib.linkedfiles`).
    attached: int = 0
    #: Imported articles that look like others in the library (same title, year and first
    #: author): listed as duplicate candidates, for the user to merge or dismiss.
    look_alikes: list[int] = field(default_factory=list)
    #: Identifiers looked up over the network (typed, or listed in a file), 0 for files of
    #: records only: the GUI's network indicator changes only when the network was used.
    fetched: int = 0
    #: Reading list name -> articles this import added to it (:mod:`spinelib.importlists`).
    listed: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.status] = out.get(item.status, 0) + 1
        return out

    @property
    def waiting(self) -> int:
        """The kept PDFs whose identification waits for the network (:attr:`ImportItem.waits`)."""
        return sum(item.waits for item in self.items)

    @property
    def all_ok(self) -> bool:
        return all(item.ok for item in self.items)

    def summary(self, *, offline_apart: bool = False) -> str:
        """"3 imported, 1 unchanged, 2 files attached"; with ``offline_apart`` without what
        waits for the network (the queued and the PDFs to identify), which the window's
        status line says first, and "" for nothing else."""
        counts = self.counts()
        order = ("imported", "updated", "unchanged", "not_found", "failed", "queued", "cancelled")
        parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in order
                 if counts.get(s) and not (offline_apart and s == "queued")]
        if self.waiting and not offline_apart:
            parts.append(f"{plural(self.waiting, 'PDF')} to identify when online")
        if self.attached:
            parts.append(f"{plural(self.attached, 'file')} attached")
        parts.extend(f"{n} added to the reading list {name!r}"
                     for name, n in self.listed.items())
        return ", ".join(parts) if parts or offline_apart else "nothing to import"

    def look_alike_note(self) -> str:
        """What :attr:`look_alikes` means, in words ('' when there are none); each face adds
        where its user merges them."""
        n = len(self.look_alikes)
        if not n:
            return ""
        return (f"{plural(n, 'imported article')} {'looks' if n == 1 else 'look'} like "
                f"{'another' if n == 1 else 'others'} in the library (same title, year and "
                "first author)")


Entry = TypeVar("Entry")


def chosen_identifiers(chosen: Sequence[int], by_number: Mapping[int, Entry], what: str,
                       identifier: Callable[[Entry], Identifier | None],
                       why_not: Callable[[Entry], str], missing: str
                       ) -> tuple[list[Identifier], list[ImportItem]]:
    """What to fetch the entries numbered ``chosen`` of a listing by (a reference list, the
    articles citing one…), and a failed item "``what`` N" for each that the listing does
    not have (``missing`` says so) or that has no identifier (``why_not`` says why)."""
    idents: list[Identifier] = []
    problems: list[ImportItem] = []
    for number in chosen:
        entry = by_number.get(number)
        if entry is None:
            problems.append(ImportItem(f"{what} {number}", "failed", missing))
        elif (ident := identifier(entry)) is None:
            problems.append(ImportItem(f"{what} {number}", "failed", why_not(entry)))
        else:
            idents.append(ident)
    return idents, problems

