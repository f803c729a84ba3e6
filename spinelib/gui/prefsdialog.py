"""Preferences: every setting SpineLib has: contact email, NCBI API key, export defaults,
how patient the network is (timeouts, retries), the citation style, the full-text
folders (the base of linked files, the watched folder) and the reader's library (its proxy
and link resolver, checked before they are saved), saved to the settings file.

Only the user's own values are edited and saved: the file is read without the environment
overrides (``SPINELIB_*``), so a value set for one session in the environment is never
written into the file. The dialog says when such an override is active.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from spinelib import settings as settings_mod
from spinelib.errors import SpineLibError
from spinelib.gui.folderfield import FolderField
from spinelib.gui.jobs import EXPORT_FORMATS
from spinelib.gui.manuscriptgui import StyleChooser
from spinelib.libraryaccess import PROXY_EXAMPLE, RESOLVER_EXAMPLE, check_proxy, check_resolver
from spinelib.settings import ENV_OVERRIDES, Settings
from spinelib.settingvalues import check_api_key


class PreferencesDialog(QDialog):
    """Edit and save the settings file; ``saved`` carries the effective settings."""

    saved = Signal(object)

    def __init__(self, path: Path, parent: QWidget | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.env = os.environ if env is None else env
        self.stored = settings_mod.load(path, env={})
        self.setWindowTitle("Preferences")
        self.resize(600, 440)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.email = QLineEdit(self.stored.email, self)
        self.email.setPlaceholderText("you@hospital.org")
        self.email.setToolTip("Sent to PubMed and Crossref with every request, as they ask, so "
                              "they can contact you instead of blocking you")
        form.addRow("Contact email:", self.email)
        key_row = QHBoxLayout()
        self.api_key = QLineEdit(self.stored.ncbi_api_key, self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("optional: allows 10 PubMed requests a second")
        self.show_key = QCheckBox("Show", self)
        self.show_key.toggled.connect(lambda on: self.api_key.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.show_key)
        form.addRow("NCBI API key:", key_row)
        self.export_format = QComboBox(self)
        for name, (label, _f) in EXPORT_FORMATS.items():
            self.export_format.addItem(label, name)
        self.export_format.setCurrentIndex(max(0, self.export_format.findData(
            self.stored.export_format)))
        form.addRow("Default export format:", self.export_format)
        self.abstracts = QCheckBox("Include abstracts in exports", self)
        self.abstracts.setChecked(self.stored.export_abstracts)
        form.addRow("", self.abstracts)
        # How long to wait for PubMed and Crossref, and how often to try again (429/5xx,
        # resets); an offline machine is known at once whatever these say.
        self.connect_timeout = _seconds(self, self.stored.connect_timeout, 60)
        form.addRow("Connection timeout:", self.connect_timeout)
        self.read_timeout = _seconds(self, self.stored.read_timeout, 300)
        form.addRow("Answer timeout:", self.read_timeout)
        self.retries = QSpinBox(self)
        self.retries.setRange(0, 10)
        self.retries.setValue(int(self.stored.max_retries))
        self.retries.setToolTip("Tries after the first when a service is busy or the "
                                "connection breaks (not when this machine is offline)")
        form.addRow("Retries:", self.retries)
        self.citation_style = StyleChooser(self.stored.citation_style,
                                           getattr(parent, "runner", None), self)
        self.citation_style.setToolTip("Copy citation (Ctrl+Shift+C), the detail pane's Cite "
                                       "as and Format manuscript use it; type any part of a "
                                       "journal's name to find it")
        form.addRow("Citation style:", self.citation_style)
        self.watched_folder = FolderField(self.stored.watched_folder, "none", self)
        self.watched_folder.setToolTip("PDFs dropped into this folder are imported and "
                                       "attached while SpineLib is open")
        form.addRow("Watched folder:", self.watched_folder)
        self.files_base = FolderField(self.stored.files_base_folder, "your home folder", self)
        self.files_base.setToolTip("Linked files are remembered relative to this folder, so a "
                                   "moved folder of papers can be pointed to again here")
        form.addRow("Linked files under:", self.files_base)
        self.proxy = QLineEdit(self.stored.library_proxy, self)
        self.proxy.setPlaceholderText(PROXY_EXAMPLE)
        self.proxy.setToolTip("Your hospital's or university's off-campus starting point "
                              "(EZproxy, OpenAthens: its library's web page names it). A "
                              "paper without an open copy opens through it: Full text ▸ "
                              "Open through my library, or the link beside its DOI")
        form.addRow("Library proxy:", self.proxy)
        self.resolver = QLineEdit(self.stored.link_resolver, self)
        self.resolver.setPlaceholderText(RESOLVER_EXAMPLE + "  (optional)")
        self.resolver.setToolTip("Your library's link resolver (OpenURL: SFX, Alma, 360 "
                                 "Link), which finds the institution's copy of a paper by "
                                 "its citation, with or without a DOI")
        form.addRow("Link resolver:", self.resolver)
        layout.addLayout(form)
        self.problem = QLabel(self)  # why a value cannot be saved
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        layout.addWidget(self.problem)
        overridden = [var for var, name in ENV_OVERRIDES.items()
                      if self.env.get(var) and name in ("email", "ncbi_api_key")]
        self.env_note = QLabel(self)
        self.env_note.setWordWrap(True)
        if overridden:
            self.env_note.setText("Note: " + ", ".join(overridden) + " is set in the "
                                  "environment and takes precedence for this session.")
        layout.addWidget(self.env_note)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> Settings:
        """The stored settings with this dialog's edits (no environment overrides)."""
        return replace(self.stored, email=self.email.text().strip(),
                       ncbi_api_key=self.api_key.text().strip(),
                       export_format=str(self.export_format.currentData()),
                       export_abstracts=self.abstracts.isChecked(),
                       connect_timeout=float(self.connect_timeout.value()),
                       read_timeout=float(self.read_timeout.value()),
                       max_retries=self.retries.value(),
                       citation_style=self.citation_style.style_id(),
                       watched_folder=self.watched_folder.path(),
                       files_base_folder=self.files_base.path(),
                       library_proxy=self.proxy.text().strip(),
                       link_resolver=self.resolver.text().strip())

    def save(self) -> None:
        edited = self.values()
        for field, check in ((self.api_key, check_api_key), (self.proxy, check_proxy),
                             (self.resolver, check_resolver)):
            try:
                check(field.text())
            except SpineLibError as exc:  # said, and the dialog stays open to mend it
                self.problem.setText(f"Not saved: {exc}.")
                self.problem.show()
                field.setFocus()
                return
        # Re-read first: another window may have added a recent library meanwhile.
        latest = settings_mod.load(self.path, env={})
        merged = replace(latest, email=edited.email, ncbi_api_key=edited.ncbi_api_key,
                         export_format=edited.export_format,
                         export_abstracts=edited.export_abstracts,
                         connect_timeout=edited.connect_timeout,
                         read_timeout=edited.read_timeout, max_retries=edited.max_retries,
                         citation_style=edited.citation_style,
                         watched_folder=edited.watched_folder,
                         files_base_folder=edited.files_base_folder,
                         library_proxy=edited.library_proxy,
                         link_resolver=edited.link_resolver)
        settings_mod.save(merged, self.path)
        self.saved.emit(merged.with_env(self.env))
        self.accept()


def _seconds(parent: QWidget, value: float, most: int) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(1, most)
    box.setSuffix(" s")
    box.setValue(max(1, min(most, round(value))))
    return box
