"""Format detection by content: which reference format the start of a file is written in.

Used for ``.txt`` files and for extensions that lie (a ``.bib`` that is really RIS); the
registry (:func:`spinelib.formats.detect`) decides between what the name and the content say.
"""

from __future__ import annotations

import re

from spinelib.formats.csvtable import separator_and_body

_HTML_RE = re.compile(r"<(?:!doctype\s+html|html\b|head\b|body\b)", re.I)
_PUBMED_ROOT_RE = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)\b")
#: EndNote's XML export: an ``xml`` document element holding ``records``.
_ENDNOTE_ROOT_RE = re.compile(r"<xml>\s*<records\b")
#: An RDF/XML document (Zotero RDF): its root is RDF in the RDF syntax's namespace.
_RDF_ROOT_RE = re.compile(r"<(?:[\w.-]+:)?RDF\b[^>]*22-rdf-syntax-ns#", re.S)
#: The line an Ovid record starts with, its number: "<1. >" ("<1>" in an AutoAlert e-mail).
OVID_NUMBER_LINE = r"[ \t]*<\s*\d+\.?\s*>[ \t]*"
#: Where a record starts in the line-based formats (the paste box counts records by them).
RECORD_STARTS = {
    "ris": re.compile(r"^[ \t]*TY {1,2}- ", re.M),
    "medline": re.compile(r"^PMID- ?\d", re.M),
    # EndNote's tagged text (.enw): a record starts with its type, "%0 Journal Article".
    "enw": re.compile(r"^%0 [A-Z][a-z]", re.M),
    # Ovid's: the record's number line ("<1. >"; "<1>" in an AutoAlert e-mail) and its
    # first tag line, or the vendor line every record of an export opens with.
    "ovid": re.compile(rf"^(?:{OVID_NUMBER_LINE}\r?\n\s*(?:VN {{1,2}}- Ovid Technologies"
                       r"|[A-Z][A-Z0-9] {1,2}- )|VN {1,2}- Ovid Technologies)", re.M),
}
_SNIFFERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ris", RECORD_STARTS["ris"]),
    ("medline", RECORD_STARTS["medline"]),
    # MEDLINE from ERIC or Ovid: no PMID, but tags only MEDLINE uses, padded to four columns.
    ("medline", re.compile(r"^(?:OWN|STAT|FAU|JT|TA|SO|DP|AID|LID|PT|PG|SB) {0,3}- ?\S", re.M)),
    # Web of Science's tagged "Plain text" export: two-letter tags, a space, no hyphen.
    ("wos", re.compile(r"\A(?:FN (?:Thomson Reuters|Clarivate)[^\n]*\n(?:VR [^\n]*\n)?)?"
                       r"PT [JBSPC]\s*\n(?:AU|AF|TI|GP|BA|CA) \S")),
    # Its "Tab delimited file" export: a header row of the same tags.
    ("wos", re.compile(r"\APT\t(?:AU|BA|AF)\t")),
    ("enw", RECORD_STARTS["enw"]),
    # Ovid's records open with their vendor line, before the tags MEDLINE shares ("SO  - ").
    ("ovid", RECORD_STARTS["ovid"]),
    ("bibtex", re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.M)),
)


#: Columns every Scopus CSV export has, whatever else its user chose to export.
_SCOPUS_COLUMNS = frozenset({"Title", "Source title", "EID"})


def _is_scopus_csv(text: str) -> bool:
    """Whether ``text`` starts with a Scopus CSV export's header row."""
    separator, body, _skipped = separator_and_body(text)
    first = body.partition("\n")[0].rstrip("\r")
    columns = {cell.strip().strip('"').strip() for cell in first.split(separator)}
    return columns >= _SCOPUS_COLUMNS


def sniff_format(head_text: str) -> str | None:
    """The format the start of a file is written in, or None when it is not recognisable.

    Returns "pubmed", "endnote" (EndNote XML), "zotero_rdf" (RDF/XML), "html" (a saved
    web page), "xml" (other XML),
    "csljson" (any JSON), "ris", "medline", "bibtex", "wos" (Web of Science's tagged
    text), "enw" (EndNote's tagged text), "ovid" (Ovid's tagged export) or "scopus_csv"
    (Scopus's CSV export). For the line-based formats the earliest signature wins, so a
    BibTeX abstract quoting "TY  - " does not make it RIS.
    """
    text = head_text.lstrip("\ufeff \t\r\n")
    if not text:
        return None
    if RECORD_STARTS["ovid"].match(text):
        return "ovid"  # its records start "<1. >", which is no XML
    if text.startswith("<"):
        if _PUBMED_ROOT_RE.search(text):
            return "pubmed"
        if _ENDNOTE_ROOT_RE.search(text):
            return "endnote"
        if _RDF_ROOT_RE.search(text):
            return "zotero_rdf"
        return "html" if _HTML_RE.match(text) else "xml"
    if text[0] in "[{":
        return "csljson"
    if _is_scopus_csv(text):
        return "scopus_csv"
    found = [(m.start(), fmt) for fmt, rx in _SNIFFERS if (m := rx.search(text))]
    return min(found)[1] if found else None
