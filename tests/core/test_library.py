"""The Library facade: merge rules, search, tags, lists, pending queue, keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinelib.errors import NoMatch, SpineLibError
from spinelib.library import Library, Query
from spinelib.records import Author, ReferenceEntry
from spinelib.serialize import article_json
from spinelib.store.sqlite.dialect import fts5_query as fts_query

from .helpers import make_record


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def test_new_record_is_imported_with_everything(lib: Library) -> None:
    res = lib.articles.add_record(make_record())
    assert res.status == "imported"
    assert res.citekey == "patchell2005direct"
    rec = lib.articles.record(res.article_id)
    assert [a.family for a in rec.authors] == ["Patchell", "Tibbs", "Müller"]
    assert len(rec.references) == 2 and rec.references[0].pmid == "11111111"
    assert rec.mesh[0].ui == "D013125" and rec.mesh[0].major
    assert lib.search.count() == 1


@pytest.mark.parametrize("match", [
    {"doi": "10.1016/S0140-6736(05)66954-1", "pmid": ""},     # DOI, other case
    {"doi": "", "pmid": "16112300"},                           # PMID only
    {"doi": "", "pmid": "", "pmcid": "PMC42", "title": "x"},   # PMCID (after it is learned)
])
def test_merge_by_identifier_updates_without_erasing(lib: Library, match: dict) -> None:
    first = lib.articles.add_record(make_record(pmcid="PMC42", abstract="", volume=""))
    lib.articles.set_notes(first.article_id, "my note")
    lib.articles.set_read_status([first.article_id], 2)
    lib.tags.add([first.article_id], ["kyphoplasty"]) if lib.taxonomy.find("kyphoplasty") else None
    incoming = make_record(abstract="A new abstract.", volume="366", notes="", **match)
    incoming.doi = incoming.doi.lower()
    res = lib.articles.add_record(incoming)
    assert res.article_id == first.article_id
    assert res.status == "updated"
    data = article_json(lib, first.article_id)
    assert data["abstract"] == "A new abstract." and data["volume"] == "366"
    assert data["notes"] == "my note" and data["read_status"] == "read"
    assert data["citekey"] == "patchell2005direct"
    assert lib.search.count() == 1


def test_merge_never_overwrites_filled_fields(lib: Library) -> None:
    first = lib.articles.add_record(make_record())
    res = lib.articles.add_record(make_record(title="Another title", journal="Other"))
    assert res.status == "unchanged"
    assert lib.articles.record(first.article_id).title.startswith("Direct decompressive")


def test_title_year_author_twins_are_candidates_not_merges(lib: Library) -> None:
    """Issue 15: the same title, year and first author never merges by itself."""
    a = lib.articles.add_record(make_record(doi="", pmid=""))
    b = lib.articles.add_record(make_record(doi="", pmid="", pages="S1-S2",
                                            title=make_record().title.upper() + "."))
    assert a.article_id != b.article_id
    again = lib.articles.add_record(make_record(doi="", pmid=""))  # the same entry read again
    assert again.article_id == a.article_id and again.status == "unchanged"
    c = lib.articles.add_record(make_record(doi="", pmid="", year=2007))
    assert c.article_id != a.article_id
    groups = lib.duplicates.candidates()
    assert [g.ids for g in groups] == [[a.article_id, b.article_id]]
    assert groups[0].reason == "same title, year and first author; no identifiers"


def test_a_short_title_read_again_is_the_same_entry_by_its_key_or_its_pages(
        lib: Library) -> None:
    """A title too short to tell works apart ("The NOMS framework") still finds the entry
    it is, read again from the same file: by its citation key with its first author, or by
    journal, volume and pages; never by title and year alone."""
    short = {"doi": "", "pmid": "", "title": "The NOMS framework", "year": 2013,
             "authors": [Author("Laufer", "Ilya", "I")], "journal": "Oncologist"}
    keyed = lib.articles.add_record(make_record(**short, citekey="Laufer2013", volume="",
                                                pages=""))
    again = lib.articles.add_record(make_record(**short, citekey="Laufer2013", volume="",
                                                pages=""))
    assert (again.status, again.article_id) == ("unchanged", keyed.article_id)
    # The same key on another author's paper of that title is another work.
    other = lib.articles.add_record(make_record(**{**short, "authors": [Author("Bilsky", "M")]},
                                                citekey="Laufer2013", volume="", pages=""))
    assert other.status == "imported"
    # Without a key (RIS): the volume and pages decide; without them it is a new article.
    paged = lib.articles.add_record(make_record(**short, volume="18", pages="744-751"))
    assert paged.status == "imported"
    assert lib.articles.add_record(make_record(**short, volume="18", pages="744-751")
                                   ).article_id == paged.article_id
    bare = lib.articles.add_record(make_record(**short, volume="", pages=""))
    assert bare.status == "imported" and bare.article_id not in (keyed.article_id,
                                                                paged.article_id)


def test_identifier_owned_by_another_article_is_not_stolen(lib: Library) -> None:
    a = lib.articles.add_record(make_record(doi="10.1234/a", pmid="1"))
    b = lib.articles.add_record(make_record(doi="10.1234/b", pmid="", title="Other paper on SBRT"))
    res = lib.articles.add_record(make_record(doi="10.1234/b", pmid="1", title="Other paper on SBRT"))
    assert res.article_id == a.article_id or res.article_id == b.article_id
    assert lib.search.count() == 2


def test_citekey_collisions_get_suffixes_and_stay_stable(lib: Library) -> None:
    k1 = lib.articles.add_record(make_record(doi="10.1234/one", pmid="1")).citekey
    k2 = lib.articles.add_record(make_record(doi="10.1234/two", pmid="2", title=make_record().title + " II")).citekey
    assert (k1, k2) == ("patchell2005direct", "patchell2005directa")
    lib.articles.add_record(make_record(doi="10.1234/one", pmid="1", abstract="changed"))
    assert lib.articles.citekey(lib.articles.resolve_key("10.1234/one")) == k1


def test_given_citekey_kept_or_replaced_with_message(lib: Library) -> None:
    a = lib.articles.add_record(make_record(citekey="Patchell:2005"))
    assert a.citekey == "Patchell:2005"
    b = lib.articles.add_record(make_record(doi="10.1234/x", pmid="9", title="Different",
                                   citekey="Patchell:2005"))
    assert b.citekey != "Patchell:2005"
    assert "already used" in " ".join(b.messages)


def test_resolve_key_order(lib: Library) -> None:
    res = lib.articles.add_record(make_record(pmcid="PMC7"))
    for key in ("patchell2005direct", "16112300", "PMID:16112300", "PMC7",
                "https://doi.org/10.1016/S0140-6736(05)66954-1", f"id:{res.article_id}"):
        assert lib.articles.resolve_key(key) == res.article_id
    with pytest.raises(NoMatch, match="no article matches 'nothing'"):
        lib.articles.resolve_key("nothing")
    with pytest.raises(NoMatch):
        lib.articles.resolve_key("id:999")


@pytest.mark.parametrize("query", [
    "muller", "Müller", "MULLER", "decompress", "spinal cord", '"surgical resection"',
    "radiotherap", "Lancet", "metastatic spinal",
])
def test_search_finds(lib: Library, query: str) -> None:
    res = lib.articles.add_record(make_record())
    assert lib.search.matching(query) == [res.article_id]


#: Search syntax and SQL are only text: punctuation and operators are dropped, each word left
#: must begin a word of the article (title, abstract, authors, tags...; the record's tags
#: include "Decompression and tumour resection"), and text with no word left filters nothing.
@pytest.mark.parametrize(("query", "found"), [
    ('"', True), ('"unbalanced', False), ("NEAR(", False), ("NEAR(a b", False), ("*", True),
    ("-", True), ("-spinal", False), ("(((", True), (")", True), ("a AND", True), ("OR", True),
    ("title:spinal", True), ("abstract:spinal", False), ("^x", False), ("a:b:c", True), ("'", True), ("\\", True),
    ("\x00", True), ("NOT", False), ("'; DROP TABLE article; --", False), ("{", True),
    ("[", True), ("spinal*", True), ("+", True), ("~", True),
])
def test_search_is_safe_for_any_text(lib: Library, query: str, found: bool) -> None:
    res = lib.articles.add_record(make_record())
    assert lib.search.matching(query) == ([res.article_id] if found else [])
    assert lib.search.count() == 1  # a search, and nothing else, was run


def test_fts_query_quotes_everything() -> None:
    assert fts_query('NEAR(spinal "cord comp') == '"NEAR"* "spinal"* "cord"* "comp"*'
    assert fts_query('"en bloc" TES') == '"en bloc" "TES"*'
    assert fts_query("***") == ""


def test_search_covers_notes_and_tags(lib: Library) -> None:
    res = lib.articles.add_record(make_record())
    lib.articles.set_notes(res.article_id, "discuss at journal club")
    assert lib.search.matching("journal club") == [res.article_id]
    tag = lib.tags.create("Grand rounds, 2026")
    lib.tags.add([res.article_id], [tag])
    assert lib.search.matching("grand rounds") == [res.article_id]


def test_delete_removes_everything(lib: Library) -> None:
    res = lib.articles.add_record(make_record())
    assert lib.articles.delete([res.article_id]) == 1
    assert lib.search.count() == 0 and lib.search.matching("muller") == []
    assert lib.check() == []


def test_references_marked_in_library_and_cited_by(lib: Library) -> None:
    citing = lib.articles.add_record(make_record())
    cited = lib.articles.add_record(make_record(doi="10.1097/00007632-200101010-00001", pmid="",
                                       title="Earlier trial", authors=[Author("Smith", "A")],
                                       references=[]))
    refs = lib.articles.references(citing.article_id)
    assert [r.in_library for r in refs] == [True, False]
    assert refs[0].article_id == cited.article_id
    assert lib.articles.cited_by(cited.article_id) == [citing.article_id]
    assert article_json(lib, cited.article_id)["cited_by"] == ["patchell2005direct"]


def test_user_tags_with_odd_names_and_hierarchy(lib: Library) -> None:
    res = lib.articles.add_record(make_record())
    parent = lib.tags.create('Résumé, "to read"/2026')
    child = lib.tags.create("Kid", parent=parent)
    lib.tags.add([res.article_id], [child])
    assert lib.search.ids(Query(tags=[parent])) == [res.article_id]
    assert lib.articles.record(res.article_id).tags == ["Kid"]
    renamed = lib.tags.rename("Kid", "Child tag")
    assert lib.articles.record(res.article_id).tags == [renamed]
    other = lib.tags.create("Other")
    assert lib.tags.merge("Child tag", other) == 1
    assert lib.articles.record(res.article_id).tags == ["Other"]


def test_a_tag_name_taken_in_any_letter_case_is_refused(lib: Library) -> None:
    lib.tags.create("To read")
    later = lib.tags.create("later")
    for taken in ("to READ", "Balloon Kyphoplasty"):
        with pytest.raises(SpineLibError, match="already exists"):
            lib.tags.create(taken)
    with pytest.raises(SpineLibError, match="tag 'To read' already exists; merge instead"):
        lib.tags.rename(later, "TO READ")
    assert lib.tags.rename(later, "Later") == "Later"  # its own name, in another case
    assert sorted(t.id for t in lib.tags.counts() if t.origin == "user") == ["Later", "To read"]


def test_unknown_tag_lists_close_matches(lib: Library) -> None:
    with pytest.raises(SpineLibError, match="unknown tag 'kyphoplastyy'.*did you mean"):
        lib.tags.resolve("kyphoplastyy")


def test_reading_lists_keep_order(lib: Library) -> None:
    ids = [lib.articles.add_record(make_record(doi=f"10.1234/{n}", pmid=str(n), title=f"Paper {n} on SBRT")).article_id
           for n in range(1, 5)]
    lib.lists.create("Journal club")
    with pytest.raises(SpineLibError, match="already exists"):
        lib.lists.create("Journal club")
    assert lib.lists.add("Journal club", ids) == 4
    assert lib.lists.add("Journal club", ids[:1]) == 0
    lib.lists.move("Journal club", [ids[3]], 0)
    assert lib.lists.items("Journal club") == [ids[3], ids[0], ids[1], ids[2]]
    lib.lists.remove("Journal club", [ids[0]])
    assert lib.search.ids(Query(reading_list="Journal club", sort="list")) == [ids[3], ids[1], ids[2]]
    lib.lists.rename("Journal club", "JC")
    lib.lists.delete("JC")
    with pytest.raises(NoMatch):
        lib.lists.items("JC")
    assert lib.search.count() == 4


def test_a_reading_list_name_is_found_in_any_letter_case(lib: Library) -> None:
    lib.lists.create("Journal club")
    # A second list differing only in case would be found by neither spelling.
    with pytest.raises(SpineLibError, match="a reading list named 'Journal club' already"):
        lib.lists.create("JOURNAL CLUB")
    lib.lists.create("Spine board")
    with pytest.raises(SpineLibError, match="named 'Spine board' already"):
        lib.lists.rename("journal club", "spine BOARD")
    lib.lists.rename("journal club", "Journal Club")  # its own case may change
    assert [e.name for e in lib.lists.all()] == ["Journal Club", "Spine board"]
    assert lib.lists.name_of("journal CLUB") == "Journal Club"
    assert lib.lists.list_id("journal club") == lib.lists.list_id("Journal Club")
    assert lib.search.ids(Query(reading_list="journal club")) == []
    with pytest.raises(NoMatch, match="no reading list named 'club'; reading lists: "
                                      "'Journal Club', 'Spine board'"):
        lib.lists.items("club")
    # Names that differ only in case (as a team library may bring them): exact only.
    with lib.store.writing() as conn:
        lib.store.lists.create(conn, "SPINE BOARD", "2026-01-01")
    assert lib.lists.name_of("SPINE BOARD") == "SPINE BOARD"
    with pytest.raises(NoMatch):
        lib.lists.name_of("spine Board")


def test_pending_queue(lib: Library) -> None:
    lib.pending.queue("16112300", "cannot reach PubMed", tags=["x"])
    lib.pending.queue("16112300", "cannot reach PubMed again")
    [entry] = lib.pending.all()
    assert entry.attempts == 2 and entry.reason.endswith("again")
    lib.pending.remove(["16112300"])
    assert lib.pending.all() == []


def test_failed_record_in_batch_leaves_nothing_half_written(lib: Library,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    good = make_record()
    bad = make_record(doi="10.1234/bad", pmid="2", title="Bad one",
                      references=[ReferenceEntry(1, "x")])
    original = lib.store.articles.insert_references

    def explode(conn, article_id, refs):  # type: ignore[no-untyped-def]
        if refs and refs[0].citation == "x":
            raise RuntimeError("disk on fire")
        return original(conn, article_id, refs)

    monkeypatch.setattr(lib.store.articles, "insert_references", explode)
    original_bulk = lib.store.bulk.insert_references

    def explode_bulk(conn, refs):  # type: ignore[no-untyped-def]
        # The bulk path writes a run's references at once: it fails for the whole run, which
        # is then merged record by record (where ``explode`` fails the bad one alone).
        if any(entries and entries[0].citation == "x" for _, entries in refs):
            raise RuntimeError("disk on fire")
        return original_bulk(conn, refs)

    monkeypatch.setattr(lib.store.bulk, "insert_references", explode_bulk)
    results = lib.articles.add_records([good, bad])
    assert [r.status for r in results] == ["imported", "failed"]
    assert "disk on fire" in results[1].messages[0]
    # The failed record was rolled back whole: no article, author or FTS row of it is left.
    assert lib.search.count() == 1
    assert lib.search.matching("bad one") == []
    with pytest.raises(NoMatch):
        lib.articles.resolve_key("10.1234/bad")
    assert lib.check() == []


def test_rekey(lib: Library) -> None:
    res = lib.articles.add_record(make_record())
    assert lib.articles.rekey(res.article_id, "custom:key") == "custom:key"
    with pytest.raises(SpineLibError, match="not a valid"):
        lib.articles.rekey(res.article_id, "bad key")
    assert lib.articles.rekey(res.article_id) == "patchell2005direct"


def test_a_mistyped_key_is_named_and_another_case_is_found(lib: Library) -> None:
    article = lib.articles.add_record(make_record()).article_id
    lib.articles.add_record(make_record(pmid="2", doi="10.1/two", year=2006))
    assert lib.articles.resolve_key("Patchell2005Direct") == article
    with pytest.raises(NoMatch, match=r"^no article matches 'patchel2005direct'; did you "
                                      r"mean patchell2005direct or patchell2006direct\?$"):
        lib.articles.resolve_key("patchel2005direct")
    with pytest.raises(NoMatch, match="did you mean patchell2006direct or patchell2005direct"):
        lib.articles.resolve_key("patchell2007direct")
    # The start of keys (a family name typed alone) names the keys it begins.
    with pytest.raises(NoMatch, match=r"did you mean patchell2005direct or "
                                      r"patchell2006direct\?$") as begun:
        lib.articles.resolve_key("PATCHELL")
    assert begun.value.close == ("patchell2005direct", "patchell2006direct")
    for far in ("zz", "smith2020sbrt", "NEAR("):
        with pytest.raises(NoMatch, match=rf"^no article matches {re.escape(repr(far))}$"):
            lib.articles.resolve_key(far)
    with pytest.raises(NoMatch) as wild:  # no LIKE wildcards: no key is close to it
        lib.articles.resolve_key("pat_%")
    assert "did you mean" not in str(wild.value)
    # Words typed where a key goes ("spinelib show decompressive") name what they find.
    with pytest.raises(NoMatch, match=r"^no article has the key 'decompressive'; its words "
                       r"find 2 articles: patchell2006direct, patchell2005direct \(spinelib "
                       r"list decompressive\)$") as words:
        lib.articles.resolve_key("decompressive")
    assert words.value.close == ("patchell2006direct", "patchell2005direct")
    lib.articles.add_record(make_record(pmid="3", doi="10.1/three", title="The NOMS framework"))
    with pytest.raises(NoMatch, match=r"^no article has the key 'noms'; its words find "
                       r"patchell2005noms \(Patchell 2005, The NOMS framework\)$"):
        lib.articles.resolve_key("noms")


def test_a_new_key_keeps_the_old_one_as_an_alias_and_undoes(lib: Library) -> None:
    """A manuscript or a .bib citing the old key still finds the article; one undo step
    puts the old key back, and the alias goes with it."""
    article = lib.articles.add_record(make_record()).article_id
    lib.articles.rekey(article, "Patchell:RCT")
    assert lib.articles.resolve_key("patchell2005direct") == article
    assert lib.articles.resolve_key("Patchell:RCT") == article
    assert lib.history.undo().name == "rekey of patchell2005direct"
    assert lib.articles.citekey(article) == "patchell2005direct"
    with pytest.raises(NoMatch):
        lib.articles.resolve_key("Patchell:RCT")
    # Back and forth: each key finds it, and no alias shadows a key.
    lib.articles.rekey(article, "a1")
    lib.articles.rekey(article, "patchell2005direct")
    assert lib.articles.resolve_key("a1") == article
    with lib.store.reading() as conn:
        assert lib.store.edits.aliases(conn, article) == [("citekey", "a1")]


def test_sort_orders(lib: Library) -> None:
    a = lib.articles.add_record(make_record(doi="10.1234/a", pmid="1", year=2001, title="Alpha study of SBRT",
                                   authors=[Author("Zeta", "Z")])).article_id
    b = lib.articles.add_record(make_record(doi="10.1234/b", pmid="2", year=2010, title="Beta study",
                                   authors=[Author("Alpha", "A")])).article_id
    assert lib.search.ids(Query(sort="year", descending=False)) == [a, b]
    assert lib.search.ids(Query(sort="first_author", descending=False)) == [b, a]
    assert lib.search.ids(Query(sort="title", descending=True)) == [b, a]
    # Relevance with no words to rank (none typed, or qualifiers only): the newest added
    # first, the table's default, not the oldest first as before.
    newest_first = lib.search.ids(Query())
    assert newest_first == [b, a]
    # (Relevance is never "descending": the best first is its one direction.)
    assert lib.search.ids(Query(sort="relevance", descending=False)) == newest_first
    assert lib.search.ids(Query(search="year:2000..2020", sort="relevance",
                                descending=False)) == newest_first
    assert lib.search.free_text('year:2001 "sbrt" -beta') == '"sbrt"'


def test_sidebar_counts_stay_exact_through_every_change(lib: Library) -> None:
    """The trigger-kept counts equal a fresh count after imports, tag edits and deletes."""
    ids = [lib.articles.add_record(make_record(doi=f"10.1234/k{n}", pmid=str(100 + n),
                                      title=f"Balloon kyphoplasty for myeloma, series {n}",
                                      abstract="Balloon kyphoplasty (BKP) after SBRT.")).article_id
           for n in range(6)]
    own = lib.tags.create("Teaching")
    lib.tags.add(ids[:3], [own])
    lib.tags.reject(ids[0], "balloon_kyphoplasty")
    lib.tags.accept(ids[1], "balloon_kyphoplasty")
    lib.tags.rename(own, "Teaching, 2026")
    lib.articles.delete([ids[5]])

    def fresh() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        with lib.store.reading() as conn:
            tags = {r[0]: r[1] for r in conn.all(
                "SELECT tag_id, count(*) FROM article_tag WHERE origin != 'rejected' "
                "GROUP BY tag_id")}
            facets_ = {(f, v): n for f, v, n in conn.all(
                "SELECT facet, value, count(*) FROM article_facet GROUP BY facet, value")}
        return tags, facets_

    tags, facets_ = fresh()
    counted = {t.id: t.count for t in lib.tags.counts()}
    assert counted["balloon_kyphoplasty"] == tags["balloon_kyphoplasty"] == 4
    assert counted["Teaching, 2026"] == 3
    assert counted["vertebral_augmentation"] >= counted["balloon_kyphoplasty"]
    got = {(f, v): n for f, values in lib.search.facet_counts().items() for v, n in values}
    assert got == facets_
    assert lib.search.sidebar_counts().all == 5
    # Counts within a query use the same rules.
    assert {t.id: t.count for t in lib.tags.counts(Query(search="series"))}[
        "balloon_kyphoplasty"] == 4


def test_counts_survive_upserts_that_fire_the_triggers(lib: Library) -> None:
    """A tag set by UPSERT on a row that exists, then renamed (ON UPDATE CASCADE)."""
    a = lib.articles.add_record(make_record()).article_id
    t = lib.tags.create("Spine board")
    lib.tags.add([a], [t])
    lib.tags.add([a], [t])          # upsert on an existing row
    lib.tags.rename(t, "Spine board 2026")
    other = lib.articles.add_record(make_record(doi="10.1234/o", pmid="7", title="Other")).article_id
    lib.tags.add([other], ["Spine board 2026"])
    assert {c.id: c.count for c in lib.tags.counts()}["Spine board 2026"] == 2


def test_a_folder_of_lists_named_as_a_list_says_what_it_holds(lib: Library) -> None:
    # "Review" is no list, only the folder part of "Review/Chapter 1" and "Review/Chapter
    # 2": naming it lists those first, not every list of the library.
    lib.lists.create("Review/Chapter 1")
    lib.lists.create("Review/Chapter 2")
    lib.lists.create("Journal club")
    with pytest.raises(NoMatch) as caught:
        lib.lists.items("review")
    assert str(caught.value) == ("no reading list named 'review'; the lists under it: "
                                 "'Review/Chapter 1', 'Review/Chapter 2'")
    with pytest.raises(NoMatch, match="no reading list named 'Rev'; reading lists: "):
        lib.lists.items("Rev")  # a part of a folder's name is no folder
