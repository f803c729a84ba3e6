"""An article's address through the reader's own institution: its proxy, its link resolver.

Most spine-oncology papers sit behind subscriptions a hospital or university pays for, and
an open-access copy (``pdf find``) exists for a minority. Institutions publish two ways in,
and a surgeon's library web page names theirs:

- **A proxy's starting-point address**, the article's address appended to it: EZproxy's
  ``https://ezproxy.example.org/login?url=`` (its documented form; lists of institutions'
  proxies write it ``login?url=$@``), OpenAthens' redirector
  ``https://go.openathens.net/redirector/example.org?url=``. The proxy signs the reader in
  and fetches the page as the institution. SpineLib proxies the DOI's doi.org address,
  which leads to the publisher's page, or the publisher address a record carries.
- **A link resolver** (SFX, Alma, 360 Link…): an OpenURL (ANSI/NISO Z39.88-2004, key/encoded
  values) describing the article by its identifiers and citation, answered with the
  institution's copies: the publisher through the proxy, an aggregator, an interlibrary loan
  form. It needs no DOI.

Promises: the addresses are built only from settings :func:`check_proxy` and
:func:`check_resolver` accepted (https or http, a host, nothing that breaks out of a query)
and from values percent-encoded here, so a record's text can never change where a link goes;
a setting that cannot work is refused with the words a user can act on, before it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlencode, urlsplit

from spinelib.errors import SpineLibError
from spinelib.identifiers import Identifier
from spinelib.records import ArticleRecord, initials_of
from spinelib.text import split_page_range
from spinelib.weblinks import safe_web_address

#: Where the article's address goes in a proxy setting: EZproxy's own placeholder (``$@``),
#: Zotero's (``%u``), and ours for a redirector that wants it percent-encoded (``{url}``).
RAW_PLACEHOLDERS = ("$@", "%u")
ENCODED_PLACEHOLDER = "{url}"
#: The OpenURL's referrer (Z39.88-2004's ``rfr_id``: who made the link).
REFERRER = "info:sid/spinelib"
#: The record types an OpenURL describes in its book format, by their genre there: a whole
#: book or proceedings volume, or a part of one (a chapter, a paper in proceedings).
_BOOK_TYPES = {"book": "book", "proceedings": "conference"}
_PART_TYPES = {"chapter": "bookitem", "conference": "proceeding"}

#: The record types whose own address (without a DOI) is a publisher's, worth proxying; a
#: web page, a ``@misc`` entry's ("other"), a thesis or a report is usually open to all.
_PUBLISHED = frozenset({"article", "review", "erratum", "chapter", "book", "conference",
                        "proceedings"})

PROXY_EXAMPLE = "https://ezproxy.example.org/login?url="
RESOLVER_EXAMPLE = "https://resolver.example.org/openurl"


class AccessSettingError(SpineLibError):
    """A proxy or link-resolver setting that cannot work, with what to write instead."""


@dataclass(frozen=True)
class LibraryAccess:
    """The reader's ways in: ``proxy`` (a starting-point address) and ``resolver`` (a link
    resolver's base address); either may be "" (not set)."""

    proxy: str = ""
    resolver: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.proxy or self.resolver)


@dataclass(frozen=True)
class AccessLink:
    """One way to the article through the institution, as a link the browser opens."""

    via: Literal["proxy", "resolver"]
    url: str

    @property
    def label(self) -> str:
        return ("Through my library (proxy)" if self.via == "proxy"
                else "Find it in my library (link resolver)")

    @property
    def short(self) -> str:
        """The label where links stand in a line (the detail pane's DOI, PubMed…)."""
        return "Through my library" if self.via == "proxy" else "Find in my library"


def _web_address(text: str, what: str, example: str) -> str:
    value = text.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise AccessSettingError(
            f"the {what} must be a web address starting with https:// (for example "
            f"{example}); {value!r} is not one")
    if any(c.isspace() for c in value) or "#" in value:
        raise AccessSettingError(f"the {what} cannot hold spaces or '#': {value!r}")
    return value


def check_proxy(text: str) -> str:
    """``text`` as a proxy setting ("" clears it), or :class:`AccessSettingError` saying why
    not. It must end in ``url=`` (``login?url=``, ``login?qurl=``) or hold a placeholder
    (``$@``, ``%u``, ``{url}``) where the article's address goes."""
    if not text.strip():
        return ""
    value = _web_address(text, "library proxy", PROXY_EXAMPLE)
    if "%h" in value or "%p" in value:
        raise AccessSettingError(
            "a proxy that rewrites the publisher's host name (%h, %p) cannot be given a "
            "DOI's address; use your library's starting-point address instead, for example "
            + PROXY_EXAMPLE)
    if not (value.lower().endswith("url=") or _placeholder(value)):
        raise AccessSettingError(
            "the library proxy should be your library's starting-point address, which ends "
            f"in 'url=' (EZproxy: {PROXY_EXAMPLE}) or holds {ENCODED_PLACEHOLDER} where the "
            f"article's address goes; {value!r} has neither")
    return value


def check_resolver(text: str) -> str:
    """``text`` as a link-resolver setting ("" clears it), or :class:`AccessSettingError`."""
    if not text.strip():
        return ""
    return _web_address(text, "link resolver", RESOLVER_EXAMPLE)


def access_from(proxy: str, resolver: str) -> LibraryAccess:
    """The stored settings as a :class:`LibraryAccess`, checked again (settings.json may have
    been edited by hand): :class:`AccessSettingError` says which one cannot work."""
    return LibraryAccess(check_proxy(proxy), check_resolver(resolver))


