"""NCBI Bookshelf documents (StatPearls, GeneReviews, Endotext…) named by their Bookshelf ID.

Residents cite StatPearls chapters by their Bookshelf address
(``https://www.ncbi.nlm.nih.gov/books/NBK441938/``), and PubMed's citation of one ends
"PMID: 28722886 Bookshelf ID: NBK441938". Neither holds a DOI or a PMID, but PubMed files
most Bookshelf documents, with the ID in the record's article identifiers (MEDLINE's
``AID - NBK441938 [bookaccession]``), so an import finds the record through PubMed's
``[aid]`` search (:func:`spinelib.sources.pubmed.search_aid`). An ID is an import input,
never a record field: the article keeps the PMID and its Bookshelf address as its URL.
"""

from __future__ import annotations

import re

#: A Bookshelf ID alone: "NBK" and its number.
_ID_RE = re.compile(r"^\s*(?:Bookshelf\s+ID\s*[:#]?\s*)?(NBK\d{1,9})\s*[.,;]?\s*$", re.I)
#: A Bookshelf address naming its document ("…/books/NBK441938/", "…/books/NBK1403/#top").
_URL_RE = re.compile(r"^\s*https?://(?:www\.)?ncbi\.nlm\.nih\.gov/books/(NBK\d{1,9})"
                     r"(?:[/?#]\S*)?\s*$", re.I)
#: A Bookshelf ID inside a longer line (unmistakable: "NBK" and at least three digits).
ID_IN_TEXT_RE = re.compile(r"\bNBK\d{3,9}\b")


def bookshelf_in(text: str) -> str:
    """The Bookshelf ID ("NBK441938") text names when it is one, labelled ("Bookshelf ID:
    NBK441938") or not, or a Bookshelf address naming one; '' otherwise."""
    m = _ID_RE.match(text) or _URL_RE.match(text)
    return m.group(1).upper() if m else ""


def bookshelf_url(nbk: str) -> str:
    """The document's Bookshelf address."""
    return f"https://www.ncbi.nlm.nih.gov/books/{nbk}/"


def bookshelf_typo(text: str) -> str:
    """Why a Bookshelf address without an ID ("…/books/n/statpearls/article-29577/") cannot
    be imported; '' for any other text."""
    if re.match(r"^\s*https?://(?:www\.)?ncbi\.nlm\.nih\.gov/books/", text, re.I):
        return (f"{text.strip()!r} is a Bookshelf address without its document's ID: open "
                "it and copy the address that ends in /books/NBK…/, or the PMID the page "
                "shows")
    return ""
