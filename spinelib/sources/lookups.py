"""The resolver's look-ups: one request's errors as per-item outcomes, and Crossref's answers.

:class:`Lookups` is the part of a resolve run (:mod:`spinelib.sources.resolve`) that talks to
services: :meth:`Lookups.call` runs one request and maps every error to a :class:`LookupFailure`
(a NetworkError marks the service down for the rest of the run, so later calls fail fast);
Crossref's answers are kept per DOI (fetched in batches or side by side beforehand) and
handed out as copies; Europe PMC's reference lists are asked per PMID. These methods may run
on several threads at once (:mod:`spinelib.sources.parallel`): they only read shared state or
set single dictionary keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Literal, TypeVar

from spinelib.errors import NetworkError, NotFound, SpineLibError
from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord, ReferenceEntry, copy_record, fill_missing
from spinelib.safety_results import Notice
from spinelib.sources.http import HttpClient

if TYPE_CHECKING:
    from spinelib.sources.crossref_batch import CrossrefAnswers

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


class LookupFailure(Exception):
    """An identifier ends without a record (status + message)."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status: Status = status
        self.message = message


class Lookups:
    """Requests of one resolve run, with what they learned; see the module docstring."""

    def __init__(self, client: HttpClient, *, with_references: bool) -> None:
        self.client = client
        self.with_references = with_references
        #: Crossref's answers by lower-case DOI: a record, a failure, None (not known).
        self.crossref: dict[str, ArticleRecord | LookupFailure | None] = {}
        #: Crossref's ``is-referenced-by-count`` by lower-case DOI, read from the same
        #: replies (issue 17: a citation count costs no extra request).
        self.crossref_counts: dict[str, int] = {}
        #: Services that proved unreachable in this run -> the message to repeat.
        self.down: dict[str, str] = {}

    def call(self, service: str, fn: Callable[[], T]) -> T:
        """Run one request for ``service``; map errors to :class:`LookupFailure`.

        A NetworkError marks the service down so later calls fail fast with the same message.
        """
        if service in self.down:
            raise LookupFailure("offline", self.down[service])
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - every error becomes a per-item outcome
            raise self.failure_of(service, exc) from None

    def failure_of(self, service: str, exc: Exception) -> LookupFailure:
        """The per-item outcome of an error from ``service`` (a NetworkError marks it down)."""
        if isinstance(exc, NetworkError):
            self.down[service] = str(exc)
            return LookupFailure("offline", str(exc))
        if isinstance(exc, NotFound):
            return LookupFailure("not_found", str(exc))
        if isinstance(exc, SpineLibError):  # refusals, unreadable answers, bad input
            return LookupFailure("failed", str(exc))
        # A bug in a parser must not sink the whole batch.
        log.error("unexpected error talking to %s", service, exc_info=exc)
        return LookupFailure("failed", f"unexpected error reading {service}'s answer: "
                                  f"{type(exc).__name__}")

    def crossref_answer(self, doi: str) -> ArticleRecord:
        """Crossref's record for ``doi`` as fetched by fetch_crossref() (a copy)."""
        answer = self.crossref.get(doi.lower())
        if answer is None and doi.lower() not in self.crossref:
            answer = self.crossref_single(doi.lower())  # not planned: ask now
        if isinstance(answer, LookupFailure):
            raise LookupFailure(answer.status, answer.message)
        if answer is None:
            raise LookupFailure("not_found", f"Crossref has no record of DOI {doi}")
        return copy_record(answer)

    def crossref_single(self, doi: str) -> ArticleRecord | LookupFailure | None:
        try:
            record, count = self.call(CROSSREF, partial(crossref_fetch, self.client, doi))
        except LookupFailure as failure:
            return None if failure.status == "not_found" else failure
        if count is not None:
            self.crossref_counts[doi.lower()] = count
        return record

    def europepmc_refs(self, pmid: str) -> list[ReferenceEntry] | LookupFailure:
        try:
            return self.call(EUROPEPMC, partial(europepmc_refs, self.client, pmid))
        except LookupFailure as failure:
            return failure

    def from_crossref(self, doi: str) -> ArticleRecord:
        """Crossref as the main source: its answer decides the identifier's fate."""
        try:
            return self.crossref_answer(doi)
        except LookupFailure as failure:
            if failure.status == "not_found":
                raise LookupFailure("not_found",
                               f"neither PubMed nor Crossref knows DOI {doi}") from None
            raise

    def enrich(self, record: ArticleRecord, *, doi_input: bool) -> ArticleRecord:
        """Let Crossref fill gaps; its failure only costs the extra data."""
        if record.source == "pubmed" and record.doi and (
                doi_input or (self.with_references and not record.references)):
            try:
                extra = self.crossref_answer(record.doi)
            except LookupFailure as failure:
                log.info("Crossref could not fill PMID %s: %s", record.pmid, failure.message)
            else:
                if not self.with_references:
                    extra.references = []
                record = fill_missing(record, extra)
        return record


def crossref_fetch(client: HttpClient, doi: str) -> tuple[ArticleRecord, int | None]:
    # Imported here: crossref/europepmc are siblings that import this package's http module;
    # a lazy import keeps start-up light and import order free of cycles.
    from spinelib.sources import crossref

    return crossref.fetch_work_counted(client, doi)


def crossref_batch(client: HttpClient, dois: Sequence[str]) -> CrossrefAnswers:
    from spinelib.sources import crossref_batch

    return crossref_batch.fetch_works(client, dois)


def europepmc_refs(client: HttpClient, pmid: str) -> list[ReferenceEntry]:
    from spinelib.sources import europepmc

    return europepmc.fetch_references(client, pmid)
