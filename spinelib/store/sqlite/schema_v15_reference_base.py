"""Schema step 15, "a replica keeps a first copy's reference lists once" (issue 13), frozen
once released.

A replica's shadow (``sync_article.shadow``) is the base of the next local edit: what the
server last held of the article. A first copy stored every reference list twice, as rows and
again inside the shadow (two thirds of a document's bytes: ~0.85 GB of a 100,000-article
replica, and ~5 s of its writing). A first copy now writes shadows without a ``references``
key, meaning "the base is what the reference rows hold".

That stays true only while the rows do not change, so before the first change to an
article's reference rows while capture is on (a local edit, a delete, the cascade of an
article's delete), these triggers copy the rows as they still are into that article's shadow.
:func:`spinelib.store.outbox.capture` then finds a complete base as before; a shadow still
without the key is completed from the unchanged rows. A pull writes with capture off and
writes whole shadows (the server's reference list), so it needs nothing from them.

Only a replica has them (as the capture triggers of step 14):
:func:`spinelib.store.outbox.start_capture` makes them with the others, and this step makes
them in replicas made before it. They are not named ``sync_*``: that family is step 14's
frozen set.
"""

from __future__ import annotations

import sqlite3

_CAPTURING = "(SELECT value FROM sync_state WHERE key = 'capture') = '1'"
#: A replica: ``start_capture`` wrote its library's UUID and the capture switch.
_IS_REPLICA = "SELECT 1 FROM sync_state WHERE key IN ('library_uuid', 'capture') LIMIT 1"


def _keep_base(event: str, ref: str) -> str:
    # json() keeps the array an array inside json_set (a sub-select's value loses its JSON
    # subtype); json_type(...) IS NULL: only the first changed row of an article copies.
    return (f"CREATE TRIGGER IF NOT EXISTS replica_reference_base_{event.lower()} BEFORE "
            f'{event} ON "reference" WHEN {_CAPTURING} BEGIN '
            "UPDATE sync_article SET shadow = json_set(shadow, '$.references', json(("
            "SELECT json_group_array(json_array(position, citation, doi, pmid, pmcid)) FROM "
            '(SELECT position, citation, doi, pmid, pmcid FROM "reference" '
            f"WHERE article_id = {ref}.article_id ORDER BY position)))) "
            f"WHERE article_id = {ref}.article_id "
            "AND json_type(shadow, '$.references') IS NULL; END")


#: The triggers that keep a reference-less shadow's base (see the module's text).
REFERENCE_BASE_TRIGGERS: tuple[str, ...] = (
    _keep_base("INSERT", "new"), _keep_base("DELETE", "old"), _keep_base("UPDATE", "old"))


def migrate(conn: sqlite3.Connection) -> None:
    """Make the triggers in a replica; a file library gets nothing."""
    if conn.execute(_IS_REPLICA).fetchone() is not None:
        for statement in REFERENCE_BASE_TRIGGERS:
            conn.execute(statement)
