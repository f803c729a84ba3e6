"""Curation in the core (issue 15): edits, the trash, duplicates and merges, aliases."""

from __future__ import annotations

import pytest

from spinelib.errors import SpineLibError
from spinelib.library import Library, Query
from spinelib.records import RECORD_TYPES, Author
from spinelib.serialize import article_json

from .helpers import make_record


def twin(lib: Library, pmid: str, **kw: object) -> int:
    return lib.articles.add_record(make_record(pmid=pmid, doi="", **kw)).article_id


# ---- edit
def test_edit_sets_fields_and_remembers_them_as_the_users(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    changed = lib.edits.edit(a, {"year": "2006", "journal": "The Lancet", "month": "Sep"},
                             "Patchell, Roy A; Tibbs, Phillip")
    assert sorted(changed) == ["authors", "journal", "month", "year"]
    rec = lib.articles.record(a)
    assert (rec.year, rec.month, rec.journal) == (2006, 9, "The Lancet")
    assert [x.family for x in rec.authors] == ["Patchell", "Tibbs"]
    assert lib.edits.user_edited(a) == {"authors", "journal", "month", "year"}
    assert lib.search.ids(Query(search="author:tibbs year:2006")) == [a]


def test_every_type_the_readers_make_can_be_typed_in_an_edit(lib: Library) -> None:
    """A web page or a proceedings volume was refused by `edit --set type=…` though the
    readers make them and the exports write them (and 'dataset', which no export knows,
    was accepted)."""
    a = lib.articles.add_record(make_record()).article_id
    for kind in RECORD_TYPES:
        lib.edits.edit(a, {"type": kind})
        assert lib.articles.record(a).type == kind
    with pytest.raises(SpineLibError, match="webpage"):  # the refusal lists it
        lib.edits.edit(a, {"type": "dataset"})


def test_a_line_break_typed_in_a_one_line_field_is_a_space(lib: Library) -> None:
    """A journal's name copied from a PDF's two lines was stored with its line break; the
    abstract keeps its paragraphs."""
    a = lib.articles.add_record(make_record()).article_id
    lib.edits.edit(a, {"journal": "Global Spine\nJournal ", "volume": "15\r\n",
                       "abstract": "BACKGROUND: one.\n\nMETHODS: two."})
    rec = lib.articles.record(a)
    assert (rec.journal, rec.volume) == ("Global Spine Journal", "15")
    assert rec.abstract == "BACKGROUND: one.\n\nMETHODS: two."


def test_a_thesis_s_school_and_a_report_s_number_can_be_typed(lib: Library) -> None:
    """The export warned "missing school" of a thesis and "missing institution" of a
    report, but no edit could set either (nor a report's number)."""
    from spinelib.formats.bibtex.write import write_bibtex

    thesis = lib.by_hand.add({"title": "Outcomes of separation surgery", "type": "thesis",
                              "year": "2020", "institution": "Karolinska Institutet"},
                             "Doe, Jane").article_id
    report = lib.articles.add_record(make_record(type="report", journal="")).article_id
    lib.edits.edit(report, {"institution": "North American Spine Society",
                            "report_number": "NASS-2025-01"})
    bib = write_bibtex(lib.articles.records([thesis, report]))
    assert "school = {Karolinska Institutet}" in bib
    assert "institution = {North American Spine Society}" in bib
    assert "number = {NASS-2025-01}" in bib
    assert lib.edits.user_edited(report) == {"institution", "report_number"}


def test_a_chapter_s_book_publisher_place_and_url_can_be_corrected(lib: Library) -> None:
    """A chapter imported with a wrong book title had no field to correct it in."""
    a = lib.articles.add_record(make_record(type="chapter", journal="", journal_abbrev="",
                                            book_title="Spine Oncology Handbok")).article_id
    changed = lib.edits.edit(a, {"book_title": "Spine Oncology Handbook", "publisher": "Thieme",
                                 "place": "New York", "url": "https://example.org/ch5"})
    assert sorted(changed) == ["book_title", "place", "publisher", "url"]
    rec = lib.articles.record(a)
    assert (rec.book_title, rec.publisher, rec.place, rec.url) == (
        "Spine Oncology Handbook", "Thieme", "New York", "https://example.org/ch5")
    assert lib.edits.user_edited(a) == {"book_title", "place", "publisher", "url"}
    # Remembered as the user's: a re-import of the old record does not bring the typo back.
    lib.articles.add_record(make_record(type="chapter", journal="", journal_abbrev="",
                                        book_title="Spine Oncology Handbok"))
    assert lib.articles.record(a).book_title == "Spine Oncology Handbook"


def test_one_invalid_value_refuses_the_whole_edit(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    before = article_json(lib, a)
    for values, words in [({"year": "20015", "journal": "X"}, "year"),
                          ({"doi": "not a doi"}, "not a DOI"),
                          ({"pmid": "12ab"}, "not a PMID"),
                          ({"pmid": "0"}, "PMIDs start at 1"),
                          ({"pmid": "000"}, "PMIDs start at 1"),
                          ({"pmid": "10.1234/x"}, "not a PMID"),
                          ({"doi": "16112300"}, "not a DOI"),
                          ({"pmcid": "123"}, "not a PMCID"),
                          ({"month": "13"}, "not a month"),
                          ({"type": "poem"}, "not one of"),
                          ({"title": "  "}, "needs a title"),
                          ({"colour": "red"}, "cannot edit"),
                          ({"title": "bad\x1b[31m"}, "control characters")]:
        with pytest.raises(SpineLibError, match=words):
            lib.edits.edit(a, values)
    with pytest.raises(SpineLibError, match="no family name"):
        lib.edits.edit(a, {}, ", Roy")
    assert article_json(lib, a) == before
    assert lib.edits.user_edited(a) == set()


def test_identifier_held_by_another_article_is_refused_naming_it(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    b = lib.articles.add_record(make_record(doi="10.1234/other", pmid="2", title="Other paper on SBRT")
                                ).article_id
    with pytest.raises(SpineLibError, match="already belongs to patchell2005direct"):
        lib.edits.edit(b, {"pmid": "16112300"})
    with pytest.raises(SpineLibError, match="DOI 10.1016/s0140-6736"):
        lib.edits.edit(b, {"doi": "https://doi.org/10.1016/S0140-6736(05)66954-1"})
    assert lib.articles.record(b).pmid == "2"
    lib.edits.edit(a, {"doi": "DOI: 10.1016/S0140-6736(05)66954-1"})  # its own: accepted
    assert lib.articles.record(a).doi == "10.1016/s0140-6736(05)66954-1"


def test_identifiers_are_read_as_the_import_box_reads_them(lib: Library) -> None:
    """Pasted links and labels are accepted and stored normalised, as an import stores them."""
    a = lib.articles.add_record(make_record(pmid="", pmcid="", doi="")).article_id
    lib.edits.edit(a, {"pmid": "https://pubmed.ncbi.nlm.nih.gov/16112300/",
                       "pmcid": "pmcid: pmc1234567", "doi": "doi.org/10.1016/S0140-6736(05)66954-1"})
    rec = lib.articles.record(a)
    assert (rec.pmid, rec.pmcid, rec.doi) == ("16112300", "PMC1234567",
                                              "10.1016/s0140-6736(05)66954-1")


def test_edited_fields_survive_reimport(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.edits.edit(a, {"abstract": "", "title": "My corrected title for this landmark trial"})
    lib.articles.add_record(make_record())  # the same record again: would fill the abstract
    rec = lib.articles.record(a)
    assert rec.abstract == "" and rec.title == "My corrected title for this landmark trial"


def test_editing_an_article_deleted_meanwhile_is_a_plain_error(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.trash.delete([a])
    with pytest.raises(SpineLibError, match="in the trash"):
        lib.edits.edit(a, {"year": "2006"})


# ---- trash
def test_delete_moves_to_trash_and_restore_brings_everything_back(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    keep = lib.articles.add_record(make_record(doi="", pmid="3", title="Other paper on SBRT")
                                   ).article_id
    lib.tags.create("journal club")
    lib.tags.add([a], ["journal club"])
    lib.articles.set_notes(a, "discussed on Monday")
    lib.articles.set_read_status([a], 2)
    lib.lists.create("Reading")
    lib.lists.add("Reading", [keep, a])
    lib.lists.move("Reading", [a], 0)
    suggested = lib.tags.state(a).suggested
    before = article_json(lib, a)

    assert lib.trash.delete([a]) == 1
    assert lib.search.ids(Query()) == [keep]
    assert lib.search.count() == 1 and lib.search.sidebar_counts().all == 1
    assert lib.lists.items("Reading") == [keep]
    assert lib.search.matching("decompressive") == []
    assert [t.count for t in lib.tags.counts() if t.id == "journal club"] == [0]
    assert [e.citekey for e in lib.trash.entries()] == ["patchell2005direct"]
    with pytest.raises(SpineLibError, match="in the trash"):
        lib.articles.resolve_key("patchell2005direct")

    [res] = lib.trash.restore([lib.trash.resolve_key("16112300")])
    assert res.article_id == a and res.messages == []
    assert article_json(lib, a) == before
    assert lib.lists.items("Reading") == [a, keep]
    assert lib.tags.state(a).suggested == suggested
    assert lib.trash.entries() == []


def test_reimporting_a_trashed_identifier_restores_it(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.articles.set_notes(a, "mine")
    lib.trash.delete([a])
    res = lib.articles.add_record(make_record())
    assert res.article_id == a and res.status == "updated"
    assert "restored from the trash" in res.messages
    assert lib.articles.record(a).notes == "mine" and lib.trash.entries() == []
    assert lib.search.count() == 1


def test_a_trashed_identifier_is_not_given_away_until_emptied(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.trash.delete([a])
    b = lib.articles.add_record(make_record(doi="", pmid="", title="Another paper on SBRT")
                                ).article_id
    with pytest.raises(SpineLibError, match="in the trash"):
        lib.edits.edit(b, {"pmid": "16112300"})
    lib.trash.empty()  # gone for good: now the PMID is free
    assert lib.trash.entries() == []
    lib.edits.edit(b, {"pmid": "16112300"})
    assert lib.articles.resolve_key("16112300") == b


def test_restore_with_identifier_now_held_elsewhere_is_refused(lib: Library) -> None:
    a = lib.articles.add_record(make_record(doi="")).article_id
    lib.trash.delete([a])
    # Another process stored the PMID on a new article (an import bypassing the trash check
    # is impossible, so write it as a fresh record with a DOI that matches nothing).
    other = lib.articles.add_record(make_record(doi="10.9999/x", pmid="", title="Unrelated SBRT"))
    with lib.store.writing() as conn:  # simulate the other writer
        lib.store.articles.update(conn, [other.article_id], {"pmid": "16112300"})
    with pytest.raises(SpineLibError, match="now belongs to"):
        lib.trash.restore([a])
    assert [e.article_id for e in lib.trash.entries()] == [a]


def test_restore_when_key_was_taken_gives_a_fresh_key(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.trash.delete([a])
    lib.articles.add_record(make_record(doi="10.9999/x", pmid="9", pages="1-2"))  # takes the key
    [res] = lib.trash.restore([a])
    assert res.citekey != "patchell2005direct" and "restored as" in res.messages[0]
    assert lib.search.count() == 2


def test_trash_empty_older_than(lib: Library) -> None:
    a = lib.articles.add_record(make_record()).article_id
    lib.trash.delete([a])
    assert lib.trash.empty(older_than_days=30) == 0
    assert lib.trash.empty(older_than_days=0) in (0, 1)  # same second: not yet older
    lib.trash.empty()
    assert lib.trash.entries() == []
    with pytest.raises(SpineLibError):
        lib.trash.empty(older_than_days=-1)


# ---- duplicates and merge
def test_distinct_pmids_with_same_title_are_kept_apart_and_listed(lib: Library) -> None:
    a = twin(lib, "111")
    b = twin(lib, "222")
    assert a != b and lib.search.count() == 2
    assert lib.articles.add_record(make_record(pmid="222", doi="")).status == "unchanged"
    [group] = lib.duplicates.candidates()
    assert group.ids == [a, b]
    assert group.reason == "same title, year and first author; different PMIDs"
    lib.duplicates.dismiss([a, b])
    assert lib.duplicates.candidates() == []


def test_other_first_author_or_years_further_apart_are_no_candidate(lib: Library) -> None:
    twin(lib, "111")
    twin(lib, "222", year=2007)
    twin(lib, "333", authors=[Author("Laufer", "Ilya", "I")])
    assert lib.duplicates.candidates() == []


def test_a_year_apart_is_a_candidate_online_first_then_in_print(lib: Library) -> None:
    """A .bib without DOIs dates a paper by its online year, PubMed by its issue's: the
    same title and first author a year apart were never listed, as Zotero lists them."""
    printed = twin(lib, "111", year=2024)
    online = lib.articles.add_record(make_record(pmid="", doi="", year=2023,
                                                 journal="Global Spine J")).article_id
    twin(lib, "333", year=2021)  # three years before: another paper of that title
    [group] = lib.duplicates.candidates()
    assert group.ids == [printed, online]
    assert group.reason == ("same title and first author, years 2023 and 2024 (online, "
                            "then in print?); identifiers missing on some")
    assert lib.duplicates.look_alikes([online]) == [online]


def test_merge_unites_and_keeps_aliases(lib: Library) -> None:
    a = twin(lib, "111", abstract="")
    b = twin(lib, "222", journal="Other journal")
    lib.edits.edit(b, {"doi": "10.5555/b"})
    lib.tags.create("journal club")
    lib.tags.add([b], ["journal club"])
    lib.articles.set_notes(a, "note a")
    lib.articles.set_notes(b, "note b")
    lib.articles.set_read_status([b], 2)
    lib.lists.create("Reading")
    lib.lists.add("Reading", [b])
    key_b = lib.articles.citekey(b)

    res = lib.duplicates.merge(a, [b])
    assert res.article_id == a and res.merged_keys == [key_b]
    assert "abstract" in res.filled and "doi" in res.filled
    rec = lib.articles.record(a)
    assert rec.journal == "Lancet"  # the kept article's value wins
    assert rec.abstract.startswith("BACKGROUND") and rec.doi == "10.5555/b"
    assert rec.notes == "note a\n\nnote b" and "journal club" in rec.tags
    assert lib.articles.state(a).read_status == 2
    assert lib.lists.items("Reading") == [a]
    assert lib.search.count() == 1
    # Old keys and the other PMID still find the merged article...
    assert lib.articles.resolve_key(key_b) == a
    assert lib.articles.resolve_key("222") == a
    # ...and re-importing the other PMID updates it instead of making a second one.
    again = lib.articles.add_record(make_record(pmid="222", doi=""))
    assert again.article_id == a and lib.search.count() == 1
    assert lib.duplicates.candidates() == []


def test_merge_refuses_bad_input_and_changes_nothing(lib: Library) -> None:
    a = twin(lib, "111")
    b = twin(lib, "222")
    with pytest.raises(SpineLibError, match="itself"):
        lib.duplicates.merge(a, [a])
    with pytest.raises(SpineLibError):
        lib.duplicates.merge(a, [])
    with pytest.raises(SpineLibError, match="no longer exists"):
        lib.duplicates.merge(a, [b, 999])
    assert lib.search.count() == 2 and lib.history.operations() == []


def test_merge_with_field_choices(lib: Library) -> None:
    a = twin(lib, "111")
    b = twin(lib, "222", journal="Spine")
    lib.duplicates.merge(a, [b], choices={"journal": b})
    assert lib.articles.record(a).journal == "Spine"
    with pytest.raises(SpineLibError):
        lib.duplicates.merge(a, [twin(lib, "333")], choices={"pmid": a})
