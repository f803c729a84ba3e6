"""Reading Zotero RDF (Zotero's *Export Library…* / *Export Collection…*, "Zotero RDF"): the
one Zotero export that keeps the collections, so a surgeon moving from Zotero brings the
folders, tags, notes and attached PDFs along.

The shapes are those Zotero's own export translator writes ("Zotero RDF.js" in
zotero/translators): each item a node carrying ``z:itemType``; its creators in ``bib:authors``
(``rdf:Seq`` of ``foaf:Person`` with ``foaf:surname``/``foaf:givenName``); a journal
article's journal a ``bib:Journal`` it is ``dcterms:isPartOf`` (nested, or written apart as
``urn:issn:…``), holding the title (``dc:title``), abbreviation (``dcterms:alternative``),
volume (``prism:volume``), issue (``prism:number``) and the ``dc:identifier`` values
``"DOI 10.…"`` and ``"ISSN …"``; ``bib:pages``, ``dc:date``, ``dcterms:abstract``; the URL
a ``dcterms:URI``'s ``rdf:value``; Extra in ``dc:description`` (where Zotero keeps
``PMID: …`` and ``PMCID: …``); a tag typed by hand a plain ``dc:subject``, one Zotero added
(MeSH from PubMed) a ``z:AutomaticTag``; notes ``bib:Memo`` nodes it
``dcterms:isReferencedBy``, their HTML in ``rdf:value``; attached files ``z:Attachment``
nodes it ``link:link``s, with ``z:path`` or ``rdf:resource`` (relative to the export's
folder when exported with files); collections ``z:Collection`` nodes with ``dc:title``
and ``dcterms:hasPart`` (their items and sub-collections).

Each item is turned into the RIS tags Zotero's RIS export writes for the same fields and read
by the RIS reader's rules (:func:`spinelib.formats.ris.read.record_from_tags`), as EndNote
XML is. What RIS cannot say is set on the record: a collection becomes the reading list of its
path ("Spine oncology/MESCC", :attr:`~spinelib.records.ArticleRecord.groups`, in the
collection's own order), a tag typed by hand one of the user's own tags
(:attr:`~spinelib.records.ArticleRecord.user_tags`), an automatic one a keyword.

Promises: parsed behind :mod:`spinelib.formats.safexml` (entities refused, never expanded);
a malformed file is refused whole with the parser's line and column; an item with neither a
title nor an identifier is named by its number and skipped; Zotero's notes and attachment
items on their own (not children of an item) are no articles and are not imported.
"""

from __future__ import annotations

import re

from spinelib.formats.common import ReadResult
from spinelib.formats.rdfxml import RDF, Graph, Ref, parse_rdfxml
from spinelib.formats.ris.read import record_from_tags
from spinelib.formats.ris.write import as_written
from spinelib.formats.safexml import chunks_of, refused_whole, utf8_document
from spinelib.identifiers import identifier_or_empty
from spinelib.records import ArticleRecord
from spinelib.results import LIST_FOLDER_SEPARATOR

Z = "http://www.zotero.org/namespaces/export#"
BIB = "http://purl.org/net/biblio#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
PRISM = "http://prismstandard.org/namespaces/1.2/basic/"
FOAF = "http://xmlns.com/foaf/0.1/"
LINK = "http://purl.org/rss/1.0/modules/link/"
VCARD = "http://nwalsh.com/rdf/vCard#"

#: Zotero item types -> the RIS type Zotero's RIS export writes; any other is GEN.
TYPE_TO_RIS = {
    "journalArticle": "JOUR", "magazineArticle": "MGZN", "newspaperArticle": "NEWS",
    "book": "BOOK", "bookSection": "CHAP", "conferencePaper": "CPAPER", "thesis": "THES",
    "report": "RPRT", "webpage": "ELEC", "blogPost": "BLOG", "preprint": "INPR",
    "encyclopediaArticle": "CHAP", "dictionaryEntry": "CHAP", "manuscript": "UNPB",
}
#: Items that are no articles: Zotero writes stand-alone notes and attachments as items too.
NOT_ARTICLES = frozenset({"note", "attachment"})
#: Creator roles -> RIS tags (authors; editors of a book or of the book a chapter is in).
_CREATORS = ((BIB + "authors", "AU"), (BIB + "editors", "ED"))
#: Extra's lines Zotero (and its PubMed import) writes: "PMID: 16112300", "PMCID: PMC…".
_EXTRA_RE = re.compile(r"^\s*(PMID|PMCID|DOI)\s*:\s*(\S+)\s*$", re.I | re.M)


