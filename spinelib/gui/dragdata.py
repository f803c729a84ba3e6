"""Dragged articles: the table's rows travel as their ids (a JSON list under
:data:`ARTICLE_IDS_MIME`), which the sidebar's reading lists accept and the table reorders
a list by; the citation keys ride along as plain text for other programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QMimeData

#: Mime type of dragged table rows: a JSON list of article ids.
ARTICLE_IDS_MIME = "application/x-spinelib-article-ids"


def ids_to_mime(ids: Sequence[int], keys: Sequence[str] = ()) -> QMimeData:
    """Article ids as drag data (plus the citation keys as text for other programs)."""
    mime = QMimeData()
    mime.setData(ARTICLE_IDS_MIME, json.dumps([int(i) for i in ids]).encode())
    if keys:
        mime.setText(", ".join(keys))
    return mime


def ids_from_mime(mime: QMimeData) -> list[int]:
    """The article ids in drag data from the table ([] for anything else)."""
    if not mime.hasFormat(ARTICLE_IDS_MIME):
        return []
    try:
        data = json.loads(bytes(mime.data(ARTICLE_IDS_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [int(i) for i in data if isinstance(i, int)] if isinstance(data, list) else []
