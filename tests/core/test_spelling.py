"""A search's "Did you mean …?": a mistyped word replaced by the nearest word the library
holds, offered when the search found nothing and the suggestion finds articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.curation_results import SearchSuggestion
from spinelib.library import Library
from spinelib.records import Author
from spinelib.results import Query

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
    suggestion = lib.search.suggestion(typed)
    assert suggestion is not None and suggestion.search == meant
    assert suggestion.spelled_out == ()


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
        assert library.search.suggestion("decompresive") == SearchSuggestion("decompressive")


@pytest.fixture
def sins_lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "sins.sqlite") as library:
        library.articles.add_record(make_record(
            pmid="31", doi="", year=2011, authors=[Author("Fourney", "Daryl R", "DR")],
            title="Spinal instability neoplastic score: an analysis of reliability",
            abstract="Reliability was near perfect."))
        library.articles.add_record(make_record(
            pmid="32", doi="", year=2009, authors=[Author("Bouza", "Carmen", "C")],
            title="Balloon kyphoplasty in malignant spinal fractures", abstract=""))
        yield library


@pytest.mark.parametrize(("typed", "meant"), [
    ("SINS", '(SINS OR "spinal instability neoplastic" OR "spine instability neoplastic '
             'score")'),
    ("SINS reliability", '(SINS OR "spinal instability neoplastic" OR "spine instability '
                         'neoplastic score") reliability'),
    ("BKP year:2009", '(BKP OR kyphoplasty OR "balloon vertebroplasty" OR "inflatable bone '
                      'tamp") year:2009'),
])
def test_an_abbreviation_is_offered_with_what_it_stands_for(sins_lib: Library, typed: str,
                                                           meant: str) -> None:
    """A paper spells out what the surgeon types: "SINS" found nothing in a library holding
    "Spinal instability neoplastic score…"; the vocabulary knows what SINS stands for."""
    suggestion = sins_lib.search.suggestion(typed)
    assert suggestion is not None and suggestion.search == meant
    assert [abbr for abbr, _phrases in suggestion.spelled_out] == [typed.split()[0]]
    assert sins_lib.search.count(Query(search=meant)) == 1


@pytest.mark.parametrize("typed", [
    "sins",                  # abbreviations are case-sensitive: a word, not SINS
    '"SINS score"',          # a quoted phrase is as typed
    "title:SINS",            # a field's value is as typed
    "SINS chordoma",         # spelled out, the search still finds nothing
    "MESCC",                 # no abbreviation of the vocabulary
])
def test_no_spelled_out_suggestion_where_none_helps(sins_lib: Library, typed: str) -> None:
    assert sins_lib.search.suggestion(typed) is None


def test_the_vocabulary_spells_out_its_abbreviations() -> None:
    """Techniques' abbreviations by their tag's names, facet values' by their terms; a
    phrase holding a shorter one left out; case as written."""
    from spinelib.vocabulary import load_taxonomy

    taxonomy = load_taxonomy()
    assert taxonomy.spelled_out("PVP") == ("vertebroplasty",)
    assert taxonomy.spelled_out("KPS") == ("karnofsky",)
    assert "renal cell carcinoma" in taxonomy.spelled_out("RCC")
    assert taxonomy.spelled_out("MISt")[0] == "minimally invasive spine stabilization"
    assert taxonomy.spelled_out("mist") == () and taxonomy.spelled_out("spine") == ()
