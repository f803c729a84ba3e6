"""Search ranks only when asked (issue 19): sorted by a column, a search selects the same
articles as the ranked search, in the column's order, and no statement asks FTS5 for a
rank; sorted by relevance it ranks. The CLI offers both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library, Query
from spinelib.records import Author

from .helpers import make_record

WORDS = ("vertebroplasty", "kyphoplasty", "separation surgery", "SBRT", "chordoma",
         "pedicle screw", "spinal metastases")
SORTS = ("added", "first_author", "year", "title", "journal", "read_status", "rating")


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "lib.sqlite")
    for i in range(24):
        library.articles.add_record(make_record(
            title=f"{WORDS[i % 7]} and {WORDS[(i * 3) % 7]} in spinal metastases, case {i}",
            authors=[Author(["Zeta", "alpha", "Mu", "beta"][i % 4], "A")],
            journal=["Spine", "eur spine j", "Global Spine J"][i % 3], year=1990 + (i * 7) % 30,
            doi=f"10.1234/s{i}", pmid=str(8_000_000 + i)))
    library.articles.set_rating(3, 4)
    library.articles.set_read_status([5, 6], 2)
    yield library
    library.close()


def _key(lib: Library, sort: str):  # type: ignore[no-untyped-def]
    """The table's order for ``sort``, computed in Python from the rows (the oracle)."""
    rows = lib.search.rows(lib.search.ids())
    keys = {"added": lambda r: r.added_at, "first_author": lambda r: r.first_author.casefold(),
            "year": lambda r: r.year, "title": lambda r: r.title.casefold(),
            "journal": lambda r: r.journal.casefold(), "read_status": lambda r: r.read_status,
            "rating": lambda r: r.rating}[sort]
    return lambda i: (keys(rows[i]), i)


@pytest.mark.parametrize("sort", SORTS)
def test_a_column_sorted_search_selects_what_relevance_does_in_column_order(
        lib: Library, sort: str) -> None:
    seen: list[str] = []
    for text in ("spinal", "vertebroplasty", '"separation surgery"', "SBRT case", "nomatch"):
        ranked = lib.search.ids(Query(search=text, sort="relevance"))
        lib.watch_statements(seen.append)
        for descending in (False, True):
            got = lib.search.ids(Query(search=text, sort=sort, descending=descending))
            assert set(got) == set(ranked)
            if sort not in ("journal", "title"):  # (journal: abbreviation shown; title: key)
                assert got == sorted(got, key=_key(lib, sort), reverse=descending)
            assert lib.search.count(Query(search=text, sort=sort)) == len(ranked)
        lib.watch_statements(None)
    assert seen and not any("rank" in sql for sql in seen)


def test_relevance_ranks_and_combines_with_filters(lib: Library) -> None:
    seen: list[str] = []
    lib.watch_statements(seen.append)
    ranked = lib.search.ids(Query(search="spinal metastases", sort="relevance", unread=True))
    lib.watch_statements(None)
    assert any("rank" in sql for sql in seen)
    plain = lib.search.ids(Query(search="spinal metastases", unread=True))
    assert set(ranked) == set(plain) and 5 not in plain and len(plain) == 22


def test_the_cli_sorts_a_search_by_relevance_only_when_asked(
        lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(lib.path)
    lib.close()
    assert main(["--library", path, "list", "--search", "kyphoplasty", "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert main(["--library", path, "list", "--search", "kyphoplasty", "--sort", "relevance",
                 "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert default and sorted(map(json.dumps, default)) == sorted(map(json.dumps, ranked))
