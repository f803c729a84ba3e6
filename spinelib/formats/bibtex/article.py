"""The ``@article`` entry written in one pass: nine entries in ten of a spine-oncology export.

:func:`spinelib.formats.bibtex.fields.fields` is the specification of every entry: (name,
value) pairs, blank ones dropped, then laid out by :func:`spinelib.formats.bibtex.emit.entry_text`.
For an ``@article`` (which has no publisher, place, institution or type fields) this module
writes the very same text with less work per field (issue 19: export at its floor):

* a field whose value recurs across the export (the journal and its abbreviation, the date,
  the volume, the issue, the ISSN) is encoded *and laid out* once per distinct value, then
  reused as finished text;
* the other fields are laid out in one list and joined once, with no (name, value) pairs,
  no per-group function calls and no second pass to drop blanks.

Promises: :meth:`ArticleEntries.entry` returns exactly ``entry_text("article", key,
fields(record, ...))`` for every record whose entry type is ``article``
(``tests/core/test_bibtex_fastpaths.py`` checks it over hostile records, the golden test
byte for byte); its caches live as long as one export.
"""

from __future__ import annotations

from typing import Any

from spinelib.accessed import valid_accessed
from spinelib.formats.bibtex.emit import Memo, OnFirstLookup, fields_text
from spinelib.formats.bibtex.encode import (
    encode_file_field,
    encode_long_text,
    encode_title,
    encode_verbatim,
)
from spinelib.formats.bibtex.fields import (
    author_fields,
    date_fields,
    date_text_of,
    eprint_fields,
    journal_title_case,
    page_range,
)
from spinelib.pubstate import stored_state
from spinelib.records import ArticleRecord


def laid_out(pairs: list[tuple[str, str]]) -> str:
    """Fields as :func:`entry_text` lays them out, blank values dropped ('' when none is
    left)."""
    return fields_text([(name, value) for name, value in pairs if value.strip()])


class ArticleEntries:
    """Writes ``@article`` entries for one export (see the module docstring)."""

    def __init__(self, memo: Memo, biblatex: bool, abstracts: bool) -> None:
        self.memo = memo
        self.biblatex = biblatex
        self.abstracts = abstracts
        text = memo.text
        journal = "journaltitle" if biblatex else "journal"
        #: (journal, abbreviation) -> "journal = {…},\n  shortjournal = {…}" (blanks left out).
        self._journal = OnFirstLookup[Any](lambda names: laid_out([
            (journal, memo.journal(names[0], journal_title_case)),
            ("shortjournal", text(names[1]))])).__getitem__
        #: (year, month, day, date text) -> the date fields, written as made (never dropped).
        self._date = OnFirstLookup[Any](lambda when: fields_text(date_fields(
            when[0], when[1], when[2], when[3], biblatex))).__getitem__
        self._volume = OnFirstLookup[Any](lambda v: laid_out([("volume", text(v))])).__getitem__
        self._number = OnFirstLookup[Any](lambda v: laid_out([("number", text(v))])).__getitem__
        self._issn = OnFirstLookup[Any](lambda v: laid_out([("issn", text(v))])).__getitem__

    def entry(self, record: ArticleRecord, key: str) -> str:
        """The entry of ``record`` (whose entry type is ``article``) under ``key``."""
        r = record
        ascii_only = not self.biblatex
        memo = self.memo
        names = memo.authors(r.authors)
        editors = memo.authors(r.editors) if r.editors else ""
        title = encode_title(r.title, ascii_only=ascii_only)
        doi = encode_verbatim(r.doi)
        url = encode_verbatim(r.url)
        urldate = valid_accessed(r.accessed) if r.accessed else ""
        keywords = memo.merged_keywords(r.tags, r.keywords)
        note = encode_long_text(r.notes, ascii_only=ascii_only)
        # Page ranges are nearly all distinct: encoded directly (page_range remembers the
        # expansion), not laid out through a per-export dict.
        pages = page_range(r.pages, memo.text)
        parts = [
            f"author = {{{names}}}" if names.strip() else self._no_author(r),
            # (Without an author's name, _no_author wrote the editors with the key.)
            f"editor = {{{editors}}}" if editors.strip() and names.strip() else "",
            f"title = {{{title}}}" if title.strip() else "",
            self._journal((r.journal, r.journal_abbrev)),
            self._date((r.year, r.month, r.day, date_text_of(r, self.biblatex))),
            self._volume(r.volume), self._number(r.issue),
            f"pages = {{{pages}}}" if pages.strip() else "",
            self._pubstate(r) if self.biblatex else "",
            f"doi = {{{doi}}}" if doi.strip() else "",
            self._identifiers(r),
            self._issn(r.issn),
            f"url = {{{url}}}" if url.strip() else "",
            f"urldate = {{{urldate}}}" if urldate else "",
            f"keywords = {{{keywords}}}" if keywords.strip() else "",
            self._abstract(r) if self.abstracts else "",
            # The reader's notes: `annote`, which reference lists leave out (BibTeX's own
            # styles print `note` under the entry), as Zotero and Mendeley export them.
            f"annote = {{{note}}}" if note.strip() else "",
            laid_out([("file", encode_file_field(r.files))]) if r.files else "",
        ]
        body = ",\n  ".join(filter(None, parts))
        return f"@article{{{key},\n  {body}\n}}\n" if body else f"@article{{{key},\n}}\n"

    def _no_author(self, record: ArticleRecord) -> str:
        """BibTeX's ``key`` field when no author has a name (the rare case: written by the
        general code)."""
        return laid_out(author_fields(record, self.biblatex, self.memo))

    def _pubstate(self, record: ArticleRecord) -> str:
        if not (record.pubstate or record.type == "preprint"):
            return ""
        return laid_out([("pubstate", self.memo.text(stored_state(record.pubstate)
                                                      or "prepublished"))])

    def _identifiers(self, record: ArticleRecord) -> str:
        """PMID and PMCID: BibTeX's own fields, or biblatex's ``eprint``."""
        if self.biblatex:
            return laid_out(eprint_fields(record))
        pmid = encode_verbatim(record.pmid)
        pmcid = encode_verbatim(record.pmcid)
        if pmcid.strip():
            return f"pmid = {{{pmid}}},\n  pmcid = {{{pmcid}}}" if pmid.strip() \
                else f"pmcid = {{{pmcid}}}"
        return f"pmid = {{{pmid}}}" if pmid.strip() else ""

    def _abstract(self, record: ArticleRecord) -> str:
        text = encode_long_text(record.abstract, ascii_only=not self.biblatex)
        return f"abstract = {{{text}}}" if text.strip() else ""
