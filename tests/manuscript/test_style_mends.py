"""Where citeproc-py printed what pandoc does not, in single styles: a label without its
value, punctuation left by a missing part, a quoted title's stop doubled, a term a style
defines in its long form, numeric content, and the citations' typography
(``spinelib.cite.mends``). Each compares with pandoc's entries or citations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cite import Citer, format_bibliography, format_reference
from spinelib.records import ArticleRecord
from tests.manuscript.golden_records import golden_records
from tests.manuscript.test_golden_pandoc import edge_records, pandoc_citations, pandoc_entries


@pytest.mark.parametrize("style", ["oxford-journals-scimed-numeric",
                                   "cns-and-neurological-disorders-drug-targets"])
def test_a_label_prints_only_with_its_variable_as_in_pandoc(style: str, tmp_path: Path) -> None:
    """citeproc-py printed a ``<label variable="edition">``'s term for articles without an
    edition: "Lancet 2005;366(9486):Edition:643–8" in Oxford's science and medicine
    journals (the Journal of Radiation Research's among them) (``spinelib.cite.mends``)."""
    recs = golden_records()
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert not any("Edition" in entry or "edn" in entry for entry in ours)
    mhra = format_bibliography(recs, "mhra-author-date")
    assert "Scientific Reports, 12, p. 14532" in mhra and "Edition" not in mhra


@pytest.mark.parametrize("style", ["journal-of-clinical-oncology", "cureus", "cancers",
                                   "annals-of-oncology", "journal-of-orthopaedic-research",
                                   "pain-physician", "oncotarget",
                                   "biochemistry-and-molecular-biology-education",
                                   "journal-of-microbiology-and-biotechnology"])
def test_punctuation_of_a_missing_part_collapses_as_in_pandoc(style: str,
                                                               tmp_path: Path) -> None:
    """Oncology journals' styles left "Global Spine J , 2024" (JCO, no volume), "88:."
    (Cureus, no pages), "Thieme, 2018;." (MDPI's Cancers, a book), "In: . Thieme" (a
    book without editors) and "Springer,, pp." (a chapter without editors) (``spinelib.cite.tidy``)."""
    recs = golden_records() + edge_records()
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert not any(" ," in e or ":." in e or ";." in e or " . " in e or ",," in e
                   for e in ours)


def test_no_period_after_a_quoted_title_ending_in_a_stop(tmp_path: Path) -> None:
    """Where a period stays outside quotation marks, “Not Again!”. printed both marks
    (``spinelib.cite.tidy``)."""
    recs = edge_records()
    style = "academy-of-management-perspectives"
    ours = [e for e in format_bibliography(recs, style).splitlines() if "!”" in e or "?”" in e]
    assert len(ours) == 2 and not any("”." in e for e in ours)
    assert set(ours) <= set(pandoc_entries(style, tmp_path, recs))


def test_a_term_the_style_defines_long_is_printed(tmp_path: Path) -> None:
    """Medicine Publishing's style defines ``<term name="anonymous" form="long">No authors
    listed</term>``; citeproc-py printed the locale file's "anonymous" (``mends._long_term``)."""
    recs = edge_records()
    ours = format_bibliography(recs, "medicine-publishing").splitlines()
    assert ours == pandoc_entries("medicine-publishing", tmp_path, recs)
    assert ours[0].startswith("1 No authors listed: Direct decompressive")


@pytest.mark.parametrize("style", ["apa", "harvard-cite-them-right", "chicago-author-date",
                                   "university-of-south-africa-harvard"])
def test_citations_print_as_in_pandoc(style: str, tmp_path: Path) -> None:
    """Each golden work cited alone. The citations missed the entries' typography
    ("(van den Brande & O'Toole, 2017)" beside "O’Toole" in the list), and South Africa's
    Harvard cited every article with a page range "in press": citeproc-py's is-numeric took
    "643-648" for words (``spinelib.cite.mends.NUMERIC_RE``)."""
    recs = golden_records()
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite([r.citekey]) for r in recs]
    assert ours == pandoc_citations(style, tmp_path, recs)
    assert any("O’Toole" in c for c in ours) and not any("in press" in c for c in ours)


def test_numeric_content_is_read_as_csl_says() -> None:
    from spinelib.cite.mends import NUMERIC_RE

    for numeric in ("12", "643-648", "643–648", "E1221-E1229", "2, 3", "2 & 4", "2b", "D2"):
        assert NUMERIC_RE.match(numeric), numeric
    for words in ("Suppl 20", "second", "2nd edition", "iv", "", "12-"):
        assert not NUMERIC_RE.match(words), words


def test_small_capitals_are_capitals_in_plain_text_only(tmp_path: Path) -> None:
    """Quebec's public health institute sets family names in small capitals: the plain list
    printed them in lower case (``spinelib.cite.plaintext``); the HTML list keeps the
    variant, for Word and the detail pane to render."""
    recs = golden_records() + edge_records()
    style = "institut-national-de-sante-publique-du-quebec-topo"
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert any("PATCHELL, R. A." in e for e in ours)
    html = format_bibliography(recs, style, html=True)
    assert '<span style="font-variant:small-caps;">Patchell</span>' in html


