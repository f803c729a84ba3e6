"""Scopus's CSV export read as records: a systematic review's search, imported offline with
its abstracts and reference lists.

Why records and not identifiers: the file holds the whole record (authors, journal,
abstract, keywords, the cited works), so a surgeon importing it on a plane has it all at
once, and the rows with no DOI or PubMed ID (a conference paper, an older chapter) are
imported too, not skipped; the same search exported as RIS or BibTeX reads the same way
(:mod:`spinelib.formats.scopus`). A CSV whose header is not a Scopus export's is still
a list of identifiers (:mod:`spinelib.identifierfiles`).

The columns, as Scopus names them (its user chooses which to export; only "Title",
"Source title" and "EID" are always there, :mod:`spinelib.formats.sniff`): "Authors"
("Gong B.; Wang L.") and "Author full names" ("Gong, Bin (57321683800); …"), "Year",
"Source title" (the journal, or the book or proceedings of a chapter or conference paper),
"Abbreviated Source Title", "Volume", "Issue", "Art. No.", "Page start", "Page end", "DOI",
"PubMed ID", "ISSN" (eight digits, no hyphen), "Abstract" ("[No abstract available]" when
none), "Author Keywords" and "Index Keywords" (joined by "; "), "References" (the cited
works joined by "; "), "Document Type", "Publication Stage", "Publisher", "Language of
Original Document", "Conference location", "Link".
"""

from __future__ import annotations

import re

from spinelib.formats.common import ReadResult, RecordReading, record_place
from spinelib.formats.csvtable import read_csv_table
from spinelib.formats.scopus import (
    ScopusFields,
    joined_values,
    read_scopus_fields,
    scopus_issn,
)
from spinelib.isbn import first_isbn
from spinelib.records import ArticleRecord, Author, initials_of
from spinelib.text import expand_page_range, one_line

#: What Scopus writes in a cell it has nothing for.
_NOTHING_RE = re.compile(r"^\[No [a-z ]+ available\]$", re.I)
#: A full name's Scopus author ID: "Gong, Bin (57321683800)".
_AUTHOR_ID_RE = re.compile(r"\s*\(\d+\)\s*$")
#: Scopus's own fields as its CSV names them.
FIELDS = ScopusFields(document_type="Document Type", abbreviation="Abbreviated Source Title",
                      article_number="Art. No.", stage="Publication Stage",
                      author_keywords="Author Keywords", index_keywords="Index Keywords",
                      references="References")


class _Row:
    """One row's cells by column name ('' for a column the export lacks)."""

    def __init__(self, columns: dict[str, int], cells: list[str]) -> None:
        self._columns = columns
        self._cells = cells

    def text(self, column: str) -> str:
        """The cell on one line, '' when absent or Scopus's "[No … available]"."""
        at = self._columns.get(column)
        value = one_line(self._cells[at]) if at is not None and at < len(self._cells) else ""
        return "" if _NOTHING_RE.match(value) else value

    def items(self, column: str) -> list[str]:
        """The cell's "; "-joined values."""
        return joined_values(self.text(column))


def _authors(row: _Row) -> list[Author]:
    """Full names ("Family, Given (id)") with the short list's initials, else the short
    list ("Family I.J."); a name without a comma or initials is a group."""
    short = row.items("Authors")
    full = row.items("Author full names")
    authors: list[Author] = []
    for n, name in enumerate(full or short):
        if full:
            family, _, given = (p.strip() for p in _AUTHOR_ID_RE.sub("", name).partition(","))
            initials = _short_name(short[n])[1] if len(short) == len(full) else ""
            authors.append(Author(family=family, given=given,
                                  initials=initials or initials_of(given)))
            continue
        authors.append(_short_author(name))
    return authors


def _short_author(name: str) -> Author:
    """A name of the short lists ("Gong B.", "Benzel E.C."); one without initials is a
    group's."""
    family, initials = _short_name(name)
    return Author(family=family, initials=initials) if initials else Author(collective=name)


def _short_name(name: str) -> tuple[str, str]:
    """("Gong", "B") of "Gong B."; (name, "") when it ends in no initials (a group)."""
    family, _, last = name.rstrip().rpartition(" ")
    if family and re.fullmatch(r"(?:[^\W\d_]{1,2}[.-]+)+", last):
        return family, initials_of(last)
    return name, ""


class _RowReader(RecordReading[_Row]):
    def record(self) -> ArticleRecord | None:
        row = self.raw
        rec = ArticleRecord(source="scopus")
        rec.title = row.text("Title")
        rec.authors = _authors(row)
        # The "Editors" column ("Benzel E.C.; Fehlings M.G."): a book's or proceedings'.
        rec.editors = [_short_author(n) for n in row.items("Editors")]
        rec.isbn = first_isbn(row.items("ISBN"))
        year = row.text("Year")
        rec.year = int(year) if year.isdigit() and 1000 <= int(year) <= 2999 else None
        rec.journal = row.text("Source title")  # a book's or proceedings' (below)
        rec.volume, rec.issue = row.text("Volume"), row.text("Issue")
        first, last = row.text("Page start"), row.text("Page end")
        rec.pages = expand_page_range(f"{first}-{last}" if first and last else first)
        rec.doi = self.ident("doi", row.text("DOI"))
        rec.pmid = self.ident("pmid", row.text("PubMed ID"))
        rec.issn = scopus_issn(row.text("ISSN"))
        rec.abstract = row.text("Abstract")
        rec.publisher = row.text("Publisher")
        rec.language = row.text("Language of Original Document")
        rec.url = row.text("Link")
        read_scopus_fields(rec, row.text, FIELDS)
        rec.place = row.text("Conference location") if rec.type == "conference" else ""
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: neither a title nor a DOI or PubMed ID "
                                 "(skipped)")
            return None
        return rec


def read_scopus_csv(text: str, source_name: str = "(text)") -> ReadResult:
    """The records of a Scopus CSV export, one a row; a row that cannot be imported is
    named by its number and line."""
    table = read_csv_table(text, source_name)
    columns: dict[str, int] = {}
    for at, name in enumerate(table.header):
        columns.setdefault(name.strip().lstrip("\ufeff").strip('"'), at)
    return ReadResult.of_records(
        (_RowReader(_Row(columns, cells), record_place(source_name, number, line)).read()
         for number, (line, cells) in enumerate(table.rows, 1)),
        f"{source_name} has no Scopus records")
