"""The main window's query policy as plain values: the Query from the sidebar's filters, the
search text and the relevance choice; the view's name; whether the view is narrowed."""

from __future__ import annotations

from spinelib.gui.querystate import (
    ALL,
    Filter,
    build_query,
    is_narrowed,
    shows_column_order,
    view_label,
)
from spinelib.library import Query


def test_filters_and_trimmed_search_make_the_query() -> None:
    q = build_query(Query(), [Filter("unread"), Filter("tag", "sbrt")], "  kyphoplasty ",
                    prefer_relevance=False)
    assert (q.unread, q.tags, q.search) == (True, ["sbrt"], "kyphoplasty")
    assert (q.sort, q.descending) == ("added", True)  # searches keep newest first


def test_relevance_only_when_asked_and_searching() -> None:
    searching = build_query(Query(), [ALL], "spinal", prefer_relevance=True)
    assert searching.sort == "relevance"
    assert build_query(Query(), [ALL], "spinal", prefer_relevance=False).sort == "added"
    # Nothing to rank: relevance falls back to newest first, wherever it came from.
    cleared = build_query(searching, [ALL], "", prefer_relevance=True)
    assert (cleared.sort, cleared.descending) == ("added", True)
    unticked = build_query(searching, [ALL], "spinal", prefer_relevance=False)
    assert (unticked.sort, unticked.descending) == ("added", True)


def test_a_column_sort_is_kept_while_searching() -> None:
    by_year = Query(sort="year", descending=False)
    q = build_query(by_year, [ALL], "sbrt", prefer_relevance=True)
    assert (q.sort, q.descending, q.search) == ("year", False, "sbrt")
    assert shows_column_order(q)


def test_a_list_opens_in_its_own_order_and_leaves_it_after() -> None:
    in_list = build_query(Query(), [Filter("list", "Club")], "", prefer_relevance=False)
    assert (in_list.reading_list, in_list.sort, in_list.descending) == ("Club", "list", False)
    assert not shows_column_order(in_list)
    back = build_query(in_list, [ALL], "", prefer_relevance=False)
    assert (back.reading_list, back.sort, back.descending) == (None, "added", True)


def test_the_header_arrow_shows_only_for_column_orders() -> None:
    assert not shows_column_order(Query(sort="added"))
    assert not shows_column_order(Query(sort="relevance"))
    assert shows_column_order(Query(sort="title"))


def test_narrowed_by_a_search_or_any_filter_but_all() -> None:
    assert not is_narrowed([], "")
    assert not is_narrowed([ALL], "")
    assert is_narrowed([ALL], "sbrt")
    assert is_narrowed([Filter("unread")], "")
    assert is_narrowed([ALL, Filter("tag", "x")], "")


def test_view_label_names_filters_and_search() -> None:
    assert view_label([], {}, "") == "Shown: all articles"
    assert view_label([ALL], {}, "") == "Shown: all articles"
    label = view_label([Filter("retracted"), Filter("list", "Club"), Filter("tag", "t1"),
                        Filter("tag", "unknown"), Filter("facet", "breast", "histology")],
                       {"t1": "Vertebroplasty"}, "cement")
    assert label == ("Shown: Retracted / errata, list “Club”, Vertebroplasty, unknown, "
                     "breast, “cement”")
