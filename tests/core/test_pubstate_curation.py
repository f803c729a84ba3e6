"""A paper's publication state over its life in the library: set by hand, ended when
PubMed or Crossref has it in an issue, never brought back by an older file.

Before: the state could not be edited at all (neither ``spinelib edit`` nor the Edit dialog
had it), an import or refresh of the published paper left "in press" on it, and an older
.bib merged into an article already in an issue gave it "in press": APA then printed
"Lee, A. (2026). … Global Spine J, 12(3), 45–52. In press." of a published paper.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite.engine import StyleEngine
from spinelib.errors import SpineLibError
from spinelib.library import Library

from .helpers import make_record

DOI = "10.1177/21925682261234567"


def in_press(**changes: object):  # type: ignore[no-untyped-def]
    fields: dict[str, object] = dict(doi=DOI, pmid="", year=None, month=None, volume="",
                                     issue="", pages="", pubstate="inpress", source="bibtex",
                                     references=[])
    fields.update(changes)
    return make_record(**fields)


def published(**changes: object):  # type: ignore[no-untyped-def]
    fields: dict[str, object] = dict(doi=DOI, pmid="41000001", year=2026, volume="16",
                                     issue="3", pages="45-52", pubstate="", source="pubmed",
                                     references=[])
    fields.update(changes)
    return make_record(**fields)


def test_the_published_record_ends_in_press(lib: Library) -> None:
    aid = lib.articles.add_record(in_press()).article_id
    result = lib.articles.add_record(published())
    assert result.article_id == aid and result.status == "updated"
    assert "published: no longer in press" in result.messages
    rec = lib.articles.record(aid)
    assert (rec.pubstate, rec.year, rec.volume) == ("", 2026, "16")
    assert "In press" not in StyleEngine.for_id("apa").reference(rec)


def test_an_ahead_of_print_record_leaves_it_in_press(lib: Library) -> None:
    """PubMed's record of a paper online ahead of print has a year but no volume or pages:
    not yet in an issue, so the state stays."""
    aid = lib.articles.add_record(in_press()).article_id
    lib.articles.add_record(published(volume="", issue="", pages=""))
    assert lib.articles.record(aid).pubstate == "inpress"


def test_an_older_file_does_not_bring_in_press_back(lib: Library) -> None:
    aid = lib.articles.add_record(published()).article_id
    lib.articles.add_record(in_press())
    assert lib.articles.record(aid).pubstate == ""
    # An article not yet in an issue does take the state a file gives.
    other = lib.articles.add_record(published(doi="10.1/x", pmid="41000002", volume="",
                                              issue="", pages="")).article_id
    lib.articles.add_record(in_press(doi="10.1/x"))
    assert lib.articles.record(other).pubstate == "inpress"


def test_the_state_is_edited_as_typed_and_kept_as_the_users(lib: Library) -> None:
    aid = lib.articles.add_record(published(volume="", issue="", pages="")).article_id
    assert lib.edits.edit(aid, {"pubstate": "Accepted"}) == ["pubstate"]
    assert lib.articles.record(aid).pubstate == "inpress"
    with pytest.raises(SpineLibError, match="'soon' is not a publication state"):
        lib.edits.edit(aid, {"pubstate": "soon"})
    # The user's own state is theirs: a published record does not end it.
    lib.articles.add_record(published())
    assert lib.articles.record(aid).pubstate == "inpress"
    lib.edits.edit(aid, {"pubstate": ""})
    assert lib.articles.record(aid).pubstate == ""


def test_a_refresh_shows_and_applies_the_end_of_in_press(lib: Library) -> None:
    aid = lib.articles.add_record(in_press()).article_id
    diffs = {d.field: (d.stored, d.source) for d in lib.edits.diff(aid, published())}
    assert diffs["pubstate"] == ("in press", "")
    applied, kept = lib.edits.apply_source(aid, published())
    assert "pubstate" in applied and kept == []
    assert lib.articles.record(aid).pubstate == ""
    # Nothing to say once it is over, nor for an ahead-of-print source.
    assert "pubstate" not in {d.field for d in lib.edits.diff(aid, published())}
    fresh = lib.articles.add_record(in_press(doi="10.1/y")).article_id
    ahead = published(doi="10.1/y", volume="", issue="", pages="")
    assert "pubstate" not in {d.field for d in lib.edits.diff(fresh, ahead)}


def test_a_state_stored_in_words_ends_too(lib: Library) -> None:
    """Before the states were stored as biblatex's keys, a CSL-JSON import kept "in press"
    as the file wrote it; such an article leaves the state by the same rule."""
    aid = lib.articles.add_record(in_press()).article_id
    with lib.store.writing() as conn:
        lib.store.articles.update(conn, [aid], {"pubstate": "in press"})
    assert {d.field: d.stored for d in lib.edits.diff(aid, published())}["pubstate"] == \
        "in press"
    assert "published: no longer in press" in lib.articles.add_record(published()).messages
    assert lib.articles.record(aid).pubstate == ""


def test_the_command_line_list_says_in_press_where_the_year_would_be(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: "----", as for a date nobody recorded."""
    from spinelib.cli import main

    path = tmp_path / "cli.sqlite"
    with Library.open(path) as library:
        library.articles.add_record(in_press(citekey="kim2026percutaneous"))
        library.articles.add_record(published(doi="10.1177/2192568226000001", pmid="41000002",
                                              citekey="lee2026published"))
    assert main(["--library", str(path), "list", "--sort", "first_author"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["kim2026percutaneous"].endswith("[in press]")
    assert " ---- " in lines["kim2026percutaneous"]
    assert "[in press]" not in lines["lee2026published"] and " 2026 " in lines["lee2026published"]


def test_sorted_by_year_a_paper_in_press_is_the_newest(lib: Library) -> None:
    """The Year column says "in press"; sorted by year such a paper stood with the undated
    ones (last when the newest come first). Now it is the newest; the undated stay last."""
    from spinelib.library import Query

    def add(record):  # type: ignore[no-untyped-def]
        return lib.articles.add_record(record).article_id

    old = add(published(doi="10.1/old", pmid="41000010", year=2019, citekey="old2019"))
    new = add(published(doi="10.1/new", pmid="41000011", year=2026, citekey="new2026"))
    press = add(in_press(doi="10.1/press", citekey="pressinpress"))
    press2 = add(in_press(doi="10.1/press2", citekey="press2inpress",
                          title="Separation surgery and SBRT, accepted"))
    undated = add(published(doi="10.1/undated", pmid="41000012", year=None,
                            citekey="undatednd"))
    newest_first = lib.search.ids(Query(sort="year", descending=True))
    assert newest_first == [press2, press, new, old, undated]
    oldest_first = lib.search.ids(Query(sort="year", descending=False))
    assert oldest_first == [undated, old, new, press, press2]
    # Within a filter too: only the matching paper in press moves.
    found = lib.search.ids(Query(search="accepted", sort="year", descending=True))
    assert found == [press2]
    assert lib.search.ids(Query(search="decompressive", sort="year", descending=True)) == [
        press, new, old, undated]
