"""A large PubMed file's whole-document check runs in a helper process from the moment the
import opens it (issue 19, spinelib/formats/background_check.py): its count is the import's
total, its refusal reads as the in-process check's and stores nothing, and a helper that
cannot start, fails, answers nonsense or hangs only means the file is checked here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from spinelib import fileimport, helperprocess
from spinelib.errors import FormatError
from spinelib.formats import background_check, pubmed_stream
from spinelib.formats.background_check import BackgroundCheck
from spinelib.formats.filerecords import open_file_records
from spinelib.importer import run_import
from spinelib.library import Library
from tests.fakeserver import article_set, pubmed_article

PMIDS = [str(38_100_000 + n) for n in range(23)]
HOSTILE = (b'<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           b"<PubmedArticleSet>")


@pytest.fixture(autouse=True)
def _large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every .xml is streamed and checked by a helper; five-article batches."""
    monkeypatch.setattr(pubmed_stream, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(background_check, "BACKGROUND_FROM_BYTES", 1)
    monkeypatch.setattr(helperprocess, "can_start", lambda: True)  # one core runs it too
    monkeypatch.setattr(fileimport, "FILE_BATCH", 5)


def _good(tmp_path: Path) -> Path:
    path = tmp_path / "set.xml"
    path.write_bytes(article_set(pubmed_article(p) for p in PMIDS))
    return path


def _bad(tmp_path: Path, kind: str) -> Path:
    data = article_set(pubmed_article(p) for p in PMIDS)
    if kind == "truncated":
        data = data[:-60]
    else:
        data = data.replace(b"<PubmedArticleSet>", HOSTILE, 1).replace(
            b"</PubmedArticleSet>", b"<PubmedArticle>&x;</PubmedArticle></PubmedArticleSet>")
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    return path


def _not_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every check this process makes itself (the helper's is another process)."""
    here: list[Path] = []
    real = pubmed_stream.check_file

    def check_file(path: Path) -> int:
        here.append(path)
        return real(path)

    monkeypatch.setattr(pubmed_stream, "check_file", check_file)
    return here


def _check_helper_running(monkeypatch: pytest.MonkeyPatch, code: str
                          ) -> list[subprocess.Popen[bytes]]:
    """The file check's helper runs ``code`` instead (other helpers start as they do);
    the processes it started."""
    real = helperprocess.start
    started: list[subprocess.Popen[bytes]] = []

    def start(module: str, *args: str) -> subprocess.Popen[bytes]:
        if module != background_check.__name__:
            return real(module, *args)
        started.append(subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE))
        return started[-1]

    monkeypatch.setattr(helperprocess, "start", start)
    return started


def test_the_helpers_count_is_the_total_and_this_process_never_checks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = _not_here(monkeypatch)
    totals: list[int] = []
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(_good(tmp_path))], client=None,
                            progress=lambda _done, total, _label: totals.append(total))
        assert lib.search.count() == 23 and lib.check() == []
    assert report.counts() == {"imported": 23}
    assert set(totals) == {23} and here == []


@pytest.mark.parametrize("kind", ["truncated", "hostile"])
def test_the_helpers_refusal_is_the_in_process_message_and_nothing_is_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    path = _bad(tmp_path, kind)
    with pytest.raises(FormatError) as in_process:
        pubmed_stream.check_file(path)
    check = BackgroundCheck.start(path)
    assert check is not None
    with pytest.raises(FormatError) as helped:
        check.result()
    assert str(helped.value) == str(in_process.value)
    here = _not_here(monkeypatch)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(path)], client=None)
        assert lib.search.count() == 0 and lib.check() == []
    [item] = report.items
    assert item.status == "failed" and here == []
    assert item.message == str(in_process.value).removeprefix("bad.xml ")


@pytest.mark.parametrize("code", [
    "import sys; sys.exit(3)",                      # dies
    "print('Traceback (most recent call last):')",  # not its one line
    "print('{\"total\": true}')",                   # a count that is not one
    "print('{\"total\": -1}')",
    "print('{\"refused\": \"\"}')",                 # a refusal without words
    "print('[23]')",
])
def test_a_failing_helper_means_the_file_is_checked_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    _check_helper_running(monkeypatch, code)
    here = _not_here(monkeypatch)
    good, bad = _good(tmp_path), _bad(tmp_path, "hostile")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(good), str(bad)], client=None)
        assert lib.search.count() == 23
    assert report.counts() == {"imported": 23, "failed": 1}
    assert "refuses to expand" in report.items[-1].message
    assert here == [good, bad]  # both checked here instead, as without a helper


def test_a_helper_that_cannot_start_means_the_file_is_checked_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = helperprocess.start

    def cannot(module: str, *args: str) -> subprocess.Popen[bytes]:
        if module == background_check.__name__:
            raise OSError("no such interpreter")
        return real(module, *args)

    monkeypatch.setattr(helperprocess, "start", cannot)
    here = _not_here(monkeypatch)
    assert BackgroundCheck.start(_good(tmp_path)) is None
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(_good(tmp_path))], client=None)
    assert report.counts() == {"imported": 23} and len(here) == 1


def test_a_hung_helper_is_stopped_and_the_file_checked_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _check_helper_running(monkeypatch, "import time; time.sleep(120)")
    monkeypatch.setattr(background_check, "CHECK_TIMEOUT_S", 0.2)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(_good(tmp_path))], client=None)
    assert report.counts() == {"imported": 23}
    [proc] = started
    assert proc.returncode is not None  # killed and reaped, not left behind


def test_closing_the_file_ends_a_check_nobody_asked_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _check_helper_running(monkeypatch, "import time; time.sleep(120)")
    source = open_file_records(_good(tmp_path), check_later=True)
    assert source.background is not None and source.unchecked
    source.close()
    [proc] = started
    assert proc.returncode is not None and source.background is None


def test_a_file_under_the_size_or_checked_on_opening_starts_no_helper(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _good(tmp_path)
    assert open_file_records(path, check_later=False).background is None
    monkeypatch.setattr(background_check, "BACKGROUND_FROM_BYTES", path.stat().st_size + 1)
    source = open_file_records(path, check_later=True)
    assert source.background is None and source.unchecked
    source.check()
    assert source.total == 23


def test_the_helper_answers_one_line_for_its_file(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert background_check.main([str(_good(tmp_path))]) == 0
    assert capsys.readouterr().out == '{"total": 23}\n'
    assert background_check.main([str(tmp_path / "gone.xml")]) == 0
    assert capsys.readouterr().out.startswith('{"refused": "cannot read gone.xml: ')
