"""The daily backup never delays a command (issue 19): the library's integrity gate runs at
open (a damaged file is still refused before any command touches it), the copy only after
the command's result is out; a backup is still made once a day, and it is a sound library."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.paths import backup_dir
from spinelib.store.sqlite import SqliteEngine, maintenance

from .helpers import make_record

DAY = 24 * 3600


def _library(path: Path) -> Path:
    with Library.open(path) as lib:
        for i in range(3):
            lib.articles.add_record(make_record(doi=f"10.5555/d{i}", pmid=str(7_100_000 + i),
                                                title=f"Daily backup paper {i}"))
    return path


def _backups(path: Path) -> list[Path]:
    folder = backup_dir(path)
    return sorted(folder.glob(f"{path.stem}-*-daily.sqlite")) if folder.is_dir() else []


def test_the_command_prints_its_result_before_the_daily_backup_copies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _library(tmp_path / "lib.sqlite")
    events: list[tuple[str, str]] = []
    real = SqliteEngine.automatic_backup

    def watched(engine: SqliteEngine, reason: str) -> Path:
        events.append(("backup", capsys.readouterr().out))  # what the user saw by then
        return real(engine, reason)

    monkeypatch.setattr(SqliteEngine, "automatic_backup", watched)
    assert main(["--library", str(path), "list", "--json"]) == 0
    [(what, printed)] = events
    assert what == "backup" and "Daily backup paper 0" in printed  # the result came first
    [made] = _backups(path)
    assert maintenance.quick_check(made) == []
    with Library.open(made) as copy:
        assert copy.search.count() == 3
    # The same day: no second copy, and nothing waits.
    assert main(["--library", str(path), "list"]) == 0
    assert len(events) == 1 and len(_backups(path)) == 1


def test_a_backup_is_made_again_the_next_day(tmp_path: Path) -> None:
    path = _library(tmp_path / "lib.sqlite")
    assert main(["--library", str(path), "list"]) == 0
    [first] = _backups(path)
    old = time.time() - DAY - 60
    os.utime(first, (old, old))
    with Library.open(path, daily_backup=True) as lib:
        assert _backups(path) == [first]          # opening copies nothing yet
        made = lib.backup_if_due()
        assert made is not None and lib.backup_if_due() is None  # once
    assert _backups(path) == sorted([first, made])


def test_the_gate_still_refuses_a_damaged_library_before_the_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _library(tmp_path / "lib.sqlite")
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page: 6 * page] = bytes(3 * page)   # zero three pages in the middle
    path.write_bytes(bytes(data))
    assert main(["--library", str(path), "lists", "create", "Reading"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spinelib: ") and "Traceback" not in err
    assert _backups(path) == []                  # nothing damaged entered the rotation


def test_a_failed_backup_after_the_command_warns_and_keeps_its_result(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _library(tmp_path / "lib.sqlite")

    def full_disk(engine: SqliteEngine, reason: str) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SqliteEngine, "automatic_backup", full_disk)
    assert main(["--library", str(path), "list", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "Daily backup paper 1" in out
    assert err.startswith("spinelib: warning: the daily backup failed") and err.count("\n") == 1
    monkeypatch.undo()
    assert main(["--library", str(path), "list"]) == 0   # tried again: now it is made
    assert len(_backups(path)) == 1
