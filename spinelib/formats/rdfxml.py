"""RDF/XML read into a plain graph of triples: the language Zotero's RDF export is written in.

Why a graph, not paths through the XML: the same statement may be written several ways
(Zotero's serializer nests a journal inside its article, or writes it apart under its
``urn:issn:`` name and points at it with ``rdf:resource``; a node may be typed by its
element name or by ``rdf:type``), so a reader that walks the XML would miss what another
writer (or Zotero's next version) nests differently. :func:`parse_rdfxml` follows the
RDF/XML syntax (W3C Recommendation, 2004; "RDF 1.1 XML Syntax", 2014) for what reference
exports use: node elements (``rdf:Description`` or typed), ``rdf:about``, ``rdf:ID`` and
``rdf:nodeID``, property attributes, property elements holding a literal, an
``rdf:resource``, a nested node, ``rdf:parseType="Resource"`` or ``"Literal"``, and
``rdf:li`` numbered as ``rdf:_1``, ``rdf:_2``… Reification and ``rdf:datatype`` are read
as plain values (nothing here needs them).

Promises: the document is parsed behind :mod:`spinelib.formats.safexml` (entity
declarations and external entities refused, never expanded); ParseError and
EntitiesRefused reach the caller, who words the message; subjects keep document order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from spinelib.formats.safexml import iter_top_level

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML = "{http://www.w3.org/XML/1998/namespace}"
#: Attributes of the RDF syntax itself, never property attributes.
_SYNTAX = frozenset(f"{{{RDF}}}{n}" for n in (
    "about", "ID", "nodeID", "resource", "parseType", "datatype", "bagID", "aboutEach",
    "aboutEachPrefix"))


@dataclass(frozen=True)
class Ref:
    """A node as an object: a URI (``rdf:about``/``rdf:resource``) or a blank node."""

    id: str


#: An object: a literal (its text) or a node.
Value = str | Ref


@dataclass
class Graph:
    """Triples by subject, each subject's in document order."""

    arcs: dict[str, list[tuple[str, Value]]] = field(default_factory=dict)
    _blanks: int = 0

    def add(self, subject: str, predicate: str, value: Value) -> None:
        self.arcs.setdefault(subject, []).append((predicate, value))

    def blank(self) -> str:
        self._blanks += 1
        return f"_:b{self._blanks}"

    def values(self, subject: str, predicate: str) -> list[Value]:
        """Every object of ``subject``'s ``predicate``, in document order."""
        return [v for p, v in self.arcs.get(subject, ()) if p == predicate]

    def literals(self, subject: str, predicate: str) -> list[str]:
        """The literal objects, stripped, empty ones left out."""
        return [v.strip() for v in self.values(subject, predicate)
                if isinstance(v, str) and v.strip()]

    def literal(self, subject: str, predicate: str) -> str:
        """The first literal object, or ''."""
        found = self.literals(subject, predicate)
        return found[0] if found else ""

    def nodes(self, subject: str, predicate: str) -> list[str]:
        """The node objects' ids."""
        return [v.id for v in self.values(subject, predicate) if isinstance(v, Ref)]

    def types(self, subject: str) -> set[str]:
        return set(self.nodes(subject, RDF + "type"))

    def members(self, subject: str) -> list[Value]:
        """An ``rdf:Seq``'s (or Bag's) members in their numbered order."""
        numbered = [(int(p[len(RDF) + 1:]), v) for p, v in self.arcs.get(subject, ())
                    if p.startswith(RDF + "_") and p[len(RDF) + 1:].isdigit()]
        return [v for _n, v in sorted(numbered, key=lambda nv: nv[0])]

    def subjects(self) -> Iterable[str]:
        return self.arcs.keys()


def _uri(tag: str) -> str:
    """``{ns}local`` as the URI ``ns`` + ``local``."""
    return tag[1:].replace("}", "", 1) if tag.startswith("{") else tag


def parse_rdfxml(chunks: Iterable[bytes]) -> Graph:
    """The graph an RDF/XML document states (see the module docstring). Its nodes are read
    one by one as the parse completes them and dropped, so only the triples stay in memory
    (a 14 MB Zotero export of 6,000 items: a 210 MB peak when read whole, 125 MB so)."""
    graph = Graph()
    for node in iter_top_level(chunks, None):
        _node(graph, node)
    return graph


def _node(graph: Graph, elem: Element) -> str:
    """Read a node element's statements; its subject's id."""
    about, ident = elem.get(f"{{{RDF}}}about"), elem.get(f"{{{RDF}}}ID")
    node_id = elem.get(f"{{{RDF}}}nodeID")
    if about is not None:
        subject = about
    elif ident is not None:
        subject = "#" + ident
    elif node_id is not None:
        subject = "_:" + node_id
    else:
        subject = graph.blank()
    graph.arcs.setdefault(subject, [])
    if elem.tag != f"{{{RDF}}}Description":
        graph.add(subject, RDF + "type", Ref(_uri(elem.tag)))
    _attributes(graph, subject, elem)
    li = 0
    for prop in elem:
        if prop.tag == f"{{{RDF}}}li":
            li += 1
            _property(graph, subject, f"{RDF}_{li}", prop)
        else:
            _property(graph, subject, _uri(prop.tag), prop)
    return subject


def _attributes(graph: Graph, subject: str, elem: Element) -> None:
    """Property attributes: each a literal statement (``rdf:type`` names a node)."""
    for name, value in elem.attrib.items():
        if name in _SYNTAX or name.startswith(_XML):
            continue
        if name == f"{{{RDF}}}type":
            graph.add(subject, RDF + "type", Ref(value))
        else:
            graph.add(subject, _uri(name), value)


def _property(graph: Graph, subject: str, predicate: str, prop: Element) -> None:
    resource, node_id = prop.get(f"{{{RDF}}}resource"), prop.get(f"{{{RDF}}}nodeID")
    parse_type = prop.get(f"{{{RDF}}}parseType")
    if resource is not None or node_id is not None:
        target = resource if resource is not None else "_:" + str(node_id)
        graph.add(subject, predicate, Ref(target))
        _attributes(graph, target, prop)  # an empty property element's own properties
    elif parse_type == "Resource":
        inner = graph.blank()
        graph.add(subject, predicate, Ref(inner))
        for child in prop:
            _property(graph, inner, _uri(child.tag), child)
    elif parse_type == "Literal":
        graph.add(subject, predicate, "".join(prop.itertext()))
    elif len(prop):
        graph.add(subject, predicate, Ref(_node(graph, prop[0])))
    elif any(n not in _SYNTAX and not n.startswith(_XML) and n != f"{{{RDF}}}datatype"
             for n in prop.attrib):
        inner = graph.blank()  # an empty property element with property attributes
        graph.add(subject, predicate, Ref(inner))
        _attributes(graph, inner, prop)
    else:
        graph.add(subject, predicate, prop.text or "")
