"""A large PubMed file's whole-document check is asked for once two batches are read (the
first one's vocabulary found, the second handed to the vocabulary helper), and still before
anything is stored (issue 19): a broken or hostile file of many batches stores nothing and
reads as it did when it was checked on opening; an article set with no article is "no
entries found"; the count the check makes is the progress total. These files are small, so
the check runs in this process (the helper that checks a large file:
test_background_check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib import fileimport
from spinelib.formats import pubmed_stream
from spinelib.importer import run_import
from spinelib.library import Library
from tests.fakeserver import article_set, pubmed_article

PMIDS = [str(38_000_000 + n) for n in range(23)]


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed_stream, "STREAM_FROM_BYTES", 1)  # every .xml is streamed
    monkeypatch.setattr(fileimport, "FILE_BATCH", 5)  # 23 articles: five batches


def _file(path: Path, body: bytes) -> Path:
    path.write_bytes(body)
    return path


def test_the_check_runs_after_two_batches_are_read_and_before_any_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_iter, real_check = pubmed_stream._iter_records, pubmed_stream.PubmedStream.check

    def iter_records(*args: object):  # type: ignore[no-untyped-def]
        for record in real_iter(*args):  # type: ignore[arg-type]
            events.append("read")
            yield record

    def check(self: pubmed_stream.PubmedStream, counted: int | None = None) -> None:
        events.append("check")
        real_check(self, counted)

    monkeypatch.setattr(pubmed_stream, "_iter_records", iter_records)
    monkeypatch.setattr(pubmed_stream.PubmedStream, "check", check)
    xml = _file(tmp_path / "set.xml", article_set(pubmed_article(p) for p in PMIDS))
    totals: list[int] = []
    with Library.open(tmp_path / "lib.sqlite") as lib:
        real_add = lib.articles.add_records

        def add_records(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            events.append("write")
            return real_add(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(lib.articles, "add_records", add_records)
        report = run_import(lib, [str(xml)], client=None,
                            progress=lambda done, total, _label: totals.append(total))
        assert lib.search.count() == 23
    assert report.counts() == {"imported": 23}
    assert events.index("check") == 10  # two batches read, nothing written yet
    assert events.count("check") == 1 and events.index("write") > events.index("check")
    assert totals and set(totals) == {23}  # the check's count is the progress total


@pytest.mark.parametrize(("body", "message"), [
    (lambda data: data[:-60], "truncated or not well-formed"),  # cut inside the last batch
    (lambda data: data.replace(b"<PubmedArticleSet>", b'<!DOCTYPE PubmedArticleSet [<!ENTITY '
                               b'x SYSTEM "file:///etc/passwd">]>\n<PubmedArticleSet>', 1)
     .replace(b"</PubmedArticleSet>", b"<PubmedArticle>&x;</PubmedArticle>"
              b"</PubmedArticleSet>"), "refuses to expand"),
])
def test_a_broken_or_hostile_file_of_many_batches_stores_nothing(
        tmp_path: Path, body: object, message: str) -> None:
    data = body(article_set(pubmed_article(p) for p in PMIDS))  # type: ignore[operator]
    xml = _file(tmp_path / "bad.xml", data)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
        assert lib.search.count() == 0
        assert lib.check() == []
    [item] = report.items
    assert item.status == "failed" and message in item.message
    assert not item.message.startswith("bad.xml")  # the file is named once, by the report


def test_an_article_set_without_articles_is_no_entries(tmp_path: Path) -> None:
    xml = _file(tmp_path / "empty.xml", article_set([]))
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
        assert lib.search.count() == 0
    [item] = report.items
    assert (item.status, item.message) == ("failed", "no entries found in the file")
