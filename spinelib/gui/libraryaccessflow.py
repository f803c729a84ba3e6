"""Full text ▸ Open through my library: the shown article in the browser, through the
reader's institution (:mod:`spinelib.libraryaccess`), for the papers no open copy exists of.

The proxy's link comes first (it goes straight to the publisher's page, signed in), the
link resolver's otherwise. When neither is set, the user is told where to set them and
offered the Preferences at once; an article the settings cannot reach (no DOI, proxy
only) and a hand-edited setting that cannot work are said in the status bar, in words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox

from spinelib.libraryaccess import AccessSettingError, access_from, access_links, why_no_link

if TYPE_CHECKING:
    from spinelib.gui.mainwindow import MainWindow


class LibraryAccessFlow(QObject):
    """The action, and what it does for the window's shown article."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        #: Opens an address in the browser; replaced in tests.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        #: The "not set yet" question while it is open (tests answer it).
        self.question: QMessageBox | None = None
        self.action = QAction("Open through my &library", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.action.setToolTip("Open the current article at the publisher through your "
                               "hospital's or university's library (its proxy or link "
                               "resolver, set in Preferences): for papers without an open copy")
        self.action.triggered.connect(self.open_shown)
        window.addAction(self.action)

    def open_shown(self) -> None:
        """Open the article the detail pane shows through the reader's library."""
        data = self.w.detail.data
        if data is None:
            self.w.status.show_message("Select an article to open it through your library.")
            return
        settings = self.w.settings
        try:
            access = access_from(settings.library_proxy, settings.link_resolver)
        except AccessSettingError as exc:
            self.w.status.show_message(f"Not opened: {exc} (File ▸ Preferences).")
            return
        if not access.configured:
            self._ask_for_settings()
            return
        links = access_links(data.record, access)
        if not links:
            self.w.status.show_message(f"Not opened: {why_no_link(data.record, access)}.")
            return
        self.open_url(QUrl(links[0].url, QUrl.ParsingMode.StrictMode))
        folder = settings.watched_folder
        then = (f"save the PDF into {folder} (the watched folder) or drop it on the article"
                if folder else "drop the PDF on the article")
        self.w.status.show_message(f"Opened in your browser: {links[0].label.lower()}. "
                                   f"To attach it, {then}.")

    def _ask_for_settings(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Open through my library",
                          "Your library's proxy is not set yet.", parent=self.w)
        box.setInformativeText(
            "Ask your hospital's or university's library for its off-campus starting-point "
            "address (EZproxy or OpenAthens; it often ends in “login?url=”), or its link "
            "resolver, and enter it in Preferences. Papers without an open copy then open "
            "at the publisher, signed in as your institution.")
        go = box.addButton("Open Preferences…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is go))
        self.question = box
        box.open()

    def _answered(self, open_preferences: bool) -> None:
        self.question = None
        if open_preferences:
            self.w.show_preferences()
