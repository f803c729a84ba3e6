"""The one list of file formats SpineLib reads and of export formats it writes.

Every face reads these tables and never lists formats itself: the importer and the import
dialog take their file suffixes from :data:`IMPORT_SUFFIXES`, the CLI and the export dialog
their choices, labels and file suffixes from :data:`EXPORT_FORMATS`. Adding a format is one
entry here plus its module.

Entries name their functions by module and attribute (:class:`FormatFunction`) instead of
holding them, so reading the tables (a menu, a file filter, a ``--format`` choice) does not
import bibtexparser and pylatexenc; the module is imported the first time an entry reads or
writes, which costs nothing per record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from typing import Any

from spinelib.formats.common import ReadResult
from spinelib.records import ArticleRecord


@dataclass(frozen=True)
class FormatFunction:
    """A function in a format module, imported when first called.

    ``keywords`` are fixed keyword arguments added to every call (the BibLaTeX check is the
    BibTeX check with ``biblatex=True``).
    """

    module: str
    name: str
    keywords: tuple[tuple[str, Any], ...] = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        function = getattr(import_module(self.module), self.name)
        return function(*args, **dict(self.keywords), **kwargs)


@dataclass(frozen=True)
class ReadFormat:
    """A format SpineLib imports: its name, the file suffixes that mean it, its readers.

    ``read_text`` takes (text, name for messages) and returns a :class:`ReadResult`;
    ``read_bytes``, when set, takes the undecoded bytes instead and is preferred for files
    (PubMed XML: the XML declaration names the encoding).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    description: str
    read_text: FormatFunction
    read_bytes: FormatFunction | None = None

    def read(self, text: str, source_name: str) -> ReadResult:
        """Parse decoded text; messages name ``source_name``."""
        result: ReadResult = self.read_text(text, source_name)
        return result


class ExportKind(Enum):
    """What an export is for, which decides how the faces offer it."""

    #: Structured data for reference managers and LaTeX (BibTeX, RIS, CSL-JSON).
    DATA = "data"
    #: A formatted, numbered reference list as plain text.
    TEXT = "text"
    #: The same reference list as HTML (offered as the ``--html`` form of a TEXT format).
    HTML = "html"
    #: A page to read or hand out: each article's citation, abstract and notes.
    REPORT = "report"


@dataclass(frozen=True)
class ExportFormat:
    """A format SpineLib exports: how faces show it, its file suffix, writer and check.

    ``writer`` takes (records, abstracts=False) and returns the whole export as text;
    ``check`` takes the records and returns one message per thing a consumer of the export
    would choke on or print wrongly. ``html_variant`` names the HTML form of a reference
    list ("vancouver" -> "vancouver-html"); ``style`` the CSL style a reference list is
    formatted in ("vancouver", "ama"; "" for a data format).
    """

    name: str
    label: str
    file_type: str
    suffix: str
    kind: ExportKind
    description: str
    writer: FormatFunction
    check: FormatFunction
    html_variant: str = ""
    style: str = ""

    @property
    def cites(self) -> bool:
        """Whether it is a formatted reference list (its records are cited, not copied)."""
        return bool(self.style)

    @property
    def file_filter(self) -> str:
        """The save dialog's filter for this format: ``"BibTeX (*.bib)"``."""
        return f"{self.file_type} (*{self.suffix})"

    def write(self, records: Sequence[ArticleRecord], *, abstracts: bool = False,
              title: str = "") -> str:
        """The export text for ``records`` ('' for none); abstracts only when asked; a
        report headed ``title`` (the reading list's name) when one is given."""
        named = {"title": title} if title and self.kind is ExportKind.REPORT else {}
        text: str = self.writer(records, abstracts=abstracts, **named)
        return text

    def problems(self, records: Sequence[ArticleRecord]) -> list[str]:
        """What would break or mislead the consumer, one message per issue."""
        found: list[str] = self.check(records)
        return found


def _in(module: str, name: str, **keywords: Any) -> FormatFunction:
    return FormatFunction(f"spinelib.formats.{module}", name, tuple(keywords.items()))


