"""Applying what a pull brought to a team replica (the sync room's write half, split from
:mod:`spinelib.library.sync`): lists and tags renamed, merged, made or removed, then the
articles, then this login's private values, in one write transaction with capture off.

Promises:
- Pulled changes never return to the outbox (capture is off while they are applied).
- Name events apply in the server's order before the articles (a rename must reach the
  articles' own changes first); a deletion is settled after them, and only where nothing
  here still uses the name (:func:`spinelib.store.names.settle_deletes`).
- Articles with changes still waiting to be pushed are skipped (the server merges those when
  they arrive; the next pull brings the merged result).
"""

from __future__ import annotations

from typing import Any

from spinelib.store import Store, names
from spinelib.store import outbox as ob
from spinelib.store.postgres import Pulled


def apply_pulled(store: Store, pulled: Pulled) -> int:
    """Write ``pulled`` into the replica (see the module's promises); returns the articles
    applied. (A first copy into an empty replica streams instead:
    :mod:`spinelib.library.firstcopy`.)"""
    with store.writing() as conn:
        ob.set_state(conn, "capture", "0")
        waiting = ob.pending_uuids(conn)
        touched, deletions = names.apply_events(conn, pulled.events)
        for article_id in touched:
            store.fulltext.reindex(conn, article_id)
        applied = _apply_articles(store, conn, pulled, waiting)
        for event in pulled.names:  # a whole-library pull: the lists and tags no article holds
            names.create_name(conn, event)
        names.settle_deletes(conn, deletions)
        for uuid, private in pulled.private.items():
            if uuid not in waiting:
                ob.apply_private(conn, uuid, private)
        ob.pulled_up_to(conn, pulled.seq, pulled.private_seq)
    return applied


def _apply_articles(store: Store, conn: Any, pulled: Pulled, waiting: set[str]) -> int:
    """Pulled articles into the replica, skipping those with changes still to push."""
    applied = 0
    for uuid, version, data, deleted in pulled.articles:
        if uuid in waiting:
            continue
        gone = ob.article_id_of(conn, uuid) if deleted else None
        if deleted and gone is None:
            continue  # deleted before this replica ever held it: nothing to undo here
        article_id = ob.apply_server_article(conn, uuid, version, data, deleted,
                                             pulled.private.get(uuid))
        if gone is not None:
            store.articles.delete(conn, [gone])
        if article_id is not None:
            store.fulltext.reindex(conn, article_id)
        applied += 1
    return applied


__all__ = ["apply_pulled"]
