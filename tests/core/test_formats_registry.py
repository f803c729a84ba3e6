"""The format registry: detection, decoding, reading files, writers, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spinelib.errors import FormatError, SpineLibError
from spinelib.formats import (
    BYTES_READERS,
    EXTENSIONS,
    READERS,
    WRITERS,
    ReadResult,
    detect,
    export_problems,
    pubmed_xml,
    read_file,
    read_text,
    write_atomic,
)
from spinelib.library import Library
from spinelib.records import ArticleRecord, Author
from tests.core.helpers import make_record

DATA = Path(__file__).resolve().parent.parent / "data" / "formats"

RIS = "TY  - JOUR\nTI  - A title\nPY  - 2001\nER  - \n"
BIB = "@article{k2001, title={A title}, year={2001}}\n"
NBIB = "PMID- 123\nTI  - A title.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- the tables ---------------------------------------------------------------------------

def test_registry_contents() -> None:
    assert set(WRITERS) == {"bibtex", "biblatex", "ris", "csljson", "vancouver", "ama",
                            "vancouver-html", "ama-html", "report"}
    assert {"bibtex", "ris", "medline", "csljson", "pubmed"} <= set(READERS)
    assert EXTENSIONS[".bib"] == "bibtex" and EXTENSIONS[".ris"] == "ris"
    assert EXTENSIONS[".nbib"] == "medline" and EXTENSIONS[".json"] == "csljson"
    assert EXTENSIONS[".xml"] == "pubmed" and "pubmed" in BYTES_READERS


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_takes_records_and_abstracts_flag(name: str) -> None:
    rec = ArticleRecord(title="T & <b>", authors=[Author("A", "B")], journal="J", year=2001,
                        abstract="Abstract text here.", citekey="a2001t")
    out = WRITERS[name]([rec], abstracts=True)
    assert isinstance(out, str) and "T" in out
    assert WRITERS[name]([rec]) == WRITERS[name]([rec], abstracts=False)


# -- detect -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("refs.bib", BIB, "bibtex"),
    ("refs.ris", RIS, "ris"),
    ("refs.nbib", NBIB, "medline"),
    ("refs.json", "[]", "csljson"),
    ("refs.txt", RIS, "ris"),
    ("refs.txt", NBIB, "medline"),
    ("refs.txt", "% comment\n" + BIB, "bibtex"),
    ("pubmed_result.txt", "\n\n" + NBIB, "medline"),
    ("REFS.RIS", RIS, "ris"),
    ("refs.bib", RIS, "ris"),  # the content wins over a wrong extension
    ("noext", RIS, "ris"),
])
def test_detect(tmp_path: Path, name: str, content: str, fmt: str) -> None:
    assert detect(write(tmp_path, name, content)) == fmt


def test_detect_pubmed_xml(fixtures_dir: Path) -> None:
    assert detect(fixtures_dir / "pubmed" / "biopython_pubmed1.xml") == "pubmed"


def test_detect_refuses_binary_with_what_it_looks_like() -> None:
    with pytest.raises(FormatError, match=r"^photo\.bib is not a text file \(it looks like a "
                                          r"PNG image\)$"):
        detect(DATA / "photo.bib")


def test_reading_a_library_file_as_records_says_how_to_bring_its_articles(
        tmp_path: Path) -> None:
    """Another SpineLib library (a colleague's, a backup) is no reference file: the format
    registry says the import merges it as it is (spinelib.libraryimport)."""
    with Library.open(tmp_path / "old library.sqlite") as other:
        other.articles.add_record(make_record())
    with pytest.raises(FormatError, match=(
            r"^old library\.sqlite is not a text file \(it looks like an SQLite database\); "
            r"if it is a SpineLib library or backup, import it as it is \(spinelib import "
            r"'.*old library\.sqlite'\): its articles join this library with their tags, "
            r"notes, reading lists and files$")):
        detect(tmp_path / "old library.sqlite")


def test_detect_refuses_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "junk.ris", b"TY  - JOUR\n\x00\x00\x01\x02binary")
    with pytest.raises(FormatError, match="junk.ris is not a text file .*NUL bytes"):
        detect(path)


def test_detect_unknown_extension_lists_supported(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"refs\.docx: unsupported file type '\.docx'; "
                                          r"supported: .*\.bib.*\.nbib.*\.ris"):
        detect(write(tmp_path, "refs.docx", "hello"))


def test_detect_unrecognisable_txt(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="notes.txt: cannot tell its format"):
        detect(write(tmp_path, "notes.txt", "Just some notes.\n"))


def test_detect_other_xml(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.xml", '<?xml version="1.0"?>\n<feed xmlns='
                 '"http://www.w3.org/2005/Atom"></feed>')
    with pytest.raises(FormatError, match=r"feed.xml is XML but neither PubMed XML "
                                          r"\(a PubmedArticleSet\), EndNote XML nor Zotero "
                                          r"RDF"):
        detect(path)
    # An RDF document (Zotero RDF saved as .xml) is read as Zotero RDF, not refused.
    rdf = write(tmp_path, "zotero.rdf.xml", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>')
    assert detect(rdf) == "zotero_rdf"


def test_detect_endnote_xml_by_its_content(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record></record></records></xml>'
    assert detect(write(tmp_path, "My EndNote Library.xml", text)) == "endnote"
    assert detect(write(tmp_path, "library.txt", text)) == "endnote"
    assert detect(write(tmp_path, "empty.xml", "<xml><records/></xml>")) == "endnote"


def test_detect_saved_web_page(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.bib", "<!DOCTYPE html>\n<html><body>Sign in</body></html>")
    with pytest.raises(FormatError, match=r"refs\.bib is a web page \(HTML\)"):
        detect(path)


def test_detect_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="gone.bib: no such file"):
        detect(tmp_path / "gone.bib")
    with pytest.raises(FormatError, match="is a folder"):
        detect(tmp_path)


# -- read_text ----------------------------------------------------------------------------

def test_read_text_utf16_with_bom() -> None:
    text, warnings = read_text(DATA / "endnote_utf16.ris")
    assert warnings == []
    assert text.startswith("TY  - JOUR") and "Kupče, Ēriks" in text


def test_read_text_utf16_be_and_utf8_bom(tmp_path: Path) -> None:
    be = write(tmp_path, "be.ris", b"\xfe\xff" + RIS.encode("utf-16-be"))
    assert read_text(be) == (RIS, [])
    u8 = write(tmp_path, "u8.ris", b"\xef\xbb\xbf" + RIS.encode("utf-8"))
    assert read_text(u8) == (RIS, [])


def test_read_text_utf16_without_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "le.ris", RIS.encode("utf-16-le"))
    text, warnings = read_text(path)
    assert text == RIS
    assert warnings == ["le.ris has no byte-order mark; read it as UTF-16-LE"]


def test_read_text_windows_1252() -> None:
    text, warnings = read_text(DATA / "refman_latin1.ris")
    assert "Müller, Jürgen" in text and "vertébroplastie – une" in text and "50 €" in text
    assert warnings == ["refman_latin1.ris is not UTF-8; read it as Windows-1252"]


def test_read_text_undefined_cp1252_bytes_fall_back_to_latin1(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.ris", b"TY  - JOUR\nTI  - caf\xe9 \x81\x8d\nER  - \n")
    text, warnings = read_text(path)
    assert "café \x81\x8d" in text
    assert warnings and warnings[0].startswith("odd.ris is not UTF-8; read it as Windows-1252")


def test_read_text_binary() -> None:
    with pytest.raises(FormatError, match="photo.bib is not a text file"):
        read_text(DATA / "photo.bib")


# -- read_file ----------------------------------------------------------------------------

def test_read_file_puts_decoding_warnings_first() -> None:
    result = read_file(DATA / "refman_latin1.ris")
    assert result.warnings[0] == "refman_latin1.ris is not UTF-8; read it as Windows-1252"
    assert result.records[0].authors[0] == Author("Müller", "Jürgen")
    assert result.records[0].notes == "Coût: 50 €"


def test_read_file_utf16_ris() -> None:
    rec = read_file(DATA / "endnote_utf16.ris").records[0]
    assert rec.title == "Spinal metastases in İstanbul and Rīga: a cohort study"
    assert rec.authors == [Author("Kupče", "Ēriks"), Author("Şahin", "Ayşe")]


def test_read_file_pubmed_xml_uses_the_bytes_reader(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_parse(data: bytes, *, origin: str = "", skipped: object = None
                   ) -> list[ArticleRecord]:
        seen["data"], seen["origin"] = data, origin
        return [ArticleRecord(title="From XML", pmid="1")]

    monkeypatch.setattr(pubmed_xml, "parse_pubmed_xml", fake_parse)
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><PubmedArticleSet>caf\xe9</PubmedArticleSet>'
    path = write(tmp_path, "set.xml", xml.encode("latin-1"))
    result = read_file(path)
    assert [r.title for r in result.records] == ["From XML"]
    assert seen == {"data": xml.encode("latin-1"), "origin": "set.xml"}  # bytes untouched
    # The text route re-encodes as UTF-8 and says so in the declaration.
    READERS["pubmed"](xml, "t.xml")
    assert seen["data"] == xml.replace("ISO-8859-1", "UTF-8").encode("utf-8")


def test_read_file_real_pubmed_xml(fixtures_dir: Path) -> None:
    result = read_file(fixtures_dir / "pubmed" / "biopython_pubmed1.xml")
    assert [r.pmid for r in result.records] == ["12091962", "9997"]
    empty = read_file(fixtures_dir / "pubmed" / "metapub_37909814.xml")
    assert empty.records == [] and empty.warnings == ["metapub_37909814.xml holds no PubMed "
                                                      "articles"]


def test_read_file_bad_json_raises(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="bad.json is not valid JSON"):
        read_file(write(tmp_path, "bad.json", "[{"))


def test_read_large_file(tmp_path: Path) -> None:
    # ~5 MB of RIS: only checks that big files are handled as a whole (no timing asserted).
    block = ("TY  - JOUR\nAU  - Smith, John\nTI  - Title number {n}\nT2  - Spine\nPY  - 2001\n"
             "AB  - " + "word " * 150 + "\nER  - \n\n")
    path = write(tmp_path, "big.ris", "".join(block.replace("{n}", str(i)) for i in range(6000)))
    result = read_file(path)
    assert len(result.records) == 6000 and result.problems == []
    assert isinstance(result, ReadResult)


# -- export_problems ----------------------------------------------------------------------

def test_export_problems_dispatch() -> None:
    rec = ArticleRecord(title="中文", citekey="x2001")
    bib = export_problems([rec], "bibtex")
    assert any("cannot encode" in p for p in bib) and any("missing author" in p for p in bib)
    assert not any("cannot encode" in p for p in export_problems([rec], "biblatex"))
    assert export_problems([rec], "ris") == ["x2001: missing author, year"]
    assert export_problems([rec], "csljson") == ["x2001: missing author, year"]
    assert export_problems([ArticleRecord(pmid="5")], "vancouver") == ["5: missing title"]
    with pytest.raises(ValueError, match="unknown export format 'docx'"):
        export_problems([rec], "docx")


# -- write_atomic -------------------------------------------------------------------------

def test_write_atomic_replaces_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_atomic(target, "new ü\n")
    assert target.read_bytes() == "new ü\n".encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]  # no temporary left


def test_write_atomic_new_file_and_crlf_untouched(tmp_path: Path) -> None:
    target = tmp_path / "new.ris"
    write_atomic(target, "a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"


def test_write_atomic_failure_leaves_old_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.bib"
    target.write_text("old")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SpineLibError, match="cannot write .*keep.bib: No space left on device"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.bib"]


def test_write_atomic_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SpineLibError, match="cannot write"):
        write_atomic(tmp_path / "nope" / "out.bib", "x")


def test_no_output_file_replaces_a_database(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """``export -o lib.sqlite`` typed by mistake replaced the library with a RIS file. Every
    writer (text exports, Word documents, evidence tables) now refuses an SQLite database
    or its write-ahead log, and leaves it as it was."""
    import sqlite3

    from spinelib.cli import main
    from spinelib.manuscript.reflist import write_reference_list
    from spinelib.outputfile import write_bytes_atomic

    library = tmp_path / "lib.sqlite"
    lib = Library.open(library)
    lib.articles.add_record(make_record())
    other = tmp_path / "colleague.db"  # any SQLite file, whatever its name
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    wal = tmp_path / "old.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))
    for target in (library, other, wal):
        before = target.read_bytes()
        with pytest.raises(SpineLibError, match="is a database .*choose another file name"):
            write_atomic(target, "TY  - JOUR\n")
        with pytest.raises(SpineLibError, match="is a database"):
            write_bytes_atomic(target, b"PK")
        with pytest.raises(SpineLibError, match="is a database"):
            write_reference_list(lib.articles.records(lib.search.ids()), "vancouver",
                                 target)
        assert target.read_bytes() == before
    lib.close()
    for args in (["export", "--format", "ris"], ["export", "--format", "bibtex", "--abstracts"]):
        assert main(["--library", str(library), *args, "-o", str(library)]) == 1
        assert "is a database (a library or a backup)" in capsys.readouterr().err
    assert main(["--library", str(library), "list"]) == 0  # the library is whole
    assert "1 article" in capsys.readouterr().err
    write_atomic(tmp_path / "fine.ris", "TY  - JOUR\n")  # anything else is written
