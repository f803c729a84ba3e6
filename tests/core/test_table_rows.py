"""What the article table's rows say where a record has no journal."""

from __future__ import annotations

from pathlib import Path

from spinelib.library import Library

from .helpers import make_record


def test_a_chapter_row_names_its_book_in_the_journal_column(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        chapter = lib.articles.add_record(make_record(
            title="Separation surgery", journal="", journal_abbrev="", type="chapter",
            book_title="Spine Oncology Handbook", doi="10.1/ch", pmid="11")).article_id
        article = lib.articles.add_record(make_record(
            journal="The Lancet", journal_abbrev="Lancet", doi="10.1/a", pmid="12")).article_id
        bare = lib.articles.add_record(make_record(journal="", journal_abbrev="",
                                                   doi="10.1/b", pmid="13")).article_id
        rows = lib.search.rows([chapter, article, bare])
        assert [rows[i].journal for i in (chapter, article, bare)] == [
            "Spine Oncology Handbook", "Lancet", ""]
