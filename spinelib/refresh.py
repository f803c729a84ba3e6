"""Refresh: re-fetch stored articles from PubMed/Crossref and compare, field by field.

The same path as an import (:func:`spinelib.sources.resolve.resolve_many`: PMIDs in efetch
batches, DOIs through PubMed then Crossref, the HTTP client's timeouts, retries and rate
limits), but the records are compared with what is stored instead of merged. With
``apply``, the source's values replace the stored ones except for the fields the user
edited, which are reported as kept (:meth:`spinelib.library.edits.EditsManager.apply_source`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spinelib.curation_results import RefreshResult
from spinelib.identifiers import Identifier
from spinelib.library import Library
from spinelib.sources.http import HttpClient

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
    from spinelib.sources.resolve import resolve_many

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
        resolutions = resolve_many(client, [i for _, i in chunk], with_references=False)
        for (a, _), res in zip(chunk, resolutions):
            key = lib.articles.citekey(a)
            if res.status != "found" or res.record is None:
                status = res.status if res.status in ("not_found", "offline") else "failed"
                results[a] = RefreshResult(a, key, status, res.message)
                continue
            result = RefreshResult(a, key, "found", diffs=lib.edits.diff(a, res.record))
            if apply:
                result.applied, result.kept = lib.edits.apply_source(a, res.record)
            results[a] = result
        done += len(chunk)
        if progress:
            progress(done, len(wanted))
    return [results[a] for a in ids]
