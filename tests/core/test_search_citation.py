"""A citation pasted into the search box answers "do I have this paper?": its first author's
articles of its year (one either way), where all its words ANDed found nothing."""

from __future__ import annotations

from spinelib.citationtext import CitedWork, cited_work
from spinelib.library import Library, Query, search_hints
from spinelib.records import ArticleRecord, Author

VANCOUVER = ("1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical "
             "resection in the treatment of spinal cord compression caused by metastatic "
             "cancer: a randomised trial. Lancet. 2005;366(9486):643-8.")
APA = ("Fourney, D. R. (2011). Spinal instability neoplastic score: an analysis of reliability "
       "and validity from 2008 to 2010. Journal of Clinical Oncology, 29(22), 3072-3077.")


def add(lib: Library, family: str, year: int, title: str) -> int:
    [added] = lib.articles.add_records([ArticleRecord(
        title=title, year=year, authors=[Author(family=family, given="R")], journal="Lancet")])
    assert added.article_id is not None
    return added.article_id


def test_the_year_is_where_the_style_puts_it() -> None:
    assert cited_work(VANCOUVER) == CitedWork("Patchell", 2005)
    assert cited_work(APA) == CitedWork("Fourney", 2011)  # not the 2008 of its title
    assert cited_work("author:patchell 2005 kyphoplasty outcomes in the elderly") is None
    chicago = ("Patchell, Roy A., Phillip A. Tibbs, William F. Regine, et al. “Direct "
               "Decompressive Surgical Resection in the Treatment of Spinal Cord Compression "
               "Caused by Metastatic Cancer: A Randomised Trial.” Lancet 366, no. 9486 (2005): "
               "643–48.")
    assert cited_work(chicago) == CitedWork("Patchell", 2005)
    assert cited_work('Bilsky, Mark H. 2010. "Reliability Analysis of the Epidural Spinal '
                      'Cord Compression Scale." J Neurosurg Spine 13 (3): 324–28.') == (
        CitedWork("Bilsky", 2010))


def test_a_pasted_citation_finds_the_paper_it_names(lib: Library) -> None:
    wanted = add(lib, "Patchell", 2005, "Direct decompressive surgical resection")
    add(lib, "Patchell", 2012, "A later paper")
    add(lib, "Tibbs", 2005, "A co-author's own paper")
    # Every word of the citation ANDed (numbers, "et al", the journal) found nothing.
    assert lib.search.ids(Query(search=VANCOUVER)) == [wanted]
    assert search_hints(VANCOUVER) == [
        "Read as a citation: the paper it names, else articles by Patchell from 2004 to 2006."]
    # Typed words that are no citation still search as they did.
    assert lib.search.ids(Query(search="decompressive resection")) == [wanted]


def test_of_a_prolific_authors_work_the_paper_it_names_alone(lib: Library) -> None:
    """Patchell wrote three papers in 2004-2006 here: the citation finds the one it cites,
    where it found all three; a citation of a paper not held shows the three, to look
    through, as the hint says."""
    wanted = add(lib, "Patchell", 2005, "Direct decompressive surgical resection in the "
                 "treatment of spinal cord compression caused by metastatic cancer")
    others = [add(lib, "Patchell", 2004, "Postoperative radiotherapy after resection of "
                  "single brain metastases"),
              add(lib, "Patchell", 2006, "Surgery for metastatic spinal cord compression: "
                  "who benefits")]
    assert lib.search.ids(Query(search=VANCOUVER)) == [wanted]
    assert lib.search.count(Query(search=VANCOUVER)) == 1
    unheld = ("Patchell RA, Regine WF. Radiosurgery for spinal metastases in a prospective "
              "registry. J Neurosurg. 2005;102:1-9.")
    assert sorted(lib.search.ids(Query(search=unheld))) == sorted([wanted, *others])
    # A citation that cuts the title short is known by its volume and first page.
    with_pages = lib.articles.add_records([ArticleRecord(
        title="The NOMS framework: approach to the treatment of spinal metastatic tumors",
        year=2005, authors=[Author(family="Patchell", given="R")], journal="Oncologist",
        volume="18", pages="744-751")])[0].article_id
    shortened = "Patchell R, et al. The NOMS framework. Oncologist. 2005;18:744-51."
    assert lib.search.ids(Query(search=shortened)) == [with_pages]
    assert lib.search.cited_here(shortened) == [(with_pages, lib.articles.citekey(with_pages))]
    assert lib.search.cited_here("spinal metastases") == []
    # The other parts of a query still hold: in a reading list without the paper, its
    # author's other paper there.
    lib.lists.create("Journal club")
    lib.lists.add("Journal club", [others[0]])
    assert lib.search.ids(Query(search=VANCOUVER, reading_list="Journal club")) == [others[0]]
    lib.lists.add("Journal club", [wanted])
    assert lib.search.ids(Query(search=VANCOUVER, reading_list="Journal club")) == [wanted]