@pytest.mark.parametrize("style", ["econometrica", "de-buck", "geophysics",
                                   "revista-da-sociedade-brasileira-de-medicina-tropical"])
def test_styles_that_failed_casing_mixed_text_print(style: str, tmp_path: Path) -> None:
    """citeproc-py cased text holding a plain ``str`` piece and raised, so the whole list
    failed (``spinelib.cite.mixedtext``); now it prints, entry for entry as pandoc does
    where the sort agrees (the anonymous work: pandoc lists it first, CSL last)."""
    recs = golden_records()
    ours = format_bibliography(recs, style).splitlines()
    assert len(ours) == len(recs)
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    assert citer.cite([recs[0].citekey])
    theirs = pandoc_entries(style, tmp_path, recs)
    assert len(set(ours) & set(theirs)) >= len(recs) - 3



@pytest.mark.parametrize("style", ["universitat-graz-geographie",
                                   "izmir-katip-celebi-universitesi-sosyal-bilimler-enstitusu",
                                   "universite-du-quebec-a-montreal-departement-dhistoire"])
def test_styles_with_affixed_name_parts_print(style: str, tmp_path: Path) -> None:
    """A ``<name-part>`` with a prefix or suffix came back as mixed text that citeproc-py
    joined as plain strings, and the whole list failed; now it prints, as pandoc does where
    the sort agrees, and a group's name takes no given name's "." (Graz printed "Spine
    Oncology Study Group,.")."""
    recs = golden_records()
    ours = format_bibliography(recs, style).splitlines()
    assert len(ours) == len(recs)
    theirs = pandoc_entries(style, tmp_path, recs)
    assert len(set(ours) & set(theirs)) >= len(recs) - 3
    assert not any(",." in entry for entry in ours)


def test_small_capitals_taken_back_inside_stay_off(tmp_path: Path) -> None:
    """Biostatistics sets small capitals on its author ``<names>`` and normal type on the
    ``<name>`` inside: the names print as typed, in plain text and in HTML
    (``spinelib.cite.plaintext.normal_inside_small_caps``)."""
    recs, style = golden_records(), "biostatistics"
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    html = format_bibliography(recs, style, html=True)
    assert '<span style="font-variant:small-caps;">Patchell' not in html


def test_a_word_manuscript_keeps_small_capitals(tmp_path: Path) -> None:
    """The Word reference list carried italics and bold but dropped the small-capitals
    span, so a French style's family names printed in lower case in Word."""
    from tests.manuscript.one_paragraph import formatted

    document = formatted(tmp_path, golden_records()[:1], lambda k: f"The trial [@{k[0]}].",
                         "institut-national-de-sante-publique-du-quebec-topo")
    runs = [r for p in document.paragraphs for r in p.runs]
    patchell = next(r for r in runs if r.text == "Patchell")
    assert patchell.font.small_caps
    assert not any(r.font.small_caps for r in runs if "Direct decompressive" in r.text)


def test_a_group_of_fixed_words_prints_when_its_branch_calls_no_variable() -> None:
    """MHRA prints "in" before a chapter's book from a group holding only a choose, whose
    other branches name variables; citeproc-py (and the mend before this one) counted
    those and left the group out: "‘Separation Surgery’, Metastatic Spine Disease"."""
    chapter = next(r for r in golden_records() if r.type == "chapter")
    entry = format_bibliography([chapter], "mhra-author-date")
    assert "‘Separation Surgery’, in Metastatic Spine Disease (Springer)" in entry


def test_small_capitals_stay_on_names_when_only_et_al_takes_them_back() -> None:
    """Modern Phytomorphology sets small capitals on its author ``<names>`` and normal type
    on its ``<et-al>`` only: the names keep them ("BARZILAI O."), not lost with the push
    down of the capitals (``spinelib.cite.plaintext``)."""
    entries = format_bibliography(golden_records(), "modern-phytomorphology").splitlines()
    assert any(e.startswith("BARZILAI O") for e in entries)


@pytest.mark.parametrize("style", ["acta-physica-sinica", "biofuel-research-journal"])
def test_a_numbered_list_keeps_its_number_apart(style: str, tmp_path: Path) -> None:
    """Acta Physica Sinica numbers its citations through a macro, so the engine did not take
    it for numeric and left citeproc-py's "[3]Spine" glued (its list's number is the first
    field of a second-field-align layout, as pandoc prints it apart)."""
    recs = golden_records()
    ours = format_bibliography(recs, style).splitlines()
    assert all(e.startswith(f"[{i}] ") for i, e in enumerate(ours, 1))
    if style == "biofuel-research-journal":
        assert ours == pandoc_entries(style, tmp_path, recs)


def _titled(pages_and_titles: list[tuple[str, str]]) -> list[ArticleRecord]:
    base = golden_records()[0]
    return [ArticleRecord(**{**base.__dict__, "citekey": f"r{at}", "title": title,
                             "pages": pages, "year": 2000 + at})
            for at, (pages, title) in enumerate(pages_and_titles)]


