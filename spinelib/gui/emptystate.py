"""What an empty article table or list says: why nothing is shown, and how to get out.

:func:`empty_message` is plain Python (the policy, tested without a window): from the
sidebar's filters, the search text and the tag counts it writes one sentence and the ways
out as links (``clear-search``, ``clear-filter``, ``suggested:<tag id>``, and
``import:<identifier>`` when the search was a DOI, PMID or PMCID the library lacks, or
``restore:<article id>`` when that article is in the trash).
:class:`EmptyOverlay` shows it over the table's empty viewport and reports a clicked link;
:class:`ListNote` puts a list's note over the list while it is empty.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QLabel

from spinelib.citationtext import cited_work
from spinelib.curation_results import SearchSuggestion
from spinelib.gui.querystate import ALL, FILTER_NAMES, Filter
from spinelib.library.search import RECENT_DAYS
from spinelib.text import plural


@dataclass(frozen=True)
class EmptyMessage:
    """Why the table is empty (plain text) and the ways out: (link target, words)."""

    text: str
    ways_out: tuple[tuple[str, str], ...]

    def html(self) -> str:
        # A target holds what was typed ("search:(SINS OR \"spinal …\")"): escaped, so its
        # quotes do not end the attribute (Qt hands the link its text unescaped).
        links = " · ".join(f'<a href="{html.escape(target)}">{html.escape(words)}</a>'
                           for target, words in self.ways_out)
        return (f"<p>{html.escape(self.text)}</p>" + (f"<p>{links}</p>" if links else ""))


def _name(f: Filter, tag_labels: Mapping[str, str]) -> str:
    if f.kind == "list":
        return f"the reading list “{f.value}”"
    if f.kind in ("tag", "suggested"):
        return tag_labels.get(f.value, f.value)
    if f.kind == "facet":
        return f.value
    return FILTER_NAMES.get(f.kind, f.kind)


#: What an empty Library view means, said for itself ("No articles in Unidentified PDFs."
#: said nothing of why, and an empty retraction view is only as current as its check).
_EMPTY_VIEWS = {
    "unread": "No unread articles: every article is marked read or being read.",
    "recent": f"Nothing added in the last {RECENT_DAYS} days.",
    "retracted": ("No article is flagged as retracted, under an expression of concern or "
                  "corrected, as far as the last retraction check knows (File ▸ Check "
                  "retractions asks again)."),
    "unidentified": ("No unidentified PDFs: every PDF imported was matched to its paper "
                     "(one without a DOI or PMID that cannot be is kept here)."),
}

def _empty_view(f: Filter) -> str:
    """What one sidebar entry's empty view says for itself ('' when it has no sentence of
    its own)."""
    if f.kind == "list":
        return (f"The reading list “{f.value}” is empty. Drag articles from the table onto "
                "it in the sidebar to add them.")
    return _EMPTY_VIEWS.get(f.kind, "")


#: How an identifier kind is written in a sentence.
_IDENTIFIER_NAMES = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}


def empty_message(filters: Sequence[Filter], search: str, tag_labels: Mapping[str, str],
                  suggested: Mapping[str, int], hints: Sequence[str] = (),
                  identifier: tuple[str, str] | None = None,
                  trashed: int | None = None, suggestion: SearchSuggestion | None = None
                  ) -> EmptyMessage:
    """The sentence for an empty result. ``suggested``: tag id -> how many articles have
    it only suggested (to offer them when a confirmed-tag filter finds nothing);
    ``hints``: what the search's unreadable qualified terms take
    (:func:`spinelib.library.search_hints`), said after it; ``identifier``: the (kind,
    value) the whole search named (:func:`spinelib.library.searched_identifier`), which
    the library lacks: importing it is offered, or restoring it when it is article
    ``trashed`` of the trash; ``suggestion``: the search with a mistyped word the library's
    nearest, or its abbreviations spelled out (:meth:`SearchManager.suggestion`), offered
    first."""
    narrowing = [f for f in filters if f != ALL]
    where = ", ".join(_name(f, tag_labels) for f in narrowing)
    search = search.strip()
    ways: list[tuple[str, str]] = []
    elsewhere = _found_elsewhere(search, identifier, trashed, suggestion) if (
        search and not narrowing) else None
    if elsewhere is not None:
        text, ways = elsewhere
    elif search and narrowing:
        text = f"No articles match “{search}” in {where}."
        ways = [("clear-filter", "Search all articles"), ("clear-search", "Clear the search")]
    elif search and hints:  # the likely reason comes first, not the list of fields
        text = f"No articles match “{search}”."
        ways = [("clear-search", "Clear the search")]
        if cited_work(search) is not None:  # a citation the library lacks: fetch it
            ways.insert(0, (f"import:{search}", "Look it up and import it"))
    elif search:
        text = (f"No articles match “{search}”. The search looks in titles, abstracts, "
                "authors, journals, MeSH terms, tags, notes and attached texts (every word "
                "in an article's details, or every word on one page of its text).")
        ways = [("clear-search", "Clear the search")]
    elif len(narrowing) == 1 and (said := _empty_view(narrowing[0])):
        text = said
        ways = [("clear-filter", "Show all articles")]
    else:
        text = f"No articles in {where}." if where else "No articles to show."
        ways = [("clear-filter", "Show all articles")] if narrowing else []
    for f in narrowing:
        n = suggested.get(f.value, 0) if f.kind == "tag" else 0
        if n:
            text += (f" {tag_labels.get(f.value, f.value)} is suggested for {plural(n)} "
                     "not yet tagged.")
            ways.insert(0, (f"suggested:{f.value}", "Include the suggested ones"))
    text = " ".join((text, *hints))
    return EmptyMessage(text, tuple(ways))


def _found_elsewhere(search: str, identifier: tuple[str, str] | None, trashed: int | None,
                     suggestion: SearchSuggestion | None
                     ) -> tuple[str, list[tuple[str, str]]] | None:
    """What an empty search over the whole library may still find: the identifier it
    names (in the Trash, or to import), or the search spelt as the library spells it."""
    clear = ("clear-search", "Clear the search")
    if identifier is not None:
        kind, value = identifier
        named = f"{_IDENTIFIER_NAMES.get(kind, kind)} {value}"
        if trashed is not None:
            return f"The article with {named} is in the Trash.", [
                (f"restore:{trashed}", "Restore it"), clear]
        return f"No article with {named} in the library.", [
            (f"import:{value}", "Import it"), clear]
    if suggestion and suggestion.spelled_out:
        # The whole query would be said twice, long: the words it adds are what is news.
        said = "; ".join(f"{abbr} as " + _one_or_other([f"“{p}”" for p in phrases])
                         for abbr, phrases in suggestion.spelled_out)
        return f"No articles match “{search}”. Papers may spell it out: {said}.", [
            (f"search:{suggestion.search}", "Search for these too"), clear]
    if suggestion:
        meant = suggestion.search
        return f"No articles match “{search}”. Did you mean “{meant}”?", [
            (f"search:{meant}", f"Search for “{meant}”"), clear]
    return None


def _one_or_other(items: Sequence[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


class EmptyOverlay(QLabel):
    """The empty-result sentence over a table's viewport; ``link_activated(target)``."""

    link_clicked = Signal(str)

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setMargin(24)
        self.linkActivated.connect(self.link_clicked)
        self.message: EmptyMessage | None = None
        view.viewport().installEventFilter(self)
        self.hide()

    def show_message(self, message: EmptyMessage | None) -> None:
        """Show ``message`` over the empty table (None hides it)."""
        self.message = message
        if message is None:
            self.hide()
            return
        self.setText(message.html())
        self._fit()
        self.show()
        self.raise_()

    def _fit(self) -> None:
        port = self.view.viewport().rect()
        self.setGeometry(port.adjusted(0, 0, 0, -port.height() // 3))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Not isVisible(): a message set while its tab was hidden is fitted to the viewport
        # it gets when the tab is shown (it had no size before).
        if event.type() == QEvent.Type.Resize and self.message is not None:
            self._fit()
        return False


class ListNote:
    """A list's one-line note (its count, what runs, what failed): under the list, or,
    while the list is empty, over it, where the eye is, instead of one line at the foot of
    an empty box (the detail pane's Refs and Cited-by tabs). ``label.text()`` is the note
    either way."""

    def __init__(self, label: QLabel, view: QAbstractItemView) -> None:
        self.label = label
        self.view = view
        self.overlay = EmptyOverlay(view)

    def say(self, text: str) -> None:
        """Show ``text`` (call after the list is filled: its emptiness decides where)."""
        self.label.setText(text)
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        self.label.setVisible(not empty)
        self.overlay.show_message(EmptyMessage(text, ()) if empty else None)


__all__ = ["EmptyMessage", "EmptyOverlay", "ListNote", "empty_message"]
