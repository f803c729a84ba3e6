"""Identifying a kept PDF is one operation (spinelib/pdfidentify.py): the paper fetched off
the write lock, then its import and the kept article's merge into it written as one
transaction and logged as one undo step, "identification of KEY". Undone, the kept article
is back as it was (its PDF, tags, lists, notes, key) and a paper the identification added
is gone; one it refreshed or took out of the trash is back as it was. Redone, it is
identified again.

Crossref and PubMed are served by ``responses`` as in tests.core.test_pdf_first_page.
"""

from __future__ import annotations

from pathlib import Path

import responses

from spinelib.library import Library
from spinelib.pdfidentify import identify_pdfs
from tests.core.test_pdf_first_page import FISHER_DOI, FISHER_PMID, PAGE, _kept, crossref
from tests.core.test_resolve_batched import make_client, serve_one_article


def _marked_kept(lib: Library, tmp_path: Path) -> int:
    """A kept PDF the surgeon has already tagged, listed and annotated."""
    kept = _kept(lib, tmp_path, "fisher.pdf", [PAGE, "Results. Six components."])
    lib.tags.create("To read")
    lib.tags.add([kept], ["To read"])
    lib.lists.create("SINS")
    lib.lists.add("SINS", [kept])
    lib.articles.set_notes(kept, "Handout from the 2019 course")
    return kept


@responses.activate
def test_one_undo_puts_the_kept_pdf_back_and_takes_the_added_paper_away(
        lib: Library, tmp_path: Path) -> None:
    kept = _marked_kept(lib, tmp_path)
    key = lib.articles.citekey(kept)
    logged = len(lib.history.operations())
    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified", outcome.message
    [paper] = lib.search.ids()
    assert paper != kept
    operations = lib.history.operations()
    assert len(operations) == logged + 1
    assert operations[0].name == f"identification of {key}"

    assert lib.history.undo().name == f"identification of {key}"
    assert lib.search.ids() == [kept]  # the paper it imported is not left behind
    assert lib.attachments.unidentified() == [kept]
    assert lib.articles.citekey(kept) == key
    assert [a.kind for a in lib.attachments.of(kept)] == ["pdf"]
    assert "To read" in {t.label for t in lib.tags.state(kept).tags}
    assert lib.lists.items("SINS") == [kept]
    assert lib.articles.record(kept).notes == "Handout from the 2019 course"

    lib.history.redo()
    assert lib.search.ids() == [paper]
    record = lib.articles.record(paper)
    assert (record.doi, record.pmid) == (FISHER_DOI, FISHER_PMID)
    assert [a.kind for a in lib.attachments.of(paper)] == ["pdf"]
    assert lib.lists.items("SINS") == [paper]
    assert lib.articles.resolve_key(key) == paper
    assert lib.attachments.unidentified() == []


@responses.activate
def test_a_paper_the_library_held_goes_back_to_how_it_was(lib: Library,
                                                          tmp_path: Path) -> None:
    from spinelib.importer import run_import as import_ids

    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [held] = import_ids(lib, [FISHER_PMID], client=make_client()).items
    paper = held.article_id or 0
    lib.articles.set_notes(paper, "Read for the SINS talk")
    kept = _marked_kept(lib, tmp_path)
    # The page match against the library's own papers is offline: its title is taken
    # off, so the paper is found by Crossref and its import refreshes the held one.
    lib.edits.edit(paper, {"title": "Spinal instability"})
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified" and f"(DOI {FISHER_DOI})" in outcome.message
    assert lib.search.ids() == [paper]
    assert lib.attachments.of(paper)

    lib.history.undo()
    assert sorted(lib.search.ids()) == sorted([paper, kept])
    assert lib.attachments.of(paper) == []
    assert lib.articles.record(paper).notes == "Read for the SINS talk"
    assert lib.lists.items("SINS") == [kept]
    assert lib.attachments.unidentified() == [kept]


@responses.activate
def test_a_paper_in_the_trash_goes_back_to_the_trash(lib: Library, tmp_path: Path) -> None:
    from spinelib.importer import run_import as import_ids

    serve_one_article(FISHER_PMID, FISHER_DOI, crossref)
    [held] = import_ids(lib, [FISHER_PMID], client=make_client()).items
    paper = held.article_id or 0
    lib.trash.delete([paper])
    kept = _marked_kept(lib, tmp_path)
    [outcome] = identify_pdfs(lib, [kept], make_client())
    assert outcome.status == "identified" and f"(DOI {FISHER_DOI})" in outcome.message
    assert lib.search.ids() == [paper]  # taken out of the trash, never a second copy

    lib.history.undo()
    assert lib.search.ids() == [kept]
    assert [t.article_id for t in lib.trash.entries()] == [paper]


@responses.activate
def test_offline_nothing_is_logged(lib: Library, tmp_path: Path) -> None:
    kept = _marked_kept(lib, tmp_path)
    logged = len(lib.history.operations())
    [outcome] = identify_pdfs(lib, [kept], make_client())  # nothing served: no network
    assert outcome.status == "offline"
    assert len(lib.history.operations()) == logged
    assert lib.search.ids() == [kept]
