"""Schema 25: the words the article index holds, readable as a table, for a search's
"Did you mean …?".

A search for a word the library does not hold ("vertebroplsty") found nothing and said no
more. FTS5's ``fts5vocab`` table lists the index's terms with how many articles hold each;
it stores nothing of its own (it reads the index), so this step adds no data and costs
nothing until a search that found nothing asks it for the words near a mistyped one
(:meth:`spinelib.store.queries.QuerySql.words_between`). A reading connection cannot make
it as a temporary table (it may not write even there), hence a step.

Frozen once released: a later change is a new step, never an edit here.
"""

from __future__ import annotations

DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts_words USING fts5vocab(article_fts, row)",
)
