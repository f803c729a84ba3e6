"""An article typed in by hand (``spinelib add``, File ▸ New article…): a society guideline,
a conference abstract, a thesis, a web page — what no DOI or PMID fetches."""

from __future__ import annotations

import pytest

from spinelib.errors import NoMatch, SpineLibError
from spinelib.library import Library, Query
from spinelib.serialize import article_json

from .helpers import make_record

GUIDELINE = {"title": "NCCN Guidelines: Bone Cancer, version 1.2026", "type": "webpage",
             "publisher": "National Comprehensive Cancer Network", "year": "2026",
             "url": "https://www.nccn.org/guidelines", "accessed": "5 Dec 2026"}


def test_a_guideline_typed_in_is_an_article_like_any_other(lib: Library) -> None:
    res = lib.by_hand.add(GUIDELINE, "National Comprehensive Cancer Network")
    assert res.status == "imported"
    assert res.citekey == "national2026nccn"  # a group is keyed by its first word
    rec = lib.articles.record(res.article_id)
    assert (rec.type, rec.year, rec.accessed, rec.url) == (
        "webpage", 2026, "2026-12-05", "https://www.nccn.org/guidelines")
    assert rec.authors[0].collective == "National Comprehensive Cancer Network"
    assert lib.search.ids(Query(search="bone cancer")) == [res.article_id]
    # Every value typed is the user's: a refresh reports the source's, never takes it.
    assert lib.edits.user_edited(res.article_id) == {*GUIDELINE, "authors"}


def test_fields_left_empty_are_not_the_users(lib: Library) -> None:
    """A form sends every field; the empty ones are neither stored nor marked as typed."""
    res = lib.by_hand.add({"title": "Spine metastases", "journal": "", "editors": "",
                           "year": "", "type": "book", "publisher": "Thieme"}, "")
    rec = lib.articles.record(res.article_id)
    assert (rec.year, rec.editors, rec.authors, rec.type) == (None, [], [], "book")
    assert lib.edits.user_edited(res.article_id) == {"title", "type", "publisher"}
    chapter = lib.by_hand.add({"title": "Separation surgery", "type": "chapter",
                               "book_title": "Spine Oncology", "editors": "Bilsky, Mark H; "
                               "AO Spine Knowledge Forum Tumor"}, "Laufer, Ilya")
    editors = lib.articles.record(chapter.article_id).editors
    assert [(e.family, e.initials, e.collective) for e in editors] == [
        ("Bilsky", "MH", ""), ("", "", "AO Spine Knowledge Forum Tumor")]


def test_typed_values_are_checked_like_an_edit_and_nothing_is_added(lib: Library) -> None:
    for values, authors, why in [
            ({"journal": "Spine"}, None, "needs a title"),
            ({"title": "  "}, None, "needs a title"),
            ({"title": "A", "year": "20015"}, None, "not a year"),
            ({"title": "A", "doi": "10.1/x y z"}, None, "doi"),
            ({"title": "A", "colour": "red"}, None, "colour"),
            ({"title": "A", "colour": ""}, None, "colour"),
            ({"title": "A"}, ", Roy", "no family name"),
            ({"title": "A", "type": "poster"}, None, "not one of")]:
        with pytest.raises(SpineLibError, match=why):
            lib.by_hand.add(values, authors)
    assert lib.search.count(Query()) == 0


def test_an_identifier_the_library_holds_is_refused_naming_the_article(lib: Library) -> None:
    held = lib.articles.add_record(make_record())
    with pytest.raises(SpineLibError, match=f"already belongs to {held.citekey}"):
        lib.by_hand.add({"title": "Another paper", "pmid": "16112300"})
    with pytest.raises(SpineLibError, match="already belongs"):
        lib.by_hand.add({"title": "Another", "doi": "https://doi.org/10.1016/S0140-6736(05)66954-1"})
    lib.trash.delete([held.article_id])
    with pytest.raises(SpineLibError, match="in the trash"):
        lib.by_hand.add({"title": "Another paper", "pmid": "16112300"})
    assert lib.search.count(Query()) == 0


def test_tags_and_reading_lists_are_named_before_anything_is_written(lib: Library) -> None:
    lib.lists.create("Journal club")
    with pytest.raises(SpineLibError, match="unknown tag"):
        lib.by_hand.add(GUIDELINE, tags=["no such technique"])
    with pytest.raises(NoMatch):
        lib.by_hand.add(GUIDELINE, lists=["No such list"])
    assert lib.search.count(Query()) == 0
    res = lib.by_hand.add({"title": "Separation surgery and SBRT for epidural compression: "
                                    "an abstract", "type": "conference",
                           "book_title": "NASS Annual Meeting 2025"},
                          "Laufer, Ilya", tags=["kyphoplasty"], lists=["journal CLUB"])
    assert lib.search.ids(Query(tags=["kyphoplasty"])) == [res.article_id]
    assert lib.search.ids(Query(reading_list="Journal club")) == [res.article_id]
    # Its words suggest techniques as an import's do.
    suggested = {t.id for t in lib.tags.state(res.article_id).suggested}
    assert "separation_surgery" in suggested


