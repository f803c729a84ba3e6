"""Golden tests: SpineLib's reference lists equal what pandoc (>= 3, citeproc in Haskell, from
``pypandoc-binary``) renders from the same CSL-JSON with the same CSL file.

Six styles x 20 varied references (collective authors, more than six authors, no pages,
article numbers, epub ahead of print, a book, a book chapter, particles, Vietnamese names).

Every entry is compared exactly. (citeproc-py ignores the ``delimiter`` of a date form that a
style redefines in its own ``<locale>`` block, so the NLM (Vancouver) style printed
"2005Aug20" where pandoc prints "2005 Aug 20"; ``spinelib.cite.engine`` mends that when it
loads a style, and this test holds it to pandoc.)
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from spinelib.cite import Citer, format_bibliography
from spinelib.cite.items import CitedItem
from spinelib.formats.citation import format_citation
from spinelib.formats.csljson import write_csljson
from spinelib.records import ArticleRecord, Author, initials_of
from spinelib.styles import resolve
from tests.manuscript.golden_records import golden_records

pypandoc = pytest.importorskip("pypandoc")

STYLES = ("spine", "american-medical-association", "journal-of-neurosurgery-spine",
          "european-spine-journal", "the-spine-journal", "vancouver")


def _pandoc() -> str:
    try:
        path = pypandoc.get_pandoc_path()
        version = pypandoc.get_pandoc_version()
    except OSError:
        pytest.skip("pandoc (pypandoc-binary) is not installed")
    if int(version.split(".")[0]) < 3:
        pytest.skip(f"pandoc {version} is older than 3")
    return str(path)


def pandoc_entries(style: str, tmp_path: Path,
                   records: list[ArticleRecord] | None = None) -> list[str]:
    recs = golden_records() if records is None else records
    items = json.loads(write_csljson(recs))
    for item in items:  # SpineLib leaves tags and notes out of reference lists
        item.pop("keyword", None)
        item.pop("annote", None)
    bib = tmp_path / "refs.json"
    bib.write_text(json.dumps(items), encoding="utf-8")
    keys = ", ".join(f"@{r.citekey}" for r in recs)  # cited in this order: numbered so
    doc = f"---\nnocite: |\n  {keys}\n---\n"
    out = subprocess.run([_pandoc(), "--citeproc", "--bibliography", str(bib), "--csl",
                          str(resolve(style)[0]), "-t", "plain", "--wrap=none"],
                         input=doc, capture_output=True, text=True, timeout=60, check=True)
    # One line each, a locale's no-break spaces kept ("et\u00a0al."), as SpineLib keeps them.
    return [re.sub(r"[ \t\n]+", " ", e).strip(" ") for e in out.stdout.strip().split("\n\n")]


@pytest.mark.parametrize("style", STYLES)
def test_reference_list_equals_pandoc(style: str, tmp_path: Path) -> None:
    ours = format_bibliography(golden_records(), style).splitlines()
    theirs = pandoc_entries(style, tmp_path)
    assert len(ours) == len(theirs) == 20
    assert ours == theirs


def edge_records() -> list[ArticleRecord]:
    """What citeproc-py printed differently from pandoc until ``spinelib.cite.mends``: no
    author (AMA substitutes the title, which must not print twice), titles ending in ? and
    !, an author with initials only, and a plain article beside them."""
    base = golden_records()[0]

    def like(key: str, **changes: object) -> ArticleRecord:
        rec = ArticleRecord(**{**base.__dict__, "citekey": key})
        for name, value in changes.items():
            setattr(rec, name, value)
        return rec

    return [like("noauthor", authors=[]), like("question", title="Is surgery better?"),
            like("exclaim", title="Not again!", month=None, day=None),
            like("initials", authors=[Author("Kim", "", "JH"), Author("Lee", "Jean-Paul")]),
            like("plain")]


@pytest.mark.parametrize("style", ["vancouver", "american-medical-association", "spine"])
def test_edge_entries_equal_pandoc(style: str, tmp_path: Path) -> None:
    recs = edge_records()
    theirs = pandoc_entries(style, tmp_path, recs)
    assert format_bibliography(recs, style).splitlines() == theirs
    assert theirs[0].count("Direct decompressive") == 1
    assert "better? " in theirs[1] and "Kim JH, Lee J" in theirs[3]


def thesis_records() -> list[ArticleRecord]:
    """Theses: with a degree (a doctorate, unpublished), with a degree and a DOI (a
    master's, published), and without a degree; distinct authors and years, so no
    author-date style needs "2005a" (a citeproc-py limit the README names)."""
    base = golden_records()[0]
    plain = {"type": "thesis", "journal": "", "journal_abbrev": "", "volume": "", "issue": "",
             "pages": "", "doi": "", "pmid": "", "pmcid": "", "month": None, "day": None,
             "institution": "University of Oxford", "place": "Oxford"}

    def thesis(key: str, family: str, year: int, **changes: object) -> ArticleRecord:
        rec = ArticleRecord(**{**base.__dict__, **plain, "citekey": key, "year": year,
                               "authors": [Author(family, "Anna")]})
        for name, value in changes.items():
            setattr(rec, name, value)
        return rec

    return [thesis("phd", "Berg", 2019, publication_types=["PhD thesis"]),
            thesis("masters", "Lund", 2021, publication_types=["Master's thesis"],
                   doi="10.5287/bodleian:abc123"),
            thesis("nodegree", "Holm", 2023, publication_types=[])]


@pytest.mark.parametrize("style", ["apa", "vancouver", "american-medical-association"])
def test_theses_equal_pandoc(style: str, tmp_path: Path) -> None:
    """APA printed "… (Publication) [PhD thesis]": its publication-number group took the
    fixed word of the branch it chose for a printed number (``groupcalls._group_process``)."""
    recs = thesis_records()
    theirs = pandoc_entries(style, tmp_path, recs)
    ours = format_bibliography(recs, style).splitlines()
    assert ours == theirs
    assert not any("Publication" in entry for entry in ours)
    assert any("PhD thesis" in entry for entry in ours)


@pytest.mark.parametrize(("name", "style"), [("vancouver", "vancouver"),
                                             ("ama", "american-medical-association")])
def test_the_built_in_names_are_these_styles(name: str, style: str, tmp_path: Path) -> None:
    """Copy citation and ``show`` ("vancouver", "ama") print pandoc's entry without its
    number: one source of truth for every citation text."""
    recs = golden_records() + edge_records()
    theirs = pandoc_entries(style, tmp_path, recs)
    for rec, entry in zip(recs, theirs):
        number, _, rest = entry.partition(". ")
        assert number.isdigit() and format_citation(rec, name) == rest


def same_year_records() -> list[ArticleRecord]:
    """Two papers of the same three authors in 2005 and one in 2006, two of Laufer's in
    2013, two of Fisher's in 2010 with other co-authors, and Bilsky's 2010. Where a style's
    sort ties two (Springer's sorts by author alone), the letters follow the order given;
    pandoc's follow the keys', so the keys here run in the order given."""
    def paper(key: str, title: str, year: int, month: int | None, names: str,
              journal: str = "Spine") -> ArticleRecord:
        authors = [Author(*n.split()) for n in names.split(", ")]
        return ArticleRecord(citekey=key, title=title, year=year, month=month,
                             authors=authors, journal=journal, volume="35", pages="1-9")

    pta = "Patchell Roy RA, Tibbs Phillip PA, Regine William WF"
    return [paper("patchell2005direct", "Direct decompressive surgical resection", 2005, 8,
                  pta, "Lancet"),
            paper("patchell2005surgical", "Surgical outcomes after decompression", 2005, 3,
                  pta),
            paper("patchell2006late", "Late outcomes of decompressive surgery", 2006, 1, pta),
            paper("laufer2013decision", "The NOMS decision framework", 2013, 6, "Laufer Ilya I",
                  "The Oncologist"),
            paper("laufer2013local", "Local disease control after separation surgery",
                  2013, 2, "Laufer Ilya I"),
            paper("fisher2010novel", "A novel classification system for spinal instability",
                  2010, 5, "Fisher Charles CG, DiPaola Christian CP, Ryken Timothy TC"),
            paper("fisher2010score", "Reliability of the spinal instability neoplastic score",
                  2010, 9, "Fisher Charles CG, Schouten Rowan R, Versteeg Anne AL"),
            paper("bilsky2010", "Reliability analysis of the epidural compression scale",
                  2010, 4, "Bilsky Mark MH")]


def pandoc_citations(style: str, tmp_path: Path, records: list[ArticleRecord],
                     cited: list[list[str]] | None = None,
                     typed: list[str] | None = None) -> list[str]:
    """pandoc's in-text citations, one a paragraph: of ``typed`` (citations as an author
    types them, "[see @a, p. 12; @b]"), else of ``cited`` (lists of keys), else of each
    record alone."""
    bib = tmp_path / "cited.json"
    bib.write_text(write_csljson(records), encoding="utf-8")
    groups = cited if cited is not None else [[r.citekey] for r in records]
    doc = "\n\n".join(typed if typed is not None else
                       ["[" + "; ".join(f"@{k}" for k in keys) + "]" for keys in groups])
    out = subprocess.run([_pandoc(), "--citeproc", "--bibliography", str(bib), "--csl",
                          str(resolve(style)[0]), "-t", "plain", "--wrap=none",
                          "-M", "suppress-bibliography=true"],
                         input=doc + "\n", capture_output=True, text=True, timeout=60,
                         check=True)
    return [line for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("style", ["apa", "elsevier-harvard", "springer-basic-author-date"])
def test_works_cited_alike_get_year_suffixes_as_in_pandoc(style: str, tmp_path: Path) -> None:
    """citeproc-py gave none: APA cited both Patchell 2005 papers "(Patchell et al., 2005)"
    and listed them without the letters. APA places ``year-suffix`` itself; Elsevier's
    Harvard and Springer's author-date leave it to the date (``cite.disambiguation``)."""
    recs = same_year_records()
    assert format_bibliography(recs, style).splitlines() == pandoc_entries(style, tmp_path,
                                                                            recs)
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite([r.citekey]) for r in recs]
    theirs = pandoc_citations(style, tmp_path, recs)
    assert "2005a" in ours[0] and "2005b" in ours[1] and "2006)" in ours[2]
    if style == "apa":
        # APA names a second author first ("Fisher, DiPaola, et al."): no letters needed.
        assert ours[5:7] == ["(Fisher, DiPaola, et al., 2010)",
                             "(Fisher, Schouten, et al., 2010)"]
    else:
        assert ours[5].endswith("2010a)") and ours[6].endswith("2010b)")
    assert ours == theirs
    # The bibliography the citations go with carries the same letters.
    assert citer.bibliography() == format_bibliography(recs, style).splitlines()


