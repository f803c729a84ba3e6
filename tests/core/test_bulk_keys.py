"""Citation keys of the bulk import path (issue 19): decided from a few set look-ups, yet the
same keys and messages as the per-record merge, whatever the library already holds (keys in
another letter case, suffixed keys) and whatever the run repeats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.records import ArticleRecord, Author

from .helpers import make_record
from .test_bulk_import import dump, one_by_one


def smith(i: int, **overrides: object) -> ArticleRecord:
    """A record whose generated key starts 'smith2020spinal'."""
    fields: dict[str, object] = dict(
        doi=f"10.5555/key{i}", pmid=str(7300000 + i), pmcid="", citekey="",
        title=f"Spinal metastases treated by separation surgery, series {i}",
        authors=[Author("Smith", "Ann", "A")], year=2020, references=[])
    fields.update(overrides)
    return make_record(**fields)


JONES = [Author("Jones", "Bo", "B")]


def seeded(path: Path) -> Library:
    """A library whose keys sit where the input's keys will be generated, in other cases."""
    lib = Library.open(path)
    lib.articles.add_records([smith(100, citekey="SMITH2020SPINAL"),
                              smith(101, citekey="Smith2020SpinalA"),
                              smith(102, citekey="smith2020spinalc"),
                              smith(103, citekey="Other2001Key"),
                              smith(104, citekey="JONES2020SPINAL", authors=JONES)])
    return lib


def keyed_input() -> list[ArticleRecord]:
    return [
        smith(1),  # base and 'a' are used (other cases): 'b'
        smith(2),  # 'b' taken earlier in the run, 'c' in the library: 'd'
        smith(3, citekey="own2019key"),  # its own key, free
        # Its own key again (other case, same run): a base no other record of the run has,
        # used in the library.
        smith(4, citekey="OWN2019KEY", authors=JONES),
        smith(5, citekey="other2001key"),  # its own key is used in the library
        smith(6, citekey="not a key"),  # invalid
        smith(7, citekey="Fresh2021Key"),
    ]


def test_bulk_keys_equal_the_per_record_merge(tmp_path: Path) -> None:
    records = keyed_input()
    with seeded(tmp_path / "bulk.sqlite") as lib:
        statements: list[str] = []
        lib.store.engine.listeners.append(statements.append)  # type: ignore[attr-defined]
        bulk = lib.articles.add_records(records)
    with seeded(tmp_path / "single.sqlite") as lib:
        single = one_by_one(lib, records)
    assert bulk == single
    assert [r.citekey for r in bulk] == [
        "smith2020spinalb", "smith2020spinald", "own2019key", "jones2020spinala",
        "smith2020spinale", "smith2020spinalf", "Fresh2021Key"]
    assert [bool(r.messages) for r in bulk] == [False, False, False, True, True, True, False]
    assert "is already used" in bulk[3].messages[0]
    assert "is not a valid key" in bulk[5].messages[0]
    a, b = dump(tmp_path / "bulk.sqlite"), dump(tmp_path / "single.sqlite")
    assert a["article"] == b["article"]
    # Keys are looked up as sets: no statement per key tried. (A statement that finds
    # rows by citation key; the identifier look-ups only return the holders' keys.)
    key_reads = [s for s in statements if re.search(r"\b(?:WHERE|ON|AND)\s+(?:\w+\.)?citekey\b", s)
                 and s.lstrip().startswith(("SELECT", "WITH"))]
    assert len(key_reads) <= 4, key_reads


def test_many_records_on_one_base_search_its_suffixes_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """800 records with one base key (the same first author, year and first title word):
    each key is tried from where the last one's search stopped, not from 'a' again, and the
    keys are still the per-record merge's."""
    from spinelib.library.bulk_keys import CitekeyBook

    tried: list[str] = []
    taken = CitekeyBook._taken

    def counting(book: CitekeyBook, key: str) -> bool:
        tried.append(key)
        return taken(book, key)

    records = [smith(i, title=f"Spinal cohort {i}") for i in range(800)]
    with seeded(tmp_path / "bulk.sqlite") as lib:
        monkeypatch.setattr(CitekeyBook, "_taken", counting)
        bulk = lib.articles.add_records(records)
        monkeypatch.undo()
    with seeded(tmp_path / "single.sqlite") as lib:
        single = one_by_one(lib, records[:60])
    assert [r.citekey for r in bulk[:60]] == [r.citekey for r in single]
    # The library holds the base, 'a' and 'c' in other cases: the run takes 'b', 'd', 'e' …
    assert [r.citekey for r in bulk[:3]] == [
        "smith2020spinalb", "smith2020spinald", "smith2020spinale"]
    assert len({r.citekey.lower() for r in bulk}) == 800
    assert len(tried) < 3 * 800  # it tried every earlier suffix again: 320,000