def test_one_undo_takes_the_typed_article_away_and_redo_brings_it_back(lib: Library) -> None:
    lib.lists.create("Journal club")
    res = lib.by_hand.add(GUIDELINE, "NCCN", lists=["Journal club"])
    before = article_json(lib, res.article_id)
    assert lib.history.undo().name == f"addition of {res.citekey}"
    assert lib.search.count(Query()) == 0
    assert lib.lists.all()[0].count == 0
    lib.history.redo()
    assert article_json(lib, res.article_id) == before
    assert lib.search.ids(Query(reading_list="Journal club")) == [res.article_id]
    assert lib.edits.user_edited(res.article_id) == {*GUIDELINE, "authors"}


def test_the_same_entry_typed_twice_is_refused_and_a_near_twin_is_a_duplicate(
        lib: Library) -> None:
    """The very entry again (a second Save, a form filled twice) is refused naming the
    article, and changes nothing; the same title, year and author with other pages is
    another article, which Duplicates lists, as two PMIDs of one title are."""
    typed = {"title": "Spinal metastases: a practical guide", "year": "2024"}
    first = lib.by_hand.add(typed, "Bilsky, Mark")
    with pytest.raises(SpineLibError, match=f"already in the library as {first.citekey}"):
        lib.by_hand.add({**typed, "abstract": "Words typed the second time."}, "Bilsky, Mark")
    assert lib.articles.record(first.article_id).abstract == ""
    assert lib.history.operations()[0].name == f"addition of {first.citekey}"
    assert first.messages == []
    second = lib.by_hand.add({**typed, "pages": "45-67"}, "Bilsky, Mark")
    assert second.citekey != first.citekey
    assert second.messages == [f"looks like {first.citekey} (same title, year and first "
                               "author): Duplicates lists them, to merge or to keep apart"]
    assert [sorted(g.ids) for g in lib.duplicates.candidates()] == [
        sorted([first.article_id, second.article_id])]
    online = lib.by_hand.add({**typed, "year": "2023", "journal": "Spine"}, "Bilsky, Mark")
    assert online.messages[0].startswith(
        "looks like bilsky2024spinal, bilsky2024spinala (same title and first author, years "
        "2023 and 2024 (online, then in print?))")


def test_a_key_typed_with_the_article_is_its_key_and_a_held_one_is_refused(
        lib: Library) -> None:
    """A guideline is cited as the author chooses ("nccn2026"); a key another article
    holds, in any letter case or as an earlier key a manuscript may still cite, is refused
    naming that article, and nothing is added."""
    res = lib.by_hand.add(GUIDELINE, "NCCN", citekey=" nccn2026 ")
    assert res.citekey == "nccn2026"
    assert lib.articles.resolve_key("nccn2026") == res.article_id
    held = lib.articles.add_record(make_record())
    lib.articles.rekey(held.article_id, "laufer2013")
    for key, why in [("nccn2026", "'nccn2026' is already used by another article"),
                     ("NCCN2026", "already used by another article in another letter"),
                     ("laufer2013", "already used"),
                     (held.citekey, "is an earlier key of laufer2013"),
                     ("nccn 2026", "not a valid citation key"),
                     ("{nccn}", "not a valid citation key")]:
        with pytest.raises(SpineLibError, match=why):
            lib.by_hand.add({**GUIDELINE, "title": "Another guideline"}, citekey=key)
    assert lib.search.count(Query()) == 2
    # A blank key is no key: one is generated, as without it.
    blank = lib.by_hand.add({**GUIDELINE, "title": "Another guideline"}, citekey="  ")
    assert blank.citekey.endswith("2026another")
    assert lib.history.undo().name == f"addition of {blank.citekey}"


def test_a_key_is_refused_in_the_same_words_wherever_it_is_typed(lib: Library) -> None:
    """``add --key``, ``rekey`` and the forms' field said three different things."""
    from spinelib.citekeys import key_form_problem

    said = key_form_problem("nccn 2026")
    assert said.startswith("'nccn 2026' is not a valid citation key: letters, digits")
    assert key_form_problem("nccn2026") == ""
    with pytest.raises(SpineLibError) as added:
        lib.by_hand.add({"title": "NCCN Guidelines"}, citekey="nccn 2026")
    assert str(added.value) == f"{said}; nothing was added"
    article = lib.by_hand.add({"title": "NCCN Guidelines"}).article_id
    with pytest.raises(SpineLibError) as rekeyed:
        lib.articles.rekey(article, "nccn 2026")
    assert str(rekeyed.value) == said
