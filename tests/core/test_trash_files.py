"""Issue 15: a trashed article's attachments (rows, text, files) come back on restore and on
undo, move again on redo, go with the trash when it is emptied, and survive a merge; a file
missing on the way is reported, never fatal, and the rows are kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library, Query, filestore
from tests.core.helpers import make_record
from tests.pdfmaker import make_pdf, paper_pages

DOI = "10.1016/s0140-6736(05)66954-1"


def with_pdf(lib: Library, tmp_path: Path, **fields: object) -> tuple[int, Path]:
    """An article with a copied 2-page PDF ("vertebroplasty outcomes" on page 2) and a
    linked text file; returns its id and the copy's path."""
    aid = lib.articles.add_records([make_record(**fields)])[0].article_id
    pdf = make_pdf(tmp_path / "paper.pdf", paper_pages(DOI, "Direct surgery", n=2))
    copy = lib.attachments.attach(aid, pdf).attachment.path
    note = tmp_path / "linked-notes.txt"
    note.write_text("my notes", encoding="utf-8")
    lib.attachments.attach(aid, note, link=True)
    return aid, copy


def state(lib: Library, aid: int) -> tuple[list[tuple[str, bool, str]], list[int | None]]:
    files = [(a.name, a.linked, a.sha256) for a in lib.attachments.of(aid)]
    return files, [p.page for p in lib.attachments.text(aid)]


def trashed_files(lib: Library) -> list[str]:
    trash = filestore.trash_dir(lib.path)
    return sorted(p.name for p in trash.iterdir()) if trash.is_dir() else []


