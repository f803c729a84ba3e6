"""Small builders shared by core tests (records written by hand, in the exchange type)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from spinelib.library import Library
from spinelib.records import ArticleRecord, Author, MeshHeading, ReferenceEntry


def make_record(**overrides: object) -> ArticleRecord:
    """A realistic spine-oncology record; keyword arguments replace fields."""
    rec = ArticleRecord(
        title=("Direct decompressive surgical resection in the treatment of spinal cord "
               "compression caused by metastatic cancer: a randomised trial"),
        authors=[Author("Patchell", "Roy A", "RA"), Author("Tibbs", "Phillip A", "PA"),
                 Author("Müller", "Jürgen", "J")],
        journal="Lancet", journal_abbrev="Lancet", year=2005, month=8, volume="366",
        issue="9486", pages="643-648", doi="10.1016/s0140-6736(05)66954-1", pmid="16112300",
        abstract=("BACKGROUND: The standard treatment for spinal metastases is radiotherapy.\n\n"
                  "METHODS: Patients were randomised to surgery plus radiotherapy."),
        publication_types=["Journal Article", "Randomized Controlled Trial"],
        mesh=[MeshHeading("D013125", "Spinal Neoplasms", True)],
        keywords=["metastatic spinal cord compression"],
        references=[ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2.",
                                   doi="10.1097/00007632-200101010-00001", pmid="11111111"),
                    ReferenceEntry(2, "Jones B. No identifiers here. 1999.")],
        source="test",
    )
    for key, value in overrides.items():
        setattr(rec, key, value)
    return rec


def traced_sql(lib: Library, call: Callable[[], object]) -> list[str]:
    """Every SQL statement ``call`` runs on the library's connection, as SQLite ran it (its
    parameters filled in), in order."""
    seen: list[str] = []
    with lib.store.reading() as conn:
        raw = conn.raw
    assert isinstance(raw, sqlite3.Connection)
    raw.set_trace_callback(seen.append)
    try:
        call()
    finally:
        raw.set_trace_callback(None)
    return seen


def before_column_step(path: Path, table: str, columns: str, version: int) -> None:
    """Make the library at ``path`` what it was before the schema step that added
    ``columns`` to ``table`` (comma-separated; dropped, ``user_version`` set back to
    ``version``), then run the ladder from there again, as opening a library of that
    version does."""
    from spinelib.store.sqlite import migrations

    con = sqlite3.connect(path)
    names = [c.strip() for c in columns.split(",")]
    # A later step's index on such a column goes too (it was not there either); the
    # ladder makes it again.
    for index, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall():
        if any(re.search(rf"\b{re.escape(n)}\b", sql) for n in names):
            con.execute(f"DROP INDEX {index}")
    for column in names:
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()
    migrations.migrate(path, version)


def back_to_schema(path: Path, version: int, *undo: str) -> None:
    """Make the library file at ``path`` a schema-``version`` file again, as a library from
    before the later steps is: ``undo`` takes their changes out, newest first."""
    con = sqlite3.connect(path)
    try:
        for statement in undo:
            con.execute(statement)
        con.execute(f"PRAGMA user_version = {version}")
        con.commit()
    finally:
        con.close()
