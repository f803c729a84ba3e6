"""The import dialog's paste box given PubMed's "Abstract (text)" (copied from a saved file):
one row a record, its own PMID, and none for the prose around it."""

from __future__ import annotations

from spinelib.gui.importpreview import preview_rows
from tests.core.test_pubmed_abstract_text import ABSTRACT_TEXT, PMIDS


def test_pasted_abstract_text_previews_one_row_a_record() -> None:
    rows = preview_rows(ABSTRACT_TEXT)
    assert [(r.given, r.input, r.recognised) for r in rows] == [
        (f"PMID: {p}", f"PMID: {p}", f"PMID {p}") for p in PMIDS]
