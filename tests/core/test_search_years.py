"""A year typed among the words of a search, as a paper is recalled ("patchell 2005"): the
articles of that year, or with the number in their text. It found nothing: a year was a
word of the text, and an article's year is no word of its title or abstract."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library, Query
from spinelib.library.fieldquery import parse
from spinelib.records import Author

from .helpers import make_record


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_record(make_record())  # Patchell 2005
        library.articles.add_record(make_record(
            pmid="23", doi="", title="Separation surgery: a review", year=2013,
            authors=[Author("Laufer", "Ilya", "I")], abstract="Patients treated since 2005."))
        library.articles.add_record(make_record(
            pmid="24", doi="", title="The 2016 WHO classification of spinal tumours",
            authors=[Author("Laufer", "Ilya", "I")], year=2017, abstract=""))
        yield library


def keys(lib: Library, text: str) -> list[str]:
    return sorted(lib.articles.citekey(i) for i in lib.search.ids(Query(search=text)))


def test_an_author_and_a_year_find_the_paper(lib: Library) -> None:
    assert keys(lib, "patchell 2005") == ["patchell2005direct"]
    assert keys(lib, "laufer 2013") == ["laufer2013separation"]
    assert keys(lib, "2013 laufer separation") == ["laufer2013separation"]
    assert keys(lib, "patchell 2013") == []  # the year narrows, as any word does


def test_the_number_in_the_text_still_finds_its_article(lib: Library) -> None:
    # The year of the article, or the number in its title or abstract.
    assert keys(lib, "2005") == ["laufer2013separation", "patchell2005direct"]
    assert keys(lib, "laufer 2016") == ["laufer2017classification"]  # "The 2016 WHO classification"
    assert keys(lib, '"2005"') == ["laufer2013separation"]  # quoted: a word of the text


def test_an_excluded_year_leaves_out_its_articles(lib: Library) -> None:
    assert keys(lib, "laufer -2013") == ["laufer2017classification"]
    assert keys(lib, "laufer NOT 2013") == ["laufer2017classification"]


def test_a_quoted_exclusion_is_a_word_of_the_text_only(lib: Library) -> None:
    # As '"2005"' sought is: the articles with the number in their text are left out, the
    # articles of that year are not (it left out Laufer's 2013 review too).
    assert keys(lib, 'laufer -"2013"') == ["laufer2013separation", "laufer2017classification"]
    assert keys(lib, 'laufer -"2016"') == ["laufer2013separation"]


def test_a_year_in_a_group_is_left_to_the_full_text_query() -> None:
    # Beside OR and inside parentheses it is one side of a group, as written.
    assert parse("kyphoplasty OR 2009").free_text == "kyphoplasty OR 2009"
    assert parse("(2005 OR 2009)").free_text == "( 2005 OR 2009 )"
    # Numbers that are no year, or a year-like dose, stay words.
    assert parse("24 Gy 1700 cGy").terms == []
    [either] = parse("patchell 2005").terms
    assert either.kind == "any" and [(t.kind, t.low, t.text) for t in either.alternatives] == [
        ("year", 2005, "2005"), ("text", None, "2005")]
    assert parse("patchell 2005").free_text == "patchell"


def test_the_years_sought_are_only_the_bare_years() -> None:
    from spinelib.library.bareyears import sought_years

    assert sought_years(parse("laufer 2013 -2005").terms) == ["2013"]
    assert sought_years(parse("title:spine OR kyphoplasty").terms) == []
    assert sought_years(parse("year:2013").terms) == []
