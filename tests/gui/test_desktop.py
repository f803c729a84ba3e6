"""Desktop citizenship: preferences saved without environment overrides, window layout
remembered under the data directory, recent libraries, the app icon and desktop entry,
shortcuts, palette-following colours."""

from __future__ import annotations

import configparser
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from spinelib import paths
from spinelib import settings as settings_mod
from spinelib.gui import app
from spinelib.gui.detail import palette_colours
from spinelib.gui.mainwindow import MainWindow
from spinelib.gui.prefsdialog import PreferencesDialog
from spinelib.gui.state import WindowState
from spinelib.library import Library
from spinelib.settings import Settings


def test_preferences_save_only_the_users_values(window: MainWindow, qtbot: QtBot) -> None:
    path = paths.settings_path()
    settings_mod.save(Settings(email="old@example.org", recent_libraries=["/x.sqlite"]), path)
    dialog = PreferencesDialog(path, window, env={"SPINELIB_EMAIL": "env@example.org",
                                                  "SPINELIB_EUTILS_URL": "http://127.0.0.1:9"})
    qtbot.addWidget(dialog)
    assert dialog.email.text() == "old@example.org"  # the file's value, not the environment's
    assert "SPINELIB_EMAIL" in dialog.env_note.text()
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Password
    dialog.show_key.setChecked(True)
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Normal
    dialog.email.setText("surgeon@hospital.org")
    dialog.api_key.setText("secretkey0123")  # NCBI's keys are letters and digits
    dialog.export_format.setCurrentIndex(dialog.export_format.findData("ris"))
    dialog.abstracts.setChecked(True)
    assert dialog.retries.value() == 4 and dialog.read_timeout.value() == 30
    dialog.retries.setValue(2)
    dialog.connect_timeout.setValue(5)
    with qtbot.waitSignal(dialog.saved) as sig:
        dialog.save()
    stored = json.loads(path.read_text(encoding="utf-8"))["settings"]
    assert stored["email"] == "surgeon@hospital.org"
    assert stored["ncbi_api_key"] == "secretkey0123"
    assert stored["export_format"] == "ris" and stored["export_abstracts"] is True
    assert stored["max_retries"] == 2 and stored["connect_timeout"] == 5.0
    assert stored["eutils_url"] == settings_mod.DEFAULT_EUTILS_URL  # env never written
    assert stored["recent_libraries"] == ["/x.sqlite"]  # kept
    effective = sig.args[0]
    assert effective.email == "env@example.org"  # the environment still wins this session


