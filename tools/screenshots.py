"""Take the README's screenshots: the main window, the detail pane of a long structured
abstract, the tag picker and the import dialog offline, at 1440x900 and 1280x720, light and
dark.

Run under a real X server so fonts render as on a desktop::

    xvfb-run -s '-screen 0 1440x900x24' .venv/bin/python -m tools.screenshots OUT_DIR

It builds the sample library in a temporary data directory (offline, as the welcome panel
does) and never touches the user's own. The offline import is made offline on purpose: every
HTTP request fails as a failed name lookup does on a machine without network.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

SIZES = {"1440x900": (1440, 900), "1280x720": (1280, 720)}


def dark_palette():  # type: ignore[no-untyped-def]
    """A plain dark palette (what a desktop's dark theme gives Qt's Fusion style)."""
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    role = QPalette.ColorRole
    for r, c in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"),
                 (role.Base, "#1f1f1f"), (role.AlternateBase, "#262626"),
                 (role.Text, "#e6e6e6"), (role.Button, "#353535"),
                 (role.ButtonText, "#e6e6e6"), (role.Highlight, "#2f65ca"),
                 (role.HighlightedText, "#ffffff"), (role.ToolTipBase, "#353535"),
                 (role.ToolTipText, "#e6e6e6"), (role.PlaceholderText, "#9a9a9a"),
                 (role.Link, "#7fb0ff"), (role.BrightText, "#ff6b6b"),
                 (role.Light, "#505050"), (role.Midlight, "#404040"), (role.Mid, "#2f2f2f"),
                 (role.Dark, "#181818"), (role.Shadow, "#000000")):
        p.setColor(r, QColor(c))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#777777"))
    return p


def main(out: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="spinelib-shots-"))
    os.environ["SPINELIB_HOME"] = str(home)
    import requests
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from spinelib.gui.app import ensure_app
    from spinelib.samplelibrary import build_sample_library

    def no_network(self, method, url, **kw):  # type: ignore[no-untyped-def]
        raise requests.exceptions.ConnectionError(
            socket.gaierror(-3, "Temporary failure in name resolution"))

    requests.Session.request = no_network  # type: ignore[method-assign]

    app = ensure_app(["screenshots"])
    app.setStyle("Fusion")
    light = app.palette()
    sample = home / "Sample library.sqlite"
    build_sample_library(sample)
    out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(cond, ms: int = 8000) -> None:  # type: ignore[no-untyped-def]
        for _ in range(ms // 50):
            if cond():
                return
            wait(50)

    for theme in ("light", "dark"):
        app.setPalette(light if theme == "light" else dark_palette())
        for size in SIZES:
            shoot(home, sample, out, theme, size, until, wait)
            QApplication.processEvents()
    return 0


def shoot(home: Path, sample: Path, out: Path, theme: str, size: str,
          until, wait) -> None:  # type: ignore[no-untyped-def]
    """One window of the sample library at one size and theme, and its pictures."""
    from spinelib.gui.mainwindow import MainWindow
    from spinelib.gui.querystate import Filter
    from spinelib.gui.state import WindowState
    from spinelib.library import Library
    from spinelib.settings import Settings

    w, h = SIZES[size]
    lib = Library.open(sample)
    win = MainWindow(lib, Settings(max_retries=4),
                     state=WindowState(home / f"state-{theme}-{size}.ini"))
    win.resize(w, h)
    win.show()
    until(lambda: win.sidebar.data is not None and win.model.rowCount() > 0)
    showcase = lib.articles.resolve_key("38856741")
    win.table.select_ids([showcase], showcase)
    until(lambda: win.detail.data is not None
          and win.detail.data.article_id == showcase)
    wait(400)
    win.grab().save(str(out / f"main-window-{size}-{theme}.png"))
    win.detail.tabs.setCurrentIndex(1)
    wait(300)
    win.grab().save(str(out / f"references-{size}-{theme}.png"))
    win.detail.tabs.setCurrentIndex(0)
    if size == "1440x900":
        win.sidebar.select_filter(Filter("tag", "radiotherapy"))
        wait(600)
        win.grab().save(str(out / f"tag-filter-{size}-{theme}.png"))
        win.sidebar.select_filter(Filter("all"))
        wait(300)
        win.table.select_ids([showcase], showcase)
        win.acts.tags.trigger()
        until(lambda: win.commands.picker is not None)
        wait(300)
        picker = win.commands.picker
        picker.grab().save(str(out / f"tag-picker-{theme}.png"))
        picker.reject()
        dialog = win.imports.show_import()
        dialog.text.setPlainText("\n".join(str(32100000 + i) for i in range(5)))
        dialog.update_preview()
        dialog.start_import()
        until(lambda: dialog.outcome is not None)
        wait(400)
        dialog.grab().save(str(out / f"import-offline-{theme}.png"))
        win.grab().save(str(out / f"import-offline-window-{theme}.png"))
        dialog.close()
        win.search.setText("xyzzy")
        win.queries.apply_query()
        wait(700)
        win.grab().save(str(out / f"empty-search-{theme}.png"))
        win.search.setText("SINS")  # an abbreviation the sample's papers spell out
        win.queries.apply_query()
        wait(700)
        win.grab().save(str(out / f"abbreviation-search-{theme}.png"))
    win.close()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots")))
