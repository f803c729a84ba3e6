"""The bulk import path (issue 19, item 1) gives exactly what merging the records one by one
gives: same results in order, same ids, citation keys, rows, tags, facets, full-text rows and
counts; with duplicates inside one file, records already in the library or in the trash,
entries without identifiers read again, citation-key collisions and batch boundaries. A
failure inside a bulk run leaves no half article; large PubMed files are streamed and still
refused whole when broken or hostile."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from spinelib.formats import pubmed_stream
from spinelib.importer import run_import
from spinelib.library import AddResult, Library
from spinelib.records import ArticleRecord, Author, ReferenceEntry
from tests.fakeserver import article_set, pubmed_article

from .helpers import make_record

#: Tables compared between the two paths (timestamps left out: they differ by the second).
DUMPS = {
    "article": "SELECT * FROM article ORDER BY id",
    "author": "SELECT * FROM author ORDER BY article_id, position",
    "reference": 'SELECT * FROM "reference" ORDER BY article_id, position',
    "article_tag": "SELECT * FROM article_tag ORDER BY article_id, tag_id",
    "article_facet": "SELECT * FROM article_facet ORDER BY article_id, facet, value",
    "fts": "SELECT rowid, * FROM article_fts ORDER BY rowid",
    "tag_count": "SELECT * FROM tag_count WHERE n > 0 ORDER BY tag_id",
    "facet_count": "SELECT * FROM facet_count WHERE n > 0 ORDER BY facet, value",
    "trash": "SELECT article_id, doi, pmid, pmcid, citekey FROM article_trash ORDER BY 1",
}
TIMESTAMPS = ("added_at", "updated_at")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        out = {}
        for name, sql in DUMPS.items():
            rows = conn.execute(sql).fetchall()
            # sqlite3.Row iterates values: its keys() are the column names.
            out[name] = [tuple(r[k] for k in r.keys() if k not in TIMESTAMPS)  # noqa: SIM118
                         for r in rows]
        return out
    finally:
        conn.close()


def one_by_one(lib: Library, records: list[ArticleRecord],
               tags: tuple[str, ...] = ()) -> list[AddResult]:
    """The reference: each record through the per-record merge in its own transaction."""
    tag_ids = [lib.tags.resolve(t) for t in tags]
    out = []
    for rec in records:
        with lib.store.writing() as conn, conn.savepoint():
            out.append(lib.articles.merger.merge(conn, rec, tag_ids, True))
    return out


def seeded(path: Path) -> Library:
    """A library holding one article, and one in the trash, that the input will meet."""
    lib = Library.open(path)
    lib.articles.add_records([make_record(doi="10.5555/existing", pmid="7000001",
                                          title="Existing article about spinal metastases",
                                          abstract="")])
    gone = lib.articles.add_records([make_record(doi="10.5555/trashed", pmid="7000002",
                                                 title="Trashed study of vertebroplasty")])
    lib.articles.delete([gone[0].article_id])
    return lib


def mixed_input() -> list[ArticleRecord]:
    """New records with a duplicate inside the file, records already stored or trashed,
    entries without identifiers (one read twice), colliding citation keys."""
    recs: list[ArticleRecord] = []
    for i in range(12):
        recs.append(make_record(
            doi=f"10.5555/new{i}", pmid=str(7100000 + i), pmcid="",
            title=f"Separation surgery and stereotactic radiosurgery cohort number {i}",
            references=[ReferenceEntry(1, f"Ref {i}", doi=f"10.5555/ref{i}")]))
    # The same article twice in one file (by PMID, with a DOI the first lacks).
    recs.insert(3, replace(recs[1], doi="", title=recs[1].title))
    recs[1] = replace(recs[1], doi="")
    recs.insert(5, replace(recs[1], doi="10.5555/late-doi", abstract="Filled later."))
    # Already in the library (fills its abstract) and in the trash (restored).
    recs.insert(7, make_record(doi="10.5555/EXISTING", pmid="", title="Existing article",
                               abstract="Now with an abstract on kyphoplasty."))
    recs.append(make_record(doi="10.5555/trashed", pmid="", title="Trashed study"))
    # No identifiers: the same .bib entry twice, and a same-key different entry.
    bare = make_record(doi="", pmid="", pmcid="", citekey="smith2020spinal",
                       title="Spinal metastases from renal cell carcinoma treated by embolisation",
                       authors=[Author("Smith", "Ann", "A")], year=2020)
    recs.insert(2, bare)
    recs.append(replace(bare))
    recs.append(replace(bare, title="Another title entirely about chordoma en bloc resection",
                        citekey="smith2020spinal"))
    recs.append(replace(bare, citekey="not a key", title="Short"))
    return recs


@pytest.mark.parametrize("batch", [1000, 4, 1])
def test_bulk_import_equals_one_by_one(tmp_path: Path, batch: int,
                                       caplog: pytest.LogCaptureFixture,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    records = mixed_input()
    with seeded(tmp_path / "bulk.sqlite") as lib:
        lib.tags.create("our series")
        merged_singly: list[str] = []
        real_merge = lib.articles.merger.merge

        def counted(conn, rec, *rest):  # type: ignore[no-untyped-def]
            merged_singly.append(rec.title)
            return real_merge(conn, rec, *rest)

        monkeypatch.setattr(lib.articles.merger, "merge", counted)
        bulk = lib.articles.add_records(records, tags=["our series"], batch=batch)
    # The fast path really ran: no run fell back, and only the records that meet something
    # (a twin in the file, the library or the trash) took the per-record merge.
    assert "one by one" not in caplog.text
    assert len(merged_singly) == 5, merged_singly
    with seeded(tmp_path / "single.sqlite") as lib:
        lib.tags.create("our series")
        single = one_by_one(lib, records, ("our series",))
    assert bulk == single
    statuses = [r.status for r in bulk]
    assert statuses.count("imported") >= 12 and "updated" in statuses
    assert "unchanged" in statuses  # the .bib entry read twice
    assert any("restored from the trash" in r.messages for r in bulk)
    assert any("already used" in m for r in bulk for m in r.messages)
    a, b = dump(tmp_path / "bulk.sqlite"), dump(tmp_path / "single.sqlite")
    for table in DUMPS:
        assert a[table] == b[table], table
    assert a["fts"] and a["article_facet"] and a["article_tag"]


def test_a_generated_corpus_imports_the_same_both_ways(tmp_path: Path) -> None:
    from benchmarks import corpus

    records = list(corpus.articles(3, 0, 60))
    records += [replace(r, abstract="") for r in records[:5]]  # the same again, in the file
    with Library.open(tmp_path / "bulk.sqlite") as lib:
        bulk = lib.articles.add_records(records, batch=25)
    with Library.open(tmp_path / "single.sqlite") as lib:
        single = one_by_one(lib, records)
    assert bulk == single
    assert dump(tmp_path / "bulk.sqlite") == dump(tmp_path / "single.sqlite")


def test_a_failing_run_leaves_no_half_article(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    records = [make_record(doi=f"10.5555/f{i}", pmid=str(7200000 + i),
                           title=f"Failure drill number {i} for spinal metastases")
               for i in range(6)]
    records[3].references = [ReferenceEntry(1, "x")]
    with Library.open(tmp_path / "lib.sqlite") as lib:
        def index_fails(*_args: object) -> None:
            # The run's last step: every row of the run is written when it fails.
            raise RuntimeError("index full")

        monkeypatch.setattr(lib.store.bulk, "index_new", index_fails)
        original = lib.store.articles.insert_references

        def refs_fail(conn, article_id, refs):  # type: ignore[no-untyped-def]
            if refs and refs[0].citation == "x":
                raise RuntimeError("disk on fire")
            return original(conn, article_id, refs)

        monkeypatch.setattr(lib.store.articles, "insert_references", refs_fail)
        results = lib.articles.add_records(records)
        assert [r.status for r in results] == ["imported"] * 3 + ["failed"] + ["imported"] * 2
        assert "disk on fire" in results[3].messages[0]
        assert lib.search.count() == 5
        assert lib.check() == []
    conn = sqlite3.connect(tmp_path / "lib.sqlite")
    try:
        for table in ("author", '"reference"', "article_tag", "article_facet"):
            orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN "
                                   "(SELECT id FROM article)").fetchone()[0]
            assert orphans == 0, table
        assert conn.execute("SELECT count(*) FROM article_fts").fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM article WHERE doi = '10.5555/f3'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def big_file(path: Path, pmids: list[str], *, tail: bytes = b"") -> Path:
    data = article_set(pubmed_article(p) for p in pmids)
    path.write_bytes(data[:len(data) - len(tail)] + tail if tail else data)
    return path


def test_a_streamed_file_imports_as_a_whole_read_does(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pmids = [str(35_000_000 + n) for n in range(30)]
    xml = big_file(tmp_path / "export.xml", pmids + pmids[:3])  # three twice
    with Library.open(tmp_path / "whole.sqlite") as lib:
        whole = run_import(lib, [str(xml)], client=None)
    assert pubmed_stream.open_stream(xml) is None  # small: read whole by default
    monkeypatch.setattr(pubmed_stream, "STREAM_FROM_BYTES", 1)
    stream = pubmed_stream.open_stream(xml)
    assert stream is not None and stream.total == 33
    with Library.open(tmp_path / "streamed.sqlite") as lib:
        streamed = run_import(lib, [str(xml)], client=None)
    assert streamed.items == whole.items
    assert streamed.counts() == {"imported": 30, "unchanged": 3}
    assert dump(tmp_path / "whole.sqlite")["article"] == dump(tmp_path / "streamed.sqlite")[
        "article"]


@pytest.mark.parametrize(("tail", "message"), [
    (b"<PubmedArticle><MedlineCitation>", "truncated or not well-formed"),
])
def test_a_broken_streamed_file_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               tail: bytes, message: str) -> None:
    monkeypatch.setattr(pubmed_stream, "STREAM_FROM_BYTES", 1)
    xml = big_file(tmp_path / "cut.xml", [str(36_000_000 + n) for n in range(20)], tail=tail)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
        assert lib.search.count() == 0
    [item] = report.items
    assert item.status == "failed" and message in item.message


def test_a_hostile_streamed_file_is_refused_before_anything_is_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed_stream, "STREAM_FROM_BYTES", 1)
    body = article_set(pubmed_article(str(37_000_000 + n)) for n in range(20)).decode()
    body = body.replace("<PubmedArticleSet>", '<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM '
                        '"file:///etc/passwd">]>\n<PubmedArticleSet>', 1)
    body = body.replace("</PubmedArticleSet>", "<PubmedArticle>&x;</PubmedArticle>"
                        "</PubmedArticleSet>")
    xml = tmp_path / "hostile.xml"
    xml.write_text(body, encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
        assert lib.search.count() == 0
    [item] = report.items
    assert item.status == "failed" and "refuses to expand" in item.message
    assert "root:" not in item.message
