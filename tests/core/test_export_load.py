"""Exports load records without MeSH headings (issue 19: decoding them was a fifth of a
10,000-entry export's CPU time): the records are otherwise the same, and every export
format writes the same text from them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from spinelib import formats
from spinelib.formats import registry
from spinelib.library import Library, Query
from spinelib.records import ArticleRecord, Author, MeshHeading


def _records() -> list[ArticleRecord]:
    return [ArticleRecord(
        title=f"Separation surgery and SBRT for spinal metastases {n}", year=2020 + n,
        authors=[Author("Bilsky", "Mark H"), Author("Laufer", "Ilya")], journal="Spine",
        doi=f"10.1000/sep.{n}", pmid=str(31000000 + n), abstract="BACKGROUND: x.\n\nRESULTS: y.",
        keywords=["SBRT"], mesh=[MeshHeading("D013131", "Spinal Neoplasms", True,
                                             ["secondary", "surgery"]),
                                 MeshHeading("D006801", "Humans")])
        for n in range(3)]


def test_records_without_mesh_are_the_records_less_their_headings(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.articles.add_records(_records(), suggest_tags=False)
        ids = lib.search.ids(Query())
        full = lib.articles.records(ids, with_references=False)
        bare = lib.articles.records(ids, with_references=False, with_mesh=False)
    assert len(full) == 3 and all(len(r.mesh) == 2 for r in full)
    assert all(not r.mesh for r in bare)
    assert [dataclasses.replace(r, mesh=[]) for r in full] == bare
    for chosen in registry.EXPORT_FORMATS:
        if chosen.name in ("evidence-csv", "evidence-xlsx", "bibliography"):
            continue
        for name in {chosen.name, chosen.html_variant or chosen.name}:
            for abstracts in (False, True):
                assert formats.WRITERS[name](bare, abstracts=abstracts) == \
                    formats.WRITERS[name](full, abstracts=abstracts), name
