"""Reading BibTeX and BibLaTeX through bibtexparser 2.x into records.

``read_bibtex`` reads either dialect: ``@string`` macros and ``#`` concatenation resolved,
month macros to numbers, LaTeX decoded to Unicode (:mod:`spinelib.formats.bibtex.decode`),
names split into family/given (a name that is one brace group, ``{Canadian Respiratory
Research Network}``, is a collective author), ``--`` in pages to ``-``, DOI/PMID/PMCID
normalised (invalid ones dropped and reported), ``keywords`` split on top-level commas or
semicolons into ``record.keywords``. Blocks bibtexparser cannot parse are reported by line
and skipped; the rest import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from bibtexparser import model
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
)

from spinelib.citekeys import is_valid_citekey
from spinelib.edition import edition_of
from spinelib.errors import InvalidIdentifier
from spinelib.formats.bibtex.decode import (
    decode_latex,
    decode_line,
    decode_long,
    unescape_verbatim,
)
from spinelib.formats.bibtex.entries import (
    PLACEHOLDER,
    KeyLedger,
    add_missing_keys,
    failed_message,
    inherit_crossref,
    resolve_concat,
)
from spinelib.formats.bibtex.groups import GroupTree, read_group_tree, users_marks
from spinelib.formats.bibtex.names import read_authors, split_top_level, unbraced
from spinelib.formats.bibtex.quicksplit import QuickSplitter
from spinelib.formats.bibtex.scopus import is_scopus, scopus_entry_fields
from spinelib.formats.common import ReadResult, RecordReading, keep_accessed, keep_state
from spinelib.formats.entities import decode_entities_in_latex
from spinelib.formats.linkpaths import bibtex_file_paths
from spinelib.formats.richtext import strip_latex_markup
from spinelib.formats.wos import WOS_ID_RE, journal_from_capitals
from spinelib.identifiers import is_identifier_link, parse_identifier
from spinelib.isbn import first_isbn
from spinelib.pubstate import state_key, stored_state, year_and_state
from spinelib.records import ArticleRecord
from spinelib.text import expand_page_range, normalise_newlines, parse_month, valid_day

# bibtexparser logs every block it cannot parse; we report those ourselves (with line and
# reason), so keep its messages out of the user's terminal unless logging is configured.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())


_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

_TYPE_MAP = {
    "article": "article",
    "book": "book", "mvbook": "book", "booklet": "book", "collection": "book",
    "inbook": "chapter", "incollection": "chapter", "inreference": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
    "inproceedings": "conference", "conference": "conference",
    "proceedings": "proceedings", "mvproceedings": "proceedings",
    "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "online": "webpage", "electronic": "webpage", "www": "webpage",
}
#: What a thesis entry type says about the degree, kept in ``publication_types``.
THESIS_KINDS = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis",
                "mathesis": "Master's thesis"}  # the last: biblatex's type = {mathesis}
#: A date year/month/day hold whole; any other ``date`` (EDTF) is kept as written.
_PLAIN_DATE_RE = re.compile(r"\s*\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?\s*")


#: Fields read as written, where a "<" is never markup (a SICI DOI holds "<1114::aid-…>").
_VERBATIM_FIELDS = frozenset({"doi", "url", "file", "eprint", "pmid", "pmcid", "isbn", "issn",
                              "howpublished", "urldate"})


class _EntryReader(RecordReading[model.Entry]):
    """Turns one parsed entry into an ArticleRecord, noting problems against its line."""

    def __init__(self, entry: model.Entry, strings: dict[str, str], where: str, *,
                 raw_values: bool = False) -> None:
        """``raw_values``: the entry skipped the middlewares (bibtexparser's duplicate-key
        block), so every value still has its braces, quotes and macros."""
        super().__init__(entry, where)
        self.fields: dict[str, str] = {}
        #: The key the record keeps ("" gives it a new one in the library).
        self.key = entry.key
        for f in entry.fields:
            key = f.key.lower()
            if key in self.fields:
                continue
            value = f.value if isinstance(f.value, str) else str(f.value)
            if raw_values or f.enclosing == "no-enclosing":
                value = resolve_concat(value, strings)
            value = decode_entities_in_latex(value)
            # Zotero's and Mendeley's <i>, <sup> in a title or abstract: the text is kept.
            if key not in _VERBATIM_FIELDS and ("<" in value or "{\\textless}" in value):
                value = strip_latex_markup(value)
            self.fields[key] = normalise_newlines(value)

    def get(self, *names: str) -> str:
        for n in names:
            if self.fields.get(n, "").strip():
                return self.fields[n]
        return ""

    def ident(self, kind: str, value: str, *, quiet: bool = False) -> str:
        """:meth:`RecordReading.ident` of a field as written (``\\_`` in a verbatim DOI)."""
        return super().ident(kind, unescape_verbatim(value), quiet=quiet)

    def record(self) -> ArticleRecord | None:
        """The entry as a record; None (noted in ``problems``) when nothing identifies it."""
        g = self.get
        rec = ArticleRecord(source="bibtex")
        etype = self.raw.entry_type.lower()
        self._kind(rec, etype)
        self._titles(rec, etype)
        # Web of Science's export: its journals in capitals, all its values in double braces.
        wos = WOS_ID_RE.match(decode_line(g("unique-id"))) is not None
        if wos:
            rec.journal = journal_from_capitals(rec.journal, decode_line(g("journal-iso")))
        self._publishing(rec)
        rec.journal_abbrev = decode_line(g("shortjournal", "journalabbrev",
                                            "journal-abbrev", "journalabbreviation"))
        self._dates(rec)
        self._numbers(rec)
        rec.publisher = rec.publisher or decode_line(g("publisher"))
        rec.issn = decode_line(g("issn"))
        rec.language = decode_line(g("langid", "language"))
        rec.abstract = decode_long(g("abstract"))
        rec.notes = decode_long(g("note") or g("annote", "annotation"))
        rec.pubstate = rec.pubstate or state_key(rec.notes) or ""  # note = {In press}
        self._authors(rec)
        keywords = unbraced(g("keywords")) if wos else g("keywords")  # else "{a, b}" is one
        words = [decode_line(w) for w in split_top_level(keywords, ",;")]
        rec.keywords = [w for w in words if w]
        rec.files = bibtex_file_paths(g("file"))
        users_marks(rec, g)
        self._identifiers(rec)
        self._citekey(rec)
        if is_scopus(g):
            scopus_entry_fields(rec, g)
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: entry has neither a title nor a DOI, PMID "
                                 "or PMCID (skipped)")
            return None
        return rec

    def _kind(self, rec: ArticleRecord, etype: str) -> None:
        """The record type, publication state and (for a thesis) the degree, from the entry type."""
        g = self.get
        rec.type = _TYPE_MAP.get(etype, "other")
        rec.pubstate = stored_state(decode_line(g("pubstate")))
        if rec.pubstate.lower() == "prepublished" and rec.type in ("article", "other"):
            rec.type = "preprint"
        if etype in THESIS_KINDS:
            rec.publication_types = [THESIS_KINDS[etype]]
        elif rec.type == "thesis" and g("type"):
            kind = decode_line(g("type"))
            rec.publication_types = [THESIS_KINDS.get(kind.lower(), kind)]

    def _titles(self, rec: ArticleRecord, etype: str) -> None:
        """The title, the book title (a chapter's lone book title is its title) and journal."""
        g = self.get
        rec.title = decode_line(g("title"))
        rec.book_title = decode_line(g("booktitle"))
        if rec.type == "chapter" and not rec.title and rec.book_title:
            rec.title, rec.book_title = rec.book_title, ""
        rec.journal = decode_line(g("journaltitle", "journal"))
        if not rec.journal and etype in ("misc", "online", "unpublished", "electronic", "www"):
            rec.journal = decode_line(g("howpublished"))

    def _publishing(self, rec: ArticleRecord) -> None:
        """A web page's publisher or any other type's institution, the place, edition, ISBN."""
        g = self.get
        rec.edition, rec.isbn = edition_of(decode_line(g("edition"))), first_isbn([g("isbn")])
        if rec.type == "webpage":
            rec.publisher = decode_line(g("publisher", "organization"))
        else:
            rec.institution = decode_line(g("institution", "school", "organization"))
        rec.place = decode_line(g("location", "address", "venue"))

    def _numbers(self, rec: ArticleRecord) -> None:
        """Volume, issue (a report's ``number`` is its report number) and pages."""
        g = self.get
        rec.volume = decode_line(g("volume"))
        if rec.type == "report":
            rec.report_number = decode_line(g("number"))
            rec.issue = decode_line(g("issue"))
        else:
            rec.issue = decode_line(g("number", "issue"))
        rec.pages = expand_page_range(decode_latex(g("pages") or g("eid")))

    def _authors(self, rec: ArticleRecord) -> None:
        """The authors and editors; a list the name splitter chokes on is dropped and noted."""
        for name, kept in (("author", "authors"), ("editor", "editors")):
            try:
                setattr(rec, kept, read_authors(self.get(name)))
            except Exception as exc:  # bibtexparser's name splitter on malformed names
                self.warnings.append(f"{self.where}: cannot split the {name} list ({exc}); "
                                     f"{kept} dropped")

    def _citekey(self, rec: ArticleRecord) -> None:
        """Keep a portable citation key; warn that any other key will be replaced. Web of
        Science's accession number is no key: one is made as for an entry without."""
        if WOS_ID_RE.match(self.key):
            return
        if is_valid_citekey(self.key):
            rec.citekey = self.key
        elif self.key:
            self.warnings.append(f"{self.where}: the key {self.key!r} is not a portable "
                                 "citation key; a new one will be given")

    def _dates(self, rec: ArticleRecord) -> None:
        date = decode_line(self.get("date"))
        if date and not _PLAIN_DATE_RE.fullmatch(date):
            # EDTF beyond a plain date ("2004?", "-0044-03-15", "2019/2020"): kept as written
            # (biber reads it back); the year, when it is a plain one, still sorts and cites.
            rec.date_text = date
            y = re.match(r"\s*(\d{4})(?!\d)", date)
            rec.year = int(y.group(1)) if y else None
            return
        m = _DATE_RE.match(date)
        if m:
            rec.year = int(m.group(1))
            rec.month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
            rec.day = valid_day(rec.year, rec.month, int(m.group(3))) if m.group(3) else None
            return
        year = decode_latex(self.get("year")).strip()
        if re.match(r"-\d", year):  # a BCE year in EDTF, as SpineLib's BibTeX writes it
            rec.date_text = year
            return
        rec.year = year_and_state(year)[0]
        keep_state(rec, year, self.where, self.warnings)  # year = {in press}
        month = decode_line(self.get("month"))
        rec.month = parse_month(month) or parse_month(month.split(" ")[0] if month else "")
        day = self.get("day").strip()
        rec.day = valid_day(rec.year, rec.month, int(day)) if day.isdigit() else None

    def _identifiers(self, rec: ArticleRecord) -> None:
        g = self.get
        rec.doi = self.ident("doi", g("doi"))
        rec.pmid = self.ident("pmid", g("pmid"))
        rec.pmcid = self.ident("pmcid", g("pmcid"))
        eprint, etype = g("eprint"), g("eprinttype", "archiveprefix").strip().lower()
        if eprint and etype in ("pubmed", "pmid") and not rec.pmid:
            rec.pmid = self.ident("pmid", eprint)
        elif eprint and etype in ("pmc", "pmcid") and not rec.pmcid:
            rec.pmcid = self.ident("pmcid", eprint)
        m = re.search(r"PMCID:\s*(PMC\d+)", g("addendum"), re.I)
        if m and not rec.pmcid:
            rec.pmcid = self.ident("pmcid", m.group(1))
        url = unescape_verbatim(g("url"))
        if url:
            try:
                ident = parse_identifier(url)
            except InvalidIdentifier:
                ident = None
            if ident is not None and not getattr(rec, ident.kind):
                setattr(rec, ident.kind, ident.value)
            if is_identifier_link(url):
                url = ""  # a doi.org/PubMed link adds nothing once the identifier is kept
            rec.url = url
        keep_accessed(rec, decode_line(g("urldate", "lastchecked")), "urldate", self.where,
                      self.warnings)


def read_bibtex(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse BibTeX or BibLaTeX text; good entries import, bad blocks are reported by line.

    Every entry is read, whatever its key (:mod:`spinelib.formats.bibtex.entries`): one with
    no key, an empty key, or a key an earlier entry has (in any letter case) is imported
    without it, so the library gives it a new one, with a warning naming the line. Fields a
    ``crossref`` parent holds are inherited.
    """
    result = ReadResult()
    library = QuickSplitter(add_missing_keys(normalise_newlines(text))).split()
    for middleware in (ResolveStringReferencesMiddleware(True), RemoveEnclosingMiddleware(True)):
        library = middleware.transform(library)  # bibtexparser's parse_string, quicker split
    readers = _entry_readers(library.blocks, string_values(library), KeyLedger(),
                             source_name, result)
    _resolve_crossrefs(readers, source_name, result)
    tree = read_group_tree(text, source_name, result.warnings)
    _read_records(readers, result, tree)
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no BibTeX entries")
    return result


def string_values(library: Library) -> dict[str, str]:
    """A parsed library's ``@string`` macros as the reader keeps them: lower-case name ->
    value (enclosing already removed by the parse stack)."""
    return {k.lower(): (s.value if isinstance(s.value, str) else str(s.value))
            for k, s in library.strings_dict.items()}


def _entry_readers(blocks: Sequence[model.Block], strings: dict[str, str], ledger: KeyLedger,
                   source_name: str, result: ReadResult) -> list[_EntryReader]:
    """A reader for every entry among ``blocks``, each claiming its key in ``ledger``;
    failed blocks and repeated fields are reported in ``result`` as they are met."""
    readers: list[_EntryReader] = []
    for block in blocks:
        found = _block_entry(block, source_name, result)
        if found is not None:
            entry, raw_values = found
            readers.append(_claimed_reader(entry, raw_values, strings, ledger, source_name,
                                           result))
    return readers


def _block_entry(block: model.Block, source_name: str,
                 result: ReadResult) -> tuple[model.Entry, bool] | None:
    """The entry a block holds and whether its values are raw; None for any other block.

    A block that failed to parse is reported in ``result``; an entry with a repeated field
    is warned about there.
    """
    if isinstance(block, model.DuplicateFieldKeyBlock):
        return _duplicate_field_entry(block, source_name, result)
    if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, model.Entry):
        # A repeated key: the entry is still a work of its own (raw: no middleware ran).
        return block.ignore_error_block, True
    if isinstance(block, model.ParsingFailedBlock):
        result.problems.append(failed_message(block, source_name))
        return None
    if isinstance(block, model.Entry):
        return block, False
    return None  # @string, @preamble, @comment and text between entries


def _duplicate_field_entry(block: model.DuplicateFieldKeyBlock, source_name: str,
                           result: ReadResult) -> tuple[model.Entry, bool] | None:
    """The entry of a block with a repeated field (its first value kept), with a warning."""
    entry = block.ignore_error_block
    if not isinstance(entry, model.Entry):
        return None
    dups = ", ".join(sorted(block.duplicate_keys))
    result.warnings.append(
        f"{source_name} line {(entry.start_line or 0) + 1}: entry '{entry.key}' has "
        f"the field {dups} more than once; the first was used")
    return entry, False


def _claimed_reader(entry: model.Entry, raw_values: bool, strings: dict[str, str],
                    ledger: KeyLedger, source_name: str, result: ReadResult) -> _EntryReader:
    """A reader for one entry, its key claimed in ``ledger`` (a key it loses is warned of)."""
    shown = "" if entry.key.startswith(PLACEHOLDER) else entry.key
    where = f"{source_name} line {(entry.start_line or 0) + 1}: entry '{shown}'"
    reader = _EntryReader(entry, strings, where, raw_values=raw_values)
    reader.key, warning = ledger.claim(entry.key, f"{source_name} line "
                                       f"{(entry.start_line or 0) + 1}")
    if warning:
        result.warnings.append(warning)
    return reader


def _read_records(readers: list[_EntryReader], result: ReadResult,
                  tree: GroupTree | None) -> None:
    """Each reader's record, problems and warnings into ``result``, in the readers' order;
    each record placed in the file's JabRef ``tree`` of groups (when it has one)."""
    for reader in readers:
        try:
            read = reader.read()
        except Exception as exc:  # noqa: BLE001 - one odd entry must not sink the file
            result.problems.append(f"{reader.where}: could not be read ({exc}) (skipped)")
            continue
        if tree is not None and read.record is not None:
            tree.place(read.record, reader.raw.key)
        result.add(read)


def _resolve_crossrefs(readers: list[_EntryReader], source: str, result: ReadResult) -> None:
    """Children inherit their ``crossref`` parent's fields (BibTeX and biber do so); a
    parent that is not in the file is named in a warning."""
    if not any("crossref" in r.fields for r in readers):
        return
    by_key: dict[str, _EntryReader] = {}
    for r in readers:
        by_key.setdefault(r.raw.key.casefold(), r)
    for r in readers:
        target = r.fields.get("crossref", "").strip()
        if not target:
            continue
        parent = by_key.get(target.casefold())
        if parent is None or parent is r:
            result.warnings.append(f"{r.where}: its crossref '{target}' is not in {source}; "
                                   "the fields it would inherit are missing")
            continue
        inherit_crossref(r.fields, parent.fields)
