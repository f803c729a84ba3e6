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
from functools import lru_cache

from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import (
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
)
from bibtexparser.middlewares.names import parse_single_name_into_parts

from spinelib.citekeys import is_valid_citekey
from spinelib.errors import InvalidIdentifier
from spinelib.formats.bibtex.decode import (
    decode_latex,
    decode_line,
    decode_long,
    unescape_verbatim,
)
from spinelib.formats.bibtex.encode import MONTH_MACROS
from spinelib.formats.common import ReadResult
from spinelib.identifiers import is_identifier_link, parse_identifier
from spinelib.records import ArticleRecord, Author
from spinelib.text import expand_page_range, normalise_newlines, parse_month, valid_day

# bibtexparser logs every block it cannot parse; we report those ourselves (with line and
# reason), so keep its messages out of the user's terminal unless logging is configured.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())


def _split_top_level(value: str, seps: str) -> list[str]:
    """Split on separator characters outside braces."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in value:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _is_one_group(name: str) -> bool:
    """True when the whole name is a single brace group: ``{World Health Organization}``."""
    name = name.strip()
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


_AND_RE = re.compile(r"\s+and\s+", re.I)


def split_names(raw: str) -> list[str]:
    """The names of a BibTeX name list: split on "and" between spaces outside braces.

    (bibtexparser's own splitter loses a name that starts with a backslash, as in
    ``Smith, J and \\"Ozt\\"urk, A``.)
    """
    masked = []
    depth = 0
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        masked.append("x" if depth or ch == "}" else ch)
    cuts = [m.span() for m in _AND_RE.finditer("".join(masked))]
    names, start = [], 0
    for a, b in cuts:
        names.append(raw[start:a])
        start = b
    names.append(raw[start:])
    return [n.strip() for n in names if n.strip()]


def _read_authors(raw: str) -> list[Author]:
    authors = []
    for name in split_names(raw):
        parsed = _read_name(name)
        if parsed is not None:
            family, given, collective = parsed
            authors.append(Author(family=family, given=given, collective=collective))
    return authors


@lru_cache(maxsize=16384)
def _read_name(name: str) -> tuple[str, str, str] | None:
    """(family, given, collective) of one BibTeX name, None for "others"/empty (cached)."""
    name = name.strip()
    if not name or name.lower() == "others":
        return None
    if _is_one_group(name):
        collective = decode_line(name[1:-1])
        return ("", "", collective) if collective else None
    if name.endswith(",") and "," not in name[:-1]:
        # "De La Cruz," (written by some tools): a family name alone.
        family = decode_line(name[:-1])
        return (family, "", "") if family else None
    parts = parse_single_name_into_parts(name, strict=False)
    family = decode_line(" ".join(parts.von + parts.last))
    if parts.jr:
        family = f"{family} {decode_line(' '.join(parts.jr))}"
    given = decode_line(" ".join(parts.first))
    if family:
        return family, given, ""
    return (given, "", "") if given else None


def _resolve_concat(raw: str, strings: dict[str, str]) -> str:
    """Evaluate an unenclosed value: macros (``@string``, months) joined with ``#``."""
    out = []
    for part in _split_top_level(raw, "#"):
        part = part.strip()
        if (len(part) >= 2 and part[0] == part[-1] == '"') or (
                part.startswith("{") and part.endswith("}")):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in MONTH_MACROS:
            out.append(str(MONTH_MACROS.index(part.lower()) + 1))
        else:
            out.append(part)
    return "".join(out)


_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")

_TYPE_MAP = {
    "article": "article",
    "book": "book", "mvbook": "book", "booklet": "book", "collection": "book",
    "inbook": "chapter", "incollection": "chapter", "inreference": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
}


