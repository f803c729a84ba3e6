"""The articles that cite one of the library's, found online and marked where the library
already holds them: forward citation chasing, the Cited-by tab's "Find citing articles" and
``spinelib citing KEY``.

Europe PMC is asked (:mod:`spinelib.sources.europepmc_citing`) by the article's PMID, else
its PMCID; an article with only a DOI is first looked up in Europe PMC by that DOI. The
library's "Cited by" knows only the articles whose reference lists it stores; Europe PMC
knows the literature's. Importing the chosen ones is the ordinary identifier import
(:func:`citing_identifiers` gives what to fetch them by). The one thing stored here is a
citation watch (:func:`watch_citing`), which asks again at every run of the watches and
brings what is new to the inbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spinelib.errors import NotFound, SpineLibError
from spinelib.identifiers import Identifier, carried
from spinelib.import_results import HeldArticle, ImportItem, chosen_identifiers
from spinelib.library import Library
from spinelib.safety_results import Watch
from spinelib.sources.europepmc import search_doi
from spinelib.sources.europepmc_citing import CitingWork, EuropePmcId, fetch_citing
from spinelib.sources.http import HttpClient


class NotAskable(SpineLibError):
    """The article cannot be asked about: it has no PMID, PMCID or DOI (or is gone)."""


@dataclass(frozen=True)
class CitingEntry:
    """One citing work: its number in the oldest-first listing (what ``--import N`` names),
    and the library's article holding it, if any (in the trash included)."""

    number: int
    work: CitingWork
    held: HeldArticle | None


@dataclass(frozen=True)
class CitingSearch:
    """What Europe PMC lists as citing one article of the library."""

    article_id: int
    #: The article as Europe PMC was asked about it (``str``: "PMID 16112300").
    asked: EuropePmcId
    #: Oldest first, numbered from 1.
    entries: list[CitingEntry]
    #: Europe PMC's count: more than ``len(entries)`` when the list was cut.
    total: int

    @property
    def held(self) -> int:
        return sum(1 for e in self.entries if e.held is not None and not e.held.trashed)

    @property
    def without_identifier(self) -> int:
        return sum(1 for e in self.entries if e.work.identifier() is None)

    def summary(self) -> str:
        """One line: how many cite it, how many the library holds, what cannot be fetched."""
        n = len(self.entries)
        if not n:
            return f"Europe PMC lists no article citing this one (asked by {self.asked})"
        line = (f"Europe PMC lists {n:,} article{'s' if n != 1 else ''} citing this one, "
                f"{self.held:,} in your library")
        if self.total > n:
            line += f" (the first {n:,} of {self.total:,})"
        if self.without_identifier:
            line += (f"; {self.without_identifier:,} without a PMID or DOI cannot be "
                     "imported (preprints and other sources)")
        return line


def asked_identifier(library: Library, article_id: int, client: HttpClient) -> EuropePmcId:
    """The article as Europe PMC lists its citations: by its PMID, else its PMCID, else by
    the record Europe PMC holds for its DOI (a PubMed or PMC article, or a preprint).
    SpineLibError, saying why, when there is none."""
    row = library.search.rows([article_id]).get(article_id)
    if row is None:
        raise NotAskable("the article is no longer in the library")
    if row.pmid:
        return EuropePmcId.of(Identifier("pmid", row.pmid))
    if row.pmcid:
        return EuropePmcId.of(Identifier("pmcid", row.pmcid))
    if not row.doi:
        raise NotAskable(
            "Europe PMC finds citing articles by PMID, PMCID or DOI, and this article has "
            "none of them (add one with Edit, or Refresh it)")
    hit = search_doi(client, row.doi)
    if hit is not None and hit["pmid"]:
        return EuropePmcId.of(Identifier("pmid", hit["pmid"]))
    if hit is not None and hit["pmcid"]:
        return EuropePmcId.of(Identifier("pmcid", hit["pmcid"]))
    if hit is not None and hit["source"] and hit["id"]:
        return EuropePmcId(hit["source"], hit["id"])
    raise NotFound(f"Europe PMC does not index DOI {row.doi}, so it lists no article "
                   "citing it")


def watch_citing(library: Library, article_id: int, client: HttpClient, name: str = "",
                 tag: str = "") -> Watch:
    """Store a citation watch on the article: each later run of the watches brings the
    articles Europe PMC lists as citing it since (into the inbox, as a PubMed watch's new
    papers come). The article is named as Europe PMC is asked about it
    (:func:`asked_identifier`: only a DOI-only article needs the network here); ``name``
    defaults to "Citing" and the article's citation key."""
    asked = asked_identifier(library, article_id, client)
    row = library.search.rows([article_id])[article_id]
    who = " ".join(str(part) for part in (row.first_author, row.year) if part) or \
        row.title[:50]
    return library.watches.add_citing(name.strip() or f"Citing {row.citekey}",
                                      asked.key, f"{who}, {asked}", tag)


def existing_alert(library: Library, article_id: int) -> Watch | None:
    """The citation alert already watching the article, found by its PMID or PMCID without
    asking the network (an alert made through a DOI-only article's Europe PMC record is
    not found here; making it again says so)."""
    row = library.search.rows([article_id]).get(article_id)
    if row is None:
        return None
    named = {EuropePmcId.of(ident).key
             for ident in carried(row.pmid or "", "", row.pmcid or "")}
    return next((w for w in library.watches.all() if w.cites and w.cites in named), None)


def find_citing(library: Library, article_id: int, client: HttpClient) -> CitingSearch:
    """Ask Europe PMC which articles cite this one, and mark those the library holds."""
    asked = asked_identifier(library, article_id, client)
    found = fetch_citing(client, asked)
    return CitingSearch(article_id, asked, mark_held(library, found.works), found.total)


def mark_held(library: Library, works: Sequence[CitingWork]) -> list[CitingEntry]:
    """Number the works from 1 and give each the library's article holding it."""
    found = holders(library, [w.identifiers() for w in works])
    return [CitingEntry(n, w, held) for n, (w, held) in enumerate(zip(works, found), 1)]


def holders(library: Library, works: Sequence[Sequence[Identifier]]
            ) -> list[HeldArticle | None]:
    """For each work (given by its identifiers), the library's article holding any of them
    (one in the trash included), or None: one query for them all."""
    held = library.articles.holding(i for idents in works for i in idents)
    return [next((held[i] for i in idents if i in held), None) for idents in works]


def citing_identifiers(search: CitingSearch, numbers: Sequence[int] | None
                       ) -> tuple[list[Identifier], list[ImportItem]]:
    """What to fetch the chosen citing works by (``numbers`` None: every one the library
    does not hold yet), and a failed item for each chosen one that cannot be fetched (no
    PMID, DOI or PMCID) or that the listing does not have."""
    chosen = ([e.number for e in search.entries if e.held is None] if numbers is None
              else list(dict.fromkeys(numbers)))
    return chosen_identifiers(
        chosen, {e.number: e for e in search.entries}, "citing article",
        lambda e: e.work.identifier(),
        lambda e: (f"Europe PMC gives no PMID or DOI for it ({e.work.source} "
                   f"{e.work.source_id}): {e.work.citation[:60]}"),
        f"the listing has {len(search.entries)} articles")


__all__ = ["CitingEntry", "CitingSearch", "asked_identifier", "holders",
           "citing_identifiers", "existing_alert", "find_citing", "mark_held",
           "watch_citing"]
