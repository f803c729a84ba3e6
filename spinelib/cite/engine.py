"""Formatting references with a CSL style through citeproc-py.

:class:`StyleEngine` is one style, loaded once: it renders bibliography entries (plain text
or HTML) for records under the keys the caller gives, and, for author-date styles, the
in-text citation. Numeric in-text citations are not asked of citeproc-py (it neither numbers
in order of first citation across a document nor collapses ranges); :mod:`spinelib.cite.
numbering` does that with the citation layout this engine reads from the style.

Records become CSL-JSON through :func:`spinelib.formats.csljson.item`, the same mapping the
CSL-JSON export (and so pandoc) uses.
"""

from __future__ import annotations

import contextlib
import re
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from spinelib.cite import annotated, disambiguation, mends, patched, plaintext
from spinelib.cite.dates import for_citeproc, online_terms, prints_status, states_as_dates
from spinelib.cite.disambiguation import Disambiguation, citation_asks
from spinelib.cite.items import CitedItem
from spinelib.cite.layout import citation_layout, left_margin, number_raised
from spinelib.cite.numbering import superscript
from spinelib.cite.tidy import tidy
from spinelib.errors import SpineLibError
from spinelib.formats.csljson import item as csl_item
from spinelib.records import ArticleRecord, Author
from spinelib.styles.catalogue import CSL_NS, StyleInfo, resolve


class StyleError(SpineLibError):
    """A style that citeproc-py cannot load or render."""


def load_style(path: Path) -> Any:
    """citeproc-py's style object for the (independent) style file; StyleError if unusable."""
    from citeproc import CitationStylesStyle

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # validate=False: the RELAX NG check takes ~0.3 s a style and only warns.
            return CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml, KeyError on a missing locale term …: all "unusable"
        raise StyleError(f"citeproc-py cannot load it ({type(exc).__name__}: {exc})") from None


#: Engines already loaded in this process, by (id, file, its mtime and size): a style is
#: parsed once, and citeproc-py's search memo (:mod:`spinelib.cite.fastpath`) keeps working
#: on the same tree. A changed user style file gets a new key, so it is read again.
_ENGINES: dict[tuple[str, str, int, int], StyleEngine] = {}
_ENGINES_LOCK = threading.Lock()


