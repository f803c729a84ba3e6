"""The references of several articles at once, each counted once with the chosen articles
that cite it, the most shared first: chasing the references of a handful of key papers
together, the way a resident starts a reference list (and the way a reference five key
papers all cite is found before the ones only one of them cites).

Two entries are one work when they share a PMID, DOI or PMCID, or match the same article
of the library; an entry without any identifier is its own work (a citation's wording
differs from one journal's style to another's: ``refs KEY --find-dois`` gives such entries
DOIs first). Nothing is written here: the chosen works go through the identifier import
(:func:`shared_identifiers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spinelib.identifiers import Identifier, carried
from spinelib.import_results import ImportItem, chosen_identifiers
from spinelib.library import Library
from spinelib.results import ReferenceRow


@dataclass(frozen=True)
class SharedReference:
    """One cited work: its number in the listing, the first citation of it met, its
    identifiers (the first one met of each kind), the library's article it is, and the
    chosen articles that cite it (in the order they were chosen)."""

    number: int
    citation: str
    doi: str
    pmid: str
    pmcid: str
    article_id: int | None
    cited_in: tuple[int, ...]

    @property
    def in_library(self) -> bool:
        return self.article_id is not None

    def identifier(self) -> Identifier | None:
        """What an import fetches it by: its PMID, else its DOI, else its PMCID."""
        return next(iter(carried(self.pmid, self.doi, self.pmcid)), None)


@dataclass(frozen=True)
class SharedReferences:
    """The union of the chosen articles' reference lists."""

    #: The chosen articles, in the order given.
    sources: tuple[int, ...]
    #: Most shared first; among as shared, in the order the lists first cite them.
    references: list[SharedReference]
    #: The chosen articles with no reference list stored.
    without_list: tuple[int, ...]

    def shared_by(self, at_least: int) -> list[SharedReference]:
        return [r for r in self.references if len(r.cited_in) >= at_least]

    def summary(self) -> str:
        """One line: how many works, how many shared, how many held."""
        n, lists = len(self.references), len(self.sources) - len(self.without_list)
        line = (f"{n:,} cited work{'s' if n != 1 else ''} in {lists} reference "
                f"list{'s' if lists != 1 else ''}, {len(self.shared_by(2)):,} cited by two "
                f"or more, {sum(1 for r in self.references if r.in_library):,} in your "
                "library")
        if self.without_list:
            k = len(self.without_list)
            line += (f" ({k} of the chosen articles {'has' if k == 1 else 'have'} no "
                     "reference list stored)")
        return line


class _Works:
    """Reference entries grouped into works by any identifier (or library article) they
    share: a union-find over the entries."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.by_key: dict[tuple[str, str], int] = {}

    def add(self, keys: Sequence[tuple[str, str]]) -> int:
        entry = len(self.parent)
        self.parent.append(entry)
        for key in keys:
            other = self.by_key.setdefault(key, entry)
            if other != entry:
                self.parent[self.find(other)] = self.find(entry)
        return entry

    def find(self, entry: int) -> int:
        while self.parent[entry] != entry:
            self.parent[entry] = self.parent[self.parent[entry]]
            entry = self.parent[entry]
        return entry


def _keys(ref: ReferenceRow) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = [(i.kind, i.value.lower())
                                   for i in carried(ref.pmid, ref.doi, ref.pmcid)]
    if ref.article_id is not None:
        keys.append(("article", str(ref.article_id)))
    return keys


def shared_references(library: Library, article_ids: Sequence[int]) -> SharedReferences:
    """The chosen articles' references as one list of works (see the module docstring)."""
    sources = tuple(dict.fromkeys(article_ids))
    works = _Works()
    entries: list[tuple[int, ReferenceRow]] = []  # (citing article, entry), in list order
    without: list[int] = []
    for source in sources:
        refs = [r for r in library.articles.references(source) if r.article_id != source]
        if not refs:
            without.append(source)
        for ref in refs:
            works.add(_keys(ref))
            entries.append((source, ref))
    grouped: dict[int, list[tuple[int, ReferenceRow]]] = {}
    for index, pair in enumerate(entries):
        grouped.setdefault(works.find(index), []).append(pair)
    order = {source: i for i, source in enumerate(sources)}
    merged = [_merged(group, order) for group in grouped.values()]  # first-met order
    merged.sort(key=lambda r: -len(r.cited_in))  # stable: first met first among equals
    numbered = [SharedReference(n, r.citation, r.doi, r.pmid, r.pmcid, r.article_id,
                                r.cited_in) for n, r in enumerate(merged, 1)]
    return SharedReferences(sources, numbered, tuple(without))


def _merged(group: list[tuple[int, ReferenceRow]], order: dict[int, int]) -> SharedReference:
    def first(field: str) -> str:
        return next((str(getattr(ref, field)) for _s, ref in group if getattr(ref, field)), "")

    held = next((ref.article_id for _s, ref in group if ref.article_id is not None), None)
    citing = tuple(sorted({source for source, _ref in group}, key=order.__getitem__))
    return SharedReference(0, first("citation"), first("doi"), first("pmid"), first("pmcid"),
                           held, citing)


def shared_identifiers(shared: SharedReferences, numbers: Sequence[int] | None,
                       at_least: int = 1) -> tuple[list[Identifier], list[ImportItem]]:
    """What to fetch the chosen works by (``numbers`` None: every one cited by at least
    ``at_least`` of the articles and not in the library yet), and a failed item for each
    chosen one that has no identifier, or that the listing does not have."""
    chosen = ([r.number for r in shared.shared_by(at_least) if not r.in_library]
              if numbers is None else list(dict.fromkeys(numbers)))
    return chosen_identifiers(
        chosen, {r.number: r for r in shared.references}, "reference",
        SharedReference.identifier,
        lambda r: f"no DOI or PMID to fetch it by: {r.citation[:60]}",
        f"the listing has {len(shared.references)} works")


__all__ = ["SharedReference", "SharedReferences", "shared_identifiers", "shared_references"]
