"""The one description of the library's tables and columns, as the store's code uses them.

The DDL of each schema version is frozen in the engine's migrations; this module names what
the queries read and write, so a column is listed here once instead of in every statement.
"""

from __future__ import annotations

#: Bibliographic columns of ``article`` written from a record (:mod:`spinelib.store.mapping`).
ARTICLE_RECORD_COLUMNS: tuple[str, ...] = (
    "title", "title_sort", "title_key", "abstract", "journal", "journal_abbrev", "issn", "year",
    "month", "day", "volume", "issue", "pages", "type", "language", "publisher", "book_title",
    "url", "publication_types", "mesh", "keywords", "first_author", "author_count", "source",
    "retracted", "has_erratum", "report_number", "institution", "place", "date_text", "pubstate",
    "accessed", "editors", "edition", "isbn",
)
#: Columns the library sets itself or the user owns.
ARTICLE_OWN_COLUMNS: tuple[str, ...] = (
    "citekey", "doi", "pmid", "pmcid", "added_at", "updated_at", "notes", "read_status", "rating",
)
#: Every column of ``article`` but its id, in insert order.
ARTICLE_COLUMNS: tuple[str, ...] = ARTICLE_RECORD_COLUMNS + ARTICLE_OWN_COLUMNS
#: Identifier columns: unique when known, NULL when not.
IDENTIFIER_COLUMNS: tuple[str, ...] = ("doi", "pmid", "pmcid")
#: Columns an incoming record may fill when they are empty (a merge never overwrites).
FILLABLE: tuple[str, ...] = (
    "title", "abstract", "journal", "journal_abbrev", "issn", "year", "month", "day", "volume",
    "issue", "pages", "language", "publisher", "book_title", "url", "report_number",
    "institution", "place", "date_text", "pubstate", "accessed", "editors",
    "edition", "isbn",
)
#: Columns that hold JSON lists (read whole with the article, searched through the index).
JSON_LIST_COLUMNS: tuple[str, ...] = ("publication_types", "mesh", "keywords")
AUTHOR_COLUMNS: tuple[str, ...] = (
    "article_id", "position", "family", "given", "initials", "collective", "orcid", "suffix",
)
REFERENCE_COLUMNS: tuple[str, ...] = (
    "article_id", "position", "citation", "doi", "pmid", "pmcid",
)
#: Tables checked when a library is opened (their root pages, not every row).
CORE_TABLES: tuple[str, ...] = ("article", "author", "tag", '"reference"', "article_fts")
#: The table sort keys offered to faces -> SQL expression (NOCASE added by the dialect).
SORTS: dict[str, tuple[str, bool]] = {
    "added": ("a.added_at", False),
    "first_author": ("a.first_author", True),
    "year": ("a.year", False),
    "title": ("a.title_sort", False),
    "journal": ("a.journal", True),
    "read_status": ("a.read_status", False),
    "rating": ("a.rating", False),
    # Issue 17: the best citation count known (Crossref or Europe PMC), unknown last.
    "citations": ("coalesce((SELECT max(c.count) FROM citation_count c "
                  "WHERE c.article_id = a.id), -1)", False),
}
