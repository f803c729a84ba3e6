"""A key nobody chose ("anonnd…", made while an article had no author or no date) becomes
the article's own once an edit or an update from its source gives it both; the stand-in
stays an alias. A key the user chose, or one of an author and year, never changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spinelib import refresh as refresh_module
from spinelib.citekeys import is_stand_in
from spinelib.identifiers import parse_identifier
from spinelib.library import Library
from spinelib.pdfimport import run_import
from spinelib.records import ArticleRecord, Author
from spinelib.sources.lookups import Resolution
from tests.core.helpers import make_record
from tests.pdfmaker import make_pdf


def test_a_stand_in_is_a_key_made_without_an_author_or_a_date() -> None:
    bare = ArticleRecord(title="Diagnosis of spinal metastases")
    assert is_stand_in("anonnddiagnosis", bare)
    assert is_stand_in("AnonNDdiagnosisab", bare)  # a collision suffix, any case
    assert is_stand_in("anonndchordoma", bare)  # made from an earlier title
    assert not is_stand_in("anonnd-diagnosis", bare)  # not what the generator makes
    assert not is_stand_in("mykey", bare)  # chosen by the user
    dated = ArticleRecord(title="Diagnosis", year=2024)
    assert is_stand_in("anon2024diagnosis", dated)
    named = ArticleRecord(title="Diagnosis", authors=[Author("Smith", "Anna", "A")])
    assert is_stand_in("smithnddiagnosis", named) and is_stand_in("anonnddiagnosis", named)
    assert not is_stand_in("jonesnddiagnosis", named)  # another author's: chosen
    assert not is_stand_in("smith2024diagnosis", make_record(
        title="Diagnosis", authors=named.authors, year=2024))
    in_press = ArticleRecord(title="Diagnosis", authors=named.authors, pubstate="inpress")
    assert not is_stand_in("smithinpressdiagnosis", in_press)  # dated: "in press"


def _found(record: ArticleRecord) -> list[Resolution]:
    return [Resolution(parse_identifier(record.doi), "found", record)]


def test_a_kept_pdf_identified_by_its_doi_takes_its_authors_key_on_update(
        lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user types the DOI the PDF's first page did not give, then Update from PubMed
    fills its authors and year: its key was "anonnd…" for good (a refresh never rekeyed)."""
    pdf = make_pdf(tmp_path / "mystery.pdf", ["Chordoma of the sacrum: a case"])
    [kept] = run_import(lib, [str(pdf)], client=None).items
    aid = kept.article_id
    stand_in = lib.articles.citekey(aid)
    assert stand_in == "anonndchordoma"
    assert lib.edits.edit(aid, {"doi": "10.1016/j.spinee.2020.01.001"}) == ["doi"]
    assert lib.articles.citekey(aid) == stand_in  # still no author: nothing better yet
    source = make_record(title="Chordoma of the sacrum: a case",
                         doi="10.1016/j.spinee.2020.01.001", pmid="", year=2020,
                         authors=[Author("Gokaslan", "Ziya L", "ZL")])
    monkeypatch.setattr("spinelib.sources.resolve_indirect.resolve_indirect",
                        lambda client, idents, **kw: _found(source))
    monkeypatch.setattr(refresh_module, "take_counts", lambda *a: None)
    [result] = refresh_module.refresh(lib, [aid], client=None, apply=True)  # type: ignore[arg-type]
    assert lib.articles.citekey(aid) == "gokaslan2020chordoma"
    assert result.new_key == "gokaslan2020chordoma" and result.citekey == stand_in
    assert "authors" in result.applied and "year" in result.applied
    assert result.applied_text().endswith(
        "; citation key now gokaslan2020chordoma (anonndchordoma still finds it)")
    assert lib.articles.resolve_key(stand_in) == aid
    lib.history.undo()  # the update undone: the stand-in back, as it was
    assert lib.articles.citekey(aid) == stand_in
    # Updated again with nothing new to take: no key changes.
    lib.history.redo()
    [again] = refresh_module.refresh(lib, [aid], client=None, apply=True)  # type: ignore[arg-type]
    assert (again.applied, again.new_key) == ([], "")
    assert lib.articles.citekey(aid) == "gokaslan2020chordoma"


