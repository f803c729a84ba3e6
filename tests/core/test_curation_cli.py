"""The curation commands (issue 15): exact shapes, exit codes and plain messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library
from tests.fakeserver import FakeServer

from .helpers import make_record


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(pmid="111", doi=""))
        lib.articles.add_record(make_record(pmid="222", doi="", pages="S1"))
        lib.articles.add_record(make_record(pmid="333", doi="10.5555/other",
                                            title="Laufer on separation surgery and SBRT"))
    return path


def run(capsys: pytest.CaptureFixture[str], libpath: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(libpath), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_by_hand_and_its_refusals(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, libpath, "add", "--set", "title=Spine Oncology Review Course "
                       "syllabus", "--set", "type=conference", "--set", "year=2025",
                       "--authors", "Laufer, Ilya; AO Spine Knowledge Forum Tumor",
                       "--tag", "separation surgery")
    assert code == 0
    assert out.splitlines()[0] == ("added as laufer2025spine (Laufer 2025, Spine Oncology "
                                   "Review Course syllabus)")
    code, out, _ = run(capsys, libpath, "show", "laufer2025spine", "--json")
    shown = json.loads(out)
    assert shown["type"] == "conference" and shown["tags"] == ["separation_surgery"]
    assert shown["authors"][1] == {"collective": "AO Spine Knowledge Forum Tumor"}
    code, out, _ = run(capsys, libpath, "add", "--set", "title=Guideline", "--set",
                       "publisher=NCCN", "--set", "place=Plymouth Meeting, PA", "--set",
                       "accessed=5 Dec 2026", "--set", "type=webpage", "--key", "nccn2026")
    assert out.startswith("added as nccn2026 ")
    shown = json.loads(run(capsys, libpath, "show", "nccn2026", "--json")[1])
    assert (shown["publisher"], shown["place"], shown["accessed"]) == (
        "NCCN", "Plymouth Meeting, PA", "2026-12-05")
    for args, said in [
            (["--set", "year=2025"], "needs a title"),
            (["--set", "title=X", "--set", "type=poster"], "'poster' is not one of article"),
            (["--set", "title=X", "--set", "pmid=222"], "PMID 222 already belongs to"),
            (["--set", "title"], "FIELD=VALUE"),
            (["--set", "title=X", "--list", "nowhere"], "no reading list named 'nowhere'"),
            (["--set", "title=X", "--key", "nccn2026"], "'nccn2026' is already used"),
            (["--set", "title=X", "--key", "nccn 2026"], "not a valid citation key")]:
        code, _, err = run(capsys, libpath, "add", *args)
        assert code == 1 and said in err, (args, err)
    code, out, _ = run(capsys, libpath, "add", "--set", "title=Direct decompressive surgical "
                       "resection in the treatment of spinal cord compression caused by "
                       "metastatic cancer: a randomised trial", "--set", "year=2005",
                       "--authors", "Patchell, R")
    assert code == 0 and out.splitlines()[1].startswith(
        "note: looks like patchell2005direct, patchell2005directa (same title")
    code, out, _ = run(capsys, libpath, "list")
    assert out.count("\n") == 6  # the three, and the three added


def test_an_import_of_no_identifier_names_spinelib_add(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A guideline's name given to import was "not a DOI, PMID or PMCID", and nothing
    said how such an article goes in."""
    hint = ("note: an article without a DOI or PMID (a guideline, an abstract) is typed in: "
            "spinelib add --set title=… (spinelib add --help)")
    for dry in ([], ["--dry-run"]):
        code, _, err = run(capsys, libpath, "import", *dry, "NCCN Guidelines Bone Cancer")
        assert code == 1 and err.splitlines()[-1] == hint, (dry, err)
    code, _, err = run(capsys, libpath, "import", "--dry-run", "PMID: 0")  # a bad PMID
    assert hint not in err