class StyleEngine:
    """One CSL style ready to format records: ``StyleEngine.for_id("spine")``.

    An engine may be shared between threads (the GUI formats on workers): citeproc-py keeps
    the output format on the style itself, so each rendering holds the engine's lock.
    """

    def __init__(self, info: StyleInfo, path: Path) -> None:
        patched.install()
        self.info = info
        self.style = load_style(path)
        self.lock = threading.Lock()
        if not self.style.has_bibliography():
            raise StyleError(f"the style {info.id!r} has no bibliography")
        self.layout = citation_layout(self.style)
        #: Whether works its citations would print alike are cited with more names, and
        #: whether they get "2005a", "2005b" (:mod:`.disambiguation`).
        root, author_date = self.style.root, not self.layout.numeric
        self.adds_names = author_date and citation_asks(root, "disambiguate-add-names")
        self.adds_initials = author_date and citation_asks(root, "disambiguate-add-givenname")
        citation = root.find(f"{{{CSL_NS}}}citation")
        self.initials_everywhere = self.adds_initials and citation.get(
            "givenname-disambiguation-rule", "by-cite") in disambiguation.GLOBAL_RULES
        self.suffixed = author_date and citation_asks(root, "disambiguate-add-year-suffix")
        #: Whether a work cited again is cited with names of its own (APA 6th's "Bruno et
        #: al." after "Bruno, Lefebvre, Watanabe, & Greco").
        self.cuts_later = author_date and disambiguation.cuts_later(root)
        self.margin = left_margin(self.style)
        #: Whether the list's numbers are superscripts (plain text raises them itself:
        #: citeproc-py's plain output drops the alignment, "1 Patchell" for "¹ Patchell").
        self.number_raised = number_raised(self.style)
        #: A note style (Chicago notes and bibliography …): its citations are footnotes.
        self.note = self.style.root.get("class") == "note"
        #: Whether the style prints a paper's state ("in press") itself (cite/dates.py).
        self.status_printed = prints_status(self.style.root)
        self.online_terms = online_terms(self.style.root)
        #: Whether a period or comma goes inside closing quotation marks (American English).
        self.quotes_take_punctuation = mends.quotes_take_punctuation(self.style)
        mends.localized_date_delimiters(self.style)
        plaintext.normal_inside_small_caps(self.style)
        #: The abstract and the reader's notes, where the list prints them (annotated
        #: bibliographies); their blocks set apart (:mod:`.annotated`).
        self.asked = annotated.asked_for(self.style)
        annotated.mark_blocks(self.style)

    @classmethod
    def for_id(cls, style_id: str) -> StyleEngine:
        """The engine of a style by id (user styles, dependent styles via their parent),
        loaded once per process and file version."""
        path, info = resolve(style_id)
        try:
            stat = path.stat()
        except OSError as exc:
            raise StyleError(f"style {style_id!r}: cannot read {path} ({exc})") from None
        key = (style_id, str(path), stat.st_mtime_ns, stat.st_size)
        with _ENGINES_LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                try:
                    engine = cls(info, path)
                except StyleError as exc:
                    raise StyleError(f"style {style_id!r}: {exc}") from None
                _ENGINES[key] = engine
        return engine

    def _source(self, records: Sequence[ArticleRecord], keys: Sequence[str],
                suffixes: dict[str, str] | None = None) -> Any:
        from citeproc.source.json import CiteProcJSON

        return CiteProcJSON(self._items(records, keys, suffixes))

    def _items(self, records: Sequence[ArticleRecord], keys: Sequence[str],
               suffixes: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The records as the CSL items citeproc-py is given (tags are not for a reference
        list, nor the abstract and notes but where the style asks for them; dates as
        citeproc-py reads them; ``suffixes`` by key)."""
        asked = self.asked
        items = [for_citeproc(csl_item(rec, key.lower(), asked.abstract, keywords=False,
                                       notes=bool(asked.notes)),
                              status_printed=self.status_printed)
                 for rec, key in zip(records, keys)]
        for item, key in zip(items, keys):
            if asked.notes == "note" and "annote" in item:
                item["note"] = item.pop("annote")
            mends.particles_apart(item)
            if suffixes and key in suffixes:
                item["year-suffix"] = suffixes[key]
        return items

    def disambiguation(self, records: Sequence[ArticleRecord], keys: Sequence[str]
                       ) -> Disambiguation:
        """What tells ``records``' works apart in this style's citations: initials, the
        names each is cited with, year suffixes (:mod:`.disambiguation`, in CSL's order)."""
        found = Disambiguation(initials=frozenset(
            disambiguation.global_initials(records, keys) if self.initials_everywhere
            else ()))
        asked = self.suffixed or self.adds_names or self.adds_initials
        groups = disambiguation.candidates(records, keys) if asked else []
        if not groups:
            return found
        by_key = dict(zip(keys, records))
        alike = [key for group in groups for key in group]
        try:
            return self._told_apart(groups, by_key, alike, found)
        except StyleError:
            return found  # its citations fail in citeproc-py: its list still prints

    def _told_apart(self, groups: list[list[str]], by_key: dict[str, ArticleRecord],
                    alike: list[str], found: Disambiguation) -> Disambiguation:
        """:meth:`disambiguation`'s steps on the works that may be cited alike."""
        by_cite = self.adds_initials and not self.initials_everywhere
        with self._running("these references"):
            texts, order = self._cited_alone(by_key, alike, found)
            # Each step renders the citations again only when it changed some of them. A
            # by-cite style's initials come first, as pandoc adds them: "J. G. Bruno et al."
            # rather than "Bruno, Lefebvre, et al." (Oryx, Leeds Beckett's Harvard).
            initials = disambiguation.cite_initials(groups, texts, by_key) if by_cite else set()
            if initials:
                found = replace(found, initials=frozenset(initials))
                texts, _order = self._cited_alone(by_key, alike, found)
            names = disambiguation.more_names(
                groups, texts, {k: disambiguation.people(by_key[k]) for k in alike}
            ) if self.adds_names else {}
            if names:
                found = replace(found, names=names)
                texts, _order = self._cited_alone(by_key, alike, found)
        if self.suffixed:
            found = replace(found, suffixes=disambiguation.assign(groups, texts, order))
        return found

    def _cited_alone(self, by_key: dict[str, ArticleRecord], keys: Sequence[str],
                     found: Disambiguation) -> tuple[dict[str, list[str]], list[str]]:
        """Each key's citations on its own (as first cited, and as cited again where the
        style cuts its names otherwise), and the keys in the bibliography's order."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        bib = CitationStylesBibliography(
            self.style, self._source([by_key[k] for k in keys], keys), formatter.plain)
        cites = {key: Citation([CitationItem(key.lower())]) for key in keys}
        for citation in cites.values():
            bib.register(citation)
        with disambiguation.citing_with(found):
            texts = {key: [str(bib.cite(c, lambda _item: None))] for key, c in cites.items()}
        if self.cuts_later:
            # And as cited again, where the style cuts the names otherwise: "(Bruno et al.,
            # 2012)" twice is ambiguous, though the first citations are not.
            with disambiguation.citing_with(found, keys):
                for key, citation in cites.items():
                    texts[key].append(str(bib.cite(citation, lambda _item: None)))
        bib.sort()
        key_of = {key.lower(): key for key in keys}
        return texts, [key_of[str(k)] for k in bib.keys if str(k) in key_of]

    @contextlib.contextmanager
    def _running(self, what: str) -> Iterator[None]:
        """One citeproc-py run: under the style's lock (citeproc-py keeps the output format on
        the style), its warnings silenced, and any error it raises (bare errors on styles it
        cannot run) turned into a StyleError naming ``what`` failed."""
        try:
            with self.lock, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        except Exception as exc:
            raise StyleError(f"the style {self.info.id!r} failed to format {what} "
                             f"({type(exc).__name__}: {exc})") from None

    def bibliography(self, records: Sequence[ArticleRecord], keys: Sequence[str], *,
                     html: bool = False, suffixes: dict[str, str] | None = None) -> list[str]:
        """One formatted entry per record, in the style's order.

        For a numeric style that order is the order given (the caller passes records in
        order of first citation), each entry carrying its number as the style prints it.
        ``suffixes``: the year suffixes by key, when the caller's citations have them
        (:meth:`disambiguation` of ``records`` when not given).
        """
        from citeproc import formatter

        if not records:
            return []
        fmt = formatter.html if html else formatter.plain
        if suffixes is None:
            suffixes = self.disambiguation(records, keys).suffixes
        items = self._items(records, keys, suffixes)
        with self._running("these references"):
            entries = [str(e) for e in self._sorted_list(items, keys, fmt).bibliography()]
        done = states_as_dates([annotated.set_apart(
            tidy(e, html=html, into_quotes=self.quotes_take_punctuation), html=html)
            for e in entries], items, self.online_terms)
        if self.margin is not None:
            # citeproc-py glues a display="left-margin" block to the entry ("1.Patchell");
            # pandoc and citeproc-js print the margin apart ("1. Patchell"). (Acta Physica
            # Sinica numbers its citations through a macro: a numbered list all the same.)
            prefix, suffix = self.margin
            for i, entry in enumerate(done):
                marker = f"{prefix}{i + 1}{suffix}".rstrip()
                if entry.startswith(marker) and entry[len(marker):len(marker) + 1] not in " ":
                    done[i] = f"{marker} {entry[len(marker):]}"
        if self.number_raised and not html:
            done = [_LEADING_NUMBER.sub(lambda m: superscript(m.group(0)), entry, count=1)
                    for entry in done]
        return done

    def list_order(self, records: Sequence[ArticleRecord], keys: Sequence[str]) -> list[str]:
        """``keys`` in the order the style's reference list sorts their records."""
        from citeproc import formatter

        key_of = {key.lower(): key for key in keys}
        with self._running("these references"):
            bib = self._sorted_list(self._items(records, keys), keys, formatter.plain)
            return [key_of[item.key] for item in bib.items]

    def _sorted_list(self, items: list[dict[str, Any]], keys: Sequence[str], fmt: Any) -> Any:
        """citeproc-py's bibliography of ``items``, each registered under its key and sorted
        as the style's list says (blind to year suffixes: ``disambiguation.install``)."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        bib = CitationStylesBibliography(self.style, CiteProcJSON(items), fmt)
        for key in keys:
            bib.register(Citation([CitationItem(key.lower())]))
        bib.sort()
        return bib

    def reference(self, record: ArticleRecord, *, html: bool = False) -> str:
        """One record's entry as the style prints it, without a numeric style's number in
        front ("Patchell RA, … Lancet. 2005…" rather than "1. Patchell RA, …"): a single
        reference copied into a text, the detail pane's citation."""
        entry = self.bibliography([record], ["ref"], html=html)[0]
        if self.margin is None and not self.number_raised:
            return entry
        prefix, suffix = self.margin or ("", "")
        marker = f"{prefix}1{suffix}".rstrip()
        if entry.startswith(marker):
            return entry[len(marker):].lstrip()
        # A raised number is "¹" in plain text and "<sup>1</sup>" in HTML (the detail
        # pane's citation kept it in Pediatric Anesthesia and six others).
        raised = _RAISED_FIRST.match(entry) if self.number_raised else None
        return entry[raised.end():] if raised else entry

    def author_date_citation(self, records: Sequence[ArticleRecord], keys: Sequence[str],
                             cited: Sequence[str], *, html: bool = False,
                             found: Disambiguation | None = None,
                             later: Sequence[str] = ()) -> str:
        """The in-text citation of ``cited`` (keys among ``keys``) in an author-date style."""
        return self.citation(records, keys, [CitedItem(k) for k in cited], html=html,
                             found=found, later=later)

    def citation(self, records: Sequence[ArticleRecord], keys: Sequence[str],
                 items: Sequence[CitedItem], *, numbers: dict[str, int] | None = None,
                 html: bool = False, found: Disambiguation | None = None,
                 later: Sequence[str] = ()) -> str:
        """The in-text citation of ``items`` (keys among ``keys``) with their prefixes,
        locators and suffixes, as the style prints them (or leaves them out).

        A numeric style needs ``numbers``, each key's number in the document: citeproc-py
        numbers a key by its place in the bibliography's key list, so the keys are put at
        those places. The numbers are not folded into ranges here (a cited page belongs to
        its number); :class:`~spinelib.cite.Citer` folds plain citations itself.
        ``found``: what tells the document's works apart (:meth:`disambiguation`);
        ``later``: the keys the document cited before, which a style may cite with other
        names (:func:`~spinelib.cite.disambiguation.cuts_later`)."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source import Locator

        fmt = formatter.html if html else formatter.plain
        found = found or Disambiguation()
        source = self._source(records, keys, found.suffixes)
        cites = []
        for item in items:
            extra: dict[str, object] = {}
            if item.locator:
                extra["locator"] = Locator(item.label or "page", item.locator)
            if item.prefix:
                extra["prefix"] = item.prefix + " "
            if item.suffix:
                extra["suffix"] = item.suffix
            cites.append(CitationItem(item.key.lower(), **extra))
        with self._running("a citation"):
            bib = CitationStylesBibliography(self.style, source, fmt)
            citation = Citation(cites)
            bib.register(citation)
            if numbers is not None:
                places = [""] * max(numbers.values(), default=0)
                for key, number in numbers.items():
                    places[number - 1] = key.lower()
                bib.keys = places
            with disambiguation.citing_with(found, later):
                text = str(bib.cite(citation, lambda _item: None))
        # The same typography as the list's entries: "(van den Brande & O’Toole, 2017)".
        return tidy(text, html=html, into_quotes=self.quotes_take_punctuation)


#: An entry's number at its start, with a parenthesis round or after it (the Journal of
#: Physical Therapy Science's "¹⁾", as pandoc raises it; a bracket has no superscript form).
_LEADING_NUMBER = re.compile(r"^[\[(]?\d+\)?")
#: A single reference's raised number 1 with its marks, plain or HTML ("¹⁾ ", "<sup>1) </sup>").
_RAISED_FIRST = re.compile(r"^(?:<sup>)?[\[(⁽]?[1¹][)\]⁾.]?\s*(?:</sup>)?\s*")


def smoke_test(style: Any) -> None:
    """Format one sample reference with a loaded style; StyleError when citeproc-py fails."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    rec = ArticleRecord(title="A sample", authors=[Author(family="Doe", given="Jane")],
                        journal="Spine", year=2020, volume="1", pages="1-2")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bib = CitationStylesBibliography(style, CiteProcJSON([csl_item(rec, "sample")]),
                                             formatter.plain)
            citation = Citation([CitationItem("sample")])
            bib.register(citation)
            bib.cite(citation, lambda _item: None)
            if style.has_bibliography():
                [str(e) for e in bib.bibliography()]
    except Exception as exc:
        raise StyleError(f"citeproc-py cannot format with it ({type(exc).__name__}: "
                         f"{exc})") from None
