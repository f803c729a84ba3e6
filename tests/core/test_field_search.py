"""Field search qualifiers and saved searches (issue 15)."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinelib.curation_results import SavedSearch
from spinelib.errors import SpineLibError
from spinelib.library import Library, Query
from spinelib.library.fieldquery import parse
from spinelib.records import Author, MeshHeading

from .helpers import make_record


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library.open(tmp_path / "lib.sqlite") as library:
        library.articles.add_record(make_record())  # Patchell 2005, Lancet, has abstract
        library.articles.add_record(make_record(
            pmid="23", doi="", title="Separation surgery and SBRT: a review of hybrid therapy",
            authors=[Author("Laufer", "Ilya", "I"), Author("Bilsky", "Mark H", "MH")],
            year=2013, journal="Journal of Neurosurgery: Spine", journal_abbrev="J Neurosurg Spine",
            abstract="", type="review", publication_types=["Review"],
            mesh=[MeshHeading("D001", "Spinal Cord Compression", True)]))
        library.articles.add_record(make_record(
            pmid="24", doi="", title="Kyphoplasty for pathologic fracture in myeloma patients",
            authors=[Author("Berenson", "James", "J")], year=2018, journal="Lancet Oncol",
            journal_abbrev="Lancet Oncol", mesh=[]))
        yield library


def keys(lib: Library, text: str) -> list[str]:
    return sorted(lib.articles.citekey(i) for i in lib.search.ids(Query(search=text)))


def test_each_qualifier(lib: Library) -> None:
    assert keys(lib, "author:patchell") == ["patchell2005direct"]
    assert keys(lib, "author:BILSKY") == ["laufer2013separation"]  # any author, any case
    assert keys(lib, "author:patch") == []  # family names, not prefixes
    assert keys(lib, "year:2013") == ["laufer2013separation"]
    assert keys(lib, "year:2005..2013") == ["laufer2013separation", "patchell2005direct"]
    assert keys(lib, "year:2014..") == ["berenson2018kyphoplasty"]
    assert keys(lib, "year:..2005") == ["patchell2005direct"]
    assert keys(lib, "journal:spine") == ["laufer2013separation"]
    assert keys(lib, "journal:lancet") == ["berenson2018kyphoplasty", "patchell2005direct"]
    assert keys(lib, 'mesh:"spinal neoplasms"') == ["patchell2005direct"]
    assert keys(lib, "mesh:compression") == ["laufer2013separation"]
    assert keys(lib, "type:review") == ["laufer2013separation"]
    assert keys(lib, "has:abstract") == ["berenson2018kyphoplasty", "patchell2005direct"]
    assert keys(lib, "has:pdf") == []  # nothing attached yet
    assert keys(lib, "-kyphoplasty") == ["laufer2013separation", "patchell2005direct"]
    assert keys(lib, '"pathologic fracture"') == ["berenson2018kyphoplasty"]
    assert keys(lib, '-"pathologic fracture" lancet') == ["patchell2005direct"]


def test_a_phrase_in_words_curly_quotes_is_a_phrase(lib: Library) -> None:
    """Word writes “…” for "…": a phrase copied from a document or an e-mail is still a
    phrase (it was searched as separate words), negated and qualified too."""
    assert keys(lib, "“surgery and SBRT”") == keys(lib, '"surgery and SBRT"') == [
        "laufer2013separation"]
    assert keys(lib, "“myeloma surgery”") == [] != keys(lib, "myeloma surgery")
    assert keys(lib, "-„pathologic fracture“ lancet") == ["patchell2005direct"]
    assert keys(lib, "mesh:“spinal neoplasms”") == ["patchell2005direct"]


def test_pubmeds_not_and_and_in_capitals(lib: Library) -> None:
    """A surgeon types PubMed's syntax: "NOT myeloma" excluded nothing (it searched for the
    words "not" and "myeloma"), "AND" was a word to find."""
    assert keys(lib, "lancet NOT myeloma") == ["patchell2005direct"]
    assert keys(lib, "lancet AND decompressive") == ["patchell2005direct"]
    assert parse("lancet AND decompressive").free_text == "lancet decompressive"
    assert keys(lib, 'NOT "pathologic fracture" AND lancet') == ["patchell2005direct"]
    assert keys(lib, "NOT author:laufer NOT year:2005") == ["berenson2018kyphoplasty"]
    assert keys(lib, "NOT separation-surgery") == ["berenson2018kyphoplasty",
                                                   "patchell2005direct"]
    # Lower case, or a NOT with nothing after it, stays text (as "or" does).
    assert parse("spine not myeloma").terms == []
    assert parse("spine NOT").free_text == "spine NOT"
    assert parse("-spinal-cord").free_text == "-spinal-cord"  # as before: text


def test_read_and_tag_qualifiers(lib: Library) -> None:
    p = lib.articles.resolve_key("patchell2005direct")
    b = lib.articles.resolve_key("berenson2018kyphoplasty")
    lib.articles.set_read_status([p], 2)
    assert keys(lib, "read:read") == ["patchell2005direct"]
    assert len(keys(lib, "read:unread")) == 2
    lib.tags.create("my vertebral augmentation")
    lib.tags.create("balloon", parent="my vertebral augmentation")
    lib.tags.add([b], ["balloon"])
    assert keys(lib, 'tag:"my vertebral augmentation"') == ["berenson2018kyphoplasty"]
    assert keys(lib, "tag:nosuchtag") == []


def test_suggested_tags_do_not_count_for_tag(lib: Library) -> None:
    laufer = lib.articles.resolve_key("laufer2013separation")
    suggested = [t.id for t in lib.tags.state(laufer).suggested]
    assert suggested, "the vocabulary suggests a technique for a separation-surgery paper"
    assert laufer not in lib.search.ids(Query(search=f"tag:{suggested[0]}"))
    lib.tags.accept(laufer, suggested[0])
    assert laufer in lib.search.ids(Query(search=f"tag:{suggested[0]}"))


def test_terms_combine_with_and(lib: Library) -> None:
    assert keys(lib, "author:laufer year:2013..2020 journal:spine") == ["laufer2013separation"]
    assert keys(lib, "author:laufer year:2014") == []
    assert keys(lib, "journal:lancet surgical") == ["patchell2005direct"]


@pytest.mark.parametrize("text", [
    "year:abc", "year:", "read:maybe", "has:wings", "foo:bar", 'mesh:"', "author:'; DROP TABLE",
    "journal:%", "journal:_", "-", "--", '-"', "tag:", "year:2015..2010", "type:", "-year:2005",
])
def test_odd_input_never_raises(lib: Library, text: str) -> None:
    lib.search.ids(Query(search=text))
    lib.search.count(Query(search=text))


def test_wildcards_are_plain_text(lib: Library) -> None:
    assert keys(lib, "journal:%") == keys(lib, "journal") == ["laufer2013separation"]
    assert keys(lib, "journal:*") == keys(lib, "journal")


def test_negated_qualifier(lib: Library) -> None:
    assert keys(lib, "-year:2005") == ["berenson2018kyphoplasty", "laufer2013separation"]


def test_parse_keeps_unknown_text_for_full_text() -> None:
    parsed = parse('author:laufer "spinal cord" subject:x year:abc -"a b" -word')
    assert [(t.kind, t.text, t.negated) for t in parsed.terms] == [
        ("author", "laufer", False), ("text", '"a b"', True), ("text", "word", True)]
    assert parsed.free_text == '"spinal cord" subject:x year:abc'
    # A qualifier SpineLib does not know, and one it cannot read, each say why.
    assert parsed.hints == [
        "“subject:” is not a search field (the fields are author, editor, title, year, journal, "
        "mesh, tag, type, read, has, doi, pmid, pmcid or key); “subject:x” was searched as "
        "plain text.",
        "“year:” takes a year or a range of years (2005, 2015..2020 or 2015-2020, 2015.., "
        "..2020, >2020, <=2010); “year:abc” was searched as plain text."]


@pytest.mark.parametrize("text", ["T2:STIR", "1:2", "https://example.org/a:b", "spine:"])
def test_colons_that_are_not_a_mistyped_field_get_no_hint(text: str) -> None:
    assert parse(text).hints == []
    assert parse(text).free_text == text


def test_an_identifier_finds_its_article_typed_or_pasted(lib: Library) -> None:
    """"Do I have this paper?": the DOI, PMID or link as the user has it at hand."""
    patchell = ["patchell2005direct"]
    doi = "10.1016/S0140-6736(05)66954-1"
    for text in (f"doi:{doi}", doi, doi.lower(), f"https://doi.org/{doi}", f"doi:{doi}.",
                 "pmid:16112300", "https://pubmed.ncbi.nlm.nih.gov/16112300/", "PMID:16112300"):
        assert keys(lib, text) == patchell, text
    assert keys(lib, "pmid:23") == ["laufer2013separation"]
    assert keys(lib, "pmid:999") == [] and keys(lib, "pmcid:PMC1") == []
    assert keys(lib, f"-doi:{doi} lancet") == ["berenson2018kyphoplasty"]
    assert keys(lib, "16112300") == []  # a bare number is a word of the text (a year, a dose)
    parsed = parse("pmid:abc doi:nothing")
    assert parsed.terms == [] and len(parsed.hints) == 2
    assert parsed.hints[0].startswith("“pmid:” takes a PubMed id")


def test_author_ignores_accents_case_and_hyphens(lib: Library) -> None:
    lib.articles.add_record(make_record(
        pmid="31", doi="", title="Cementoplasty of the sacrum",
        authors=[Author("Müller", "Jörg", "J"), Author("Costa-Matos", "Luis", "L"),
                 Author("O'Brien", "Ann", "A")], year=2019))
    lib.articles.add_record(make_record(
        pmid="32", doi="", title="A second Muller", authors=[Author("Muller", "Hans", "H")],
        year=2020))
    every = ["muller2019cementoplasty", "muller2020second", "patchell2005direct"]
    assert keys(lib, "author:muller") == every  # Patchell 2005 has a Müller J too
    assert keys(lib, "author:MÜLLER") == every
    for text in ('author:"costa matos"', "author:costa-matos", "author:o'brien",
                 'author:"o brien"'):
        assert keys(lib, text) == ["muller2019cementoplasty"], text
    # Still whole family names: a given name or a part of a name finds nothing.
    assert keys(lib, "author:jorg") == keys(lib, "author:costa") == []
    assert keys(lib, "-author:muller") == ["berenson2018kyphoplasty", "laufer2013separation"]


@pytest.mark.parametrize(("text", "bounds"), [
    ("year:>2010", (2011, None)), ("year:>=2010", (2010, None)),
    ("year:<2010", (None, 2009)), ("year:<=2010", (None, 2010)),
])
def test_year_comparisons_are_open_ranges(text: str, bounds: tuple[int | None, int | None],
                                          lib: Library) -> None:
    (term,) = parse(text).terms
    assert (term.low, term.high) == bounds
    low, high = bounds
    assert keys(lib, text) == keys(lib, f"year:{low or ''}..{high or ''}")
    assert parse("year:>abc").hints and parse("year:=>2010").hints


@pytest.mark.parametrize(("text", "same_as"), [
    ("year:2005-2013", "year:2005..2013"), ("year:2005\u20132013", "year:2005..2013"),
    ("year:2005:2013", "year:2005..2013"), ("year:2013-2005", "year:2005..2013"),
    ("year:2014-", "year:2014.."), ("year:-2005", "year:..2005"),
    ("-year:2005-2013", "-year:2005..2013"),
])
def test_a_dashed_year_range_reads_as_a_range(text: str, same_as: str, lib: Library) -> None:
    """Surgeons write ranges with a hyphen or an en dash, PubMed with a colon."""
    parsed = parse(text)
    assert parsed.hints == [] and parsed.free_text == ""
    (term,) = parsed.terms
    assert term.text == text.split(":", 1)[1]  # shown as typed
    assert keys(lib, text) == keys(lib, same_as) != []
    # A dash alone, or between parts that are not years, is still text (with its hint).
    assert parse("year:-").terms == [] and parse("year:20-21").hints


def test_title_finds_words_of_the_title_only(lib: Library) -> None:
    assert keys(lib, "title:separation") == ["laufer2013separation"]
    assert keys(lib, "title:decompressive") == ["patchell2005direct"]
    # A word of an abstract or a journal is not a title word.
    assert keys(lib, "title:lancet") == []
    assert keys(lib, "-title:separation") == sorted(
        set(keys(lib, "")) - {"laufer2013separation"})


def test_a_reversed_year_range_means_the_same_years(lib: Library) -> None:
    assert keys(lib, "year:2013..2005") == keys(lib, "year:2005..2013") == [
        "laufer2013separation", "patchell2005direct"]
    assert parse("year:2013..2005").hints == []


@pytest.mark.parametrize(("text", "hint"), [
    ("read:done", "“read:” takes unread, reading or read;"),
    ("has:nothing spine", "“has:” takes abstract, doi, notes, pdf, pmcid or pmid;"),
    ("-year:2020/2021", "“year:” takes a year or a range of years"),
])
def test_unreadable_values_say_what_the_qualifier_takes(lib: Library, text: str,
                                                        hint: str) -> None:
    from spinelib.library import search_hints

    assert keys(lib, text) == []  # searched as text, as before: nothing is lost or refused
    (said,) = search_hints(text)
    term = text.split()[0].lstrip("-")
    assert said.startswith(hint) and said.endswith(f"“{term}” was searched as plain text.")


def test_readable_searches_have_no_hints() -> None:
    from spinelib.library import search_hints

    for text in ("", "year:2005..", "read:READ has:pdf", "author:x journal:% type:whatever",
                 "year:", "has:"):
        assert search_hints(text) == [], text


def test_saved_searches_are_live(lib: Library) -> None:
    lib.searches.save("Laufer SBRT", "author:laufer year:2013..2020")
    lib.searches.save("Lancet", "journal:lancet")
    assert [s.name for s in lib.searches.all()] == ["Lancet", "Laufer SBRT"]
    assert [n for _, n in lib.searches.counts()] == [2, 1]
    lib.articles.add_record(make_record(pmid="99", doi="", title="SBRT after separation surgery",
                                        authors=[Author("Laufer", "Ilya", "I")], year=2016,
                                        journal="Spine", journal_abbrev="Spine"))
    assert [n for _, n in lib.searches.counts()] == [2, 2]
    lib.searches.save("Lancet", "journal:lancet year:2005")  # same name: replaced
    assert lib.searches.get("Lancet").query == "journal:lancet year:2005"
    lib.searches.delete("Lancet")
    with pytest.raises(SpineLibError, match="no saved search"):
        lib.searches.get("Lancet")
    with pytest.raises(SpineLibError):
        lib.searches.save("  ", "x")
    with pytest.raises(SpineLibError):
        lib.searches.save("x", "  ")


def test_a_saved_search_name_is_one_name_in_any_letter_case(lib: Library) -> None:
    lib.searches.save("Lancet", "journal:lancet")
    assert lib.searches.find("  lancet ") == lib.searches.get("LANCET") == SavedSearch(
        "Lancet", "journal:lancet")
    lib.searches.save("lancet", "journal:lancet year:2005")  # replaced, spelt anew
    assert lib.searches.all() == [SavedSearch("lancet", "journal:lancet year:2005")]
    # Two names differing in case (saved before names were one in any case): only the
    # exact spelling finds one.
    with lib.store.writing() as conn:
        lib.store.curation.save_search(conn, "LANCET", "journal:lancet", "2026-01-01")
    assert lib.searches.find("LANCET") == SavedSearch("LANCET", "journal:lancet")
    assert lib.searches.find("Lancet") is None
    with pytest.raises(SpineLibError, match="saved searches: 'lancet', 'LANCET'|"
                                            "saved searches: 'LANCET', 'lancet'"):
        lib.searches.delete("Lancet")
    assert lib.searches.delete("lancet") == SavedSearch("lancet", "journal:lancet year:2005")
    assert [s.name for s in lib.searches.all()] == ["LANCET"]


def test_the_words_of_worded_terms_are_highlighted(lib: Library) -> None:
    """title:, journal:, mesh: and author: name words the detail pane shows: it marks them
    as it marks free text; an excluded term and a year mark nothing."""
    assert sorted(lib.search.highlight_terms('title:"separation surgery" kyphoplasty')) == [
        "kyphoplasty", "separation", "surgery"]
    assert lib.search.highlight_terms("author:patchell journal:lancet") == ["patchell", "lancet"]
    # Initials written PubMed's way mark no word of their own ("J" would mark them all).
    assert lib.search.highlight_terms('author:"Patchell RA" trial') == ["trial", "Patchell"]
    assert lib.search.highlight_terms("-title:vertebroplasty year:2005 has:pdf") == []


def test_or_joins_plain_words_as_pubmed_users_type_it(lib: Library) -> None:
    """'kyphoplasty OR vertebroplasty' finds either; a lower-case 'or' is a word; an OR with
    nothing on one side is dropped (never an FTS5 syntax error); beside a qualified term it
    joins nothing, and the user is told."""
    from spinelib.store.sqlite.dialect import fts5_query

    assert fts5_query("myeloma OR urinalysis") == '"myeloma"* OR "urinalysis"*'
    assert fts5_query('"spinal cord" OR cauda') == '"spinal cord" OR "cauda"*'
    assert fts5_query("a or b") == '"a"* "or"* "b"*'
    assert fts5_query("OR a OR OR b OR") == '"a"* OR "b"*'
    assert fts5_query("OR") == ""
    either = keys(lib, "decompressive OR separation")
    assert either == sorted(set(keys(lib, "decompressive")) | set(keys(lib, "separation")))
    assert len(either) == 2
    assert keys(lib, "decompressive separation") == []
    assert keys(lib, "OR decompressive OR") == keys(lib, "decompressive")
    assert parse("myeloma OR plasmacytoma year:2020..").hints == []


def test_or_joins_field_terms_too(lib: Library) -> None:
    """'title:separation OR title:decompressive' combined the two with AND (and said so):
    an OR beside a field term now joins the two terms next to it."""
    assert keys(lib, "title:separation OR title:decompressive") == [
        "laufer2013separation", "patchell2005direct"]
    assert keys(lib, "laufer[au] OR berenson[au]") == [
        "berenson2018kyphoplasty", "laufer2013separation"]
    assert keys(lib, "(laufer[au] OR berenson[au]) AND lancet") == ["berenson2018kyphoplasty"]
    assert keys(lib, "title:kyphoplasty OR hybrid") == [
        "berenson2018kyphoplasty", "laufer2013separation"]
    assert keys(lib, "year:2005 OR year:2018 OR -lancet") == [
        "berenson2018kyphoplasty", "laufer2013separation", "patchell2005direct"]
    assert keys(lib, "year:2005 OR year:2018 separation") == []  # (2005 OR 2018) AND separation
    assert parse("title:separation OR title:decompressive").hints == []
    assert lib.search.highlight_terms("title:separation OR hybrid") == ["separation", "hybrid"]


def test_parentheses_group_as_pubmed_users_type_them(lib: Library) -> None:
    """'(a OR b) c' was 'a OR (b AND c)' (FTS5's precedence: the parentheses were dropped),
    so it also found every a without c."""
    from spinelib.store.sqlite.dialect import fts5_query

    assert fts5_query("( a OR b ) c") == '( "a"* OR "b"* ) AND "c"*'
    assert fts5_query("( a OR b ) OR ( c d )") == '( "a"* OR "b"* ) OR ( "c"* AND "d"* )'
    assert fts5_query("( a OR b") == '"a"* OR "b"*'  # unbalanced: no group
    assert fts5_query("a ( OR ) b ( )") == '"a"* "b"*'
    assert fts5_query("(a OR b) c") == '"a"* OR "b"* "c"*'  # not parted: words, as before
    # The search box parts the parentheses from the words (and from tagged terms).
    assert keys(lib, "(kyphoplasty OR separation) AND hybrid") == ["laufer2013separation"]
    assert keys(lib, "kyphoplasty OR separation hybrid") == [
        "berenson2018kyphoplasty", "laufer2013separation"]  # FTS5's precedence, as before
    assert keys(lib, "(separation OR decompressive) lancet") == ["patchell2005direct"]
    assert keys(lib, "(kyphoplasty OR separation) AND (lancet[ta])") == [
        "berenson2018kyphoplasty"]
    assert keys(lib, "spinal NOT (kyphoplasty OR separation)") == ["patchell2005direct"]
    assert keys(lib, "spinal -(kyphoplasty separation)") == [
        "berenson2018kyphoplasty", "laufer2013separation", "patchell2005direct"]
    assert keys(lib, "NOT (laufer[au] OR berenson[au])") == ["patchell2005direct"]
    # Parentheses that are part of a word or an identifier stay as typed.
    assert parse("(18F)FDG T2(STIR)").free_text == "(18F)FDG T2(STIR)"
    assert [t.kind for t in parse("10.1016/S0140-6736(05)66954-1").terms] == ["doi"]
    unreadable = parse("NOT (author:laufer spinal)")
    assert unreadable.terms == [] and "was left out of the search" in unreadable.hints[0]


@given(st.lists(st.sampled_from(["(", ")", "OR", "AND", "NOT", "-", "spinal", '"cord', '"',
                                 "x[au]", "[mh]", "(a", "b)", "author:", "year:2005", ":",
                                 "NEAR(", "*", "-(", "((", "))", "é"]), max_size=12))
def test_any_search_text_is_a_valid_query(words: list[str]) -> None:
    """Whatever is typed, the search runs: the full-text queries are ones FTS5 accepts and
    the SQL of every term (ORs of field terms included) is valid."""
    with Library.open(_soup_library()) as lib:  # opened per example: nothing left open
        found = lib.search.ids(Query(search=" ".join(words)))
    assert set(found) <= {1, 2}


@functools.cache
def _soup_library() -> Path:
    """One small library file for every example of the property test above."""
    path = Path(tempfile.mkdtemp()) / "soup.sqlite"
    with Library.open(path) as library:
        library.articles.add_record(make_record())
        library.articles.add_record(make_record(pmid="23", doi="", title="Spinal cord x",
                                                authors=[Author("X", "Y", "Y")], year=2005))
    return path


def test_a_citation_key_finds_its_article_as_a_manuscript_cites_it(lib: Library) -> None:
    patchell = ["patchell2005direct"]
    for text in ("key:patchell2005direct", "@patchell2005direct", "[@patchell2005direct]",
                 "[@Patchell2005Direct;", "patchell2005direct", "PATCHELL2005DIRECT"):
        assert keys(lib, text) == patchell, text
    assert keys(lib, "-@patchell2005direct") == ["berenson2018kyphoplasty",
                                                 "laufer2013separation"]
    # A former key (a rekey keeps it as an alias) still finds the article.
    lib.articles.rekey(lib.articles.resolve_key("patchell2005direct"), "patchell:rct")
    assert keys(lib, "@patchell2005direct") == keys(lib, "patchell2005direct") == [
        "patchell:rct"]
    # A word that is no key stays a word; an address with @ is text.
    assert keys(lib, "2005x") == [] and keys(lib, "nokey2020x") == []
    assert parse("user@example.org").terms == [] and parse("@").terms == []
    assert keys(lib, "patchell2005direct lancet") == []  # two words: searched as text


def test_author_written_pubmeds_way_with_initials(lib: Library) -> None:
    """"Bilsky MH" as PubMed writes it: the family name with those initials (or, with none
    stored, a given name that starts so)."""
    lib.articles.add_record(make_record(
        pmid="41", doi="", title="Another Bilsky, not M H", year=2021,
        authors=[Author("Bilsky", "Jane", "J")]))
    lib.articles.add_record(make_record(
        pmid="42", doi="", title="Initials not stored", year=2022,
        authors=[Author("Laufer", "Ilya", "")]))
    assert keys(lib, 'author:"Bilsky MH"') == keys(lib, 'author:"bilsky m"') == [
        "laufer2013separation"]
    assert keys(lib, 'author:"Bilsky J"') == ["bilsky2021another"]
    assert keys(lib, "author:bilsky") == ["bilsky2021another", "laufer2013separation"]
    assert keys(lib, 'author:"Laufer I"') == ["laufer2013separation", "laufer2022initials"]
    assert keys(lib, 'author:"Bilsky X"') == [] and keys(lib, 'author:"Nobody AB"') == []
    assert keys(lib, '-author:"Bilsky MH" year:2013..2021') == ["berenson2018kyphoplasty",
                                                              "bilsky2021another"]