def test_edit_and_its_refusals(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, libpath, "edit", "111", "--set", "year=2006", "--set",
                       "journal=The Lancet", "--authors", "Patchell, Roy A; Tibbs, Phillip A")
    assert code == 0 and out.strip() == "patchell2005direct: changed year, journal, authors"
    code, _, err = run(capsys, libpath, "edit", "111", "--set", "year=2007", "--set", "doi=x")
    assert code == 1 and "doi: 'x' is not a DOI" in err
    code, _, err = run(capsys, libpath, "edit", "111", "--set", "pmid=222")
    assert code == 1 and "PMID 222 already belongs to patchell2005directa" in err
    code, _, err = run(capsys, libpath, "edit", "111", "--set", "year")
    assert code == 1 and "FIELD=VALUE" in err
    code, _, err = run(capsys, libpath, "edit", "nosuchkey", "--set", "year=2000")
    assert code == 1 and "no article matches" in err
    code, out, _ = run(capsys, libpath, "show", "111", "--json")
    assert json.loads(out)["year"] == 2006


def test_delete_trash_restore_empty(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, libpath, "delete", "111", "333")
    assert code == 0 and out.startswith("2 articles moved to the trash")
    _, out, _ = run(capsys, libpath, "list", "--json")
    assert [a["pmid"] for a in json.loads(out)] == ["222"]
    _, out, _ = run(capsys, libpath, "export", "--format", "bibtex")
    assert "111" not in out and "333" not in out
    code, out, _ = run(capsys, libpath, "trash", "--json")
    items = json.loads(out)
    assert code == 0 and "patchell2005direct" in {i["key"] for i in items}
    assert [set(i) for i in items] == [{"key", "title", "deleted_at"}] * 2
    code, out, _ = run(capsys, libpath, "trash", "restore", "111")
    assert code == 0 and out.strip() == "restored patchell2005direct"
    code, _, err = run(capsys, libpath, "trash", "restore", "111")
    assert code == 1 and "nothing in the trash matches" in err
    code, _, err = run(capsys, libpath, "trash", "empty")  # no terminal, no --yes
    assert code == 1 and "--yes" in err
    code, out, _ = run(capsys, libpath, "trash", "empty", "--older-than", "30", "--yes")
    assert code == 0 and out.strip() == "0 articles deleted for good"
    code, out, _ = run(capsys, libpath, "trash", "empty", "--yes")
    assert code == 0 and out.strip() == "1 article deleted for good"
    _, out, _ = run(capsys, libpath, "trash", "--json")
    assert json.loads(out) == []


def test_duplicates_merge_and_undo(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, libpath, "duplicates", "--json")
    assert code == 0 and json.loads(out) == [{
        "keys": ["patchell2005direct", "patchell2005directa"],
        "reason": "same title, year and first author; different PMIDs"}]
    code, _, err = run(capsys, libpath, "merge", "111", "111")
    assert code == 1 and "itself" in err
    code, out, _ = run(capsys, libpath, "merge", "111", "patchell2005directa")
    assert code == 0 and out.startswith("merged patchell2005directa into patchell2005direct")
    _, out, _ = run(capsys, libpath, "show", "patchell2005directa", "--json")
    assert json.loads(out)["citekey"] == "patchell2005direct"  # the old key is an alias
    _, out, _ = run(capsys, libpath, "duplicates", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, libpath, "history", "--json")
    assert [o["name"] for o in json.loads(out)] == ["merge of 2 articles"]
    code, out, _ = run(capsys, libpath, "undo")
    assert code == 0 and out.strip() == "undid merge of 2 articles"
    _, out, _ = run(capsys, libpath, "list", "--json")
    assert len(json.loads(out)) == 3
    code, out, _ = run(capsys, libpath, "redo")
    assert code == 0 and out.strip() == "redid merge of 2 articles"
    code, _, err = run(capsys, libpath, "redo")
    assert code == 1 and "nothing to redo" in err


