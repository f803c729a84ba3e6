"""The article table model: lazy pages, SQL sorting, drag data, list reordering, qtmodeltester."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from spinelib.gui.tablemodel import (
    ARTICLE_IDS_MIME,
    PAGE,
    ArticleTableModel,
    ids_from_mime,
    ids_to_mime,
)
from spinelib.gui.tasks import TaskRunner
from spinelib.library import Library, Query
from tests.core.helpers import make_record


def big_library(path: Path, n: int) -> Library:
    lib = Library.open(path)
    lib.articles.add_records([make_record(title=f"Spinal metastasis cohort number {i:04d} outcomes",
                                 doi=f"10.5555/big.{i}", pmid=str(100000 + i), year=1990 + i % 35,
                                 references=[], abstract="")
                     for i in range(n)], suggest_tags=False)
    return lib


def test_rows_load_a_page_at_a_time(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "big.sqlite", PAGE + 10)
    calls: list[int] = []
    original = lib.search.rows

    def counting_rows(ids: list[int]):  # type: ignore[no-untyped-def]
        calls.append(len(ids))
        return original(ids)

    lib.search.rows = counting_rows  # type: ignore[method-assign,assignment]
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == PAGE + 10)
    assert calls == []  # ids only: no row fetched before the view asks
    assert model.index(PAGE + 5, 2).data() == "…"  # placeholder while loading
    qtbot.waitUntil(lambda: model.index(PAGE + 5, 2).data() != "…")
    assert calls == [10]  # exactly the one page holding that row (the second: 10 rows)
    assert model.cached_row(model.ids[0]) is None
    runner.shutdown()
    lib.close()


def test_sorting_and_filtering_come_from_sql(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "s.sqlite", 60)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == 60)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.sort == "year" and model.ids == lib.search.ids(model.query))
    assert model.query.descending
    model.sort(4)  # the Tags column is not sortable: nothing happens
    assert model.query.sort == "year"
    model.set_query(replace(model.query, search="0042"))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    runner.shutdown()
    lib.close()


def test_superseded_query_results_are_dropped(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "q.sqlite", 30)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query(search="0001"))
    model.set_query(Query(search="cohort"))  # typed on before the first answer came
    qtbot.waitUntil(lambda: model.rowCount() == 30)
    runner.wait()
    qtbot.wait(50)
    assert model.rowCount() == 30
    runner.shutdown()
    lib.close()


def test_drag_data_carries_article_ids(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "d.sqlite", 5)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    mime = model.mimeData([model.index(1, 0), model.index(1, 3), model.index(3, 0)])
    assert mime.hasFormat(ARTICLE_IDS_MIME)
    assert ids_from_mime(mime) == [model.ids[1], model.ids[3]]
    assert ids_from_mime(ids_to_mime([])) == []
    runner.shutdown()
    lib.close()


def test_reading_list_reorders_by_drop(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "r.sqlite", 5)
    ids = lib.search.ids(Query(sort="year", descending=False))
    lib.lists.create("Journal club")
    lib.lists.add("Journal club", ids)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query(reading_list="Journal club", sort="list"))
    qtbot.waitUntil(lambda: model.ids == ids)
    assert model.reorderable
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    mime = model.mimeData([model.index(4, 0)])  # the last article…
    with qtbot.waitSignal(model.list_reordered, timeout=3000):
        assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    expected = [ids[0], ids[4], ids[1], ids[2], ids[3]]  # …now second
    assert model.ids == expected
    assert lib.lists.items("Journal club") == expected
    # Filtered or sorted otherwise, the list cannot be reordered.
    model.set_query(Query(reading_list="Journal club", sort="title"))
    assert not model.reorderable
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    runner.shutdown()
    lib.close()


def test_refresh_keeps_rows_visible_and_updates_them(qtbot: QtBot, tmp_path: Path) -> None:
    lib = big_library(tmp_path / "f.sqlite", 3)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    model.index(0, 5).data()
    qtbot.waitUntil(lambda: model.cached_row(model.ids[0]) is not None)
    assert model.index(0, 5).data() == "●"  # unread
    lib.articles.set_read_status([model.ids[0]], 2)
    model.refresh()
    assert model.index(0, 5).data() == "●"  # the old value shows until the new one arrives
    qtbot.waitUntil(lambda: model.index(0, 5).data() == "")
    runner.shutdown()
    lib.close()


def test_qtmodeltester_on_a_loaded_model(qtbot: QtBot, tmp_path: Path,
                                         qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    lib = big_library(tmp_path / "m.sqlite", 250)
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == 250)
    qtmodeltester.check(model)
    model.index(0, 2).data()
    model.index(249, 2).data()
    qtbot.waitUntil(lambda: model.cached_row(model.ids[249]) is not None
                    and model.cached_row(model.ids[0]) is not None)
    qtmodeltester.check(model)  # again with rows cached
    runner.shutdown()
    lib.close()


def test_a_paper_in_press_says_so_in_the_year_column(qtbot: QtBot, tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "p.sqlite")
    lib.articles.add_record(make_record(year=None, pubstate="inpress", references=[]))
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query())
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, 2).data() == "…"  # asks for the page
    qtbot.waitUntil(lambda: model.index(0, 2).data() != "…")
    assert model.index(0, 1).data() == "in press"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "In press: no year yet"
    runner.shutdown()
    lib.close()


def test_the_journal_column_shows_the_abbreviation_the_library_holds(
        qtbot: QtBot, tmp_path: Path) -> None:
    """An Embase or .bib article of a journal PubMed's articles abbreviate reads as they do."""
    lib = Library.open(tmp_path / "j.sqlite")
    lib.articles.add_records([
        make_record(journal="Journal of Neurosurgery: Spine", journal_abbrev="",
                    doi="10.3171/a", pmid="", year=2021),
        make_record(journal="Journal of neurosurgery. Spine", journal_abbrev="J Neurosurg Spine",
                    doi="10.3171/b", pmid="2", year=2020, title="Another cohort")])
    runner = TaskRunner()
    model = ArticleTableModel(lib, runner)
    model.set_query(Query(sort="year"))
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    qtbot.waitUntil(lambda: model.index(1, 2).data() not in (None, "…"))
    assert [model.index(r, 3).data() for r in range(2)] == ["J Neurosurg Spine"] * 2
    runner.shutdown()
    lib.close()
