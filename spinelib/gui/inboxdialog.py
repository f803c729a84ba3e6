"""The Inbox: papers the literature watches found, with counts, "Run watches", "Watches…"
(:mod:`spinelib.gui.watchesdialog`), and Accept / Dismiss for a selection; the abstract of
the current paper is shown for triage offline.

All work runs on the workers (:mod:`spinelib.gui.inboxjobs`): reading on the read pool,
runs and accepts (network and writes) on the net pool, dismissals on the write pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.inboxjobs import (
    InboxState,
    accept_items,
    dismiss_items,
    load_inbox,
    run_all_watches,
    run_if_due,
)
from spinelib.gui.tasks import TaskRunner
from spinelib.gui.watchesdialog import WatchesDialog
from spinelib.library import Library
from spinelib.settings import Settings
from spinelib.text import plural
from spinelib.watch_run import WatchRun

PmidRole = Qt.ItemDataRole.UserRole + 1


class InboxDialog(QDialog):
    """Triage of the watches' papers."""

    #: Articles were added to the library (the window refreshes its table).
    library_changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner, settings: Callable[[], Settings],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.settings = settings
        self.state: InboxState | None = None
        self.setWindowTitle("Inbox")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(split)
        self.tree.setHeaderLabels(["PMID", "Year", "Title", "Journal", "Watch"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._show_abstract)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.abstract = QTextBrowser(split)
        split.addWidget(self.tree)
        split.addWidget(self.abstract)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.run = QPushButton("Run watches", self)
        self.run.clicked.connect(self.run_watches)
        self.manage = QPushButton("Watches…", self)
        self.manage.setToolTip("Add or remove the PubMed queries the Inbox is filled from")
        self.manage.clicked.connect(self.manage_watches)
        self.accept_button = QPushButton("Accept selected", self)
        self.accept_button.clicked.connect(self.accept_selected)
        self.dismiss = QPushButton("Dismiss selected", self)
        self.dismiss.clicked.connect(self.dismiss_selected)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        for b in (self.run, self.manage, self.accept_button, self.dismiss, close):
            b.setAutoDefault(False)
        buttons.addWidget(self.run)
        buttons.addWidget(self.manage)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.reload()

    # ---- loading
    def reload(self) -> None:
        self.runner.start(load_inbox, self.library, on_done=self._show,
                          on_error=self.status.setText)

    def _show(self, state: InboxState) -> None:
        self.state = state
        self.tree.clear()
        for entry in state.items:
            item = QTreeWidgetItem([entry.pmid, str(entry.year or ""), entry.title,
                                    entry.journal, entry.watch])
            item.setData(0, PmidRole, entry.pmid)
            item.setToolTip(2, entry.title)
            self.tree.addTopLevelItem(item)
        n = len(state.items)
        queued = f"; {plural(state.queued, 'run')} queued until online" if state.queued else ""
        self.summary.setText(
            f"{n} paper{'s' if n != 1 else ''} waiting from {state.watches} "
            f"watch{'es' if state.watches != 1 else ''}{queued}." if state.watches else
            "No watches yet: Watches… adds one (a PubMed query of your own, or one the "
            "vocabulary writes for a technique).")
        self.run.setEnabled(state.watches > 0)
        self._update_buttons()

    def _show_abstract(self, current: QTreeWidgetItem | None, _old: Any = None) -> None:
        if current is None or self.state is None:
            self.abstract.clear()
            return
        pmid = current.data(0, PmidRole)
        entry = next((e for e in self.state.items if e.pmid == pmid), None)
        if entry is not None:
            mesh = f"\n\nMeSH: {'; '.join(entry.mesh)}" if entry.mesh else ""
            self.abstract.setPlainText(f"{entry.title}\n\n{entry.abstract}{mesh}")

    def _update_buttons(self) -> None:
        chosen = bool(self.tree.selectedItems())
        self.accept_button.setEnabled(chosen)
        self.dismiss.setEnabled(chosen)

    def selected_pmids(self) -> list[str]:
        return [str(i.data(0, PmidRole)) for i in self.tree.selectedItems()]

    # ---- actions
    def manage_watches(self) -> WatchesDialog:
        """The watches themselves: New watch…, Remove (the Inbox recounts after)."""
        dialog = WatchesDialog(self.library, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.reload)
        self.watches_dialog = dialog
        dialog.show()
        return dialog

    def run_watches(self) -> None:
        self.run.setEnabled(False)
        self.status.setText("Running the watches: asking for new papers…")
        self.runner.start(run_all_watches, self.library, self.settings(), pool="net",
                          on_done=self._ran, on_error=self._failed)

    def _ran(self, runs: list[WatchRun]) -> None:
        self.status.setText("\n".join(r.line() for r in runs))
        self.reload()

    def accept_selected(self) -> None:
        pmids = self.selected_pmids()
        if pmids:
            self.status.setText(f"Importing {plural(len(pmids), 'paper')}…")
            self.runner.start(accept_items, self.library, self.settings(), pmids, pool="net",
                              on_done=self._accepted, on_error=self._failed)

    def _accepted(self, lines: list[str]) -> None:
        self.status.setText("\n".join(lines[-5:]))
        self.library_changed.emit()
        self.reload()

    def dismiss_selected(self) -> None:
        pmids = self.selected_pmids()
        if pmids:
            self.runner.start(dismiss_items, self.library, pmids, pool="write",
                              on_done=self._dismissed, on_error=self._failed)

    def _dismissed(self, count: int) -> None:
        self.status.setText(f"Dismissed {count}; they will not be shown again.")
        self.reload()

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.reload()


def open_inbox(window: Any) -> InboxDialog:
    """Open the Inbox over ``window``'s library (its runner and settings)."""
    dialog = InboxDialog(window.library, window.runner, lambda: window.settings, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.library_changed.connect(lambda: window.queries.refresh_all())
    window.inbox_dialog = dialog
    dialog.show()
    return dialog


def start_weekly_run(window: Any) -> None:
    """At start-up: run the watches on the net worker when a week has passed (or a run
    was queued offline), and say in the status bar what reached the inbox."""
    def done(runs: list[WatchRun] | None) -> None:
        if not runs:
            return
        added = sum(r.added for r in runs)
        queued = sum(r.queued for r in runs)
        text = f"Watches: {added} new paper{'s' if added != 1 else ''} in the Inbox"
        if queued:
            text += f"; {queued} queued until online"
        window.status.show_message(text)

    window.runner.start(run_if_due, window.library, window.settings, pool="net",
                        on_done=done, on_error=lambda _message: None)
