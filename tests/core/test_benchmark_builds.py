"""How the benchmark data is built (issue 19: ``make bench`` on a fresh clone).

A missing library is built by the import row's first sample (``run_import`` of the cached
XML into an empty library, :mod:`benchmarks.import_build`) plus the user state: that
library holds, row for row, what the generator's ``build_library`` gives (the corpus's
articles, their tags, facets, index and user state; a retracted article's publication types
also name "Retracted Publication"), the import that built it is a plain import, and a file
that is not the corpus in order is refused. No timing is asserted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from benchmarks import children, generate, import_build, runner, scenarios
from spinelib.importer import run_import
from spinelib.library import Library

SEED = 5
#: A seed whose first 40 articles include retracted ones (articles 10 and 29).
RETRACTED_SEED = 51
#: Tables compared row for row, with the columns that hold a timestamp left out.
TABLES: dict[str, tuple[str, ...]] = {
    "article": ("added_at", "updated_at"), "author": (), "reference": (),
    "article_tag": (), "article_facet": (), "tag": (), "tag_count": (), "facet_count": (),
    "reading_list": ("created_at",), "reading_list_item": (), "article_alias": (),
}


def _rows(path: Path, tables: dict[str, tuple[str, ...]] = TABLES
          ) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        for table, skip in tables.items():
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


def _assert_same(got: Path, want: Path,
                 tables: dict[str, tuple[str, ...]] = TABLES) -> None:
    a, b = _rows(got, tables), _rows(want, tables)
    for table, rows in b.items():
        assert a[table] == rows, table


def _publication_types(path: Path) -> dict[int, tuple[list[str], bool]]:
    con = sqlite3.connect(path)
    try:
        return {int(r[0]): (json.loads(r[1]), bool(r[2])) for r in con.execute(
            "SELECT id, publication_types, retracted FROM article")}
    finally:
        con.close()


def _built_by_import(tmp_path: Path, n: int, seed: int = SEED, build_seed: int = SEED
                     ) -> tuple[scenarios.Measurement, Path, Path]:
    """The import row (2 samples and its floor) with its first sample kept as the build."""
    xml = generate.pubmed_xml_file(tmp_path / f"xml-{n}-{seed}.xml", n, seed)
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    building = import_build.building_path(n, build_seed, cache)
    return scenarios.import_file(xml, repeat=2, build_into=building), building, cache


def test_the_import_rows_first_sample_builds_the_generators_library(tmp_path: Path) -> None:
    """Row for row the generator's library, with one known difference: a retracted
    article's publication types also name "Retracted Publication", as PubMed's own
    records do (the efetch XML carries it; the generator's records flag it only)."""
    seed = RETRACTED_SEED
    m, building, cache = _built_by_import(tmp_path, 40, seed, seed)
    # Still a whole row: both samples and both floors measured, every article imported.
    assert len(m.samples) == 2 and len(m.floor_samples) == 2 and m.extra["articles"] == 40
    assert m.extra["first_sample_built"] == building.name and building.exists()
    assert not list(Path(tmp_path).glob("**/import-1.sqlite"))  # the other sample is gone
    stats = import_build.finish(building, 40, seed, cache=cache, import_s=m.samples[0])
    path = generate.library_path(40, seed, cache)
    assert path.exists() and not building.exists()
    assert json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) == stats
    assert stats["import_s"] == m.samples[0] and stats["read"] == 12 and stats["rated"] == 2
    direct = tmp_path / "direct.sqlite"
    generate.build_library(direct, 40, seed, batch=15, progress=None)
    _assert_same(path, direct, {**TABLES, "article": (*TABLES["article"], "publication_types")})
    got, want = _publication_types(path), _publication_types(direct)
    assert [a for a, (_t, retracted) in got.items() if retracted] == [10, 29]
    assert got == {a: (types + ["Retracted Publication"] if retracted else types, retracted)
                   for a, (types, retracted) in want.items()}
    rows = _rows(path)
    # What it holds: the corpus's 40 articles in order, with references, suggested and user
    # tags, reading lists and the user's read status.
    pmids = [a.pmid for a in generate.corpus.articles(seed, 0, 40)]
    con = sqlite3.connect(path)
    try:
        assert [r[0] for r in con.execute("SELECT pmid FROM article ORDER BY id")] == pmids
        origins = {r[0] for r in con.execute("SELECT DISTINCT origin FROM article_tag")}
        read = con.execute("SELECT count(*) FROM article WHERE read_status = 2").fetchone()[0]
    finally:
        con.close()
    assert len(origins) >= 2 and read == 12
    assert rows["reference"] and rows["reading_list_item"] and len(rows["article_fts"]) == 40


