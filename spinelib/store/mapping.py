"""The one mapping between :class:`~spinelib.records.ArticleRecord` and ``article`` rows.

Identifiers are stored normalised (DOI lower-case) and NULL when unknown, so the UNIQUE
constraints hold for known values only; list fields are JSON text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry, initials_of


def utcnow() -> str:
    """Timestamps are ISO-8601 UTC text: sortable, readable, timezone-free in SQL."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: What an ASCII title's key leaves out (everything but lower-case letters and digits).
_NOT_ASCII_KEY = re.compile(r"[^a-z0-9]+")


def title_key(title: str) -> str:
    """Letters and digits of a title, diacritics folded: the fuzzy dedupe key."""
    if title.isascii():
        # The same key, about 10x faster (a bulk import computes one per record): for ASCII
        # text casefold() is lower(), NFKD changes nothing and nothing is combining.
        return _NOT_ASCII_KEY.sub("", title.lower())
    folded = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def json_list(value: str | None) -> list[Any]:
    """A stored JSON list; anything else (damaged text, another type) reads as []."""
    try:
        data = json.loads(value or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def record_values(rec: ArticleRecord) -> dict[str, Any]:
    """The bibliographic ``article`` columns for ``rec`` (schema.ARTICLE_RECORD_COLUMNS)."""
    first = first_author_text(rec.authors, rec.editors)
    return {
        "title": rec.title, "title_sort": rec.title.casefold(),
        "title_key": title_key(rec.title), "abstract": rec.abstract,
        "journal": rec.journal, "journal_abbrev": rec.journal_abbrev, "issn": rec.issn,
        "year": rec.year, "month": rec.month, "day": rec.day, "volume": rec.volume,
        "issue": rec.issue, "pages": rec.pages, "type": rec.type or "article",
        "language": rec.language, "publisher": rec.publisher, "book_title": rec.book_title,
        "url": rec.url, "publication_types": json.dumps(rec.publication_types),
        "mesh": json.dumps([m.__dict__ for m in rec.mesh]),
        "keywords": json.dumps(rec.keywords), "first_author": first,
        "author_count": len(rec.authors), "source": rec.source,
        "retracted": rec.retracted, "has_erratum": rec.has_erratum,
        "report_number": rec.report_number, "institution": rec.institution,
        "place": rec.place, "date_text": rec.date_text, "pubstate": rec.pubstate,
        "accessed": rec.accessed, "editors": editors_json(rec.editors),
        "edition": rec.edition, "isbn": rec.isbn,
    }


def first_author_text(authors: list[Author], editors: list[Author]) -> str:
    """The ``first_author`` column (the table's First author, its sort): the first author as
    Vancouver names them ("Patchell RA"); for an edited book without authors its first
    editor, said so ("Benzel EC et al. (eds.)"), as Zotero's Creator column names one."""
    if authors:
        return authors[0].display()
    if not editors:
        return ""
    return editors[0].display() + (" et al. (eds.)" if len(editors) > 1 else " (ed.)")


def editors_json(editors: list[Author]) -> str:
    """The ``editors`` column: a JSON list of CSL-like names (``family``/``given``/
    ``suffix``, or ``literal`` for a group), '' for none, so a merge fills it as it fills
    any empty text column and a row written before the column existed reads the same."""
    if not editors:
        return ""
    names = [{"literal": e.collective} if e.is_collective else
             {k: v for k, v in (("family", e.family), ("given", e.given),
                                ("suffix", e.suffix)) if v} for e in editors]
    return json.dumps(names, ensure_ascii=False)


def editors_from_json(value: str | None) -> list[Author]:
    """The editors an ``editors`` column holds (damaged text reads as none)."""
    out: list[Author] = []
    for name in json_list(value):
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            out.append(Author(collective=str(name["literal"])))
        elif name.get("family"):
            given = str(name.get("given", ""))
            out.append(Author(family=str(name["family"]), given=given,
                              initials=initials_of(given), suffix=str(name.get("suffix", ""))))
    return out


def author_rows(article_id: int, authors: list[Author]) -> list[tuple[Any, ...]]:
    """``author`` rows in schema.AUTHOR_COLUMNS order: positional, as SQLite binds them
    fastest (a bulk import writes tens of thousands of rows a batch)."""
    return [(article_id, i, au.family, au.given, au.initials, au.collective, au.orcid,
             au.suffix) for i, au in enumerate(authors)]


def reference_rows(article_id: int, refs: list[ReferenceEntry]) -> list[tuple[Any, ...]]:
    """``reference`` rows in schema.REFERENCE_COLUMNS order (positional, as authors)."""
    return [(article_id, r.position, r.citation, r.doi.lower() or None, r.pmid or None,
             r.pmcid or None) for r in refs]


def record_from_row(row: Mapping[str, Any], authors: list[Author], refs: list[ReferenceEntry],
                    tags: list[str], *, with_mesh: bool = True) -> ArticleRecord:
    """An ``article`` row (with its authors, references and confirmed tags) as a record;
    ``with_mesh=False`` leaves its MeSH headings undecoded (``mesh`` empty)."""
    mesh = [MeshHeading(ui=m.get("ui", ""), name=m.get("name", ""),
                        major=bool(m.get("major")), qualifiers=list(m.get("qualifiers", [])))
            for m in json_list(row["mesh"]) if isinstance(m, dict)] if with_mesh else []
    return ArticleRecord(
        title=row["title"], authors=authors, journal=row["journal"],
        journal_abbrev=row["journal_abbrev"], issn=row["issn"], year=row["year"],
        month=row["month"], day=row["day"], volume=row["volume"], issue=row["issue"],
        pages=row["pages"], doi=row["doi"] or "", pmid=row["pmid"] or "",
        pmcid=row["pmcid"] or "", abstract=row["abstract"], language=row["language"],
        type=row["type"], publication_types=json_list(row["publication_types"]),
        mesh=mesh, keywords=json_list(row["keywords"]), references=refs,
        retracted=bool(row["retracted"]), has_erratum=bool(row["has_erratum"]),
        publisher=row["publisher"], book_title=row["book_title"], url=row["url"],
        source=row["source"], citekey=row["citekey"], tags=tags, notes=row["notes"],
        report_number=row["report_number"], institution=row["institution"],
        place=row["place"], date_text=row["date_text"], pubstate=row["pubstate"],
        accessed=row["accessed"], editors=editors_from_json(row["editors"]),
        edition=row["edition"], isbn=row["isbn"])
