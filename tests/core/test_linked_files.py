"""A Zotero, JabRef or Mendeley export brings its PDFs along: the files a .bib's ``file``
fields (or a RIS file's ``L1`` lines) name are attached as the entries are imported; missing
and unreadable ones are named, and the entries are imported all the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.formats.linkpaths import bibtex_file_paths, ris_file_paths
from spinelib.importer import run_import
from spinelib.library import Library, Query
from tests.pdfmaker import make_pdf


@pytest.mark.parametrize(("field", "paths"), [
    ("Full Text PDF:/home/me/Zotero/storage/AB12CD34/Patchell 2005.pdf:application/pdf",
     ["/home/me/Zotero/storage/AB12CD34/Patchell 2005.pdf"]),
    ("Full Text:/a/b.pdf:application/pdf;Snapshot:/a/c.html:text/html", ["/a/b.pdf", "/a/c.html"]),
    (":papers/patchell2005.pdf:PDF", ["papers/patchell2005.pdf"]),          # JabRef, relative
    (r":C\:\\Users\\me\\x.pdf:PDF", ["C:\\Users\\me\\x.pdf"]),              # JabRef escapes
    (r":a\;b\:c.pdf:PDF", ["a;b:c.pdf"]),
    (r":Users/me/Mendeley Desktop/Smith{\_}2010.pdf:pdf",                  # Mendeley
     ["Users/me/Mendeley Desktop/Smith_2010.pdf"]),
    ("/plain/path.pdf", ["/plain/path.pdf"]),
    ("x.pdf:PDF", ["x.pdf"]),
    ("https://example.org/a.pdf", []),
    ("Online:https://example.org/a.pdf:text/html", []),
    ("Full Text:/a/b.pdf:application/pdf;Again:/a/b.pdf:application/pdf", ["/a/b.pdf"]),
    ("", []),
])
def test_file_field_forms(field: str, paths: list[str]) -> None:
    assert bibtex_file_paths(field) == paths


def test_ris_l1_paths_and_file_urls() -> None:
    assert ris_file_paths(["file:///home/me/My%20Paper.pdf", "/abs/x.pdf",
                           "internal-pdf://1234/x.pdf", "https://doi.org/10.1/x", ""]) == [
        "/home/me/My Paper.pdf", "/abs/x.pdf"]


def _bib(folder: Path) -> Path:
    (folder / "storage").mkdir()
    (folder / "papers").mkdir()
    zotero = make_pdf(folder / "storage" / "Patchell 2005.pdf",
                      ["Direct decompressive surgery: ambulation regained"])
    make_pdf(folder / "papers" / "laufer.pdf", ["NOMS framework neurologic oncologic"])
    (folder / "papers" / "fake.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    secret = folder / "id_rsa"  # a file someone else's .bib could name on this computer
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----", encoding="utf-8")
    bib = folder / "export.bib"
    bib.write_text(f"""
