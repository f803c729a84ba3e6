"""A book's editors are searched (schema 21): "Benzel" finds the chapters of the book he
edited, as Zotero finds any creator, and ``editor:`` (PubMed's ``[ed]``) names the editors
alone, while ``author:`` stays the authors, as in PubMed."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from spinelib.results import Query
from spinelib.store.sqlite import migrations

BENZEL = [Author(family="Benzel", given="Edward C.", initials="EC"),
          Author(family="Steinmetz", given="Michael P.", initials="MP")]


def chapter(**changes: object) -> ArticleRecord:
    values: dict[str, object] = dict(
        type="chapter", title="Metastatic spine tumors",
        authors=[Author(family="Bilsky", given="Mark H.", initials="MH")],
        book_title="Spine Surgery: Techniques", editors=list(BENZEL), publisher="Elsevier",
        year=2017, pages="1190-1200")
    values.update(changes)
    return ArticleRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library.open(tmp_path / "lib.sqlite")


def found(lib: Library, text: str) -> set[str]:
    return {lib.articles.record(i).title for i in lib.search.ids(Query(search=text))}


def test_editor_and_plain_search_find_a_chapter_by_its_books_editors(lib: Library) -> None:
    lib.articles.add_record(chapter())
    lib.articles.add_record(chapter(title="Vertebral augmentation", authors=[
        Author(family="Steinmetz", given="Michael P.", initials="MP")], editors=[]))
    lib.articles.add_record(chapter(title="Spinal cord injury", editors=[
        Author(family="Fehlings", given="Michael G.", initials="MG")]))
    both = {"Metastatic spine tumors", "Vertebral augmentation"}
    assert found(lib, "Steinmetz") == both  # as an editor, and as an author
    assert found(lib, "editor:steinmetz") == {"Metastatic spine tumors"}
    assert found(lib, "author:steinmetz") == {"Vertebral augmentation"}
    assert found(lib, 'editor:"Steinmetz MP"') == {"Metastatic spine tumors"}
    assert found(lib, "Steinmetz MP[ed]") == {"Metastatic spine tumors"}
    assert found(lib, 'editor:"Steinmetz X"') == set()
    assert found(lib, "editor:stein") == set()  # a family name, not a part of one
    assert found(lib, "editor:benzel OR editor:fehlings") == {
        "Metastatic spine tumors", "Spinal cord injury"}
    assert found(lib, "spine -editor:benzel") == {"Vertebral augmentation", "Spinal cord injury"}
    assert found(lib, "editor:bilsky") == set()  # an author, not an editor
    assert found(lib, "author:benzel") == set()  # the book's editor, not the chapters' author


def test_an_edited_book_a_group_and_spellings(lib: Library) -> None:
    lib.articles.add_record(ArticleRecord(type="book", title="Tumors of the Spine",
                                          editors=[Author(family="Müller", given="Jörg"),
                                                   Author(collective="AO Spine")], year=2020))
    assert found(lib, "editor:muller") == {"Tumors of the Spine"}
    assert found(lib, "editor:Müller") == {"Tumors of the Spine"}
    assert found(lib, 'editor:"muller j"') == {"Tumors of the Spine"}
    assert found(lib, '"AO Spine"') == {"Tumors of the Spine"}
    # Without authors, a book is named by its editors (the table's First author, its key,
    # its citations), so author: finds it too, by the name as it is written.
    assert found(lib, "author:Müller") == {"Tumors of the Spine"}
    assert found(lib, "author:muller") == {"Tumors of the Spine"}  # no author is a Müller
    assert found(lib, 'author:"Müller J"') == {"Tumors of the Spine"}
    assert found(lib, "-author:Müller") == set()


def test_a_name_is_matched_as_written_never_as_a_pattern(lib: Library) -> None:
    lib.articles.add_record(chapter(editors=[Author(family="OXBrien", given="Ann")]))
    for typed in ("editor:o_brien", "editor:o%", 'editor:"OX\\"Brien"', "editor:%"):
        assert found(lib, typed) == set(), typed
    assert found(lib, "editor:oxbrien") == {"Metastatic spine tumors"}


def test_an_edit_a_trash_and_a_restore_keep_it_searched(lib: Library) -> None:
    aid = lib.articles.add_record(chapter(editors=[])).article_id
    assert found(lib, "editor:benzel") == set()
    lib.edits.edit(aid, {"editors": "Benzel, Edward C.; Steinmetz, Michael P."})
    assert found(lib, "editor:benzel") == found(lib, "Benzel") == {"Metastatic spine tumors"}
    lib.trash.delete([aid])
    assert found(lib, "Benzel") == set()
    lib.trash.restore([aid])
    assert found(lib, "editor:benzel") == found(lib, "Benzel") == {"Metastatic spine tumors"}
    lib.history.undo()  # the restore undone: in the trash again
    lib.history.undo()  # the delete undone: back, written from its snapshot
    assert found(lib, "Benzel") == {"Metastatic spine tumors"}


def test_the_editor_term_reads_only_the_articles_with_editors(lib: Library) -> None:
    lib.articles.add_record(chapter())
    with lib.store.reading() as conn:
        plan = " ".join(str(r[-1]) for r in conn.all(
            "EXPLAIN QUERY PLAN SELECT id FROM article WHERE editors != '' "
            "AND editors LIKE '%Benzel%'"))
    assert plan == "SCAN article USING COVERING INDEX ix_article_editors"  # its entries only


def test_the_step_indexes_the_editors_of_a_library_from_before_it(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        aid = lib.articles.add_record(chapter(editors=[*BENZEL, Author(collective="AO Spine")])
                                      ).article_id
        lib.articles.add_record(replace(chapter(), title="No editors", editors=[]))
        with lib.store.reading() as conn:
            written = conn.scalar("SELECT authors FROM article_fts WHERE rowid = :a", {"a": aid})
    # As schema 20 left it: the authors alone in the index, no index of editors.
    con = sqlite3.connect(path)
    con.execute("UPDATE article_fts SET authors = 'Bilsky Mark H.' WHERE rowid = ?", (aid,))
    con.execute("DROP INDEX ix_article_editors")
    con.execute("PRAGMA user_version = 20")
    con.commit()
    con.close()
    with Library.open(path) as lib:
        migrated = lib.search.ids(Query(search="Steinmetz"))
    assert migrated == [aid]
    for _ in range(2):  # run again: the row is not extended twice
        con = sqlite3.connect(path)
        con.execute("PRAGMA user_version = 20")
        con.commit()
        con.close()
        migrations.migrate(path, 20)
    con = sqlite3.connect(path)
    [(authors,)] = con.execute("SELECT authors FROM article_fts WHERE rowid = ?", (aid,))
    assert authors == written == "Bilsky Mark H. Benzel Edward C. Steinmetz Michael P. AO Spine"
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_article_editors'"
                       ).fetchone() == (1,)
