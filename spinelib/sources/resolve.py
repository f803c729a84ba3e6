"""Identifiers -> the best record SpineLib can assemble, in as few requests as the APIs allow.

The one entry point, :func:`resolve_many`, is what both faces' import pipeline calls. Its
promises:

* one :class:`Resolution` per input identifier, in input order (duplicates share the work);
* PubMed first: PMIDs are fetched in efetch batches (1,000 PMIDs -> 5 requests); DOIs are
  searched 200 to an esearch (OR'ed ``[doi]`` terms), the hits fetched in the same batches and
  matched to the DOIs by the records' own DOI (case-insensitively); a PMCID goes through the
  PMC ID converter to a PMID (or a DOI) first;
* Crossref fills what PubMed lacks (references, ORCIDs, a missing abstract) via
  :func:`~spinelib.records.fill_missing`, and is the whole record for a DOI PubMed lacks;
  its answers come in ``/works?filter=doi:...`` lists of 100 (a handful: single requests side
  by side). Europe PMC supplies references when neither had any: one search says which
  records it has lists for, then those lists are fetched side by side. Every request keeps
  to its service's published rate and concurrency (:mod:`spinelib.sources.limits`);
* the record keeps every identifier learned on the way (doi, pmid, pmcid);
* citation counts found in the replies fetched anyway (Crossref's
  ``is-referenced-by-count``) travel beside the record, by source, and so do the
  retraction and concern notices in PubMed's reply (issue 17): no request is made for them;
* failures stay per item: a NetworkError makes the item ``offline`` (the caller queues it),
  NotFound makes it ``not_found``, a refusal or unreadable answer makes it ``failed``; a
  filler source (Crossref for a PubMed record, Europe PMC) failing never loses the record.
  Once a service proves unreachable it is not asked again in the same run, so a batch of
  hundreds of identifiers goes offline in seconds rather than hours of retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord, ReferenceEntry, copy_record, copy_references
from spinelib.safety_results import Notice
from spinelib.sources import pubmed
from spinelib.sources.europepmc_batch import with_reference_lists as reference_lists
from spinelib.sources.http import HttpClient
from spinelib.sources.lookups import (
    CROSSREF,
    EUROPEPMC,
    IDCONV,
    PUBMED,
    LookupFailure,
    Lookups,
    Resolution,
    Status,
    crossref_batch,
)
from spinelib.sources.parallel import chunks, run_each

if TYPE_CHECKING:
    from spinelib.sources.crossref_batch import CrossrefAnswers

_Failure = LookupFailure
__all__ = ["Resolution", "Status", "resolve_many"]

log = logging.getLogger(__name__)

#: Fewer DOIs than this go to Crossref as single-record requests (side by side, in its faster
#: single-record class); more go as ``/works?filter=doi:...`` lists (crossref_batch).
CROSSREF_BATCH_FROM = 3
#: From this many records awaiting Europe PMC's references, one search first says which of
#: them it has a list for (spinelib.sources.europepmc_batch).
EUROPEPMC_SEARCH_FROM = 3


def resolve_many(client: HttpClient, identifiers: Sequence[Identifier], *,
                 with_references: bool = True,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 known: CrossrefAnswers | None = None) -> list[Resolution]:
    """Resolve ``identifiers`` (DOIs, PMIDs, PMCIDs; PIIs and citations go through
    :mod:`spinelib.sources.resolve_indirect`) to records; see the module docstring.

    ``progress(done, total)`` is called as work advances: ``total`` is the number of distinct
    identifiers, ``done`` never decreases and ends equal to ``total`` (a DOI's or PMCID's
    lookup counts towards its share, so the bar moves during the searches too).
    ``cancelled()`` is polled between requests; identifiers not finished when it turns true
    come back ``cancelled``. ``with_references=False``
    makes no reference-only requests and returns records with empty reference lists.
    ``known``: Crossref's answers fetched already, by DOI (not asked for again).
    """
    job = _Job(client, list(dict.fromkeys(identifiers)), with_references=with_references,
               progress=progress, cancelled=cancelled)
    job.crossref.update(known.records if known else {})
    job.crossref_counts.update(known.counts if known else {})
    results = job.run()
    out: list[Resolution] = []
    handed_out: set[Identifier] = set()
    for ident in identifiers:
        res = results[ident]
        if ident in handed_out and res.record is not None:
            # A repeated identifier gets its own copy to edit freely.
            res = replace(res, record=copy_record(res.record))
        handed_out.add(ident)
        out.append(res)
    return out


class _Job(Lookups):
    """One resolve_many run: the phases share what was learned and which services are down."""

    def __init__(self, client: HttpClient, unique: list[Identifier], *, with_references: bool,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        super().__init__(client, with_references=with_references)
        self.unique = unique
        self._progress = progress
        self._cancelled = cancelled or (lambda: False)
        self.results: dict[Identifier, Resolution] = {}
        #: PMID each non-PMID identifier maps to (idconv or esearch).
        self.pmid_for: dict[Identifier, str] = {}
        #: Identifiers learned on the way, set on the final record where it has none.
        self.learned: dict[Identifier, dict[str, str]] = {}
        #: PubMed records by PMID, and per-PMID failures of the efetch batch that held them.
        self.records: dict[str, ArticleRecord] = {}
        #: PubMed's retraction / concern notices by PMID, read from the same replies.
        self.notices: dict[str, list[Notice]] = {}
        self.pmid_failures: dict[str, _Failure] = {}
        #: PMIDs esearch found for the DOIs (matched to them by the records' DOIs).
        self.doi_candidates: list[str] = []
        #: Records waiting for Europe PMC's reference list.
        self.awaiting: dict[Identifier, ArticleRecord] = {}
        self.done_units = 0
        pmcids = sum(1 for i in unique if i.kind == "pmcid")
        dois = sum(1 for i in unique if i.kind == "doi")
        self.total_units = len(unique) + pmcids + dois

    # -- bookkeeping ----------------------------------------------------------------------

    def advance(self, units: int = 1) -> None:
        """Count finished lookups; report them scaled to identifiers (what callers show)."""
        self.done_units = min(self.total_units, self.done_units + units)
        if self._progress is not None and self.total_units:
            total = len(self.unique)
            self._progress(self.done_units * total // self.total_units, total)

    def cancelled(self) -> bool:
        return bool(self._cancelled())

    def finish(self, ident: Identifier, status: Status, record: ArticleRecord | None = None,
               message: str = "") -> None:
        if status != "found" or record is None:
            self.results[ident] = Resolution(ident, status, record, message)
            return
        count = self.crossref_counts.get(record.doi.lower()) if record.doi else None
        counts = {"crossref": count} if count is not None else {}
        notices = self.notices.get(record.pmid, []) if record.pmid \
            and record.source == "pubmed" else []
        self.results[ident] = Resolution(ident, status, record, message, counts, list(notices))

    def pending(self, kind: str | None = None) -> list[Identifier]:
        return [i for i in self.unique
                if i not in self.results and (kind is None or i.kind == kind)]

    # -- the phases -----------------------------------------------------------------------

    def run(self) -> dict[Identifier, Resolution]:
        for phase in (self.convert_pmcids, self.search_dois, self.fetch_pubmed, self.map_dois,
                      self.fetch_crossref, self.assemble, self.fill_references):
            if self.cancelled():
                break
            phase()
        for ident in self.pending():
            self.finish(ident, "cancelled", message="cancelled before it was looked up")
        self.advance(self.total_units)
        return self.results

    def convert_pmcids(self) -> None:
        """PMCIDs -> PMID (or DOI) through the PMC ID converter, 200 per request."""
        pmcids = self.pending("pmcid")
        for batch in chunks(pmcids, pubmed.IDCONV_BATCH):
            if self.cancelled():
                return
            values = [i.value for i in batch]
            try:
                known = self.call(IDCONV, partial(pubmed.convert_ids, self.client, values))
            except _Failure as failure:
                for ident in batch:
                    self.finish(ident, failure.status, message=failure.message)
                self.advance(len(batch))
                continue
            for ident in batch:
                info = known.get(ident.value)
                if not info or not (info.get("pmid") or info.get("doi")):
                    self.finish(ident, "not_found", message=(
                        f"the PMC ID converter does not know {ident.value}"))
                    continue
                self.learned[ident] = {**info, "pmcid": ident.value}
                if info.get("pmid"):
                    self.pmid_for[ident] = info["pmid"]
            self.advance(len(batch))

    def search_dois(self) -> None:
        """Every DOI -> candidate PMIDs, with the DOIs OR'ed into few esearch requests."""
        dois = self.pending("doi")
        if not dois:
            return
        try:
            self.doi_candidates = self.call(PUBMED, partial(
                pubmed.search_dois, self.client, [i.value for i in dois]))
        except _Failure as failure:
            if failure.status == "offline":
                for ident in dois:
                    self.finish(ident, failure.status, message=failure.message)
            else:
                # The PubMed lookup is opportunistic: if PubMed chokes on these DOIs,
                # Crossref may still know them (fetch_crossref() asks it).
                log.info("PubMed search for %d DOIs failed: %s", len(dois), failure.message)
        self.advance(len(dois))

    def fetch_pubmed(self) -> None:
        """Every PMID wanted (given, converted or found by DOI) in efetch batches."""
        wanted = [i.value for i in self.pending("pmid")]
        wanted += [self.pmid_for[i] for i in self.pending() if i in self.pmid_for]
        wanted += self.doi_candidates
        for batch in chunks(list(dict.fromkeys(wanted)), pubmed.EFETCH_BATCH):
            if self.cancelled():
                return
            try:
                found, notices = self.call(PUBMED, partial(pubmed.fetch_pmids_noticed,
                                                           self.client, batch))
            except _Failure as failure:
                for pmid in batch:
                    self.pmid_failures[pmid] = failure
                continue
            self.records.update(found)
            self.notices.update(notices)

    def map_dois(self) -> None:
        """Each DOI -> the one fetched PubMed record carrying it (compared case-insensitively).

        A DOI no record carries, or more than one does, is left to Crossref; but when PubMed
        went offline while fetching the candidates, it is queued (offline) instead, so it is
        not stored from Crossref while PubMed may hold it.
        """
        by_doi: dict[str, list[str]] = {}
        for pmid, record in self.records.items():
            if record.doi:
                by_doi.setdefault(record.doi.lower(), []).append(pmid)
        candidates = set(self.doi_candidates)
        lost = next((f for p, f in self.pmid_failures.items()
                     if p in candidates and f.status == "offline"), None)
        for ident in self.pending("doi"):
            pmids = by_doi.get(ident.value.lower(), [])
            if len(pmids) == 1:
                self.pmid_for[ident] = pmids[0]
            elif lost is not None and not pmids:
                self.finish(ident, lost.status, message=lost.message)

    def fetch_crossref(self) -> None:
        """Every DOI Crossref must answer in this round (a main record or a filler), at once:
        a few list requests, or single-record requests side by side for a handful."""
        wanted = list(dict.fromkeys(d.lower() for d in map(self.crossref_doi, self.pending())
                                    if d and d.lower() not in self.crossref))
        if not wanted or self.cancelled():
            return
        if len(wanted) < CROSSREF_BATCH_FROM:
            workers = self.client.gates["crossref"].limit
            for doi, outcome in run_each(self.crossref_single, wanted, workers=workers,
                                         cancelled=self.cancelled):
                self.crossref[doi] = outcome
            return
        try:
            answers = self.call(CROSSREF, partial(crossref_batch, self.client, wanted))
        except _Failure as failure:
            self.crossref.update(dict.fromkeys(wanted, failure))
            return
        self.crossref.update(answers.records)
        self.crossref_counts.update(answers.counts)
        for doi, exc in answers.failures.items():
            self.crossref[doi] = self.failure_of(CROSSREF, exc)
        for doi in wanted:  # asked and left out of the lists: Crossref does not know it
            self.crossref.setdefault(doi.lower(), None)

    def assemble(self) -> None:
        """Per identifier: the main record, Crossref's gaps filled; finished unless it still
        lacks references that Europe PMC may have (fill_references() asks)."""
        for ident in self.pending():
            if self.cancelled():
                return
            try:
                record = self.with_ids(self.main_record(ident), ident)
                record = self.enrich(record, doi_input=ident.kind == "doi")
            except _Failure as failure:
                self.finish(ident, failure.status, message=failure.message)
                self.advance()
                continue
            if self.with_references and not record.references and record.pmid:
                self.awaiting[ident] = record
                continue
            if not self.with_references:
                record.references = []
            self.finish(ident, "found", record)
            self.advance()

    def fill_references(self) -> None:
        """Europe PMC's reference lists for the records still without one: first which of
        them Europe PMC has a list for (a search per 100), then those lists side by side
        within its limits. Its failures only cost the references."""
        by_pmid: dict[str, list[Identifier]] = {}
        for ident, record in self.awaiting.items():
            by_pmid.setdefault(record.pmid, []).append(ident)
        pmids = list(by_pmid)
        if len(pmids) >= EUROPEPMC_SEARCH_FROM and not self.cancelled():
            try:
                listed = self.call(EUROPEPMC, partial(reference_lists, self.client, pmids))
            except _Failure as failure:  # ask each one, as if we had not searched
                log.info("Europe PMC search for reference lists: %s", failure.message)
            else:
                for pmid in [p for p in pmids if p not in listed]:
                    self.finish_awaiting(by_pmid[pmid], [])
                pmids = [p for p in pmids if p in listed]
        workers = self.client.gates["europepmc"].limit
        for pmid, outcome in run_each(self.europepmc_refs, pmids, workers=workers,
                                      cancelled=self.cancelled):
            if isinstance(outcome, _Failure):
                log.info("Europe PMC references for PMID %s: %s", pmid, outcome.message)
            self.finish_awaiting(by_pmid[pmid], outcome)

    def finish_awaiting(self, idents: list[Identifier],
                        refs: list[ReferenceEntry] | _Failure) -> None:
        """Finish records that waited for Europe PMC, with its list when it gave one."""
        for ident in idents:
            record = self.awaiting.pop(ident)
            if isinstance(refs, list) and refs:
                record.references = copy_references(refs)
            self.finish(ident, "found", record)
            self.advance()

    # -- per identifier -------------------------------------------------------------------

    def pubmed_record(self, ident: Identifier) -> ArticleRecord | None:
        """PubMed's record for ``ident`` when PubMed has this article (not a copy)."""
        pmid = ident.value if ident.kind == "pmid" else self.pmid_for.get(ident, "")
        doi = self.input_doi(ident)
        if not pmid:
            return None
        if pmid in self.pmid_failures:
            failure = self.pmid_failures[pmid]
            raise _Failure(failure.status, failure.message)
        record = self.records.get(pmid)
        if record is not None and doi and record.doi and record.doi.lower() != doi.lower():
            # The converter matched another article: its PMID must not travel to this one.
            log.info("PubMed's record %s has DOI %s, not %s; using Crossref", pmid,
                     record.doi, doi)
            self.pmid_for.pop(ident, None)
            return None
        return record

    def input_doi(self, ident: Identifier) -> str:
        """The DOI given, or learned from the PMC ID converter ('' when none)."""
        if ident.kind == "doi":
            return ident.value
        return self.learned.get(ident, {}).get("doi", "")

    def crossref_doi(self, ident: Identifier) -> str:
        """The DOI Crossref must be asked about for ``ident`` ('' when none)."""
        try:
            record = self.pubmed_record(ident)
        except _Failure:
            return ""
        if record is None:
            return self.input_doi(ident)
        if record.doi and (ident.kind == "doi"
                           or (self.with_references and not record.references)):
            return record.doi
        return ""

    def main_record(self, ident: Identifier) -> ArticleRecord:
        """The PubMed record when PubMed has this identifier, else Crossref's (for DOIs)."""
        record = self.pubmed_record(ident)
        if record is not None:
            return copy_record(record)
        doi = self.input_doi(ident)
        if doi:
            return self.from_crossref(doi)
        if ident.kind == "pmid":
            raise _Failure("not_found", f"PubMed has no record for PMID {ident.value}")
        raise _Failure("not_found", f"PubMed has no record for {ident}")

    def with_ids(self, record: ArticleRecord, ident: Identifier) -> ArticleRecord:
        """Put every identifier learned for ``ident`` on the record where it has none."""
        known = dict(self.learned.get(ident, {}))
        known[ident.kind] = ident.value
        if ident in self.pmid_for:
            known.setdefault("pmid", self.pmid_for[ident])
        for kind in ("doi", "pmid", "pmcid"):
            if known.get(kind) and not getattr(record, kind):
                setattr(record, kind, known[kind])
        return record


