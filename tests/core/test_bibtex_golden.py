"""The .bib writers' output, byte for byte, over 240 varied records (issue 19: the export was
made faster; its output must not change by a byte).

``tests/data/export_golden/`` holds the records (hostile ones of every type: non-ASCII of many
scripts, LaTeX specials, braces, ligature pairs, odd whitespace, corporate and odd authors,
suffixes, invalid and repeated keys, missing fields, bad dates; and 40 records of a benchmark
library) and what the writers wrote for them before the speed work (``make_golden.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from spinelib.formats.bibtex import write_biblatex, write_bibtex
from spinelib.records import ArticleRecord, Author

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "export_golden"


def _record(data: dict[str, Any]) -> ArticleRecord:
    authors = [Author(**a) for a in data.pop("authors")]
    return ArticleRecord(authors=authors, **data)


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    data = json.loads((GOLDEN / "records.json").read_text(encoding="utf-8"))
    return [_record(d) for d in data]


@pytest.mark.parametrize(("name", "biblatex", "abstracts"), [
    ("bibtex", False, False), ("bibtex_abstracts", False, True),
    ("biblatex", True, False), ("biblatex_abstracts", True, True)])
def test_the_writers_reproduce_the_golden_bytes(records: list[ArticleRecord], name: str,
                                                biblatex: bool, abstracts: bool) -> None:
    writer = write_biblatex if biblatex else write_bibtex
    expected = (GOLDEN / f"{name}.bib").read_bytes()
    assert len(records) == 240
    assert expected.count(b"\n@") + 1 == len(records)
    first = writer(records, abstracts=abstracts).encode("utf-8")
    assert first == expected
    # Again in the same process: whatever the writers remember between exports must not
    # change what they write.
    assert writer(records, abstracts=abstracts).encode("utf-8") == expected


def test_each_record_alone_writes_its_golden_entry(records: list[ArticleRecord]) -> None:
    """An entry does not depend on the entries around it, except for its key (a repeated
    key gets a suffix): written alone, each record's entry matches the golden one but for
    the key."""
    golden = (GOLDEN / "bibtex.bib").read_text(encoding="utf-8").split("\n\n")
    assert len(golden) == len(records)
    for record, expected in zip(records, golden, strict=True):
        alone = write_bibtex([record]).rstrip("\n")
        assert alone.split("\n", 1)[1:] == expected.rstrip("\n").split("\n", 1)[1:]
