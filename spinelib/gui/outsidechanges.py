"""The window follows changes made outside it: a ``spinelib`` command run while it is open
(an import, tags added, articles deleted) or a second window on the same library.

Every :data:`LOOK_INTERVAL_MS` a worker asks the Library whether anyone else committed
since the last look (:meth:`spinelib.library.Library.changed_elsewhere`: one tiny read;
the window's own edits never count, so they are not loaded twice). When someone did, the
window loads its views again, keeping the selection, the scroll position and notes being
typed (see :mod:`spinelib.gui.readingstate`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library

log = logging.getLogger(__name__)

#: How often the window looks (ms): a command's import shows within a couple of seconds.
LOOK_INTERVAL_MS = 2000
#: The status bar's note after loading a change made outside the window.
UPDATED_MESSAGE = "Updated with changes made outside this window"


class OutsideChangeWatcher(QObject):
    """Looks for changes made outside the window, on a read worker, and says when."""

    #: Someone else changed the library since the last look.
    changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None,
                 interval_ms: int = LOOK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self.check()  # the first look starts watching: a change from now on is seen

    def check(self) -> None:
        """Look once (the timer calls this; tests call it directly)."""
        if self._busy or self.runner.closed:
            return
        self._busy = True
        self.runner.start(self.library.changed_elsewhere, on_done=self._done,
                          on_error=self._failed)

    def _done(self, changed: bool) -> None:
        self._busy = False
        if changed:
            self.changed.emit()

    def _failed(self, message: str) -> None:
        # Not worth a message to the user: the next look tries again, and a library that
        # cannot be read says so loudly in everything else the window does.
        self._busy = False
        log.warning("looking for changes made outside the window failed: %s", message)


def follow_outside_changes(window: Any) -> OutsideChangeWatcher:
    """The main window's watcher: on a change made outside it, every view is loaded again
    and the status bar says why the view moved. (Once the window's task runner has shut
    down, the watcher looks no more.)"""
    watcher = OutsideChangeWatcher(window.library, window.runner, window)
    watcher.changed.connect(window.queries.refresh_all)

    def say() -> None:
        # A long import in a terminal is seen every few seconds: the note must not push
        # aside what the window just told the user about their own action.
        if window.statusBar().currentMessage() in ("", UPDATED_MESSAGE):
            window.status.show_message(UPDATED_MESSAGE)

    watcher.changed.connect(say)
    return watcher
