"""``import_1000_dois`` (issue 19): 1,000 DOIs resolved in batches, beside one request per DOI.

The DOIs are what a user pastes: 70 % of them PubMed holds (served by efetch, found by
esearch with OR'ed ``[doi]`` terms), 28 % only Crossref knows (served as works in Crossref's
list shape), 2 % nobody knows; written in mixed case. Everything is answered by the local
:class:`benchmarks.fake_eutils.FakeEutils` after ``latency`` seconds per request, and the
import goes through ``run_import`` into an empty library, as the CLI does.

Reported beside the time: requests per service and in all (``total_requests``, what the
target ``≤ 25`` counts); ``resolution_requests`` (PubMed + Crossref) apart from Europe PMC's
(one search per round for records neither PubMed nor Crossref gave a reference list, then
a list for those it has); and our peers' way, one request per DOI
(Zotero, JabRef, Mendeley and most tools ask ``/works/{doi}`` or doi.org once per DOI):
1,000 requests, at Crossref's polite single-record rate (10/s) at least 100 s.

The floor is the wait the services' published rates impose on the fewest requests of each
kind, plus their latency, taking the services side by side (each is limited on its own).
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import corpus, generate
from benchmarks.scenarios import Measurement

DOI_IMPORT_COUNT = 1_000
#: Seconds the fake services wait before each answer (a round trip).
LATENCY = 0.05
#: Peers ask once per DOI; Crossref's polite pool allows 10 single-record requests a second.
PEER_RATE = 10.0


def crossref_work(rec: Any) -> dict[str, Any]:
    """A Crossref work ``message`` for a corpus record (the fields of a real one we read)."""
    authors = [{"given": a.given, "family": a.family, "sequence": "first" if i == 0
                else "additional", "affiliation": []}
               for i, a in enumerate(rec.authors) if a.family]
    refs = [{"key": f"ref{i}", "unstructured": r.citation, **({"DOI": r.doi} if r.doi else {}),
             **({"doi-asserted-by": "publisher"} if r.doi else {})}
            for i, r in enumerate(rec.references, start=1)]
    return {"DOI": rec.doi.upper(), "type": "journal-article", "title": [rec.title],
            "author": authors, "container-title": [rec.journal],
            "short-container-title": [rec.journal_abbrev], "ISSN": [rec.issn] if rec.issn else [],
            "volume": rec.volume, "issue": rec.issue, "page": rec.pages,
            "issued": {"date-parts": [[rec.year, rec.month or 1]]},
            "published": {"date-parts": [[rec.year, rec.month or 1]]},
            "publisher": "Wolters Kluwer", "reference-count": len(refs), "reference": refs,
            "URL": f"https://doi.org/{rec.doi}", "language": "en", "member": "276",
            "prefix": rec.doi.split("/", 1)[0], "source": "Crossref"}


def doi_inputs(seed: int, count: int) -> tuple[list[str], dict[str, str], dict[str, str],
                                                 dict[str, dict[str, Any]]]:
    """(DOIs as typed, PubMed XML by PMID, PMID by DOI, Crossref works by DOI)."""
    records = [r for r in corpus.articles(seed, 0, int(count * 1.3)) if r.doi][:count]
    in_pubmed = records[: count * 70 // 100]
    crossref_only = records[count * 70 // 100: count * 98 // 100]
    nowhere = [f"10.9999/nowhere.{i}" for i in range(count - len(in_pubmed) - len(crossref_only))]
    served = {r.pmid: generate.record_xml(r) for r in in_pubmed}
    pmid_by_doi = {r.doi: r.pmid for r in in_pubmed}
    works = {r.doi: crossref_work(r) for r in [*in_pubmed, *crossref_only]}
    typed = [d.upper() if i % 3 == 0 else d for i, d in
             enumerate([r.doi for r in [*in_pubmed, *crossref_only]] + nowhere)]
    return typed, served, pmid_by_doi, works


def import_dois(seed: int, repeat: int = 1, count: int = DOI_IMPORT_COUNT,
                latency: float = LATENCY) -> Measurement:
    """``run_import`` of ``count`` DOIs from the fake services into an empty library."""
    from benchmarks.fake_eutils import FakeEutils
    from spinelib.importer import run_import
    from spinelib.library import Library
    from spinelib.sources import crossref_batch, pubmed
    from spinelib.sources.http import HttpClient
    from spinelib.sources.limits import CROSSREF_LIST_POLITE, NCBI_RATE

    typed, served, pmid_by_doi, works = doi_inputs(seed, count)
    m = Measurement([])
    with tempfile.TemporaryDirectory(prefix="spinelib-bench-") as tmp:
        for i in range(repeat):
            with FakeEutils(served, latency=latency, dois=pmid_by_doi, crossref=works) as fake:
                client = HttpClient(fake.settings())
                lib = Library.open(Path(tmp) / f"dois-{i}.sqlite")
                try:
                    start, cpu = time.perf_counter(), time.process_time()
                    report = run_import(lib, typed, client=client)
                    m.samples.append(time.perf_counter() - start)
                    cpu_s = time.process_time() - cpu
                    stored = lib.search.count()
                finally:
                    lib.close()
                    client.close()
            counts = report.counts()
            expected_found = len(works)
            if stored != expected_found or counts.get("not_found") != count - expected_found:
                raise RuntimeError(f"import_dois: {report.summary()}, {stored} stored")
            by_service = _by_service(fake.requests)
            resolution = by_service.get("esearch", 0) + by_service.get("efetch", 0) + \
                by_service.get("crossref", 0)
            # Fewest requests: 200 DOIs per esearch, 200 PMIDs per efetch, 100 DOIs per list.
            searches = math.ceil(count / pubmed.ESEARCH_DOI_BATCH)
            fetches = math.ceil(len(served) / pubmed.EFETCH_BATCH)
            lists = math.ceil(count / crossref_batch.FILTER_BATCH)
            m.floor_samples.append(max(
                (searches + fetches - 1) / NCBI_RATE + (searches + fetches) * latency,
                (lists - 1) / CROSSREF_LIST_POLITE.rate + lists * latency
                / CROSSREF_LIST_POLITE.concurrency))
            m.extra.update(
                total_requests=fake.total_requests, resolution_requests=resolution,
                requests_by_service=by_service, fewest_requests=searches + fetches + lists,
                europepmc_requests=by_service.get("europepmc", 0),
                found=stored, not_found=counts.get("not_found", 0),
                in_pubmed=len(served), crossref_only=len(works) - len(served),
                cpu_s=round(cpu_s, 2), latency_s=latency,
                peers_requests=count,
                peers_floor_s=round(max(count / PEER_RATE, count * latency), 1))
    return m


def _by_service(requests: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for path, n in requests.items():
        parts = path.strip("/").split("/")
        key = parts[-1].removesuffix(".fcgi") if parts[0] == "eutils" else parts[0]
        out[key] = out.get(key, 0) + n
    return out


def run(name: str, *, seed: int, repeat: int) -> Measurement:
    """Scenario ``name`` of this module (see ``NAMES``)."""
    if name == "import_1000_dois":
        return import_dois(seed, repeat)
    raise ValueError(f"unknown scenario {name!r}")


NAMES: Sequence[str] = ("import_1000_dois",)