class _EntryReader:
    """Turns one parsed entry into an ArticleRecord, noting problems against its line."""

    def __init__(self, entry: model.Entry, strings: dict[str, str], where: str) -> None:
        self.entry = entry
        self.where = where
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.fields: dict[str, str] = {}
        for f in entry.fields:
            key = f.key.lower()
            if key in self.fields:
                continue
            value = f.value if isinstance(f.value, str) else str(f.value)
            if f.enclosing == "no-enclosing":
                value = _resolve_concat(value, strings)
            self.fields[key] = normalise_newlines(value)

    def get(self, *names: str) -> str:
        for n in names:
            if self.fields.get(n, "").strip():
                return self.fields[n]
        return ""

    def identifier(self, kind: str, raw: str) -> str:
        raw = unescape_verbatim(raw)
        if not raw:
            return ""
        try:
            ident = parse_identifier(raw)
        except InvalidIdentifier as exc:
            self.problems.append(f"{self.where}: {exc} (dropped)")
            return ""
        if ident.kind != kind:
            self.problems.append(
                f"{self.where}: the {kind.upper()} field holds a {ident.kind.upper()}, "
                f"{raw!r} (dropped)")
            return ""
        return ident.value

    def record(self) -> ArticleRecord | None:
        e = self.entry
        g = self.get
        rec = ArticleRecord(source="bibtex")
        etype = e.entry_type.lower()
        rec.type = _TYPE_MAP.get(etype, "other")
        if g("pubstate").strip().lower() == "prepublished":
            rec.type = "preprint"
        rec.title = decode_line(g("title"))
        rec.book_title = decode_line(g("booktitle"))
        if rec.type == "chapter" and not rec.title and rec.book_title:
            rec.title, rec.book_title = rec.book_title, ""
        rec.journal = decode_line(g("journaltitle", "journal"))
        if not rec.journal and etype in ("misc", "online", "unpublished"):
            rec.journal = decode_line(g("howpublished"))
        rec.journal_abbrev = decode_line(g("shortjournal", "journalabbrev",
                                            "journal-abbrev", "journalabbreviation"))
        self._dates(rec)
        rec.volume = decode_line(g("volume"))
        rec.issue = decode_line(g("number", "issue"))
        rec.pages = expand_page_range(decode_latex(g("pages") or g("eid")))
        rec.publisher = decode_line(g("publisher"))
        rec.issn = decode_line(g("issn"))
        rec.language = decode_line(g("langid", "language"))
        rec.abstract = decode_long(g("abstract"))
        rec.notes = decode_long(g("note") or g("annote", "annotation"))
        try:
            rec.authors = _read_authors(g("author"))
        except Exception as exc:  # bibtexparser's name splitter on malformed names
            self.problems.append(f"{self.where}: cannot split the author list ({exc}); "
                                 "authors dropped")
        words = [decode_line(w) for w in _split_top_level(g("keywords"), ",;")]
        rec.keywords = [w for w in words if w]
        self._identifiers(rec)
        if is_valid_citekey(e.key):
            rec.citekey = e.key
        elif e.key:
            self.warnings.append(f"{self.where}: the key {e.key!r} is not a portable "
                                 "citation key; a new one will be given")
        if not rec.title and not rec.identifiers():
            self.problems.append(f"{self.where}: entry has neither a title nor a DOI, PMID "
                                 "or PMCID (skipped)")
            return None
        return rec

    def _dates(self, rec: ArticleRecord) -> None:
        m = _DATE_RE.match(self.get("date"))
        if m:
            rec.year = int(m.group(1))
            rec.month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
            rec.day = valid_day(rec.year, rec.month, int(m.group(3))) if m.group(3) else None
            return
        y = _YEAR_RE.search(decode_latex(self.get("year")))
        rec.year = int(y.group(1)) if y else None
        month = decode_line(self.get("month"))
        rec.month = parse_month(month) or parse_month(month.split(" ")[0] if month else "")
        day = self.get("day").strip()
        rec.day = valid_day(rec.year, rec.month, int(day)) if day.isdigit() else None

    def _identifiers(self, rec: ArticleRecord) -> None:
        g = self.get
        rec.doi = self.identifier("doi", g("doi"))
        rec.pmid = self.identifier("pmid", g("pmid"))
        rec.pmcid = self.identifier("pmcid", g("pmcid"))
        eprint, etype = g("eprint"), g("eprinttype", "archiveprefix").strip().lower()
        if eprint and etype in ("pubmed", "pmid") and not rec.pmid:
            rec.pmid = self.identifier("pmid", eprint)
        elif eprint and etype in ("pmc", "pmcid") and not rec.pmcid:
            rec.pmcid = self.identifier("pmcid", eprint)
        m = re.search(r"PMCID:\s*(PMC\d+)", g("addendum"), re.I)
        if m and not rec.pmcid:
            rec.pmcid = self.identifier("pmcid", m.group(1))
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


_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)")


def _failed_message(block: model.ParsingFailedBlock, source: str) -> str:
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    m = _KEY_RE.search(raw)
    what = f"entry '{m.group(1)}'" if m else "a block"
    if isinstance(block, model.DuplicateBlockKeyBlock):
        prev = block.previous_block.start_line
        where = f" (first at line {prev + 1})" if prev is not None else ""
        return f"{source} line {line}: duplicate key '{block.key}'{where}; this entry was skipped"
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    if "Unexpected block start" in reason or "end of file" in reason.lower() or (
            raw.count("{") != raw.count("}")):
        why = "unbalanced braces"
    elif reason:
        why = reason.strip().rstrip(".")
    else:
        why = "it is not valid BibTeX"
    return f"{source} line {line}: {why} in {what} (skipped)"


def read_bibtex(text: str, source_name: str = "(text)") -> ReadResult:
    """Parse BibTeX or BibLaTeX text; good entries import, bad blocks are reported by line."""
    result = ReadResult()
    library = parse_string(
        normalise_newlines(text),
        parse_stack=[ResolveStringReferencesMiddleware(True), RemoveEnclosingMiddleware(True)],
    )
    strings = {k.lower(): (s.value if isinstance(s.value, str) else str(s.value))
               for k, s in library.strings_dict.items()}
    for block in library.blocks:
        entry: model.Entry
        if isinstance(block, model.DuplicateFieldKeyBlock):
            ignored = block.ignore_error_block
            if not isinstance(ignored, model.Entry):
                continue
            entry = ignored
            dups = ", ".join(sorted(block.duplicate_keys))
            result.warnings.append(
                f"{source_name} line {(entry.start_line or 0) + 1}: entry '{entry.key}' has "
                f"the field {dups} more than once; the first was used")
        elif isinstance(block, model.ParsingFailedBlock):
            result.problems.append(_failed_message(block, source_name))
            continue
        elif isinstance(block, model.Entry):
            entry = block
        else:
            continue  # @string, @preamble, @comment and text between entries
        where = f"{source_name} line {(entry.start_line or 0) + 1}: entry '{entry.key}'"
        reader = _EntryReader(entry, strings, where)
        try:
            rec = reader.record()
        except Exception as exc:  # noqa: BLE001 - one odd entry must not sink the file
            result.problems.append(f"{where}: could not be read ({exc}) (skipped)")
            continue
        result.problems.extend(reader.problems)
        result.warnings.extend(reader.warnings)
        if rec is not None:
            result.records.append(rec)
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no BibTeX entries")
    return result
