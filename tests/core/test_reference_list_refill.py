"""An article read again with a better reference list (the merge's rule for cited works).

A file's cited works often come as bare text (a Scopus CSV's References column, a Word
bibliography); the same article from PubMed carries PMIDs and DOIs for them, which "in my
library", "cited by" and reference chasing need. The stored list is replaced only when not
one of its entries has an identifier: a list with any (PubMed's, or DOIs found by Find DOIs)
is the user's better one and is kept.
"""

from __future__ import annotations

from pathlib import Path

from spinelib.importer import run_import
from spinelib.library import Library
from spinelib.records import ReferenceEntry

from .helpers import make_record

BARE = [ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2."),
        ReferenceEntry(2, "Jones B. Radiotherapy alone. 1999.")]
FROM_PUBMED = [ReferenceEntry(1, "Smith A. Earlier trial. Spine. 2001;1:1-2.", pmid="11111111"),
               ReferenceEntry(2, "Jones B. Radiotherapy alone. 1999."),
               ReferenceEntry(3, "Lee C. A cohort. J Neurosurg Spine. 2003;4:5-9.",
                              doi="10.3171/spi.2003.4.5")]


def _stored(lib: Library, article_id: int) -> list[tuple[int, str, str, str]]:
    return [(r.position, r.citation, r.pmid, r.doi) for r in lib.articles.references(article_id)]


def test_a_list_without_identifiers_gives_way_to_one_with_them(lib: Library) -> None:
    first = lib.articles.add_record(make_record(references=list(BARE)))
    again = lib.articles.add_record(make_record(references=list(FROM_PUBMED)))
    assert again.article_id == first.article_id and again.status == "updated"
    assert "its 2 cited works had no identifier; replaced by the 3 read here, 2 with one" \
        in again.messages
    assert _stored(lib, first.article_id) == [
        (1, "Smith A. Earlier trial. Spine. 2001;1:1-2.", "11111111", ""),
        (2, "Jones B. Radiotherapy alone. 1999.", "", ""),
        (3, "Lee C. A cohort. J Neurosurg Spine. 2003;4:5-9.", "", "10.3171/spi.2003.4.5")]


def test_a_pubmed_file_gives_its_cited_works_to_an_article_read_from_text(
        lib: Library, fixtures_dir: Path) -> None:
    """The real shape: an article first read with its cited works as bare text, then the
    saved PubMed record of it (45 cited works, 42 with a PMID or DOI) imported as a file."""
    saved = fixtures_dir / "pubmed" / "metapub_38856741.xml"
    first = lib.articles.add_record(make_record(
        title="Remineralization Rate of Lytic Lesions of the Spine in Multiple Myeloma "
              "Patients", doi="10.1177/21925682241260651", pmid="", pmcid="",
        references=list(BARE)))
    report = run_import(lib, [str(saved)], client=None)
    assert report.all_ok and report.counts() == {"updated": 1}
    refs = lib.articles.references(first.article_id)
    assert len(refs) == 45 and sum(r.has_identifier for r in refs) == 42
    assert (refs[0].pmid, refs[0].doi) == ("15542427", "10.1016/j.ccr.2004.10.020")
    assert lib.articles.record(first.article_id).pmid == "38856741"


def test_a_list_with_any_identifier_is_kept(lib: Library) -> None:
    """One DOI (found by Find DOIs, or the file's own) is enough: the list stays."""
    kept = [BARE[0], ReferenceEntry(2, BARE[1].citation, doi="10.1000/found")]
    article_id = lib.articles.add_record(make_record(references=kept)).article_id
    again = lib.articles.add_record(make_record(references=list(FROM_PUBMED)))
    assert not any("cited works" in m for m in again.messages)
    assert _stored(lib, article_id) == [
        (1, BARE[0].citation, "", ""), (2, BARE[1].citation, "", "10.1000/found")]


def test_a_list_without_identifiers_does_not_replace_another(lib: Library) -> None:
    article_id = lib.articles.add_record(make_record(references=list(BARE))).article_id
    other = [ReferenceEntry(1, "Somebody else's reading of the same paper, 2004.")]
    again = lib.articles.add_record(make_record(references=other))
    assert again.status == "unchanged"
    assert [c for _p, c, _m, _d in _stored(lib, article_id)] == [r.citation for r in BARE]


def test_a_record_without_references_leaves_the_list_alone(lib: Library) -> None:
    article_id = lib.articles.add_record(make_record(references=list(BARE))).article_id
    lib.articles.add_record(make_record(references=[]))
    assert len(_stored(lib, article_id)) == 2
