"""A scripted stand-in for the web services, on 127.0.0.1, for network-fault tests.

:class:`FakeServer` is a threaded :mod:`http.server` bound to ``127.0.0.1:0`` (a free port;
nothing leaves the machine). It answers E-utilities ``efetch`` with PubMed XML for the PMIDs
it was given (:meth:`FakeServer.add_pubmed`) and ``esearch`` with "no match"; everything else
gets a JSON 404. Faults are scripted per endpoint (the last path segment without ``.fcgi``,
e.g. ``"efetch"``):

* :meth:`FakeServer.script` queues one-off :class:`Reply` s, used in order before the normal
  answer comes back (``500 then 200``);
* :meth:`FakeServer.fail_always` makes every request fail the same way until
  :meth:`FakeServer.recover` (an outage).

A :class:`Reply` can be slow (``delay``: the client's read timeout fires first), a connection
reset (the socket is closed with RST and no response), a 429 with ``Retry-After``, any status,
or a body cut short (``Content-Length`` announces more than is sent before the connection
closes, or a chunked body ends without its last chunk). Every request is recorded
(:attr:`FakeServer.requests`) with its arrival time.

The server runs in daemon threads and stops itself when used as a context manager (or on
:meth:`FakeServer.stop`); a slow reply still sleeping never holds up the test run.

:func:`pubmed_article` writes a realistic ``<PubmedArticle>`` (authors, abstract, MeSH,
references) for a PMID, so tests can check that whole articles arrive.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import struct
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass
class Reply:
    """One scripted answer. ``body=None`` means "what the endpoint normally answers"."""

    status: int = 200
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (longer than the client's read timeout = a timeout).
    delay: float = 0.0
    #: Close the connection with a TCP reset and no response at all.
    reset: bool = False
    #: Send only this many bytes of the body although Content-Length announces all of it.
    cut_to: int | None = None
    #: Announce a chunked body, send its first half as one chunk, then hang up (no last chunk).
    chunked_cut: bool = False
    #: Answer with the request line and body as plain text, the way some proxies and error
    #: pages quote the request back (to prove secrets in it are never repeated by us).
    echo: bool = False

    @classmethod
    def slow(cls, seconds: float) -> Reply:
        return cls(delay=seconds)

    @classmethod
    def connection_reset(cls) -> Reply:
        return cls(reset=True)

    @classmethod
    def too_many_requests(cls, retry_after: str = "1") -> Reply:
        return cls(429, b'{"error": "API rate limit exceeded"}',
                   {"Retry-After": retry_after, "Content-Type": "application/json"})

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls(status, b"<html><body><h1>Internal Server Error</h1></body></html>",
                   {"Content-Type": "text/html"})

    @classmethod
    def cut_short(cls, keep: int = 200) -> Reply:
        return cls(cut_to=keep)

    @classmethod
    def chunks_cut_short(cls) -> Reply:
        return cls(chunked_cut=True)


@dataclass
class Request:
    """What the server received: method, endpoint, query + form parameters, arrival time."""

    method: str
    endpoint: str
    target: str
    params: dict[str, list[str]]
    body: bytes
    at: float

    def ids(self) -> list[str]:
        return [i for v in self.params.get("id", []) for i in v.split(",") if i.strip()]


class FakeServer:
    """See the module docstring. Use as ``with FakeServer() as server: ...``."""

    def __init__(self) -> None:
        self.pubmed: dict[str, str] = {}
        self.requests: list[Request] = []
        #: Fixed answers per endpoint (the last path segment): Unpaywall records, PDFs,
        #: Europe PMC searches… (the attachments tests, issue 14).
        self.routes: dict[str, Reply] = {}
        self._script: dict[str, deque[Reply]] = {}
        self._always: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._started = False

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> FakeServer:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def stop(self) -> None:
        if self._started:
            self._httpd.shutdown()
            self._started = False
        self._httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- addresses ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        port = self._httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def eutils_url(self) -> str:
        return self.url + "/eutils"

    def env(self) -> dict[str, str]:
        """``SPINELIB_*`` endpoint variables pointing every service at this server."""
        return {"SPINELIB_EUTILS_URL": self.eutils_url,
                "SPINELIB_IDCONV_URL": self.url + "/idconv",
                "SPINELIB_CROSSREF_URL": self.url + "/crossref",
                "SPINELIB_EUROPEPMC_URL": self.url + "/europepmc",
                "SPINELIB_EUROPEPMC_SITE_URL": self.url + "/site",
                "SPINELIB_UNPAYWALL_URL": self.url + "/unpaywall"}

    # -- content and faults -------------------------------------------------------------
    def add_pubmed(self, pmids: Iterable[str | int], **article_options: int) -> None:
        """Serve a generated :func:`pubmed_article` for each PMID."""
        with self._lock:
            for pmid in pmids:
                self.pubmed[str(pmid)] = pubmed_article(str(pmid), **article_options)

    def script(self, endpoint: str, *replies: Reply) -> None:
        """Answer the next requests to ``endpoint`` with ``replies``, in order."""
        with self._lock:
            self._script.setdefault(endpoint, deque()).extend(replies)

    def fail_always(self, endpoint: str, reply: Reply) -> None:
        with self._lock:
            self._always[endpoint] = reply

    def recover(self, endpoint: str | None = None) -> None:
        """End an outage (of one endpoint, or all) and drop any unused scripted replies."""
        with self._lock:
            for table in (self._always, self._script):
                if endpoint is None:
                    table.clear()
                else:
                    table.pop(endpoint, None)

    def requests_to(self, endpoint: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.endpoint == endpoint]

    # -- used by the handler ------------------------------------------------------------
    def _record(self, request: Request) -> Reply | None:
        with self._lock:
            self.requests.append(request)
            queue = self._script.get(request.endpoint)
            if queue:
                return queue.popleft()
            return self._always.get(request.endpoint)

    def _normal(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            route = self.routes.get(request.endpoint)
        if route is not None:
            return route.status, dict(route.headers), route.body or b""
        if request.endpoint == "efetch":
            with self._lock:
                found = [self.pubmed[i] for i in request.ids() if i in self.pubmed]
            return 200, {"Content-Type": "text/xml; charset=UTF-8"}, article_set(found)
        if request.endpoint == "esearch":
            payload = {"esearchresult": {"count": "0", "retmax": "0", "retstart": "0",
                                         "idlist": []}}
            return 200, {"Content-Type": "application/json"}, json.dumps(payload).encode()
        return 404, {"Content-Type": "application/json"}, b'{"status": "not found"}'


class _Server(ThreadingHTTPServer):
    # Handler threads are daemons and are not joined on close, so a reply still sleeping out
    # its delay never blocks stop().
    daemon_threads = True
    block_on_close = False
    owner: FakeServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        return  # keep test output quiet

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, body: bytes) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        endpoint = parts.path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".fcgi")
        params = parse_qs(parts.query)
        if body:
            for key, values in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(key, []).extend(values)
        request = Request(self.command, endpoint, self.path, params, body, time.monotonic())
        reply = owner._record(request) or Reply()
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            self._reset()
            return
        status, headers, content = owner._normal(request)
        if reply.echo:
            status = reply.status
            content = f"bad request: {self.command} {self.path} {body.decode()}".encode()
            headers = {"Content-Type": "text/plain"}
        elif reply.body is not None or reply.status != 200:
            status = reply.status
            content = reply.body if reply.body is not None else b""
        headers = {**headers, **reply.headers}
        if reply.chunked_cut:
            self._send_cut_chunks(status, headers, content)
            return
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            if reply.cut_to is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(content if reply.cut_to is None else content[:reply.cut_to])
            self.wfile.flush()
        except OSError:
            return  # the client gave up first (a timeout): nothing left to say
        if reply.cut_to is not None:
            self.close_connection = True

    def _send_cut_chunks(self, status: int, headers: dict[str, str], content: bytes) -> None:
        self.close_connection = True
        half = content[: len(content) // 2]
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")
            self.wfile.flush()
        except OSError:
            return

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST: the client sees a reset
        # connection and no response at all.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


# ------------------------------------------------------------------------------------------
# PubMed XML for tests
# ------------------------------------------------------------------------------------------

FAMILIES = ("Patchell", "Müller", "Ødegaard", "Laufer", "Bilsky", "Fisher", "O'Toole",
            "Gasbarrini", "Boriani", "Tomita", "Yamazaki", "Nguyễn")
GIVENS = ("Roy A", "Jürgen", "Åse", "Ilya", "Mark H", "Charles G", "Siobhán", "Alessandro",
          "Stefano", "Katsuro", "Hiroshi", "Thị Minh")


def author_count(pmid: str) -> int:
    """How many authors :func:`pubmed_article` gives ``pmid`` (2 to 7, last one a group)."""
    return 2 + int(pmid) % 6


def reference_count(pmid: str) -> int:
    """How many references :func:`pubmed_article` gives ``pmid`` (1 to 9)."""
    return 1 + int(pmid) % 9


def pubmed_article(pmid: str, *, abstract_sentences: int = 3) -> str:
    """A ``<PubmedArticle>`` shaped like efetch output, unique per PMID (title, DOI)."""
    n = int(pmid)
    authors = []
    for i in range(author_count(pmid) - 1):
        fam, given = FAMILIES[(n + i) % len(FAMILIES)], GIVENS[(n + i) % len(GIVENS)]
        initials = "".join(p[0] for p in given.split())
        authors.append(f"<Author ValidYN=\"Y\"><LastName>{escape(fam)}</LastName>"
                       f"<ForeName>{escape(given)}</ForeName><Initials>{initials}</Initials>"
                       "</Author>")
    authors.append("<Author ValidYN=\"Y\"><CollectiveName>Spine Oncology Study Group"
                   "</CollectiveName></Author>")
    refs = "".join(
        f"<Reference><Citation>Ref {r} of {pmid}: Smith A, et al. Earlier work on spinal "
        f"metastases &amp; SBRT. Spine. 20{r:02d};{r}:1-{r + 9}.</Citation>"
        f"<ArticleIdList><ArticleId IdType=\"pubmed\">{90_000_000 + n * 10 + r}</ArticleId>"
        "</ArticleIdList></Reference>"
        for r in range(1, reference_count(pmid) + 1))
    sentences = " ".join(
        f"Sentence {s} about separation surgery, stereotactic body radiotherapy and "
        f"pathologic fracture (cohort {pmid})." for s in range(abstract_sentences))
    return (
        "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">"
        f"<PMID Version=\"1\">{pmid}</PMID>"
        "<Article PubModel=\"Print\"><Journal><ISSN IssnType=\"Electronic\">1528-1159</ISSN>"
        "<JournalIssue CitedMedium=\"Internet\"><Volume>4" + str(n % 10) + "</Volume>"
        f"<Issue>{1 + n % 12}</Issue><PubDate><Year>{2000 + n % 25}</Year><Month>Mar</Month>"
        "</PubDate></JournalIssue><Title>Spine</Title><ISOAbbreviation>Spine (Phila Pa 1976)"
        "</ISOAbbreviation></Journal>"
        f"<ArticleTitle>Outcome study {pmid}: separation surgery &amp; SBRT for metastatic "
        "epidural spinal cord compression.</ArticleTitle>"
        f"<Pagination><MedlinePgn>{100 + n % 50}-{110 + n % 50}</MedlinePgn></Pagination>"
        f"<ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.5555/spine.{pmid}</ELocationID>"
        "<Abstract><AbstractText Label=\"BACKGROUND\" NlmCategory=\"BACKGROUND\">"
        f"{sentences}</AbstractText><AbstractText Label=\"RESULTS\" NlmCategory=\"RESULTS\">"
        "Local control was 90% at one year.</AbstractText></Abstract>"
        f"<AuthorList CompleteYN=\"Y\">{''.join(authors)}</AuthorList>"
        "<Language>eng</Language><PublicationTypeList><PublicationType UI=\"D016428\">"
        "Journal Article</PublicationType></PublicationTypeList></Article>"
        "<MedlineJournalInfo><MedlineTA>Spine (Phila Pa 1976)</MedlineTA>"
        "<ISSNLinking>0362-2436</ISSNLinking></MedlineJournalInfo>"
        "<MeshHeadingList><MeshHeading><DescriptorName UI=\"D013125\" MajorTopicYN=\"Y\">"
        "Spinal Neoplasms</DescriptorName></MeshHeading></MeshHeadingList>"
        "<KeywordList Owner=\"NOTNLM\"><Keyword MajorTopicYN=\"N\">separation surgery</Keyword>"
        "</KeywordList></MedlineCitation>"
        "<PubmedData><ArticleIdList>"
        f"<ArticleId IdType=\"pubmed\">{pmid}</ArticleId>"
        f"<ArticleId IdType=\"doi\">10.5555/spine.{pmid}</ArticleId></ArticleIdList>"
        f"<ReferenceList>{refs}</ReferenceList></PubmedData></PubmedArticle>")


def article_set(articles: Iterable[str]) -> bytes:
    """An efetch document holding ``articles`` (``<PubmedArticle>`` strings)."""
    return (XML_HEAD + "<PubmedArticleSet>\n" + "\n".join(articles)
            + "\n</PubmedArticleSet>\n").encode("utf-8")


def incomplete_articles(db_path: Path) -> list[str]:
    """Articles in the library file that are not whole copies of what :func:`pubmed_article`
    serves: an author or reference missing, or no full-text row. [] means every one is whole.

    Read with a plain read-only sqlite3 connection, independent of the code under test.
    """
    conn = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT a.id, a.pmid, a.author_count, "
            "(SELECT count(*) FROM author WHERE article_id = a.id), "
            '(SELECT count(*) FROM "reference" WHERE article_id = a.id), '
            "(SELECT count(*) FROM article_fts WHERE rowid = a.id) FROM article a").fetchall()
    finally:
        conn.close()
    problems = []
    for article_id, pmid, declared, authors, refs, indexed in rows:
        if pmid is None:
            problems.append(f"article {article_id} has no PMID")
            continue
        want = (author_count(pmid), author_count(pmid), reference_count(pmid), 1)
        if (declared, authors, refs, indexed) != want:
            problems.append(f"article {article_id} (PMID {pmid}): {authors} authors "
                            f"(declared {declared}), {refs} references, {indexed} index rows; "
                            f"expected {want[1]}, {want[2]}, 1")
    return problems
