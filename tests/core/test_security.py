"""Promise 9, security hygiene: TLS verification stays on, the NCBI API key never reaches a log,
a message, the library file or an export, XML goes through defusedxml only, and the only links
SpineLib opens are https addresses built from identifiers.

HTTP is served by :class:`tests.fakeserver.FakeServer` on 127.0.0.1.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import requests

import spinelib
from spinelib.cli import main
from spinelib.errors import InvalidIdentifier
from spinelib.identifiers import Identifier, parse_identifier
from spinelib.records import ArticleRecord
from spinelib.settings import Settings
from spinelib.sources import http
from spinelib.sources.http import HttpClient
from tests.fakeserver import FakeServer, Reply

PKG = Path(spinelib.__file__).parent
SECRET = "k3y-S3CR3T-0123456789abcdef"

#: Ways source code could switch certificate checking off (requests, urllib3, ssl).
TLS_OFF = re.compile(
    r"verify\s*=\s*False|CERT_NONE|_create_unverified_context|check_hostname\s*=\s*False|"
    r"disable_warnings|PYTHONHTTPSVERIFY|\.verify\s*=\s*(?!True)")


def _sources() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


# -- TLS ---------------------------------------------------------------------------------------

def test_no_source_file_turns_tls_verification_off() -> None:
    offenders = [f"{p.relative_to(PKG)}:{n}: {line.strip()}"
                 for p in _sources()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if TLS_OFF.search(line)]
    assert not offenders, "TLS verification switched off:\n" + "\n".join(offenders)


def test_the_tls_grep_sees_what_it_looks_for() -> None:
    for bad in ("requests.get(u, verify=False)", "ctx.verify_mode = ssl.CERT_NONE",
                "session.verify = False", "urllib3.disable_warnings()"):
        assert TLS_OFF.search(bad), bad
    assert not TLS_OFF.search("self._session.request(m, u, timeout=t, verify=True)")


def test_every_request_is_sent_with_verification_on() -> None:
    sent: list[dict[str, object]] = []
    session = requests.Session()
    real = session.request

    def spy(*args: object, **kwargs: object) -> requests.Response:
        sent.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    session.request = spy  # type: ignore[method-assign]
    with FakeServer() as server:
        client = HttpClient(Settings(eutils_url=server.eutils_url, max_retries=0),
                            session=session)
        assert client._session.verify is True
        client.get("ncbi", server.eutils_url + "/efetch.fcgi", params={"id": "1"})
        client.post("ncbi", server.eutils_url + "/efetch.fcgi", data={"id": "1"})
    assert len(sent) == 2 and all(kw.get("verify") is True for kw in sent)
    assert all(kw.get("timeout") for kw in sent)


# -- XML ----------------------------------------------------------------------------------------

def test_xml_is_parsed_with_defusedxml_only() -> None:
    """No module imports a stdlib or lxml parser (but the guarded one, formats/safexml.py);
    ElementTree may only lend its types."""
    allowed_from_etree = {"Element", "ParseError", "SubElement"}
    offenders = []
    for path in _sources():
        if path.name == "safexml.py" and path.parent.name == "formats":
            continue  # the project's guarded C parser (issue 19): tests/core/test_safexml.py
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
                offenders += [f"{path.name}: import {n}" for n in names
                              if n.startswith(("xml.", "lxml")) or n in ("xml", "lxml")]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mod = node.module
                if mod == "xml.etree.ElementTree":
                    offenders += [f"{path.name}: from {mod} import {a.name}"
                                  for a in node.names if a.name not in allowed_from_etree]
                elif mod.startswith(("xml", "lxml")):
                    offenders.append(f"{path.name}: from {mod} import ...")
    assert not offenders, "XML parsed without defusedxml:\n" + "\n".join(offenders)


# -- links --------------------------------------------------------------------------------------

HOSTILE_DOIS = [
    "10.1234/javascript:alert(1)",
    '10.1234/x"onmouseover="alert(1)',
    "10.1234/a'b",
    "10.1234/<script>alert(1)</script>",
    "10.1234/a#fragment",
    "10.1234/a?next=https://evil.example",
    "10.1234/a b",
    "10.1234/x//evil.example/@evil.example",
    "10.1234/back\\slash",
    "10.1234/50%25off",
    "10.1234/line\nbreak\x00nul",
    "javascript:alert(1)",
    '"><img src=x onerror=alert(1)>',
]
UNSAFE_IN_URL = re.compile(r"[\s\"'<>#?\\\x00-\x1f\x7f]")


def _assert_safe_link(url: str, host: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == host, url
    assert not parts.query and not parts.fragment, url
    assert not UNSAFE_IN_URL.search(url), url


@pytest.mark.parametrize("value", HOSTILE_DOIS)
def test_doi_link_is_https_to_doi_org_and_keeps_the_whole_doi(value: str) -> None:
    url = Identifier("doi", value).url
    _assert_safe_link(url, "doi.org")
    assert unquote(urlsplit(url).path[1:]) == value


@pytest.mark.parametrize("kind,host", [("pmid", "pubmed.ncbi.nlm.nih.gov"),
                                       ("pmcid", "pmc.ncbi.nlm.nih.gov")])
@pytest.mark.parametrize("value", ["16112300", "PMC123", "1/../../evil", 'x"><script>',
                                   "javascript:alert(1)", "a#b?c"])
def test_pubmed_and_pmc_links_stay_on_their_host(kind: str, host: str, value: str) -> None:
    url = Identifier(kind, value).url  # type: ignore[arg-type]
    _assert_safe_link(url, host)
    assert urlsplit(url).path.count("/") == (3 if kind == "pmcid" else 2)


@pytest.mark.parametrize("text", [
    '10.1234/x"onmouseover="alert(1)', "10.1234/<script>", "doi:10.1234/a#frag",
    "https://doi.org/10.1234/x%22%3E%3Cscript%3E",
    "10.1002/(SICI)1097-4636(199812)43:4<420::AID-JBM9>3.0.CO;2-D",
])
def test_parsed_identifiers_round_trip_through_their_safe_link(text: str) -> None:
    ident = parse_identifier(text)
    _assert_safe_link(ident.url, "doi.org")
    assert parse_identifier(ident.url) == ident


def test_control_characters_never_make_an_identifier() -> None:
    for text in ("10.1234/a\x00b", "\u202e10.1234/x", "PMID: 12\x0734"):
        with pytest.raises(InvalidIdentifier):
            parse_identifier(text)


def test_detail_pane_links_only_identifier_urls() -> None:
    """The detail pane's HTML (pure, no Qt) links the identifiers and nothing a file supplied."""
    from spinelib.gui.detailhtml import detail_html, identifier_links

    rec = ArticleRecord(title="A <b>title</b>", doi='10.1234/x"><script>alert(1)</script>',
                        pmid="16112300", pmcid="PMC42", url="javascript:alert(document.cookie)",
                        abstract='See <a href="javascript:alert(1)">here</a> or '
                                 "http://evil.example/phish.")
    links = identifier_links(rec)
    assert [urlsplit(u).netloc for _, u in links] == ["doi.org", "pubmed.ncbi.nlm.nih.gov",
                                                      "pmc.ncbi.nlm.nih.gov"]
    page = _Tags()
    page.feed(detail_html(rec, citation="Lancet. 2005"))
    hrefs = [dict(attrs).get("href") for tag, attrs in page.tags if tag == "a"]
    assert sorted(map(str, hrefs)) == sorted(u for _, u in links)
    assert "script" not in {tag for tag, _ in page.tags}
    assert all(not name.startswith("on") for _, attrs in page.tags for name, _ in attrs)


