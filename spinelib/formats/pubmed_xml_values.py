"""Values read out of PubMed efetch XML elements: text, identifiers, dates and pages.

The PubMed DTD (pubmed_250101) shapes this code: dates come as Year/Month/Day, Season or a
free-text MedlineDate; pages as MedlinePgn (NLM's shortened ranges), Start/EndPage or an
ELocationID; and titles and abstracts carry inline markup (``i``, ``sup``, ``sub``, MathML),
which is flattened to readable text. Used by :mod:`spinelib.formats.pubmed_xml` and by the
NCBI reply parsers in :mod:`spinelib.sources.ncbi_replies`.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from spinelib.identifiers import NORMAL_DOI_RE, identifier_or_empty
from spinelib.text import collapse_whitespace, expand_page_ranges, month_from_prefix

MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
#: A plausible publication year inside free text (a MedlineDate).
YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d|21\d\d)\b")
#: An ELocationID pii is used as pages only when it looks like an article number.
ARTICLE_NUMBER_RE = re.compile(r"^e?\d{1,8}$")


def local_name(tag: str) -> str:
    """An element's tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def element_text(elem: Element | None) -> str:
    """All text inside ``elem``, inline markup and MathML flattened, whitespace collapsed."""
    if elem is None:
        return ""
    if not len(elem):  # the common case: plain text, no markup inside (no tree walk)
        text = elem.text
        if not text:
            return ""
        # is_collapsed inline: a big file's 1.3 million texts, nearly all clean (issue 19).
        # An ASCII text skips isprintable's scan: XML 1.0 admits no control character but
        # tab, line feed and carriage return, so those and the plain space are its only
        # possible whitespace (isascii is a flag, and each ``in`` a memchr).
        if text.isascii():
            if ("\n" not in text and "\t" not in text and "\r" not in text
                    and "  " not in text and text[0] != " " and text[-1] != " "):
                return text
        elif text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
            return text
        return " ".join(text.split())
    parts: list[str] = []
    _collect(elem, parts)
    return collapse_whitespace("".join(parts))


def _collect(elem: Element, out: list[str]) -> None:
    if elem.text:
        out.append(elem.text)
    for child in elem:
        if child.tag == MATHML_NS + "math":
            out.append(_mathml(child))
        else:
            _collect(child, out)
        if child.tail:
            out.append(child.tail)


def _mathml(elem: Element) -> str:
    """Readable linear text for a MathML fragment: ``³He`` style scripts become ``3He``.

    Whitespace between MathML elements is layout, not content, so only token elements
    contribute text. Prescripts (``mmultiscripts`` after ``mprescripts``) come first, as
    isotopes are written.
    """
    tag = local_name(elem.tag)
    if tag in ("mi", "mn", "mo", "ms"):
        return "".join(elem.itertext()).strip()
    if tag == "mtext":
        text = "".join(elem.itertext())
        return " " if text and not text.strip() else collapse_whitespace(text)
    if tag in ("none", "mprescripts", "annotation", "annotation-xml"):
        return ""
    children = list(elem)
    if tag == "semantics":
        return _mathml(children[0]) if children else ""
    if tag == "mmultiscripts" and children:
        rest = children[1:]
        split = next((i for i, c in enumerate(rest) if local_name(c.tag) == "mprescripts"),
                     len(rest))
        pre = "".join(_mathml(c) for c in rest[split + 1:])
        post = "".join(_mathml(c) for c in rest[:split])
        return pre + _mathml(children[0]) + post
    if tag == "mfrac" and len(children) == 2:
        return f"{_mathml(children[0])}/{_mathml(children[1])}"
    if tag == "msqrt":
        return "√" + "".join(_mathml(c) for c in children)
    return "".join(_mathml(c) for c in children)