#: Every format SpineLib reads, in the order the faces list them. "biblatex" reads as BibTeX
#: does (its files are ".bib" too, so it claims no suffix of its own).
READ_FORMATS: tuple[ReadFormat, ...] = (
    ReadFormat("bibtex", "BibTeX", (".bib", ".bibtex", ".biblatex"),
               "BibTeX or BibLaTeX entries (JabRef, Zotero, Better BibTeX)",
               _in("bibtex", "read_bibtex")),
    ReadFormat("biblatex", "BibLaTeX", (), "BibLaTeX entries (read as BibTeX)",
               _in("bibtex", "read_bibtex")),
    ReadFormat("ris", "RIS", (".ris",), "RIS (EndNote, Zotero, Mendeley, databases)",
               _in("ris", "read_ris")),
    ReadFormat("enw", "EndNote tagged", (".enw",),
               "EndNote tagged text (.enw: Google Scholar's 'EndNote' link, publishers' "
               "citation downloads)",
               _in("endnote_tagged", "read_endnote_tagged")),
    ReadFormat("wos", "Web of Science", (".ciw",),
               "Web of Science's tagged text ('Plain text file', 'EndNote Desktop' .ciw)",
               _in("wos", "read_wos")),
    ReadFormat("ovid", "Ovid", (".ovd", ".cgi"),
               "Ovid's tagged export (Ovid MEDLINE, Embase: 'Citavi', 'EndNote' or "
               "'Reference Manager', saved as .ovd or ovidweb.cgi)",
               _in("ovid", "read_ovid")),
    ReadFormat("medline", "MEDLINE", (".nbib", ".medline"),
               "PubMed's MEDLINE text (.nbib, 'Send to: Citation manager')",
               _in("medline", "read_medline")),
    ReadFormat("csljson", "CSL-JSON", (".json", ".csljson"),
               "CSL-JSON (Zotero, Pandoc) or a Crossref work",
               _in("csljson_read", "read_csljson")),
    ReadFormat("pubmed", "PubMed XML", (".xml",), "PubMed efetch XML (a PubmedArticleSet)",
               _in("pubmed_xml", "read_pubmed_xml_text"),
               read_bytes=_in("pubmed_xml", "read_pubmed_xml_bytes")),
    # Its files are ".xml" too: the content tells it from PubMed's (formats.detect).
    ReadFormat("endnote", "EndNote XML", (), "EndNote XML (EndNote's File > Export…, XML)",
               _in("endnote_xml", "read_endnote_xml_text"),
               read_bytes=_in("endnote_xml", "read_endnote_xml_bytes")),
    ReadFormat("zotero_rdf", "Zotero RDF", (".rdf",),
               "Zotero RDF (Zotero's export that keeps its collections, tags, notes and files)",
               _in("zotero_rdf", "read_zotero_rdf_text"),
               read_bytes=_in("zotero_rdf", "read_zotero_rdf_bytes")),
    # Its files are ".csv", which are otherwise lists of identifiers: the header tells.
    ReadFormat("scopus_csv", "Scopus CSV", (),
               "Scopus's CSV export (its records, abstracts and reference lists)",
               _in("scopus_csv", "read_scopus_csv")),
)

#: Text-file suffixes whose format is decided by the content alone.
_TEXT_SUFFIXES = (".txt", ".text")
#: The same, and "" for a file without a suffix.
SNIFFED_SUFFIXES = frozenset({*_TEXT_SUFFIXES, ""})

#: ".csv" files whose content makes them records of a format above (formats.detect); any
#: other CSV is a list of identifiers.
CSV_SUFFIX = ".csv"
CSV_RECORD_FORMATS = frozenset({"scopus_csv"})

#: Files that may list identifiers to fetch rather than hold records
#: (:mod:`spinelib.identifierfiles`): a Word reference list, a CSV with identifier columns
#: (PubMed's CSV export; Scopus's is records, :data:`CSV_RECORD_FORMATS`), or text no
#: reader recognises.
IDENTIFIER_LIST_SUFFIXES = (".docx", CSV_SUFFIX, *_TEXT_SUFFIXES)

#: Every suffix that makes a path an import file (for a missing file too, to say so), in
#: the order file choosers list them.
IMPORT_SUFFIXES: tuple[str, ...] = (
    *(s for f in READ_FORMATS for s in f.suffixes), *_TEXT_SUFFIXES, ".docx", CSV_SUFFIX)