@pytest.mark.parametrize("style", ["apa", "elsevier-harvard", "chicago-author-date",
                                   "harvard-cite-them-right"])
def test_works_of_the_same_authors_are_cited_together_as_in_pandoc(style: str,
                                                                   tmp_path: Path) -> None:
    """citeproc-py printed "(Laufer, 2013b; Laufer, 2013a)" and "(Fisher et al., 2010;
    Fisher et al., 2010)"; the styles collapse by year (``cite.citegroups``) and APA,
    Chicago and Cite Them Right name more authors (``cite.disambiguation``)."""
    recs = same_year_records()
    cited = [["laufer2013decision", "laufer2013local"],
             ["patchell2005direct", "patchell2005surgical", "patchell2006late"],
             ["bilsky2010", "laufer2013local", "fisher2010novel"],
             ["fisher2010novel", "fisher2010score"]]
    theirs = pandoc_citations(style, tmp_path, recs, cited)
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite(keys) for keys in cited]
    assert ours == theirs
    assert "2013a, 2013b" in ours[0] or "2013b, 2013a" in ours[0]
    # With the author's words: a locator ends a group's run of years with the layout's
    # delimiter, a prefix may open a group, a later cite's own words keep it apart.
    typed = ["[@laufer2013decision, p. 12; @laufer2013local]",
             "[see @laufer2013decision; @laufer2013local]",
             "[@laufer2013decision; see @laufer2013local]",
             "[@laufer2013local; @laufer2013decision, and passim]"]
    items = [[CitedItem("laufer2013decision", "12", "page"), CitedItem("laufer2013local")],
             [CitedItem("laufer2013decision", prefix="see"), CitedItem("laufer2013local")],
             [CitedItem("laufer2013decision"), CitedItem("laufer2013local", prefix="see")],
             [CitedItem("laufer2013local"),
              CitedItem("laufer2013decision", suffix=", and passim")]]
    assert [citer.cite_items(i)[0] for i in items] == pandoc_citations(style, tmp_path, recs,
                                                                       typed=typed)


