"""Parse, normalise and validate article identifiers: DOI, PMID, PMCID and URLs holding them.

The promise: :func:`parse_identifier` either returns a normalised :class:`Identifier` or raises
:class:`~spinelib.errors.InvalidIdentifier` naming the reason. Nothing is guessed: a bare
number is a PMID only when it is 1–8 digits, and free text yields identifiers only where they
are unmistakable (see :func:`spinelib.identifiertext.find_identifiers`).
:func:`parse_fetchable` also takes what an import can fetch but a record does not keep: an
Elsevier PII (:mod:`spinelib.pii`), found through Crossref.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from spinelib.bookshelf import bookshelf_in, bookshelf_typo, bookshelf_url
from spinelib.errors import NOT_AN_IDENTIFIER, InvalidIdentifier
from spinelib.isbn import isbn_input, isbn_typo
from spinelib.journalpages import journal_page, journal_page_input, spelled_doi
from spinelib.pii import pii_in, pii_typo, printed_pii
from spinelib.pubmedpages import (
    PMC_HOSTS,
    PUBMED_HOSTS,
    pubmed_listing,
    pubmed_pmid,
    with_scheme,
)

#: An identifier's kind; "pii", "isbn" (a book's, its ISBN-13 digits), "nbk" (an NCBI
#: Bookshelf document's ID: :mod:`spinelib.bookshelf`) and "journalpage" (a journal's
#: article address naming its place, not its DOI: :mod:`spinelib.journalpages`) only from
#: :func:`parse_fetchable` and "citation" (a reference's text, for a work without an
#: identifier: :mod:`spinelib.identifiertext`) are an import's inputs, never a record's
#: identifier: an article keeps the DOI they lead to.
Kind = Literal["doi", "pmid", "pmcid", "pii", "isbn", "nbk", "journalpage", "citation"]
#: The kinds :func:`parse_fetchable` adds: found through another look-up first (the
#: import's resolve_indirect), named by their kind wherever they are listed.
FOUND_THROUGH_ANOTHER: tuple[Kind, ...] = ("pii", "isbn", "nbk", "journalpage")

#: A DOI is "10." + registrant digits (optionally dotted) + "/" + a suffix of visible chars.
DOI_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
#: Where a DOI starts inside running text.
DOI_IN_TEXT_RE = re.compile(r"\b10\.\d{4,9}(?:\.\d+)*/[^\s\"'<>]+")
PMID_RE = re.compile(r"^\d{1,8}$")
PMCID_RE = re.compile(r"^PMC\d{1,9}$", re.IGNORECASE)

#: Labels as written before an identifier, MEDLINE's tags ("PMID- 16112300") among them.
DOI_PREFIX_RE = re.compile(r"^(?:doi\s*[:-]\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)",
                           re.I)
PMID_PREFIX_RE = re.compile(r"^(?:pubmed\s+pmid|pmid|pubmed(?:\s+id)?)\s*[:#-]?\s*", re.I)
PMCID_PREFIX_RE = re.compile(r"^(?:pmcid|pmc\s*id)\s*[:#-]?\s*", re.I)
#: Characters that end a DOI copied out of prose but are never its last character in practice.
TRAILING_PUNCT = ".,;:!?\"'>]}"

#: Characters left as they are in a DOI link; everything else is percent-encoded.
DOI_URL_SAFE = "/:;()-._~"


@dataclass(frozen=True, order=True)
class Identifier:
    """A normalised identifier: DOI lower-case bare, PMID digits, PMCID ``PMC`` + digits."""

    kind: Kind
    value: str

    def __str__(self) -> str:
        if self.kind == "pii":
            return f"PII {printed_pii(self.value)}"
        if self.kind == "isbn":
            return f"ISBN {self.value}"
        if self.kind == "nbk":
            return f"Bookshelf {self.value}"
        if self.kind == "journalpage":
            page = journal_page(self.value)
            return page.describe() if page else self.value
        if self.kind == "citation":
            short = self.value if len(self.value) <= 80 else self.value[:79] + "…"
            return f"citation “{short}”"
        return f"{self.kind.upper() if self.kind != 'pmcid' else 'PMCID'} {self.value}"

    @property
    def url(self) -> str:
        """The canonical https URL for the identifier (safe to open in a browser).

        Always https on the registry's own host, whatever the value holds: the value is
        percent-encoded, so a DOI suffix with quotes, spaces, ``<>``, ``#`` or ``?`` (all legal
        in DOIs, or planted by a hostile file) can neither end the link, change its host or
        scheme, nor cut the DOI short at a fragment or query (doi.org's URL encoding rules).
        """
        if self.kind == "doi":
            return "https://doi.org/" + quote(self.value, safe=DOI_URL_SAFE)
        if self.kind == "pmid":
            return f"https://pubmed.ncbi.nlm.nih.gov/{quote(self.value, safe='')}/"
        if self.kind == "pii":  # Elsevier's linking hub, which every PII resolves through
            return f"https://linkinghub.elsevier.com/retrieve/pii/{quote(self.value, safe='')}"
        if self.kind == "nbk":
            return bookshelf_url(quote(self.value, safe=""))
        if self.kind == "journalpage":  # the address as journal_page_input wrote it
            return journal_page_input(self.value)
        if self.kind == "isbn":  # WorldCat: the libraries holding the book
            return f"https://search.worldcat.org/search?q=bn:{quote(self.value, safe='')}"
        if self.kind == "citation":  # Crossref's own search, where the look-up asks too
            return f"https://search.crossref.org/search/works?q={quote(self.value, safe='')}"
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{quote(self.value, safe='')}/"


def carried(pmid: str | None, doi: str | None, pmcid: str | None) -> list[Identifier]:
    """The identifiers a work carries, the one an import fetches it by first: its PMID
    (PubMed's record is the fullest), then its DOI, then its PMCID."""
    return [Identifier(kind, value) for kind, value in  # type: ignore[arg-type]
            (("pmid", pmid), ("doi", doi), ("pmcid", pmcid)) if value]


def normalise_doi(text: str) -> str:
    """Bare, lower-case DOI from any common written form; raises InvalidIdentifier."""
    ident = parse_identifier(text)
    if ident.kind != "doi":
        raise InvalidIdentifier(f"{text!r} is a {ident.kind.upper()}, not a DOI")
    return ident.value


def _clean(text: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r " for ch in text):
        raise InvalidIdentifier(f"{text!r} contains control characters")
    return text.strip()


def _strip_trailing(doi: str) -> str:
    while doi and doi[-1] in TRAILING_PUNCT:
        doi = doi[:-1]
    # A closing parenthesis belongs to the DOI only when it closes one opened inside it.
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]
    return doi


def _doi(raw: str, original: str) -> Identifier:
    doi = _strip_trailing(unquote(raw.strip()))
    if any(ch.isspace() for ch in doi):
        raise InvalidIdentifier(f"{original!r} is not a DOI: it contains spaces")
    if not DOI_RE.match(doi):
        raise InvalidIdentifier(f"{original!r} is not a DOI (expected 10.NNNN/suffix)")
    return Identifier("doi", doi.lower())


def _pmid(raw: str, original: str) -> Identifier:
    digits = raw.strip()
    if not PMID_RE.match(digits):
        raise InvalidIdentifier(f"{original!r} is not a PMID (expected 1 to 8 digits)")
    if int(digits) == 0:
        raise InvalidIdentifier(f"{original!r} is not a PMID (PMIDs start at 1)")
    return Identifier("pmid", str(int(digits)))


def _pmcid(raw: str, original: str) -> Identifier:
    value = raw.strip()
    if value.isdigit():
        value = "PMC" + value
    if not PMCID_RE.match(value):
        raise InvalidIdentifier(f"{original!r} is not a PMCID (expected PMC followed by digits)")
    return Identifier("pmcid", "PMC" + str(int(value[3:])))


def _from_url(url: str, text: str = "") -> Identifier:
    """The identifier in a web address; ``text``: the address as typed, for messages."""
    text = text or url
    parts = urlsplit(url)
    host = parts.netloc.lower().split(":")[0]
    path = unquote(parts.path)
    if host in ("doi.org", "dx.doi.org", "www.doi.org"):
        return _doi(path.lstrip("/"), text)
    pmc = re.search(r"/(?:pmc/)?articles/(PMC\d+)", path, re.I) or re.search(
        r"/article/PMC/(PMC\d+)", path, re.I)
    if host in PMC_HOSTS and pmc:
        return _pmcid(pmc.group(1), text)
    if host in PUBMED_HOSTS or host in ("europepmc.org", "www.europepmc.org"):
        if pmid := pubmed_pmid(host, path, parts.query):
            return _pmid(pmid, text)
        if listing := pubmed_listing(text, host, path, parts.query):  # a search, a list
            raise InvalidIdentifier(listing)
    # Publisher landing pages often carry the DOI in the path (e.g. /doi/10.1097/...), or in
    # the query (PLOS: article?id=10.1371/journal.pone.…), followed by the page's view.
    m = DOI_IN_TEXT_RE.search(path) or re.search(r"(?:^|&)(?:id|doi)=(10\.[^&]+)",
                                                 unquote(parts.query))
    if m:
        doi = _without_view(m.group(m.lastindex or 0))
        if host == "academic.oup.com":  # ".../doi/10.1093/neuros/nyz123/5500000": the
            doi = _OUP_NUMBER_RE.sub("", doi)  # site's own article number follows
        return _doi(doi, text)
    raise InvalidIdentifier(f"{text!r} is a web address without a DOI, PMID or PMCID in it")


#: Oxford Academic's number of an article, after its DOI in an address (its DOIs end in
#: letters and digits of the journal's own: "neuros/nyz123").
_OUP_NUMBER_RE = re.compile(r"/\d{5,12}$")


#: What publishers' addresses put after a DOI: the page's view, not part of the DOI
#: (the Cochrane Library's ".../doi/10.1002/14651858.CD006349.pub4/full" and "/epdf/full",
#: Wiley's "/abstract", Frontiers' "/full", Springer's "content/pdf/10.1007/….pdf" and
#: "/fulltext.html").
_VIEWS = frozenset({
    "full", "abstract", "abs", "epdf", "pdf", "pdfdirect", "fulltext", "full-text", "html",
    "xml", "summary", "figures", "tables", "references", "citedby", "suppinfo", "epub",
    "information", "appendices", "related-content"})
#: bioRxiv's and medRxiv's pages add the version and view to the DOI ("v2.full.pdf").
_PREPRINT_RE = re.compile(r"^(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,8})v\d+(?:\W.*)?$")


def _without_view(doi: str) -> str:
    """A DOI read from a publisher's address, without what the address adds after it (a
    walk back over its last steps: linear, whatever a hostile address holds)."""
    preprint = _PREPRINT_RE.match(doi)
    if preprint:
        return preprint.group(1)
    if doi.lower().endswith(".pdf"):
        doi = doi[:-4]
    while True:
        head, _sep, last = doi.rpartition("/")
        step = last.lower().removesuffix(".html").removesuffix(".htm")
        # The DOI's own suffix stays, whatever it reads: "/" must remain after its prefix.
        if "/" not in head or (step and step not in _VIEWS):
            return doi
        doi = head


def parse_identifier(text: str) -> Identifier:
    """Parse one identifier written any usual way; raise InvalidIdentifier with the reason.

    Accepted: ``10.1/x``, ``doi:10.1/x``, ``https://doi.org/10.1/x``, ``12345678``,
    ``PMID: 123``, PubMed URLs, ``PMC123``, ``PMCID: PMC123``, PMC and Europe PMC URLs,
    publisher URLs with a DOI in the path. Trailing punctuation from prose is dropped.
    """
    if not isinstance(text, str):
        raise InvalidIdentifier(f"{text!r} is not text")
    s = _clean(text)
    if not s:
        raise InvalidIdentifier("empty identifier")
    if re.match(r"^https?://", s, re.I):
        return _from_url(s)
    # "pubmed.ncbi.nlm.nih.gov/38856741/", as often cited; "doi.org/…" stays a DOI whole
    # (an old Wiley DOI holds "#", which an address would cut off as its fragment).
    if not DOI_PREFIX_RE.match(s) and (address := with_scheme(s)):
        return _from_url(address, s)
    found = _from_doi_or_pmcid(s, text)
    if found is not None:
        return found
    m = PMID_PREFIX_RE.match(s)
    if m and m.end() > 0:
        return _pmid(s[m.end():], text)
    if re.fullmatch(r"\d+", s.rstrip(".,;")):
        return _pmid(s.rstrip(".,;"), text)
    raise InvalidIdentifier(_not_any(text))


def parse_fetchable(text: str) -> Identifier:
    """What an import can fetch: :func:`parse_identifier`'s identifiers, an Elsevier PII
    (a ScienceDirect or journal-site link, ``PII: S0140-6736(05)66954-1``, the compact
    ``S0140673605669541``), a book's ISBN (:func:`spinelib.isbn.isbn_input`: labelled, or
    unmistakable), an NCBI Bookshelf document (its address or ``NBK441938``) or a journal's
    article address naming its place (:mod:`spinelib.journalpages`);
    InvalidIdentifier with parse_identifier's reason otherwise."""
    try:
        return parse_identifier(text)
    except InvalidIdentifier:
        if not isinstance(text, str):
            raise
        nbk = bookshelf_in(text)
        if nbk:
            return Identifier("nbk", nbk)
        doi = spelled_doi(text)
        if doi:
            return Identifier("doi", doi)
        page = journal_page_input(text)
        if page:
            return Identifier("journalpage", page)
        value = pii_in(text)
        if value:
            return Identifier("pii", value)
        book = isbn_input(text)
        if book:
            return Identifier("isbn", book)
        typo = pii_typo(text) or isbn_typo(text) or bookshelf_typo(text)
        if typo:
            raise InvalidIdentifier(typo) from None
        raise


def _not_any(text: str) -> str:
    """What :func:`parse_identifier` says of text that is no identifier of any kind."""
    return f"{text!r} {NOT_AN_IDENTIFIER}"


#: How messages name each kind.
_KIND_NAMES = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "pii": "PII", "isbn": "ISBN",
               "nbk": "Bookshelf ID", "journalpage": "journal page", "citation": "citation"}


def _from_doi_or_pmcid(s: str, text: str) -> Identifier | None:
    """A DOI (``doi:`` or bare ``10.``) or a PMCID (``PMCID:`` or bare ``PMC``), else None."""
    if DOI_PREFIX_RE.match(s):
        return _doi(DOI_PREFIX_RE.sub("", s, count=1), text)
    if s.lower().startswith("10."):
        return _doi(s, text)
    m = PMCID_PREFIX_RE.match(s)
    if m:
        return _pmcid(s[m.end():], text)
    if s[:3].upper() == "PMC":
        return _pmcid(s, text)
    return None


#: Already-normal identifiers (the usual case in PubMed's XML and the ID converter's JSON),
#: checked without the general parser. A DOI qualifies only when it cannot end in prose
#: punctuation, and none holds ``%`` (escapes need the parser).
#: A DOI in that form: printable ASCII without a space or ``%``, so a reader may take it
#: as it stands (lower-cased) without stripping or parsing it.
NORMAL_DOI_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[!-$&-~]*[A-Za-z0-9]$")
_FAST_NORMAL: dict[str, re.Pattern[str]] = {
    "pmid": re.compile(r"^(\d{1,8})$"),
    "pmcid": re.compile(r"^PMC(\d{1,9})$"),
    "doi": NORMAL_DOI_RE,
}


def identifier_or_empty(kind: str, raw: str) -> str:
    """The normalised identifier of ``kind`` in untrusted text, or '' when it is not one.

    For bulk data (reference lists hold tens of ids per record, big files thousands of
    records): the common clean forms take a fast path, anything else goes through
    :func:`parse_identifier`. A bare number counts as a PMCID when ``kind`` is "pmcid".
    """
    raw = raw.strip()
    if not raw:
        return ""
    if kind == "pmid" and raw.isdigit() and len(raw) <= 8 and raw[0] != "0" and raw.isascii():
        return raw  # already normal: the usual PMID (most ids of a big file's reference lists)
    if kind == "pmcid" and raw.isdigit():
        raw = "PMC" + raw
    fast = _FAST_NORMAL[kind].match(raw)
    if fast:
        if kind == "doi":
            return raw.lower()
        value = int(fast.group(1))
        if value:
            return str(value) if kind == "pmid" else f"PMC{value}"
    try:
        ident = parse_identifier(raw)
    except InvalidIdentifier:
        return ""
    return ident.value if ident.kind == kind else ""


def identifier_of_kind(kind: str, text: str) -> tuple[str, str]:
    """A field that must hold an identifier of ``kind`` (a file's DOI field, the edit box's
    PMID): ``(value, "")``, or ``("", why)`` when it does not, for the caller to report with
    its own place in the file. The field says which kind is wanted, so text that is no
    identifier at all "is not a DOI" there (not "not a DOI, PMID or PMCID"), another kind
    "is a PMID, not a DOI", and a near miss keeps the parser's reason ("PMIDs start at 1")."""
    wanted = _KIND_NAMES.get(kind, kind.upper())
    try:
        found = parse_identifier(text)
    except InvalidIdentifier as exc:
        why = str(exc)
        return "", f"{text!r} is not a {wanted}" if why == _not_any(text) else why
    if found.kind != kind:
        return "", f"{text!r} is a {_KIND_NAMES[found.kind]}, not a {wanted}"
    return found.value, ""


#: Links that only restate an identifier: a reader keeps the identifier, not the link.
_IDENTIFIER_LINK_RE = re.compile(
    r"(?i)^https?://(?:dx\.)?(?:www\.)?(?:doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|"
    r"pmc\.ncbi\.nlm\.nih\.gov|(?:www\.)?ncbi\.nlm\.nih\.gov/(?:pubmed|pmc))/")


def is_identifier_link(url: str) -> bool:
    """True for a doi.org, PubMed or PMC link, which adds nothing once its identifier is kept."""
    return _IDENTIFIER_LINK_RE.match(url) is not None


def orcid_from_digits(digits: str) -> str:
    """``0000-0002-1825-0097`` from its 16 characters, or '' when they are not a valid iD.

    The last character is an ISO 7064 MOD 11-2 check digit (ORCID's rule); a typo'd iD is
    worse than none, so one that fails the check is dropped.
    """
    if len(digits) != 16 or not digits[:15].isdigit():
        return ""
    total = 0
    for ch in digits[:15]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    if digits[15] != ("X" if check == 10 else str(check)):
        return ""
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))
