"""Library values as JSON objects and short display text (the faces' shared presentation).

The ``show --json`` object and the row text are documented in the README; their shapes are
stable. Kept out of the queries so the store returns data and the faces decide how it reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spinelib.records import Author
from spinelib.results import Row

if TYPE_CHECKING:
    from spinelib.library import Library


def first_author_label(first_author: str, author_count: int) -> str:
    """"Patchell RA et al." for several authors, the name alone for one."""
    return first_author + (" et al." if author_count > 1 else "")


def row_author(row: Row) -> str:
    return first_author_label(row.first_author, row.author_count)


def article_json(lib: Library, article_id: int) -> dict[str, Any]:
    """The stable ``show --json`` object of one article."""
    rec = lib.articles.record(article_id)
    state = lib.articles.state(article_id)
    tags = lib.tags.state(article_id)
    return {
        "id": article_id, "citekey": rec.citekey, "doi": rec.doi or None,
        "pmid": rec.pmid or None, "pmcid": rec.pmcid or None, "title": rec.title,
        "authors": _people(rec.authors),
        "journal": rec.journal, "journal_abbrev": rec.journal_abbrev,
        # A chapter's book, its editors, edition and ISBN ("", [], "", "" for an article).
        "book_title": rec.book_title, "editors": _people(rec.editors),
        "edition": rec.edition, "isbn": rec.isbn,
        # A book's or report's publisher and place, a thesis's school or a report's issuer
        # and a report's number ("" if none): fields `edit` sets.
        "publisher": rec.publisher, "place": rec.place, "institution": rec.institution,
        "report_number": rec.report_number, "year": rec.year,
        # The record's own web address as a file gave it ("" if none): a guideline's page,
        # and when it was read (ISO, "" if not said).
        "url": rec.url, "accessed": rec.accessed,
        "pubstate": rec.pubstate or None, "month": rec.month, "volume": rec.volume,
        "issue": rec.issue, "pages": rec.pages,
        "type": rec.type, "issn": rec.issn, "language": rec.language,
        "abstract": rec.abstract,
        "mesh": [{"ui": m.ui, "name": m.name, "major": m.major} for m in rec.mesh],
        "keywords": rec.keywords, "publication_types": rec.publication_types,
        "tags": [t.id for t in tags.tags],
        "tag_labels": {t.id: t.label for t in tags.tags},
        "suggested_tags": [{"id": t.id, "label": t.label, "reason": t.reason}
                           for t in tags.suggested],
        "facets": [{"facet": f.facet, "value": f.value, "reason": f.reason}
                   for f in lib.articles.facets(article_id)],
        "references": [{"position": r.position, "citation": r.citation, "doi": r.doi,
                        "pmid": r.pmid, "in_library": r.in_library}
                       for r in lib.articles.references(article_id)],
        "cited_by": [lib.articles.citekey(i) for i in lib.articles.cited_by(article_id)],
        "retracted": rec.retracted, "has_erratum": rec.has_erratum,
        **safety_json(lib, article_id),
        "read_status": state.read_status.label,
        "rating": state.rating, "lists": lib.lists.of_article(article_id),
        "notes": rec.notes, "added_at": state.added_at,
        "updated_at": state.updated_at,
    }


def _people(people: list[Author]) -> list[dict[str, str]]:
    """Authors or editors: ``{"family", "given"}`` (plus ``"orcid"``) or ``{"collective"}``."""
    return [{"collective": a.collective} if a.is_collective else
            {"family": a.family, "given": a.given, **({"orcid": a.orcid} if a.orcid else {})}
            for a in people]


def safety_json(lib: Library, article_id: int) -> dict[str, Any]:
    """``retraction``, ``cites_retracted`` and ``citation_counts`` of ``show --json``."""
    flag = lib.retractions.flag(article_id)
    return {
        "retraction": None if flag is None else {
            "nature": flag.nature.value, "date": flag.date, "reasons": list(flag.reasons),
            "notice_doi": flag.notice_doi or None, "source": flag.source.value},
        "cites_retracted": [{"position": c.position, "doi": c.doi or None,
                             "pmid": c.pmid or None, "nature": c.nature.value}
                            for c in lib.retractions.cites(article_id)],
        "citation_counts": [{"source": c.source, "count": c.count, "date": c.counted_at}
                            for c in lib.retractions.citation_counts(article_id)],
    }
