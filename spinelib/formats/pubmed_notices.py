"""Retraction and concern notices in PubMed efetch XML, for re-checking stored PMIDs.

Pure: :func:`parse_notices` reads an efetch ``PubmedArticleSet`` (through defusedxml) and
returns, per PMID, the notices PubMed records: the publication type *Retracted
Publication*, and ``CommentsCorrections`` with ``RefType="RetractionIn"`` or
``"ExpressionOfConcernIn"`` (their ``RefSource`` is kept as the reason text, their PMID as
the notice). ``ErratumIn`` is a correction, not a flag, and is left out. Every PMID in the
reply gets an entry, so "PubMed has nothing against it" is distinguishable from "not asked".

A notice's date (issue 17) is read from what PubMed gives: the ``RefSource`` citation of the
notice ("Spine J. 2024 Mar 29;24(3):555. doi: …": a month without a day is its first day,
a year alone is no date),
and, better, the notice's own record once fetched (:func:`notice_records`: its electronic
``ArticleDate``, else the issue's ``PubDate``, and its DOI), which :func:`dated` applies.
The original article's record holds no retraction date: a *Retracted Publication* type
without a ``RetractionIn`` stays undated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from spinelib.errors import FormatError
from spinelib.formats.pubmed_xml_values import article_ids, pub_date
from spinelib.safety_results import Nature, Notice, NoticeSource
from spinelib.text import month_from_prefix

#: CommentsCorrections RefType -> the nature it gives the article that carries it.
REF_NATURES: dict[str, Nature] = {
    "RetractionIn": Nature.RETRACTION,
    "ExpressionOfConcernIn": Nature.CONCERN,
}
RETRACTED_TYPE = "retracted publication"
#: The date in a RefSource citation: after the journal's ". ", a year, then optionally a
#: month word (or a season/range, whose first month counts) and a day.
_REFSOURCE_DATE = re.compile(r"(?:^|\.\s)((?:19|20)\d\d)(?:\s+([A-Za-z]{3,})(?:[-/][A-Za-z]+)?"
                             r"(?:\s+(\d{1,2}))?)?\s*(?:[;:.]|$)")


@dataclass(frozen=True)
class NoticeRecord:
    """What a notice's own PubMed record says about it: its date (ISO) and DOI."""

    date: str | None
    doi: str


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """``YYYY-MM-DD`` from parts, a missing day counting as the first; None without a
    year and a month (a year alone would claim a 1 January nobody said) or for an
    impossible month."""
    if year is None or month is None:
        return None
    try:
        return date(year, month, day or 1).isoformat()
    except ValueError:
        return date(year, month, 1).isoformat() if 1 <= month <= 12 else None


def refsource_date(text: str) -> str | None:
    """The publication date in a CommentsCorrections ``RefSource`` ("Spine. 2024 Mar 29",
    "Biochim Biophys Acta Mol Cell Res. 2021 Mar;1868(3):118918."), or None."""
    m = _REFSOURCE_DATE.search(text)
    if m is None:
        return None
    month = month_from_prefix(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) and month else None
    return iso_date(int(m.group(1)), month, day)


def _root(data: bytes) -> Element:
    try:
        root: Element = SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises its own types besides ParseError
        raise FormatError(f"PubMed's answer is not readable XML ({type(exc).__name__})") from None
    if root.tag != "PubmedArticleSet":
        raise FormatError(f"PubMed answered with <{root.tag}>, not a PubmedArticleSet")
    return root


def notice_records(data: bytes) -> dict[str, NoticeRecord]:
    """PMID -> date and DOI of each record in an efetch reply of notices: the electronic
    ``ArticleDate`` when PubMed has one (the day the notice appeared), else the journal
    issue's ``PubDate``. FormatError as :func:`parse_notices`."""
    out: dict[str, NoticeRecord] = {}
    for article in _root(data).findall("PubmedArticle"):
        citation = article.find("MedlineCitation")
        if citation is None or not (pmid := _text(citation.find("PMID"))).isdigit():
            continue
        electronic = [d for d in citation.findall("Article/ArticleDate")
                      if d.get("DateType", "Electronic") == "Electronic"]
        when = iso_date(*pub_date(electronic[0])) if electronic else None
        when = when or iso_date(*pub_date(citation.find("Article/Journal/JournalIssue/PubDate")))
        out[pmid] = NoticeRecord(when, article_ids(article.find(
            "PubmedData/ArticleIdList")).get("doi", ""))
    return out


def notice_pmid(notice: Notice) -> str:
    """The notice's PMID, as :func:`parse_notices` records it among the reasons ('' if
    PubMed gave none)."""
    return next((r.removeprefix("notice PMID ") for r in notice.reasons
                 if r.startswith("notice PMID ")), "")


def dated(notices: list[Notice], records: dict[str, NoticeRecord]) -> list[Notice]:
    """``notices`` with the date (and a missing DOI) of each one's fetched record, where the
    record has them; the RefSource date stays otherwise."""
    out = []
    for n in notices:
        found = records.get(notice_pmid(n))
        if found is not None:
            n = replace(n, date=found.date or n.date, notice_doi=n.notice_doi or found.doi)
        out.append(n)
    return out


def _text(el: Element | None) -> str:
    return "" if el is None else " ".join("".join(el.itertext()).split())


def parse_notices(data: bytes) -> dict[str, list[Notice]]:
    """PMID -> PubMed's retraction and concern notices for it ([] when none).

    Raises FormatError for a reply that is not an efetch PubmedArticleSet (an HTML page,
    an ``<ERROR>``, truncated XML, entity declarations)."""
    out: dict[str, list[Notice]] = {}
    for article in _root(data).findall("PubmedArticle"):
        citation = article.find("MedlineCitation")
        if citation is None:
            continue
        pmid = _text(citation.find("PMID"))
        if not pmid.isdigit():
            continue
        notices: list[Notice] = []
        for comment in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
            nature = REF_NATURES.get(comment.get("RefType", ""))
            if nature is None:
                continue
            source_text = _text(comment.find("RefSource"))
            notice_pmid = _text(comment.find("PMID"))
            reasons = tuple(r for r in (source_text,
                                        f"notice PMID {notice_pmid}" if notice_pmid else "")
                            if r)
            notices.append(Notice(nature, NoticeSource.PUBMED, refsource_date(source_text),
                                  reasons))
        types = {_text(p).casefold() for p in
                 citation.findall("Article/PublicationTypeList/PublicationType")}
        if RETRACTED_TYPE in types and not any(n.nature is Nature.RETRACTION for n in notices):
            notices.append(Notice(Nature.RETRACTION, NoticeSource.PUBMED, None,
                                  ("publication type: Retracted Publication",)))
        out[pmid] = notices
    return out
