"""A small library of spine-oncology articles cited by the manuscript tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.library import Library
from spinelib.records import Author
from tests.core.helpers import make_record


def records() -> list:
    patchell = make_record(citekey="patchell2005direct")
    laufer = make_record(
        citekey="laufer2013noms", title="The NOMS framework: approach to the treatment of "
        "spinal metastatic tumors", journal="The Oncologist", journal_abbrev="Oncologist",
        year=2013, volume="18", issue="6", pages="744-751", doi="10.1634/theoncologist.2012-0293",
        pmid="23709750", authors=[Author("Laufer", "Ilya", "I"), Author("Rubin", "David G", "DG"),
                                  Author("Bilsky", "Mark H", "MH")], references=[])
    bilsky = make_record(
        citekey="bilsky2010escc", title="Reliability analysis of the epidural spinal cord "
        "compression scale", journal="Journal of neurosurgery. Spine", year=2010, volume="13",
        issue="3", pages="324-328", doi="10.3171/2010.3.spine09459", pmid="20809724",
        authors=[Author("Bilsky", "Mark H", "MH"), Author("Laufer", "Ilya", "I")],
        references=[], retracted=True)
    fisher_a = make_record(citekey="fisher2010sins", title="A novel classification system for "
                           "spinal instability in neoplastic disease", year=2010, doi="10.1/a",
                           pmid="1", authors=[Author("Fisher", "Charles G", "CG")], references=[])
    fisher_b = make_record(citekey="fisher2010other", title="Another Fisher paper", year=2010,
                           doi="10.1/b", pmid="2", authors=[Author("Fisher", "C", "C")],
                           references=[])
    return [patchell, laufer, bilsky, fisher_a, fisher_b]


@pytest.fixture
def libpath(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records(records())
    return path
