"""Another SpineLib library merged into this one (spinelib.libraryimport): a colleague's
library handed over, a second computer's, a backup. Records, tags, notes, reading state,
ratings, files and reading lists come along; the other library is never written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.records import Author
from tests.pdfmaker import make_pdf, paper_pages

from .helpers import make_record


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def theirs(tmp_path: Path) -> Path:
    """A fellow's library: an article this library has too (by DOI), two it lacks (one
    without identifiers), own tags in a tree, notes, state, a PDF, a secret linked file and
    a reading list in a chosen order."""
    path = tmp_path / "fellow" / "fellow.sqlite"
    path.parent.mkdir()
    with Library.open(path) as lib:
        shared = lib.articles.add_record(make_record())  # Patchell 2005, DOI + PMID
        sins = lib.articles.add_record(make_record(
            pmid="20308975", doi="10.1097/brs.0b013e3181e16ae2", year=2010,
            title="A novel classification system for spinal instability in neoplastic disease",
            authors=[Author("Fisher", "Charles G", "CG")], journal="Spine"))
        local = lib.articles.add_record(make_record(
            pmid="", doi="", title="Departmental protocol for cement augmentation", year=2024,
            authors=[Author("Osei", "Ama", "A")]))
        lib.tags.create("Fellowship")
        lib.tags.create("SINS reading", parent="Fellowship")
        lib.tags.add([sins.article_id], ["SINS reading", "kyphoplasty"])
        lib.tags.add([shared.article_id], ["Fellowship"])
        lib.articles.set_notes(shared.article_id, "Fellow: the RCT that changed practice.")
        lib.articles.set_notes(local.article_id, "Ask Dr Osei for the updated version.")
        lib.articles.set_read_status([sins.article_id], 2)
        lib.articles.set_rating(sins.article_id, 5)
        pdf = make_pdf(path.parent / "sins.pdf", paper_pages(
            "10.1097/brs.0b013e3181e16ae2", "A novel classification system"))
        lib.attachments.attach(sins.article_id, pdf)
        secret = path.parent / "id_rsa"
        secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
        lib.attachments.attach(local.article_id, secret, link=True)
        lib.lists.create("Spine club")
        lib.lists.add("Spine club", [local.article_id, sins.article_id, shared.article_id])
    return path


@pytest.fixture
def mine(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "mine.sqlite")
    held = lib.articles.add_record(make_record())  # the same Patchell 2005
    lib.articles.set_notes(held.article_id, "Mine: read before the MDT.")
    lib.articles.set_rating(held.article_id, 3)
    lib.lists.create("spine CLUB")  # the same list, written otherwise
    lib.lists.add("spine CLUB", [held.article_id])
    return lib


def test_a_library_comes_along_whole_and_is_never_written(theirs: Path,
                                                          mine: Library) -> None:
    before = _digest(theirs)
    report = run_import(mine, [str(theirs)], client=None)
    assert _digest(theirs) == before and not theirs.with_name("fellow.sqlite-wal").exists()
    assert sorted(i.status for i in report.items) == ["imported", "imported", "unchanged"]
    assert mine.search.count() == 3  # the shared article once
    keys = {i.citekey for i in report.items}
    assert keys == {"patchell2005direct", "fisher2010novel", "osei2024departmental"}
    sins = mine.articles.resolve_key("fisher2010novel")
    shared = mine.articles.resolve_key("patchell2005direct")
    local = mine.articles.resolve_key("osei2024departmental")
    # Tags: its own made here, in their tree; vocabulary tags as they are.
    state = mine.tags.state(sins)
    assert {t.label for t in state.tags} >= {"SINS reading", "Balloon kyphoplasty"}
    parent = {t.id: t.parent for t in mine.tags.counts()}[mine.tags.resolve("SINS reading")]
    assert parent == mine.tags.resolve("Fellowship")
    # Notes after mine, never instead; state and rating where mine had none.
    assert mine.articles.record(shared).notes == ("Mine: read before the MDT.\n\n"
                                                  "Fellow: the RCT that changed practice.")
    assert mine.articles.record(local).notes == "Ask Dr Osei for the updated version."
    assert int(mine.articles.state(sins).read_status) == 2
    assert mine.articles.state(sins).rating == 5 and mine.articles.state(shared).rating == 3
    # The reading list, in its order, joined to mine of the same name.
    assert mine.lists.items("Spine club") == [shared, local, sins]
    # The PDF is copied in; a linked file that is no paper stays out, and is named.
    (pdf,) = mine.attachments.files_of([sins])
    assert pdf.path.read_bytes() == (theirs.parent / "sins.pdf").read_bytes()
    assert mine.attachments.files_of([local]) == []
    assert any("id_rsa" in w and "not a kind of file" in w for w in report.warnings)
    assert any("reading lists: spine CLUB (+2 articles)" in w for w in report.warnings)
    assert any("its own tags made here: Fellowship, SINS reading" in w
               for w in report.warnings)


def test_importing_it_again_changes_nothing(theirs: Path, mine: Library) -> None:
    run_import(mine, [str(theirs)], client=None)
    shared = mine.articles.resolve_key("patchell2005direct")
    notes = mine.articles.record(shared).notes
    again = run_import(mine, [str(theirs)], client=None)
    assert [i.status for i in again.items] == ["unchanged"] * 3
    assert mine.search.count() == 3 and mine.articles.record(shared).notes == notes
    assert len(mine.lists.items("Spine club")) == 3
    assert not any("reading lists" in w or "tags made" in w for w in again.warnings)


def test_what_is_no_library_to_merge_is_refused(tmp_path: Path, mine: Library) -> None:
    other_db = tmp_path / "other.db"
    con = sqlite3.connect(other_db)
    con.execute("CREATE TABLE x (y)")
    con.commit()
    con.close()
    empty = tmp_path / "empty.sqlite"
    Library.open(empty).close()
    report = run_import(mine, [str(mine.path), str(other_db), str(empty)], client=None)
    assert [(i.given, i.status) for i in report.items] == [
        ("mine.sqlite", "failed"), ("other.db", "failed"), ("empty.sqlite", "failed")]
    assert report.items[0].message == "is this library itself"
    assert "not a SpineLib library" in report.items[1].message
    assert mine.search.count() == 1


def test_a_damaged_library_is_one_failure_and_the_rest_imports(tmp_path: Path,
                                                               mine: Library) -> None:
    damaged = tmp_path / "damaged.sqlite"
    with Library.open(damaged) as lib:
        for n in range(40):
            lib.articles.add_record(make_record(pmid=str(100 + n), doi=f"10.5/{n}",
                                                title=f"Paper {n}"))
    data = bytearray(damaged.read_bytes())
    data[8192:len(data) - 4096] = b"\xff" * (len(data) - 4096 - 8192)  # pages overwritten
    damaged.write_bytes(bytes(data))
    bib = tmp_path / "one.bib"
    bib.write_text("@article{osei2024, title={Cement protocol}, author={Osei, Ama}, "
                   "year={2024}}\n", encoding="utf-8")
    report = run_import(mine, [str(damaged), str(bib)], client=None)
    assert [(i.given, i.status) for i in report.items] == [("damaged.sqlite", "failed"),
                                                          ("one.bib", "imported")]
    assert mine.search.count() == 2


def test_what_came_along_is_two_undo_steps(theirs: Path, mine: Library) -> None:
    """Not one step per tag, note and list: undo takes back the lists, then the tags,
    notes and marks; the articles stay, as after any import."""
    before = len(mine.history.operations())
    run_import(mine, [str(theirs)], client=None)
    added = mine.history.operations()[:len(mine.history.operations()) - before]
    assert [op.name for op in added] == ["reading lists from fellow.sqlite",
                                         "tags, notes and marks from fellow.sqlite"]
    sins = mine.articles.resolve_key("fisher2010novel")
    mine.history.undo()
    assert len(mine.lists.items("Spine club")) == 1
    mine.history.undo()
    assert mine.articles.state(sins).rating == 0 and mine.tags.state(sins).tags == []
    assert mine.search.count() == 3
