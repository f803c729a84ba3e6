"""Text onto the clipboard: plain, or plain with its formatted HTML beside it, so a word
processor pastes a reference list with its style's italics and bold while a plain-text
editor gets the text."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication


def put_on_clipboard(text: str, html: str = "") -> None:
    """Replace the clipboard's contents with ``text`` (and ``html``, when given)."""
    data = QMimeData()
    data.setText(text)
    if html:
        data.setHtml(html)
    QGuiApplication.clipboard().setMimeData(data)
