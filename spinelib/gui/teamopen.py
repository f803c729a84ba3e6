"""File ▸ Open team library…: a URL, an optional password, "Test connection" and plain errors.

The dialog checks the URL's shape at once (no I/O: :func:`spinelib.library.teamurl.parse`),
tests the connection on a worker, and on Open asks the application to open the team library
in a window of its own. A password typed here lives only in memory for this session (libpq's
``~/.pgpass`` or a service file are used first; nothing is written to the settings).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spinelib.errors import SpineLibError
from spinelib.gui.tasks import TaskRunner
from spinelib.library import passwords, teamurl
from spinelib.library import team as teamlib

EXAMPLE_URL = "postgresql://alice@db.hospital.example/spine"
#: Added to a refusal that a password would fix.
PASSWORD_HINT = ("Type your password above, or put it in ~/.pgpass (or a PostgreSQL service "
                 "file) so you are not asked again.")


def explain_failure(message: str) -> str:
    """A connection failure as the user reads it, with what to do when it is a password."""
    lower = message.lower()
    if "no password supplied" in lower or "password authentication failed" in lower:
        return f"{message}\n{PASSWORD_HINT}"
    return message


class OpenTeamDialog(QDialog):
    """Asks for a team library's URL (and a password if libpq has none)."""

    #: Open this team library: (URL, password or None, keep the password in the keyring).
    open_requested = Signal(str, object, bool)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Open team library — SpineLib")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText(EXAMPLE_URL)
        self.url.setMinimumWidth(420)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only if ~/.pgpass or a service file has none")
        # Where a remembered password would go, said before the user decides.
        self.keyring_where = passwords.where()
        self.remember = QCheckBox("&Remember the password in the system keyring", self)
        self.remember.setEnabled(passwords.available())
        self.remember.setToolTip(f"Kept in {self.keyring_where}; never in SpineLib's "
                                 "settings or files." if passwords.available()
                                 else self.keyring_where[0].upper() + self.keyring_where[1:])
        if not passwords.available():
            self.remember.setText("Remember the password (no system keyring here)")
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.clicked.connect(self.test_connection)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setObjectName("teamOpenResult")
        form = QFormLayout()
        form.addRow("Library &URL:", self.url)
        form.addRow("&Password:", self.password)
        form.addRow("", self.remember)
        intro = QLabel("A library your department shares on PostgreSQL. You work on your own "
                       "copy, also offline; changes are exchanged whenever the server "
                       "answers.", self)
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.open_library)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.buttons)

    def _checked_url(self) -> str | None:
        """The URL if its shape is right; else the reason is shown and None returned."""
        text = self.url.text().strip()
        problem = None
        if not text:
            problem = f"Type the library's URL, like {EXAMPLE_URL}"
        elif not teamurl.is_url(text):
            problem = (f"A team library's URL starts with postgresql:// (like {EXAMPLE_URL});"
                       " to open a file, use File ▸ Open library.")
        else:
            try:
                teamurl.parse(text)
            except SpineLibError as exc:
                problem = str(exc)
        if problem is not None:
            self._show_error(problem)
            return None
        return text

    def _show_error(self, message: str) -> None:
        self.outcome.setStyleSheet("color: #b00020;")
        self.outcome.setText(message)

    def _password(self) -> str | None:
        return self.password.text() or None

    def test_connection(self) -> None:
        """Connect once on a worker and say what is there, or why not."""
        url = self._checked_url()
        if url is None:
            return
        self.test_button.setEnabled(False)
        self.outcome.setStyleSheet("")
        self.outcome.setText("Connecting…")

        def done(message: str) -> None:
            self.test_button.setEnabled(True)
            self.outcome.setStyleSheet("color: #1b5e20;")
            self.outcome.setText(message)

        def failed(message: str) -> None:
            self.test_button.setEnabled(True)
            self._show_error(explain_failure(message))

        self.runner.start(teamlib.check_connection, url, self._password(), pool="net",
                          on_done=done, on_error=failed)

    def open_library(self) -> None:
        url = self._checked_url()
        if url is None:
            return
        self.open_requested.emit(url, self._password(),
                                 self.remember.isEnabled() and self.remember.isChecked())
        self.accept()


__all__ = ["OpenTeamDialog", "explain_failure"]
