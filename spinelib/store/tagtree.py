"""The tag tree of a team library shared (issue 13): a user tag moved under another one.

A move travels like a list or tag creation (a ``name`` event, ``op`` = ``move``, carrying the
tag and its new parent, None for the top level) and every replica applies the server's log in
the server's order, so the last move of a tag pushed wins on every replica; each move stays
in ``change_log`` with its login and time. Two moves can make a cycle only together (alice
puts A under B while bob puts B under A): :func:`place` then first lifts the branch that
leads from the moved tag to its new parent up to the moved tag's own place, so the tree
stays a tree and every replica that applies the same moves in the same order gets the same
tree. :func:`parent_first` orders a first copy's tags so each parent exists before its
children are placed.

Promises: :func:`place` never makes a cycle and never moves a tag that is not in the tree;
:func:`move_tag` changes only ``tag.parent`` (the store's subtree counts follow it through
their triggers, as for a local move).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spinelib.store.connection import Connection


def place(parents: Mapping[str, str | None], tag: str, parent: str | None
          ) -> dict[str, str | None]:
    """The parent changes (tag -> new parent) that put ``tag`` under ``parent`` in the tree
    ``parents`` (tag -> parent). A parent not in the tree means the top level; a parent
    inside ``tag``'s own subtree first has the branch leading to it lifted to ``tag``'s
    place."""
    if tag not in parents or parent == tag:
        return {}
    if parent is not None and parent not in parents:
        parent = None
    updates: dict[str, str | None] = {}
    node, path, seen = parent, [], set()
    while node is not None and node != tag and node not in seen:
        seen.add(node)
        path.append(node)
        node = parents.get(node)
    if node == tag and path:  # the new parent lies under the tag: lift that branch first
        updates[path[-1]] = parents.get(tag)
    updates[tag] = parent
    return {t: p for t, p in updates.items() if parents.get(t) != p}


def move_tag(conn: Connection, tag: str, parent: str | None) -> bool:
    """Apply a colleague's move of ``tag`` here (capture off); whether anything moved."""
    parents = {str(t): (None if p is None else str(p))
               for t, p in conn.all("SELECT id, parent FROM tag")}
    updates = place(parents, tag, parent)
    for moved, new_parent in updates.items():
        conn.execute("UPDATE tag SET parent = :p WHERE id = :t", {"p": new_parent, "t": moved})
    return bool(updates)


def parent_first(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Creation events (lists and tags) ordered so a tag's parent, when it is among them,
    comes before it; otherwise in their own order."""
    tags = {str(e["name"]): e for e in events if e.get("kind") == "tag"}
    out: list[dict[str, Any]] = [e for e in events if e.get("kind") != "tag"]
    done: set[str] = set()

    def visit(name: str, trail: frozenset[str]) -> None:
        if name in done or name in trail:
            return
        parent = tags[name].get("parent")
        if isinstance(parent, str) and parent in tags:
            visit(parent, trail | {name})
        done.add(name)
        out.append(tags[name])

    for name in tags:
        visit(name, frozenset())
    return out


__all__ = ["move_tag", "parent_first", "place"]
