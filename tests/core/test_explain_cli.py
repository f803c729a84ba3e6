"""``spinelib explain KEY``: the suggestions and the techniques left out, each with why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.library import Library

from .helpers import make_record

ABSTRACT = ("METHODS: We reviewed 96 patients treated with stereotactic body radiotherapy. "
            "No patient underwent vertebroplasty.\n\nRESULTS: Six patients later required "
            "sacroplasty.")


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_record(make_record(title="Spine radiosurgery for metastases",
                                            abstract=ABSTRACT, keywords=[], mesh=[]))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_prints_both_lists_with_roles(libpath: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--library", str(libpath), "explain", "patchell2005spine")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "suggested:"
    assert lines[1].startswith("  sbrt_srs\t") and lines[1].endswith("title: 'Spine radiosurgery'")
    assert lines[2] == "not suggested:"
    assert "  percutaneous_vertebroplasty\tPercutaneous vertebroplasty\tnegated in methods: " \
           "'underwent vertebroplasty'" in lines
    assert any(x.startswith("  sacroplasty\t") and "an outcome event in results" in x
               for x in lines)


def test_explain_json_and_what_is_stored(libpath: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--library", str(libpath), "explain", "id:1", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"suggested", "not_suggested"}
    assert [s["id"] for s in data["suggested"]] == ["sbrt_srs"]
    assert {s["id"] for s in data["not_suggested"]} == {"percutaneous_vertebroplasty",
                                                        "sacroplasty"}
    assert all(s["reason"].startswith("not suggested: ") for s in data["not_suggested"])
    with Library.open(libpath) as lib:  # only the suggestions were stored on import
        assert [t.id for t in lib.tags.state(1).suggested] == ["sbrt_srs"]


def test_explain_an_unknown_key_is_a_plain_error(libpath: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--library", str(libpath), "explain", "nosuch")
    assert code == 1 and out == ""
    assert err == "spinelib: no article matches 'nosuch'\n"
