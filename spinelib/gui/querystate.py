"""What the article table shows, as plain values: the query policy of the main window.

The sidebar's selected entries (:class:`Filter`), the search text and the user's preference
for relevance order make one :class:`~spinelib.library.Query` (:func:`build_query`); the same
inputs name the view for the export dialog (:func:`view_label`) and say whether the table
shows only part of the library (:func:`is_narrowed`). No Qt here, so the policy is tested
without a window; :mod:`spinelib.gui.querycontrol` decides *when* a query runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from spinelib.library import Query, TagMatch

#: Sidebar entries of the fixed "Library" section -> how the view label names them.
FILTER_NAMES: dict[str, str] = {"unread": "Unread", "recent": "Recently added",
                                "retracted": "Retracted / errata",
                                "unidentified": "Unidentified PDFs", "trash": "Trash"}
#: Sidebar entries that switch on the Query field of the same name.
FLAG_KINDS = frozenset({"unread", "recent", "retracted", "unidentified"})
#: Orders that are not a table column's, so the header shows no sort arrow for them.
UNCOLUMNED_SORTS = frozenset({"relevance", "added", "list"})


@dataclass(frozen=True)
class Filter:
    """What one sidebar entry selects. ``kind``: all, unread, recent, retracted, unidentified,
    list, tag (articles where the tag is confirmed), suggested (confirmed or suggested), facet,
    saved (a saved search: ``value`` its name, ``facet`` its query text, run live), trash
    (the window shows the Trash view instead of the table).
    ``value`` is the list name, tag id or facet value; ``facet`` the facet name."""

    kind: str
    value: str = ""
    facet: str = ""

    @property
    def key(self) -> str:
        """A string naming this entry uniquely (to find and reselect it in the sidebar)."""
        return f"{self.kind}\x1f{self.facet}\x1f{self.value}"


#: The filter of the "All articles" entry: no narrowing at all.
ALL = Filter("all")


def apply_filters(query: Query, filters: Iterable[Filter]) -> Query:
    """``query`` narrowed by every filter (AND); the search and sort are kept.

    A reading list shown alone is sorted in its own order, so it can be reordered by drag.
    """
    q = replace(query, tags=[], facets=[], reading_list=None, unread=False, recent=False,
                retracted=False, unidentified=False, ids=None)
    tags: list[str] = []
    facets: list[tuple[str, str]] = []
    filters = list(filters)
    for f in filters:
        if f.kind in FLAG_KINDS:
            setattr(q, f.kind, True)  # the kind names the Query field it switches on
        elif f.kind == "list":
            q.reading_list = f.value
        elif f.kind in ("tag", "suggested"):
            tags.append(f.value)
        elif f.kind == "facet":
            facets.append((f.facet, f.value))
    q.tags, q.facets = tags, facets
    # A tag filter shows what the Tags column shows (confirmed tags) unless the user asked
    # for the suggestions too; one query has one mode, so asking once widens every tag.
    q.tag_match = (TagMatch.WITH_SUGGESTIONS if any(f.kind == "suggested" for f in filters)
                   else TagMatch.CONFIRMED)
    if q.reading_list is not None and query.reading_list != q.reading_list:
        q.sort, q.descending = "list", False
    elif q.reading_list is None and q.sort == "list":
        q.sort, q.descending = "added", True
    return q


def build_query(current: Query, filters: Sequence[Filter], search_text: str, *,
                prefer_relevance: bool) -> Query:
    """The query for these sidebar filters and this search text, on top of ``current``'s sort.

    Searches keep the table's order (newest first) unless the user asked for relevance
    (``prefer_relevance``): ranking every hit of a broad search costs several times the
    search itself. Without search text there is nothing to rank, so relevance falls back
    to newest first.
    """
    q = apply_filters(current, filters)
    # A saved search is its query text run now, narrowed further by anything typed.
    saved = [f.facet for f in filters if f.kind == "saved" and f.facet.strip()]
    text = " ".join([*saved, search_text.strip()]).strip()
    q = replace(q, search=text)
    if text and q.sort == "added" and prefer_relevance:
        q = replace(q, sort="relevance")
    elif q.sort == "relevance" and not (text and prefer_relevance):
        q = replace(q, sort="added", descending=True)
    return q


def shows_column_order(query: Query) -> bool:
    """True when the table is sorted by one of its columns (the header shows the arrow)."""
    return query.sort not in UNCOLUMNED_SORTS


def is_narrowed(filters: Sequence[Filter], search: str) -> bool:
    """True when the table shows only part of the library (a search, or a filter other
    than "All articles")."""
    return bool(search) or list(filters) not in ([], [ALL])


def view_label(filters: Sequence[Filter], tag_labels: Mapping[str, str], search: str) -> str:
    """A short name for what the table shows, for the export dialog: 'Shown: Unread,
    list “Club”, “sbrt”' or 'Shown: all articles'. Tags are named by their label."""
    for f in filters:
        if f.kind == "saved":  # its query is named by the entry, not repeated as typed text
            search = search.removeprefix(f.facet).strip()
    parts = [name for f in filters if (name := _filter_name(f, tag_labels))]
    if search:
        parts.append(f"“{search}”")
    return "Shown: " + (", ".join(parts) if parts else "all articles")


def _filter_name(f: Filter, tag_labels: Mapping[str, str]) -> str:
    """How :func:`view_label` names one filter ('' for "All articles")."""
    if f.kind == "list":
        return f"list “{f.value}”"
    if f.kind == "tag":
        return tag_labels.get(f.value, f.value)
    if f.kind == "suggested":
        return f"{tag_labels.get(f.value, f.value)} (with suggestions)"
    if f.kind == "facet":
        return f.value
    if f.kind == "saved":
        return f"saved search “{f.value}”"
    return FILTER_NAMES.get(f.kind, "")


__all__ = ["ALL", "FILTER_NAMES", "Filter", "apply_filters", "build_query", "is_narrowed",
           "shows_column_order", "view_label"]
