"""Renaming a folder's reading list renames its sub-lists, as renaming a folder does.

Mendeley's folders and JabRef's groups come in as lists named by path ("Spine
oncology/MESCC"); renaming "Spine oncology" used to leave its sub-lists under a folder that
no longer existed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.records import ArticleRecord


def names(lib: Library) -> list[str]:
    return [e.name for e in lib.lists.all()]


def article(lib: Library, title: str) -> int:
    [added] = lib.articles.add_records([ArticleRecord(title=title, year=2020)])
    assert added.article_id is not None
    return added.article_id


def make_folders(lib: Library) -> dict[str, int]:
    held = {}
    for name in ["Spine oncology", "Spine oncology/MESCC", "Spine oncology/MESCC/Trials",
                 "Spine oncology/SBRT", "Spine oncology 2019", "Trauma"]:
        lib.lists.create(name)
        held[name] = article(lib, f"Paper filed in {name}")
        lib.lists.add(name, [held[name]])
    return held


def test_a_folder_renamed_takes_its_sub_lists_and_their_articles(lib: Library) -> None:
    held = make_folders(lib)
    assert lib.lists.rename("spine oncology", "Spinal oncology") == 3
    assert names(lib) == ["Spinal oncology", "Spinal oncology/MESCC",
                          "Spinal oncology/MESCC/Trials", "Spinal oncology/SBRT",
                          "Spine oncology 2019", "Trauma"]  # a name that only starts alike stays
    assert lib.lists.items("Spinal oncology/MESCC/Trials") == [
        held["Spine oncology/MESCC/Trials"]]
    assert lib.lists.items("Spine oncology 2019") == [held["Spine oncology 2019"]]
    # A sub-list renamed alone moves alone, with its own sub-list.
    assert lib.lists.rename("Spinal oncology/MESCC", "MESCC") == 1
    assert "MESCC/Trials" in names(lib) and "Spinal oncology/SBRT" in names(lib)


def test_one_taken_name_refuses_the_whole_rename(lib: Library) -> None:
    make_folders(lib)
    lib.lists.create("Oncology/SBRT")
    before = names(lib)
    with pytest.raises(SpineLibError, match="a reading list named 'Oncology/SBRT' already"):
        lib.lists.rename("Spine oncology", "oncology")
    assert names(lib) == before


def test_a_shorter_name_may_take_a_sub_list_s_old_name(lib: Library) -> None:
    # "A/B" -> "A" renames "A/B/B/c" to "A/B/c", the name "A/B/c" still had: no clash.
    for name in ["A/B", "A/B/c", "A/B/B/c"]:
        lib.lists.create(name)
        lib.lists.add(name, [article(lib, name)])
    assert lib.lists.rename("A/B", "A") == 2
    assert names(lib) == ["A", "A/B/c", "A/c"]
    assert len(lib.lists.items("A/B/c")) == len(lib.lists.items("A/c")) == 1
    # And back: the longer names take the shorter ones' first.
    assert lib.lists.rename("A", "A/B") == 2
    assert names(lib) == ["A/B", "A/B/B/c", "A/B/c"]


def test_undo_gives_the_folder_and_its_sub_lists_their_names_back(lib: Library) -> None:
    make_folders(lib)
    before = names(lib)
    lib.lists.rename("Spine oncology", "Spinal oncology")
    lib.history.undo()
    assert names(lib) == before


def test_the_command_line_says_how_many_sub_lists_moved(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        make_folders(lib)
    assert main(["--library", str(path), "lists", "rename", "Spine oncology",
                 "Spinal oncology"]) == 0
    out = capsys.readouterr().out
    assert "renamed 'Spine oncology' to 'Spinal oncology', with its 3 sub-lists" in out
