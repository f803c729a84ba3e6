"""The welcome panel: three choices as signals, where the library is, the system's colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from spinelib.gui.welcome import WelcomePanel


@pytest.fixture
def panel(qtbot: QtBot, tmp_path: Path) -> WelcomePanel:
    widget = WelcomePanel(tmp_path / "My papers.sqlite")
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize(("button", "signal"), [
    ("import_identifiers", "import_identifiers_requested"),
    ("import_file", "import_file_requested"),
    ("open_sample", "open_sample_requested"),
])
def test_each_choice_emits_its_own_signal(panel: WelcomePanel, qtbot: QtBot, button: str,
                                          signal: str) -> None:
    others = [s for s in ("import_identifiers_requested", "import_file_requested",
                          "open_sample_requested") if s != signal]
    fired: list[str] = []
    for name in others:
        getattr(panel, name).connect(lambda name=name: fired.append(name))
    with qtbot.waitSignal(getattr(panel, signal), timeout=1000):
        qtbot.mouseClick(panel.buttons[button], Qt.MouseButton.LeftButton)
    assert fired == []


def test_choices_read_as_the_issue_names_them(panel: WelcomePanel) -> None:
    titles = [b.text() for b in panel.buttons.values()]
    assert titles == ["Import by identifier…", "Import a file…", "Open the sample library"]
    for button in panel.buttons.values():
        assert button.isVisible() and button.isEnabled()
        assert button.description()  # a line saying what the choice does
        assert button.accessibleName()


def test_keyboard_reaches_the_first_choice(panel: WelcomePanel, qtbot: QtBot) -> None:
    panel.setFocus()
    assert panel.focusProxy() is panel.buttons["import_identifiers"]
    with qtbot.waitSignal(panel.import_identifiers_requested, timeout=1000):
        qtbot.keyClick(panel.buttons["import_identifiers"], Qt.Key.Key_Space)


def test_says_where_the_library_lives(panel: WelcomePanel, tmp_path: Path) -> None:
    assert str(tmp_path / "My papers.sqlite") in panel.location.text()
    other = tmp_path / "elsewhere" / "other.sqlite"
    panel.set_library_path(other)
    assert str(other) in panel.location.text()
    assert panel.location.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_big_choices_fill_the_column(panel: WelcomePanel) -> None:
    widths = {b.width() for b in panel.buttons.values()}
    assert len(widths) == 1 and widths.pop() >= 400
    # Each is as tall as its text, not stretched: no button is twice another's height.
    heights = [b.height() for b in panel.buttons.values()]
    assert max(heights) < 2 * min(heights)


def test_follows_the_system_palette(panel: WelcomePanel, qtbot: QtBot) -> None:
    # No colours of its own: nothing in a style sheet, and every label takes the palette's.
    widgets = [panel, *panel.findChildren(QLabel), *panel.buttons.values()]
    assert all("color" not in w.styleSheet() for w in widgets)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#f0f0f0"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a0a0a0"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: panel.palette().color(QPalette.ColorRole.Window)
                        == QColor("#202020"))
        assert panel.title.palette().color(panel.title.foregroundRole()) == QColor("#f0f0f0")
        assert (panel.location.palette().color(panel.location.foregroundRole())
                == QColor("#a0a0a0"))
    finally:
        app.setPalette(original)


def test_title_scales_with_the_application_font(panel: WelcomePanel) -> None:
    base = panel.intro.font().pointSizeF()
    assert panel.title.font().pointSizeF() > base * 1.5
