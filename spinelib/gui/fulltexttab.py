"""The detail pane's Text tab: the article's attached files (with page counts), the
highlights and comments saved in its PDFs, and its own text, reflowable, with the search
terms highlighted and the hit pages named (issue 14).

Loaded on a read worker (:func:`spinelib.gui.pdfjobs.load_fulltext`); a load that finishes
after another article was chosen is dropped. Double-clicking a file opens it in the system
viewer; when the viewer saves it (new highlights), the tab reads it again by itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from spinelib.gui.pdfjobs import (
    LIBRARY_ANCHOR,
    PAGE_ANCHOR,
    FulltextData,
    fulltext_html,
    load_fulltext,
)
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library
from spinelib.results_files import source_label
from spinelib.text import plural

PathRole = Qt.ItemDataRole.UserRole + 7
#: The file list's first height, in pixels (a few files' lines).
FILES_HEIGHT = 90
#: Qt's "no maximum" size (QWIDGETSIZE_MAX, not exported by PySide6).
QWIDGETSIZE_MAX = (1 << 24) - 1


def attachment_label(data: FulltextData, index: int) -> str:
    a = data.attachments[index]
    pages = f", {plural(a.pages, 'page')}" if a.pages else ""
    extra = f", {a.version} version" if a.version else ""
    status = f" — {a.text_status}" if a.text_status else ""
    return f"{a.name} ({a.kind}{pages}, {source_label(a.source)}{extra}){status}"


class FulltextTab(QWidget):
    """Files above, text below; :meth:`show_article` loads both on a worker."""

    #: Open this file in the system viewer.
    open_file = Signal(Path)
    #: Copy this article's highlights and comments into its notes.
    copy_to_notes = Signal(int)
    #: The empty state's "Open through my library" was clicked.
    through_library = Signal()

    def __init__(self, library: Library, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.article_id: int | None = None
        self.search = ""
        self.data: FulltextData | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.files_label = QLabel("Files", self)
        self.files_label.setMargin(4)
        self.copy_button = QPushButton("Copy highlights to notes", self)
        self.copy_button.setToolTip(
            "Add the highlights and comments saved in this article's PDFs to its notes, "
            "where they are searched and exported (only those the notes lack)")
        self.copy_button.clicked.connect(self._copy_clicked)
        self.copy_button.hide()
        self.files = QListWidget(self)
        self.files.setToolTip("Double-click to open the file (Ctrl+O opens the first PDF); "
                              "highlights and comments you save there show here")
        # A PDF saved by the viewer (highlights added) is read again, once the save is over.
        self._saved = QFileSystemWatcher(self)
        self._saved_timer = QTimer(self, singleShot=True, interval=700)
        self._saved_timer.timeout.connect(self._reread)
        #: The article whose reload keeps the text's scroll position (a save, not a choice).
        self._keep_scroll: int | None = None
        self._saved.fileChanged.connect(lambda _path: self._saved_timer.start())
        self.files.itemDoubleClicked.connect(self._open_item)
        self.files.itemActivated.connect(self._open_item)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._link_clicked)
        self._split = split = QSplitter(Qt.Orientation.Vertical, self)
        self._top = top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 4, 0)
        head.addWidget(self.files_label, 1)
        head.addWidget(self.copy_button)
        top_layout.addLayout(head)
        top_layout.addWidget(self.files)
        split.addWidget(top)
        split.addWidget(self.text)
        split.setSizes([FILES_HEIGHT, 400])
        layout.addWidget(split)

    def show_article(self, article_id: int | None, search: str | None = None) -> None:
        if search is not None:
            self.search = search
        self.article_id = article_id
        self._generation += 1
        if article_id is None:
            self.data = None
            self.files.clear()
            self.text.clear()
            self._watch([])
            self.copy_button.hide()
            return
        generation = self._generation
        self.runner.start(load_fulltext, self.library, article_id, self.search,
                          on_done=lambda data: self._loaded(generation, data),
                          on_error=lambda msg: self._failed(generation, msg))

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:  # a stale load's error never hides the text
            self.text.setPlainText(message)

    def set_search(self, search: str) -> None:
        if search != self.search:
            self.show_article(self.article_id, search)

    def reload(self) -> None:
        self.show_article(self.article_id)

    def _loaded(self, generation: int, data: FulltextData) -> None:
        if generation != self._generation:
            return  # another article was chosen meanwhile
        self.data = data
        self.files.clear()
        for i, a in enumerate(data.attachments):
            item = QListWidgetItem(attachment_label(data, i), self.files)
            item.setData(PathRole, str(a.path))
        self.files_label.setText(f"Files ({len(data.attachments)})" if data.attachments
                                 else "No files attached")
        self._show_files(bool(data.attachments))
        self.copy_button.setVisible(data.annotated)
        self._watch([a.path for a in data.attachments if a.kind == "pdf"])
        scrolled = self.text.verticalScrollBar().value()
        self.text.setHtml(fulltext_html(data))
        if self._keep_scroll == data.article_id:  # read again after a save: stay put
            self.text.verticalScrollBar().setValue(scrolled)
        self._keep_scroll = None

    def _show_files(self, any_files: bool) -> None:
        """The file list only when there are files: most articles of a library have none,
        and an empty white box above "No full text stored" reads as something missing."""
        if any_files == self.files.isVisibleTo(self):
            return
        self.files.setVisible(any_files)
        if any_files:
            self._top.setMaximumHeight(QWIDGETSIZE_MAX)
            total = sum(self._split.sizes())
            self._split.setSizes([FILES_HEIGHT, max(total - FILES_HEIGHT, 0)])
        else:
            self._top.setMaximumHeight(self.files_label.sizeHint().height())

    def _watch(self, paths: list[Path]) -> None:
        """Watch the shown article's PDFs (only theirs) for the viewer's saves."""
        wanted = {str(p) for p in paths if p.is_file()}
        old = set(self._saved.files())
        if old - wanted:
            self._saved.removePaths(sorted(old - wanted))
        if wanted - old:
            self._saved.addPaths(sorted(wanted - old))

    def _reread(self) -> None:
        self._keep_scroll = self.article_id
        # A viewer that saves by writing a new file and renaming it over the old one ends
        # the watch on the old file: the reload watches the new one.
        if self._saved.files():
            self._saved.removePaths(self._saved.files())
        self.reload()

    def _link_clicked(self, url: QUrl) -> None:
        """A page number (of a highlight, or a search hit) scrolls to that page's text; the
        empty state's library link opens the article through the reader's library."""
        if url.fragment().startswith(PAGE_ANCHOR):
            self.text.scrollToAnchor(url.fragment())
        elif url.fragment() == LIBRARY_ANCHOR and not url.scheme():  # our own link only
            self.through_library.emit()

    def _copy_clicked(self) -> None:
        if self.article_id is not None:
            self.copy_to_notes.emit(self.article_id)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_file.emit(Path(item.data(PathRole)))
