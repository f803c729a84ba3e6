"""A thesis's degree typed in (``add``/``edit --set degree=…``, the forms' Degree field):
kept where every reader keeps an imported one (the first publication type), so the styles
and the exports print it as they print an imported thesis's.

Before: there was no such field. A thesis typed in printed "Berg A. Title. [Stockholm]:
Karolinska Institutet; 2019." in Vancouver, without the "[PhD thesis]" its imported twin
prints, and ``--set degree=…`` was refused as no field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib.cite import format_bibliography
from spinelib.cli import main
from spinelib.errors import SpineLibError
from spinelib.formats.bibtex import read_bibtex, write_bibtex
from spinelib.formats.csljson import write_csljson
from spinelib.formats.ris import write_ris
from spinelib.library import Library
from spinelib.records import ArticleRecord

THESIS = {"type": "thesis", "title": "Percutaneous fixation for spinal metastases",
          "institution": "Karolinska Institutet", "place": "Stockholm", "year": "2019"}


def typed(lib: Library, **values: str) -> int:
    return lib.by_hand.add({**THESIS, **values}, "Berg, Anna").article_id


def test_a_typed_degree_prints_as_an_imported_theses_does(lib: Library) -> None:
    [imported] = read_bibtex("@phdthesis{smith2020, author = {Smith, John}, title = {Spinal "
                             "metastases and separation surgery}, school = {University of "
                             "Oxford}, year = {2020}}").records
    rec = lib.articles.record(typed(lib, degree="PhD thesis"))
    assert rec.degree == imported.degree == "PhD thesis"
    assert rec.publication_types == ["PhD thesis"]
    vancouver = format_bibliography([rec], "vancouver")
    assert "Percutaneous fixation for spinal metastases [PhD thesis]. [Stockholm]" in vancouver
    assert "[PhD thesis]. Karolinska Institutet." in format_bibliography([rec], "apa")
    assert json.loads(write_csljson([rec]))[0]["genre"] == "PhD thesis"
    assert "M3  - PhD thesis" in write_ris([rec])
    masters = lib.articles.record(typed(lib, degree="Master's thesis", title="Another one"))
    assert write_bibtex([masters]).startswith("@mastersthesis{")


def test_without_a_degree_nothing_is_printed_for_it(lib: Library) -> None:
    rec = lib.articles.record(typed(lib))
    assert rec.degree == "" and rec.publication_types == []
    assert "thesis]" not in format_bibliography([rec], "vancouver")


def test_an_edit_replaces_the_degree_only_and_is_the_users(lib: Library) -> None:
    rec = ArticleRecord(type="thesis", title="Spinal metastases and separation surgery",
                        publication_types=["PhD thesis", "Academic Dissertation"],
                        institution="University of Oxford", year=2020)
    article = lib.articles.add_record(rec).article_id
    assert lib.edits.edit(article, {"degree": "MD thesis"}) == ["degree"]
    stored = lib.articles.record(article)
    assert stored.publication_types == ["MD thesis", "Academic Dissertation"]
    assert "degree" in lib.edits.user_edited(article)
    # A refresh reports its source's degree and keeps the user's.
    source = ArticleRecord(**{**rec.__dict__, "publication_types": ["PhD thesis"]})
    [diff] = lib.edits.diff(article, source)
    assert (diff.field, diff.stored, diff.source, diff.user_edited) == (
        "degree", "MD thesis", "PhD thesis", True)
    assert lib.edits.apply_source(article, source) == ([], ["degree"])
    assert lib.articles.record(article).degree == "MD thesis"
    # The same degree again changes nothing; an empty one removes the degree only.
    assert lib.edits.edit(article, {"degree": "MD thesis"}) == []
    assert lib.edits.edit(article, {"degree": ""}) == ["degree"]
    assert lib.articles.record(article).publication_types == ["Academic Dissertation"]
    lib.history.undo()
    assert lib.articles.record(article).publication_types == ["MD thesis",
                                                              "Academic Dissertation"]


def test_a_journal_article_made_a_thesis_keeps_its_other_types(lib: Library) -> None:
    rec = ArticleRecord(type="article", title="Separation surgery outcomes in one centre",
                        publication_types=["Journal Article"], year=2021)
    article = lib.articles.add_record(rec).article_id
    changed = lib.edits.edit(article, {"type": "thesis", "degree": "PhD thesis"})
    assert sorted(changed) == ["degree", "type"]
    stored = lib.articles.record(article)
    assert (stored.degree, stored.publication_types) == ("PhD thesis",
                                                         ["PhD thesis", "Journal Article"])


def test_a_degree_for_another_type_is_refused_and_nothing_changes(lib: Library) -> None:
    rec = ArticleRecord(type="article", title="Separation surgery outcomes in one centre",
                        publication_types=["Journal Article"], year=2021)
    article = lib.articles.add_record(rec).article_id
    with pytest.raises(SpineLibError, match="only a thesis has a degree.*'article'"):
        lib.edits.edit(article, {"degree": "PhD thesis", "title": "Changed"})
    with pytest.raises(SpineLibError, match="make it 'thesis'"):
        lib.edits.validate({"degree": "PhD thesis", "type": "review"})
    stored = lib.articles.record(article)
    assert (stored.title, stored.publication_types) == (rec.title, ["Journal Article"])
    count = lib.search.count()
    with pytest.raises(SpineLibError, match="only a thesis has a degree"):
        lib.by_hand.add({"title": "A conference abstract", "degree": "PhD thesis"})
    assert lib.search.count() == count


def test_a_merge_cannot_choose_the_degree(lib: Library) -> None:
    one = typed(lib, degree="PhD thesis")
    two = typed(lib, degree="MD thesis", year="2020")
    with pytest.raises(SpineLibError, match="cannot choose 'degree'"):
        lib.duplicates.merge(one, [two], {"degree": two})


def test_the_command_line_types_and_edits_a_degree(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "lib.sqlite")
    assert main(["--library", path, "add", "--set", "type=thesis", "--set",
                 "title=Radiotherapy for spinal metastases in the elderly", "--set",
                 "degree=Master's thesis", "--authors", "Lind, Eva", "--set",
                 "year=2022", "--key", "lind2022"]) == 0
    assert main(["--library", path, "edit", "lind2022", "--set", "degree=PhD thesis"]) == 0
    assert main(["--library", path, "edit", "lind2022", "--set", "type=article"]) == 0
    capsys.readouterr()
    assert main(["--library", path, "edit", "lind2022", "--set", "degree=MD thesis"]) == 1
    assert "only a thesis has a degree" in capsys.readouterr().err
    with Library.open(Path(path)) as lib:
        [article] = lib.search.ids()
        rec = lib.articles.record(article)
    assert (rec.type, rec.publication_types, rec.degree) == ("article", ["PhD thesis"], "")