def test_an_edit_giving_a_bib_entry_its_author_and_year_gives_it_a_key(lib: Library) -> None:
    """A .bib entry without author or year (a web page copied from a manager) is keyed
    "anonnd…"; typing both in Edit gives it a real key, the stand-in an alias."""
    res = lib.articles.add_record(ArticleRecord(title="Spine oncology tumour board handbook",
                                                source="bibtex"))
    assert res.citekey == "anonndspine"
    changed = lib.edits.edit(res.article_id, {"year": "2024"}, "Sciubba, Daniel M")
    assert changed == ["year", "authors", "citekey"]
    assert lib.articles.citekey(res.article_id) == "sciubba2024spine"
    assert lib.articles.resolve_key("anonndspine") == res.article_id
    # One of author and date only: the key waits for the other.
    half = lib.articles.add_record(ArticleRecord(title="Radiosurgery notes", source="bibtex"))
    assert lib.edits.edit(half.article_id, {"year": "2023"}) == ["year"]
    assert lib.articles.citekey(half.article_id) == "anonndradiosurgery"
    # A later edit of the title rekeys from the stand-in it still has.
    lib.edits.edit(half.article_id, {"title": "Radiosurgery handbook"}, "Yamada, Yoshiya")
    assert lib.articles.citekey(half.article_id) == "yamada2023radiosurgery"


@pytest.mark.parametrize("key", ["tumourboard", "sciubba2024spine"])
def test_a_chosen_key_or_a_real_one_never_changes(lib: Library, key: str) -> None:
    res = lib.articles.add_record(ArticleRecord(title="Spine oncology tumour board handbook",
                                                source="bibtex"))
    lib.articles.rekey(res.article_id, key)  # the user's choice
    changed: list[Any] = lib.edits.edit(res.article_id, {"year": "2021"}, "Bilsky, Mark")
    assert "citekey" not in changed
    assert lib.articles.citekey(res.article_id) == key
    real = lib.articles.add_record(make_record(pmid="", doi=""))
    before = lib.articles.citekey(real.article_id)
    lib.edits.edit(real.article_id, {"year": "2006"}, "Smith, Anna")
    assert lib.articles.citekey(real.article_id) == before


def test_an_import_filling_a_kept_pdfs_author_and_year_rekeys_it(lib: Library,
                                                                  tmp_path: Path) -> None:
    """The DOI typed on a kept PDF, then the same DOI imported (a .bib from a colleague):
    the import fills its authors and year, and the stand-in key goes with them."""
    pdf = make_pdf(tmp_path / "mystery.pdf", ["Chordoma of the sacrum: a case"])
    [kept] = run_import(lib, [str(pdf)], client=None).items
    lib.edits.edit(kept.article_id, {"doi": "10.1016/j.spinee.2020.01.001"})
    [res] = lib.articles.add_records([make_record(
        title="Chordoma of the sacrum: a case", doi="10.1016/j.spinee.2020.01.001", pmid="",
        year=2020, authors=[Author("Gokaslan", "Ziya L", "ZL")])])
    assert (res.article_id, res.status) == (kept.article_id, "updated")
    assert res.citekey == "gokaslan2020chordoma"
    assert "citation key now gokaslan2020chordoma (anonndchordoma still finds it)" in (
        res.messages)
    assert lib.articles.resolve_key("anonndchordoma") == kept.article_id
    # Imported again: filled already, nothing more to say.
    [again] = lib.articles.add_records([make_record(
        title="Chordoma of the sacrum: a case", doi="10.1016/j.spinee.2020.01.001", pmid="",
        year=2020, authors=[Author("Gokaslan", "Ziya L", "ZL")])])
    assert again.citekey == "gokaslan2020chordoma" and not any(
        "citation key" in m for m in again.messages)
