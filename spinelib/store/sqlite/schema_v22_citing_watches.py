"""Schema 22: a watch for new articles citing a key paper (a citation alert), beside the
watches that are PubMed queries.

- ``watch.cites``: the watched paper as Europe PMC names it (``MED:16112300``, a PMID;
  ``PMC:PMC1234567``; ``PPR:PPR123456``, a preprint), ``''`` for a PubMed-query watch.
  PubMed has no search for the articles citing one; Europe PMC's citations list does.
- ``watch.cites_label``: how the paper is named when the watch is listed ("Patchell RA 2005,
  PMID 16112300"): the watch outlives the article's place in the library.
- ``watch_seen``: every citing work a citation watch has listed so far, by Europe PMC's
  ``source:id``. Europe PMC lists a paper's citing works whole at every run and gives no
  date they were added, so "new" is "not listed before"; the first run remembers the list
  and later runs bring only what was added since.

Adding a column with a constant default rewrites no row
(https://www.sqlite.org/lang_altertable.html#altertabaddcol). Frozen once released: a later
change is a new step, never an edit here.
"""

from __future__ import annotations

import sqlite3

COLUMNS: tuple[str, ...] = (
    "ALTER TABLE watch ADD COLUMN cites TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE watch ADD COLUMN cites_label TEXT NOT NULL DEFAULT ''",
)
SEEN = ("CREATE TABLE IF NOT EXISTS watch_seen (watch_id INTEGER NOT NULL REFERENCES watch "
        "(id) ON DELETE CASCADE, work TEXT NOT NULL, PRIMARY KEY (watch_id, work)) "
        "WITHOUT ROWID")


def migrate(conn: sqlite3.Connection) -> None:
    """Add the columns and the table, unless the file has them already (a file whose
    version was set back by hand, as the ladder's tests do, runs the step again)."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(watch)")}
    if "cites" not in columns:
        for statement in COLUMNS:
            conn.execute(statement)
    conn.execute(SEEN)
