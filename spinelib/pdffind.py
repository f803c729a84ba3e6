"""Finding open-access copies of articles and attaching them ("Find available PDFs").

For each article, in this order: its PMCID (known, or learnt from a Europe PMC search that
asks many DOIs per request) -> Europe PMC's JATS full text and its PDF render; else its DOI
-> Unpaywall's ``url_for_pdf`` (repository copies when the published version is closed).
Publisher pages are never scraped. Every request keeps to one per second per host and a host
failing five times in a row is skipped (:class:`spinelib.sources.openaccess.HostGate`).

Each article gets one :class:`FindOutcome`: downloaded, full text only, no open copy
(remembered with its date, so a second run does not ask again), failed (with the reason), or
queued in ``pending`` when the network was unreachable (``pending --retry`` asks again).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spinelib.errors import (
    FormatError,
    NetworkError,
    ServiceError,
    SpineLibError,
)
from spinelib.formats.jats_fulltext import parse_jats_fulltext
from spinelib.library import Library
from spinelib.library.pending import OPEN_ACCESS_PREFIX
from spinelib.records import ArticleRecord
from spinelib.results_files import AttachmentSource
from spinelib.sources import openaccess as oa
from spinelib.sources.http import HttpClient

ANSWERED = ("downloaded", "text", "no_open_copy", "already")

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass
class FindOutcome:
    """The answer for one article."""

    article_id: int
    citekey: str
    status: str  # downloaded | text | no_open_copy | already | failed | queued | cancelled
    source: str = ""
    version: str | None = None
    reason: str = ""

    @property
    def answered(self) -> bool:
        return self.status in ANSWERED

    def line(self) -> str:
        """``KEY: downloaded (europepmc, published)`` and the like (the CLI's report)."""
        if self.status == "downloaded":
            what = f"downloaded ({self.source}, {self.version or 'version unknown'})"
        elif self.status == "text":
            what = f"full text stored ({self.source} JATS); no open PDF"
        elif self.status == "no_open_copy":
            what = "no open copy" + (f" ({self.reason})" if self.reason else "")
        elif self.status == "already":
            what = "already has a PDF"
        else:
            what = self.status + (f" ({self.reason})" if self.reason else "")
        return f"{self.citekey}: {what}"


class _Attempt:
    """What happened while trying one article (errors kept for the verdict)."""

    def __init__(self) -> None:
        self.network: str = ""
        self.refused: str = ""

    def note(self, exc: SpineLibError) -> None:
        if isinstance(exc, NetworkError):
            self.network = self.network or str(exc)
        else:
            self.refused = self.refused or str(exc)


class PdfFinder:
    """One run of "Find available PDFs" over a library (one gate for the whole run)."""

    def __init__(self, library: Library, client: HttpClient, *,
                 gate: oa.HostGate | None = None) -> None:
        self.lib = library
        self.client = client
        self.gate = gate or oa.HostGate()
        self.max_bytes = int(getattr(client.settings, "pdf_max_bytes", 100_000_000))

    def run(self, article_ids: Sequence[int], *, ask_again: bool = False,
            progress: Progress | None = None,
            cancelled: Cancelled | None = None) -> list[FindOutcome]:
        ids = list(dict.fromkeys(article_ids))
        records = dict(zip(ids, self.lib.articles.records(ids, with_references=False),
                           strict=False))
        has_pdf = {a.article_id for a in self.lib.attachments.files_of(ids) if a.kind == "pdf"}
        known_none = {} if ask_again else self.lib.attachments.open_access_states(ids)
        todo = [i for i in ids if i not in has_pdf and i not in known_none]
        hits, search_error = self._search([records[i] for i in todo if records[i].doi
                                           and not records[i].pmcid])
        # Europe PMC's citation counts came with the search: keep them, dated (issue 17).
        self.lib.retractions.record_counts(
            {i: {"europepmc": hit.cited_by} for i in todo
             if (hit := hits.get(records[i].doi)) is not None and hit.cited_by is not None})
        out: list[FindOutcome] = []
        for n, i in enumerate(ids, start=1):
            rec = records[i]
            if i in has_pdf:
                out.append(FindOutcome(i, rec.citekey, "already"))
            elif i in known_none:
                out.append(FindOutcome(i, rec.citekey, "no_open_copy",
                                       reason=f"checked {known_none[i].checked_at[:10]}"))
            elif cancelled and cancelled():
                out.append(FindOutcome(i, rec.citekey, "cancelled", reason="not started"))
            else:
                out.append(self._one(i, rec, hits.get(rec.doi), search_error))
            if progress:
                progress(n, len(ids), rec.citekey)
        return out

    def _search(self, records: list[ArticleRecord]) -> tuple[dict[str, oa.EpmcHit],
                                                              SpineLibError | None]:
        if not records:
            return {}, None
        try:
            return oa.search_dois(self.client, [r.doi for r in records], self.gate), None
        except (NetworkError, ServiceError) as exc:
            return {}, exc

    def _one(self, article_id: int, rec: ArticleRecord, hit: oa.EpmcHit | None,
             search_error: SpineLibError | None) -> FindOutcome:
        attempt = _Attempt()
        if search_error is not None:
            attempt.note(search_error)
        pmcid, licence = _europepmc_lead(rec, hit)
        text_stored = False
        if pmcid:
            text_stored, got = self._try_europepmc(article_id, pmcid, licence, attempt)
            if got:
                return self._done(article_id, rec, "downloaded", "europepmc", "published")
        if rec.doi:
            found = self._try_unpaywall(article_id, rec, attempt)
            if found is not None:
                return found
        elif not pmcid:
            return FindOutcome(article_id, rec.citekey, "failed",
                               reason="no DOI or PMCID to look it up by")
        return self._verdict(article_id, rec, text_stored, attempt)

    def _try_europepmc(self, article_id: int, pmcid: str, licence: str | None,
                       attempt: _Attempt) -> tuple[bool, bool]:
        """Store Europe PMC's JATS text and fetch its PDF render: (text stored, PDF attached)."""
        text_stored = self._jats(article_id, pmcid, attempt)
        url = oa.render_url(self.client, pmcid)
        got = self._download(article_id, url, "europepmc", attempt,
                             oa.OpenCopy(url, "europepmc", "published", licence))
        return text_stored, got

    def _try_unpaywall(self, article_id: int, rec: ArticleRecord,
                       attempt: _Attempt) -> FindOutcome | None:
        """Download the first of Unpaywall's copies that comes; None when none does."""
        try:
            copies = self.gate.call(self.client.settings.unpaywall_url,
                                    lambda: oa.unpaywall_copies(self.client, rec.doi))
        except (NetworkError, ServiceError) as exc:
            attempt.note(exc)
            copies = []
        for copy in copies:
            if self._download(article_id, copy.url, "download", attempt, copy):
                return self._done(article_id, rec, "downloaded", "unpaywall", copy.version)
        return None

    def _verdict(self, article_id: int, rec: ArticleRecord, text_stored: bool,
                 attempt: _Attempt) -> FindOutcome:
        """The outcome when no PDF came: text only, queued, failed or no open copy."""
        if text_stored:
            return self._done(article_id, rec, "text", "europepmc", None)
        if attempt.network:
            self.lib.pending.queue(f"{OPEN_ACCESS_PREFIX}{article_id}", attempt.network)
            return FindOutcome(article_id, rec.citekey, "queued", reason=attempt.network)
        if attempt.refused:
            return FindOutcome(article_id, rec.citekey, "failed", reason=attempt.refused)
        self.lib.attachments.remember_no_copy(article_id)
        self.lib.pending.remove([f"{OPEN_ACCESS_PREFIX}{article_id}"])
        return FindOutcome(article_id, rec.citekey, "no_open_copy")

    def _done(self, article_id: int, rec: ArticleRecord, status: str, source: str,
              version: str | None) -> FindOutcome:
        self.lib.pending.remove([f"{OPEN_ACCESS_PREFIX}{article_id}"])
        self.lib.attachments.forget_answers([article_id])
        return FindOutcome(article_id, rec.citekey, status, source, version)

    def _jats(self, article_id: int, pmcid: str, attempt: _Attempt) -> bool:
        if self.lib.attachments.fulltext_kind(article_id) == "jats":
            return True
        try:
            data = oa.fetch_fulltext_xml(self.client, self.gate, pmcid)
            parts = parse_jats_fulltext(data) if data else []
        except (NetworkError, ServiceError) as exc:
            attempt.note(exc)
            return False
        except FormatError:
            return False  # no usable structured text; the PDF may still come
        if parts:
            self.lib.attachments.store_jats(article_id, parts)
        return bool(parts)

    def _download(self, article_id: int, url: str, service: str, attempt: _Attempt,
                  copy: oa.OpenCopy) -> bool:
        try:
            data = oa.download_pdf(self.client, self.gate, url, service=service,
                                   max_bytes=self.max_bytes)
            self.lib.attachments.attach_bytes(
                article_id, data, version=copy.version, license=copy.license,
                origin=AttachmentSource.EUROPEPMC if copy.source == "europepmc"
                else AttachmentSource.UNPAYWALL)
        except oa.NotThere:
            return False  # nothing at that address: a "no open copy" answer, not a failure
        except (NetworkError, ServiceError, FormatError) as exc:
            attempt.note(exc)
            return False
        return True


def _europepmc_lead(rec: ArticleRecord, hit: oa.EpmcHit | None) -> tuple[str, str | None]:
    """The PMCID to ask Europe PMC by ("" if none) and the licence its search reported."""
    pmcid = rec.pmcid or (hit.pmcid if hit and (hit.in_epmc or hit.open_access) else "")
    licence = hit.license if hit and hit.license else None
    return pmcid, licence


def find_summary(outcomes: Sequence[FindOutcome]) -> str:
    """"Find available PDFs: 2 downloaded, 1 no open copy." (in the order first met)."""
    counts = Counter(o.status for o in outcomes)
    names = {"downloaded": "downloaded", "text": "full text only", "no_open_copy":
             "no open copy", "already": "already had one", "failed": "failed",
             "queued": "queued (offline)", "cancelled": "cancelled"}
    parts = [f"{n} {names.get(s, s)}" for s, n in counts.items()]
    return "Find available PDFs: " + (", ".join(parts) if parts else "nothing to do") + "."


def retry_pending(library: Library, client: HttpClient) -> list[FindOutcome]:
    """Ask again for every queued open-access look-up (``pending --retry``)."""
    ids, gone = library.pending.queued_articles(OPEN_ACCESS_PREFIX)
    library.pending.remove(gone)  # their articles are gone
    return PdfFinder(library, client).run(ids) if ids else []