def test_the_letters_run_past_z() -> None:
    import itertools

    from spinelib.cite.disambiguation import letters

    assert list(itertools.islice(letters(), 28))[24:] == ["y", "z", "aa", "ab"]


def test_numeric_styles_and_lone_works_get_no_letters() -> None:
    recs = same_year_records()
    assert "2005a" not in format_bibliography(recs, "vancouver")
    from spinelib.cite import format_reference

    assert "2005a" not in format_reference(recs[0], "apa")


def test_a_word_manuscript_in_apa_tells_the_two_2005_papers_apart(tmp_path: Path) -> None:
    import docx

    from spinelib.library import Library
    from spinelib.manuscript import format_manuscript

    with Library.open(tmp_path / "lib.sqlite") as lib:
        for rec in same_year_records()[:3]:
            lib.articles.add_record(rec)
        keys = [lib.articles.citekey(i) for i in lib.search.ids()]
        direct, surgical = sorted(k for k in keys if "2005" in k)
        src, out = tmp_path / "paper.docx", tmp_path / "out.docx"
        document = docx.Document()
        document.add_paragraph(f"Surgery first [@{surgical}]; then the trial [@{direct}].")
        document.save(str(src))
        format_manuscript(lib, src, out, "apa")
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == ("Surgery first (Patchell et al., 2005b); then the trial "
                             "(Patchell et al., 2005a).")
    assert any(p.startswith("Patchell, R., Tibbs, P., & Regine, W. (2005a). Direct")
               for p in paragraphs)


