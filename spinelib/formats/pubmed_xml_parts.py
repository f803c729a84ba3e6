"""The parts of a PubMed record: people, abstract, subjects, references, type and title.

Each function takes the efetch XML element that holds the part (an ``AuthorList``, an
``Abstract``, a ``MedlineCitation``...) and returns the record's value for it; missing
elements give empty values. :mod:`spinelib.formats.pubmed_xml` puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree.ElementTree import Element

from spinelib.formats.pubmed_xml_values import article_id_triple, element_text, grandchildren
from spinelib.identifiers import (
    DOI_IN_TEXT_RE,
    identifier_or_empty,
    orcid_from_digits,
)
from spinelib.records import Author, MeshHeading, ReferenceEntry
from spinelib.text import collapse_whitespace, unique_texts

#: PublicationType values (MeSH publication types) that decide ArticleRecord.type.
REVIEW_TYPES = {"review", "systematic review", "scoping review"}
ERRATUM_TYPE = "published erratum"
PREPRINT_TYPE = "preprint"


def _orcid(raw: str) -> str:
    """Bare ``0000-0002-1825-0097`` from a URL or undashed form; '' when malformed.

    The last character is an ISO 7064 MOD 11-2 check digit; a typo'd iD is worse than none.
    """
    return orcid_from_digits(re.sub(r"[^0-9X]", "", raw.rsplit("/", 1)[-1].upper()))


def parse_authors(names: Element | None) -> list[Author]:
    """The valid authors of an ``AuthorList`` (persons and groups), in byline order."""
    out: list[Author] = []
    if names is None:
        return out
    for a in names.findall("Author"):
        # ValidYN="N" marks a name NLM recorded in error and kept only for history.
        if a.get("ValidYN", "Y") == "N":
            continue
        last, fore, initials, collective, suffix, orcid_id = _name_parts(a)
        family = element_text(last)
        group = "" if family else element_text(collective)
        if family or group:
            # "Jr", "3rd" keep their own place (not the given names'), so a citation prints
            # "Kryscio RJ Jr", not "Kryscio RJJ", and BibTeX "Kryscio, Jr, Richard J".
            # Positional: Author(family, given, initials, collective, orcid, suffix).
            out.append(Author(family, element_text(fore), element_text(initials), group,
                              _orcid(element_text(orcid_id)) if orcid_id is not None else "",
                              element_text(suffix)))
    return out


_Part = Element | None


def _name_parts(author: Element) -> tuple[_Part, _Part, _Part, _Part, _Part, _Part]:
    """An Author's LastName, ForeName, Initials, CollectiveName, Suffix and ORCID
    Identifier elements (None where absent), the first of each kind, in one pass over its
    children: a find per field was a tenth of a big file's parse, a dict of them a fifth
    of this reader's."""
    last = fore = initials = collective = suffix = orcid_id = None
    # Backwards, so that the last one assigned is the first of its kind.
    for child in reversed(author):
        tag = child.tag
        if tag == "LastName":
            last = child
        elif tag == "ForeName":
            fore = child
        elif tag == "Initials":
            initials = child
        elif tag == "Identifier":
            if child.get("Source", "").upper() == "ORCID":
                orcid_id = child
        elif tag == "Suffix":
            suffix = child
        elif tag == "CollectiveName":
            collective = child
    return last, fore, initials, collective, suffix, orcid_id


def author_list(parent: Element | None, kind: str = "authors") -> Element | None:
    """The AuthorList of ``kind`` (a list without Type counts as authors)."""
    if parent is None:
        return None
    for al in parent.findall("AuthorList"):
        if al.get("Type", "authors") == kind:
            return al
    return None


#: Section headings some publishers run into the text of an unlabelled abstract, e.g.
#: "Study DesignRetrospective cohort study.ObjectiveIn general…" (Global Spine J records).
_RUN_IN_HEADING_RE = re.compile(
    r"(?:^|(?<=[.?!)]))(Study Design|Design|Background|Objectives?|Purpose|Introduction|"
    r"Methods|Materials and Methods|Results|Conclusions?|Summary of Background Data|"
    r"Level of Evidence)(?=[A-Z(])")


def split_run_in_headings(text: str) -> list[str]:
    """Turn run-in headings into 'Heading: text' paragraphs; other text is left alone.

    Only a known heading glued to a capitalised word at the start or right after a sentence
    end counts, so ordinary prose ("…Methods were…") is never split.
    """
    # Nearly every abstract starts with no heading: one anchored match settles it, where
    # the search below would try the lookbehind at each of its thousand characters.
    if not _RUN_IN_HEADING_RE.match(text):
        return [text]
    starts = list(_RUN_IN_HEADING_RE.finditer(text))
    if len(starts) < 2:
        return [text]
    paragraphs = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[m.end():end].strip()
        if body:
            paragraphs.append(f"{m.group(1).upper()}: {body}")
    return paragraphs