_REFERENCE_LIST_CHECK = _in("citation", "reference_list_problems")

#: Every export format, in the order menus and ``--format`` list them.
EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("bibtex", "BibTeX", "BibTeX", ".bib", ExportKind.DATA,
                 "classic BibTeX, pure ASCII (LaTeX with pdfLaTeX)",
                 _in("bibtex", "write_bibtex"), _in("bibtex", "export_problems", biblatex=False)),
    ExportFormat("biblatex", "BibLaTeX", "BibLaTeX", ".bib", ExportKind.DATA,
                 "BibLaTeX for biber, UTF-8",
                 _in("bibtex", "write_biblatex"), _in("bibtex", "export_problems", biblatex=True)),
    ExportFormat("ris", "RIS (EndNote, Zotero)", "RIS", ".ris", ExportKind.DATA,
                 "RIS for EndNote, Zotero and Mendeley",
                 _in("ris", "write_ris"), _in("ris", "export_problems")),
    ExportFormat("csljson", "CSL-JSON (Pandoc, Zotero)", "CSL-JSON", ".json", ExportKind.DATA,
                 "CSL-JSON for Pandoc and citeproc",
                 _in("csljson", "write_csljson"), _in("csljson", "export_problems")),
    ExportFormat("vancouver", "Vancouver (numbered text)", "Text", ".txt", ExportKind.TEXT,
                 "a numbered Vancouver (ICMJE/NLM) reference list",
                 _in("citation", "write_vancouver"), _REFERENCE_LIST_CHECK,
                 html_variant="vancouver-html", style="vancouver"),
    ExportFormat("ama", "AMA (numbered text)", "Text", ".txt", ExportKind.TEXT,
                 "a numbered AMA (11th edition) reference list",
                 _in("citation", "write_ama"), _REFERENCE_LIST_CHECK, html_variant="ama-html",
                 style="ama"),
    ExportFormat("vancouver-html", "Vancouver (HTML)", "HTML", ".html", ExportKind.HTML,
                 "the Vancouver reference list as HTML",
                 _in("citation", "write_vancouver_html"), _REFERENCE_LIST_CHECK,
                 style="vancouver"),
    ExportFormat("ama-html", "AMA (HTML)", "HTML", ".html", ExportKind.HTML,
                 "the AMA reference list as HTML",
                 _in("citation", "write_ama_html"), _REFERENCE_LIST_CHECK, style="ama"),
    ExportFormat("report", "Report (HTML: abstracts and notes)", "HTML", ".html",
                 ExportKind.REPORT, "each article's citation, abstract, tags and notes, to "
                 "read or hand out (a journal club's list)", _in("report", "write_report"),
                 _REFERENCE_LIST_CHECK, style="vancouver"),
)

#: The export formats that can name each article's attached files (BibTeX's ``file`` field,
#: RIS ``L1``) when the export fills ``ArticleRecord.files``, for another manager to import.
FILE_FORMATS: tuple[str, ...] = ("bibtex", "biblatex", "ris")
#: The export formats that can end with the reading lists as a JabRef group tree
#: (:func:`spinelib.formats.bibtex.groups.group_tree_text`).
GROUP_FORMATS: tuple[str, ...] = ("bibtex", "biblatex")

#: The export formats a user picks from (CLI ``--format``, menus, preferences); the HTML
#: forms are reached through their TEXT format's ``html_variant``.
EXPORT_CHOICES: tuple[str, ...] = tuple(f.name for f in EXPORT_FORMATS
                                        if f.kind is not ExportKind.HTML)

_EXPORTS_BY_NAME = {f.name: f for f in EXPORT_FORMATS}


def cites(name: str) -> bool:
    """Whether the export format called ``name`` is a formatted reference list (False for a
    data format, and for any name that is no export format)."""
    found = _EXPORTS_BY_NAME.get(name)
    return found is not None and found.cites


def export_format(name: str) -> ExportFormat:
    """The export format called ``name``; ValueError naming the choices for any other."""
    try:
        return _EXPORTS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; expected one of "
                         f"{', '.join(_EXPORTS_BY_NAME)}") from None
