"""The command line: exit codes, JSON shapes, KEY resolution, bad input messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spinelib import __version__
from spinelib.cli import main
from spinelib.library import Library

from .helpers import make_record


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(title="Direct decompressive surgery with <sup>125</sup>I? no: "
                                   "plain 125I seeds"))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"spinelib {__version__}"


def test_empty_library_lists_empty_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--library", str(tmp_path / "x.sqlite"), "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_list_json_shape(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--library", str(libpath), "list", "--json")
    [item] = json.loads(out)
    assert code == 0
    assert {"id", "citekey", "doi", "pmid", "title", "year", "journal", "tags"} <= set(item)
    assert item["year"] == 2005 and item["pmid"] == "16112300"


def test_list_search(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(capsys, "--library", str(libpath), "list", "--search", "muller",
                          "--json")[1])[0]["citekey"] == "patchell2005direct"
    assert json.loads(run(capsys, "--library", str(libpath), "list", "--search", "NEAR(",
                          "--json")[1]) == []


def test_show_says_the_reading_state_and_lists(libpath: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    lib = ("--library", str(libpath))
    _code, out, _ = run(capsys, *lib, "show", "patchell2005direct")
    assert "Reading:" not in out and "Reading lists:" not in out  # unread, in no list
    for args in (("lists", "create", "Tumour board"),
                 ("lists", "add", "Tumour board", "patchell2005direct")):
        assert run(capsys, *lib, *args)[0] == 0
    with Library.open(libpath) as library:
        aid = library.articles.resolve_key("patchell2005direct")
        library.articles.set_read_status([aid], 2)
        library.articles.set_ratings([aid], 4)
    _code, out, _ = run(capsys, *lib, "show", "patchell2005direct")
    assert "Reading: read, 4 of 5 stars\nReading lists: Tumour board\n" in out
    data = json.loads(run(capsys, *lib, "show", "patchell2005direct", "--json")[1])
    assert data["lists"] == ["Tumour board"] and data["rating"] == 4


def test_list_takes_its_search_as_words(libpath: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """``spinelib list kyphoplasty`` was "unrecognized arguments": pubs and papis take the
    query so. Words join --search; a word excluded follows ``--``."""
    def keys(*args: str) -> list[str]:
        code, out, _ = run(capsys, "--library", str(libpath), "list", "--json", *args)
        assert code == 0
        return [item["citekey"] for item in json.loads(out)]

    assert keys("muller", "year:2005") == ["patchell2005direct"]
    assert keys("muller", "year:2006") == []
    assert keys("--search", "lancet", "muller") == ["patchell2005direct"]
    assert keys("--", "muller", "-lancet") == []


@pytest.mark.parametrize("key", ["patchell2005direct", "16112300", "PMID:16112300",
                                 "10.1016/S0140-6736(05)66954-1", "id:1"])
def test_show_json_by_any_key(libpath: Path, capsys: pytest.CaptureFixture[str], key: str) -> None:
    code, out, _ = run(capsys, "--library", str(libpath), "show", key, "--json")
    data = json.loads(out)
    assert code == 0
    required = {"id", "citekey", "doi", "pmid", "pmcid", "title", "authors", "journal",
                "journal_abbrev", "year", "volume", "issue", "pages", "abstract", "mesh",
                "keywords", "publication_types", "tags", "references", "retracted",
                "book_title", "editors", "edition", "isbn", "url"}
    assert required <= set(data)
    assert (data["book_title"], data["editors"], data["edition"]) == ("", [], "")
    assert data["authors"][0] == {"family": "Patchell", "given": "Roy A"}
    assert data["references"][0] == {"position": 1, "citation": "Smith A. Earlier trial. Spine. "
                                     "2001;1:1-2.", "doi": "10.1097/00007632-200101010-00001",
                                     "pmid": "11111111", "in_library": False}


def test_show_names_a_guidelines_web_page(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "nice.bib"
    bib.write_text("@misc{nice2023,\n  title = {Metastatic spinal cord compression in adults},"
                   "\n  author = {{National Institute for Health and Care Excellence}},\n"
                   "  year = {2023},\n  url = {https://www.nice.org.uk/guidance/ng234}\n}\n")
    db = str(tmp_path / "lib.sqlite")
    assert run(capsys, "--library", db, "import", str(bib))[0] == 0
    code, out, _ = run(capsys, "--library", db, "show", "nice2023")
    assert code == 0 and "Key: nice2023    URL https://www.nice.org.uk/guidance/ng234" in out
    code, out, _ = run(capsys, "--library", db, "show", "nice2023", "--json")
    assert json.loads(out)["url"] == "https://www.nice.org.uk/guidance/ng234"


def test_unknown_key_exit_1(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--library", str(libpath), "show", "nobody1999")
    assert code == 1 and "no article matches 'nobody1999'" in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "show")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2


def test_bad_facet_is_usage_error(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--library", str(libpath), "list", "--facet", "colour=blue")
    assert code == 2 and "--facet takes NAME=VALUE" in err


def test_a_facet_value_is_read_as_people_type_it(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """``--facet histology=myeloma`` found 0 articles without a word (the value's id is
    myeloma_plasmacytoma), as did a value that does not exist."""
    from spinelib.library import Library

    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(
            title="Radiotherapy for multiple myeloma of the lumbar spine: a randomised trial"))
    lib_args = ["--library", str(path), "list", "--json", "--facet"]
    for typed in ("histology=myeloma_plasmacytoma", "histology=myeloma",
                  "histology=Multiple myeloma / plasmacytoma", "histology=MYELOMA plasma",
                  "design=RCT", "design=Randomised Controlled Trial"):
        code, out, err = run(capsys, *lib_args, typed)
        assert code == 0 and len(json.loads(out)) == 1, (typed, err)
    code, out, err = run(capsys, *lib_args, "histology=glioma")
    assert code == 1 and out == "" and err.startswith(
        "spinelib: no histology value 'glioma'; histology takes breast, prostate, lung")
    assert "intradural" in err  # every value, so the right one can be typed
    code, _, err = run(capsys, *lib_args, "design=randomised")
    assert code == 1 and "design could be rct, controlled_trial_non_randomised" in err


def test_relevance_without_words_says_what_it_does(libpath: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--library", str(libpath), "list", "--sort", "relevance")
    assert code == 0 and "patchell2005direct" in out
    assert "note: --sort relevance ranks the words searched for; with none, the newest " \
           "added come first" in err
    _, _, err = run(capsys, "--library", str(libpath), "list", "--sort", "relevance",
                    "--search", "decompressive")
    assert "note:" not in err


def test_not_a_library_one_line_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    code, _, err = run(capsys, "--library", str(path), "list")
    assert code == 1
    assert err.count("\n") == 1 and "not a SpineLib library" in err
    assert path.read_text() == "hello\n"


def test_a_mistyped_library_path_is_said(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # A folder that does not exist: refused before anything (a log, a library) is written.
    code, out, err = run(capsys, "--library", str(tmp_path / "Dropbx" / "lib.sqlite"), "list")
    assert code == 1 and out == ""
    assert err.strip() == (f"spinelib: there is no folder {tmp_path / 'Dropbx'} for the "
                           "library lib.sqlite; check the path, or create the folder first")
    assert not (tmp_path / "Dropbx").exists()
    # A new file in an existing folder is a new library, and the first command says so.
    new = tmp_path / "libary.sqlite"
    code, out, err = run(capsys, "--library", str(new), "list")
    assert code == 0 and f"no library at {new} yet: a new one is created" in err
    code, out, err = run(capsys, "--library", str(new), "list")
    assert code == 0 and "a new one is created" not in err


def test_unwritable_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    code, _, err = run(capsys, "--library", str(blocker / "lib.sqlite"), "list")
    assert code == 1 and "cannot create" in err


def test_check_and_backup(libpath: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--library", str(libpath), "check")
    assert code == 0 and out.startswith("ok:")
    dest = tmp_path / "copy.sqlite"
    code, out, _ = run(capsys, "--library", str(libpath), "backup", str(dest))
    assert code == 0 and dest.exists()
    code, out, _ = run(capsys, "--library", str(dest), "list", "--json")
    assert len(json.loads(out)) == 1


def test_env_library_and_home(libpath: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SPINELIB_LIBRARY", str(libpath))
    assert len(json.loads(run(capsys, "list", "--json")[1])) == 1


def test_python_dash_m(libpath: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "spinelib", "--library", str(libpath), "list",
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["pmid"] == "16112300"


def test_tag_delete(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(libpath)]
    assert run(capsys, *lib, "tag", "create", "later")[0] == 0
    assert run(capsys, *lib, "tag", "add", "patchell2005direct", "later")[0] == 0
    code, out, _ = run(capsys, *lib, "tag", "delete", "later")
    assert code == 0 and "taken off 1 article;" in out
    assert json.loads(run(capsys, *lib, "show", "16112300", "--json")[1])["tags"] == []
    code, _, err = run(capsys, *lib, "tag", "delete", "later")
    assert code == 1 and "unknown tag" in err
    code, _, err = run(capsys, *lib, "tag", "delete", "SBRT")
    assert code == 1 and "belongs to the vocabulary" in err


def test_tags_lists_and_rekey(libpath: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(libpath)]
    assert run(capsys, *lib, "tag", "create", "To read, urgent")[0] == 0
    assert run(capsys, *lib, "tag", "add", "patchell2005direct", "To read, urgent")[0] == 0
    data = json.loads(run(capsys, *lib, "show", "16112300", "--json")[1])
    assert data["tags"] == ["To read, urgent"]
    code, _, err = run(capsys, *lib, "tag", "add", "16112300", "nonsense-tag")
    assert code == 1 and "unknown tag" in err
    # What an add or remove changed goes to stdout; what was already so, to stderr.
    assert run(capsys, *lib, "tag", "add", "16112300", "to read, URGENT", "kyphoplasty") == (
        0, "added: balloon_kyphoplasty\n", "already tagged: To read, urgent\n")
    assert run(capsys, *lib, "tag", "remove", "16112300", "kyphoplasty", "sbrt") == (
        0, "removed: balloon_kyphoplasty\n", "not tagged: sbrt_srs\n")
    code, _, err = run(capsys, *lib, "tag", "create", "TO READ, urgent")
    assert code == 1 and "tag 'To read, urgent' already exists" in err
    assert run(capsys, *lib, "lists", "create", "JC")[0] == 0
    assert run(capsys, *lib, "lists", "add", "JC", "16112300")[0] == 0
    # Again: nothing added, and why (on stderr); a removal of what is not there says so.
    assert run(capsys, *lib, "lists", "add", "jc", "16112300") == (
        0, "added 0 to 'JC'\n", "already in 'JC' (where it stays): 16112300\n")
    assert run(capsys, *lib, "lists", "remove", "JC", "patchell2005direct", "16112300") == (
        0, "removed 1 from 'JC'\n", "")
    assert run(capsys, *lib, "lists", "remove", "JC", "16112300") == (
        0, "removed 0 from 'JC'\n", "not in 'JC': 16112300\n")
    assert run(capsys, *lib, "lists", "add", "JC", "16112300")[0] == 0
    out = run(capsys, *lib, "lists", "show", "JC", "--json")[1]
    assert json.loads(out)[0]["citekey"] == "patchell2005direct"
    code, out, _ = run(capsys, *lib, "rekey", "16112300", "patchell:rct")
    assert code == 0 and "patchell:rct" in out


def _advertised_actions() -> list[tuple[str, str, set[str]]]:
    """(command, verb, the command's actions) for each one-word verb a command's line in
    ``spinelib --help`` names after its colon ("the trash: list, restore, empty")."""
    import argparse

    from spinelib.cli.parser import build_parser

    def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
        found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return found[0] if found else None

    top = subcommands(build_parser())
    assert top is not None
    lines = {c.dest: c.help or "" for c in top._choices_actions}
    out = []
    for name, parser in top.choices.items():
        actions = subcommands(parser)
        if actions is None or ":" not in lines[name]:
            continue
        for word in lines[name].split(":", 1)[1].split(","):
            verb = word.strip(" .…")
            if verb and " " not in verb:
                out.append((name, verb, set(actions.choices)))
    return out


def test_every_action_the_help_names_is_accepted() -> None:
    """`spinelib --help` says "the trash: list, restore, empty": each such verb must work
    (`trash list` was refused while the help offered it)."""
    advertised = _advertised_actions()
    assert ("trash", "list", {"list", "restore", "empty"}) in advertised
    assert [(name, verb) for name, verb, actions in advertised if verb not in actions] == []


def test_list_is_also_the_bare_command(libpath: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    lib = ["--library", str(libpath)]
    code, _, err = run(capsys, *lib, "lists")
    assert code == 0 and "no reading lists yet" in err
    assert run(capsys, *lib, "lists", "create", "JC")[0] == 0
    assert run(capsys, *lib, "lists", "list")[1] == run(capsys, *lib, "lists")[1] == "JC\t0\n"
    code, out, err = run(capsys, *lib, "lists", "show", "jc")
    assert code == 0 and out == "" and err == (
        "'JC' is empty; add articles with: spinelib lists add 'JC' KEY…\n")
    assert run(capsys, *lib, "lists", "add", "jc", "16112300")[1] == "added 1 to 'JC'\n"
    code, _, err = run(capsys, *lib, "lists", "show", "journal club")
    assert code == 1 and "no reading list named 'journal club'; reading lists: 'JC'" in err
    assert run(capsys, *lib, "lists", "remove", "jc", "16112300")[1] == "removed 1 from 'JC'\n"
    assert run(capsys, *lib, "delete", "16112300")[0] == 0
    bare = run(capsys, *lib, "trash", "--json")
    assert bare[0] == 0 and json.loads(bare[1])[0]["key"] == "patchell2005direct"
    assert run(capsys, *lib, "trash", "--json", "list") == bare
    bare = run(capsys, *lib, "exports")
    assert bare[0] == 0 and "no kept exports" in bare[2]
    assert run(capsys, *lib, "exports", "list") == bare


def test_styles_search_action_is_the_search_option(libpath: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(libpath)]
    code, out, _ = run(capsys, *lib, "styles", "--json", "--search", "vancouver superscript")
    found = [s["id"] for s in json.loads(out)]
    assert code == 0 and "nlm-citation-sequence-superscript" in found
    assert json.loads(run(capsys, *lib, "styles", "search", "vancouver", "superscript",
                          "--json")[1]) == json.loads(out)
    code, out, err = run(capsys, *lib, "styles", "search", "no-such-style-anywhere")
    assert code == 1 and out == "" and "0 styles" in err


def test_list_says_why_a_qualified_term_found_nothing(libpath: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(libpath)]
    code, out, err = run(capsys, *lib, "list", "--search", "year:abc")
    assert code == 0 and out == ""
    assert err.splitlines() == ["note: “year:” takes a year or a range of years (2005, "
                                "2015..2020 or 2015-2020, 2015.., ..2020, >2020, <=2010); "
                                "“year:abc” was searched as plain text.", "0 articles"]
    code, out, err = run(capsys, *lib, "list", "--search", "read:done", "--json")
    assert code == 0 and json.loads(out) == [] and "“read:” takes unread, reading or read" in err
    code, out, err = run(capsys, *lib, "list", "--search", "year:2006..2005")
    assert code == 0 and "patchell2005direct" in out and "note:" not in err
    code, out, err = run(capsys, *lib, "searches", "save", "Odd", "has:nothing")
    assert code == 0 and "saved 'Odd'" in out and "“has:” takes abstract, doi" in err
    assert "“has:” takes" in run(capsys, *lib, "list", "--saved", "Odd")[2]


def test_html_with_a_format_that_has_none_is_said(libpath: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--library", str(libpath), "export", "--format", "ris",
                         "--html")
    assert code == 0 and out.startswith("TY  - ")
    assert "warning: --html is for vancouver, ama and bibliography; ris is written" in err
    code, out, err = run(capsys, "--library", str(libpath), "export", "--format", "ama",
                         "--html")
    assert code == 0 and "<" in out and "--html" not in err


def test_show_names_tags_by_label_with_a_different_id(libpath: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A surgeon reads "Decompression and tumour resection", not its id; the id follows only
    where it is more than the label in other letters (the commands take either)."""
    lib = ["--library", str(libpath)]
    assert run(capsys, *lib, "tag", "create", "Journal club")[0] == 0
    assert run(capsys, *lib, "tag", "add", "16112300", "Journal club", "separation_surgery",
               "decompression_resection")[0] == 0
    out = run(capsys, *lib, "show", "16112300")[1]
    tags = next(line for line in out.splitlines() if line.startswith("Tags: "))
    assert sorted(tags.removeprefix("Tags: ").split("; ")) == [
        "Decompression and tumour resection [decompression_resection]", "Journal club",
        "Separation surgery"]
    data = json.loads(run(capsys, *lib, "show", "16112300", "--json")[1])
    assert data["tag_labels"]["decompression_resection"] == "Decompression and tumour resection"
    assert all({"id", "label", "reason"} <= set(s) for s in data["suggested_tags"])


def test_lists_move_reorders_from_the_command_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The GUI reorders a reading list by dragging; ``lists move`` does it by place (the
    rest keep their order), undoably, and refuses what is not in the list."""
    from tests.core.helpers import make_record

    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        for n in range(4):
            lib.articles.add_record(make_record(title=f"Paper {n}", doi=f"10.1/{n}",
                                                pmid=str(100 + n), citekey=f"p{n}"))
    lib_args = ["--library", str(path)]
    run(capsys, *lib_args, "lists", "create", "JC")
    run(capsys, *lib_args, "lists", "add", "JC", "p0", "p1", "p2", "p3")

    def order() -> list[str]:
        out = run(capsys, *lib_args, "lists", "show", "JC", "--json")[1]
        return [e["citekey"] for e in json.loads(out)]

    assert run(capsys, *lib_args, "lists", "move", "JC", "p3", "--to", "1")[0] == 0
    assert order() == ["p3", "p0", "p1", "p2"]
    assert run(capsys, *lib_args, "lists", "move", "JC", "p1", "p3", "--to", "2")[0] == 0
    assert order() == ["p0", "p3", "p1", "p2"]  # together, in the list's order
    assert run(capsys, *lib_args, "lists", "move", "JC", "p0", "--to", "99")[0] == 0
    assert order() == ["p3", "p1", "p2", "p0"]
    assert run(capsys, *lib_args, "undo")[0] == 0
    assert order() == ["p0", "p3", "p1", "p2"]
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(title="Outside", doi="10.1/x", pmid="999",
                                            citekey="px"))
    code, _o, err = run(capsys, *lib_args, "lists", "move", "JC", "px", "--to", "1")
    assert code == 1 and "not in 'JC': px" in err
    assert run(capsys, *lib_args, "lists", "move", "JC", "p0", "--to", "0")[0] == 2
    assert order() == ["p0", "p3", "p1", "p2"]


@pytest.mark.parametrize(("name", "starts"), [
    ("refs.bib", "@article{patchell2005direct,"), ("refs.RIS", "TY  - JOUR"),
    ("refs.json", "[\n  {\n    \"id\": \"patchell2005direct\""), ("refs.csv", "citekey,first_author,")])
def test_export_format_from_the_output_suffix(libpath: Path, tmp_path: Path, name: str,
                                              starts: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`export -o refs.bib` writes BibTeX without being told, as a save dialog would."""
    out = tmp_path / name
    code, _, err = run(capsys, "--library", str(libpath), "export", "-o", str(out))
    assert code == 0 and "wrote 1 " in err
    assert out.read_text(encoding="utf-8").lstrip("\ufeff").startswith(starts)


def test_export_format_from_docx_with_a_style(libpath: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "refs.docx"
    code, _, err = run(capsys, "--library", str(libpath), "export", "-o", str(out),
                       "--style", "vancouver")
    assert code == 0 and out.read_bytes().startswith(b"PK"), err


@pytest.mark.parametrize("extra", [[], ["-o", "refs.txt"], ["-o", "refs.docx"],
                                   ["-o", "refs"]])
def test_export_without_a_format_it_can_tell_says_so(libpath: Path, tmp_path: Path,
                                                     extra: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    args = [a if not a.startswith("refs") else str(tmp_path / a) for a in extra]
    code, out, err = run(capsys, "--library", str(libpath), "export", *args)
    assert code == 2 and out == ""
    assert "say which format with --format" in err and ".bib (bibtex)" in err
    assert not any(p.name.startswith("refs") for p in tmp_path.iterdir())


def test_an_output_named_for_another_format_is_refused(libpath: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`-o refs.bib --format ris` would have overwritten the manuscript's .bib with RIS."""
    out = tmp_path / "refs.bib"
    out.write_text("@article{mine, title={Kept}}\n", encoding="utf-8")
    code, printed, err = run(capsys, "--library", str(libpath), "export", "-o", str(out),
                             "--format", "ris")
    assert code == 2 and printed == ""
    assert "refs.bib is named as bibtex, but --format ris writes .ris; name the file " \
           "refs.ris" in err
    assert out.read_text(encoding="utf-8") == "@article{mine, title={Kept}}\n"
    # Formats that share a suffix, and names no format claims, are written as asked.
    for name, fmt in [("refs.bib", "biblatex"), ("refs.txt", "ris"), ("refs", "csljson")]:
        code, _, err = run(capsys, "--library", str(libpath), "export", "-o",
                           str(tmp_path / name), "--format", fmt)
        assert code == 0, err
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8").startswith("@article{")
    # An evidence table's name reads as well as a .bib's ("a evidence-xlsx file" read badly).
    code, _, err = run(capsys, "--library", str(libpath), "export", "-o",
                       str(tmp_path / "table.xlsx"), "--format", "bibtex")
    assert code == 2
    assert "table.xlsx is named as evidence-xlsx, but --format bibtex writes .bib" in err
