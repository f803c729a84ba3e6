"""Moving from Mendeley, JabRef or Zotero: a .bib export's groups become reading lists and
Mendeley's tags the user's own tags, as the import stores the articles
(:mod:`spinelib.filegroups`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib import fileimport
from spinelib.errors import SpineLibError
from spinelib.importer import run_import
from spinelib.library import Library, Query
from tests.core.test_bibtex_groups import BBT3, MENDELEY

#: A second Mendeley entry in one folder of the first, tagged with a vocabulary term's synonym.
MORE = r"""@article{Laufer2013,
author = {Laufer, Ilya},
journal = {Oncologist},
mendeley-groups = {Spine oncology/MESCC},
mendeley-tags = {Kyphoplasty},
title = {{The NOMS framework}},
year = {2013}
}
"""


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def _bib(tmp_path: Path, text: str, name: str = "export.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _keys(lib: Library, name: str) -> list[str]:
    return [lib.articles.citekey(i) for i in lib.lists.items(name)]


def _tags(lib: Library, key: str) -> list[str]:
    return sorted(t.id for t in lib.tags.state(lib.articles.resolve_key(key)).tags)


def test_mendeley_folders_become_reading_lists_and_its_tags_tags(
        lib: Library, tmp_path: Path) -> None:
    # A list the user has already, named in another letter case, with an article in it.
    lib.articles.add_records([], tags=[])
    report0 = run_import(lib, [str(_bib(tmp_path, BBT3, "first.bib"))], client=None)
    assert report0.all_ok
    lib.lists.create("spine ONCOLOGY")
    lib.lists.add("spine ONCOLOGY", [lib.articles.resolve_key("tokuhashi2005")])
    report = run_import(lib, [str(_bib(tmp_path, MENDELEY + MORE))], client=None)
    assert report.counts() == {"imported": 3}
    names = {entry.name for entry in lib.lists.all()}
    assert {"spine ONCOLOGY", "Spine oncology/MESCC", "M&A", "Thesis/Chapter 2"} <= names
    assert "Spine oncology" not in names  # joined, not made twice
    assert _keys(lib, "spine ONCOLOGY") == ["tokuhashi2005", "Patchell2005"]
    assert _keys(lib, "Spine oncology/MESCC") == ["Patchell2005", "Laufer2013"]  # file order
    assert _keys(lib, "M&A") == ["Patchell2005"]
    # Mendeley's tags: one made as the user's own, one found in the vocabulary by its label.
    assert _tags(lib, "Patchell2005") == ["Thesis", "to read"]
    assert _tags(lib, "Laufer2013") == ["balloon_kyphoplasty"]
    # The tags' words are searchable at once (each article's index row rewritten once).
    assert lib.search.ids(Query(search="Thesis")) == [lib.articles.resolve_key("Patchell2005")]
    assert report.warnings[:2] == [
        "export.bib: its groups, as reading lists: spine ONCOLOGY (+1 article), Spine "
        "oncology/MESCC (new: 2 articles), M&A (new: 1 article), Thesis/Chapter 2 (new: 1 "
        "article)",
        "export.bib: its tags, as your own: to read (new): 1 article, Thesis (new): 1 "
        "article, Kyphoplasty: 1 article"]
    # The same export again: every article is held and placed already; nothing is said.
    again = run_import(lib, [str(_bib(tmp_path, MENDELEY + MORE))], client=None)
    assert again.counts() == {"unchanged": 3}
    assert _keys(lib, "Spine oncology/MESCC") == ["Patchell2005", "Laufer2013"]
    assert not any("reading lists" in w for w in again.warnings)


def test_one_undo_takes_the_placing_back_and_keeps_the_articles(
        lib: Library, tmp_path: Path) -> None:
    run_import(lib, [str(_bib(tmp_path, MENDELEY + MORE))], client=None)
    step = lib.history.can_undo()
    assert step is not None and step.name == "lists, tags and stars from export.bib"
    lib.lists.create("Grant")  # made outside the step: the step's undo leaves it
    lib.history.undo()
    assert lib.search.count() == 3
    # The lists and the tags of the user's own it made are gone with it, not left empty.
    assert [entry.name for entry in lib.lists.all()] == ["Grant"]
    assert _tags(lib, "Patchell2005") == [] and _tags(lib, "Laufer2013") == []
    assert {"Thesis", "to read"}.isdisjoint(t.id for t in lib.tags.counts())
    lib.history.redo()
    assert _keys(lib, "Spine oncology/MESCC") == ["Patchell2005", "Laufer2013"]
    assert _tags(lib, "Patchell2005") == ["Thesis", "to read"]


def test_jabref_tree_members_join_their_lists(lib: Library, tmp_path: Path) -> None:
    report = run_import(lib, [str(_bib(tmp_path, BBT3))], client=None)
    assert _keys(lib, "Scores") == ["tomita2001", "tokuhashi2005"]
    assert _keys(lib, "Scores/Tomita;1990s") == ["tomita2001"]
    assert report.summary() == "2 imported"


def test_jabref_reading_states_go_forward_and_stars_fill_only_the_unrated(
        lib: Library, tmp_path: Path) -> None:
    first = ("@article{tomita2001, title={Surgical strategy for spinal metastases}, "
             "year={2001}, author={Tomita, K.}}\n"
             "@article{tokuhashi2005, title={A revised scoring system for preoperative "
             "evaluation}, year={2005}, author={Tokuhashi, Y.}}\n")
    run_import(lib, [str(_bib(tmp_path, first, "first.bib"))], client=None)
    tomita = lib.articles.resolve_key("tomita2001")
    lib.articles.set_read_status([tomita], 2)
    lib.articles.set_ratings([tomita], 2)
    marked = first.replace("author={Tomita, K.}", "author={Tomita, K.}, readstatus={skimmed}, "
                           "ranking={rank5}").replace(
        "author={Tokuhashi, Y.}", "author={Tokuhashi, Y.}, readstatus={read}, ranking={rank3}")
    report = run_import(lib, [str(_bib(tmp_path, marked))], client=None)
    assert report.counts() == {"unchanged": 2}
    rows = lib.search.rows([tomita, lib.articles.resolve_key("tokuhashi2005")])
    # Tomita: read already (not set back to skimmed), and rated by the user (kept).
    assert [(int(r.read_status), r.rating) for r in rows.values()] == [(2, 2), (2, 3)]
    assert ("export.bib: its reading states and stars: 1 article marked read, 1 article "
            "given 3★") in report.warnings
    lib.history.undo()
    rows = lib.search.rows([lib.articles.resolve_key("tokuhashi2005")])
    assert [(int(r.read_status), r.rating) for r in rows.values()] == [(0, 0)]


def test_a_cancelled_import_still_places_what_it_stored(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileimport, "FILE_BATCH", 1)
    asked = iter(range(100))
    report = run_import(lib, [str(_bib(tmp_path, MENDELEY + MORE))], client=None,
                        cancelled=lambda: next(asked) >= 1)  # after the first batch
    assert report.counts() == {"imported": 1, "cancelled": 1}
    assert _keys(lib, "Spine oncology/MESCC") == ["Patchell2005"]
    assert _tags(lib, "Patchell2005") == ["Thesis", "to read"]


def test_a_group_that_cannot_be_made_is_named_and_the_import_stands(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = lib.lists.create

    def refuse_ma(name: str) -> None:
        if name == "M&A":
            raise SpineLibError("refused for the test")
        made(name)

    monkeypatch.setattr(lib.lists, "create", refuse_ma)
    report = run_import(lib, [str(_bib(tmp_path, MENDELEY))], client=None)
    assert report.counts() == {"imported": 2} and report.all_ok
    assert "export.bib: not taken: the group 'M&A': refused for the test" in report.warnings
    assert _keys(lib, "Spine oncology") == ["Patchell2005"]


JABREF38 = Path(__file__).resolve().parent.parent / "data" / "formats" / "jabref38_groups.bib"


def test_a_file_jabref_wrote_imports_with_its_groups_and_marks(lib: Library) -> None:
    report = run_import(lib, [str(JABREF38)], client=None)
    assert report.counts() == {"imported": 3}
    assert {e.name: _keys(lib, e.name) for e in lib.lists.all()} == {
        "Decision frameworks": ["Laufer2013"],
        "Prognostic scores": ["Tokuhashi2005", "Tomita2001"],  # the tree's (JabRef sorts)
        "Prognostic scores/Tomita;revised": ["Tomita2001"]}
    rows = lib.search.rows(lib.search.ids())
    assert {r.citekey: (int(r.read_status), r.rating) for r in rows.values()} == {
        "Tomita2001": (2, 4), "Tokuhashi2005": (1, 0), "Laufer2013": (0, 0)}
    assert any("('SBRT')" in w for w in report.warnings)


def test_reading_lists_leave_as_jabref_groups_and_come_back(
        lib: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``export --lists``: the group tree JabRef 3.8 itself writes (and reads back unchanged,
    checked with Debian's jabref); a second library importing the export has the lists."""
    from spinelib.cli import main

    run_import(lib, [str(JABREF38)], client=None)
    lib.lists.create("Empty")  # holds none of the exported articles: not written
    # The user's own order, which is not the export's (its entries go by first author).
    lib.lists.move("Prognostic scores", [lib.articles.resolve_key("Tomita2001")], 0)
    lib.close()
    out = tmp_path / "moving.bib"
    assert main(["--library", str(tmp_path / "lib.sqlite"), "export", "--lists",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.endswith(
        "\n@comment{jabref-meta: groupsversion:3;}\n\n@comment{jabref-meta: groupstree:\n"
        "0 AllEntriesGroup:;\n"
        "1 ExplicitGroup:Decision frameworks\\;0\\;Laufer2013\\;;\n"
        "1 ExplicitGroup:Prognostic scores\\;0\\;Tomita2001\\;Tokuhashi2005\\;;\n"
        "2 ExplicitGroup:Tomita\\\\\\;revised\\;0\\;Tomita2001\\;;\n}\n")
    with Library.open(tmp_path / "other.sqlite") as other:
        run_import(other, [str(out)], client=None)
        assert {e.name: _keys(other, e.name) for e in other.lists.all()} == {
            "Decision frameworks": ["Laufer2013"],
            "Prognostic scores": ["Tomita2001", "Tokuhashi2005"],  # the list's own order
            "Prognostic scores/Tomita;revised": ["Tomita2001"]}
    capsys.readouterr()
    assert main(["--library", str(tmp_path / "lib.sqlite"), "export", "--format", "ris",
                 "--lists"]) == 0
    assert "--lists is for bibtex, biblatex; ris holds no groups" in capsys.readouterr().err

