"""Help ▸ About SpineLib: the version, the open library, and every dependency's licence.

Nothing is typed in by hand, so it cannot go stale: each dependency's version and licence
are read from its installed package metadata (``importlib.metadata``; the frozen build ships
that metadata), the run-time facts from the running interpreter and Qt.
"""

from __future__ import annotations

import platform
import re
import sys
from dataclasses import dataclass
from email.message import Message
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spinelib import __version__
from spinelib.library import Library

#: The distribution whose run-time requirements the About dialog lists.
APP_DISTRIBUTION = "spinelib"
#: A licence field longer than this is the licence's full text, not its name.
MAX_LICENCE_NAME = 80


@dataclass(frozen=True)
class Dependency:
    """An installed distribution SpineLib runs on, as the About dialog lists it."""

    name: str
    version: str
    licence: str


def licence_of(meta: Message) -> str:
    """A distribution's licence as a short name, from the most precise field it fills.

    Order: the SPDX ``License-Expression`` (new metadata), a short ``License`` field, the
    ``License ::`` classifiers, the first line of a long ``License`` text; else 'not stated'.
    """
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= MAX_LICENCE_NAME and field != "UNKNOWN":
        return field
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    first_line = field.splitlines()[0].strip() if field else ""
    if first_line and len(first_line) <= MAX_LICENCE_NAME and first_line != "UNKNOWN":
        return first_line
    return "not stated"


def _requirement_name(requirement: str) -> str | None:
    """The distribution a run-time requirement names, or None for an extra's requirement."""
    spec, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return match.group(1) if match else None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependencies(root: str = APP_DISTRIBUTION) -> list[Dependency]:
    """Every installed distribution ``root`` needs at run time, directly or not, by name.

    Read from package metadata, so it lists what is really installed (or frozen) with its
    real version. Requirements of extras, and ones not installed on this platform, are left
    out. Empty when ``root`` itself has no metadata (run from a bare checkout).
    """
    found: dict[str, Dependency] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if _normalise(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        meta = dist.metadata
        found[_normalise(name)] = Dependency(meta["Name"] or name, dist.version,
                                             licence_of(meta))  # type: ignore[arg-type]
        todo.extend(n for n in map(_requirement_name, dist.requires or []) if n)
    found.pop(_normalise(root), None)
    return sorted(found.values(), key=lambda d: d.name.casefold())


def own_licence() -> str:
    """SpineLib's own licence, from its metadata when installed."""
    try:
        return licence_of(metadata.metadata(APP_DISTRIBUTION))  # type: ignore[arg-type]
    except metadata.PackageNotFoundError:
        return "see the LICENSE file"


def environment_lines(library_path: Path) -> list[tuple[str, str]]:
    """(label, value) facts a bug report needs: versions, platform, the open library."""
    return [
        ("SpineLib", __version__),
        ("Library", str(library_path)),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("SQLite", Library.engine_version()),
        ("System", platform.platform()),
        ("Frozen build", "yes" if getattr(sys, "frozen", False) else "no"),
    ]


class AboutDialog(QDialog):
    """Version, the open library, the versions SpineLib runs on, and every licence."""

    def __init__(self, library_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About SpineLib")
        self.facts = environment_lines(Path(library_path))
        self.dependencies = dependencies()

        title = QLabel(f"<h2>SpineLib {__version__}</h2>")
        blurb = QLabel("An offline-first reference manager for spine-oncology literature.\n"
                       f"Licence: {own_licence()}")
        blurb.setWordWrap(True)

        facts = QGridLayout()
        for row, (label, value) in enumerate(self.facts):
            value_label = QLabel(value)
            value_label.setTextFormat(Qt.TextFormat.PlainText)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value_label.setWordWrap(True)
            facts.addWidget(QLabel(f"{label}:"), row, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value_label, row, 1)
        facts.setColumnStretch(1, 1)

        heading = QLabel("SpineLib is built on these projects, each under its own licence:")
        heading.setWordWrap(True)
        self.table = QTableWidget(len(self.dependencies), 3)
        self.table.setHorizontalHeaderLabels(["Package", "Version", "Licence"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, dep in enumerate(self.dependencies):
            for col, text in enumerate((dep.name, dep.version, dep.licence)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if not self.dependencies:
            heading.setText("Package information is not available in this installation.")
            self.table.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy Details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Copy versions and licences, e.g. for a bug report")
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(facts)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 600)

    def details_text(self) -> str:
        """Everything the dialog shows, as plain text."""
        lines = [f"{label}: {value}" for label, value in self.facts]
        lines.append("")
        lines += [f"{d.name} {d.version} ({d.licence})" for d in self.dependencies]
        return "\n".join(lines) + "\n"

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
