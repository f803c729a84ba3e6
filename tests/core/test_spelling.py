"""A search's "Did you mean …?": a mistyped word replaced by the nearest word the library
holds, offered when the search found nothing and the suggestion finds articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from spinelib.records import Author

from .helpers import make_record


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_record(make_record())  # Patchell 2005, Müller among its authors
        library.articles.add_record(make_record(
            pmid="23", doi="", title="Balloon kyphoplasty for myeloma fractures", year=2011,
            authors=[Author("Berenson", "James", "J")], abstract="Kyphoplasty reduced pain."))
        library.articles.add_record(make_record(
            pmid="24", doi="", title="Vertebroplasty or kyphoplasty: a review", year=2013,
            authors=[Author("Bilsky", "Mark H", "MH")], abstract=""))
        yield library


@pytest.mark.parametrize(("typed", "meant"), [
    ("kyphoplsaty", "kyphoplasty"),           # two letters swapped
    ("vertebroplsty", "vertebroplasty"),       # one missing
    ("Bilksy 2013", "bilsky 2013"),            # a name, a year kept as typed
    ("balloon kyphoplastyy myeloma", "balloon kyphoplasty myeloma"),  # one extra
    ("mueller decompressive", "muller decompressive"),  # the index's spelling of Müller
    ("author:Bilksy year:2013", "author:bilsky year:2013"),  # a qualified term's word
])
def test_a_mistyped_word_is_offered_the_librarys_spelling(lib: Library, typed: str,
                                                            meant: str) -> None:
    assert lib.search.suggestion(typed) == meant


@pytest.mark.parametrize("typed", [
    "xyzzy",                          # nothing near
    "kyphoplasty",                    # held: nothing to mend
    "kyph",                           # the start of a held word (searched as a prefix)
    '"kyphoplsaty"',                  # a quoted phrase is as typed
    "type:reveiw",                    # a value no index word is (type:, tag:…) as typed
    "-kyphoplsaty",                   # an exclusion as typed
    "kyphoplsaty chordoma",           # the mended search would still find nothing
    "kyp",                            # too short to judge
])
def test_no_suggestion_where_none_helps(lib: Library, typed: str) -> None:
    assert lib.search.suggestion(typed) is None


def test_the_command_line_says_what_was_meant(lib: Library, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "lib.sqlite")
    assert main(["--library", path, "list", "--search", "kyphoplsaty"]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == ["0 articles",
                                "did you mean: spinelib list --search kyphoplasty"]
    assert main(["--library", path, "list", "--search", "xyzzy"]) == 0
    assert "did you mean" not in capsys.readouterr().err


def test_a_library_of_schema_24_is_upgraded_and_offers_spellings(tmp_path: Path) -> None:
    import sqlite3

    from spinelib.store.sqlite import migrations

    path = tmp_path / "old.sqlite"
    with Library.open(path) as library:
        library.articles.add_record(make_record())
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE article_fts_words")  # as schema 24 had it: no such table
    conn.execute("PRAGMA user_version = 24")
    conn.commit()
    conn.close()
    with Library.open(path) as library:
        assert library.schema_version() == migrations.SCHEMA_VERSION == 25
        assert library.search.suggestion("decompresive") == "decompressive"
