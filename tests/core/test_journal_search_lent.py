"""``journal:`` finds what the table shows: a journal article stored without its journal's
abbreviation (an Embase record, a ``.bib`` entry) is shown by the abbreviation the library
holds for that journal ("J Neurosurg Spine"), and ``journal:"J Neurosurg Spine"`` now finds
it too, not only the PubMed records that carry it. Before, the search missed every such
article while the Journal column read the same name as the ones it found."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.journalnames import phrase_in
from spinelib.library import Library, Query
from spinelib.store.sqlite import migrations

from .helpers import back_to_schema
from .test_journal_names import bib_article, pubmed_article


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library  # type: ignore[misc]
    library.close()


def _found(lib: Library, search: str) -> set[int]:
    return set(lib.search.ids(Query(search=search)))


def test_journal_finds_the_articles_shown_by_the_abbreviation(lib: Library) -> None:
    embase = lib.articles.add_record(bib_article()).article_id
    pubmed = lib.articles.add_record(pubmed_article()).article_id
    other = lib.articles.add_record(bib_article(
        journal="Spine Surgery and Related Research", doi="10.22603/ssrr.2020-0001")).article_id
    chapter = lib.articles.add_record(bib_article(
        type="chapter", journal="Journal of Neurosurgery: Spine", book_title="Spine Oncology",
        doi="10.1007/x")).article_id
    assert lib.search.table_rows([embase])[embase].journal == "J Neurosurg Spine"
    assert _found(lib, 'journal:"J Neurosurg Spine"') == {embase, pubmed}
    # A word of it as a prefix: the chapter's stored name holds "Neurosurgery" itself.
    assert _found(lib, "journal:neurosurg") == {embase, pubmed, chapter}
    assert _found(lib, 'journal:"J Neurosurg"') == {embase, pubmed}
    # The full name finds both as before; another journal, a chapter and words out of
    # order do not come with the abbreviation.
    assert _found(lib, 'journal:"Journal of Neurosurgery Spine"') == {embase, pubmed, chapter}
    assert embase not in _found(lib, 'journal:"Spine J"')
    assert other not in _found(lib, 'journal:"J Neurosurg Spine"')
    # Negated, and beside other terms, it is one term as before.
    assert embase not in _found(lib, '-journal:"J Neurosurg Spine"')
    assert other in _found(lib, '-journal:"J Neurosurg Spine"')
    assert _found(lib, 'journal:"J Neurosurg Spine" year:2020') == {embase}
    assert _found(lib, 'journal:"J Neurosurg Spine" OR journal:"Spine Surg Relat Res"') == {
        embase, pubmed}


def test_a_library_without_such_articles_asks_nothing_more(lib: Library) -> None:
    pubmed = lib.articles.add_record(pubmed_article()).article_id
    with lib.store.reading() as conn:
        assert lib.store.articles.bare_journals(conn) == []
    assert _found(lib, 'journal:"J Neurosurg Spine"') == {pubmed}


def test_the_bare_journals_are_read_from_their_own_small_index(lib: Library) -> None:
    lib.articles.add_record(bib_article())
    lib.articles.add_record(pubmed_article())
    with lib.store.reading() as conn:
        plan = " ".join(str(r[-1]) for r in conn.all(
            "EXPLAIN QUERY PLAN SELECT DISTINCT journal, issn, type FROM article "
            "WHERE journal_abbrev = '' AND journal != ''"))
        # The bare articles' index (their rows only), never the whole table.
        assert plan == "SCAN article USING INDEX ix_article_bare_journal", plan
        assert lib.store.articles.bare_journals(conn) == [
            ("Journal of Neurosurgery: Spine", "")]


@pytest.mark.parametrize(("phrase", "name", "found"), [
    ("J Neurosurg Spine", "J Neurosurg Spine", True),
    ("j neurosurg", "J Neurosurg Spine", True),
    ("neurosurg sp", "J Neurosurg Spine", True),  # the last word a prefix, as FTS reads it
    ("Spine J", "J Neurosurg Spine", False),  # words in order only
    ("Spine (Phila Pa 1976)", "Spine (Phila Pa 1976)", True),
    ("spine phila", "Spine (Phila Pa 1976)", True),
    ("surg spine", "J Neurosurg Spine", False),  # a word is whole but for the last
    ("", "J Neurosurg Spine", False),
])
def test_a_phrase_is_read_as_the_index_reads_it(phrase: str, name: str, found: bool) -> None:
    assert phrase_in(phrase, name) is found


def test_a_schema_22_library_gains_the_index(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with Library.open(path) as lib:
        embase = lib.articles.add_record(bib_article()).article_id
        lib.articles.add_record(pubmed_article())
    back_to_schema(path, 22, "DROP INDEX ix_article_bare_journal")
    with Library.open(path) as lib:
        assert lib.schema_version() == migrations.SCHEMA_VERSION
        assert embase in _found(lib, 'journal:"J Neurosurg Spine"')
