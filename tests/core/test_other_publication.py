"""A record sharing an identifier with a stored article, but plainly another publication
(Embase gives every abstract of a supplement the supplement's DOI), is kept apart: never
merged into that article, never lost as "unchanged", never filling its empty fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.formats.ris import read_ris
from spinelib.library import Library
from spinelib.library.otherwork import plainly_another_publication
from spinelib.records import Author

from .helpers import make_record

SUPPLEMENT_DOI = "10.1186/s12919-018-0099-8"

#: Two conference abstracts of one supplement, and an unrelated paper between them.
RIS = f"""TY  - JOUR
T1  - Quality of life after separation surgery for spinal metastases
A1  - Behan L.
Y1  - 2018//
JF  - BMC Proceedings
DO  - {SUPPLEMENT_DOI}
ER  -

TY  - JOUR
T1  - Percutaneous vertebroplasty for painful vertebral metastases
A1  - Kim H.
Y1  - 2018//
JF  - Spine
DO  - 10.1097/brs.0000000000002000
ER  -

TY  - JOUR
T1  - Whole exome sequencing of spinal chordoma in siblings
A1  - Server E.A.
Y1  - 2018//
JF  - BMC Proceedings
DO  - {SUPPLEMENT_DOI}
AB  - Exome sequencing of three families.
ER  -
"""


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def _titles_by_doi(lib: Library) -> dict[str, str]:
    out = {}
    for article_id in lib.search.ids():
        rec = lib.articles.record(article_id)
        out[rec.title] = rec.doi
    return out


def test_abstracts_sharing_a_supplement_doi_are_all_imported(lib: Library) -> None:
    results = lib.articles.add_records(read_ris(RIS, "embase.ris").records)
    assert [r.status for r in results] == ["imported", "imported", "imported"]
    assert _titles_by_doi(lib) == {
        "Quality of life after separation surgery for spinal metastases": SUPPLEMENT_DOI,
        "Percutaneous vertebroplasty for painful vertebral metastases":
            "10.1097/brs.0000000000002000",
        "Whole exome sequencing of spinal chordoma in siblings": "",
    }
    assert results[2].messages == [
        f"shares DOI {SUPPLEMENT_DOI} with behan2018quality (Quality of life after separation "
        "surgery for spinal metas…), another publication (a supplement's DOI its abstracts "
        "share?): kept apart, without it"]
    first = lib.articles.record(results[0].article_id)
    assert first.abstract == "" and [a.family for a in first.authors] == ["Behan"]
    # The same file again: every record finds its own article; nothing is added or changed.
    again = lib.articles.add_records(read_ris(RIS, "embase.ris").records)
    assert [(r.status, r.article_id) for r in again] == [
        ("unchanged", r.article_id) for r in results]
    assert lib.search.count() == 3


def test_another_paper_never_fills_the_stored_articles_empty_fields(lib: Library) -> None:
    stored = lib.articles.add_record(make_record(abstract="", pages="", references=[]))
    other = make_record(title="Cement leakage after kyphoplasty in myeloma",
                        authors=[Author("Nguyen", "Anh", "A")], abstract="Leakage was rare.",
                        pages="1-9", pmid="")
    res = lib.articles.add_record(other)
    assert res.status == "imported" and res.article_id != stored.article_id
    kept = lib.articles.record(stored.article_id)
    assert (kept.abstract, kept.pages, kept.references) == ("", "", [])
    assert lib.articles.record(res.article_id).doi == ""


@pytest.mark.parametrize("changes", [
    # PubMed translates a title that Crossref keeps in its language: the same first author.
    {"title": "[Chirurgie décompressive directe des métastases rachidiennes]"},
    # Another title entirely, but the same first author: one paper, re-titled.
    {"title": "Surgery for metastatic epidural compression: the randomised trial"},
    # Another first author but the same title, its subtitle dropped.
    {"title": "Direct decompressive surgical resection",
     "authors": [Author("Regine", "William F", "WF")]},
    # Nothing to compare: no authors.
    {"title": "Entirely unrelated words about chordoma genetics", "authors": []},
])
def test_the_same_paper_from_another_source_still_merges(lib: Library, changes: dict) -> None:
    stored = lib.articles.add_record(make_record(abstract=""))
    res = lib.articles.add_record(make_record(abstract="Now with an abstract.", **changes))
    assert res.article_id == stored.article_id and res.status == "updated"
    assert lib.search.count() == 1


def test_a_merge_the_user_made_stands(lib: Library) -> None:
    """An identifier the user merged into another article (an alias) still leads there."""
    a = lib.articles.add_record(make_record())
    b_rec = make_record(title="Cement leakage after kyphoplasty in myeloma", pmid="2",
                        doi="10.1234/leak", authors=[Author("Nguyen", "Anh", "A")])
    b = lib.articles.add_record(b_rec)
    lib.duplicates.merge(a.article_id, [b.article_id])
    res = lib.articles.add_record(b_rec)
    assert res.article_id == a.article_id
    assert lib.search.count() == 1


def test_a_title_the_user_edited_keeps_the_match(lib: Library) -> None:
    a = lib.articles.add_record(make_record())
    lib.edits.edit(a.article_id, {"title": "My own working title for the trial"},
                   authors="Zed, Anna")
    res = lib.articles.add_record(make_record(abstract="x"))
    assert res.article_id == a.article_id
    assert lib.search.count() == 1


@pytest.mark.parametrize(("title", "first", "other"), [
    ("Quality of life in ciliary dyskinesia", "Behan L", True),
    ("Quality of life in ciliary dyskinesia", "Dyskinesia PC", False),  # same first author
    ("Development of a bioinformatics analysis method", "Behan L", False),  # same title
    ("", "Behan L", False),          # no stored title
    ("On it", "Behan L", False),     # only short words
    ("Quality of life in ciliary dyskinesia", "", False),  # no stored first author
    ("脊柱转移瘤的分离手术", "王 X", False),  # another script: not comparable word for word
    ("Quality of life in cíliary dyskinésia", "Béhan L", True),  # accents fold to Latin
])
def test_plainly_another_publication(title: str, first: str, other: bool) -> None:
    rec = make_record(title="Development of a bioinformatics analysis method for diagnosis",
                      authors=[Author("Dyskinesia", "", "PC")])
    assert plainly_another_publication(title, first, rec) is other


def test_a_pmid_given_to_the_wrong_paper_is_named_so(lib: Library) -> None:
    stored = lib.articles.add_record(make_record())
    res = lib.articles.add_record(make_record(
        title="Cement leakage after kyphoplasty in myeloma", doi="",
        authors=[Author("Nguyen", "Anh", "A")]))
    assert res.article_id != stored.article_id
    assert res.messages == [
        "shares PMID 16112300 with patchell2005direct (Direct decompressive surgical "
        "resection in the treatment…), another publication (an identifier given to "
        "the wrong paper?): kept apart, without it"]
