"""Schema 24: the PDF text stored before words broken at a line's end were made whole.

PDFium marks a hyphen ending a line with U+FFFE ("verte\\ufffebroplasty"), which the full-text
index takes for a space: a search for vertebroplasty missed every page where the word was
broken (a soft hyphen, U+00AD, split words the same way). New PDFs are read whole
(:mod:`spinelib.formats.pdf_hyphens`); this step rewrites the pages already stored, each
file's pages together (a break is judged by the whole paper, as a newly read PDF's are).
Only pages holding a mark are read back and rewritten; the index is updated row by row,
so what matches a page changes and nothing else does. No DDL: the step is a change of the
stored text alone.

Frozen once released, but for one choice made on purpose: the rule is the one new PDFs
are read with (imported, not copied), because the step's whole job is to give old pages
the text a new reading of the same file would store; a library upgraded after the rule
improves gets the better text, and a library upgraded before keeps text that is still
whole words.
"""

from __future__ import annotations

import sqlite3
from itertools import groupby

from spinelib.formats.pdf_hyphens import LINE_END_HYPHEN, SOFT_HYPHEN, rejoin

_PAGES_OF_MARKED_FILES = (
    "SELECT p.attachment_id, p.id, f.body FROM fulltext_part p "
    "JOIN fulltext_fts f ON f.rowid = p.id WHERE p.attachment_id IN ("
    " SELECT DISTINCT m.attachment_id FROM fulltext_part m JOIN fulltext_fts g ON g.rowid = m.id"
    " WHERE m.attachment_id IS NOT NULL AND (instr(g.body, ?) > 0 OR instr(g.body, ?) > 0))"
    " ORDER BY p.attachment_id, p.position")


def migrate(conn: sqlite3.Connection) -> None:
    """Rewrite the stored pages of every file whose text holds a line-end or soft hyphen
    (run again, it finds none and writes nothing)."""
    rows = conn.execute(_PAGES_OF_MARKED_FILES, (LINE_END_HYPHEN, SOFT_HYPHEN)).fetchall()
    for _, pages in groupby(rows, key=lambda row: row[0]):
        listed = list(pages)
        bodies = [str(body or "") for _, _, body in listed]
        for (_, part_id, _), old, new in zip(listed, bodies, rejoin(bodies)):
            if new != old:
                conn.execute("UPDATE fulltext_fts SET body = ? WHERE rowid = ?", (new, part_id))
