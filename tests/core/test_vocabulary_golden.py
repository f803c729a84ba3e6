"""The vocabulary's answers frozen: speed work on the suggester must not change one output.

``tests/data/vocabulary_golden.json.gz`` holds, for every record of the labelled sets
(``tests/data/taxonomy/*.xml``) and for 2,000 generated benchmark articles, everything
:func:`~spinelib.vocabulary.explain` and :func:`~spinelib.vocabulary.facets` say about it: tag
ids with their reasons, the techniques left out with why, and the facet values with labels and
reasons. The generated articles are stored as the vocabulary reads them (title, keywords,
abstract, MeSH with qualifiers, publication types), so a change to ``benchmarks/corpus.py``
cannot move this test. The file was written by the code *before* the issue-19 speed-up
(``--write`` below), with one fix first: gapped-term hits in text order, because a set's
hash-seed order made one labelled record's reason differ between processes. A
legitimate change of the vocabulary's answers (a new taxonomy version, a quality fix) rewrites
it on purpose, in its own commit that says why.

Regenerate: ``/work/venv/bin/python -m tests.core.test_vocabulary_golden --write``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from spinelib.formats.pubmed_xml import parse_pubmed_xml
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary import Taxonomy, explain, facets, load_taxonomy, suggest
from spinelib.vocabulary.batch import suggestions_and_facets

DATA = Path(__file__).resolve().parent.parent / "data"
GOLDEN = DATA / "vocabulary_golden.json.gz"
#: The benchmark corpus slice frozen into the golden file (seed, first index, count).
CORPUS_SEED, CORPUS_START, CORPUS_COUNT = 42, 0, 2000


def _record_input(record: ArticleRecord) -> dict[str, Any]:
    """The parts of a record the vocabulary reads (see ``vocabulary/document.py`` and
    ``design.py``), as plain JSON."""
    return {"pmid": record.pmid, "title": record.title, "abstract": record.abstract,
            "keywords": list(record.keywords),
            "publication_types": list(record.publication_types),
            "mesh": [[m.ui, m.name, m.major, list(m.qualifiers)] for m in record.mesh]}


def _record_from(data: dict[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        pmid=data["pmid"], title=data["title"], abstract=data["abstract"],
        keywords=list(data["keywords"]), publication_types=list(data["publication_types"]),
        mesh=[MeshHeading(ui, name, major, list(quals))
              for ui, name, major, quals in data["mesh"]])


def _answers(record: ArticleRecord, tax: Taxonomy) -> dict[str, Any]:
    why = explain(record, tax)
    return {"suggested": [[s.tag_id, s.reason] for s in why.suggested],
            "not_suggested": [[s.tag_id, s.reason] for s in why.not_suggested],
            "facets": [[f.facet, f.value, f.label, f.reason] for f in facets(record, tax)]}


def _labelled_records() -> list[tuple[str, ArticleRecord]]:
    out = []
    for path in sorted((DATA / "taxonomy").glob("*.xml")):
        for i, record in enumerate(parse_pubmed_xml(path.read_bytes())):
            out.append((f"{path.name}#{i}", record))
    return out


def _write() -> None:
    """Freeze the current code's answers (run from the worktree root)."""
    from benchmarks import corpus

    tax = load_taxonomy()
    generated = [corpus.article(CORPUS_SEED, i)
                 for i in range(CORPUS_START, CORPUS_START + CORPUS_COUNT)]
    doc = {
        "note": "frozen vocabulary answers; see tests/core/test_vocabulary_golden.py",
        "labelled": {key: _answers(rec, tax) for key, rec in _labelled_records()},
        "generated": [{"input": _record_input(rec), "answers": _answers(rec, tax)}
                      for rec in generated],
    }
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    GOLDEN.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size:,} bytes)")


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    return loaded


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def test_golden_covers_what_it_claims(golden: dict[str, Any]) -> None:
    """The frozen file is the whole labelled set and the 2,000 generated articles, and it
    exercises every kind of answer (so an empty answer list cannot pass as 'unchanged')."""
    assert sorted(golden["labelled"]) == sorted(k for k, _ in _labelled_records())
    assert len(golden["labelled"]) > 250
    assert len(golden["generated"]) == CORPUS_COUNT
    every = list(golden["labelled"].values()) + [g["answers"] for g in golden["generated"]]
    for part in ("suggested", "not_suggested", "facets"):
        assert sum(len(a[part]) for a in every) > 500, part


def test_labelled_records_answer_as_frozen(golden: dict[str, Any], tax: Taxonomy) -> None:
    for key, record in _labelled_records():
        assert _answers(record, tax) == golden["labelled"][key], key


def test_generated_records_answer_as_frozen(golden: dict[str, Any], tax: Taxonomy) -> None:
    for item in golden["generated"]:
        record = _record_from(item["input"])
        assert _answers(record, tax) == item["answers"], record.pmid


def test_bulk_entry_point_and_suggest_agree_with_frozen(golden: dict[str, Any],
                                                       tax: Taxonomy) -> None:
    """What the bulk import calls (one shared Doc) and ``suggest`` give the frozen answers."""
    cases = [(rec, golden["labelled"][key]) for key, rec in _labelled_records()]
    cases += [(_record_from(g["input"]), g["answers"]) for g in golden["generated"][:500]]
    for record, want in cases:
        suggested, found = suggestions_and_facets(record, tax)
        assert [[s.tag_id, s.reason] for s in suggested] == want["suggested"], record.pmid
        assert [[f.facet, f.value, f.label, f.reason] for f in found] == want["facets"]
        assert [[s.tag_id, s.reason] for s in suggest(record, tax)] == want["suggested"]
        none, found_alone = suggestions_and_facets(record, tax, suggest_tags=False)
        assert none == [] and found_alone == found


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.core.test_vocabulary_golden --write")
    _write()
