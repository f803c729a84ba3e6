"""The vocabulary helper process of a large file's import (issue 19, spinelib/bulkvocab.py):
the library comes out row for row as without it, the answers really come from the helper,
a failing helper only means the answers are found in process, and a file that breaks half
way still has the batches read before it stored."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import corpus
from benchmarks.generate import write_pubmed_xml
from spinelib import bulkvocab, fileimport, helperprocess
from spinelib.bulkvocab import HelperVocabulary, ReadAhead, SubmittedBatch
from spinelib.errors import FormatError
from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.records import ArticleRecord
from spinelib.vocabulary import batch as vocabulary_batch
from spinelib.vocabulary import load_taxonomy
from tests.waiting import wait_until

from .test_bulk_import import DUMPS, dump

RECORDS = 25


@pytest.fixture(autouse=True)
def switch_interval_put_back() -> Iterator[None]:
    """Every test here, the helper's failures and hangs included, ends with Python's switch
    interval as it began (a helper shortens it while it runs)."""
    before = sys.getswitchinterval()
    yield
    assert sys.getswitchinterval() == before


def corpus_file(path: Path) -> Path:
    """A PubMed file of generated spine-oncology articles (with suggestions and facets)."""
    with path.open("w", encoding="utf-8") as out:
        write_pubmed_xml(out, corpus.articles(1, 0, RECORDS))
    return path


def helper_used(monkeypatch: pytest.MonkeyPatch, used: bool) -> None:
    monkeypatch.setattr(fileimport, "FILE_BATCH", 10)
    monkeypatch.setattr(HelperVocabulary, "worth_it", staticmethod(lambda n, batch: used))


def in_process_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles the vocabulary was asked about in this process."""
    calls: list[str] = []
    real = vocabulary_batch.suggestions_and_facets

    def counted(record: ArticleRecord, *args: Any, **kwargs: Any) -> Any:
        calls.append(record.title)
        return real(record, *args, **kwargs)

    monkeypatch.setattr(vocabulary_batch, "suggestions_and_facets", counted)
    monkeypatch.setattr(bulkvocab, "suggestions_and_facets", counted)
    return calls


def helper_runs(monkeypatch: pytest.MonkeyPatch, code: str) -> list[Any]:
    """The helper process runs ``python -c code`` instead; returns the processes started."""
    real = subprocess.Popen
    started: list[Any] = []

    def popen(args: list[str], **kwargs: Any) -> Any:
        started.append(real([sys.executable, "-c", code], **kwargs))
        return started[-1]

    monkeypatch.setattr(bulkvocab.subprocess, "Popen", popen)
    return started


def test_the_helper_gives_the_same_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    xml = corpus_file(tmp_path / "search.xml")
    helper_used(monkeypatch, False)
    with Library.open(tmp_path / "here.sqlite") as lib:
        here = run_import(lib, [str(xml)], client=None)
    helper_used(monkeypatch, True)
    monkeypatch.setattr(bulkvocab, "SHARE_WORK", False)  # every answer from the helper
    asked: list[int] = []
    real_add = SubmittedBatch.add

    def counting(self: SubmittedBatch, records: list[ArticleRecord]) -> Any:
        asked.append(len(records))
        return real_add(self, records)

    monkeypatch.setattr(SubmittedBatch, "add", counting)
    calls = in_process_calls(monkeypatch)
    with Library.open(tmp_path / "helped.sqlite") as lib:
        helped = run_import(lib, [str(xml)], client=None)
    assert asked == [10, 10, 5]
    assert calls == []  # every answer came from the helper process
    assert "helper process failed" not in caplog.text
    assert helped.items == here.items and helped.counts() == {"imported": RECORDS}
    a, b = dump(tmp_path / "here.sqlite"), dump(tmp_path / "helped.sqlite")
    for table in DUMPS:
        assert a[table] == b[table], table
    assert a["article_tag"] and a["article_facet"]


