"""A selection is written in id order, whatever order it comes in (issue 19): the table hands
the library its selection in its sort order (title, year), and rows written in id order share
the B-tree pages of the one before (marking 30,000 of 100,000 articles read took 1.8 s
instead of 3.0 s; tagging 4,000 of them 1.1 s instead of 1.7 s). What is written is the
same either way."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from spinelib.library import Library
from spinelib.results import Query
from tests.core.helpers import make_record, traced_sql

_ROW_IDS = {
    "UPDATE article SET read_status": re.compile(r"WHERE id = (\d+)"),
    "INSERT INTO article_tag": re.compile(r"VALUES \((\d+),"),
    "UPDATE article_fts SET tags": re.compile(r"WHERE rowid = (\d+)"),
    "DELETE FROM article_tag WHERE article_id =": re.compile(r"article_id = (\d+)"),
}


def _written(lib: Library, call: Callable[[], object]) -> dict[str, list[int]]:
    """The article ids each kind of statement wrote, in the order they were written."""
    out: dict[str, list[int]] = {}
    for sql in traced_sql(lib, call):
        for lead, pattern in _ROW_IDS.items():
            m = pattern.search(sql)
            if sql.startswith(lead) and m:
                ids = out.setdefault(lead, [])
                if not ids or ids[-1] != int(m.group(1)):  # a trigger's echo of one row
                    ids.append(int(m.group(1)))
    return out


def _library(tmp_path: Path) -> tuple[Library, list[int]]:
    lib = Library.open(tmp_path / "lib.sqlite")
    lib.articles.add_records([make_record(pmid=str(100 + i), doi=f"10.5555/order{i}",
                                          title=f"Article {i}") for i in range(8)])
    return lib, sorted(lib.search.ids())


def test_marking_a_selection_read_writes_it_in_id_order(tmp_path: Path) -> None:
    lib, ids = _library(tmp_path)
    with lib:
        picked = [ids[5], ids[1], ids[7], ids[2]]  # as a table sorted by title hands it over
        written = _written(lib, lambda: lib.articles.set_read_status(picked, 2))
        assert written["UPDATE article SET read_status"] == sorted(picked)
        with sqlite3.connect(tmp_path / "lib.sqlite") as con:
            read = {r[0] for r in con.execute("SELECT id FROM article WHERE read_status = 2")}
        assert read == set(picked)


def test_tagging_and_untagging_a_selection_write_it_in_id_order(tmp_path: Path) -> None:
    lib, ids = _library(tmp_path)
    with lib:
        lib.tags.create("teaching")
        picked = [ids[6], ids[0], ids[3]]
        written = _written(lib, lambda: lib.tags.add(picked, ["teaching"]))
        assert written["INSERT INTO article_tag"] == sorted(picked)
        assert written["UPDATE article_fts SET tags"] == sorted(picked)
        assert set(lib.search.ids(Query(tags=["teaching"]))) == set(picked)
        # The tag is searchable text: the index rows were rewritten.
        assert set(lib.search.ids(Query(search="teaching"))) == set(picked)
        written = _written(lib, lambda: lib.tags.remove(list(reversed(picked)), ["teaching"]))
        assert written["DELETE FROM article_tag WHERE article_id ="] == sorted(picked)
        assert lib.search.ids(Query(tags=["teaching"])) == []
        lib.history.undo()  # the untagging undone: the same three, whatever order they came in
        assert set(lib.search.ids(Query(tags=["teaching"]))) == set(picked)


def test_tagging_rewrites_only_the_tags_text_and_heals_a_missing_index_row(
        tmp_path: Path) -> None:
    lib, ids = _library(tmp_path)
    with lib:
        with lib.store.writing() as conn:  # a damaged library: one article lost its row
            conn.execute(f"DELETE FROM article_fts WHERE rowid = {ids[2]}")
        assert lib.search.ids(Query(search='"Article 2"')) == []
        lib.tags.create("journal club")
        lib.tags.add([ids[4], ids[2]], ["journal club"])
        # Both found by the tag's words and by their titles: the row kept its other columns,
        # and the lost one was written whole from what is stored.
        assert set(lib.search.ids(Query(search='"journal club"'))) == {ids[2], ids[4]}
        assert lib.search.ids(Query(search='"Article 4"')) == [ids[4]]
        assert lib.search.ids(Query(search='"Article 2"')) == [ids[2]]
        lib.tags.remove([ids[4]], ["journal club"])
        assert lib.search.ids(Query(search='"journal club"')) == [ids[2]]
        assert lib.search.ids(Query(search='"Article 4"')) == [ids[4]]
        assert lib.check() == []
