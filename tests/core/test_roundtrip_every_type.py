"""Property test: every record type and every field survives every writer and reader pair.

The older property test (``test_roundtrip_properties.py``) covers arbitrary Unicode in the
journal-article fields. This one covers what issue 21 found lost: conference papers,
proceedings, reports, theses and web pages with their book title, volume, number, pages,
publisher, place, institution, report number, thesis kind, EDTF dates, publication status
and name suffixes. For each format the expected view states what the format has no place
for (documented below); everything else must come back exactly, and a second trip must
change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
from spinelib.formats.bibtex.write import journal_title_case
from spinelib.formats.common import ReadResult
from spinelib.formats.csljson import write_csljson
from spinelib.formats.csljson_read import read_csljson
from spinelib.formats.ris import read_ris, write_ris
from spinelib.records import ArticleRecord, Author

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(["Spinal", "metastases", "separation", "surgery", "outcomes", "cohort",
                         "radiosurgery", "Kyphoplasty", "of", "the", "MRI", "in", "SBRT"])
NAMES = st.sampled_from(["Kim", "Ortega", "Haddad", "Nakamura", "Laufer", "Bilsky", "Silva"])
GIVEN = st.sampled_from(["", "Ji-ho", "Lucia", "Rami", "Aiko", "Mark H."])
SUFFIX = st.sampled_from(["", "", "Jr.", "III"])
TYPES = ("conference", "proceedings", "report", "thesis", "webpage", "article", "book",
         "chapter")
#: (date_text, year it implies): plain years, uncertain, BCE, an interval, a season.
DATES = st.sampled_from([("", 2019), ("", 1998), ("2004?", 2004), ("-0160", None),
                         ("2019/2020", 2019), ("2020-21", 2020)])


def phrase(min_words: int = 1) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=min_words, max_size=6).map(" ".join)


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy)


@st.composite
def authors(draw: st.DrawFn) -> list[Author]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 4)) == 0:
            out.append(Author(collective=draw(phrase(2))))
        else:
            given = draw(GIVEN)
            out.append(Author(family=draw(NAMES), given=given,
                              suffix=draw(SUFFIX) if given else ""))
    return out


@st.composite
def records(draw: st.DrawFn) -> list[ArticleRecord]:
    out = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(TYPES))
        date_text, year = draw(DATES)
        in_book = kind in ("conference", "chapter")
        numbered = kind in ("conference", "proceedings", "book", "chapter", "article")
        issuer = kind in ("report", "thesis")
        out.append(ArticleRecord(
            type=kind, title=draw(phrase()), authors=draw(authors()),
            journal=draw(phrase()) if kind == "article" else "",
            book_title=draw(phrase()) if in_book else "",
            editors=draw(authors()) if in_book or kind == "book" else [],
            edition=draw(maybe(st.sampled_from(["2", "4", "Rev. ed."])))
            if kind in ("book", "chapter") else "",
            isbn=draw(maybe(st.just("978-0-323-40030-5"))) if kind in ("book", "chapter") else "",
            volume=draw(maybe(st.integers(1, 999).map(str))) if numbered else "",
            issue=draw(maybe(st.integers(1, 12).map(str))) if numbered else "",
            pages=draw(maybe(st.just("112-120"))) if numbered else "",
            publisher=draw(maybe(phrase())) if not issuer and kind != "article" else "",
            place=draw(maybe(st.sampled_from(["London", "New York", "Shenzhen"])))
            if kind != "article" else "",
            institution=draw(maybe(phrase())) if issuer or kind == "conference" else "",
            report_number=draw(maybe(st.sampled_from(["NG234", "TR-7", "WHO/NMH/2020.1"])))
            if kind == "report" else "",
            publication_types=[draw(st.sampled_from(["PhD thesis", "Master's thesis"]))]
            if kind == "thesis" else [],
            url=draw(maybe(st.just("https://example.org/page"))) if kind == "webpage" else "",
            accessed=draw(st.sampled_from(["", "2026-12-05", "2026-12", "2026"])),
            date_text=date_text, year=year,
            pubstate=draw(st.sampled_from(["", "submitted", "inpress"])),
            citekey=f"key{i}",
        ))
    return out


FIELDS = ("type", "title", "journal", "book_title", "edition", "isbn", "volume", "issue", "pages", "publisher",
          "place", "institution", "report_number", "publication_types", "url", "date_text",
          "year", "pubstate", "accessed", "citekey")


def values(rec: ArticleRecord) -> dict[str, Any]:
    out = {name: getattr(rec, name) for name in FIELDS}
    out["authors"] = [(a.family, a.given, a.suffix, a.collective) for a in rec.authors]
    out["editors"] = [(a.family, a.given, a.suffix, a.collective) for a in rec.editors]
    return out


def expected(rec: ArticleRecord, fmt: str) -> dict[str, Any]:
    """What ``fmt`` can carry of ``rec`` (the documented losses, one line each)."""
    v = values(rec)
    if fmt not in ("biblatex", "csljson"):
        v["date_text"] = v["pubstate"] = ""  # classic BibTeX and RIS: no EDTF, no status
        if rec.date_text and rec.year is None:
            v["date_text"] = rec.date_text if fmt == "bibtex" else ""  # BCE: year = {-0160}
        if rec.year is None and (fmt == "ris" or not rec.date_text):
            v["pubstate"] = rec.pubstate  # where the year goes: year = {in press}, PY  - In press
    if fmt in ("bibtex", "biblatex") and v["journal"]:
        # PubMed's sentence-case journal names are exported in title case (issue 16).
        v["journal"] = journal_title_case(v["journal"])
    if fmt == "bibtex" and rec.type == "webpage":
        v["type"] = "other"  # classic BibTeX has no web page type: @misc
    if fmt in ("ris", "csljson") and rec.type in ("conference", "proceedings"):
        v["institution"] = ""  # neither has an organiser field
    if fmt == "ris" and rec.type == "proceedings":
        v["type"] = "proceedings"
    return v


def trip(write: Callable[..., str], read: Callable[[str, str], ReadResult],
         recs: list[ArticleRecord]) -> list[ArticleRecord]:
    result = read(write(recs), "t")
    assert result.problems == [], result.problems
    return result.records


FORMATS = {
    "bibtex": (write_bibtex, read_bibtex), "biblatex": (write_biblatex, read_bibtex),
    "ris": (write_ris, read_ris), "csljson": (write_csljson, read_csljson),
}


def check(fmt: str, recs: list[ArticleRecord]) -> None:
    write, read = FORMATS[fmt]
    back = trip(write, read, recs)
    assert [values(r) for r in back] == [expected(r, fmt) for r in recs]
    again = trip(write, read, back)
    assert [values(r) for r in again] == [values(r) for r in back]


@SETTINGS
@given(records())
def test_bibtex_keeps_every_type(recs: list[ArticleRecord]) -> None:
    check("bibtex", recs)


@SETTINGS
@given(records())
def test_biblatex_keeps_every_type(recs: list[ArticleRecord]) -> None:
    check("biblatex", recs)


@SETTINGS
@given(records())
def test_ris_keeps_every_type(recs: list[ArticleRecord]) -> None:
    check("ris", recs)


@SETTINGS
@given(records())
def test_csljson_keeps_every_type(recs: list[ArticleRecord]) -> None:
    check("csljson", recs)


@SETTINGS
@given(records(), st.permutations(list(FORMATS)))
def test_a_chain_through_every_format_keeps_what_all_of_them_carry(
        recs: list[ArticleRecord], order: list[str]) -> None:
    """BibLaTeX -> RIS -> CSL-JSON -> BibTeX (in any order): what every format carries
    comes through the whole chain."""
    current = recs
    for fmt in order:
        write, read = FORMATS[fmt]
        current = trip(write, read, current)
    common = ("title", "book_title", "volume", "issue", "pages", "place", "report_number",
              "publication_types", "url", "citekey")
    assert [{f: getattr(r, f) for f in common} for r in current] == [
        {f: getattr(r, f) for f in common} for r in recs]
    assert [[(a.family, a.given, a.suffix, a.collective) for a in r.authors]
            for r in current] == [[(a.family, a.given, a.suffix, a.collective)
                                   for a in r.authors] for r in recs]
