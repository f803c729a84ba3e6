"""The import dialog's paste box given PubMed's "Abstract (text)" or "Summary (text)" (copied
from a saved file):
one row a record, its own PMID, and none for the prose around it."""

from __future__ import annotations

from spinelib.gui.importpreview import preview_rows
from tests.core.test_pubmed_abstract_text import ABSTRACT_TEXT, PMIDS


def test_pasted_abstract_text_previews_one_row_a_record() -> None:
    rows = preview_rows(ABSTRACT_TEXT)
    assert [(r.given, r.input, r.recognised) for r in rows] == [
        (f"PMID: {p}", f"PMID: {p}", f"PMID {p}") for p in PMIDS]


def test_pasted_summary_text_previews_one_row_a_record() -> None:
    """PubMed's "Summary (text)", the Save dialog's first format: the same, not the DOI and
    PMCID each citation names beside its PMID."""
    from tests.core.test_pubmed_summary_text import PMIDS as SUMMARY_PMIDS
    from tests.core.test_pubmed_summary_text import SUMMARY_TEXT

    rows = preview_rows(SUMMARY_TEXT)
    assert [(r.given, r.input, r.recognised) for r in rows] == [
        (f"PMID: {p}", f"PMID: {p}", f"PMID {p}") for p in SUMMARY_PMIDS]
