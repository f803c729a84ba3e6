"""A document's citations in one style: in-text citations as the text cites them, then the
bibliography in the style's order (:class:`Citer`), and a whole formatted reference list
for an export (:func:`format_bibliography`)."""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence

from spinelib.cite.disambiguation import Disambiguation
from spinelib.cite.engine import StyleEngine
from spinelib.cite.items import CitedItem
from spinelib.cite.numbering import Numbering, format_numeric, numeric_text
from spinelib.formats.common import export_keys
from spinelib.records import ArticleRecord


class Citer:
    """Citations of records (by their keys) in one style, numbered in order of first
    citation, or by their places in the reference list where a numeric style sorts it
    (Clinical Orthopaedics and Related Research's, by author: give it then exactly the
    records the document cites, as the list holds those).

    ``records`` maps each citable key to its record; keys not in it are the caller's to
    report before citing.
    """

    def __init__(self, engine: StyleEngine, records: dict[str, ArticleRecord]) -> None:
        self.engine = engine
        self.records = records
        self.numbering = Numbering()
        if engine.layout.numeric and engine.layout.list_sorted and records:
            # The list is sorted (CORR's, by author) and numbered in that order: each work
            # cited takes its place in it, whatever the order it is first cited in.
            order = engine.list_order(list(records.values()), list(records))
            self.numbering = Numbering({key: at for at, key in enumerate(order, 1)})
        self._cited: list[str] = []
        self._found: Disambiguation | None = None

    @classmethod
    def for_style(cls, style_id: str, records: dict[str, ArticleRecord]) -> Citer:
        return cls(StyleEngine.for_id(style_id), records)

    @property
    def numeric(self) -> bool:
        return self.engine.layout.numeric

    @property
    def found(self) -> Disambiguation:
        """What tells the records being cited apart (initials, the names each is cited
        with, year suffixes): found once, so every citation and the bibliography agree."""
        if self._found is None:
            self._found = self.engine.disambiguation(list(self.records.values()),
                                                     list(self.records))
        return self._found

    def cite(self, keys: Sequence[str], *, html: bool = False) -> str:
        """The in-text citation of ``keys`` at this point of the document."""
        later = self._note(keys)
        if self.numeric:
            return format_numeric(self.numbering.cite(keys), self.engine.layout, html=html)
        # Only the cited records: citeproc-py renders a citation from its own items (it
        # neither disambiguates nor numbers author-date citations), and converting the whole
        # document's records for every citation made a 200-citation APA manuscript take 20 s.
        cited = list(dict.fromkeys(keys))
        return self.engine.author_date_citation(
            [self.records[k] for k in cited], cited, list(keys), html=html,
            found=self.found, later=later)

    def cite_items(self, items: Sequence[CitedItem], *, html: bool = False) -> tuple[str, bool]:
        """The in-text citation of ``items`` at this point of the document, with the prefixes,
        locators and suffixes the author typed; and whether it is set in superscript (a
        numeric style's digits come as they are, for the caller to raise).

        Plain items read as :meth:`cite` prints them (a numeric style's runs folded into
        ranges); a citation with a locator, prefix or suffix is the style's own layout of
        each item (IEEE "[7, pp. 33–35]", AMA "7(pp33–35)", APA "(see Doe, 2005, p. 3)")."""
        keys = [item.key for item in items]
        later = self._note(keys)
        plain = all(item.plain for item in items)
        cited = list(dict.fromkeys(keys))
        if not self.numeric:
            return self.engine.citation([self.records[k] for k in cited], cited, items,
                                        html=html, found=self.found, later=later), False
        layout = self.engine.layout
        numbers = self.numbering.cite(keys)
        if plain:
            text = numeric_text(numbers, layout)
        else:
            text = self.engine.citation(
                [self.records[k] for k in cited], cited, items, html=html,
                numbers={k: self.numbering.numbers[k] for k in cited})
        return text, layout.superscript

    def _note(self, keys: Sequence[str]) -> list[str]:
        """The ``keys`` this document cited before (a style may cite them with fewer names:
        :attr:`StyleEngine.cuts_later`); the others noted as cited from here on."""
        cited_before = set(self._cited)
        for key in keys:
            if key not in cited_before and key not in self._cited:
                self._cited.append(key)
        return [key for key in dict.fromkeys(keys) if key in cited_before]

    def cited_keys(self) -> list[str]:
        """Every key cited so far, in order of first citation."""
        return list(self._cited)

    def bibliography(self, *, html: bool = False) -> list[str]:
        """The entries of every key cited so far, as the style orders them."""
        keys = self.cited_keys()
        if self.engine.layout.list_sorted:
            # Given in the list's order, so works the sort ties keep the numbers cited.
            cited = set(keys)
            keys = [key for key in self.numbering.order() if key in cited]
        return self.engine.bibliography([self.records[k] for k in keys], keys, html=html,
                                        suffixes=self.found.suffixes)


def format_reference(record: ArticleRecord, style_id: str, *, html: bool = False) -> str:
    """One reference in the style, without a numeric style's number (see
    :meth:`StyleEngine.reference`); StyleError or NotFound as :meth:`StyleEngine.for_id`."""
    return StyleEngine.for_id(style_id).reference(record, html=html)


def format_references(records: Sequence[ArticleRecord], style_id: str, *,
                      html: bool = False) -> str:
    """Text for the clipboard: one reference as it is, several as the style's list (numbered
    in the order given by a numeric style), one a line.

    ``html``: the same as an HTML fragment with the style's italics and bold, for a word
    processor to paste as formatted text: one reference inline (it may be pasted into a
    sentence), several one paragraph each."""
    if len(records) == 1:
        return format_reference(records[0], style_id, html=html)
    if html:
        return bibliography_fragment(records, style_id)
    return format_bibliography(records, style_id).rstrip("\n")


def bibliography_fragment(records: Sequence[ArticleRecord], style_id: str) -> str:
    """The reference list as an HTML fragment for the clipboard, one paragraph an entry
    (what a word processor pastes as formatted text)."""
    entries = bibliography_entries(StyleEngine.for_id(style_id), records, html=True)
    return "\n".join(f"<p>{e}</p>" for e in entries)


def format_bibliography(records: Sequence[ArticleRecord], style_id: str, *,
                        html: bool = False) -> str:
    """A whole reference list in the style: one entry a line (text) or an HTML document.

    A numeric style numbers the records in the order given; other styles sort as they say.
    """
    engine = StyleEngine.for_id(style_id)
    entries = bibliography_entries(engine, records, html=html)
    if not html:
        return "".join(e + "\n" for e in entries)
    title = html_lib.escape(engine.info.title)
    body = "\n".join(f'<div class="csl-entry">{e}</div>' for e in entries)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>References '
            f"({title})</title></head>\n<body>\n<div class=\"csl-bib-body\">\n{body}\n</div>\n"
            "</body></html>\n")


def bibliography_entries(engine: StyleEngine, records: Sequence[ArticleRecord], *,
                         html: bool = False) -> list[str]:
    """The reference list's entries in ``engine``'s style (citeproc's HTML markup with
    ``html``), each record once under its export citation key; numbered in the order given
    by a numeric style, sorted as the style says otherwise."""
    keys = [key for key, _note in export_keys(records)]
    return engine.bibliography(records, keys, html=html)
