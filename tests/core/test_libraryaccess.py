"""An article's address through the reader's institution: proxy settings checked, proxied
addresses that a record's text cannot redirect, OpenURLs that say what the article is."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from spinelib.libraryaccess import (
    AccessSettingError,
    LibraryAccess,
    access_from,
    access_links,
    check_proxy,
    check_resolver,
    openurl,
    proxied,
    why_no_link,
)
from spinelib.records import ArticleRecord, Author

EZPROXY = "https://ezproxy.example.org/login?url="
RESOLVER = "https://resolver.example.org/openurl"


def kyphoplasty(**changes: object) -> ArticleRecord:
    rec = ArticleRecord(
        title="Balloon kyphoplasty versus non-surgical fracture management",
        authors=[Author(family="Berenson", given="James", initials="J"),
                 Author(family="Pflugmacher", given="Ralf", initials="R")],
        journal="The Lancet Oncology", journal_abbrev="Lancet Oncol", issn="1470-2045",
        year=2011, volume="12", issue="3", pages="225-35",
        doi="10.1016/s1470-2045(11)70008-0", pmid="21333599")
    for name, value in changes.items():
        setattr(rec, name, value)
    return rec


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


@pytest.mark.parametrize("setting", [
    EZPROXY, "http://proxy.lib.example.edu:2048/login?URL=",
    "https://ezproxy.example.org/login?qurl=", "https://ezproxy.example.org/login?url=$@",
    "https://proxy.example.org/login?url=%u",
    "https://go.openathens.net/redirector/example.org?url=",
    "https://gate.example.org/in?target={url}&via=spinelib",
])
def test_a_starting_point_address_is_taken_as_written(setting: str) -> None:
    assert check_proxy(f"  {setting} ") == setting


@pytest.mark.parametrize(("setting", "words"), [
    ("ezproxy.example.org/login?url=", "starting with https://"),
    ("javascript:alert(1)//url=", "starting with https://"),
    ("https:///login?url=", "starting with https://"),
    ("https://ezproxy.example.org/", "ends in 'url='"),
    ("https://ezproxy.example.org/login", "ends in 'url='"),
    ("https://%h.ezproxy.example.org/%p", "rewrites the publisher's host name"),
    ("https://ezproxy.example.org/login?url= x", "spaces"),
    ("https://ezproxy.example.org/login#?url=", "'#'"),
])
def test_a_proxy_that_cannot_work_is_refused_with_what_to_write(setting: str,
                                                                 words: str) -> None:
    with pytest.raises(AccessSettingError, match=words.replace("?", r"\?")) as caught:
        check_proxy(setting)
    assert "ezproxy.example.org/login?url=" in str(caught.value) or "spaces" in words \
        or "'#'" in words


def test_empty_settings_clear_and_a_resolver_must_be_a_web_address() -> None:
    assert check_proxy("  ") == "" and check_resolver("") == ""
    assert check_resolver(f"{RESOLVER}?sid=x ") == f"{RESOLVER}?sid=x"
    with pytest.raises(AccessSettingError, match="link resolver"):
        check_resolver("resolver.example.org/openurl")
    with pytest.raises(AccessSettingError, match="library proxy"):
        access_from("https://ezproxy.example.org/", "")  # a hand-edited settings.json


def test_ezproxy_gets_the_address_raw_and_a_redirector_gets_it_encoded() -> None:
    doi_url = "https://doi.org/10.1097/brs.0b013e3181e16ae2"
    assert proxied(doi_url, EZPROXY) == EZPROXY + doi_url
    assert proxied(doi_url, EZPROXY + "$@") == EZPROXY + doi_url
    encoded = "https%3A%2F%2Fdoi.org%2F10.1097%2Fbrs.0b013e3181e16ae2"
    assert proxied(doi_url, "https://e.example.org/login?qurl=").endswith("qurl=" + encoded)
    assert proxied(doi_url, "https://go.openathens.net/redirector/example.org?url=") \
        == "https://go.openathens.net/redirector/example.org?url=" + encoded
    assert proxied(doi_url, "https://gate.example.org/in?target={url}&via=x") \
        == f"https://gate.example.org/in?target={encoded}&via=x"


@pytest.mark.parametrize("proxy", [EZPROXY, "https://gate.example.org/in?target={url}"])
def test_a_hostile_doi_cannot_leave_the_proxy_or_cut_its_address(proxy: str) -> None:
    rec = kyphoplasty(doi='10.1234/x"><script>#frag&url=https://evil.example/ y')
    [link] = access_links(rec, LibraryAccess(proxy=proxy))
    parts = urlsplit(link.url)
    assert parts.hostname in ("ezproxy.example.org", "gate.example.org")
    assert not parts.fragment and not any(c in link.url for c in ' "<>')
    # What the proxy reads back (EZproxy: the query's rest as written; a redirector: its
    # parameter decoded) is the whole DOI, on doi.org.
    target = (link.url.split("url=", 1)[1] if proxy == EZPROXY
              else dict(query(link.url))["target"])
    assert urlsplit(target).hostname == "doi.org"
    assert unquote(urlsplit(target).path[1:]) == rec.doi


def test_the_openurl_describes_a_journal_article() -> None:
    url = openurl(kyphoplasty(), RESOLVER)
    assert url.startswith(RESOLVER + "?url_ver=Z39.88-2004&")
    pairs = query(url)
    assert ("rft_id", "info:doi/10.1016/s1470-2045(11)70008-0") in pairs
    assert ("rft_id", "info:pmid/21333599") in pairs
    fields = dict(pairs)
    assert fields["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:journal"
    assert fields["rfr_id"] == "info:sid/spinelib"
    assert {k: fields[k] for k in ("rft.genre", "rft.jtitle", "rft.stitle", "rft.issn",
                                   "rft.volume", "rft.issue", "rft.date", "rft.spage",
                                   "rft.epage", "rft.aulast", "rft.aufirst")} == {
        "rft.genre": "article", "rft.jtitle": "The Lancet Oncology",
        "rft.stitle": "Lancet Oncol", "rft.issn": "1470-2045", "rft.volume": "12",
        "rft.issue": "3", "rft.date": "2011", "rft.spage": "225", "rft.epage": "235",
        "rft.aulast": "Berenson", "rft.aufirst": "James"}
    assert fields["rft.atitle"].startswith("Balloon kyphoplasty versus")


def test_the_openurl_of_a_chapter_a_book_and_an_unusual_article() -> None:
    chapter = ArticleRecord(type="chapter", title="Metastatic spine disease",
                            book_title="Benzel's Spine Surgery", isbn="9780323636681",
                            publisher="Elsevier", place="Philadelphia", edition="5",
                            year=2022, pages="1021-9",
                            authors=[Author(family="Bilsky", given="M H", initials="MH")])
    fields = dict(query(openurl(chapter, RESOLVER + "?inst=spine&")))
    assert fields["inst"] == "spine"
    assert fields["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:book"
    assert (fields["rft.genre"], fields["rft.atitle"], fields["rft.btitle"]) == (
        "bookitem", "Metastatic spine disease", "Benzel's Spine Surgery")
    assert (fields["rft.isbn"], fields["rft.spage"], fields["rft.epage"]) == (
        "9780323636681", "1021", "1029")
    assert fields["rft.auinit"] == "MH" and "rft.aufirst" not in fields
    book = ArticleRecord(type="book", title="Spine Oncology", isbn="9781")
    fields = dict(query(openurl(book, RESOLVER)))
    assert (fields["rft.genre"], fields["rft.btitle"]) == ("book", "Spine Oncology")
    assert "rft.atitle" not in fields
    group = kyphoplasty(authors=[Author(collective="Spine Oncology Study Group")], pmid="",
                        title="Müller's ≥ 50% rule", pages="e1234")
    fields = dict(query(openurl(group, RESOLVER)))
    assert fields["rft.aucorp"] == "Spine Oncology Study Group"
    assert fields["rft.atitle"] == "Müller's ≥ 50% rule" and fields["rft.spage"] == "e1234"
    assert "rft.epage" not in fields and "info:pmid" not in openurl(group, RESOLVER)


def test_the_proxy_takes_a_publisher_address_but_never_pubmeds() -> None:
    access = LibraryAccess(proxy=EZPROXY)
    publisher = kyphoplasty(doi="", url="https://journals.lww.com/spinejournal/x.aspx")
    [link] = access_links(publisher, access)
    assert link.via == "proxy" and link.url == EZPROXY + publisher.url
    for kind in ("webpage", "other", "thesis"):  # a guideline's page, a @misc entry's
        guideline = ArticleRecord(type=kind, title="MSCC", url="https://www.nice.org.uk/x")
        assert access_links(guideline, access) == []
        assert why_no_link(guideline, access) == (
            "it is a web page, open to all: https://www.nice.org.uk/x")
    for free in ("https://pubmed.ncbi.nlm.nih.gov/21333599/", "ftp://example.org/a", ""):
        rec = kyphoplasty(doi="", url=free)
        assert access_links(rec, access) == []
        assert "needs a DOI or a publisher's address" in why_no_link(rec, access)
        both = LibraryAccess(proxy=EZPROXY, resolver=RESOLVER)
        assert [lk.via for lk in access_links(rec, both)] == ["resolver"]
        assert why_no_link(rec, both) == ""


def test_nothing_set_says_how_to_set_it() -> None:
    assert access_links(kyphoplasty(), LibraryAccess()) == []
    said = why_no_link(kyphoplasty(), LibraryAccess())
    assert "not set" in said and "spinelib settings library_proxy" in said
    both = access_links(kyphoplasty(), LibraryAccess(proxy=EZPROXY, resolver=RESOLVER))
    assert [(lk.via, lk.label) for lk in both] == [
        ("proxy", "Through my library (proxy)"),
        ("resolver", "Find it in my library (link resolver)")]
