"""records.copy_record: equal to the original, sharing none of its mutable parts (issue 19:
it replaced copy.deepcopy on the identifier-import path, so it must be as deep)."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from spinelib.records import (
    ArticleRecord,
    Author,
    MeshHeading,
    ReferenceEntry,
    copy_record,
    copy_references,
    initials_of,
)


def _full_record() -> ArticleRecord:
    """A record with every list field filled (an empty list must not be shared either)."""
    return ArticleRecord(
        title="Stereotactic body radiotherapy for spinal metastases", year=2021, month=3,
        authors=[Author("Sahgal", "Arjun", "A"), Author(collective="SPINO Group")],
        doi="10.1/x", pmid="123", pmcid="PMC1", abstract="BACKGROUND: text",
        publication_types=["Journal Article", "Review"],
        mesh=[MeshHeading("D013131", "Spinal Neoplasms", True, ["secondary", "surgery"])],
        keywords=["SBRT"], references=[ReferenceEntry(1, "A ref", doi="10.2/y", pmid="9")],
        tags=["sbrt"], notes="n", citekey="Sahgal2021")


def _shared_mutables(a: Any, b: Any, where: str) -> list[str]:
    """Paths at which ``a`` and ``b`` hold the very same list or dataclass instance."""
    found: list[str] = []
    if (isinstance(a, list | dict) or dataclasses.is_dataclass(a)) and a is b:
        found.append(where)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        for f in dataclasses.fields(a):
            found += _shared_mutables(getattr(a, f.name), getattr(b, f.name),
                                      f"{where}.{f.name}")
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found += _shared_mutables(x, y, f"{where}[{i}]")
    return found


def test_copy_equals_original_and_shares_nothing_mutable() -> None:
    rec = _full_record()
    out = copy_record(rec)
    assert out == rec == copy.deepcopy(rec)
    assert _shared_mutables(rec, out, "record") == []


def test_every_list_field_is_covered() -> None:
    """A list field added to ArticleRecord later is caught here even while empty."""
    empty = ArticleRecord()
    out = copy_record(empty)
    list_fields = [f.name for f in dataclasses.fields(ArticleRecord)
                   if isinstance(getattr(empty, f.name), list)]
    assert list_fields  # the check below is not vacuous
    shared = [name for name in list_fields if getattr(out, name) is getattr(empty, name)]
    assert shared == []


def test_editing_the_copy_leaves_the_original() -> None:
    rec = _full_record()
    out = copy_record(rec)
    out.authors[0].orcid = "0000-0001"
    out.mesh[0].qualifiers.append("therapy")
    out.references[0].doi = "10.9/z"
    out.keywords.append("x")
    assert rec == _full_record()


def test_copy_references() -> None:
    refs = _full_record().references
    out = copy_references(refs)
    assert out == refs
    assert out is not refs and all(a is not b for a, b in zip(out, refs, strict=True))


@pytest.mark.parametrize("given, initials", [
    ("Jean-Paul", "JP"), ("Ji Hoon", "JH"), ("J. H.", "JH"), ("María José", "MJ"),
    # Scopus's and EndNote's initials with dots and no space lost all but the first.
    ("J.H.", "JH"), ("D.G.", "DG"), ("J.-H.", "JH"),
    # Web of Science's initials without dots ("Kim, JH") are kept whole.
    ("JH", "JH"), ("RA", "RA"), ("", ""),
])
def test_initials_of_a_given_name(given: str, initials: str) -> None:
    assert initials_of(given) == initials
    assert Author("Kim", given).display() == f"Kim {initials}".strip()
    assert Author("Kim", given, "XY").display() == "Kim XY"  # stored initials win