#: The golden records but two whose entries differ from pandoc's in these styles on points
#: left as they are (README): Chicago's page range "E700–E707" (pandoc "E700–707") and
#: MLA's "no. Suppl 20" (pandoc "nos."). Three have hyphenated words in title case ("An
#: Evidence-Based Approach", "A Meta-Analysis", "Short-Course"), one a name particle
#: (Chicago's "Brande, Ruben van den", sorted under B; Cite Them Right's "van den Brande,
#: R.", sorted under B too); Laufer's works, alone and "et al.", sort as MLA says.
AMERICAN_KEYS = tuple(r.citekey for r in golden_records()
                      if r.citekey not in ("spinegroup2019consensus", "supplement2016"))


@pytest.mark.parametrize("style", ["chicago-author-date", "american-sociological-association",
                                   "modern-language-association", "ieee",
                                   "harvard-cite-them-right", "elsevier-harvard", "apa"])
def test_given_names_and_quoted_punctuation_equal_pandoc(style: str, tmp_path: Path) -> None:
    """citeproc-py initialised every given name ("Barzilai, O., and S. Boriani" for
    Chicago's "Barzilai, Ori, and Stefano Boriani"), left a period or comma outside the
    closing quotation mark American English puts it inside ("…Cohort”." for "…Cohort.”"),
    title cased the first part of a hyphenated word only ("Evidence-based"), and kept a
    name's particle in its family name (Chicago: "van den Brande, Ruben", under V)."""
    recs = [r for r in golden_records() if r.citekey in AMERICAN_KEYS]
    question = edge_records()[1]  # "Is surgery better?": no period, no comma after it
    recs.append(ArticleRecord(**{**question.__dict__,
                                 "authors": [Author("Sciubba", "Daniel M", "DM")]}))
    ours = format_bibliography(recs, style).splitlines()
    assert ours == pandoc_entries(style, tmp_path, recs)
    assert not any("”." in entry or "”," in entry for entry in ours)


def shared_family_records() -> list[ArticleRecord]:
    """Three Wangs (Jun, Lei, Wei) of 2018-2020, two with the same co-author, and a Kim:
    the family names spine papers share most."""
    def paper(key: str, title: str, year: int, names: str) -> ArticleRecord:
        return ArticleRecord(citekey=key, title=title, year=year, journal="Spine",
                             volume="1", pages="1-9",
                             authors=[Author(*n.split()) for n in names.split(", ")])

    return [paper("wangj2018", "Vertebroplasty outcomes", 2018,
                  "Wang Jun J, Chen Li L, Zhao Min M"),
            paper("wangl2020", "Kyphoplasty outcomes", 2020, "Wang Lei L, Liu Yang Y, Sun Hao H"),
            paper("wangj2019", "Separation surgery", 2019, "Wang Jun J, Xu Bo B"),
            paper("wangw2019", "SBRT for spine", 2019, "Wang Wei W, Xu Bo B"),
            paper("kim2019", "Fixation", 2019, "Kim Jin J")]


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "harvard-cite-them-right",
                                   "elsevier-harvard"])
def test_first_authors_sharing_a_family_name_are_told_apart_as_in_pandoc(
        style: str, tmp_path: Path) -> None:
    """citeproc-py cited J. Wang's and W. Wang's 2019 papers "(Wang & Xu, 2019)" both,
    and APA sorted "Wang, J., & Xu, B." before "Wang, J., Chen, L., & Zhao, M.". APA and
    Chicago give initials wherever a family name is shared; Cite Them Right and Elsevier's
    Harvard only where two citations would print alike."""
    recs = shared_family_records()
    cited = [[r.citekey] for r in recs] + [["wangj2019", "wangw2019"]]
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite(keys) for keys in cited]
    assert ours == pandoc_citations(style, tmp_path, recs, cited)
    assert "W. Wang" in ours[3]
    assert citer.bibliography() == pandoc_entries(style, tmp_path, recs)


