"""The tags room: the vocabulary's tags and the user's own, on articles and in the sidebar.

Promises: a tag may be named by its id, label, a vocabulary synonym or abbreviation, or a
user tag's name (any text: commas, quotes, Unicode); an unknown name is refused with close
matches; a parent tag's count and filter include its descendants; a rejected suggestion is
remembered so re-importing never suggests it again.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinelib.errors import SpineLibError
from spinelib.results import CONFIRMED_ORIGINS, Query, TagCount, TagOrigin, TagState
from spinelib.store import names
from spinelib.store.tagcounts import TreeCount
from spinelib.text import plural

#: The count of a tag no article carries.
_UNUSED = TreeCount(0, 0)

if TYPE_CHECKING:
    from spinelib.library.facade import Library


class TagsManager:
    """``lib.tags``."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.store = lib.store

    def sync_vocabulary(self) -> None:
        """Keep vocabulary tags in the tag table (new taxonomy versions add or relabel)."""
        wanted = {t.id: (t.label, t.parent) for t in self.lib.taxonomy.tags}
        with self.store.reading() as conn:
            have = self.store.tags.vocabulary_rows(conn)
        if all(have.get(k) == v for k, v in wanted.items()):
            return
        with self.store.writing() as conn:
            self.store.tags.sync_vocabulary(conn, [(t.id, t.label, t.parent)
                                                   for t in self.lib.taxonomy.tags])

    def resolve(self, name: str) -> str:
        """A user-typed tag (id, label, synonym, abbreviation, or user tag name) -> tag id.

        Raises SpineLibError listing close matches when nothing fits.
        """
        name = name.strip()
        if not name:
            raise SpineLibError("empty tag name")
        sql = self.store.tags
        with self.store.reading() as conn:
            if sql.exists(conn, name):
                return name
            by_label = sql.by_label(conn, name)
            if by_label is not None:
                return by_label
            user_tags = sql.user_tag_ids(conn)
        taxonomy = self.lib.taxonomy
        found = taxonomy.find(name)
        if found is not None:
            return found.id
        close = taxonomy.close_matches(name) + difflib.get_close_matches(name, user_tags, 3)
        hint = f"; did you mean: {', '.join(dict.fromkeys(close))}?" if close else ""
        raise SpineLibError(f"unknown tag {name!r}{hint} (create your own with: spinelib tag "
                            f"create {shlex.quote(name)})")

    def with_descendants(self, tag_id: str) -> list[str]:
        with self.store.reading() as conn:
            return self.store.tags.descendants(conn, tag_id)

    def create(self, label: str, parent: str | None = None) -> str:
        """Create a user tag named ``label`` (stored as typed: commas, quotes, Unicode); a
        name any tag has already, in any letter case, is refused."""
        label = " ".join(label.split())
        if not label:
            raise SpineLibError("a tag needs a name")
        parent_id = self.resolve(parent) if parent else None
        with self.store.writing() as conn:
            # In any letter case: "To read" beside "to read" would be two tags that every
            # typed name resolves to only one of.
            taken = self.store.tags.by_label(conn, label)
            if taken is not None:
                raise SpineLibError(f"tag {taken!r} already exists")
            self.store.tags.create(conn, label, label, parent_id)
            # Made inside an undoable step (an import's tags): its undo removes the tag.
            self.lib.history.touch_new(conn, tags=[label])
        return label

    def add(self, ids: Sequence[int], tags: Sequence[str]) -> list[str]:
        """Add tags (resolved by :meth:`resolve`) to articles as the user's own."""
        tag_ids = [self.resolve(t) for t in tags]
        self.add_pairs([(a, t) for a in ids for t in tag_ids])
        return tag_ids

    def add_pairs(self, pairs: Sequence[tuple[int, str]]) -> None:
        """Give each article its own tags (``(article, tag id)`` pairs: a file's tags on
        import) as the user's, in one transaction; each article's index row is rewritten
        once, not once per tag (20,000 articles in 50 tags: 3.5 s as 50 :meth:`add` calls)."""
        ids = sorted({a for a, _t in pairs})
        with self.lib.history.recording(f"tagging of {plural(len(ids))}", marks=ids) as conn:
            self.store.tags.assign(conn, list(dict.fromkeys(pairs)), TagOrigin.USER)
            self.store.fulltext.reindex_tags(conn, ids)

    def remove(self, ids: Sequence[int], tags: Sequence[str]) -> list[str]:
        """Remove tags; a removed suggestion is remembered as rejected."""
        tag_ids = [self.resolve(t) for t in tags]
        with self.lib.history.recording(f"untagging of {plural(len(ids))}", marks=ids) as conn:
            for a in sorted(set(ids)):  # id order: see ArticleSql.update
                for t in tag_ids:
                    self.store.tags.unassign(conn, a, t)
            self.store.fulltext.reindex_tags(conn, ids)
        return tag_ids

    def accept(self, article_id: int, tag: str) -> str:
        """Confirm a suggestion (or undo a rejection); returns the tag id."""
        return self._judge(article_id, tag, TagOrigin.ACCEPTED)

    def reject(self, article_id: int, tag: str) -> str:
        """Reject a suggestion for good; returns the tag id."""
        return self._judge(article_id, tag, TagOrigin.REJECTED)

    def judge_many(self, ids: Sequence[int], tag: str, *, accept: bool) -> int:
        """Accept (or reject) the open suggestion of ``tag`` on every article of ``ids`` that
        has one, in one transaction; articles without that suggestion are left as they are
        (a confirmed tag stays confirmed, a rejection stays rejected). Returns how many
        suggestions were judged."""
        tag_id = self.resolve(tag)
        origin = TagOrigin.ACCEPTED if accept else TagOrigin.REJECTED
        with self.store.writing() as conn:
            judged = self.store.tags.judge_suggestions(conn, ids, tag_id, origin)
            self.store.fulltext.reindex_tags(conn, judged)
        return len(judged)

    def _judge(self, article_id: int, tag: str, origin: str) -> str:
        tag_id = self.resolve(tag)
        word = "acceptance" if origin == TagOrigin.ACCEPTED else "rejection"
        with self.lib.history.recording(f"{word} of a suggested tag",
                                        articles=[article_id]) as conn:
            if not self.store.tags.judge(conn, article_id, tag_id, origin):
                raise SpineLibError(f"{tag_id!r} is not a suggestion for this article")
            self.store.fulltext.reindex_tags(conn, [article_id])
        return tag_id

    def rename(self, old: str, new_label: str) -> str:
        """Rename a user tag (its id changes, assignments follow)."""
        tag_id = self.resolve(old)
        new_label = " ".join(new_label.split())
        if not new_label:
            raise SpineLibError("a tag needs a name")
        sql = self.store.tags
        with self.lib.history.recording(f"rename of tag {tag_id}",
                                        tags=[tag_id, new_label]) as conn:
            self.lib.history.touch(conn, articles=sql.articles_with(conn, tag_id),
                                   tags=self.store.snapshots.children(conn, tag_id))
            if sql.origin(conn, tag_id) == "vocabulary":
                raise SpineLibError(f"{tag_id!r} belongs to the vocabulary and cannot be "
                                    "renamed; create a user tag and merge into it instead")
            taken = sql.by_label(conn, new_label)
            if taken is not None and taken != tag_id:
                raise SpineLibError(f"tag {taken!r} already exists; merge instead")
            for a in sql.rename(conn, tag_id, new_label):
                self.store.fulltext.reindex(conn, a)
            for child in self.store.snapshots.children(conn, new_label):
                # A team replica shares an unused tag's rename as a new tag and a deletion
                # (which would lift its children): they move under the new name instead.
                names.record_move(conn, child)
        return new_label

    def merge(self, source: str, target: str) -> int:
        """Move every assignment of ``source`` to ``target`` and delete ``source`` (a user tag).
        Returns how many articles carried it."""
        src, dst = self.resolve(source), self.resolve(target)
        if src == dst:
            raise SpineLibError("cannot merge a tag into itself")
        sql = self.store.tags
        with self.lib.history.recording(f"merge of tag {src} into {dst}", tags=[src]) as conn:
            self.lib.history.touch(conn, articles=sql.articles_with(conn, src),
                                   tags=self.store.snapshots.children(conn, src))
            if sql.origin(conn, src) == "vocabulary":
                raise SpineLibError(f"{src!r} belongs to the vocabulary and cannot be merged away")
            articles = sql.articles_with(conn, src)
            names.record_merge(conn, src, dst)  # a team replica shares it as a merge
            for a in articles:
                origin = sql.assignment_origin(conn, a, src) or TagOrigin.USER
                sql.assign(conn, [(a, dst)],
                           TagOrigin.USER if origin in CONFIRMED_ORIGINS else origin)
            sql.reparent_children(conn, src, dst)
            sql.delete(conn, src)
            for a in articles:
                self.store.fulltext.reindex(conn, a)
        return len(articles)

    def delete(self, tag: str) -> int:
        """Delete a user tag: its assignments go, its children move up to its parent.
        Vocabulary tags are refused. Returns how many articles carried it."""
        tag_id = self.resolve(tag)
        sql = self.store.tags
        with self.store.writing() as conn:
            if sql.origin(conn, tag_id) == "vocabulary":
                raise SpineLibError(f"{tag_id!r} belongs to the vocabulary and cannot be deleted")
            articles = sql.articles_with(conn, tag_id)
            sql.reparent_children(conn, tag_id, sql.parent_of(conn, tag_id))
            sql.delete(conn, tag_id)
            for a in articles:
                self.store.fulltext.reindex(conn, a)
        return len(articles)

    def move(self, tag: str, parent: str | None) -> str | None:
        """Put a user tag under ``parent`` (None: top level); a tag cannot go under itself or
        one of its descendants. Returns the new parent's id."""
        tag_id = self.resolve(tag)
        parent_id = self.resolve(parent) if parent else None
        sql = self.store.tags
        with self.store.writing() as conn:
            if sql.origin(conn, tag_id) == "vocabulary":
                raise SpineLibError(f"{tag_id!r} belongs to the vocabulary and cannot be moved")
            if parent_id is not None and parent_id in sql.descendants(conn, tag_id):
                raise SpineLibError("a tag cannot go under itself or one of its own tags")
            names.record_move(conn, tag_id)  # a team replica shares the tree
            sql.set_parent(conn, tag_id, parent_id)
        return parent_id

    def state(self, article_id: int) -> TagState:
        """Tags of an article split by origin: confirmed, suggested and rejected."""
        with self.store.reading() as conn:
            rows = self.store.tags.of_article(conn, article_id)
        return TagState(tags=[t for t in rows if t.origin in CONFIRMED_ORIGINS],
                        suggested=[t for t in rows if t.origin == TagOrigin.SUGGESTED],
                        rejected=[t for t in rows if t.origin == TagOrigin.REJECTED])

    def counts(self, q: Query | None = None) -> list[TagCount]:
        """Every tag with the number of articles (within ``q``) carrying it or a descendant,
        vocabulary first in its order. Each :class:`TagCount` holds the confirmed articles
        (the user's or accepted), those where it is only an open suggestion, and their sum;
        rejections never count. ``q.tag_match`` does not change the counts (only which
        articles ``q``'s own tag filters keep).

        The whole library's counts are kept by the store (``tag_tree_count``, exact after
        every write), so the sidebar reads them without counting. Within a query: a tag
        whose subtree is used by one tag reads its direct count; a parent counts distinct
        articles over its subtree in the covering index.
        """
        sql = self.store.tags
        scope, params = self.store.queries.scope(self.lib.search.resolve(q or Query()))
        with self.store.reading() as conn:
            tags = sql.all(conn)
            kept = None if scope else self.store.tagcounts.tree_counts(conn)
            if kept is not None:  # the whole library: the store keeps these (issue 19)
                return self._ordered([
                    TagCount(t[0], t[1], t[2], t[3], c.every, c.confirmed,
                             c.every - c.confirmed)
                    for t in tags for c in [kept.get(t[0], _UNUSED)]])
            children: dict[str | None, list[str]] = {}
            for t in tags:
                children.setdefault(t[2], []).append(t[0])

            def subtree(tag_id: str) -> list[str]:
                out = [tag_id]
                for child in children.get(tag_id, []):
                    out.extend(subtree(child))
                return out

            def tally(confirmed: bool) -> dict[str, int]:
                direct = sql.direct_counts(conn, scope, params, confirmed=confirmed)
                counts: dict[str, int] = {}
                for t in tags:
                    in_use = [i for i in subtree(t[0]) if direct.get(i)]
                    if len(in_use) <= 1:
                        counts[t[0]] = direct.get(in_use[0], 0) if in_use else 0
                    else:
                        counts[t[0]] = sql.distinct_count(conn, in_use, scope, params,
                                                          confirmed=confirmed)
                return counts

            every, confirmed = tally(False), tally(True)
        return self._ordered([TagCount(t[0], t[1], t[2], t[3], every[t[0]], confirmed[t[0]],
                                       every[t[0]] - confirmed[t[0]]) for t in tags])

    def _ordered(self, result: list[TagCount]) -> list[TagCount]:
        """Vocabulary first in its order, then the user's tags by label."""
        order = {t.id: i for i, t in enumerate(self.lib.taxonomy.tags)}
        result.sort(key=lambda c: (c.origin != "vocabulary", order.get(c.id, 0),
                                   c.label.casefold()))
        return result
