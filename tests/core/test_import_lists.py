"""Importing into a reading list (``spinelib import --list``, :mod:`spinelib.importlists`):
every article the import brings or finds joins the list, once, in the report's order; an
identifier queued offline remembers the list and joins it when a retry fetches it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import responses

from spinelib.library import Library
from spinelib.store.sqlite import migrations
from tests.core.helpers import before_column_step
from tests.core.test_import_pipeline import EUTILS, cli, efetch, fast_settings, served

__all__ = ["fast_settings", "served"]  # fixtures, used by name

NBIB = Path(__file__).resolve().parent.parent / "data" / "formats" / "pubmed_send_to.nbib"


def _keys(lib: Path, name: str) -> list[str]:
    with Library.open(lib) as library:
        return [library.articles.citekey(i) for i in library.lists.items(name)]


def _offline(capsys: pytest.CaptureFixture[str], lib: Path, *args: str
             ) -> tuple[int, str, str]:
    """``spinelib ARGS`` with no network: every request fails to connect."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, re.compile(r".*"), body=requests.ConnectionError("offline"))
        rsps.add(responses.POST, re.compile(r".*"), body=requests.ConnectionError("offline"))
        return cli(capsys, lib, *args)


def _online(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    """``spinelib ARGS`` with PubMed's efetch answering."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        for method in (responses.GET, responses.POST):
            rsps.add_callback(method, re.compile(re.escape(EUTILS) + r"/efetch\.fcgi.*"),
                              callback=efetch)
        return cli(capsys, lib, *args)


def test_a_file_imported_into_a_list(tmp_path: Path, fast_settings: None,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    assert cli(capsys, lib, "lists", "create", "Separation surgery review")[0] == 0
    code, out, _err = cli(capsys, lib, "import", "--list", "separation SURGERY review",
                          str(NBIB))
    assert code == 0
    assert out.splitlines()[-1] == ("4 imported, 4 added to the reading list "
                                    "'Separation surgery review'")
    reported = re.findall(r": imported as (\S+) \(", out)
    first = _keys(lib, "Separation surgery review")
    assert len(reported) == 4 and first == reported  # the report's order
    # Again: the articles are held, and already in the list: nothing doubles.
    code, out, _err = cli(capsys, lib, "import", "--list", "Separation surgery review",
                          str(NBIB))
    assert code == 0 and out.splitlines()[-1] == (
        "4 unchanged, 0 added to the reading list 'Separation surgery review'")
    assert _keys(lib, "Separation surgery review") == first


def test_an_unknown_list_stops_the_import_before_any_work(
        tmp_path: Path, fast_settings: None, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    code, out, err = cli(capsys, lib, "import", "--list", "Nosuch", str(NBIB))
    assert code == 1 and out == ""
    assert "no reading list named 'Nosuch'" in err and "spinelib lists create" in err
    with Library.open(lib) as library:
        assert library.search.ids() == []


def test_queued_offline_it_joins_the_list_when_fetched(
        tmp_path: Path, fast_settings: None, capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    assert cli(capsys, lib, "lists", "create", "Journal club")[0] == 0
    code, _out, err = _offline(capsys, lib, "import", "--list", "journal club", "16112300",
                               "--no-refs")
    assert code == 1 and "16112300: queued" in err
    pending = cli(capsys, lib, "pending")[1]
    assert "for the reading list 'Journal club'" in pending
    assert _keys(lib, "Journal club") == []
    code, out, _err = _online(capsys, lib, "pending", "--retry")
    assert code == 0 and "1 added to the reading list 'Journal club'" in out
    assert _keys(lib, "Journal club") == ["patchell2005direct"]


def test_a_list_deleted_while_queued_is_a_warning(tmp_path: Path, fast_settings: None,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "lib.sqlite"
    assert cli(capsys, lib, "lists", "create", "Gone soon")[0] == 0
    _offline(capsys, lib, "import", "--list", "Gone soon", "16112300", "--no-refs")
    assert cli(capsys, lib, "lists", "delete", "Gone soon")[0] == 0
    code, out, err = _online(capsys, lib, "pending", "--retry")
    assert code == 0 and "1 imported" in out
    assert "the reading list 'Gone soon' no longer exists; 1 article not added to it" in err


def test_queueing_again_keeps_what_every_request_asked(lib_path: Path) -> None:
    """Imported twice while offline, with other tags or lists the second time: the retry
    gives it both requests' tags and lists (the first ones first), and counts the tries."""
    with Library.open(lib_path) as library:
        library.pending.queue("16112300", "offline", tags=["a"], lists=["A"])
        library.pending.queue("16112300", "offline again")
        library.pending.queue("16112300", "offline", tags=["b", "a"], lists=["B"])
        library.pending.queue("21333599", "offline")
        first, second = library.pending.all()
    assert (first.tags, first.lists, first.attempts, first.reason) == (
        ["a", "b"], ["A", "B"], 3, "offline")
    assert (second.tags, second.lists) == ([], [])


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    return tmp_path / "lib.sqlite"


def test_step_18_gives_older_queue_entries_no_list(lib_path: Path) -> None:
    """A library written before schema 18: its queued identifiers keep every field and are
    asked for no reading list."""
    with Library.open(lib_path) as library:
        library.pending.queue("16112300", "offline", tags=["decompression_resection"])
    before_column_step(lib_path, "pending_import", "lists", 17)
    with Library.open(lib_path) as library:
        (entry,) = library.pending.all()
        assert library.schema_version() == migrations.SCHEMA_VERSION >= 18
    assert (entry.identifier, entry.tags, entry.lists) == (
        "16112300", ["decompression_resection"], [])


def test_a_papers_references_imported_into_a_list(tmp_path: Path, served: object,
                                                  fast_settings: None,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The resident's way: a key paper's references, fetched straight into the list."""
    lib = tmp_path / "lib.sqlite"
    assert cli(capsys, lib, "import", "16112300")[0] == 0
    assert cli(capsys, lib, "lists", "create", "Core reading")[0] == 0
    code, out, err = cli(capsys, lib, "refs", "patchell2005direct", "--all", "--list",
                         "core reading")
    assert code == 1 and "reference 3: failed (no DOI or PMID" in err  # text only
    assert "imported as berenson2011balloon" in out
    assert "1 added to the reading list 'Core reading'" in out
    assert _keys(lib, "Core reading") == ["berenson2011balloon"]
    code, _out, err = cli(capsys, lib, "refs", "patchell2005direct", "--all", "--list", "x")
    assert code == 1 and "no reading list named 'x'" in err