def two_brunos_records() -> list[ArticleRecord]:
    """Two 2012 papers whose first authors are both Bruno (J. G. and W. M.), their second
    authors apart, and a 2024 pair of Romanos (C. and C. G.)."""
    def paper(key: str, year: int, names: str) -> ArticleRecord:
        people = [n.split(" ", 1) for n in names.split(", ")]
        return ArticleRecord(citekey=key, title=f"Paper {key}", year=year, journal="Spine",
                             volume="1", pages="1-9",
                             authors=[Author(family, given, initials_of(given))
                                      for family, given in people])

    return [paper("brunoj", 2012, "Bruno Jon G, Lefebvre Tom, Watanabe Ken"),
            paper("brunow", 2012, "Bruno Will M, Michel Eva N, Ibrahim Jad"),
            paper("romanoc", 2024, "Romano Carla, Kim Eun S, Lee Yun"),
            paper("romanocg", 2024, "Romano Carla G, Thompson Jo A, Brown Cy")]


@pytest.mark.parametrize("style", ["alternatives-to-animal-experimentation", "oryx"])
def test_first_authors_of_one_family_are_told_apart_by_what_citations_print(
        style: str, tmp_path: Path) -> None:
    """A style that adds names cites "(Bruno, Lefebvre, et al., 2012)" and "(Bruno, Michel,
    et al., 2012)": the names compared were whole (given names too), so the first authors
    differed, no name was added, and the works got "2012a", "2012b". A style that also adds
    initials by cite (Oryx) gives them first: "(J. G. Bruno et al., 2012)"."""
    recs = two_brunos_records()
    cited = [[r.citekey] for r in recs]
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite(keys) for keys in cited]
    assert ours == pandoc_citations(style, tmp_path, recs, cited)
    assert not any("2012a" in citation or "2024a" in citation for citation in ours)
    assert ("Bruno, Lefebvre" in ours[0]) == (style != "oryx")


@pytest.mark.parametrize("style", ["taylor-and-francis-chicago-author-date",
                                   "universidade-federal-do-espirito-santo-abnt"])
def test_a_given_name_added_is_printed_as_the_style_prints_given_names(
        style: str, tmp_path: Path) -> None:
    """A style that sets no ``initialize-with`` adds the whole given name ("Jon G Bruno et
    al."), one with inverted names puts it after the family name in the family name's own
    case ("BRUNO, Jon G"); SpineLib printed "J. G. Bruno" and "J. G. BRUNO" in both."""
    recs = two_brunos_records()
    cited = [[r.citekey] for r in recs]
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    ours = [citer.cite(keys) for keys in cited]
    assert ours == pandoc_citations(style, tmp_path, recs, cited)
    assert ("Jon G Bruno" in ours[0]) == style.startswith("taylor")
    assert ("BRUNO, Jon G" in ours[0]) == style.endswith("abnt")


@pytest.mark.parametrize("style", ["griffith-college-harvard", "the-british-journal-of-criminology",
                                   "pontificia-universidade-catolica-do-parana-abnt",
                                   "veterinary-medicine-austria"])
def test_styles_citeproc_failed_on_now_print(style: str) -> None:
    """citeproc-py cased a plain ``str`` (a names list ending in "et al.", an empty name
    part) and failed (AttributeError); since the list tells works apart by citing them,
    Griffith College's Harvard failed its reference list too. Thirteen of the sixteen
    styles of 500 that failed on these records print now."""
    recs = golden_records() + same_year_records() + shared_family_records()
    assert len(format_bibliography(recs, style).splitlines()) == len(recs)
    citer = Citer.for_style(style, {r.citekey: r for r in recs})
    assert citer.cite(["laufer2013decision", "laufer2013local"])


def test_a_list_prints_when_its_citations_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Telling works apart renders their citations; a style whose citations fail in
    citeproc-py still gets its list, without letters."""
    from spinelib.cite.engine import StyleEngine, StyleError

    def fail(*_args: object) -> None:
        raise StyleError("citeproc-py failed")

    monkeypatch.setattr(StyleEngine, "_cited_alone", fail)
    entries = format_bibliography(same_year_records(), "apa").splitlines()
    assert len(entries) == 8 and not any("2005a" in e for e in entries)