def read_zotero_rdf_bytes(data: bytes, source_name: str) -> ReadResult:
    """The registry's reader for a Zotero RDF file (bytes: the declaration names the
    encoding). Raises FormatError for a file that is not well-formed or declares entities."""
    with refused_whole(source_name):
        graph = parse_rdfxml(chunks_of(data))
    result = ReadResult()
    groups = _collections(graph)
    items = [s for s in graph.subjects()
             if graph.literal(s, Z + "itemType") not in ("", *NOT_ARTICLES)]
    for number, item in enumerate(items, 1):
        read = record_from_tags(_tags(graph, item), f"{source_name} item {number}", "zotero")
        if read.record is not None:
            places = groups.get(item, {})
            read.record.groups = list(places)
            read.record.group_places = dict(places)
            read.record.user_tags = graph.literals(item, DC + "subject")
            _extra(read.record, graph.literal(item, DC + "description"))
        result.add(read)
    if not items:
        result.warnings.append(f"{source_name} has no Zotero items")
    return result


def read_zotero_rdf_text(text: str, source_name: str) -> ReadResult:
    """:func:`read_zotero_rdf_bytes` for text already decoded (pasted, or a ``.txt``)."""
    return read_zotero_rdf_bytes(utf8_document(text), source_name)


class _Tags:
    """RIS tag values gathered for one item, as an RIS file holds them."""

    def __init__(self, ris_type: str) -> None:
        self.tags = [("TY", ris_type)]

    def put(self, tag: str, value: str) -> None:
        """One value on one line (an empty one adds nothing)."""
        if value.strip():
            self.tags.append((tag, as_written(tag, " ".join(value.split()))))

    def put_long(self, tag: str, value: str) -> None:
        """An abstract or a note: paragraphs kept; a note's HTML left for the reader."""
        if value.strip():
            html = tag == "N1" and value.lstrip().startswith("<")
            self.tags.append((tag, value if html else as_written(tag, value)))


def _tags(graph: Graph, item: str) -> list[tuple[str, str]]:
    """The RIS tags Zotero's RIS export would write for ``item``."""
    ris_type = TYPE_TO_RIS.get(graph.literal(item, Z + "itemType"), "GEN")
    out = _Tags(ris_type)
    for predicate, tag in _CREATORS:
        for seq in graph.nodes(item, predicate):
            for person in graph.members(seq):
                if isinstance(person, Ref):
                    out.put(tag, _name(graph, person.id))
    out.put("TI", graph.literal(item, DC + "title"))
    out.put("ST", graph.literal(item, Z + "shortTitle"))
    for container in _containers(graph, item):
        # A chapter's book, a conference paper's proceedings (Zotero types it a Journal).
        in_book = BIB + "Book" in graph.types(container) or ris_type in ("CHAP", "CPAPER")
        out.put("T2" if in_book else "JF", graph.literal(container, DC + "title"))
        out.put("J2", graph.literal(container, DCTERMS + "alternative"))
        out.put("VL", graph.literal(container, PRISM + "volume"))
        out.put("IS", graph.literal(container, PRISM + "number"))
        _identifiers(graph, container, out)
    _identifiers(graph, item, out)
    for tag, predicate in (("SP", BIB + "pages"), ("ET", PRISM + "edition"),
                           ("PY", DC + "date"), ("DA", DC + "date"),
                           ("Y2", DCTERMS + "dateSubmitted"), ("LA", Z + "language")):
        out.put(tag, graph.literal(item, predicate))
    for publisher in graph.nodes(item, DC + "publisher"):
        out.put("PB", graph.literal(publisher, FOAF + "name"))
        for address in graph.nodes(publisher, VCARD + "adr"):
            out.put("CY", graph.literal(address, VCARD + "locality"))
    out.put_long("AB", graph.literal(item, DCTERMS + "abstract"))
    _attached(graph, item, out)
    return out.tags