def test_restore_brings_back_rows_text_and_the_file(lib: Library, tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    before = state(lib, aid)
    assert before[1] == [1, 2]
    lib.articles.delete([aid])
    assert not copy.exists() and trashed_files(lib) == [copy.name]
    assert lib.search.ids(Query(search="vertebroplasty outcomes")) == []
    assert lib.attachments.all() == []
    (res,) = lib.trash.restore([aid])
    assert res.messages == []
    assert copy.is_file() and trashed_files(lib) == []
    assert state(lib, res.article_id) == before
    assert lib.search.ids(Query(search="vertebroplasty outcomes")) == [aid]
    assert (tmp_path / "linked-notes.txt").is_file()  # a link is never moved
    assert lib.attachments.check() == []


def test_undo_and_redo_of_a_delete_move_the_file_both_ways(lib: Library,
                                                             tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    before = state(lib, aid)
    lib.articles.delete([aid])
    lib.history.undo()
    assert copy.is_file() and trashed_files(lib) == [] and state(lib, aid) == before
    lib.history.redo()
    assert not copy.exists() and trashed_files(lib) == [copy.name]
    assert lib.attachments.all() == []
    lib.history.undo()
    assert copy.is_file() and state(lib, aid) == before
    assert lib.history.last_messages == []


def test_a_file_missing_from_the_trash_is_reported_and_the_rows_come_back(
        lib: Library, tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    before = state(lib, aid)
    lib.articles.delete([aid])
    (filestore.trash_dir(lib.path) / copy.name).unlink()  # lost outside the app
    (res,) = lib.trash.restore([aid])
    assert len(res.messages) == 1 and "missing" in res.messages[0]
    assert state(lib, aid) == before
    problems = lib.attachments.check()
    assert [p.kind for p in problems] == ["missing"]


def test_a_file_already_gone_when_deleting_is_no_failure(lib: Library, tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    copy.unlink()
    assert lib.articles.delete([aid]) == 1
    assert "missing" in lib.trash.last_messages[0]
    (res,) = lib.trash.restore([aid])
    assert "missing" in res.messages[0] and len(lib.attachments.of(aid)) == 2


def test_a_taken_place_is_never_overwritten(lib: Library, tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    lib.articles.delete([aid])
    copy.write_bytes(b"someone else's file")  # the old name taken meanwhile
    (res,) = lib.trash.restore([aid])
    assert "already exists" in res.messages[0]
    assert copy.read_bytes() == b"someone else's file"
    assert trashed_files(lib) == [copy.name]  # the paper waits in the trash, not lost


def test_trash_empty_removes_the_files(lib: Library, tmp_path: Path) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    other = lib.articles.add_records([make_record(pmid="1", doi="10.1/x",
                                                  title="Another paper on chordoma")])
    lib.articles.delete([aid, other[0].article_id])
    stray = filestore.trash_dir(lib.path) / "detached-by-hand.pdf"
    stray.write_bytes(b"%PDF kept")  # not an article's: emptying the trash leaves it
    assert lib.trash.empty() == 2
    assert trashed_files(lib) == ["detached-by-hand.pdf"]
    assert (tmp_path / "linked-notes.txt").is_file()


def test_two_deleted_papers_with_one_file_name_keep_both(lib: Library, tmp_path: Path) -> None:
    a, copy_a = with_pdf(lib, tmp_path)
    lib.articles.delete([a])
    b, copy_b = with_pdf(lib, tmp_path, pmid="2", doi="10.1/b", title="A second paper title")
    copy_b.rename(copy_b.with_name(copy_a.name))  # same name as the one in the trash
    with lib.store.writing() as conn:
        conn.execute("UPDATE attachment SET path = :p WHERE article_id = :a AND linked = 0",
                     {"p": copy_a.name, "a": b})
    lib.articles.delete([b])
    assert len(trashed_files(lib)) == 2
    lib.trash.restore([a])
    assert copy_a.is_file() and copy_a.read_bytes() != b""
    lib.trash.empty()
    assert trashed_files(lib) == []


def test_merge_keeps_the_others_attachments(lib: Library, tmp_path: Path) -> None:
    keep = lib.articles.add_records([make_record(pmid="1", doi="")])[0].article_id
    other, copy = with_pdf(lib, tmp_path, pmid="2", doi="")
    before = state(lib, other)
    assert len(before[0]) == 2
    lib.duplicates.merge(keep, [other])
    assert state(lib, keep) == before and copy.is_file()
    assert lib.attachments.check() == []
    lib.history.undo()
    assert state(lib, other) == before
    assert lib.attachments.of(keep) == []


def test_cli_delete_and_restore_move_the_file(lib: Library, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    key = lib.articles.citekey(aid)
    lib.close()
    assert main(["--library", str(tmp_path / "lib.sqlite"), "delete", key]) == 0
    assert not copy.exists()
    assert main(["--library", str(tmp_path / "lib.sqlite"), "trash", "restore", key]) == 0
    assert copy.is_file()
    capsys.readouterr()


def test_history_reads_trash_payloads_old_and_new() -> None:
    """Undo logs written before the speed-up hold trashed snapshots unpacked; newer ones
    hold the packed blob. Both give the same snapshot."""
    import base64

    from spinelib.library.history import _payload
    from spinelib.store.snapshots import pack

    snap = {"article": {"citekey": "k"}, "authors": [], "files": {"3": "k.pdf"}}
    assert _payload({"trash": snap}) == snap
    assert _payload({"trash": base64.b64encode(pack(snap)).decode("ascii")}) == snap


def test_cli_undo_warns_about_a_missing_file(lib: Library, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    aid, copy = with_pdf(lib, tmp_path)
    lib.articles.delete([aid])
    (filestore.trash_dir(lib.path) / copy.name).unlink()
    lib.close()
    assert main(["--library", str(tmp_path / "lib.sqlite"), "undo"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("undid delete of 1 article") and "missing" in err


def test_restore_rewrites_the_search_index_exactly(lib: Library) -> None:
    """The index row written back from the snapshot is the one the article had (authors,
    journal, keywords, MeSH, notes, tags), so every search finds it as before."""
    import sqlite3

    from spinelib.records import MeshHeading

    rec = make_record(keywords=["separation surgery", "SBRT"],
                      mesh=[MeshHeading(ui="D013120", name="Spinal Neoplasms")])
    aid = lib.articles.add_records([rec])[0].article_id
    lib.tags.create("Teaching")
    lib.tags.add([aid], ["Teaching"])
    lib.articles.set_notes(aid, "discussed at tumour board")

    def index_row() -> tuple[object, ...]:
        con = sqlite3.connect(lib.path)
        try:
            return tuple(con.execute("SELECT * FROM article_fts WHERE rowid = ?",
                                     (aid,)).fetchone())
        finally:
            con.close()

    before = index_row()
    lib.articles.delete([aid])
    lib.history.undo()
    assert index_row() == before
    lib.history.redo()
    lib.trash.restore([aid])
    assert index_row() == before
    assert lib.search.ids(Query(search="tumour board")) == [aid]


def test_undo_refuses_an_identifier_taken_since(lib: Library) -> None:
    """Undoing an edit whose old DOI another article has taken since is refused, naming it;
    nothing changes (the check runs for every article of the step at once)."""
    from spinelib.errors import SpineLibError

    a = lib.articles.add_records([make_record()])[0].article_id
    lib.edits.edit(a, {"doi": "10.1234/moved"})
    b = lib.articles.add_records([make_record(pmid="2", title="Another chordoma paper")])
    key_b = lib.articles.citekey(b[0].article_id)
    with pytest.raises(SpineLibError, match=re.escape(f"DOI {DOI} now belongs to {key_b}")):
        lib.history.undo()
    assert lib.articles.record(a).doi == "10.1234/moved"
