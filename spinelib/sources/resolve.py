"""Identifiers -> the best record SpineLib can assemble, in as few requests as the APIs allow.

The one entry point, :func:`resolve_many`, is what both faces' import pipeline calls. Its
promises:

* one :class:`Resolution` per input identifier, in input order (duplicates share the work);
* PubMed first: PMIDs are fetched in efetch batches (1,000 PMIDs -> 5 requests); a DOI is
  looked up in PubMed (esearch) and, when found, fetched in the same batches; a PMCID goes
  through the PMC ID converter to a PMID (or a DOI) first;
* Crossref fills what PubMed lacks (references, ORCIDs, a missing abstract) via
  :func:`~spinelib.records.fill_missing`, and is the whole record for a DOI PubMed lacks;
  Europe PMC supplies references when neither PubMed nor Crossref had any;
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

import copy
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal, TypeVar

from spinelib.errors import FormatError, NetworkError, NotFound, ServiceError, SpineLibError
from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord, ReferenceEntry, fill_missing
from spinelib.safety_results import Notice
from spinelib.sources import pubmed
from spinelib.sources.http import HttpClient

log = logging.getLogger(__name__)

Status = Literal["found", "not_found", "failed", "offline", "cancelled"]
T = TypeVar("T")

#: Keys for "this service is down for the rest of the run" (idconv is a separate NCBI host).
PUBMED, IDCONV, CROSSREF, EUROPEPMC = "PubMed", "the PMC ID converter", "Crossref", "Europe PMC"


@dataclass
class Resolution:
    """What became of one identifier: a record, or a plain reason why not."""

    identifier: Identifier
    status: Status
    record: ArticleRecord | None = None
    #: Plain reason for not_found/failed/offline ('' when found).
    message: str = ""
    #: Citation counts read from the replies that built the record, by source
    #: ("crossref" -> its ``is-referenced-by-count``); empty when none carried one.
    citation_counts: dict[str, int] = field(default_factory=dict)
    #: PubMed's retraction / concern notices in the reply that gave the record (dated
    #: from their RefSource citations); empty when it named none.
    notices: list[Notice] = field(default_factory=list)


class _Failure(Exception):
    """Internal: an identifier ends without a record (status + message)."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status: Status = status
        self.message = message