@article{{patchell2005direct,
  title = {{Direct decompressive surgical resection}}, author = {{Patchell, Roy A.}},
  journal = {{Lancet}}, year = {{2005}}, doi = {{10.1016/S0140-6736(05)66954-1}},
  file = {{Full Text PDF:{zotero}:application/pdf}},
}}
@article{{laufer2013noms,
  title = {{The NOMS framework}}, author = {{Laufer, Ilya}}, journal = {{Oncologist}},
  year = {{2013}}, doi = {{10.1634/theoncologist.2012-0293}},
  file = {{:papers/laufer.pdf:PDF;:papers/fake.pdf:PDF}},
}}
@article{{bilsky2010escc,
  title = {{Reliability of the ESCC scale}}, author = {{Bilsky, Mark}}, year = {{2010}},
  file = {{:papers/gone.pdf:PDF;:{secret}:}},
}}
""", encoding="utf-8")
    return bib


def test_a_bib_export_brings_its_pdfs(tmp_path: Path) -> None:
    bib = _bib(tmp_path)
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(bib)], client=None)
        assert report.counts() == {"imported": 3} and report.all_ok
        assert report.attached == 2
        assert report.summary() == "3 imported, 2 files attached"
        missing, refused, private = report.warnings
        assert "1 attached file named by the entries not found" in missing
        assert "papers/gone.pdf" in missing
        assert refused == ("export.bib: not attached: papers/fake.pdf (laufer2013noms): it is an "
                           "HTML page, not a PDF")
        assert private.startswith(f"export.bib: not attached: {tmp_path / 'id_rsa'} "
                                  "(bilsky2010escc): not a kind of file a paper comes with")
        patchell = lib.articles.resolve_key("patchell2005direct")
        laufer = lib.articles.resolve_key("laufer2013noms")
        # Copied in under the article's key, as every attachment is.
        assert [a.name for a in lib.attachments.of(patchell)] == ["patchell2005direct.pdf"]
        assert len(lib.attachments.of(laufer)) == 1
        assert lib.attachments.of(lib.articles.resolve_key("bilsky2010escc")) == []
        # The copies are the library's own, and their text is searchable.
        stored = lib.attachments.of(patchell)[0]
        assert stored.path.is_file() and stored.path.parent != bib.parent / "storage"
        assert stored.source == "imported" and stored.pages == 1
        assert lib.search.ids(Query(search="ambulation regained")) == [patchell]
        # Importing the same export again attaches nothing twice.
        again = run_import(lib, [str(bib)], client=None)
        assert again.attached == 0 and len(lib.attachments.of(laufer)) == 1


def test_a_ris_file_url_is_attached(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "My Paper.pdf", ["Separation surgery outcomes"])
    ris = tmp_path / "export.ris"
    ris.write_text("TY  - JOUR\nTI  - Separation surgery\nAU  - Laufer, I\nPY  - 2013\n"
                   f"DO  - 10.1000/sep\nL1  - {pdf.as_uri()}\nER  - \n", encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(ris)], client=None)
        assert report.attached == 1 and not report.warnings
        (article,) = lib.search.ids()
        assert [a.name for a in lib.attachments.of(article)] == ["laufer2013separation.pdf"]


def _library_with_a_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        bib = _bib(tmp_path)
        run_import(lib, [str(bib)], client=None)
    return path


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "ris"])
def test_export_files_round_trips_into_another_library(tmp_path: Path, fmt: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Moving on (to Zotero, JabRef, another SpineLib): ``export --files`` names each
    article's attached files in the form their importers read, and the files come along."""
    from spinelib.cli import main

    lib = _library_with_a_pdf(tmp_path)
    suffix = "ris" if fmt == "ris" else "bib"
    out = tmp_path / f"moving.{suffix}"
    assert main(["--library", str(lib), "export", "--format", fmt, "--files", "-o",
                 str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    stored = tmp_path / "lib.files" / "patchell2005direct.pdf"
    assert stored.is_file()
    assert (f"L1  - {stored}" if fmt == "ris" else f"file = {{:{stored}:PDF}}") in text
    plain = tmp_path / f"plain.{suffix}"
    assert main(["--library", str(lib), "export", "--format", fmt, "-o", str(plain)]) == 0
    assert str(stored) not in plain.read_text(encoding="utf-8")  # only when asked
    with Library.open(tmp_path / "other.sqlite") as other:
        report = run_import(other, [str(out)], client=None)
        assert report.attached == 2 and not report.warnings
        moved = other.search.ids(Query(search="ambulation regained"))
        assert [other.articles.citekey(i) for i in moved] == ["patchell2005direct"]
    capsys.readouterr()


def test_export_files_says_a_format_without_files_names_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from spinelib.cli import main

    lib = _library_with_a_pdf(tmp_path)
    capsys.readouterr()
    assert main(["--library", str(lib), "export", "--format", "csljson", "--files"]) == 0
    err = capsys.readouterr().err
    assert "--files is for bibtex, biblatex, ris; csljson names no files" in err


def test_show_says_where_a_file_came_from(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from spinelib.cli import main

    lib = _library_with_a_pdf(tmp_path)
    capsys.readouterr()
    assert main(["--library", str(lib), "show", "patchell2005direct"]) == 0
    out = capsys.readouterr().out
    assert "patchell2005direct.pdf (pdf, 1 page, came with an imported file)" in out


@pytest.mark.parametrize("path", ["/home/me/My  Papers/a b.pdf", "/a/b:c;d\\e.pdf",
                                  "/x/supp.docx", "/x/noext", "relative/ü.pdf"])
def test_the_file_field_written_reads_back_as_the_same_path(path: str) -> None:
    """What the export writes, the importer reads: through the whole BibTeX and RIS writers
    and readers, spaces, colons, semicolons and backslashes included."""
    from spinelib.formats.bibtex import read_bibtex, write_biblatex, write_bibtex
    from spinelib.formats.bibtex.encode import encode_file_field
    from spinelib.formats.ris import read_ris, write_ris
    from tests.core.helpers import make_record

    assert bibtex_file_paths(encode_file_field([path])) == [path]
    record = make_record(files=[path])
    for write in (write_bibtex, write_biblatex):
        (back,) = read_bibtex(write([record]), "x.bib").records
        assert back.files == [path]
    (back,) = read_ris(write_ris([record]), "x.ris").records
    assert back.files == [path]
    assert encode_file_field(["/a/{b}.pdf", "/a/line\nbreak.pdf"]) == ""


@pytest.mark.parametrize("directory", ["pdfs", "ABSOLUTE"])
def test_a_jabref_library_s_own_file_directory_is_looked_in(tmp_path: Path,
                                                             directory: str) -> None:
    """JabRef keeps relative paths against the library's file directory, which it writes
    into the .bib (relative to it, or absolute; per user and machine too). The LaTeX
    directory (fileDirectoryLatex) is not a file directory."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    make_pdf(folder / "laufer.pdf", ["NOMS decision framework"])
    named = str(folder) if directory == "ABSOLUTE" else directory
    bib = tmp_path / "jabref.bib"
    bib.write_text(
        "@Article{laufer2013noms, title = {The NOMS framework}, author = {Laufer, Ilya},\n"
        "  year = {2013}, doi = {10.1634/theoncologist.2012-0293},\n"
        "  file = {:laufer.pdf:PDF}}\n\n"
        "@Comment{jabref-meta: databaseType:bibtex;}\n"
        "@Comment{jabref-meta: fileDirectoryLatex-me-laptop:/nowhere;}\n"
        f"@Comment{{jabref-meta: fileDirectory-me-laptop:{named};}}\n", encoding="utf-8")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        report = run_import(lib, [str(bib)], client=None)
        assert report.attached == 1 and not report.warnings