def usable_access(proxy: str, resolver: str) -> LibraryAccess:
    """The settings that can work, each on its own (a window's links: one hand-edited bad
    value must not hide the other; :func:`access_from` names what is wrong when asked)."""
    def usable(check: Callable[[str], str], text: str) -> str:
        try:
            return check(text)
        except AccessSettingError:
            return ""
    return LibraryAccess(usable(check_proxy, proxy), usable(check_resolver, resolver))


def _placeholder(proxy: str) -> str | None:
    return next((p for p in (*RAW_PLACEHOLDERS, ENCODED_PLACEHOLDER) if p in proxy), None)


def proxied(url: str, proxy: str) -> str:
    """``url`` through ``proxy`` (a checked setting). ``url`` must itself be a valid
    address (its own characters percent-encoded, as :attr:`Identifier.url` makes them).

    EZproxy takes the rest of its query as the address, as written, so ``url=``, ``$@`` and
    ``%u`` get it raw; ``qurl=``, ``{url}`` and OpenAthens' redirector get it encoded, as a
    query value (OpenAthens documents its ``url`` parameter as URL-encoded)."""
    encoded = quote(url, safe="")
    place = _placeholder(proxy)
    if place is not None:
        return proxy.replace(place, encoded if place == ENCODED_PLACEHOLDER else url, 1)
    wants_encoded = (proxy.lower().endswith("qurl=")
                     or "openathens.net/redirector" in proxy.lower())
    return proxy + (encoded if wants_encoded else url)


def _article_address(record: ArticleRecord) -> str:
    """The address a proxy is given: the DOI's, else a publisher address the record holds
    (never PubMed's or PMC's, nor a web page's: they are free, and the proxy would not
    know them; :data:`_PUBLISHED`)."""
    if record.doi:
        return Identifier("doi", record.doi).url
    if record.type not in _PUBLISHED:  # a guideline's or a society's page: open to all
        return ""
    address = safe_web_address(record.url).split("#")[0]  # a fragment never reaches a proxy
    host = urlsplit(address).hostname or ""
    return "" if host.endswith(("ncbi.nlm.nih.gov", "europepmc.org")) else address


def openurl(record: ArticleRecord, resolver: str) -> str:
    """The OpenURL (Z39.88-2004, KEV, UTF-8) asking ``resolver`` for ``record``."""
    pairs: list[tuple[str, str]] = [
        ("url_ver", "Z39.88-2004"), ("ctx_ver", "Z39.88-2004"),
        ("ctx_enc", "info:ofi/enc:UTF-8"), ("rfr_id", REFERRER)]
    for kind in ("doi", "pmid"):
        if getattr(record, kind):
            pairs.append(("rft_id", f"info:{kind}/{getattr(record, kind)}"))
    whole, part = _BOOK_TYPES.get(record.type), _PART_TYPES.get(record.type)
    genre = whole or part
    if genre:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", genre),
                  *([("rft.btitle", record.title)] if whole else
                    [("rft.atitle", record.title), ("rft.btitle", record.book_title)]),
                  ("rft.isbn", record.isbn), ("rft.pub", record.publisher),
                  ("rft.place", record.place), ("rft.edition", record.edition)]
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "article"),
                  ("rft.atitle", record.title), ("rft.jtitle", record.journal),
                  ("rft.stitle", record.journal_abbrev), ("rft.issn", record.issn),
                  ("rft.volume", record.volume), ("rft.issue", record.issue)]
    start, end = split_page_range(record.pages) if record.pages else ("", "")
    pairs += [("rft.date", str(record.year or "")), ("rft.spage", start), ("rft.epage", end)]
    if record.authors:
        first = record.authors[0]
        pairs += [("rft.aulast", first.family), ("rft.aucorp", first.collective)]
        given = first.given.strip()
        # "J." or "JH" (as some files keep a given name) is initials, not a first name.
        if given and given.replace(".", "").replace(" ", "") != initials_of(given):
            pairs.append(("rft.aufirst", given))
        else:
            pairs.append(("rft.auinit", first.initials or initials_of(given)))
    query = urlencode([(k, v) for k, v in pairs if v], quote_via=quote)
    joint = "" if resolver.endswith(("?", "&")) else "&" if "?" in resolver else "?"
    return resolver + joint + query


def access_links(record: ArticleRecord, access: LibraryAccess) -> list[AccessLink]:
    """The ways in ``access`` offers for ``record``: the proxy (when the record has a DOI or
    a publisher address), then the link resolver (always, when set)."""
    links: list[AccessLink] = []
    address = _article_address(record) if access.proxy else ""
    if address:
        links.append(AccessLink("proxy", proxied(address, access.proxy)))
    if access.resolver:
        links.append(AccessLink("resolver", openurl(record, access.resolver)))
    return links


def why_no_link(record: ArticleRecord, access: LibraryAccess) -> str:
    """Why :func:`access_links` has nothing for ``record`` (a sentence the user can act on),
    "" when it has."""
    if not access.configured:
        return ("your library's proxy or link resolver is not set: ask your library for "
                "its off-campus (EZproxy, OpenAthens) starting-point address and set it in "
                "Preferences or with `spinelib settings library_proxy ADDRESS`")
    if access_links(record, access):
        return ""
    page = safe_web_address(record.url)
    if page and record.type not in _PUBLISHED:
        return f"it is a web page, open to all: {page}"
    return ("the proxy needs a DOI or a publisher's address and this article has neither; a "
            "link resolver (Preferences, or `spinelib settings link_resolver ADDRESS`) can "
            "find it by its citation")
