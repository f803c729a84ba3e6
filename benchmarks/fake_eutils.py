"""A local stand-in for NCBI E-utilities (and the services around it) for import benchmarks.

It listens on 127.0.0.1 only, on a free port, in a background thread, and answers like the
real services do for the records it was given:

- ``/eutils/efetch.fcgi`` (GET or POST, ``id=`` comma-separated): a ``PubmedArticleSet`` with
  the known PMIDs among those asked for, in the order asked (unknown ones silently omitted,
  as efetch does);
- ``/eutils/esearch.fcgi``: an empty JSON result (no DOI lookups are expected);
- anything else (the Crossref, Europe PMC and ID-converter bases point here too, so that
  nothing can leave the machine): 404, counted.

Every request waits ``latency`` seconds before its answer, like a round trip to NCBI, and is
counted per path, so a benchmark can report how many requests an import made.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from benchmarks.generate import XML_HEAD, XML_TAIL
from spinelib.settings import Settings

EFETCH = "/eutils/efetch.fcgi"
ESEARCH = "/eutils/esearch.fcgi"


class FakeEutils:
    """Serve ``records`` (PMID -> one ``<PubmedArticle>`` XML string) on 127.0.0.1.

    Use as a context manager; :attr:`base` is the server's root URL and :meth:`settings_env`
    gives the endpoint overrides pointing every SpineLib service at it.
    """

    def __init__(self, records: Mapping[str, str], *, latency: float = 0.05) -> None:
        self.records = dict(records)
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
            return 200, "application/json", (b'{"header":{"type":"esearch"},"esearchresult":'
                                             b'{"count":"0","retmax":"0","retstart":"0",'
                                             b'"idlist":[]}}')
        return 404, "text/plain", b"not found"

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
