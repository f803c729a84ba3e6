"""The Help menu: shortcuts from the real actions, the library's places, About from metadata."""

from __future__ import annotations

import platform
from email.message import Message
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from spinelib import __version__, paths
from spinelib.gui import aboutdialog
from spinelib.gui.aboutdialog import AboutDialog, licence_of
from spinelib.gui.helpmenu import (
    LibraryLocationDialog,
    ShortcutsDialog,
    install_help_menu,
    shortcut_rows,
)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    win = QMainWindow()
    qtbot.addWidget(win)
    return win


def make_action(window: QMainWindow, text: str, *keys: str) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    window.addAction(action)
    return action


# ---------------------------------------------------------------- shortcuts
def test_rows_come_from_the_actions_as_they_are(window: QMainWindow) -> None:
    find = make_action(window, "&Find", "Ctrl+F")
    imp = make_action(window, "&Import…", "Ctrl+I", "Ctrl+Shift+O")
    make_action(window, "No shortcut here")
    make_action(window, "R&&D notes", "Ctrl+D")
    rows = shortcut_rows(window.actions())
    native = lambda k: QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)  # noqa: E731
    assert rows == [("Find", native("Ctrl+F")),
                    ("Import", f"{native('Ctrl+I')}, {native('Ctrl+Shift+O')}"),
                    ("R&D notes", native("Ctrl+D"))]
    # Change a shortcut: the next listing says so (nothing is cached or hard-coded).
    find.setShortcut(QKeySequence("F3"))
    imp.setText("Import Files")
    rows = shortcut_rows(window.actions())
    assert ("Find", native("F3")) in rows and ("Import Files", rows[1][1]) == rows[1]


def test_an_action_listed_twice_appears_once(window: QMainWindow) -> None:
    a = make_action(window, "Refresh", "F5")
    assert shortcut_rows([a, a]) == [("Refresh", QKeySequence("F5").toString(
        QKeySequence.SequenceFormat.NativeText))]