@pytest.mark.parametrize("planted", [
    "javascript:alert(1)", "JavaScript:alert(1)//https://x", "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>", "https:///nohost", "http://[::1",
    "https://example.org/a b", "//evil.example/x", "vbscript:msgbox", "",
])
def test_a_record_url_that_is_no_web_address_is_never_a_link(planted: str) -> None:
    """A guideline or report without identifiers links its own page, but only an http(s)
    address with a host (a .bib's url field can hold anything)."""
    from spinelib.gui.detailhtml import detail_html, identifier_links

    rec = ArticleRecord(title="NCCN guideline", type="webpage", url=planted)
    assert identifier_links(rec) == []
    page = _Tags()
    page.feed(detail_html(rec, citation="c"))
    assert not [tag for tag, _ in page.tags if tag == "a"]


def test_a_record_url_links_only_its_own_host_encoded() -> None:
    from spinelib.gui.detailhtml import detail_html, identifier_links

    rec = ArticleRecord(title="Spinal cord compression guideline", type="webpage",
                        url='https://www.nice.org.uk/guidance/ng234"><script>x</script>?a=1&b=2')
    [(label, url)] = identifier_links(rec)
    assert label == "Web page: www.nice.org.uk" and urlsplit(url).hostname == "www.nice.org.uk"
    assert not any(c in url for c in '"<> ') and url.endswith("?a=1&b=2")
    page = _Tags()
    page.feed(detail_html(rec, citation="c"))
    assert [dict(attrs).get("href") for tag, attrs in page.tags if tag == "a"] == [url]
    assert "script" not in {tag for tag, _ in page.tags}
    # With an identifier, the identifiers' links stand alone (the page is the publisher's).
    assert [lbl for lbl, _ in identifier_links(ArticleRecord(pmid="16112300", url=url))] == [
        "PubMed 16112300"]


