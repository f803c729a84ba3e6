"""The shipped sample library: found as a resource, facts only, imported offline and merged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib import formats, paths, sample
from spinelib.errors import LibraryError
from spinelib.identifiers import parse_identifier
from spinelib.library import Library
from spinelib.serialize import article_json

#: Papers the welcome panel promises; a change to the file must change this on purpose.
EXPECTED_PAPERS = 14


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "empty.sqlite")
    yield lib
    lib.close()


def test_sample_is_a_shipped_resource() -> None:
    path = sample.sample_path()
    assert path.is_file()
    # Found through the package (importlib.resources), not a path relative to the checkout.
    assert path == paths.resource(sample.SAMPLE_RESOURCE)
    assert path.parent.parent.name == "resources"


def test_sample_reads_cleanly_with_the_format_registry() -> None:
    result = formats.read_file(sample.sample_path())
    assert result.problems == []
    assert result.warnings == []
    assert len(result.records) == EXPECTED_PAPERS


def test_sample_holds_bibliographic_facts_only() -> None:
    raw = sample.sample_path().read_text(encoding="utf-8")
    # No abstract in any of the tags RIS readers take abstracts from.
    assert not any(line.startswith(("AB  -", "N2  -")) for line in raw.splitlines())
    records = formats.read_file(sample.sample_path()).records
    for rec in records:
        assert rec.abstract == ""
        assert rec.title and rec.authors and rec.journal and rec.journal_abbrev
        assert rec.year and 1990 <= rec.year <= 2030
        assert rec.volume and rec.pages
    # Every identifier is well-formed and none is shared by two papers.
    for kind in ("doi", "pmid", "pmcid"):
        values = [getattr(r, kind) for r in records if getattr(r, kind)]
        assert len(values) == len(set(values)), kind
        for value in values:
            assert parse_identifier(value).kind == kind


def test_load_sample_imports_every_paper_offline(library: Library) -> None:
    # The conftest points every service at 127.0.0.1:9: a network call would fail the import.
    assert library.search.count() == 0
    assert sample.load_sample(library) == EXPECTED_PAPERS
    assert library.search.count() == EXPECTED_PAPERS
    patchell = article_json(library, library.articles.resolve_key("16112300"))
    assert patchell["doi"] == "10.1016/s0140-6736(05)66954-1"
    assert patchell["journal"] == "Lancet"
    assert patchell["pages"] == "643-648"
    assert patchell["abstract"] == ""
    hoskin = article_json(library, library.articles.resolve_key("PMC6902166"))
    assert hoskin["year"] == 2019 and hoskin["volume"] == "322"


def test_loading_twice_merges_instead_of_duplicating(library: Library) -> None:
    sample.load_sample(library)
    library.articles.set_notes(library.articles.resolve_key("16112300"), "read for journal club")
    assert sample.load_sample(library) == EXPECTED_PAPERS
    assert library.search.count() == EXPECTED_PAPERS
    assert article_json(library, library.articles.resolve_key("16112300"))["notes"] == "read for journal club"


def test_missing_sample_is_a_plain_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         library: Library) -> None:
    monkeypatch.setattr(paths, "resource", lambda name: tmp_path / "nowhere" / name)
    with pytest.raises(LibraryError, match="reinstall"):
        sample.sample_path()
    with pytest.raises(LibraryError):
        sample.load_sample(library)
    assert library.search.count() == 0
