"""What ``spinelib --version`` and ``--help`` load (issue 19: the start of every command).

Start-up time itself is a benchmark (``startup_version``); this test proves the cause that
benchmark found: the parser's modules must not pull in the library, its store, the
PostgreSQL driver, the vocabulary's rules, the citation engine or Qt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("spinelib.library", "spinelib.store", "psycopg", "spinelib.vocabulary.taxonomy",
         "citeproc", "docx", "PySide6", "sqlite3", "requests")

PROBE = """
import contextlib, io, json, sys
from spinelib.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main([ARG])
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules)))
"""


def loaded_by(arg: str) -> set[str]:
    code = PROBE.replace("ARG", repr(arg))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_version_and_help_load_nothing_heavy() -> None:
    for arg in ("--version", "--help"):
        modules = loaded_by(arg)
        assert "spinelib.cli" in modules  # the probe really ran the CLI
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY
                       or any(m == h or m.startswith(h + ".") for h in HEAVY))
        assert heavy == [], f"{arg} loads {heavy}"


def test_a_file_library_command_never_loads_the_postgresql_driver(tmp_path: Path) -> None:
    """Only a team library needs psycopg: `list` on a file library must not import it."""
    code = PROBE.replace("[ARG]", repr(["--library", str(tmp_path / "lib.sqlite"), "list"]))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120,
                         env={**os.environ, "SPINELIB_HOME": str(tmp_path)})
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "spinelib.library.facade" in modules  # the command really opened a library
    assert not {m for m in modules if m.split(".")[0] in ("psycopg", "psycopg_binary")}


def test_version_is_answered_before_the_parser_is_built() -> None:
    """The parser's choices load the format registry, the vocabulary's facets and every
    command group: --version needs none of it (--help does, and still loads nothing heavy)."""
    assert "spinelib.cli.parser" not in loaded_by("--version")
    assert {"spinelib.cli.parser", "spinelib.formats.registry"} <= loaded_by("--help")
