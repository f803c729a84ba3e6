"""Retraction and concern notices in PubMed efetch XML, for re-checking stored PMIDs.

Pure: :func:`parse_notices` reads an efetch ``PubmedArticleSet`` (through defusedxml) and
returns, per PMID, the notices PubMed records: the publication type *Retracted
Publication*, and ``CommentsCorrections`` with ``RefType="RetractionIn"`` or
``"ExpressionOfConcernIn"`` (their ``RefSource`` is kept as the reason text, their PMID as
the notice). ``ErratumIn`` is a correction, not a flag, and is left out. Every PMID in the
reply gets an entry, so "PubMed has nothing against it" is distinguishable from "not asked".
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from spinelib.errors import FormatError
from spinelib.safety_results import Nature, Notice, NoticeSource

#: CommentsCorrections RefType -> the nature it gives the article that carries it.
REF_NATURES: dict[str, Nature] = {
    "RetractionIn": Nature.RETRACTION,
    "ExpressionOfConcernIn": Nature.CONCERN,
}
RETRACTED_TYPE = "retracted publication"


def _text(el: Element | None) -> str:
    return "" if el is None else " ".join("".join(el.itertext()).split())


def parse_notices(data: bytes) -> dict[str, list[Notice]]:
    """PMID -> PubMed's retraction and concern notices for it ([] when none).

    Raises FormatError for a reply that is not an efetch PubmedArticleSet (an HTML page,
    an ``<ERROR>``, truncated XML, entity declarations)."""
    try:
        root = SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises its own types besides ParseError
        raise FormatError(f"PubMed's answer is not readable XML ({type(exc).__name__})") from None
    if root.tag != "PubmedArticleSet":
        raise FormatError(f"PubMed answered with <{root.tag}>, not a PubmedArticleSet")
    out: dict[str, list[Notice]] = {}
    for article in root.findall("PubmedArticle"):
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
            notices.append(Notice(nature, NoticeSource.PUBMED, None, reasons))
        types = {_text(p).casefold() for p in
                 citation.findall("Article/PublicationTypeList/PublicationType")}
        if RETRACTED_TYPE in types and not any(n.nature is Nature.RETRACTION for n in notices):
            notices.append(Notice(Nature.RETRACTION, NoticeSource.PUBMED, None,
                                  ("publication type: Retracted Publication",)))
        out[pmid] = notices
    return out
