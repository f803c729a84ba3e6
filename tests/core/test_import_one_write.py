"""An identifier import stores each round's articles, the citation counts and notices their
replies carried, and the pending queue's update in one transaction (the brief: "every
database write is one transaction: a failure leaves no half article behind")."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.identifiers import parse_identifier
from spinelib.importer import ImportItem, _store_found
from spinelib.library import Library
from spinelib.sources.lookups import Resolution

from .helpers import make_record


def _found(n: int) -> tuple[list, dict]:
    found, resolved = [], {}
    for i in range(n):
        ident = parse_identifier(str(31000 + i))
        rec = make_record(pmid=str(31000 + i), doi=f"10.5555/one.{i}", title=f"Series {i}")
        found.append((ident, rec))
        resolved[ident] = Resolution(ident, "found", rec, citation_counts={"crossref": 5 + i})
    return found, resolved


def test_the_articles_and_their_counts_land_together(tmp_path: Path) -> None:
    found, resolved = _found(3)
    items: dict[object, ImportItem] = {}
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.pending.queue("31001", "offline")
        _store_found(lib, found, {}, items, tags=(), resolved=resolved)  # type: ignore[arg-type]
        assert lib.search.count() == 3 and len(items) == 3
        counts = [c.count for i in lib.search.ids()
                  for c in lib.retractions.citation_counts(i)]
        assert sorted(counts) == [5, 6, 7]
        assert lib.pending.all() == []


def test_a_failure_after_the_articles_leaves_none_of_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found, resolved = _found(3)
    items: dict[object, ImportItem] = {}
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.pending.queue("31001", "offline")

        def broken(counts: object) -> None:
            raise RuntimeError("disk full while storing the counts")

        monkeypatch.setattr(lib.retractions, "record_counts", broken)
        with pytest.raises(RuntimeError):
            _store_found(lib, found, {}, items, tags=(), resolved=resolved)  # type: ignore[arg-type]
        # Before, the articles were committed first and stayed without their counts.
        assert lib.search.count() == 0
        assert items == {}  # nothing reported as imported
        assert len(lib.pending.all()) == 1  # still queued, so a later run completes it
