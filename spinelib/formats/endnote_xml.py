"""Reading EndNote XML (EndNote's *File ▸ Export…*, "XML"), the way a surgeon moves a
whole EndNote library, notes and keywords included.

The file is ``<xml><records><record>…``, one ``record`` per reference, its fields named
as EndNote names them (``titles/title``, ``periodical/full-title``, ``electronic-resource-num``
for the DOI, ``accession-num`` with ``remote-database-name`` for a PMID…), each field's text
possibly split into ``<style>`` runs (bold, italic), which are joined. EndNote's RIS export
carries the very same fields under RIS tags, so each record is turned into those tags and
read by the RIS reader's rules (:func:`spinelib.formats.ris.read.record_from_tags`): types,
dates, ISSNs among ISBNs, a PMID only from PubMed, a PMCID in Custom 2, a DOI left in "Type
of Work", attached files given as paths are read alike from either export.

Promises: the XML is parsed behind the same guard as PubMed XML
(:mod:`spinelib.formats.safexml`: entity declarations and external entities refused, never
expanded); a truncated or malformed file is refused whole, with the parser's line and
column; a record with neither a title nor an identifier is named by its number (its
position in the file, and EndNote's record number when it has one) and skipped. EndNote's
own attachments (``internal-pdf://``, inside the library's ``.Data`` folder, which the XML
does not carry) are not attached; their number is a warning.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from spinelib.formats.common import ReadResult
from spinelib.formats.ris.read import record_from_tags
from spinelib.formats.ris.write import as_written
from spinelib.formats.safexml import chunks_of, iter_elements, refused_whole, utf8_document
from spinelib.text import plural

#: EndNote's reference type names (the ``name`` attribute of ``ref-type``) -> the RIS type
#: EndNote's RIS export writes for them; anything else is read as RIS's GEN.
TYPE_TO_RIS = {
    "journal article": "JOUR", "electronic article": "EJOUR", "magazine article": "MGZN",
    "newspaper article": "NEWS", "book": "BOOK", "edited book": "EDBOOK",
    "electronic book": "EBOOK", "book section": "CHAP", "electronic book section": "ECHAP",
    "conference proceedings": "CONF", "conference paper": "CPAPER", "report": "RPRT",
    "government document": "GOVDOC", "thesis": "THES", "web page": "ELEC", "blog": "BLOG",
    "classical work": "CLSWK", "personal communication": "PCOMM", "generic": "GEN",
}
#: The type numbers of EndNote's common types, for a ``ref-type`` without its name.
_TYPE_NUMBERS = {"17": "JOUR", "43": "EJOUR", "6": "BOOK", "28": "EDBOOK", "5": "CHAP",
                 "10": "CONF", "47": "CPAPER", "27": "RPRT", "32": "THES", "12": "ELEC",
                 "13": "GEN"}
#: Field path -> RIS tag: the mapping of EndNote's RIS export.
_FIELDS: tuple[tuple[str, str], ...] = (
    ("contributors/authors/author", "AU"),
    ("contributors/secondary-authors/author", "A2"),
    ("titles/title", "TI"),
    ("titles/secondary-title", "T2"),
    ("periodical/full-title", "JF"),
    ("alt-periodical/full-title", "JF"),
    ("titles/alt-title", "J2"),
    ("periodical/abbr-1", "JA"),
    ("titles/short-title", "ST"),
    ("dates/year", "PY"),
    ("dates/pub-dates/date", "DA"),
    ("volume", "VL"),
    ("number", "IS"),
    ("pages", "SP"),
    ("custom7", "SP"),  # an article number, read as the pages when there are none
    ("isbn", "SN"),
    ("edition", "ET"),
    ("electronic-resource-num", "DO"),
    ("accession-num", "AN"),
    ("remote-database-name", "DB"),
    ("remote-database-provider", "DP"),
    ("custom1", "C1"),
    ("custom2", "C2"),  # EndNote's "PMCID" field of a journal article
    ("work-type", "M3"),
    ("publisher", "PB"),
    ("pub-location", "CY"),
    ("language", "LA"),
    ("abstract", "AB"),
    ("notes", "N1"),
    ("research-notes", "N1"),
    ("keywords/keyword", "KW"),
    ("urls/related-urls/url", "UR"),
    ("urls/web-urls/url", "UR"),
    ("urls/pdf-urls/url", "L1"),
    ("access-date", "Y2"),
)
#: Fields whose text is one value per line (EndNote separates keywords and the ISSNs of
#: one journal with line breaks inside one element, and in its tagged text too).
ONE_PER_LINE = frozenset({"KW", "SN"})
#: Fields whose line breaks are paragraphs (the RIS reader makes each line one).
_LONG = {"AB", "N1"}


def _text(elem: Element) -> str:
    """The field's text, its ``<style>`` runs joined; EndNote's CR line breaks as LF."""
    return "".join(elem.itertext()).replace("\r\n", "\n").replace("\r", "\n")


def _ris_type(record: Element) -> str:
    ref_type = record.find("ref-type")
    if ref_type is None:
        return "GEN"
    by_name = TYPE_TO_RIS.get((ref_type.get("name") or "").strip().casefold())
    return by_name or _TYPE_NUMBERS.get((ref_type.text or "").strip(), "GEN")


def record_tags(record: Element) -> list[tuple[str, str]]:
    """One ``record`` element as the RIS tag values EndNote's RIS export would write (as
    an RIS file holds them: :func:`~spinelib.formats.ris.write.as_written`)."""
    tags = [("TY", _ris_type(record))]
    for path, tag in _FIELDS:
        for elem in record.iterfind(path):
            text = _text(elem)
            if tag in ONE_PER_LINE:
                values = [line.strip() for line in text.split("\n")]
            elif tag in _LONG:
                values = [text.strip()]
            else:
                values = [" ".join(text.split())]
            tags.extend((tag, as_written(tag, v)) for v in values if v)
    return tags


def _where(source_name: str, number: int, record: Element) -> str:
    own = " ".join((record.findtext("rec-number") or "").split())
    return f"{source_name} record {number}" + (f" (EndNote #{own})" if own else "")


def read_endnote_xml_bytes(data: bytes, source_name: str) -> ReadResult:
    """The registry's reader for an EndNote XML file (bytes: the declaration names the
    encoding). Raises FormatError for a file that is not well-formed or declares entities."""
    result = ReadResult()
    internal = 0
    with refused_whole(source_name):
        for number, record in enumerate(iter_elements(chunks_of(data), ("record",)), 1):
            internal += sum(1 for url in record.iterfind("urls/pdf-urls/url")
                            if _text(url).strip().lower().startswith("internal-pdf:"))
            result.add(record_from_tags(record_tags(record),
                                        _where(source_name, number, record), "endnote"))
            record.clear()  # read: its text need not stay in memory with the rest
    if internal:
        result.warnings.append(
            f"{source_name}: {plural(internal, 'attached file')} "
            f"{'is' if internal == 1 else 'are'} inside the EndNote library's "
            ".Data folder (internal-pdf://), which an XML export does not carry; attach "
            "them from there, or export from EndNote with its file attachments as paths")
    if not result.records and not result.problems:
        result.warnings.append(f"{source_name} has no EndNote records")
    return result


def read_endnote_xml_text(text: str, source_name: str) -> ReadResult:
    """:func:`read_endnote_xml_bytes` for text already decoded (re-encoded as UTF-8, the
    XML declaration changed to say so)."""
    return read_endnote_xml_bytes(utf8_document(text), source_name)