def test_an_import_names_the_articles_that_look_like_others(
        libpath: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A colleague's .bib: Laufer's paper again, without its DOI (an import merges only on a
    # matching identifier, so it comes in beside the first), and one new paper.
    bib = tmp_path / "colleague.bib"
    bib.write_text("@article{l, author = {Patchell, Roy}, year = {2005},\n"
                   "  title = {Laufer on Separation Surgery and {SBRT}}}\n"
                   "@article{n, author = {Bilsky, Mark}, year = {2019},\n"
                   "  title = {Separation surgery for metastatic spine disease}}\n",
                   encoding="utf-8")
    code, out, err = run(capsys, libpath, "import", str(bib))
    assert code == 0 and out.strip().splitlines()[-1] == "2 imported"
    assert err.strip().splitlines()[-1] == (
        "note: 1 imported article looks like another in the library (same title, year and "
        "first author): l; `spinelib duplicates` lists them to merge or dismiss")
    with Library.open(libpath) as lib:
        from spinelib.importer import ImportItem, ImportReport, note_look_alikes

        twin, new = lib.articles.resolve_key("l"), lib.articles.resolve_key("n")
        report = ImportReport(items=[ImportItem("x", "imported", article_id=twin),
                                     ImportItem("y", "imported", article_id=new),
                                     ImportItem("z", "failed")])
        note_look_alikes(lib, report)
        assert report.look_alikes == [twin]
        lib.duplicates.dismiss([twin, lib.articles.resolve_key("333")])
        note_look_alikes(lib, report)  # dismissed: no longer a look-alike
        assert report.look_alikes == [] and report.look_alike_note() == ""
    # Importing with nothing alike says nothing more.
    bib.write_text("@article{z, author = {Zed, Amy}, year = {2021}, title = {Unique}}\n",
                   encoding="utf-8")
    code, _, err = run(capsys, libpath, "import", str(bib))
    assert code == 0 and "note:" not in err


def test_notes_printed_set_appended_and_cleared(libpath: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, libpath, "notes", "333")
    assert (code, out) == (0, "") and "no notes on 333 yet" in err  # stdout: only notes
    code, _o, err = run(capsys, libpath, "notes", "333", "Read for journal club.")
    assert code == 0 and err.strip() == "notes saved on 333"
    code, _o, err = run(capsys, libpath, "notes", "333", "--append", "Ask about SINS.")
    assert code == 0 and err.strip() == "notes added to 333"
    assert run(capsys, libpath, "notes", "333")[1] == (
        "Read for journal club.\n\nAsk about SINS.\n")
    code, _o, err = run(capsys, libpath, "notes", "333", "new", "--append", "more")
    assert code == 2 and "either TEXT" in err
    assert run(capsys, libpath, "notes", "111", "--append", "First thought.")[0] == 0
    assert run(capsys, libpath, "notes", "111")[1] == "First thought.\n"  # no blank start
    code, _o, err = run(capsys, libpath, "notes", "333", "")
    assert code == 0 and err.strip() == "notes cleared on 333"
    assert run(capsys, libpath, "notes", "333")[1] == ""


def test_saved_searches_and_list_saved(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, libpath, "searches", "save", "Laufer", 'author:patchell "separation"')
    assert code == 0
    _, out, _ = run(capsys, libpath, "searches", "list", "--json")
    assert json.loads(out) == [{"name": "Laufer", "query": 'author:patchell "separation"'}]
    _, out, _ = run(capsys, libpath, "list", "--saved", "Laufer", "--json")
    assert [a["pmid"] for a in json.loads(out)] == ["333"]
    _, out, _ = run(capsys, libpath, "list", "--search", "year:2005 -separation", "--json")
    assert sorted(a["pmid"] for a in json.loads(out)) == ["111", "222"]
    code, _, err = run(capsys, libpath, "list", "--saved", "Nope")
    assert code == 1 and "no saved search named 'Nope'; saved searches: 'Laufer'" in err
    # A name in another letter case finds it; saving under it replaces it, and says so.
    _, out, _ = run(capsys, libpath, "list", "--saved", "laufer", "--json")
    assert [a["pmid"] for a in json.loads(out)] == ["333"]
    code, out, err = run(capsys, libpath, "searches", "save", "laufer", "author:patchell")
    assert code == 0 and out == "saved 'laufer': author:patchell\n"
    assert err == ('note: it replaces the query saved under that name: '
                   'author:patchell "separation"\n')
    _, out, _ = run(capsys, libpath, "searches", "list")
    assert out.split() == ["laufer", "author:patchell"]
    code, out, _ = run(capsys, libpath, "searches", "delete", "LAUFER")
    assert code == 0 and out == "deleted 'laufer'\n"
    code, _, err = run(capsys, libpath, "searches", "delete", "Laufer")
    assert code == 1 and "no saved search named 'Laufer'; there are none yet" in err
    code, out, err = run(capsys, libpath, "searches", "list")
    assert code == 0 and out == "" and "no saved searches yet; save one with" in err


def test_a_dashed_year_range_is_a_range_on_the_command_line(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, dashed, err = run(capsys, libpath, "list", "--search", "year:2004-2006", "--json")
    _, dotted, _ = run(capsys, libpath, "list", "--search", "year:2004..2006", "--json")
    assert err == "" and json.loads(dashed) == json.loads(dotted) != []


def test_an_exclusion_may_follow_search_directly(
        libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """argparse took "-laufer" for an option ("expected one argument")."""
    code, out, err = run(capsys, libpath, "list", "--search", "-laufer", "--json")
    assert code == 0 and err == ""
    assert sorted(a["pmid"] for a in json.loads(out)) == ["111", "222"]
    code, out, err = run(capsys, libpath, "list", "--search", "-pmid:111", "--json")
    assert sorted(a["pmid"] for a in json.loads(out)) == ["222", "333"]
    # A missing value is still a usage error, not a search for "--json".
    code, _out, err = run(capsys, libpath, "list", "--search", "--json")
    assert code == 2 and "expected one argument" in err


def test_an_unknown_field_is_named_on_stderr(libpath: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, libpath, "list", "--search", "abstract:sbrt")
    assert code == 0 and "“abstract:” is not a search field" in err


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    with FakeServer() as s:
        for var, url in s.env().items():
            monkeypatch.setenv(var, url)
        s.add_pubmed(["31000011"])
        yield s


def test_refresh_diff_and_apply_keeps_user_edits(tmp_path: Path, server: FakeServer,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    code, _, _ = run(capsys, path, "import", "31000011", "--no-refs")
    assert code == 0
    with Library.open(path) as lib:  # a stale stored value (not the user's) and a user edit
        a = lib.articles.resolve_key("31000011")
        with lib.store.writing() as conn:
            lib.store.articles.update(conn, [a], {"volume": "99"})
        lib.edits.edit(a, {"title": "My own title for outcome study 31000011"})
    code, out, err = run(capsys, path, "refresh", "31000011", "--json")
    assert code == 0, err
    diffs = {d["field"]: d for d in json.loads(out)}
    assert set(diffs) == {"title", "volume"}
    assert diffs["volume"] == {"key": diffs["volume"]["key"], "field": "volume", "stored": "99",
                               "source": "41", "user_edited": False}
    assert diffs["title"]["user_edited"] is True
    assert diffs["title"]["stored"] == "My own title for outcome study 31000011"
    code, out, _ = run(capsys, path, "refresh", "31000011", "--apply")
    assert code == 0 and "applied: volume; kept yours: title" in out
    _, out, _ = run(capsys, path, "show", "31000011", "--json")
    data = json.loads(out)
    assert data["volume"] == "41" and data["title"].startswith("My own title")
    # Offline: a plain message and exit 1, nothing changed.
    server.stop()
    code, _, err = run(capsys, path, "refresh", "31000011")
    assert code == 1 and "offline" in err


def test_refresh_without_identifier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(pmid="", doi=""))
    code, _, err = run(capsys, path, "refresh", "patchell2005direct")
    assert code == 1 and "no identifier" in err


def test_a_refresh_ends_in_press_once_pubmed_has_the_issue(
        tmp_path: Path, server: FakeServer, capsys: pytest.CaptureFixture[str]) -> None:
    """A paper kept "in press" (from an author's .bib, say) that PubMed now has in an issue:
    the refresh shows the state ending and --apply ends it."""
    path = tmp_path / "lib.sqlite"
    assert run(capsys, path, "import", "31000011", "--no-refs")[0] == 0
    with Library.open(path) as lib:
        a = lib.articles.resolve_key("31000011")
        with lib.store.writing() as conn:
            lib.store.articles.update(conn, [a], {"pubstate": "inpress"})
    code, out, err = run(capsys, path, "refresh", "31000011")
    assert code == 0, err
    assert "pubstate: in press\n" in out and "-> (empty)" in out
    code, out, _ = run(capsys, path, "refresh", "31000011", "--apply")
    assert code == 0 and "applied: pubstate" in out
    _, out, _ = run(capsys, path, "show", "31000011", "--json")
    assert json.loads(out)["pubstate"] is None
