"""The field search's plan (issue 15, schema step 13): a search in the table's default order
walks ``ix_article_added_keys`` instead of sorting its matches, and gives exactly the ids, in
exactly the order, of the plain statement (no index at all) and of the qualifiers' meaning
computed here in Python: ranges, open ranges, negations, combinations, ties in ``added_at``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from spinelib.cli import main
from spinelib.library import Library, Query
from spinelib.records import Author, MeshHeading
from spinelib.results import ReadStatus
from tests.pdfmaker import make_pdf

from .helpers import make_record

#: The articles' years, cycled (None: an undated article, which a negated range keeps).
YEARS = (2013, 2015, 2016, 2020, 2021, None, 2005, 2015, 2019, 2010, 2014)
N = 44


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        records = []
        for i in range(N):
            records.append(make_record(
                pmid=str(1000 + i), doi=f"10.1000/x{i}" if i % 3 else "",
                title=f"Study {i} of spinal tumour surgery number {i * 7}",
                authors=[Author(("Laufer", "Bilsky", "Patchell")[i % 3], "A", "A"),
                         Author(("Smith", "Wang")[i % 2], "B", "B")],
                year=YEARS[i % len(YEARS)], type="review" if i % 4 == 0 else "article",
                abstract="" if i % 5 == 0 else "An abstract about vertebroplasty.",
                journal=("Spine", "Lancet Oncol", "J Neurosurg Spine")[i % 3],
                journal_abbrev=("Spine", "Lancet Oncol", "J Neurosurg Spine")[i % 3],
                mesh=[MeshHeading("D013125", "Spinal Neoplasms", True)] if i % 2 else
                [MeshHeading("D001", "Spinal Cord Compression", False)],
                keywords=["kyphoplasty"] if i % 6 == 0 else [], references=[]))
        ids = [r.article_id for r in library.articles.add_records(records)]
        assert len(ids) == N
        with library.store.writing() as conn:
            for n, article_id in enumerate(ids):
                # Few distinct times, not in id order: ties are broken by id.
                conn.execute("UPDATE article SET added_at = :t WHERE id = :id",
                             {"t": f"2026-0{1 + (n * 5) % 4}-01T00:00:00Z", "id": article_id})
        library.articles.set_read_status(ids[::3], ReadStatus.READ)
        for article_id in ids[::7]:
            library.articles.set_notes(article_id, "check the dose")
        library.tags.create("my surgery")
        library.tags.create("my separation", parent="my surgery")
        library.tags.add(ids[::4], ["my separation"])
        yield library


def _rows(lib: Library) -> dict[int, dict[str, Any]]:
    with lib.store.reading() as conn:
        return {int(r["id"]): dict(r) for r in conn.all(
            "SELECT id, added_at, year, type, read_status, doi, notes, abstract FROM article")}


def newest_first(lib: Library, keep: Callable[[dict[str, Any]], bool]) -> list[int]:
    """The articles ``keep`` selects, in the table's default order, computed in Python."""
    rows = _rows(lib)
    return sorted((i for i, r in rows.items() if keep(r)),
                  key=lambda i: (rows[i]["added_at"], i), reverse=True)


def unindexed(lib: Library, text: str) -> list[int]:
    """The store's own statement with every index on ``article`` refused: a table scan and
    a sort, the plan least like the walk."""
    sql, params = lib.store.queries.ids_statement(lib.search.resolve(Query(search=text)))
    # The walk, or (words typed) the seek of the full-text matches in the sort-key index.
    source = next(s for s in (lib.store.dialect.walk_source(),
                              lib.store.dialect.search_source()) if s in sql)
    with lib.store.reading() as conn:
        return [int(i) for i in conn.column(sql.replace(source, "article a NOT INDEXED"),
                                            params)]


def _in(y: int | None, lo: int | None, hi: int | None) -> bool:
    return y is not None and (lo is None or y >= lo) and (hi is None or y <= hi)


@pytest.mark.parametrize(("text", "keep"), [
    ("", lambda r: True),
    ("year:2015..2020", lambda r: _in(r["year"], 2015, 2020)),
    ("year:2015", lambda r: r["year"] == 2015),
    ("year:2016..", lambda r: _in(r["year"], 2016, None)),
    ("year:..2013", lambda r: _in(r["year"], None, 2013)),
    ("-year:2015..2020", lambda r: not _in(r["year"], 2015, 2020)),  # undated kept
    ("-year:2015..", lambda r: not _in(r["year"], 2015, None)),
    ("type:review", lambda r: r["type"] == "review"),
    ("-type:review", lambda r: r["type"] != "review"),
    ("read:read", lambda r: r["read_status"] == int(ReadStatus.READ)),
    ("read:unread year:2010..2016",
     lambda r: r["read_status"] == int(ReadStatus.UNREAD) and _in(r["year"], 2010, 2016)),
    ("has:doi", lambda r: r["doi"] is not None),
    ("-has:doi", lambda r: r["doi"] is None),
    ("has:notes", lambda r: r["notes"] != ""),
    ("has:abstract type:review", lambda r: r["abstract"] != "" and r["type"] == "review"),
    ("-has:abstract -year:..2014",
     lambda r: r["abstract"] == "" and not _in(r["year"], None, 2014)),
])
def test_the_walk_gives_the_qualifiers_meaning_in_the_default_order(
        lib: Library, text: str, keep: Callable[[dict[str, Any]], bool]) -> None:
    expected = newest_first(lib, keep)
    assert lib.search.ids(Query(search=text)) == expected
    assert unindexed(lib, text) == expected
    assert lib.search.count(Query(search=text)) == len(expected)
    # Oldest first is the same walk backwards.
    assert lib.search.ids(Query(search=text, descending=False)) == expected[::-1]


