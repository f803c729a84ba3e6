"""The welcome panel: what an empty library shows instead of an empty table.

A first-time user sees three ways in (import by identifier, import a file, or open the sample
library of landmark spine-oncology papers) and where their library lives. The panel only
asks: each choice is a signal the main window connects to its own import dialog or task, so
the panel never touches the Library, the network or the disk.

It follows the system palette and font (no colours or point sizes of its own: only sizes
relative to the application font), so it reads well in light, dark and high-contrast themes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

#: Headline size relative to the application font (never an absolute size: users' fonts vary).
TITLE_SCALE = 1.8
#: The column of actions stays readable on a wide window.
MAX_CONTENT_WIDTH = 560
#: ... and wide enough that each description wraps to two or three lines, not eight.
MIN_CONTENT_WIDTH = 400

#: (object name, title, description) of each action, in the order shown.
ACTIONS = (
    ("import_identifiers", "Import by identifier…",
     "Paste DOIs, PubMed IDs or PubMed Central IDs (or links that contain them). SpineLib "
     "fetches each record with its abstract, MeSH headings and reference list. A BibTeX or "
     "RIS entry pasted from a journal's site comes in as written."),
    ("import_file", "Import a file…",
     "BibTeX, RIS, EndNote (XML or .enw), PubMed (.nbib, XML or CSV), Ovid (MEDLINE, "
     "Embase), Web of Science, Scopus CSV or CSL-JSON from another reference manager or a "
     "database search, PDFs, or a colleague's SpineLib library with its tags and lists."),
    ("open_sample", "Open the sample library",
     "A separate library of landmark spinal-oncology papers, one with its abstract and "
     "references, tags and a reading list: try everything offline, then close its window "
     "to come back here. Your own library stays empty until you import."),
)


class WelcomePanel(QWidget):
    """Three big choices for an empty library, plus where that library is.

    Signals (no arguments; the main window decides what each one opens):
    ``import_identifiers_requested``, ``import_file_requested``, ``open_sample_requested``.
    """

    import_identifiers_requested = Signal()
    import_file_requested = Signal()
    open_sample_requested = Signal()

    def __init__(self, library_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        # The window's background role, so the panel sits on the same colour as the rest.
        self.setBackgroundRole(QPalette.ColorRole.Window)

        self.title = QLabel("Welcome to SpineLib")
        self.title.setObjectName("welcomeTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
        font.setBold(True)
        self.title.setFont(font)

        self.intro = QLabel("Your library is empty. Start by bringing in some papers:")
        self.intro.setWordWrap(True)

        self.buttons: dict[str, QCommandLinkButton] = {}
        signals = {
            "import_identifiers": self.import_identifiers_requested,
            "import_file": self.import_file_requested,
            "open_sample": self.open_sample_requested,
        }
        for name, title, description in ACTIONS:
            button = QCommandLinkButton(title, description)
            button.setObjectName(name)
            button.setAccessibleName(title.rstrip("…"))
            button.setAccessibleDescription(description)
            # As wide as the column, and as tall as its wrapped text needs at that width
            # (height-for-width, which QCommandLinkButton supports but a new policy drops).
            policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            policy.setHeightForWidth(True)
            button.setSizePolicy(policy)
            button.clicked.connect(signals[name].emit)
            self.buttons[name] = button

        self.location = QLabel()
        self.location.setObjectName("libraryLocation")
        self.location.setWordWrap(True)
        self.location.setTextFormat(Qt.TextFormat.PlainText)
        # Selectable, so the path can be copied into a file manager or a backup script.
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A secondary line: the palette's placeholder colour, so it follows the theme.
        self.location.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.set_library_path(library_path)

        column = QWidget()
        column.setMaximumWidth(MAX_CONTENT_WIDTH)
        column.setMinimumWidth(MIN_CONTENT_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addSpacing(6)
        for button in self.buttons.values():
            inner.addWidget(button)
        inner.addSpacing(12)
        inner.addWidget(self.location)
        inner.addStretch(1)

        # The column takes the width it may have (up to MAX_CONTENT_WIDTH), centred, a little
        # above the middle where the eye starts.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 10)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.setFocusProxy(self.buttons["import_identifiers"])

    def set_library_path(self, library_path: Path | str) -> None:
        """Say where the library lives (after the user opens another library file)."""
        path = Path(library_path)
        self.location.setText(f"Your library is stored in {path}")
        self.location.setToolTip(str(path))
