"""The sample library is its own file, complete enough to show every feature (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.samplelibrary import (
    SAMPLE_LIST,
    build_sample_library,
    ensure_sample_library,
    sample_library_path,
)


def test_built_offline_from_the_shipped_files_with_every_feature(tmp_path: Path) -> None:
    path = tmp_path / "Sample library.sqlite"
    summary = build_sample_library(path)
    assert path.is_file() and not list(tmp_path.glob("*.building*"))
    assert summary.articles == 15
    assert summary.with_abstract >= 1 and summary.references >= 45
    assert summary.confirmed_tags > 0 and summary.open_suggestions > 0
    assert summary.list_items == 5
    lib = Library.open(path)
    try:
        showcase = lib.articles.resolve_key("38856741")
        assert lib.lists.all()[0].name == SAMPLE_LIST
        in_list = lib.search.ids(Query(reading_list=SAMPLE_LIST, sort="list"))
        assert len(in_list) == 5 and in_list[0] == showcase
        assert lib.articles.record(showcase).abstract
    finally:
        lib.close()


def test_the_users_library_is_untouched_and_the_sample_is_built_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    mine = Library.open(tmp_path / "mine.sqlite")
    try:
        path = ensure_sample_library()
        assert path == sample_library_path() and path.parent == tmp_path / "home"
        assert mine.search.count() == 0
        stamp = path.stat().st_mtime_ns
        assert ensure_sample_library() == path and path.stat().st_mtime_ns == stamp
    finally:
        mine.close()
