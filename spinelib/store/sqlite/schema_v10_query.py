"""Schema step 10, "query" (issue 19): technique counts over a subtree kept by the store, and a
covering index that lets a search sorted by a column skip the articles' rows.

Frozen once released: a later change is a new step, never an edit here.

``ix_article_sort_keys`` holds each article's id with the columns the table sorts by (the
title's sort key aside: it is long): a search sorted by one of them looks its matches up in
this small index and never reads the articles' large rows (``SqliteDialect.search_source``).

``tag_cover`` holds, per article, every tag it counts under: each tag it carries (any origin
but 'rejected') and every ancestor of one, with ``confirmed`` = 1 when a user's or accepted
assignment reaches that tag. ``tag_tree_count`` is the number of cover rows per tag (every
origin, confirmed only): the sidebar's subtree counts, read without counting.

SQLite triggers cannot walk the tag tree (no recursive queries inside a trigger), so the
triggers only note what moved: the articles whose assignments changed
(``tag_cover_dirty``) and the tags whose place in the tree changed (``tag_tree_dirty``).
Every write transaction settles them just before COMMIT (``spinelib/store/tagcounts.py``),
so counts and assignments always commit together. The triggers never rely on a conflict
clause (an UPSERT that fires a trigger imposes its own conflict policy on them).
"""

from __future__ import annotations

#: Article -> tag pairs a count includes, from assignments up through every ancestor. UNION
#: (not UNION ALL) ends the walk on a cycle in user tags.
_COVER = """WITH RECURSIVE up(article_id, tag_id, confirmed) AS (
      SELECT article_id, tag_id, origin IN ('user', 'accepted') FROM article_tag
      WHERE origin != 'rejected'
      UNION
      SELECT up.article_id, t.parent, up.confirmed FROM up JOIN tag t ON t.id = up.tag_id
      WHERE t.parent IS NOT NULL)
    SELECT tag_id, article_id, max(confirmed) FROM up GROUP BY article_id, tag_id"""

DDL: tuple[str, ...] = (
    "CREATE INDEX ix_article_sort_keys ON article "
    "(id, added_at, year, first_author, journal, read_status, rating)",
    "CREATE TABLE tag_cover (tag_id TEXT NOT NULL, article_id INTEGER NOT NULL, "
    "confirmed INTEGER NOT NULL, PRIMARY KEY (article_id, tag_id)) WITHOUT ROWID",
    "CREATE INDEX ix_tag_cover_tag ON tag_cover (tag_id)",
    "CREATE TABLE tag_tree_count (tag_id TEXT PRIMARY KEY NOT NULL, "
    "every INTEGER NOT NULL, confirmed INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE tag_cover_dirty (article_id INTEGER PRIMARY KEY NOT NULL)",
    "CREATE TABLE tag_tree_dirty (tag_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID",
    f"INSERT INTO tag_cover (tag_id, article_id, confirmed) {_COVER}",
    "INSERT INTO tag_tree_count SELECT tag_id, count(*), sum(confirmed) FROM tag_cover "
    "GROUP BY tag_id",
    """CREATE TRIGGER tag_cover_ins AFTER INSERT ON article_tag BEGIN
         INSERT INTO tag_cover_dirty SELECT new.article_id WHERE NOT EXISTS
           (SELECT 1 FROM tag_cover_dirty WHERE article_id = new.article_id);
       END""",
    """CREATE TRIGGER tag_cover_del AFTER DELETE ON article_tag BEGIN
         INSERT INTO tag_cover_dirty SELECT old.article_id WHERE NOT EXISTS
           (SELECT 1 FROM tag_cover_dirty WHERE article_id = old.article_id);
       END""",
    """CREATE TRIGGER tag_cover_upd AFTER UPDATE OF article_id, tag_id, origin ON article_tag
       BEGIN
         INSERT INTO tag_cover_dirty SELECT old.article_id WHERE NOT EXISTS
           (SELECT 1 FROM tag_cover_dirty WHERE article_id = old.article_id);
         INSERT INTO tag_cover_dirty SELECT new.article_id WHERE NOT EXISTS
           (SELECT 1 FROM tag_cover_dirty WHERE article_id = new.article_id);
       END""",
    """CREATE TRIGGER tag_tree_upd AFTER UPDATE OF id, parent ON tag BEGIN
         INSERT INTO tag_tree_dirty SELECT old.id WHERE NOT EXISTS
           (SELECT 1 FROM tag_tree_dirty WHERE tag_id = old.id);
         INSERT INTO tag_tree_dirty SELECT new.id WHERE NOT EXISTS
           (SELECT 1 FROM tag_tree_dirty WHERE tag_id = new.id);
       END""",
    """CREATE TRIGGER tag_tree_del AFTER DELETE ON tag BEGIN
         INSERT INTO tag_tree_dirty SELECT old.id WHERE NOT EXISTS
           (SELECT 1 FROM tag_tree_dirty WHERE tag_id = old.id);
       END""",
)