def test_the_importer_answers_the_chunks_a_slow_helper_has_not_begun(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A helper that needs a second a chunk: the importer takes back the chunks it has not
    begun and answers them itself, each record once, and the library is the same."""
    xml = corpus_file(tmp_path / "search.xml")
    helper_used(monkeypatch, False)
    with Library.open(tmp_path / "here.sqlite") as lib:
        run_import(lib, [str(xml)], client=None)
    helper_used(monkeypatch, True)
    monkeypatch.setattr(bulkvocab, "HELPER_CHUNK", 2)
    helper_runs(monkeypatch, "import sys, time; from spinelib import bulkvocab as b; "
                "real = b.answer_all; b.answer_all = lambda *a: (time.sleep(1.0), real(*a))[1]; "
                "b.serve(sys.stdin.buffer, sys.stdout.buffer)")
    calls = in_process_calls(monkeypatch)
    with Library.open(tmp_path / "shared.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
    assert report.counts() == {"imported": RECORDS}
    # The slow helper cannot have begun each batch's last chunk before it was taken back;
    # none was answered twice here.
    assert 0 < len(calls) <= RECORDS and len(set(calls)) == len(calls)
    assert "helper process failed" not in caplog.text
    a, b = dump(tmp_path / "here.sqlite"), dump(tmp_path / "shared.sqlite")
    for table in DUMPS:
        assert a[table] == b[table], table


def held_helper(monkeypatch: pytest.MonkeyPatch, marks: Path, gate: Path) -> None:
    """The helper process, made to leave a file ``started-N`` in ``marks`` as it begins its
    N-th chunk, then to hold the chunk until ``gate`` exists."""
    held = ("import sys, time; from pathlib import Path; from spinelib import bulkvocab as b; "
            "real = b.answer_all; begun = [0]\n"
            "def held(*a):\n"
            "    begun[0] += 1\n"
            f"    Path({str(marks)!r}, f'started-{{begun[0]}}').touch()\n"
            f"    while not Path({str(gate)!r}).exists(): time.sleep(0.01)\n"
            "    return real(*a)\n"
            "b.answer_all = held; b.serve(sys.stdin.buffer, sys.stdout.buffer)")
    helper_runs(monkeypatch, held)


def begun(marks: Path) -> int:
    """How many chunks the :func:`held_helper` has begun."""
    return len(list(marks.glob("started-*")))


def test_chunks_the_helper_has_not_begun_are_taken_back_and_its_own_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three chunks; the helper holds the first until the importer has taken back the other
    two (the last first) and answered them here: the answers are the first chunk's from the
    helper and the others' from here, in order, equal to answering all here."""
    monkeypatch.setattr(bulkvocab, "HELPER_CHUNK", 2)
    monkeypatch.setattr(bulkvocab, "HELPER_TIMEOUT_S", 30.0)  # a regression fails, not hangs
    gate = tmp_path / "gate"
    held_helper(monkeypatch, tmp_path, gate)
    records = corpus.articles(1, 0, 6)
    taxonomy = load_taxonomy()
    here: list[str] = []
    real_answer_all = bulkvocab.answer_all

    def answered_here(chunk: list[ArticleRecord], *args: Any) -> Any:
        here.extend(r.title for r in chunk)
        if chunk[0].title == records[2].title:  # the last chunk to take back: let it go on
            gate.touch()
        return real_answer_all(chunk, *args)

    helper = HelperVocabulary(taxonomy)
    try:
        result = helper.submit(records, True)
        wait_until(lambda: begun(tmp_path) == 1, what="the helper began the first chunk")
        monkeypatch.setattr(bulkvocab, "answer_all", answered_here)
        answers = result()
    finally:
        helper.close()
    assert here == [r.title for r in records[4:]] + [r.title for r in records[2:4]]
    expected = real_answer_all([bulkvocab.vocabulary_input(r) for r in records], taxonomy, True)
    assert [answers[id(r)] for r in records] == expected
    assert any(s for s, _ in expected)  # the records do have suggestions


def test_closing_skips_the_chunks_of_a_batch_nobody_will_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A cancelled import closes the helper with its read-ahead batch unread: the helper
    finishes the chunk it began and is not sent the other nine."""
    monkeypatch.setattr(bulkvocab, "HELPER_CHUNK", 2)
    gate = tmp_path / "gate"
    held_helper(monkeypatch, tmp_path, gate)
    helper = HelperVocabulary(load_taxonomy())
    helper.submit(corpus.articles(1, 0, 20), True)  # ten chunks, never read
    wait_until(lambda: begun(tmp_path) == 1, what="the helper began the first chunk")
    gate.touch()
    helper.close()
    assert begun(tmp_path) <= 2  # the one it began (and at most one claimed as close began)
    assert "helper process failed" not in caplog.text


def dead_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper process starts, then dies at once (as a crashed or killed helper)."""
    helper_runs(monkeypatch, "pass")


def test_a_failing_helper_means_answers_found_here(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    xml = corpus_file(tmp_path / "search.xml")
    helper_used(monkeypatch, False)
    with Library.open(tmp_path / "here.sqlite") as lib:
        run_import(lib, [str(xml)], client=None)
    helper_used(monkeypatch, True)
    dead_helper(monkeypatch)
    calls = in_process_calls(monkeypatch)
    with Library.open(tmp_path / "helped.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
    assert report.counts() == {"imported": RECORDS}
    assert len(calls) == RECORDS  # each found here once, none twice
    assert "helper process failed" in caplog.text
    a, b = dump(tmp_path / "here.sqlite"), dump(tmp_path / "helped.sqlite")
    for table in DUMPS:
        assert a[table] == b[table], table


def test_a_hung_helper_is_stopped_and_answers_found_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    xml = corpus_file(tmp_path / "search.xml")
    helper_used(monkeypatch, True)
    monkeypatch.setattr(bulkvocab, "HELPER_TIMEOUT_S", 0.5)
    # Reads nothing, answers nothing.
    started = helper_runs(monkeypatch, "import time; time.sleep(600)")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(xml)], client=None)
    assert report.counts() == {"imported": RECORDS}
    assert "helper process failed" in caplog.text
    assert [p.poll() is not None for p in started] == [True]  # stopped, not left behind


def test_reading_ahead_keeps_the_batches_before_a_break() -> None:
    def records() -> Iterator[ArticleRecord]:
        for i in range(5):
            yield ArticleRecord(title=f"Article {i}")
        raise FormatError("export.xml changed while it was read")

    ahead = ReadAhead(records(), None, 2)
    batches = []
    while True:
        chunk, answers = ahead.next()
        if not chunk:
            break
        assert answers() is None  # no helper: the bulk path asks the vocabulary itself
        batches.append([r.title for r in chunk])
    assert batches == [["Article 0", "Article 1"], ["Article 2", "Article 3"]]
    with pytest.raises(FormatError, match="changed"):
        ahead.raise_error()


def test_a_batch_goes_to_the_helper_a_chunk_at_a_time_as_it_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper is sent each chunk of a batch as soon as it is read, not once the whole
    batch is: it begins on the first records while the rest are still being parsed. A batch
    that breaks off is cancelled, so the helper skips what nobody will read."""
    monkeypatch.setattr(bulkvocab, "HELPER_CHUNK", 2)
    events: list[str] = []
    sent: list[SubmittedBatch] = []
    monkeypatch.setattr(HelperVocabulary, "_send", lambda self, chunks, futures, s: (
        events.append(f"sent {sum(map(len, chunks))}")))

    def records() -> Iterator[ArticleRecord]:
        for i in range(7):
            events.append(f"read {i}")
            yield ArticleRecord(title=f"Article {i}")
        raise FormatError("export.xml changed while it was read")

    real_begin = HelperVocabulary.begin
    monkeypatch.setattr(HelperVocabulary, "begin", lambda self, s: (
        sent.append(real_begin(self, s)) or sent[-1]))
    ahead = ReadAhead(records(), HelperVocabulary(load_taxonomy()), 5)
    chunk, _answers = ahead.next()
    assert [r.title for r in chunk] == [f"Article {i}" for i in range(5)]
    assert events == ["read 0", "read 1", "sent 2", "read 2", "read 3", "sent 2", "read 4",
                      "sent 1"]
    assert len(sent[0].futures) == 3 and not any(f.cancelled() for f in sent[0].futures)
    chunk, _answers = ahead.next()  # two records, then the file breaks: no batch
    assert chunk == [] and all(f.cancelled() for f in sent[1].futures)
    with pytest.raises(FormatError, match="changed"):
        ahead.raise_error()


def test_the_switch_interval_is_short_while_a_helper_runs_and_put_back_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the helper is spoken to, threads hand the GIL over every HANDOFF_S (so its I/O
    thread is not kept waiting by the parse); after the import the interval is the one set
    before, also when two helpers overlapped and ended in either order."""
    before = sys.getswitchinterval()
    assert before > helperprocess.HANDOFF_S
    seen: list[float] = []
    real = bulkvocab.SubmittedBatch.answers

    def watching(self: SubmittedBatch) -> Any:
        seen.append(sys.getswitchinterval())
        return real(self)

    monkeypatch.setattr(SubmittedBatch, "answers", watching)
    xml = corpus_file(tmp_path / "search.xml")
    helper_used(monkeypatch, True)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        assert run_import(lib, [str(xml)], client=None).counts() == {"imported": RECORDS}
    assert seen and set(seen) == {helperprocess.HANDOFF_S}
    assert sys.getswitchinterval() == before
    first, second = HelperVocabulary(load_taxonomy()), HelperVocabulary(load_taxonomy())
    try:
        first.submit(corpus.articles(1, 0, 2), True)()
        second.submit(corpus.articles(1, 2, 4), True)()
        first.close()
        assert sys.getswitchinterval() == helperprocess.HANDOFF_S  # the second still runs
    finally:
        second.close()
        first.close()  # a second close changes nothing
    assert sys.getswitchinterval() == before


def test_the_end_of_the_file_leaves_the_last_batch_the_one_close_cancels(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading past the file's end begins no batch: the last real one stays the helper's
    last, so closing (after an import that failed writing it) skips its unread chunks."""
    monkeypatch.setattr(bulkvocab, "HELPER_CHUNK", 2)
    monkeypatch.setattr(HelperVocabulary, "_send", lambda self, chunks, futures, s: None)
    begun: list[SubmittedBatch] = []
    real_begin = HelperVocabulary.begin
    monkeypatch.setattr(HelperVocabulary, "begin", lambda self, s: (
        begun.append(real_begin(self, s)) or begun[-1]))
    helper = HelperVocabulary(load_taxonomy())
    ahead = ReadAhead(iter([ArticleRecord(title=f"Article {i}") for i in range(3)]), helper, 2)
    assert [len(ahead.next()[0]) for _ in range(3)] == [2, 1, 0]
    assert len(begun) == 2
    helper.close()
    assert all(f.cancelled() for f in begun[-1].futures)