class _Tags(HTMLParser):
    """Every element and its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


# -- the API key --------------------------------------------------------------------------------

@pytest.fixture
def own_log_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let ``cli.main`` attach a log file in this test's data dir (an earlier test's handler
    would otherwise keep logging into that test's folder)."""
    logger = logging.getLogger("spinelib")
    monkeypatch.setattr(logger, "handlers", [h for h in logger.handlers
                                             if not isinstance(h, logging.FileHandler)])
    yield
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            handler.close()


def test_api_key_is_sent_but_never_logged_shown_stored_or_exported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_log_file: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["SPINELIB_HOME"])
    monkeypatch.setenv("SPINELIB_NCBI_API_KEY", SECRET)
    monkeypatch.setattr(http, "BACKOFF_BASE", 0.05)
    # Short timeouts and one retry keep the failing calls quick (settings file, as a user would).
    (home / "settings.json").write_text(json.dumps({"version": 1, "settings": {
        "max_retries": 1, "connect_timeout": 2.0, "read_timeout": 0.5}}), encoding="utf-8")
    lib = str(tmp_path / "lib.sqlite")
    shown: list[str] = []

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--library", lib, *args])
        out, err = capsys.readouterr()
        shown.extend((out, err))
        return code, out, err

    with FakeServer() as server:
        for var, value in server.env().items():
            monkeypatch.setenv(var, value)
        server.add_pubmed(["31000001", "31000002", "31000003"])
        # 1. The service refuses and quotes our request (key included) back in its answer.
        server.fail_always("efetch", Reply(400, echo=True))
        failed = run("import", "31000001")
        # 2. Overloaded, 3. reset, 4. too slow: each ends queued, with its reason stored.
        queued = []
        for fault, pmid in ((Reply.server_error(503), "31000002"),
                            (Reply.connection_reset(), "31000003"),
                            (Reply.slow(2), "31000001")):
            server.fail_always("efetch", fault)
            queued.append(run("import", pmid))
        assert run("pending")[0] == 0
        # 5. The service recovers: the queue is retried and everything is exported.
        server.recover()
        retried = run("pending", "--retry")
        exports = [run("export", "--format", fmt, "--abstracts")
                   for fmt in ("bibtex", "ris", "csljson", "vancouver")]
        seen_by_server = [r.target + r.body.decode() for r in server.requests]
    # The test means something only if the key really travelled and the failures happened.
    assert any(SECRET in s for s in seen_by_server)
    assert failed[0] == 1 and "HTTP 400" in failed[2] and "api_key=***" in failed[2]
    assert all(code == 1 and "queued" in err for code, _out, err in queued)
    assert retried[0] == 0, retried[2]
    assert all(code == 0 and "31000002" in out for code, out, _err in exports)
    # With --library the log sits beside that library (not in the data dir).
    log_text = (tmp_path / "spinelib.log").read_text(encoding="utf-8")
    assert "attempt 1 of 2" in log_text  # the failed attempts were logged...
    assert SECRET not in log_text  # ...without the key
    assert not [text for text in shown if SECRET in text]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("lib.sqlite*"))
    assert stored and SECRET.encode() not in stored
