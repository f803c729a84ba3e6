"""A Word manuscript of one paragraph, formatted: the set-up the tests of a single
citation's or reference list's look in Word share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import docx

from spinelib.library import Library
from spinelib.manuscript import format_manuscript
from spinelib.records import ArticleRecord


def formatted(tmp_path: Path, records: Sequence[ArticleRecord],
              write: Callable[[list[str]], str], style: str) -> Any:
    """The document (python-docx) made by formatting, in ``style``, a manuscript whose one
    paragraph is ``write(keys)``, ``keys`` the citation keys the library gave ``records``,
    in their order."""
    with Library.open(tmp_path / "lib.sqlite") as lib:
        ids = [lib.articles.add_record(record).article_id for record in records]
        keys = [lib.articles.citekey(i) for i in ids]
        src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
        document = docx.Document()
        document.add_paragraph(write(keys))
        document.save(str(src))
        format_manuscript(lib, src, out, style)
    return docx.Document(str(out))
