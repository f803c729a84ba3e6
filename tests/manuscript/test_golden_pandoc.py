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
import subprocess
from pathlib import Path

import pytest

from spinelib.cite import format_bibliography
from spinelib.formats.citation import format_citation
from spinelib.formats.csljson import write_csljson
from spinelib.records import ArticleRecord, Author
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
    return [" ".join(e.split()) for e in out.stdout.strip().split("\n\n")]


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
    fixed word of the branch it chose for a printed number (``mends._group_process``)."""
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