def test_the_builds_import_is_a_plain_import(tmp_path: Path) -> None:
    _m, building, _cache = _built_by_import(tmp_path, 30)
    plain = tmp_path / "plain.sqlite"
    lib = Library.open(plain)
    try:
        report = run_import(lib, [str(tmp_path / f"xml-30-{SEED}.xml")], client=None)
    finally:
        lib.close()
    assert report.counts() == {"imported": 30}
    _assert_same(building, plain)


@pytest.mark.parametrize("articles, seed, message", [
    (25, SEED, r"holds 20 articles with ids 1\.\.20; expected 1\.\.25"),
    (20, SEED + 1, "not the corpus in order"),
])
def test_finish_refuses_a_library_that_is_not_the_corpus_in_order(
        tmp_path: Path, articles: int, seed: int, message: str) -> None:
    _m, building, cache = _built_by_import(tmp_path, 20, seed)
    with pytest.raises(RuntimeError, match=message):
        import_build.finish(building, articles, SEED, cache=cache)
    assert building.exists()  # left for a look, never renamed into the cache
    assert not generate.library_path(articles, SEED, cache).exists()


def test_prepare_data_writes_the_xml_and_names_the_libraries_to_build(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert import_build.prepare_data([40, 16], [10], SEED, cache=cache) == [16, 40]
    for n in (10, 16, 40):  # one pass, each file what writing it alone gives
        assert generate.xml_path(n, SEED, cache).read_bytes() == generate.pubmed_xml_file(
            tmp_path / f"alone-{n}.xml", n, SEED).read_bytes(), n
    assert not list(cache.glob("library-*")) and not list(cache.glob("*.partial"))
    building = import_build.building_path(16, SEED, cache)
    scenarios.import_file(generate.xml_path(16, SEED, cache), repeat=1, build_into=building,
                          floor=False)
    import_build.finish(building, 16, SEED, cache=cache)
    stamp = generate.xml_path(40, SEED, cache).stat().st_mtime_ns
    assert import_build.prepare_data([40, 16], [10], SEED, cache=cache) == [40]
    assert generate.xml_path(40, SEED, cache).stat().st_mtime_ns == stamp  # not written again
    assert import_build.prepare_data([16], [], SEED, cache=cache, rebuild=True) == [16]
    assert not generate.library_path(16, SEED, cache).exists()


@pytest.mark.e2e
@pytest.mark.parametrize("settles", [False, True])
def test_runner_builds_a_missing_library_by_the_import_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settles: bool) -> None:
    """A fresh cache: the import row's first sample is the build, the row is still whole
    and reported once, the other rows read the built library; a second run measures the
    import row again (into temporary libraries) and builds nothing. Either way its first
    sample goes (``settles``: it stands alone, or the rest of the row's samples follow it)."""
    monkeypatch.setattr(children, "settled", lambda *_args: settles)
    samples = 1 if settles else 2
    cache, out, md = tmp_path / "cache", tmp_path / "results.json", tmp_path / "R.md"
    argv = ["--sizes", "30", "--xml-records", "30", "--repeat", "2", "--seed", str(SEED),
            "--only", "search,import_file_10k", "--cache", str(cache), "--out", str(out),
            "--markdown", str(md)]
    assert runner.main(argv) == 0
    assert "the 30-article library was built by this run's import sample" in md.read_text(
        encoding="utf-8")
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["name"], r["size"]) for r in results] == [("search", 30),
                                                          ("import_file_10k", 30)]
    first = results[1]
    assert len(first["samples"]) == samples and len(first["floor_samples"]) == samples
    assert first["extra"]["first_sample_built"].startswith("building-")
    library = generate.library_path(30, SEED, cache)
    stats = generate.build_stats(30, SEED, cache=cache)
    assert stats is not None
    # The build is the row's first sample: its only one, or the first of its three.
    assert stats["import_s"] == first["samples"][0]
    assert "hits" in results[0]["extra"]  # the search row read the built library
    stamp = library.stat().st_mtime_ns
    assert runner.main(argv) == 0
    again = json.loads(out.read_text(encoding="utf-8"))[1]
    assert "first_sample_built" not in again["extra"] and len(again["samples"]) == samples
    assert library.stat().st_mtime_ns == stamp and not list(cache.glob("building-*"))
    assert "built by this run's import" not in md.read_text(encoding="utf-8")


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


def test_xml_sink_refuses_articles_out_of_order(tmp_path: Path) -> None:
    sink = generate.XmlSink({3: tmp_path / "3.xml"})
    try:
        with pytest.raises(ValueError, match="article 2 while article 0 is next"):
            sink.write(2, ["<x/>"])
    finally:
        sink.close()
    assert not (tmp_path / "3.xml").exists()  # never finished: no complete-looking file