def test_dialog_lists_and_filters(window: QMainWindow, qtbot: QtBot) -> None:
    make_action(window, "Find", "Ctrl+F")
    make_action(window, "Export…", "Ctrl+E")
    make_action(window, "Delete", "Del")
    dialog = ShortcutsDialog(window.actions(), window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3
    item = dialog.table.item(1, 0)
    assert item is not None and item.text() == "Export"
    dialog.filter.setText("exp")
    assert [r[0] for r in dialog.visible_rows()] == ["Export"]
    dialog.filter.setText("ctrl")  # keys match too
    assert {r[0] for r in dialog.visible_rows()} == {"Find", "Export"}
    dialog.filter.clear()
    assert len(dialog.visible_rows()) == 3
    assert dialog.empty.isHidden()


def test_dialog_says_when_there_is_nothing(window: QMainWindow, qtbot: QtBot) -> None:
    dialog = ShortcutsDialog([], window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.empty.isHidden()


# ---------------------------------------------------------------- where is my library
def test_locations_follow_the_paths_module(tmp_path: Path, window: QMainWindow,
                                           qtbot: QtBot) -> None:
    lib = tmp_path / "papers" / "spine.sqlite"
    lib.parent.mkdir()
    lib.touch()
    opened: list[QUrl] = []

    def opener(url: QUrl) -> bool:
        opened.append(url)
        return True

    dialog = LibraryLocationDialog(lib, window, open_url=opener)
    qtbot.addWidget(dialog)
    by_what = {loc.what: loc for loc in dialog.locations}
    assert by_what["Library file"].path == lib
    assert by_what["Backups"].path == paths.backup_dir(lib)
    assert by_what["Settings and log"].path == paths.data_dir()  # SPINELIB_HOME from conftest
    # The library's folder exists: its button opens it. No backup yet: that button is off.
    library_button = dialog.open_buttons[0]
    assert library_button.isEnabled()
    library_button.click()
    assert opened == [QUrl.fromLocalFile(str(lib.parent))]
    assert not dialog.open_buttons[1].isEnabled()
    assert dialog.status.text() == ""


def test_a_folder_that_cannot_be_opened_is_said(tmp_path: Path, window: QMainWindow,
                                                qtbot: QtBot) -> None:
    lib = tmp_path / "spine.sqlite"
    dialog = LibraryLocationDialog(lib, window, open_url=lambda url: False)
    qtbot.addWidget(dialog)
    assert dialog.open_folder(tmp_path) is False
    assert str(tmp_path) in dialog.status.text()


# ---------------------------------------------------------------- about
def test_about_reads_versions_and_licences_at_run_time(tmp_path: Path, window: QMainWindow,
                                                       qtbot: QtBot) -> None:
    dialog = AboutDialog(tmp_path / "spine.sqlite", window)
    qtbot.addWidget(dialog)
    facts = dict(dialog.facts)
    assert facts["SpineLib"] == __version__
    assert facts["Library"] == str(tmp_path / "spine.sqlite")
    assert facts["Python"].startswith(platform.python_version())
    assert facts["Qt"] == qVersion()
    deps = {d.name.lower().replace("_", "-"): d for d in dialog.dependencies}
    # Direct and indirect requirements, each with the version really installed.
    for name in ("pyside6-essentials", "requests", "bibtexparser", "defusedxml", "urllib3"):
        assert name in deps, name
        assert deps[name].version == metadata.version(name)
        assert deps[name].licence and deps[name].licence != "not stated"
    assert "spinelib" not in deps
    assert "pytest" not in deps  # test extras are not run-time dependencies
    assert "sqlalchemy" not in deps  # the store speaks sqlite3 itself
    assert dialog.table.rowCount() == len(dialog.dependencies)
    text = dialog.details_text()
    assert f"SpineLib: {__version__}" in text and "requests" in text


def test_copy_details_puts_them_on_the_clipboard(tmp_path: Path, window: QMainWindow,
                                                 qtbot: QtBot) -> None:
    dialog = AboutDialog(tmp_path / "spine.sqlite", window)
    qtbot.addWidget(dialog)
    dialog.copy_details()
    assert QApplication.clipboard().text() == dialog.details_text()


def _meta(**fields: str | list[str]) -> Message:
    msg = Message()
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            msg[key.replace("_", "-")] = v
    return msg


def test_licence_prefers_the_most_precise_field() -> None:
    assert licence_of(_meta(License_Expression="MIT", License="whatever")) == "MIT"
    assert licence_of(_meta(License="Apache-2.0")) == "Apache-2.0"
    assert licence_of(_meta(License="UNKNOWN", Classifier=[
        "Programming Language :: Python",
        "License :: OSI Approved :: BSD License"])) == "BSD License"
    full_text = "MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted…"
    assert licence_of(_meta(License=full_text)) == "MIT License"
    assert licence_of(_meta()) == "not stated"


def test_no_metadata_means_an_honest_note(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          window: QMainWindow, qtbot: QtBot) -> None:
    def missing(name: str) -> metadata.Distribution:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(aboutdialog.metadata, "distribution", missing)
    dialog = AboutDialog(tmp_path / "spine.sqlite", window)
    qtbot.addWidget(dialog)
    assert dialog.dependencies == []
    assert dialog.table.isHidden()


# ---------------------------------------------------------------- the menu
def test_install_fills_the_menu_and_opens_live_dialogs(window: QMainWindow, qtbot: QtBot,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    menu = window.menuBar().addMenu("&Help")
    make_action(window, "Find", "Ctrl+F")
    current = {"path": tmp_path / "one.sqlite"}
    shown: list[object] = []

    def record(self: object) -> int:  # instead of a modal loop
        shown.append(self)
        return 0

    for dialog_class in (ShortcutsDialog, LibraryLocationDialog, AboutDialog):
        monkeypatch.setattr(dialog_class, "exec", record)
    acts = install_help_menu(menu, window, library_path=lambda: current["path"],
                             actions=lambda: window.findChildren(QAction))
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "&Keyboard Shortcuts", "&Where Is My Library?", "&About SpineLib"]

    make_action(window, "Added later", "Ctrl+L")  # the dialog sees actions added since
    acts.shortcuts.trigger()
    labels = [r[0] for r in shown[-1].rows]  # type: ignore[attr-defined]
    assert {"Find", "Added later", "Keyboard Shortcuts"} <= set(labels)

    current["path"] = tmp_path / "two.sqlite"  # the window switched libraries
    acts.location.trigger()
    assert shown[-1].locations[0].path == tmp_path / "two.sqlite"  # type: ignore[attr-defined]
    acts.about.trigger()
    assert dict(shown[-1].facts)["Library"] == str(tmp_path / "two.sqlite")  # type: ignore[attr-defined]
    assert acts.about.menuRole() == QAction.MenuRole.AboutRole
    assert isinstance(menu, QMenu)


def test_help_is_the_menu_bars_last_menu(lib: Any, make_window: Any) -> None:
    # Menus added after the menu bar is built (Full text; Team on a team library) go before
    # Help, where every desktop app keeps it last.
    window = make_window(lib)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Article", "View", "Full text", "Help"]
