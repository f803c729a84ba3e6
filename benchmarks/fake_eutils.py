"""A local stand-in for NCBI E-utilities (and the services around it) for import benchmarks.

It listens on 127.0.0.1 only, on a free port, in a background thread, and answers like the
real services do for the records it was given:

- ``/eutils/efetch.fcgi`` (GET or POST, ``id=`` comma-separated): a ``PubmedArticleSet`` with
  the known PMIDs among those asked for, in the order asked (unknown ones silently omitted,
  as efetch does);
- ``/eutils/esearch.fcgi`` (GET or POST): the JSON result of a search for OR'ed
  ``"DOI"[doi]`` terms: the PMIDs of the served records whose DOI is among them;
- ``/crossref/works?filter=doi:A,doi:B,...``: a Crossref ``work-list`` envelope
  (``message.items``, ``total-results``, ``next-cursor``) of the works it was given in
  ``crossref`` (DOI -> a work ``message``); ``/crossref/works/{doi}``: that work's envelope,
  or 404 ``Resource not found.`` (text/plain) as Crossref answers;
- ``/europepmc/search?query=(EXT_ID:1 OR ...) AND SRC:MED``: a ``lite`` result per served
  PMID asked, ``hasReferences`` "Y" only for those in ``reference_lists`` (none by default:
  the corpus has no reference list for an article PubMed has none for);
- anything else (Europe PMC's reference lists and the ID converter point here too, so that
  nothing can leave the machine): 404, counted.

Every request waits ``latency`` seconds before its answer, like a round trip to NCBI, and is
counted per path, so a benchmark can report how many requests an import made.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from benchmarks.generate import XML_HEAD, XML_TAIL
from spinelib.settings import Settings

EFETCH = "/eutils/efetch.fcgi"
ESEARCH = "/eutils/esearch.fcgi"
CROSSREF_WORKS = "/crossref/works"
EPMC_SEARCH = "/europepmc/search"


class FakeEutils:
    """Serve ``records`` (PMID -> one ``<PubmedArticle>`` XML string) on 127.0.0.1.

    Use as a context manager; :attr:`base` is the server's root URL and :meth:`settings_env`
    gives the endpoint overrides pointing every SpineLib service at it.
    """

    def __init__(self, records: Mapping[str, str], *, latency: float = 0.05,
                 dois: Mapping[str, str] | None = None,
                 crossref: Mapping[str, Mapping[str, Any]] | None = None,
                 reference_lists: frozenset[str] = frozenset()) -> None:
        self.records = dict(records)
        #: Lower-case DOI -> PMID, for esearch (the records' own DOIs).
        self.dois = {k.lower(): v for k, v in (dois or {}).items()}
        #: Lower-case DOI -> Crossref work message.
        self.crossref = {k.lower(): dict(v) for k, v in (crossref or {}).items()}
        self.reference_lists = reference_lists
        self.latency = latency
        self.requests: Counter[str] = Counter()
        #: PMIDs asked for, per efetch request (to check batching).
        self.efetch_batches: list[int] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="fake-eutils")

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> FakeEutils:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def endpoints(self) -> dict[str, str]:
        """Settings field -> URL for every service SpineLib talks to, all on this server."""
        return {"eutils_url": f"{self.base}/eutils", "idconv_url": f"{self.base}/idconv/",
                "crossref_url": f"{self.base}/crossref",
                "europepmc_url": f"{self.base}/europepmc"}

    def settings(self, email: str = "bench@example.org") -> Settings:
        """SpineLib settings whose every service URL points at this server."""
        e = self.endpoints()
        return Settings(email=email, eutils_url=e["eutils_url"], idconv_url=e["idconv_url"],
                        crossref_url=e["crossref_url"], europepmc_url=e["europepmc_url"])

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    # -- answers -------------------------------------------------------------------------
    def answer(self, path: str, params: Mapping[str, list[str]]) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request; counts it."""
        with self._lock:
            self.requests[path] += 1
        if path == EFETCH:
            ids = [i for raw in params.get("id", []) for i in raw.split(",") if i.strip()]
            with self._lock:
                self.efetch_batches.append(len(ids))
            body = XML_HEAD + "".join(self.records[i.strip()] for i in ids
                                      if i.strip() in self.records) + XML_TAIL
            return 200, "text/xml; charset=UTF-8", body.encode("utf-8")
        if path == ESEARCH:
            asked = re.findall(r'"([^"]+)"\[doi\]', " ".join(params.get("term", [])))
            ids = [self.dois[d.lower()] for d in asked if d.lower() in self.dois]
            return 200, "application/json", json.dumps(
                {"header": {"type": "esearch", "version": "0.3"},
                 "esearchresult": {"count": str(len(ids)), "retmax": str(len(ids)),
                                   "retstart": "0", "idlist": ids}}).encode()
        if path == CROSSREF_WORKS:
            return self._crossref_list(params)
        if path == EPMC_SEARCH:
            return self._europepmc_search(" ".join(params.get("query", [])))
        if path.startswith(CROSSREF_WORKS + "/"):
            work = self.crossref.get(unquote(path[len(CROSSREF_WORKS) + 1:]).lower())
            if work is None:
                return 404, "text/plain", b"Resource not found."
            return 200, "application/json", json.dumps(
                {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                 "message": work}).encode()
        return 404, "text/plain", b"not found"

    def _europepmc_search(self, query: str) -> tuple[int, str, bytes]:
        pmids = [p for p in re.findall(r"EXT_ID:(\d+)", query) if p in self.records]
        hits = [{"id": p, "source": "MED", "pmid": p, "isOpenAccess": "N", "inEPMC": "N",
                 "inPMC": "N", "hasPDF": "N", "citedByCount": 0,
                 "hasReferences": "Y" if p in self.reference_lists else "N",
                 "hasTextMinedTerms": "N"} for p in pmids]
        return 200, "application/json;charset=UTF-8", json.dumps(
            {"version": "6.9", "hitCount": len(hits),
             "request": {"queryString": query, "resultType": "lite", "page": 1},
             "resultList": {"result": hits}}).encode()

    def _crossref_list(self, params: Mapping[str, list[str]]) -> tuple[int, str, bytes]:
        filters = ",".join(params.get("filter", [])).split(",")
        dois = [f[4:].lower() for f in filters if f.startswith("doi:")]
        items = [self.crossref[d] for d in dois if d in self.crossref]
        rows = int((params.get("rows") or ["20"])[0])
        return 200, "application/json", json.dumps(
            {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
             "message": {"facets": {}, "total-results": len(items), "items": items[:rows],
                         "items-per-page": rows,
                         "query": {"start-index": 0, "search-terms": None},
                         "next-cursor": "DnF1ZXJ5VGhlbkZldGNoBQAAAAAA"}}).encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as requests' Session expects

            def _reply(self, params: dict[str, list[str]]) -> None:
                time.sleep(fake.latency)
                status, ctype, body = fake.answer(urlsplit(self.path).path, params)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._reply(parse_qs(urlsplit(self.path).query))

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(length).decode("utf-8", "replace")
                params = parse_qs(urlsplit(self.path).query)
                for key, values in parse_qs(form).items():
                    params.setdefault(key, []).extend(values)
                self._reply(params)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # quiet: the benchmark prints its own table

        return Handler
