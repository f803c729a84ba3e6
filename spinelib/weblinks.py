"""Addresses a browser may open for a work: where it is read online by its identifiers,
and a record's own web address once it is known to be a safe one.

Both faces open them (the table's Enter, the References and Cited-by tabs, the detail
pane's links, the proxy in :mod:`spinelib.libraryaccess`); a file's text never decides
where a link goes beyond its own http(s) address.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from spinelib.identifiers import Identifier


def web_address(pmid: str | None, doi: str | None, pmcid: str | None) -> str:
    """Where a work is read online ("" when it has no identifier): its PubMed Central full
    text, else its DOI's page, else its PubMed page; percent-encoded (:attr:`Identifier.url`)."""
    for kind, value in (("pmcid", pmcid), ("doi", doi), ("pmid", pmid)):
        if value:
            return Identifier(kind, value).url  # type: ignore[arg-type]
    return ""


def safe_web_address(text: str) -> str:
    """``text`` as an address safe to open ("" when it is not one): an http or https
    address with a host and no blanks, its unsafe characters percent-encoded (what was
    encoded already stays so), so a record's URL can be a link without being able to
    leave its host or become a ``javascript:`` or ``file:`` address."""
    url = text.strip()
    try:
        host = urlsplit(url).hostname if url.lower().startswith(("http://", "https://")) \
            else None
    except ValueError:  # "http://[::1": no address at all
        host = None
    if not host or any(c.isspace() for c in url):
        return ""
    return quote(url, safe="/:;?&=%+,@!$'()*~.-_#")