def test_preferences_dialog_from_the_window(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.show_preferences()
    dialog.email.setText("a@b.org")
    dialog.save()
    qtbot.waitUntil(lambda: "Preferences saved" in window.statusBar().currentMessage())
    assert settings_mod.load(paths.settings_path(), env={}).email == "a@b.org"


def test_preferences_set_the_full_text_folders(window: MainWindow, qtbot: QtBot,
                                              tmp_path: Path) -> None:
    """The watched folder and the base of linked files are settings a surgeon can set
    (issue 18: Preferences cover the settings that exist); a new watched folder is
    watched at once, without restarting."""
    papers = tmp_path / "Dropped papers"
    papers.mkdir()
    dialog = window.show_preferences()
    assert dialog.watched_folder.path() == "" and dialog.files_base.path() == ""
    dialog.watched_folder.edit.setText(str(papers))
    dialog.files_base.edit.setText(str(tmp_path))
    dialog.save()
    qtbot.waitUntil(lambda: "Preferences saved" in window.statusBar().currentMessage())
    stored = settings_mod.load(paths.settings_path(), env={})
    assert stored.watched_folder == str(papers) and stored.files_base_folder == str(tmp_path)
    assert window.pdfs.watcher.directories() == [str(papers)]
    again = window.show_preferences()
    assert again.watched_folder.path() == str(papers)
    again.watched_folder.edit.clear()
    again.save()
    qtbot.waitUntil(lambda: window.pdfs.watcher.directories() == [])


def test_layout_is_remembered(lib: Library, make_window: Callable[..., MainWindow],
                              qtbot: QtBot) -> None:
    win = make_window(lib)
    win.show()
    win.resize(780, 560)  # within the offscreen screen (800x600): geometry is clamped to it
    # A split every pane's minimum allows with room to spare (the detail pane's minimum is
    # its tabs' whole labels, so it depends on the fonts): a binding minimum would let the
    # splitter move pixels between panes on restore, which is not what is tested here.
    total = sum(win.splitter.sizes())
    detail = win.detail.minimumSizeHint().width() + 4
    win.splitter.setSizes([126, total - 126 - detail, detail])
    assert win.splitter.sizes()[1] >= win.center.minimumWidth() + 4, win.splitter.sizes()
    win.table.setColumnWidth(0, 222)
    sizes = win.splitter.sizes()
    win.save_state()
    state_file = paths.data_dir() / "window-state.ini"
    assert state_file.is_file()  # under SPINELIB_HOME, not the user's real home
    assert configparser.ConfigParser().read(state_file)
    win.close()  # as quitting does (it closes the library: the next window opens it anew)
    again = MainWindow(Library.open(lib.path), Settings(), state=WindowState(state_file))
    qtbot.addWidget(again)
    again.show()
    assert again.splitter.sizes() == sizes
    assert again.table.columnWidth(0) == 222
    assert (again.width(), again.height()) == (780, 560)


def test_recent_libraries_are_remembered(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    app.remember_library(first)
    recent = app.remember_library(second)
    assert recent[:2] == [str(second.resolve()), str(first.resolve())]
    assert app.remember_library(first)[:2] == [str(first.resolve()), str(second.resolve())]
    stored = settings_mod.load(paths.settings_path(), env={})
    assert stored.recent_libraries[0] == str(first.resolve())


def test_open_recent_asks_to_open_another_library(window: MainWindow, tmp_path: Path,
                                                  qtbot: QtBot) -> None:
    other = tmp_path / "other.sqlite"
    window.settings.recent_libraries = [str(other), str(window.library.path)]
    window.recent_menu.fill()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == [str(other)]  # not the library already open
    with qtbot.waitSignal(window.open_library_requested) as sig:
        actions[0].trigger()
    assert sig.args == [other]


def test_launcher_opens_a_library_in_a_new_window(tmp_path: Path, qtbot: QtBot) -> None:
    launcher = app.Launcher()
    path = tmp_path / "second.sqlite"
    launcher.open(path)
    qtbot.waitUntil(lambda: len(launcher.windows) == 1, timeout=10000)
    win = launcher.windows[0]
    assert win.windowTitle() == "SpineLib — second"  # type: ignore[attr-defined]
    assert str(path.resolve()) in settings_mod.load(paths.settings_path(),
                                                    env={}).recent_libraries
    launcher.open(path)  # already open: raised, not opened twice
    assert len(launcher.windows) == 1
    win.close()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: launcher.windows == [])


def test_icon_and_desktop_entry_ship(qapp: object) -> None:
    # qapp: a QIcon needs a QGuiApplication; without one (this test first on a worker) Qt
    # aborts the process.
    icon = app.app_icon()
    assert not icon.isNull()
    assert {16, 32, 48, 256} <= {s.width() for s in icon.availableSizes()}
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(paths.resource("spinelib.desktop"), encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Icon"] == "spinelib"
    assert desktop["Exec"].split()[0] == "spinelib"


def test_frequent_actions_have_shortcuts(window: MainWindow) -> None:
    shortcuts = {a.text(): a.shortcut().toString() for a in
                 (window.acts.import_articles, window.acts.export, window.acts.copy_citation,
                  window.acts.copy_key, window.acts.find, window.acts.tags, window.acts.read,
                  window.acts.unread, window.acts.add_to_list, window.acts.new_list)}
    assert shortcuts["&Import…"] == "Ctrl+I"
    assert shortcuts["&Export…"] == "Ctrl+E"
    assert shortcuts["Copy &citation"] == "Ctrl+Shift+C"
    assert all(shortcuts.values()), shortcuts
    assert len(set(shortcuts.values())) == len(shortcuts)  # no clashes


def test_colours_follow_the_palette(window: MainWindow) -> None:
    dark = QPalette(window.detail.palette())
    dark.setColor(QPalette.ColorRole.Text, "#eeeeee")
    dark.setColor(QPalette.ColorRole.Base, "#202020")
    window.detail.setPalette(dark)
    assert palette_colours(window.detail).text == "#eeeeee"


def test_empty_library_shows_the_welcome_panel(tmp_path: Path,
                                               make_window: Callable[..., MainWindow],
                                               qtbot: QtBot) -> None:
    lib = Library.open(tmp_path / "new.sqlite")
    win = make_window(lib)
    qtbot.waitUntil(lambda: win.center.currentWidget() is win.welcome)
    # The sample opens as a library of its own; this one stays empty.
    opened: list[Path] = []
    win.open_library_requested.connect(opened.append)
    win.welcome.buttons["open_sample"].click()
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    assert opened[0].name == "Sample library.sqlite" and opened[0].is_file()
    assert opened[0].resolve() != Path(lib.path).resolve()
    sample = Library.open(opened[0])
    assert sample.search.count() == 15 and sample.lists.all()[0].name == "Start here"
    sample.close()
    assert lib.search.count() == 0 and win.center.currentWidget() is win.welcome
    win.welcome.import_identifiers_requested.emit()
    assert win.imports.dialogs and win.imports.dialogs[0].isVisible()
    lib.close()


def test_help_menu_is_installed(window: MainWindow) -> None:
    help_menu = [m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Help"][0]
    texts = [a.text() for a in help_menu.actions()]
    assert "&Keyboard Shortcuts" in texts and "&About SpineLib" in texts


def test_detail_text_follows_a_palette_change(window: MainWindow, lib: Library,
                                              qtbot: QtBot) -> None:
    from tests.gui.conftest import article_id, wait_loaded

    wait_loaded(qtbot, window, article_id(lib, "16112300"))
    dark = QPalette(window.detail.palette())
    dark.setColor(QPalette.ColorRole.Text, "#e0e0e0")
    window.detail.setPalette(dark)
    assert "#e0e0e0" in window.detail.browser.toHtml()


def test_preferences_closed_before_the_styles_load_is_not_called_back(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing Preferences at once (Esc) deleted its style chooser while the list of styles
    was still being read; the read's answer then called the deleted widget (a traceback,
    seen in a screenshot run). A task's answer to a widget that is gone is dropped."""
    from spinelib.gui import manuscriptgui

    release = threading.Event()
    real = manuscriptgui.style_choices

    def slow_choices() -> tuple[list[Any], list[Any]]:
        release.wait(10)
        return real()

    monkeypatch.setattr(manuscriptgui, "style_choices", slow_choices)
    dialog = window.show_preferences()
    chooser = dialog.citation_style
    dialog.reject()  # WA_DeleteOnClose: the dialog and its chooser go
    qtbot.waitUntil(lambda: not shiboken6.isValid(chooser))
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy)
    qtbot.wait(50)  # the queued answer is delivered, and must be dropped without an error
    # The window goes on working: a new Preferences gets the whole list.
    again = window.show_preferences()
    qtbot.waitUntil(lambda: again.citation_style.count() > 10)