def test_chicago_16_page_ranges_as_that_edition_writes_them(tmp_path: Path) -> None:
    """Chicago's author-date style asks for the 16th edition's ranges: "2397–410" (the 15th
    wrote a four-digit range whose last three digits change whole, as Chicago's 15th-edition
    styles still do: "2397–2410")."""
    recs = _titled([("2397-2410", "Alpha"), ("1496-1504", "Beta"), ("101-108", "Gamma"),
                    ("321-328", "Delta"), ("1100-1113", "Epsilon"), ("87-102", "Zeta")])
    ours = format_bibliography(recs, "chicago-author-date").splitlines()
    assert ours == pandoc_entries("chicago-author-date", tmp_path, recs)
    printed = " ".join(ours)
    for pages in ("2397–410", "1496–504", "101–8", "321–28", "1100–1113", "87–102"):
        assert f": {pages}." in printed
    fifteenth = " ".join(format_bibliography(recs, "american-journal-of-sociology").splitlines())
    assert "2397–2410" in fifteenth and "1496–1504" in fifteenth and "321–28" in fifteenth


def test_title_case_after_a_number_and_hyphen(tmp_path: Path) -> None:
    """"30-Day Mortality", "T1-Weighted", "COVID-19-Related", as pandoc cases them (the
    word after a hyphen was cased after a letter only: "30-day Mortality")."""
    recs = _titled([("1-2", "30-day mortality after separation surgery"),
                    ("3-4", "T1-weighted imaging of 3-dimensional spines"),
                    ("5-6", "COVID-19-related delays and 12-month outcomes")])
    ours = format_bibliography(recs, "chicago-author-date").splitlines()
    assert ours == pandoc_entries("chicago-author-date", tmp_path, recs)
    printed = " ".join(ours)
    for words in ("30-Day Mortality", "T1-Weighted", "3-Dimensional", "COVID-19-Related",
                  "12-Month"):
        assert words in printed


def test_no_break_spaces_stay_as_pandoc_writes_them(tmp_path: Path) -> None:
    """A locale's "et\u00a0al." (Spanish) keeps its no-break space, and French styles' space
    before ";" is a narrow no-break one ("Lancet 2005\u202f; 366"), as in pandoc: SpineLib
    made every such space a plain one, where Word may break the line."""
    recs = golden_records()
    spanish = "nueva-norma-estudios-de-la-humanidad"
    citer = Citer.for_style(spanish, {r.citekey: r for r in recs})
    cited = citer.cite([recs[1].citekey])
    assert "et\u00a0al." in cited
    assert cited == pandoc_citations(spanish, tmp_path, recs, [[recs[1].citekey]])[0]
    french = format_bibliography(recs, "medecine-sciences").splitlines()
    assert any("2005\u202f; 366" in entry for entry in french)
    assert french == pandoc_entries("medecine-sciences", tmp_path, recs)


@pytest.mark.parametrize("style", ["alkoholizmus-a-drogove-zavislosti",
                                   "universidade-federal-de-goias-escola-de-veterinaria-e-zootecnia"])
def test_a_list_of_types_is_one_test_as_in_pandoc(style: str, tmp_path: Path) -> None:
    """``<if type="article-journal article article-magazine">`` (no ``match``: "all") holds
    for a journal article, as pandoc and citeproc-js read a list of types; citeproc-py
    tested each type apart, so the Czech journal's articles took the branch for other
    types ("Neurosurgical Focus. 45" for its "Neurosurg Focus, 45"), and the Goiás school's
    chapters lost their book and pages (``spinelib.cite.mends``)."""
    recs = golden_records() + edge_records()
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    if style.startswith("alkoholizmus"):
        assert "Metastatic spinal cord compression. Neurosurg Focus, 45, 2018" in "\n".join(
            format_bibliography([_focus_article()], style).splitlines())


def _focus_article() -> ArticleRecord:
    return ArticleRecord(title="Metastatic spinal cord compression", year=2018, volume="45",
                         journal="Neurosurgical Focus", journal_abbrev="Neurosurg Focus",
                         pages="1-8", source="test")


@pytest.mark.parametrize("style", ["international-journal-of-sports-medicine",
                                   "pediatric-anesthesia", "journal-of-physical-therapy-science",
                                   "american-institute-of-physics"])
def test_a_raised_list_number_is_raised_in_plain_text_and_left_out_of_one_reference(
        style: str, tmp_path: Path) -> None:
    """Seven styles set the list's numbers in superscript: citeproc-py's plain text dropped
    it ("1 Patchell" for pandoc's "¹ Patchell", "1)" for "¹⁾"); and a single reference (the
    detail pane's, Copy citation) kept the number, "<sup>1</sup>Patchell" in HTML."""
    recs = golden_records()[:6]
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert ours[0][0] == "¹"
    one = golden_records()[0]
    for html in (False, True):
        single = format_reference(one, style, html=html)
        assert "Patchell" in single[:30] and "¹" not in single and "<sup>" not in single