def abstract_text(abstract: Element | None) -> str:
    """Plain abstract; structured sections as 'LABEL: text' paragraphs split by blank lines."""
    if abstract is None:
        return ""
    paragraphs: list[str] = []
    parts = abstract.findall("AbstractText")
    for part in parts:
        text = element_text(part)
        label = collapse_whitespace(part.get("Label", ""))
        if text and label:
            paragraphs.append(f"{label}: {text}")
        elif text:
            paragraphs.extend(split_run_in_headings(text) if len(parts) == 1 else [text])
    return "\n\n".join(paragraphs)


def mesh_headings(citation: Element) -> list[MeshHeading]:
    """The MeSH headings of a ``MedlineCitation`` with their qualifiers, in PubMed's order."""
    out = []
    for heading in grandchildren(citation, "MeshHeadingList", "MeshHeading"):
        # One pass: the first descriptor; every qualifier's name, and whether it is major
        # (PubMed stars a heading when its descriptor or any qualifier is major).
        descriptor: Element | None = None
        major = False
        names: list[str] = []
        for child in heading:
            tag = child.tag
            if tag == "DescriptorName":
                if descriptor is None:
                    descriptor = child
            elif tag == "QualifierName":
                if child.get("MajorTopicYN") == "Y":
                    major = True
                name = element_text(child)
                if name:
                    names.append(name)
        if descriptor is None:
            continue
        out.append(MeshHeading(descriptor.get("UI", ""), element_text(descriptor),
                               major or descriptor.get("MajorTopicYN") == "Y", names))
    return out


def keyword_list(parent: Element) -> list[str]:
    """The keywords of a citation or book document (every ``KeywordList``), no repeats."""
    return unique_texts(element_text(k) for k in grandchildren(parent, "KeywordList", "Keyword"))


def _doi_in_citation(citation: str) -> str:
    """The DOI a citation's text gives (``doi:10.…``), normalised; '' when none."""
    m = DOI_IN_TEXT_RE.search(citation)
    return identifier_or_empty("doi", m.group(0)) if m else ""


def references(*containers: Element | None) -> list[ReferenceEntry]:
    """Reference entries from every ReferenceList (nested lists included), numbered from 1.

    The hot loop of a big file (tens of references a record, 280,000 in 10,000 records, a
    third of its parse): a Reference's first Citation and first ArticleIdList are found by
    the C ``find`` (a Python loop over its children cost 40 ms more a 10,000-record file),
    and the identifiers are read by :func:`article_id_triple`, which takes the normal ones
    as they stand (a call per identifier was a third of the parse of a big file)."""
    out: list[ReferenceEntry] = []
    append = out.append
    for container in containers:
        if container is None:
            continue
        for ref_list in container.findall("ReferenceList"):
            for ref in ref_list.iter("Reference"):
                citation = element_text(ref.find("Citation"))
                id_list = ref.find("ArticleIdList")
                doi, pmid, pmcid = article_id_triple(id_list) if id_list is not None \
                    else _NO_IDS
                # Every DOI starts "10.": the cheap test spares most citations the search.
                if not doi and "10." in citation:
                    doi = _doi_in_citation(citation)
                # An entry with neither citation nor identifier is left out.
                if citation or doi or pmid or pmcid:
                    append(ReferenceEntry(len(out) + 1, citation, doi, pmid, pmcid))
    return out


_NO_IDS = ("", "", "")


def record_type(publication_types: list[str], default: str = "article") -> str:
    """``ArticleRecord.type`` from the publication types: erratum, preprint, review, else
    ``default``."""
    kinds = {p.casefold() for p in publication_types}
    if ERRATUM_TYPE in kinds:
        return "erratum"
    if PREPRINT_TYPE in kinds:
        return "preprint"
    if kinds & REVIEW_TYPES:
        return "review"
    return default


def strip_title(title: str) -> str:
    """PubMed ends every title with a period; other sources and exporters do not."""
    if title.endswith(".") and not title.endswith(".."):
        return title[:-1].rstrip()
    return title


def first_doi(article: Element, id_sets: Sequence[dict[str, str]]) -> str:
    """DOI from ELocationID (when valid), else from the PubmedData ArticleIdList."""
    for loc in article.findall("ELocationID"):
        if loc.get("EIdType") == "doi" and loc.get("ValidYN", "Y") != "N":
            doi = identifier_or_empty("doi", element_text(loc))
            if doi:
                return doi
    for ids in id_sets:
        if ids.get("doi"):
            return ids["doi"]
    return ""
