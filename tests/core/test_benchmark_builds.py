"""How the benchmark data is built (issue 19: ``make bench`` on a fresh clone): a larger
library continued from a smaller one's checkpoint is the library a build from nothing gives,
and the XML files of several sizes written in one pass are what writing each alone gives.
No timing is asserted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks import generate

SEED = 5
#: Tables compared row for row, with the columns that hold a timestamp left out.
TABLES: dict[str, tuple[str, ...]] = {
    "article": ("added_at", "updated_at"), "author": (), "reference": (),
    "article_tag": (), "article_facet": (), "tag": (), "tag_count": (), "facet_count": (),
    "reading_list": ("created_at",), "reading_list_item": (), "article_alias": (),
}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        for table, skip in TABLES.items():
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')
                    if r[1] not in skip]
            assert cols, table
            listed = ", ".join(f'"{c}"' for c in cols)
            out[table] = con.execute(f'SELECT {listed} FROM "{table}" ORDER BY {listed}'
                                     ).fetchall()
        out["article_fts"] = con.execute("SELECT rowid, * FROM article_fts ORDER BY rowid"
                                         ).fetchall()
        return out
    finally:
        con.close()


def test_a_build_continued_from_a_smaller_one_equals_a_build_from_nothing(
        tmp_path: Path) -> None:
    direct = tmp_path / "direct.sqlite"
    generate.build_library(direct, 40, SEED, batch=15, progress=None)
    cache = tmp_path / "cache"
    built = generate.cached_libraries([40, 16], SEED, cache=cache, progress=None)
    assert set(built) == {16, 40}
    stats = generate.build_stats(40, SEED, cache=cache)
    assert stats is not None and stats["continued_from"] == 16  # the 16 were not added again
    assert not list(cache.glob("articles-*"))  # the checkpoint is gone once used
    want = _rows(direct)
    got = _rows(built[40])
    assert want["article"] and want["reference"] and want["article_tag"]
    for table, rows in want.items():
        assert got[table] == rows, table
    # The smaller library is whole too: its own user state, all 16 articles.
    small = _rows(built[16])
    assert len(small["article"]) == 16 and small["reading_list_item"]


def test_xml_files_of_several_sizes_in_one_pass(tmp_path: Path) -> None:
    alone = generate.pubmed_xml_file(tmp_path / "alone-7.xml", 7, SEED, batch=3)
    both = generate.pubmed_xml_files({7: tmp_path / "7.xml", 12: tmp_path / "12.xml"}, SEED,
                                     batch=3)
    assert both[7].read_bytes() == alone.read_bytes()
    assert both[12].read_bytes() == generate.pubmed_xml_file(tmp_path / "alone-12.xml", 12,
                                                             SEED).read_bytes()
    assert not list(tmp_path.glob("*.partial"))


def test_libraries_and_xml_made_in_one_pass_equal_each_made_alone(tmp_path: Path) -> None:
    """``cached_data`` (what ``make bench`` runs on a fresh clone): the builds' synthesiser
    writes the XML of the articles it generates (0..15 by the small build, 16..39 by the
    continued one), the rest (40..44) is written after; every file is byte for byte the
    file written alone, and the libraries are the ones built alone."""
    cache = tmp_path / "cache"
    libraries, xmls = generate.cached_data([40, 16], [45, 10, 16], SEED, cache=cache,
                                           progress=None)
    assert set(libraries) == {16, 40} and set(xmls) == {10, 16, 45}
    for n, path in xmls.items():
        assert path.read_bytes() == generate.pubmed_xml_file(
            tmp_path / f"alone-{n}.xml", n, SEED).read_bytes(), n
    assert not list(cache.glob("*.partial")) and not list(cache.glob("articles-*"))
    direct = tmp_path / "direct.sqlite"
    generate.build_library(direct, 40, SEED, batch=15, progress=None)
    want, got = _rows(direct), _rows(libraries[40])
    for table, rows in want.items():
        assert got[table] == rows, table
    # Everything cached now: nothing is built or written again.
    stamps = {p: p.stat().st_mtime_ns for p in [*libraries.values(), *xmls.values()]}
    generate.cached_data([40, 16], [45, 10, 16], SEED, cache=cache, progress=None)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_xml_sink_refuses_articles_out_of_order(tmp_path: Path) -> None:
    sink = generate.XmlSink({3: tmp_path / "3.xml"})
    try:
        with pytest.raises(ValueError, match="article 2 while article 0 is next"):
            sink.write(2, ["<x/>"])
    finally:
        sink.close()
    assert not (tmp_path / "3.xml").exists()  # never finished: no complete-looking file