def grandchildren(parent: Element, child: str, grandchild: str) -> list[Element]:
    """``parent.findall(f"{child}/{grandchild}")``, in document order, found by the C
    ``findall`` twice: a path with a slash goes through ElementPath's Python generators,
    a third slower, four times a record in a big file (issue 19)."""
    return [g for c in parent.findall(child) for g in c.findall(grandchild)]


def find_text(elem: Element | None, path: str) -> str:
    """:func:`element_text` of the first element at ``path`` under ``elem`` ('' if none)."""
    return element_text(elem.find(path)) if elem is not None else ""


def article_ids(id_list: Element | None) -> dict[str, str]:
    """doi/pmid/pmcid (normalised) from an ``ArticleIdList``; first valid of each kind wins
    (:func:`article_id_triple`, the kinds it found)."""
    if id_list is None:
        return {}
    return {kind: value for kind, value in zip(("doi", "pmid", "pmcid"),
                                               article_id_triple(id_list)) if value}


def article_id_triple(id_list: Element) -> tuple[str, str, str]:
    """(doi, pmid, pmcid) of an ``ArticleIdList``, normalised, '' for a kind it lacks; the
    first valid identifier of each kind wins.

    The hot loop of a big file's reference lists (tens of lists per record): the children are
    read directly, and an already-normal PMID or DOI (nearly all of them) is taken as it
    stands, without :func:`element_text` and :func:`identifier_or_empty`, whose answer it is."""
    doi = pmid = pmcid = ""
    for aid in id_list:
        if aid.tag != "ArticleId":
            continue
        kind = aid.get("IdType")
        if kind == "pubmed" and not pmid:
            text = aid.text
            if (text and text.isdigit() and len(text) <= 8 and text[0] != "0"
                    and text.isascii() and not len(aid)):
                pmid = text
            else:
                pmid = identifier_or_empty("pmid", element_text(aid))
        elif kind == "doi" and not doi:
            text = aid.text
            if text and not len(aid) and NORMAL_DOI_RE.fullmatch(text):
                doi = text.lower()  # no space, no escape
            else:
                doi = identifier_or_empty("doi", element_text(aid))
        elif kind == "pmc" and not pmcid:
            pmcid = identifier_or_empty("pmcid", element_text(aid))
    return doi, pmid, pmcid


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def pub_date(elem: Element | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from a PubDate/ArticleDate-like element.

    Season: month from a month range ("Jan-Mar" -> 1), none for "Spring" etc. (which months
    depend on the hemisphere). MedlineDate ("2019 Nov-Dec", "1998 Dec-1999 Jan") gives the
    first year and the first month named after it.
    """
    if elem is None:
        return None, None, None
    year = _int(find_text(elem, "Year"))
    month = month_from_prefix(find_text(elem, "Month"))
    day = _int(find_text(elem, "Day")) if month else None
    if day is not None and not 1 <= day <= 31:
        day = None
    if month is None:
        season = find_text(elem, "Season")
        if season:
            month = month_from_prefix(re.split(r"[-/\s]", season)[0])
    medline = find_text(elem, "MedlineDate")
    if year is None and medline:
        m = YEAR_RE.search(medline)
        if m:
            year = int(m.group(1))
            word = re.search(r"[A-Za-z]{3,}", medline[m.end():])
            month = month_from_prefix(word.group(0)) if word else None
    return year, month, day


def article_pages(article: Element) -> str:
    """Pages of an ``Article``: MedlinePgn written out, else Start/EndPage, else an article
    number given as an ELocationID pii."""
    pagination = article.find("Pagination")
    medline = find_text(pagination, "MedlinePgn")
    if medline:
        return expand_page_ranges(medline)
    start, end = find_text(pagination, "StartPage"), find_text(pagination, "EndPage")
    if start:
        return f"{start}-{end}" if end and end != start else start
    for loc in article.findall("ELocationID"):
        value = element_text(loc)
        if loc.get("EIdType") == "pii" and ARTICLE_NUMBER_RE.match(value):
            return value
    return ""