@pytest.mark.parametrize("text", [
    'mesh:"spinal neoplasms"', '-mesh:"spinal neoplasms"', "journal:spine", "author:laufer",
    "author:laufer year:2013..2020", 'author:wang -mesh:"spinal neoplasms" year:2015..',
    'tag:"my surgery"', 'tag:"my surgery" -year:2015', "vertebroplasty -kyphoplasty",
    '"spinal tumour" year:2014..2019', "kyphoplasty", "has:pmid has:abstract journal:lancet",
])
def test_the_walk_matches_the_plain_statement(lib: Library, text: str) -> None:
    found = lib.search.ids(Query(search=text))
    assert found == unindexed(lib, text)
    assert lib.search.count(Query(search=text)) == len(found)
    rows = _rows(lib)
    assert found == sorted(found, key=lambda i: (rows[i]["added_at"], i), reverse=True)


def test_the_queries_select_what_they_say(lib: Library) -> None:
    """A few counts from the fixture's construction, so an empty answer cannot pass."""
    count = lib.search.count
    assert count(Query(search='mesh:"spinal neoplasms"')) == N // 2
    assert count(Query(search="author:laufer")) == len(range(0, N, 3))
    assert count(Query(search='tag:"my surgery"')) == len(range(0, N, 4))
    assert count(Query(search="has:notes")) == len(range(0, N, 7))
    assert count(Query(search="kyphoplasty")) == len(range(0, N, 6))
    assert count(Query(search="-kyphoplasty")) == N - len(range(0, N, 6))


def test_a_filtered_search_walks_the_index_and_never_sorts(lib: Library) -> None:
    for text in ("year:2015..2020", 'mesh:"spinal neoplasms"', "type:review read:unread",
                 "author:laufer tag:\"my surgery\"", "has:doi -has:notes", "-kyphoplasty"):
        sql, params = lib.store.queries.ids_statement(lib.search.resolve(Query(search=text)))
        with lib.store.reading() as conn:
            plan = [str(r[3]) for r in conn.all(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert any("COVERING INDEX ix_article_added_keys" in p for p in plan), (text, plan)
        assert not any("TEMP B-TREE" in p for p in plan), (text, plan)


def test_other_orders_and_id_lists_keep_their_plans(lib: Library) -> None:
    by_year = lib.search.ids(Query(search="year:2013..2020", sort="year", descending=False))
    rows = _rows(lib)
    assert by_year == sorted(by_year, key=lambda i: (rows[i]["year"], i))
    chosen = by_year[:3]
    picked = lib.search.ids(Query(search="year:2013..2020", ids=chosen))
    assert picked == sorted(chosen, key=lambda i: (rows[i]["added_at"], i), reverse=True)


def test_has_pdf_finds_articles_with_an_attached_pdf(lib: Library, tmp_path: Path) -> None:
    assert lib.search.ids(Query(search="has:pdf")) == []
    first, second = lib.search.ids(Query(search="year:2015"))[:2]
    lib.attachments.attach(first, make_pdf(tmp_path / "p.pdf", ["a page of text"]))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a pdf")
    lib.attachments.attach(second, notes)
    assert lib.search.ids(Query(search="has:pdf")) == [first]
    assert second in lib.search.ids(Query(search="-has:pdf year:2015"))
    assert first not in lib.search.ids(Query(search="-has:pdf year:2015"))


def test_match_places_come_from_the_free_text_only(lib: Library, tmp_path: Path) -> None:
    """``list --search`` shows where each match matched: a qualifier filters, it is not a
    place (its words were searched in every match's text: minutes at 100,000)."""
    found = lib.search.ids(Query(search="year:2015 tumour"))
    assert found
    lib.attachments.attach(found[0], make_pdf(tmp_path / "p.pdf", ["in the year 2015"]))
    places = lib.attachments.places(found, "year:2015 tumour -kyphoplasty")
    assert {i: p.places for i, p in places.items()} == {i: ["title"] for i in found}
    assert all(not p.places for p in lib.attachments.places(found, "year:2015").values())
    assert lib.attachments.places(found[:1], "2015")[found[0]].places == ["fulltext p. 1"]


def test_cli_list_prints_places_only_where_the_free_text_matched(
        lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    found = lib.search.ids(Query(search="year:2015"))
    assert main(["--library", str(lib.path), "list", "--search", "year:2015"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(found) and "[" not in out
    assert f"{len(found)} articles" in err
    assert main(["--library", str(lib.path), "list", "--search", "year:2015 tumour"]) == 0
    out = capsys.readouterr()[0]
    assert len(out.splitlines()) == len(found)
    assert all(line.endswith("  [title]") for line in out.splitlines())
