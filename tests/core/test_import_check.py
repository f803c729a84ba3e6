"""``spinelib import --dry-run`` (:mod:`spinelib.importcheck`): each input recognised as the
import takes it, with what of it the library already holds; nothing fetched, nothing
written."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.identifiers import Identifier
from spinelib.import_results import HeldArticle
from spinelib.importcheck import check_import
from spinelib.library import Library
from spinelib.sources import http

from .helpers import make_record

BIB = """@article{held2005,
  title = {Direct decompressive surgical resection},
  doi = {10.1016/S0140-6736(05)66954-1},
  year = {2005}
}
@article{fresh2021,
  title = {A new separation surgery series},
  doi = {10.5555/fresh.1},
  year = {2021}
}
@article{anonymous1998,
  title = {A reference without identifiers},
  year = {1998}
}
@article{broken,
  title = {Unclosed
"""


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as library:
        library.articles.add_record(make_record())  # Patchell: PMID 16112300
        gone = library.articles.add_record(make_record(title="Deleted", doi="10.1000/gone",
                                                       pmid="1003"))
        library.trash.delete([gone.article_id])
    return path


def test_each_input_says_what_the_library_holds(lib: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a dry run fetched")

    monkeypatch.setattr(http.HttpClient, "get", no_network)
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    listed = tmp_path / "dois.txt"
    listed.write_text("10.1016/s0140-6736(05)66954-1\n10.5555/other\nPMID: 1003\n",
                       encoding="utf-8")
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4\n")
    before = lib.read_bytes()

    code = main(["--library", str(lib), "import", "--dry-run", "PMID: 16112300",
                 "https://doi.org/10.1000/GONE", "10.5555/new", "not-an-id", str(bib),
                 str(listed), str(folder), str(tmp_path / "missing.ris")])
    out = capsys.readouterr().out.splitlines()

    assert code == 0
    assert out == [
        "PMID 16112300: in your library as patchell2005direct",
        "DOI 10.1000/gone: in the Trash as patchell2005deleted (importing restores it)",
        "DOI 10.5555/new: new",
        "not-an-id: skipped: 'not-an-id' is not a DOI, PMID or PMCID",
        f"{bib}: BibTeX file, 4 entries: 1 in your library, 1 new, "
        "1 without DOI, PMID or PMCID, 1 unreadable",
        f"{listed}: list of 3 identifiers: 2 in your library, 1 new",
        f"{folder}: folder of 1 PDF",
        f"{tmp_path / 'missing.ris'}: skipped: no such file: {tmp_path / 'missing.ris'}",
        "dry run, nothing imported: 3 new, 5 already in your library, 1 without DOI, PMID "
        "or PMCID (matched by title), 1 PDF (identified from their text when imported), "
        "2 inputs skipped",
    ]
    assert lib.read_bytes() == before  # nothing written


def test_a_pdf_is_read_for_what_it_names(lib: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF given alone is read as the import reads it (its first pages; no network): the
    DOI it prints, the paper the library holds by its first page, the very file attached
    already, or a PDF the import will search for."""
    from spinelib.pdfimport import run_import
    from tests.core.test_pdf_heading import LAYOUT
    from tests.core.test_pdf_held import paper
    from tests.pdfmaker import make_pdf

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a dry run fetched")

    with Library.open(lib) as library:
        library.articles.add_records([paper()])
        attached = make_pdf(tmp_path / "attached.pdf", ["Handout of a talk, 2019"])
        [kept] = run_import(library, [str(attached)], client=None).items
    monkeypatch.setattr(http.HttpClient, "get", no_network)
    with_doi = make_pdf(tmp_path / "doi.pdf", ["A trial\ndoi: 10.1016/S0140-6736(05)66954-1"])
    new_doi = make_pdf(tmp_path / "new.pdf", ["A paper\ndoi: 10.5555/new.2"])
    trashed = make_pdf(tmp_path / "gone.pdf", ["A paper deleted since\ndoi: 10.1000/gone"])
    by_page = make_pdf(tmp_path / "fisher.pdf", [LAYOUT])
    unknown = make_pdf(tmp_path / "other.pdf", [[(18, "Outcomes of sacral chordoma "
                                                  "resection"), (10, "Body text, 2011.")]])
    html = tmp_path / "saved.pdf"
    html.write_text("<html><body>Access denied</body></html>", encoding="utf-8")
    before = lib.read_bytes()
    assert main(["--library", str(lib), "import", "--dry-run"] + [str(p) for p in (
        with_doi, new_doi, trashed, by_page, unknown, attached, html)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{with_doi}: a PDF of DOI 10.1016/s0140-6736(05)66954-1 (found in page 1), in your "
        "library as patchell2005direct: 1 in your library",
        f"{new_doi}: a PDF of DOI 10.5555/new.2 (found in page 1): 1 new",
        f"{trashed}: a PDF of DOI 10.1000/gone (found in page 1), in the Trash as "
        "patchell2005deleted (importing restores it): 1 in your library",
        f"{by_page}: a PDF of fisher2010novel (its first page holds that article's title, "
        "first author and year): 1 in your library",
        f"{unknown}: a PDF without a DOI or PMID (searched for by its first page when "
        "imported)",
        f"{attached}: a PDF already attached, as this very file, to {kept.citekey}: "
        "1 in your library",
        f"{html}: skipped: not a PDF: it is an HTML page, not a PDF",
        "dry run, nothing imported: 1 new, 4 already in your library, 1 PDF (identified "
        "from their text when imported), 1 input skipped",
    ]
    assert lib.read_bytes() == before  # nothing written


def test_standard_input_is_named_so(lib: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(BIB))
    assert main(["--library", str(lib), "import", "--dry-run", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("standard input: BibTeX file, 4 entries: 1 in your library")
    monkeypatch.setattr("sys.stdin", io.StringIO("see PMID: 16112300 and doi 10.5555/zz\n"))
    assert main(["--library", str(lib), "import", "--dry-run", "-"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "PMID 16112300: in your library as patchell2005direct", "DOI 10.5555/zz: new"]


def test_nothing_importable_exits_1(lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(lib), "import", "--dry-run", "junk"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "junk: skipped: 'junk' is not a DOI, PMID or PMCID",
        "dry run, nothing imported: 0 new, 0 already in your library, 1 input skipped"]


def test_an_unknown_tag_is_refused_as_the_import_refuses_it(
        lib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--library", str(lib), "import", "--dry-run", "--tag", "nosuch",
                 "16112300"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "unknown tag 'nosuch'" in err


def test_a_large_file_is_counted_in_batches(lib: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Held articles are counted right across look-up batches, each asked once."""
    monkeypatch.setattr("spinelib.importcheck.CHECK_BATCH", 3)
    records = [{"type": "article-journal", "title": f"Paper {n}", "DOI": f"10.5555/p{n}",
                "issued": {"date-parts": [[2020]]}} for n in range(10)]
    records[7]["DOI"] = "10.1016/S0140-6736(05)66954-1"
    records[8]["PMID"] = "1003"
    path = tmp_path / "items.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    with Library.open(lib) as library:
        asked: list[int] = []
        holding = library.articles.holding

        def counting(idents: Iterable[Identifier]) -> dict[Identifier, HeldArticle]:
            listed = list(idents)
            asked.append(len(listed))
            return holding(listed)

        monkeypatch.setattr(library.articles, "holding", counting)
        (checked,) = check_import(library, [str(path)]).inputs
    assert (checked.names, checked.held, checked.new, checked.anonymous) == (10, 2, 8, 0)
    assert len(asked) == 4  # 3 + 3 + 3 + 1 records


def test_another_library_is_checked_as_the_merge_checks_it(
        lib: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Another library is named; this very library, or an SQLite file that is no library,
    is skipped with the merge's own reason (the files are only read)."""
    other = tmp_path / "fellow.sqlite"
    with Library.open(other) as library:
        library.articles.add_record(make_record(doi="10.1000/fellow", pmid="2002"))
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE x (a)")
    before = foreign.read_bytes()
    assert main(["--library", str(lib), "import", "--dry-run", str(other), str(lib),
                 str(foreign)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{other}: another SpineLib library, merged in with its tags, notes, "
                      "lists and files")
    assert out[1] == f"{lib}: skipped: is this library itself"
    assert out[2].startswith(f"{foreign}: skipped: ") and "not a SpineLib library" in out[2]
    assert foreign.read_bytes() == before


def test_a_file_with_nothing_to_import_says_why(lib: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """As the import says it: an empty file in the reader's words; a file whose every entry
    is broken, counted."""
    empty = tmp_path / "empty.bib"
    empty.write_text("@comment{nothing here}\n", encoding="utf-8")
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a,\n  title = {Unclosed\n@article{b, title = {x}\n",
                      encoding="utf-8")
    assert main(["--library", str(lib), "import", "--dry-run", str(empty), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{empty}: skipped: has no BibTeX entries"
    assert out[1].startswith(f"{broken}: skipped: BibTeX file: none of its ")
    assert out[1].endswith(" can be read (the import says why)")


def test_a_list_s_rows_without_an_identifier_are_counted(lib: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """The import skips them with a warning; the dry run said nothing of them."""
    results = tmp_path / "scopus.csv"
    results.write_text('"Title","DOI","PubMed ID"\n"Direct decompressive surgery","",'
                       '"16112300"\n"A conference abstract","",""\n', encoding="utf-8")
    assert main(["--library", str(lib), "import", "--dry-run", str(results)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{results}: list of 1 identifier and 1 line without one: 1 in your library")


def test_a_dry_run_says_what_a_files_groups_tags_and_marks_would_bring(tmp_path: Path) -> None:
    """A Mendeley or JabRef export: the lists, tags and marks it would bring are counted
    before anything is written."""
    from tests.core.test_bibtex_groups import JABREF5, MENDELEY
    from tests.core.test_file_groups import JABREF38

    lib = tmp_path / "lib.sqlite"
    files = []
    for name, text in (("mendeley.bib", MENDELEY), ("jabref5.bib", JABREF5)):
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    with Library.open(lib) as library:
        check = check_import(library, [str(f) for f in (*files, JABREF38)])
        assert [c.describe(c.given.rsplit("/", 1)[-1]) for c in check.inputs] == [
            "mendeley.bib: BibTeX file, 2 entries: 1 new, 1 without DOI, PMID or PMCID; its "
            "groups: 4 reading lists; its tags: 2",
            "jabref5.bib: BibTeX file, 2 entries: 2 without DOI, PMID or PMCID; its groups: "
            "4 reading lists",
            "jabref38_groups.bib: BibTeX file, 3 entries: 3 without DOI, PMID or PMCID; its "
            "groups: 3 reading lists; reading states or stars: 2"]
        assert library.search.count() == 0 and library.lists.all() == []


def test_a_large_files_count_has_the_separator_its_counts_have() -> None:
    """The preview showed "BibTeX file, 20000 entries" beside "20,000 new"."""
    from spinelib.importcheck import _file_of

    assert _file_of("BibTeX file", 20000) == "BibTeX file, 20,000 entries"
    assert _file_of("RIS file", 1) == "RIS file, 1 entry"
