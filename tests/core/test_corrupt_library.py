"""Promise 5, a damaged library: truncated, or random bytes written over its middle or its
header. Every command then says so in one plain line that names the newest backup (exit 1, no
traceback), and nothing is written: not the library (bytes and modification time), and not
the backups folder, so a damaged copy never pushes a good backup out of the rotation.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.paths import backup_dir
from spinelib.store import sqlite as db

from .helpers import make_record

DAY = 24 * 3600
PAGE = 4096


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A library of 150 articles as bytes: the middle of the file is table and index pages."""
    path = tmp_path_factory.mktemp("pristine") / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([make_record(doi=f"10.5555/c{i}", pmid=str(8_000_000 + i),
                                     title=f"Corruption study {i} of spinal chordoma")
                         for i in range(150)])
    return path.read_bytes()


def damage(data: bytes, how: str) -> bytes:
    rng = random.Random(how)
    if how == "truncated to a third":
        return data[: len(data) // 3]
    if how == "truncated mid-page":
        return data[: len(data) // 2 + 1234]
    if how == "header overwritten":
        return bytes(rng.randrange(256) for _ in range(100)) + data[100:]
    if how == "pages zeroed":
        at = (len(data) // PAGE // 2) * PAGE
        return data[:at] + bytes(4 * PAGE) + data[at + 4 * PAGE:]
    fraction = {"random bytes at 30%": 0.3, "random bytes at 50%": 0.5,
                "random bytes at 70%": 0.7}[how]
    at = int(len(data) * fraction)
    return data[:at] + bytes(rng.randrange(256) for _ in range(2 * PAGE)) + data[at + 2 * PAGE:]


DAMAGE = ["truncated to a third", "truncated mid-page", "header overwritten", "pages zeroed",
          "random bytes at 30%", "random bytes at 50%", "random bytes at 70%"]


@pytest.fixture(params=DAMAGE)
def damaged(request: pytest.FixtureRequest, pristine: bytes, tmp_path: Path) -> Path:
    """A damaged library with two good backups, the newest two days old (a daily is due)."""
    path = tmp_path / "lib.sqlite"
    path.write_bytes(pristine)
    for age in (3, 2):
        made = db.automatic_backup(path, "daily")
        os.utime(made, (time.time() - age * DAY,) * 2)
        time.sleep(0.002)  # distinct names
    path.write_bytes(damage(pristine, request.param))
    old = time.time() - 3600
    os.utime(path, (old, old))  # any write, even of the same bytes, would show
    return path


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    files = [path, *sorted(backup_dir(path).iterdir())]
    return {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}


COMMANDS = [["list"], ["list", "--search", "chordoma", "--json"], ["show", "8000150"],
            ["export", "--format", "ris"], ["tag", "list"], ["backup"], ["pending"],
            ["lists", "create", "Reading"], ["rekey", "8000001", "mykey"]]


def test_every_command_gives_one_plain_line_naming_the_newest_backup(
        damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newest = db.newest_backup(damaged)
    assert newest is not None
    before = snapshot(damaged)
    for command in COMMANDS:
        code = main(["--library", str(damaged), *command])
        out, err = capsys.readouterr()
        assert code == 1, (command, out, err)
        assert err.count("\n") == 1 and err.startswith("spinelib: "), (command, err)
        assert "damaged" in err or "not a SpineLib library" in err, (command, err)
        assert str(newest) in err, (command, err)
        assert "Traceback" not in err and "internal error" not in err
    assert snapshot(damaged) == before


def test_check_reports_the_damage_and_the_newest_backup(
        damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newest = db.newest_backup(damaged)
    before = snapshot(damaged)
    assert main(["--library", str(damaged), "check"]) == 1
    err = capsys.readouterr().err
    assert str(newest) in err and "Traceback" not in err
    assert snapshot(damaged) == before


def test_import_into_a_damaged_library_writes_nothing(
        damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "one.bib"
    bib.write_text("@article{smith2020,\n  author = {Smith, Anna},\n  title = {Spinal "
                   "chordoma outcomes},\n  journal = {Spine},\n  year = {2020},\n}\n",
                   encoding="utf-8")
    before = snapshot(damaged)
    assert main(["--library", str(damaged), "import", str(bib)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(db.newest_backup(damaged)) in err
    assert snapshot(damaged) == before


def test_the_named_backup_restores_a_working_library(
        damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The way out the message points to works, and keeps the damaged bytes aside without
    letting them into the rotation."""
    newest = db.newest_backup(damaged)
    bad = damaged.read_bytes()
    assert main(["--library", str(damaged), "restore", str(newest), "--yes"]) == 0
    capsys.readouterr()
    assert main(["--library", str(damaged), "check"]) == 0
    with Library.open(damaged) as lib:
        assert lib.search.count() == 150
    [aside] = backup_dir(damaged).glob("*.damaged")
    assert aside.read_bytes() == bad
    for kept in backup_dir(damaged).glob("*.sqlite"):  # the rotation holds only sound copies
        assert db.integrity_problems(kept) == [], kept
