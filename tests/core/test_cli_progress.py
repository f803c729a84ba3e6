"""The progress line a long command rewrites on a terminal: it pads over longer lines before
it and is wiped however the command ends, so nothing after it is glued to it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from spinelib.cli import main
from spinelib.cli.output import progress_line
from spinelib.errors import SpineLibError


def screen(written: str) -> list[str]:
    """The lines a terminal shows for ``written``: a carriage return goes back to the start
    of the line and what follows overwrites it (trailing blanks dropped)."""
    lines = []
    for raw in written.split("\n"):
        cells: list[str] = []
        col = 0
        for ch in raw:
            if ch == "\r":
                col = 0
                continue
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
        lines.append("".join(cells).rstrip())
    return lines


def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the captured stderr say it is a terminal (in the test's body: pytest swaps
    sys.stderr between a fixture's set-up and the test's call)."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_a_shorter_line_covers_a_longer_one(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    on_a_terminal(monkeypatch)
    with progress_line() as progress:
        progress(1, 2, "Laufer-2013-NOMS-framework.pdf")
        progress(2, 2, "a.pdf")
        assert screen(capsys.readouterr().err) == ["a.pdf: 2/2"]
    assert screen(capsys.readouterr().err) == [""]


def test_the_line_is_wiped_when_the_work_fails(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    on_a_terminal(monkeypatch)
    with pytest.raises(SpineLibError), progress_line() as progress:
        progress(300, 1000, "fetching")
        assert screen(capsys.readouterr().err) == ["fetching: 300/1000"]
        raise SpineLibError("PubMed did not answer")
    assert screen(capsys.readouterr().err) == [""]


def test_nothing_is_written_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_line() as progress:
        progress(1, 2, "fetching")
    assert capsys.readouterr().err == ""


def test_an_import_that_fails_midway_says_so_on_a_clean_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import spinelib.pdfimport

    on_a_terminal(monkeypatch)
    def failing_import(*args: Any, progress: Any, **kwargs: Any) -> Any:
        progress(300, 1000, "fetching")
        raise SpineLibError("PubMed did not answer")

    monkeypatch.setattr(spinelib.pdfimport, "run_import", failing_import)
    status = main(["--library", str(tmp_path / "lib.sqlite"), "import", "12345678"])
    assert status != 0
    written = capsys.readouterr().err
    assert "fetching: 300/1000" in written  # it was shown, then wiped
    assert screen(written)[-2:] == ["spinelib: PubMed did not answer", ""]