def resolve_many(client: HttpClient, identifiers: Sequence[Identifier], *,
                 with_references: bool = True,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[Resolution]:
    """Resolve ``identifiers`` to records; see the module docstring for the promises.

    ``progress(done, total)`` is called as work advances: ``total`` is the number of distinct
    identifiers, ``done`` never decreases and ends equal to ``total`` (a DOI's or PMCID's
    lookup counts towards its share, so the bar moves during the searches too).
    ``cancelled()`` is polled between requests; identifiers not finished when it turns true
    come back ``cancelled``. ``with_references=False``
    makes no reference-only requests and returns records with empty reference lists.
    """
    job = _Job(client, list(dict.fromkeys(identifiers)), with_references=with_references,
               progress=progress, cancelled=cancelled)
    results = job.run()
    out: list[Resolution] = []
    handed_out: set[Identifier] = set()
    for ident in identifiers:
        res = results[ident]
        if ident in handed_out:  # a repeated identifier gets its own copy to edit freely
            res = replace(res, record=copy.deepcopy(res.record))
        handed_out.add(ident)
        out.append(res)
    return out


class _Job:
    """One resolve_many run: the phases share what was learned and which services are down."""

    def __init__(self, client: HttpClient, unique: list[Identifier], *, with_references: bool,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        self.client = client
        self.unique = unique
        self.with_references = with_references
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
        #: Citation counts per identifier, from the replies fetched for its record.
        self.counts: dict[Identifier, dict[str, int]] = {}
        #: Services that proved unreachable in this run -> the message to repeat.
        self.down: dict[str, str] = {}
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
        counts = self.counts.get(ident, {}) if status == "found" else {}
        notices = self.notices.get(record.pmid, []) if record is not None and record.pmid \
            and status == "found" and record.source == "pubmed" else []
        self.results[ident] = Resolution(ident, status, record, message, dict(counts),
                                         list(notices))

    def pending(self, kind: str | None = None) -> list[Identifier]:
        return [i for i in self.unique
                if i not in self.results and (kind is None or i.kind == kind)]

    def call(self, service: str, fn: Callable[[], T]) -> T:
        """Run one request for ``service``; map errors to :class:`_Failure`.

        A NetworkError marks the service down so later calls fail fast with the same message.
        """
        if service in self.down:
            raise _Failure("offline", self.down[service])
        try:
            return fn()
        except NetworkError as exc:
            self.down[service] = str(exc)
            raise _Failure("offline", str(exc)) from None
        except NotFound as exc:
            raise _Failure("not_found", str(exc)) from None
        except (ServiceError, FormatError) as exc:
            raise _Failure("failed", str(exc)) from None
        except SpineLibError as exc:  # InvalidIdentifier and kin: the input is at fault
            raise _Failure("failed", str(exc)) from None
        except Exception as exc:  # a bug in a parser must not sink the whole batch
            log.exception("unexpected error talking to %s", service)
            raise _Failure("failed", f"unexpected error reading {service}'s answer: "
                                     f"{type(exc).__name__}") from None

    # -- the phases -----------------------------------------------------------------------

    def run(self) -> dict[Identifier, Resolution]:
        for phase in (self.convert_pmcids, self.search_dois, self.fetch_pubmed,
                      self.assemble):
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
        for batch in _chunks(pmcids, pubmed.IDCONV_BATCH):
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
        """Each DOI -> its PMID when PubMed holds exactly one record for it."""
        for ident in self.pending("doi"):
            if self.cancelled():
                return
            try:
                pmid = self.call(PUBMED, partial(pubmed.search_doi, self.client, ident.value))
            except _Failure as failure:
                if failure.status == "offline":
                    self.finish(ident, failure.status, message=failure.message)
                else:
                    # The PubMed lookup is opportunistic: if PubMed chokes on this DOI,
                    # Crossref may still know it (assemble() asks it).
                    log.info("PubMed search for DOI %s failed: %s", ident.value,
                             failure.message)
            else:
                if pmid:
                    self.pmid_for[ident] = pmid
            self.advance()

    def fetch_pubmed(self) -> None:
        """Every PMID wanted (given, converted or found by DOI) in efetch batches."""
        wanted = [i.value for i in self.pending("pmid")]
        wanted += [self.pmid_for[i] for i in self.pending() if i in self.pmid_for]
        for batch in _chunks(list(dict.fromkeys(wanted)), pubmed.EFETCH_BATCH):
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

    def assemble(self) -> None:
        """Per identifier: the main record, then fillers; one progress step each."""
        for ident in self.pending():
            if self.cancelled():
                return
            try:
                record = self.with_ids(self.main_record(ident), ident)
                self.finish(ident, "found", self.enrich(ident, record,
                                                        doi_input=ident.kind == "doi"))
            except _Failure as failure:
                self.finish(ident, failure.status, message=failure.message)
            self.advance()

    # -- per identifier -------------------------------------------------------------------

    def main_record(self, ident: Identifier) -> ArticleRecord:
        """The PubMed record when PubMed has this identifier, else Crossref's (for DOIs)."""
        pmid = ident.value if ident.kind == "pmid" else self.pmid_for.get(ident, "")
        doi = ident.value if ident.kind == "doi" else self.learned.get(ident, {}).get("doi", "")
        if pmid:
            if pmid in self.pmid_failures:
                failure = self.pmid_failures[pmid]
                raise _Failure(failure.status, failure.message)
            record = self.records.get(pmid)
            if record is not None and (not doi or not record.doi or record.doi == doi):
                return copy.deepcopy(record)
            if record is not None:
                # esearch matched another article: its PMID must not travel to this one.
                log.info("PubMed's record %s has DOI %s, not %s; using Crossref", pmid,
                         record.doi, doi)
                if ident.kind == "doi":
                    self.pmid_for.pop(ident, None)
        if doi:
            return self.from_crossref(ident, doi)
        if ident.kind == "pmid":
            raise _Failure("not_found", f"PubMed has no record for PMID {ident.value}")
        raise _Failure("not_found", f"PubMed has no record for {ident}")

    def from_crossref(self, ident: Identifier, doi: str) -> ArticleRecord:
        """Crossref as the main source: its errors decide the identifier's fate."""
        try:
            record = self.crossref(ident, doi)
        except _Failure as failure:
            if failure.status == "not_found":
                raise _Failure("not_found",
                               f"neither PubMed nor Crossref knows DOI {doi}") from None
            raise
        return record

    def crossref(self, ident: Identifier, doi: str) -> ArticleRecord:
        """Crossref's record of ``doi``; its citation count is kept for ``ident``."""
        record, count = self.call(CROSSREF, partial(_crossref_fetch, self.client, doi))
        if count is not None:
            self.counts.setdefault(ident, {})["crossref"] = count
        return record

    def enrich(self, ident: Identifier, record: ArticleRecord, *,
               doi_input: bool) -> ArticleRecord:
        """Let Crossref and Europe PMC fill gaps; their failures only cost the extra data."""
        if record.source == "pubmed" and record.doi and (
                doi_input or (self.with_references and not record.references)):
            try:
                extra = self.crossref(ident, record.doi)
            except _Failure as failure:
                log.info("Crossref could not fill PMID %s: %s", record.pmid, failure.message)
            else:
                if not self.with_references:
                    extra.references = []
                record = fill_missing(record, extra)
        if self.with_references and not record.references and record.pmid:
            try:
                refs = self.call(EUROPEPMC,
                                 partial(_europepmc_refs, self.client, record.pmid))
            except _Failure as failure:
                log.info("Europe PMC references for PMID %s: %s", record.pmid, failure.message)
            else:
                if refs:
                    record.references = refs
        if not self.with_references:
            record.references = []
        return record

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


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _crossref_fetch(client: HttpClient, doi: str) -> tuple[ArticleRecord, int | None]:
    # Imported here: crossref/europepmc are siblings that import this package's http module;
    # a lazy import keeps start-up light and import order free of cycles.
    from spinelib.sources import crossref

    return crossref.fetch_work_counted(client, doi)


def _europepmc_refs(client: HttpClient, pmid: str) -> list[ReferenceEntry]:
    from spinelib.sources import europepmc

    return europepmc.fetch_references(client, pmid)
