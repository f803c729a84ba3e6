"""Refresh: re-fetch stored articles from PubMed/Crossref and compare, field by field.

The same path as an import (:func:`spinelib.sources.resolve_indirect.resolve_indirect`:
PMIDs in efetch batches, DOIs through PubMed then Crossref, a chapter's book editors from
its book's record, the HTTP client's timeouts, retries and rate limits), but the records
are compared with what is stored instead of merged. With ``apply``, the source's values
replace the stored ones except for the fields the user edited, which are reported as kept
(:meth:`spinelib.library.edits.EditsManager.apply_source`).

A refresh also takes the articles' citation counts (issue 17), dated, diff or apply alike
(a count is not a field the user edits): Crossref's from the reply that re-fetched the
record when Crossref was asked, else in batches of 50 DOIs; Europe PMC's in batches of 50
identifiers (:mod:`spinelib.sources.citedby`). A count service that cannot be reached
costs only its counts: the earlier ones stay, with their dates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from spinelib.curation_results import RefreshResult
from spinelib.errors import SpineLibError
from spinelib.identifiers import Identifier
from spinelib.library import Library
from spinelib.records import ArticleRecord
from spinelib.sources.http import HttpClient

if TYPE_CHECKING:
    from spinelib.sources.resolve import Resolution

log = logging.getLogger(__name__)

#: Articles re-fetched per round, as imports do (bounds what a cancel or crash can lose).
CHUNK = 200


def _identifier(lib: Library, article_id: int) -> Identifier | None:
    """The identifier to re-fetch by: PMID first (PubMed is the richer record), then DOI,
    then PMCID."""
    rec = lib.articles.record(article_id)
    if rec.pmid:
        return Identifier("pmid", rec.pmid)
    if rec.doi:
        return Identifier("doi", rec.doi)
    if rec.pmcid:
        return Identifier("pmcid", rec.pmcid)
    return None


def refresh(lib: Library, ids: Sequence[int], *, client: HttpClient, apply: bool = False,
            progress: Callable[[int, int], None] | None = None) -> list[RefreshResult]:
    """One result per article, in order: the diff, and what was applied and kept."""
    from spinelib.sources.resolve_indirect import resolve_indirect

    ids = list(dict.fromkeys(ids))
    results: dict[int, RefreshResult] = {}
    wanted: list[tuple[int, Identifier]] = []
    for a in ids:
        ident = _identifier(lib, a)
        if ident is None:
            results[a] = RefreshResult(a, lib.articles.citekey(a), "no_identifier",
                                       "no DOI, PMID or PMCID to fetch it by")
        else:
            wanted.append((a, ident))
    done = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        resolutions = resolve_indirect(client, [i for _, i in chunk], with_references=False)
        for (a, _), res in zip(chunk, resolutions):
            key = lib.articles.citekey(a)
            if res.status != "found" or res.record is None:
                status = res.status if res.status in ("not_found", "offline") else "failed"
                results[a] = RefreshResult(a, key, status, res.message)
                continue
            result = RefreshResult(a, key, "found", diffs=lib.edits.diff(a, res.record))
            if apply:
                result.applied, result.kept = lib.edits.apply_source(a, res.record)
                if "citekey" in result.applied:
                    result.new_key = lib.articles.citekey(a)
            results[a] = result
        take_counts(lib, client, [(a, r) for (a, _), r in zip(chunk, resolutions)])
        done += len(chunk)
        if progress:
            progress(done, len(wanted))
    return [results[a] for a in ids]


def take_counts(lib: Library, client: HttpClient,
                resolved: Sequence[tuple[int, Resolution]]) -> None:
    """Store the citation counts of the articles re-fetched in ``resolved`` (see the module
    docstring): what their replies carried, then Crossref's and Europe PMC's batches."""
    found: dict[int, ArticleRecord] = {a: r.record for a, r in resolved
                                       if r.status == "found" and r.record is not None}
    counts: dict[int, dict[str, int]] = {a: dict(r.citation_counts) for a, r in resolved
                                         if a in found}
    from spinelib.sources.citedby import crossref_counts, europepmc_counts

    by_doi = {rec.doi: a for a, rec in found.items()
              if rec.doi and "crossref" not in counts[a]}
    try:
        for doi, n in crossref_counts(client, list(by_doi)).items():
            counts[by_doi[doi]]["crossref"] = n
    except SpineLibError as exc:
        log.info("Crossref citation counts not taken: %s", exc)
    by_pmid = {rec.pmid: a for a, rec in found.items() if rec.pmid}
    by_doi = {rec.doi: a for a, rec in found.items() if rec.doi and not rec.pmid}
    try:
        pmid_counts, doi_counts = europepmc_counts(client, list(by_pmid), list(by_doi))
    except SpineLibError as exc:
        log.info("Europe PMC citation counts not taken: %s", exc)
    else:
        for pmid, n in pmid_counts.items():
            counts[by_pmid[pmid]]["europepmc"] = n
        for doi, n in doi_counts.items():
            counts[by_doi[doi]]["europepmc"] = n
    lib.retractions.record_counts(counts)
