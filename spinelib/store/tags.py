"""SQL for tags and facets: the ``tag`` tree, assignments in ``article_tag`` (with their
origin), facet values in ``article_facet``, and the counts kept in ``tag_count`` and
``facet_count`` by the schema's triggers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spinelib.results import CONFIRMED_ORIGINS, FacetAssignment, TagAssignment
from spinelib.store.connection import Connection, batches, id_list
from spinelib.store.dialect import Dialect


class TagSql:
    """Statements over ``tag``, ``article_tag``, ``article_facet`` and their count tables."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self._assign = dialect.upsert("article_tag", ("article_id", "tag_id", "origin", "reason"),
                                      ("article_id", "tag_id"), ("origin",))
        self._suggest = dialect.insert_ignore("article_tag",
                                              ("article_id", "tag_id", "origin", "reason"))
        self._facet = dialect.insert_ignore("article_facet",
                                            ("article_id", "facet", "value", "reason"))
        self._vocab = dialect.upsert("tag", ("id", "label", "parent", "origin"), ("id",),
                                     ("label", "origin"))

    # ---- the tag table
    def vocabulary_rows(self, conn: Connection) -> dict[str, tuple[str, str | None]]:
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT id, label, parent FROM tag WHERE origin = 'vocabulary'")}

    def sync_vocabulary(self, conn: Connection,
                        tags: Iterable[tuple[str, str, str | None]]) -> None:
        """Insert or relabel vocabulary tags (id, label, parent); parents set after all exist."""
        tags = list(tags)
        conn.executemany(self._vocab, [{"id": i, "label": lbl, "parent": None,
                                        "origin": "vocabulary"} for i, lbl, _ in tags])
        conn.executemany("UPDATE tag SET parent = :p WHERE id = :id",
                         [{"p": parent, "id": i} for i, _, parent in tags])

    def exists(self, conn: Connection, tag_id: str) -> bool:
        return conn.first("SELECT 1 FROM tag WHERE id = :t", {"t": tag_id}) is not None

    def origin(self, conn: Connection, tag_id: str) -> str | None:
        found = conn.scalar("SELECT origin FROM tag WHERE id = :t", {"t": tag_id})
        return None if found is None else str(found)

    def by_label(self, conn: Connection, name: str) -> str | None:
        """A tag whose label or id equals ``name`` ignoring case (vocabulary first)."""
        found = conn.scalar(
            "SELECT id FROM tag WHERE lower(label) = lower(:n) OR lower(id) = lower(:n) "
            "ORDER BY origin = 'vocabulary' DESC LIMIT 1", {"n": name})
        return None if found is None else str(found)

    def user_tag_ids(self, conn: Connection) -> list[str]:
        return [str(t) for t in conn.column("SELECT id FROM tag WHERE origin = 'user'")]

    def all(self, conn: Connection) -> list[Any]:
        """Every tag as rows (id, label, parent, origin)."""
        return conn.all("SELECT id, label, parent, origin FROM tag")

    def descendants(self, conn: Connection, tag_id: str) -> list[str]:
        """The tag and every tag below it."""
        return [str(t) for t in conn.column(
            "WITH RECURSIVE sub(id) AS (SELECT :t UNION SELECT tag.id FROM tag JOIN sub "
            "ON tag.parent = sub.id) SELECT id FROM sub", {"t": tag_id})]

    def create(self, conn: Connection, tag_id: str, label: str, parent: str | None,
               origin: str = "user") -> None:
        conn.execute("INSERT INTO tag (id, label, parent, origin) VALUES (:t, :l, :p, :o)",
                     {"t": tag_id, "l": label, "p": parent, "o": origin})

    def rename(self, conn: Connection, old: str, new: str) -> list[int]:
        """Give a user tag a new id (= label); assignments and children follow.
        Returns the articles that carry it (their index rows need rewriting)."""
        conn.execute("INSERT INTO tag (id, label, parent, origin) SELECT :n, :n, parent, origin "
                     "FROM tag WHERE id = :t", {"n": new, "t": old})
        conn.execute("UPDATE article_tag SET tag_id = :n WHERE tag_id = :t", {"n": new, "t": old})
        conn.execute("UPDATE tag SET parent = :n WHERE parent = :t", {"n": new, "t": old})
        conn.execute("DELETE FROM tag WHERE id = :t", {"t": old})
        return self.articles_with(conn, new)

    def reparent_children(self, conn: Connection, old_parent: str,
                          new_parent: str | None) -> None:
        conn.execute("UPDATE tag SET parent = :d WHERE parent = :s",
                     {"d": new_parent, "s": old_parent})

    def parent_of(self, conn: Connection, tag_id: str) -> str | None:
        found = conn.scalar("SELECT parent FROM tag WHERE id = :t", {"t": tag_id})
        return None if found is None else str(found)

    def set_parent(self, conn: Connection, tag_id: str, parent: str | None) -> None:
        conn.execute("UPDATE tag SET parent = :p WHERE id = :t", {"p": parent, "t": tag_id})

    def delete(self, conn: Connection, tag_id: str) -> None:
        conn.execute("DELETE FROM tag WHERE id = :t", {"t": tag_id})

    # ---- assignments
    def articles_with(self, conn: Connection, tag_id: str) -> list[int]:
        return [int(a) for a in conn.column(
            "SELECT article_id FROM article_tag WHERE tag_id = :t", {"t": tag_id})]

    def assignment_origin(self, conn: Connection, article_id: int, tag_id: str) -> str | None:
        found = conn.scalar("SELECT origin FROM article_tag WHERE article_id = :a AND "
                            "tag_id = :t", {"a": article_id, "t": tag_id})
        return None if found is None else str(found)

    def assign(self, conn: Connection, pairs: Sequence[tuple[int, str]], origin: str) -> None:
        """Set tags on articles with ``origin`` (an existing assignment takes the origin).
        In (article, tag) order: the rows land near each other in the table's B-tree."""
        conn.executemany(self._assign, [{"article_id": a, "tag_id": t, "origin": origin,
                                         "reason": ""} for a, t in sorted(pairs)])

    def suggest(self, conn: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
        """Add suggestions (article, tag, reason) unless the article already has a row for
        the tag (a rejection or the user's own tag wins)."""
        if rows:
            conn.executemany(self._suggest, [{"article_id": a, "tag_id": t,
                                              "origin": "suggested", "reason": r}
                                             for a, t, r in rows])

    def unassign(self, conn: Connection, article_id: int, tag_id: str) -> None:
        """Remove a confirmed tag; a suggestion removed is remembered as rejected."""
        conn.execute("UPDATE article_tag SET origin = 'rejected' WHERE article_id = :a AND "
                     "tag_id = :t AND origin = 'suggested'", {"a": article_id, "t": tag_id})
        conn.execute("DELETE FROM article_tag WHERE article_id = :a AND tag_id = :t AND "
                     "origin IN ('user', 'accepted')", {"a": article_id, "t": tag_id})

    def judge(self, conn: Connection, article_id: int, tag_id: str, origin: str) -> bool:
        """Accept or reject a suggestion (or change that verdict); False if none exists."""
        return conn.execute(
            "UPDATE article_tag SET origin = :o WHERE article_id = :a AND tag_id = :t AND "
            "origin IN ('suggested', 'accepted', 'rejected')",
            {"o": origin, "a": article_id, "t": tag_id}).rowcount > 0

    def judge_suggestions(self, conn: Connection, ids: Sequence[int], tag_id: str,
                          origin: str) -> list[int]:
        """Give the open suggestion of ``tag_id`` on each of ``ids`` the new ``origin``;
        returns the articles that had one (others are untouched)."""
        judged: list[int] = []
        for a in ids:
            if conn.execute("UPDATE article_tag SET origin = :o WHERE article_id = :a AND "
                            "tag_id = :t AND origin = 'suggested'",
                            {"o": origin, "a": a, "t": tag_id}).rowcount > 0:
                judged.append(int(a))
        return judged

    def of_article(self, conn: Connection, article_id: int) -> list[TagAssignment]:
        return [TagAssignment(r[0], r[1], r[3], r[2]) for r in conn.execute(
            "SELECT at.tag_id, t.label, at.origin, at.reason FROM article_tag at "
            "JOIN tag t ON t.id = at.tag_id WHERE at.article_id = :a ORDER BY at.tag_id",
            {"a": article_id})]

    def index_text(self, conn: Connection, article_id: int) -> str:
        """The tag ids and labels an article carries (suggestions too), for the search index."""
        return " ".join(f"{r[0]} {r[1]}" for r in conn.execute(
            "SELECT t.id, t.label FROM article_tag at JOIN tag t ON t.id = at.tag_id "
            "WHERE at.article_id = :a AND at.origin != 'rejected' ORDER BY t.id",
            {"a": article_id}))

    def index_texts(self, conn: Connection, article_ids: Sequence[int]) -> dict[int, str]:
        """:meth:`index_text` of many articles at once (absent: no tags)."""
        words: dict[int, list[str]] = {}
        for chunk in batches(list(article_ids), 500):
            for r in conn.execute(
                    "SELECT at.article_id, t.id, t.label FROM article_tag at JOIN tag t "
                    f"ON t.id = at.tag_id WHERE at.article_id IN ({id_list(chunk)}) "
                    "AND at.origin != 'rejected' ORDER BY at.article_id, t.id"):
                words.setdefault(int(r[0]), []).append(f"{r[1]} {r[2]}")
        return {a: " ".join(w) for a, w in words.items()}

    # ---- counts
    def direct_counts(self, conn: Connection, scope: str = "",
                      params: dict[str, Any] | None = None, *,
                      confirmed: bool = False) -> dict[str, int]:
        """Articles per tag (every origin but rejected; ``confirmed``: the user's and the
        accepted only), optionally within ``scope`` (an SQL predicate on article_id);
        unscoped counts of every origin come from the trigger-kept table."""
        if not scope and not confirmed:
            return {r[0]: int(r[1]) for r in conn.execute("SELECT tag_id, n FROM tag_count")}
        extra = f"AND {scope}" if scope else ""
        return {r[0]: int(r[1]) for r in conn.execute(
            f"SELECT tag_id, count(*) FROM article_tag WHERE {_origins(confirmed)} "
            f"{extra} GROUP BY tag_id", params or {})}

    def distinct_count(self, conn: Connection, tag_ids: Sequence[str], scope: str = "",
                       params: dict[str, Any] | None = None, *,
                       confirmed: bool = False) -> int:
        """Distinct articles carrying any of ``tag_ids`` (within ``scope``; ``confirmed``:
        counting only the user's and accepted assignments)."""
        names = ", ".join(f":t{j}" for j in range(len(tag_ids)))
        extra = f"AND {scope}" if scope else ""
        return int(conn.scalar(
            f"SELECT count(DISTINCT article_id) FROM article_tag WHERE {_origins(confirmed)} "
            f"AND tag_id IN ({names}) {extra}",
            {**(params or {}), **{f"t{j}": t for j, t in enumerate(tag_ids)}}))

    # ---- facets
    def replace_facets(self, conn: Connection, article_id: int,
                       values: Sequence[tuple[str, str, str]], *, existing: bool) -> None:
        """Store an article's facet values (facet, value, reason), dropping old ones first."""
        if existing:
            conn.execute("DELETE FROM article_facet WHERE article_id = :a", {"a": article_id})
        if values:
            conn.executemany(self._facet, [{"article_id": article_id, "facet": f, "value": v,
                                            "reason": r} for f, v, r in values])

    def facets_of(self, conn: Connection, article_id: int) -> list[FacetAssignment]:
        return [FacetAssignment(*tuple(r)) for r in conn.execute(
            "SELECT facet, value, reason FROM article_facet WHERE article_id = :a "
            "ORDER BY facet, value", {"a": article_id})]

    def facet_counts(self, conn: Connection, scope: str = "",
                     params: dict[str, Any] | None = None) -> dict[str, list[tuple[str, int]]]:
        """facet -> [(value, count)], most frequent first (unscoped: the trigger-kept table)."""
        if scope:
            sql = (f"SELECT facet, value, count(*) AS n FROM article_facet WHERE {scope} "
                   "GROUP BY facet, value ORDER BY facet, n DESC, value")
        else:
            sql = ("SELECT facet, value, n FROM facet_count WHERE n > 0 "
                   "ORDER BY facet, n DESC, value")
        out: dict[str, list[tuple[str, int]]] = {}
        for facet, value, n in conn.execute(sql, params or {}):
            out.setdefault(facet, []).append((value, int(n)))
        return out


def _origins(confirmed: bool) -> str:
    """The predicate on ``article_tag.origin`` of a count: confirmed only, or not rejected."""
    if confirmed:
        return "origin IN (" + ", ".join(f"'{o}'" for o in CONFIRMED_ORIGINS) + ")"
    return "origin != 'rejected'"