def _attached(graph: Graph, item: str, out: _Tags) -> None:
    """Zotero's automatic tags (keywords), the child notes and the attached files."""
    for tag_node in graph.nodes(item, DC + "subject"):
        if Z + "AutomaticTag" in graph.types(tag_node):
            out.put("KW", graph.literal(tag_node, RDF + "value"))
    for memo in graph.nodes(item, DCTERMS + "isReferencedBy"):
        out.put_long("N1", graph.literal(memo, RDF + "value"))
    for attachment in graph.nodes(item, LINK + "link"):
        # Where the file is: z:path (Zotero 5.0.97 on), rdf:resource (before), relative to
        # the export's folder when it was exported with its files.
        paths = [*graph.nodes(attachment, Z + "path"), *graph.literals(attachment, Z + "path"),
                 *graph.nodes(attachment, RDF + "resource")]
        out.tags.extend(("L1", path) for path in dict.fromkeys(paths))


def _name(graph: Graph, person: str) -> str:
    """"Family, Given" (or the one name of an institution or a single-field creator)."""
    family = graph.literal(person, FOAF + "surname")
    given = graph.literal(person, FOAF + "givenName")
    return f"{family}, {given}" if family and given else family or given


def _containers(graph: Graph, item: str) -> list[str]:
    """The journal or book ``item`` is part of (through a section, ``bib:Part``, too)."""
    out: list[str] = []
    for node in graph.nodes(item, DCTERMS + "isPartOf"):
        if BIB + "Part" in graph.types(node):
            out += graph.nodes(node, DCTERMS + "isPartOf")
        elif BIB + "Series" not in graph.types(node):
            out.append(node)
    return out


def _identifiers(graph: Graph, subject: str, out: _Tags) -> None:
    """``dc:identifier``: "DOI …", "ISSN …", "ISBN …" literals and the URL's node."""
    for value in graph.values(subject, DC + "identifier"):
        if isinstance(value, Ref):
            out.put("UR", graph.literal(value.id, RDF + "value"))
            continue
        kind, _sep, rest = value.strip().partition(" ")
        if kind.upper() == "DOI":
            out.put("DO", rest)
        elif kind.upper() in ("ISSN", "ISBN"):
            out.put("SN", rest)


def _extra(record: ArticleRecord, extra: str) -> None:
    """The identifiers Zotero keeps in Extra, where the record has none of its own."""
    for label, value in _EXTRA_RE.findall(extra):
        kind = label.lower()
        if not getattr(record, kind):
            setattr(record, kind, identifier_or_empty(kind, value))


def _collections(graph: Graph) -> dict[str, dict[str, int]]:
    """Item -> {the path of each collection holding it: its place there}."""
    collections = [s for s in graph.subjects() if Z + "Collection" in graph.types(s)]
    parent: dict[str, str] = {}
    for c in collections:
        for part in graph.nodes(c, DCTERMS + "hasPart"):
            if part in graph.arcs and Z + "Collection" in graph.types(part):
                parent.setdefault(part, c)

    def path(c: str) -> str:
        steps: list[str] = []
        while c and c not in steps and len(steps) < 64:  # a cycle is no tree
            steps.append(c)
            c = parent.get(c, "")
        titles = [graph.literal(s, DC + "title") or "Untitled" for s in reversed(steps)]
        return LIST_FOLDER_SEPARATOR.join(titles)

    held: dict[str, dict[str, int]] = {}
    for c in collections:
        where = path(c)
        for place, part in enumerate(graph.nodes(c, DCTERMS + "hasPart")):
            if part not in parent:
                held.setdefault(part, {}).setdefault(where, place)
    return held
