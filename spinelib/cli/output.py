"""How the command line prints: JSON, import reports, and text cut to fit a column."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from spinelib.errors import NOT_AN_IDENTIFIER, SpineLibError


class UsageError(SpineLibError):
    """A command used wrongly: exit status 2."""


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_report(report: Any) -> int:
    """An import report: warnings and failures on stderr, the rest on stdout; exit 1 when
    any item failed."""
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for item in report.items:
        print(item.line(), file=sys.stdout if item.ok else sys.stderr)
    print(report.summary())
    note_typed_in(i.message for i in report.items if i.status == "failed")
    note = report.look_alike_note()
    if note:
        from spinelib.text import first_few  # not at start-up: --version loads this module

        alike = set(report.look_alikes)
        keys = list(dict.fromkeys(i.citekey for i in report.items
                                  if i.article_id in alike and i.citekey))
        named = first_few(keys)
        print(f"note: {note}: {f'{named}; ' if named else ''}`spinelib duplicates` lists "
              "them to merge or dismiss", file=sys.stderr)
    return 0 if report.all_ok else 1


def note_typed_in(reasons: Iterable[str]) -> None:
    """When an input was refused as no identifier at all (a guideline's name, say), say on
    stderr how an article without one goes in: typed, with ``spinelib add``."""
    if any(reason.endswith(NOT_AN_IDENTIFIER) for reason in reasons):
        print("note: an article without a DOI or PMID (a guideline, an abstract) is typed in: "
              "spinelib add --set title=… (spinelib add --help)", file=sys.stderr)


def fit(text: str, width: int) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, ending in "…" when
    cut (never mid-word unless a single word is longer than the column)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def http_client() -> Any:
    """The HTTP client with the user's settings (contact email, API key)."""
    from spinelib import paths
    from spinelib import settings as settings_mod
    from spinelib.sources.http import HttpClient

    return HttpClient(settings_mod.load(paths.settings_path()))


@contextmanager
def progress_line() -> Iterator[Callable[[int, int, str], None]]:
    """A long command's progress as one line on stderr, rewritten in place, when stderr is a
    terminal (a script or a pipe gets nothing).

    Yields the ``progress(done, total, what)`` callback the core's long operations take. Each
    rewrite pads over what a longer line before it showed (a folder's PDFs are named as they
    go, "a.pdf" after "Laufer-2013-NOMS.pdf"), and the line is wiped however the block ends:
    so the report, an error or an interrupted import's message starts on a clean line
    instead of being glued to "fetching: 300/1000"."""
    shown = 0

    def show(done: int, total: int, what: str) -> None:
        nonlocal shown
        if sys.stderr.isatty():
            line = f"{what}: {done}/{total}"
            print("\r" + line.ljust(shown), end="", file=sys.stderr, flush=True)
            shown = max(shown, len(line))

    try:
        yield show
    finally:
        if shown:
            print("\r" + " " * shown + "\r", end="", file=sys.stderr, flush=True)
