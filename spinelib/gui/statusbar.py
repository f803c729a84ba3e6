"""The main window's status bar: article counts, the network badge, import progress, messages.

What the texts say is decided by plain functions (:func:`count_text`, :func:`network_badge`),
tested without a window; :class:`StatusBar` owns the permanent widgets and remembers what
they summarise (the network state of the last import, the pending count, the library's size).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from spinelib.text import plural

#: How long (ms) a plain message stays in the status bar.
MESSAGE_MS = 8000
#: How long (ms) the "N articles selected" note stays.
SELECTION_MESSAGE_MS = 4000

NETWORK_LABELS: dict[str, str] = {"online": "● Online", "offline": "○ Offline"}
NETWORK_TIPS: dict[str, str] = {
    "online": "The last import reached PubMed/Crossref.",
    "offline": "The last import could not reach the network; what needed it was queued.",
    "": "No import has used the network yet in this session.",
}


@dataclass(frozen=True)
class NetworkBadge:
    """The network button's text and tooltip."""

    text: str
    tip: str
    #: Whether the button is worth showing: before any import used the network and with
    #: nothing pending there is nothing to say (a bare "Network" read as a stray label).
    shown: bool = True


def network_badge(network: str | None, pending: int) -> NetworkBadge:
    """What the network button says: the last import's network state ('online', 'offline'
    or None before any import used the network) and how many pending imports wait (the
    identifiers to fetch, kept PDFs' first-page searches, open-access look-ups)."""
    state = NETWORK_LABELS.get(network or "", "")
    waiting = f"{pending:,} pending" if pending else ""
    tip = NETWORK_TIPS.get(network or "", NETWORK_TIPS[""])
    if pending:
        tip += (f"\n{plural(pending, 'pending import')} {'waits' if pending == 1 else 'wait'} "
                "for the network: click to see them or retry.")
    text = " · ".join(p for p in (state, waiting) if p)
    return NetworkBadge(text or "Network", tip, shown=bool(text))


def count_text(shown: int, total: int | None, narrowed: bool) -> str:
    """'12 of 5,000 articles' while a search or filter narrows the table (and the library's
    size is known), else '5,000 articles' / '1 article'."""
    if total is not None and narrowed and shown != total:
        return f"{shown:,} of {total:,} articles"
    return f"{shown:,} article{'s' if shown != 1 else ''}"


class StatusBar(QObject):
    """Fills ``bar`` with the import progress, the article count and the network button."""

    #: The network button was clicked (show the pending imports).
    pending_clicked = Signal()

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        #: 'online' / 'offline' after an import that used the network, else None.
        self.network: str | None = None
        #: Identifiers queued while offline, as the sidebar last counted them.
        self.pending_count = 0
        #: Articles in the library, once the sidebar counted them.
        self.library_total: int | None = None
        self.import_progress = QProgressBar()
        self.import_progress.setMaximumWidth(180)
        self.import_progress.setTextVisible(False)
        self.import_progress.hide()
        self.count_label = QLabel()
        self.network_button = QToolButton()
        self.network_button.setAutoRaise(True)
        self.network_button.clicked.connect(lambda _checked=False: self.pending_clicked.emit())
        bar.addPermanentWidget(self.import_progress)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.network_button)
        self.show_network()
        self.show_network()

    # ------------------------------------------------------------ messages and counts
    def show_message(self, text: str) -> None:
        self.bar.showMessage(text, MESSAGE_MS)

    def show_selection(self, n: int) -> None:
        """Note a selection of several articles (one selected article needs no note)."""
        if n > 1:
            self.bar.showMessage(f"{n:,} articles selected", SELECTION_MESSAGE_MS)

    def show_count(self, shown: int, narrowed: bool) -> None:
        self.count_label.setText(count_text(shown, self.library_total, narrowed))

    def set_library_counts(self, total: int | None, pending: int) -> None:
        """Fresh sidebar counts: the library's size and the pending identifiers."""
        self.library_total = total
        self.pending_count = pending
        self.show_network()

    # ------------------------------------------------------------ network and imports
    def set_network(self, network: str | None) -> None:
        """An import finished; ``network`` is what it learnt (None: it did not need it)."""
        if network is not None:
            self.network = network
        self.show_network()

    def show_network(self) -> None:
        badge = network_badge(self.network, self.pending_count)
        self.network_button.setText(badge.text)
        self.network_button.setToolTip(badge.tip)
        self.network_button.setVisible(badge.shown)

    def import_started(self) -> None:
        """An import or retry began: a busy bar until it reports its size."""
        self.import_progress.setRange(0, 0)
        self.import_progress.show()

    def import_progressed(self, done: int, total: int, what: str = "") -> None:
        """``done`` of ``total``; ``what`` (the file, "… (indexing references)" while a
        large import builds its indexes with the bar full) is the bar's tooltip."""
        self.import_progress.show()
        if total:
            self.import_progress.setRange(0, total)
            self.import_progress.setValue(min(done, total))
        self.import_progress.setToolTip(f"Importing {what}: {done} of {total}" if what else "")

    def imports_ended(self) -> None:
        """No import runs any more: the progress bar goes."""
        self.import_progress.hide()


__all__ = ["NetworkBadge", "StatusBar", "count_text", "network_badge"]
