"""The vocabulary reads only :data:`~spinelib.vocabulary.batch.VOCABULARY_FIELDS` of a record,
so the helper process of a bulk import, which is sent only those
(:func:`spinelib.bulkvocab.vocabulary_input`), answers as the whole record would (issue 19).
A vocabulary change that reads another field fails here first: add it to the tuple."""

from __future__ import annotations

from typing import Any

import pytest

from spinelib.bulkvocab import vocabulary_input
from spinelib.records import ArticleRecord, MeshHeading
from spinelib.vocabulary import load_taxonomy
from spinelib.vocabulary.batch import VOCABULARY_FIELDS, suggestions_and_facets
from spinelib.vocabulary.taxonomy import Taxonomy

from .helpers import make_record

FIELDS = {f for f in ArticleRecord.__dataclass_fields__}


class _Watched(ArticleRecord):
    """A record that notes every field read from it."""

    read: set[str]

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            object.__getattribute__(self, "read").add(name)
        return object.__getattribute__(self, name)


def _watched(record: ArticleRecord) -> _Watched:
    out = object.__new__(_Watched)
    out.__dict__.update(record.__dict__)
    out.__dict__["read"] = set()
    return out


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _records() -> list[ArticleRecord]:
    from benchmarks import corpus

    rich = make_record(keywords=["separation surgery", "SBRT"], mesh=[
        MeshHeading("D013125", "Spinal Neoplasms", True, ["surgery", "secondary"]),
        MeshHeading("D011859", "Radiotherapy", False)],
        publication_types=["Journal Article", "Comparative Study", "Review"],
        title="Vertebroplasty versus kyphoplasty for myeloma: a review",
        notes="read later", tags=["reading"], citekey="x2020y", book_title="Spine surgery",
        journal="Spine", publisher="Thieme")
    return [rich, *corpus.articles(7, 0, 60)]


def test_the_vocabulary_reads_only_its_fields(taxonomy: Taxonomy) -> None:
    read: set[str] = set()
    for record in _records():
        for suggest in (True, False):
            watched = _watched(record)
            suggestions_and_facets(watched, taxonomy, suggest_tags=suggest)
            read |= watched.read
    assert read <= set(VOCABULARY_FIELDS), sorted(read - set(VOCABULARY_FIELDS))
    assert read == set(VOCABULARY_FIELDS)  # and every one of them is read (none is stale)


def test_a_record_cut_to_its_fields_gets_the_same_answers(taxonomy: Taxonomy) -> None:
    answered = 0
    for record in _records():
        whole = suggestions_and_facets(record, taxonomy)
        assert suggestions_and_facets(vocabulary_input(record), taxonomy) == whole
        answered += bool(whole[0] or whole[1])
    assert answered > 40  # the records do get suggestions and facets to compare
