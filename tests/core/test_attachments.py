"""Issue 14: attaching files, importing PDFs, the full-text index and file integrity.

PDFs are written by tests/pdfmaker.py (a few hundred bytes, known text and DOI); nothing
touches the network.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.errors import FormatError, LibraryError, NoMatch
from spinelib.formats.jats_fulltext import parse_jats_fulltext
from spinelib.formats.pdf import find_identifiers, read_pdf
from spinelib.library import Library, Query, filestore
from spinelib.pdfimport import run_import
from tests.core.helpers import make_record
from tests.pdfmaker import encrypted_pdf, make_pdf, paper_pages, pdf_bytes

DOI = "10.1016/s0140-6736(05)66954-1"


@pytest.fixture()
def lib(tmp_path: Path):
    library = Library.open(tmp_path / "lib.sqlite")
    yield library
    library.close()


def added(lib: Library, **fields: object) -> int:
    return lib.articles.add_records([make_record(**fields)])[0].article_id


def test_attach_copies_named_after_the_key_and_indexes_each_page(lib: Library,
                                                                  tmp_path: Path) -> None:
    aid = added(lib)
    pdf = make_pdf(tmp_path / "download (3).pdf", paper_pages(DOI, "Direct surgery", n=3))
    first = lib.attachments.attach(aid, pdf).attachment
    key = lib.articles.citekey(aid)
    assert first.path == tmp_path / "lib.files" / f"{key}.pdf" and first.path.is_file()
    assert first.pages == 3 and first.kind == "pdf" and first.source == "user"
    supplement = make_pdf(tmp_path / "supp.pdf", ["Supplementary table of chordoma cases"])
    second = lib.attachments.attach(aid, supplement).attachment
    assert second.path.name == f"{key}-2.pdf"
    assert [p.page for p in lib.attachments.text(aid)] == [1, 2, 3, 1]
    # Words only in the paper's text find it, and say where.
    assert lib.search.ids(Query(search="stereotactic radiosurgery")) == [aid]
    assert lib.search.ids(Query(search="stereotactic", sort="relevance")) == [aid]
    places = lib.attachments.places([aid], "stereotactic radiosurgery")[aid]
    assert places.places == ["fulltext p. 2"] and places.pages == [2]
    assert lib.attachments.places([aid], "decompressive")[aid].places[:1] == ["title"]
    # The metadata index is untouched by full text.
    conn = sqlite3.connect(lib.path)
    assert conn.execute("SELECT count(*) FROM article_fts WHERE article_fts MATCH "
                        "'stereotactic'").fetchone()[0] == 0


def test_same_file_twice_is_not_attached_twice(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    pdf = make_pdf(tmp_path / "p.pdf", paper_pages(DOI, "T"))
    lib.attachments.attach(aid, pdf)
    again = lib.attachments.attach(aid, pdf)
    assert again.already and len(lib.attachments.of(aid)) == 1


def test_link_is_stored_relative_to_the_base_folder(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    base = tmp_path / "papers"
    base.mkdir()
    pdf = make_pdf(base / "sub" / "x.pdf" if (base / "sub").mkdir() is None else base,
                   paper_pages(DOI, "T"))
    lib.attachments.base_folder = base
    att = lib.attachments.attach(aid, pdf, link=True).attachment
    assert att.linked and att.stored_path == "sub/x.pdf" and att.path == pdf
    assert not (tmp_path / "lib.files").exists()
    # The folder moves: re-pointing the base folder finds the file again.
    moved = tmp_path / "moved"
    base.rename(moved)
    lib.attachments.base_folder = moved
    assert lib.attachments.of(aid)[0].path == moved / "sub" / "x.pdf"
    chosen, trashed = lib.attachments.detach(aid)
    assert trashed is None and (moved / "sub" / "x.pdf").is_file()


def test_detach_moves_a_copy_to_the_trash(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    att = lib.attachments.attach(aid, make_pdf(tmp_path / "p.pdf", ["one"])).attachment
    lib.attachments.attach(aid, make_pdf(tmp_path / "q.pdf", ["two"]))
    with pytest.raises(NoMatch, match="several files"):
        lib.attachments.detach(aid)
    _, moved = lib.attachments.detach(aid, att.name)
    assert moved is not None and moved.parent.name == ".trash" and moved.read_bytes()
    assert not att.path.exists() and len(lib.attachments.of(aid)) == 1
    assert lib.search.ids(Query(search="one")) == []


def test_deleting_an_article_moves_its_files_to_the_trash(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    att = lib.attachments.attach(aid, make_pdf(tmp_path / "p.pdf", ["kyphoplasty"])).attachment
    lib.articles.delete([aid])
    assert not att.path.exists()
    assert (tmp_path / "lib.files" / ".trash" / att.path.name).is_file()
    conn = sqlite3.connect(lib.path)
    assert conn.execute("SELECT count(*) FROM fulltext_part").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM fulltext_fts WHERE fulltext_fts MATCH "
                        "'kyphoplasty'").fetchone()[0] == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "HTML page"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
    (b"", "empty"),
    ("truncated", "damaged or cut short"),
    ("encrypted", "encrypted"),
])
def test_bad_pdfs_are_refused_by_name_and_nothing_is_stored(lib: Library, tmp_path: Path,
                                                            content: object,
                                                            message: str) -> None:
    aid = added(lib)
    path = tmp_path / "paper.pdf"
    if content == "truncated":
        data = pdf_bytes(paper_pages(DOI, "T", n=4))
        path.write_bytes(data[: len(data) // 2])
    elif content == "encrypted":
        encrypted_pdf(path)
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    with pytest.raises(FormatError, match=message) as err:
        lib.attachments.attach(aid, path)
    assert "paper.pdf" in str(err.value)
    assert lib.attachments.of(aid) == [] and not (tmp_path / "lib.files").exists()


def test_a_scan_without_text_is_attached_and_says_so(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    out = lib.attachments.attach(aid, make_pdf(tmp_path / "scan.pdf", [None, None]))
    assert out.attachment.text_status == "no text layer" and "no text layer" in out.notes
    assert lib.attachments.fulltext_kind(aid) is None


def test_huge_pdf_text_is_capped_and_reported(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)
    path = make_pdf(tmp_path / "huge.pdf", [f"page {i} sacrectomy" for i in range(10_000)])
    out = lib.attachments.attach(aid, path)
    assert out.attachment.pages == 10_000
    assert len(lib.attachments.text(aid)) == 100
    assert any("first 100 of 10000 pages" in n for n in out.notes)


def test_disk_full_while_copying_leaves_no_partial_file(lib: Library, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    aid = added(lib)
    pdf = make_pdf(tmp_path / "p.pdf", ["text"])

    def full(src: object, dst: object, length: int = 0) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filestore.shutil, "copyfileobj", full)
    with pytest.raises(LibraryError, match="No space left on device"):
        lib.attachments.attach(aid, pdf)
    assert list((tmp_path / "lib.files").iterdir()) == []
    assert lib.attachments.of(aid) == [] and lib.attachments.text(aid) == []


def test_the_doi_on_the_first_page_beats_cited_dois(tmp_path: Path) -> None:
    cited = ["10.1200/jco.2005.01.001", "10.1056/nejmoa1"]
    pdf = read_pdf(make_pdf(tmp_path / "p.pdf", paper_pages(DOI, "T", cited, n=3)))
    found = find_identifiers(pdf)
    assert (found.kind, found.value, found.where) == ("doi", DOI, "page 1")
    assert set(found.others) == set(cited)
    meta = read_pdf(make_pdf(tmp_path / "m.pdf", ["References doi:10.1/cited"],
                             {"Subject": "Spine 2020. doi:10.1097/brs.0000000000003"}))
    assert find_identifiers(meta).value == "10.1097/brs.0000000000003"


def test_import_pdf_batch_identifies_keeps_and_refuses(lib: Library, tmp_path: Path) -> None:
    aid = added(lib)  # the paper with DOI is already in the library: no network needed
    known = make_pdf(tmp_path / "known.pdf", paper_pages(DOI, "Direct", ["10.1200/jco.x1"], n=2))
    unknown = make_pdf(tmp_path / "mystery.pdf", ["Chordoma of the sacrum: a case",
                                                  "en bloc resection"])
    html = tmp_path / "fake.pdf"
    html.write_text("<html><body>Access denied</body></html>")
    report = run_import(lib, [str(html), str(known), str(unknown)], client=None)
    by_name = {i.given: i for i in report.items}
    assert by_name["fake.pdf"].status == "failed" and "HTML" in by_name["fake.pdf"].message
    assert by_name["known.pdf"].article_id == aid
    assert f"DOI {DOI} found in page 1" in by_name["known.pdf"].message
    assert "1 other DOI" in by_name["known.pdf"].message
    kept = by_name["mystery.pdf"]
    assert kept.ok and "kept as unidentified" in kept.message
    assert lib.attachments.unidentified() == [kept.article_id]
    assert lib.articles.record(kept.article_id).title == "Chordoma of the sacrum: a case"
    assert lib.attachments.needs_identification(kept.article_id)
    assert len(lib.attachments.of(aid)) == 1
    # Identified by the user: an edit that gives it a DOI takes it off the list (the mark
    # was never cleared before); editing another field does not.
    lib.edits.edit(kept.article_id, {"title": "Chordoma of the sacrum"})
    assert lib.attachments.unidentified() == [kept.article_id]
    lib.edits.edit(kept.article_id, {"doi": "10.1016/j.spinee.2020.01.001"})
    assert lib.attachments.unidentified() == []
    assert not lib.attachments.needs_identification(kept.article_id)
    lib.history.undo()  # the edit undone: no DOI, and unidentified again
    assert lib.attachments.unidentified() == [kept.article_id]


def test_a_kept_pdf_typed_in_by_hand_is_no_longer_unidentified(lib: Library,
                                                                tmp_path: Path) -> None:
    """A guideline's or a congress handout's PDF has no DOI or PMID anywhere: once the user
    has typed its authors and year (what its first page did not give), it was listed as
    unidentified, and its banner asked to identify it, for ever."""
    pdf = make_pdf(tmp_path / "guideline.pdf", ["NASS guideline: metastatic spine disease",
                                                "recommendations"])
    [kept] = run_import(lib, [str(pdf)], client=None).items
    assert lib.attachments.unidentified() == [kept.article_id]
    lib.edits.edit(kept.article_id, {"title": "NASS guideline on metastatic spine disease"},
                   "North American Spine Society")
    assert lib.attachments.unidentified() == [kept.article_id]  # no year yet
    first_key = lib.articles.citekey(kept.article_id)
    assert first_key.startswith("anonnd")  # no author, no year: what its first page gave
    changed = lib.edits.edit(kept.article_id, {"year": "2025", "type": "report"})
    assert lib.attachments.unidentified() == []
    assert not lib.attachments.needs_identification(kept.article_id)
    # Its key now of its authors and year, as an identification by search gives it; the
    # first page's key still finds it.
    assert changed == ["year", "type", "citekey"]
    assert lib.articles.citekey(kept.article_id) == "north2025nass"
    assert lib.articles.resolve_key(first_key) == kept.article_id
    lib.history.undo()  # the year undone: unidentified again, its first key back
    assert lib.attachments.unidentified() == [kept.article_id]
    assert lib.articles.citekey(kept.article_id) == first_key
    # A key the user gives in the same edit is the one it takes.
    lib.edits.edit(kept.article_id, {"year": "2025"}, citekey="NASS2025")
    assert lib.articles.citekey(kept.article_id) == "NASS2025"


def test_an_imported_pdf_is_hashed_once(lib: Library, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The 'same file already here?' check and the attach share one read of the bytes."""
    hashed: list[str] = []
    real = filestore.sha256_of

    def counting(path: Path) -> tuple[str, int]:
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(filestore, "sha256_of", counting)
    pdf = make_pdf(tmp_path / "mystery.pdf", ["Chordoma of the sacrum: a case"])
    assert run_import(lib, [str(pdf)], client=None).counts() == {"imported": 1}
    assert hashed == ["mystery.pdf"]
    assert run_import(lib, [str(pdf)], client=None).counts() == {"unchanged": 1}
    assert hashed == ["mystery.pdf"] * 2


def test_check_reports_missing_changed_and_orphan_files(lib: Library, tmp_path: Path) -> None:
    a1, a2 = added(lib), added(lib, doi="10.1/two", pmid="", title="Another trial of SBRT")
    f1 = lib.attachments.attach(a1, make_pdf(tmp_path / "a.pdf", ["a"])).attachment
    f2 = lib.attachments.attach(a2, make_pdf(tmp_path / "b.pdf", ["b"])).attachment
    assert lib.attachments.check() == []
    f1.path.unlink()
    f2.path.write_bytes(pdf_bytes(["changed"]))
    (tmp_path / "lib.files" / "stray.pdf").write_bytes(b"%PDF-1.4")
    kinds = {(p.kind, p.path.name) for p in lib.attachments.check()}
    assert kinds == {("missing", f1.path.name), ("changed", f2.path.name),
                     ("orphan", "stray.pdf")}


def test_jats_full_text_becomes_sections_captions_and_references() -> None:
    xml = b"""<?xml version="1.0"?><!DOCTYPE article PUBLIC "-//NLM//DTD JATS" "x.dtd">
    <article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta><title-group>
    <article-title>T</article-title></title-group></article-meta></front><body>
    <sec><title>Introduction</title><p>Spinal metastases are <italic>common</italic>.</p>
    <sec><title>Aims</title><p>We study SBRT.</p></sec></sec>
    <sec><title>Results</title><p>Local control was 90%.</p>
    <fig id="f1"><label>Figure 1</label><caption><p>Kaplan-Meier curve.</p></caption></fig>
    </sec></body><back><ref-list><ref id="r1"><label>1</label><mixed-citation>Patchell RA.
    Lancet. 2005.</mixed-citation></ref></ref-list></back></article>"""
    parts = parse_jats_fulltext(xml)
    assert [(p.kind, p.heading) for p in parts] == [
        ("section", "Introduction"), ("section", "Introduction › Aims"),
        ("section", "Results"), ("caption", "Figure 1"), ("reference", "1")]
    assert parts[0].body == "Spinal metastases are common."
    with pytest.raises(FormatError):
        parse_jats_fulltext(b"<!DOCTYPE x [<!ENTITY a 'b'>]><article>&a;</article>")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_attach_show_list_text_detach_check_backup(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "lib.sqlite")
    with Library.open(db) as lib:
        key = lib.articles.citekey(added(lib))
    pdf = make_pdf(tmp_path / "paper.pdf", paper_pages(DOI, "Direct", n=3))
    code, out, _ = run(capsys, "--library", db, "attach", key, str(pdf))
    assert code == 0 and f"{key}.pdf" in out and "3 pages" in out
    code, out, _ = run(capsys, "--library", db, "show", key, "--json")
    data = json.loads(out)
    [att] = data["attachments"]
    assert att["path"] == str(tmp_path / "lib.files" / f"{key}.pdf")
    assert (att["kind"], att["source"], att["pages"], att["version"]) == ("pdf", "user", 3, None)
    assert len(att["sha256"]) == 64 and att["size"] == pdf.stat().st_size
    assert data["fulltext"] == "pdf" and data["needs_identification"] is False
    code, out, _ = run(capsys, "--library", db, "list", "--search", "separation", "--json")
    assert json.loads(out)[0]["match"] == ["fulltext p. 2"]
    code, out, _ = run(capsys, "--library", db, "pdf", "text", key)
    assert code == 0 and "--- page 2 ---" in out and "separation surgery" in out
    code, out, _ = run(capsys, "--library", db, "backup", str(tmp_path / "b.zip"), "--with-files")
    assert code == 0
    names = zipfile.ZipFile(tmp_path / "b.zip").namelist()
    assert names == ["lib.sqlite", f"lib.files/{key}.pdf"]
    code, out, _ = run(capsys, "--library", db, "backup", str(tmp_path / "plain.sqlite"))
    assert "not included" in out
    (tmp_path / "lib.files" / f"{key}.pdf").write_bytes(b"%PDF-1.4 changed")
    code, _, err = run(capsys, "--library", db, "check")
    assert code == 1 and "changed file" in err
    code, out, _ = run(capsys, "--library", db, "detach", key)
    assert code == 0 and ".trash" in out
    code, _, err = run(capsys, "--library", db, "pdf", "text", key)
    assert code == 1 and "no full text stored" in err


def test_cli_import_of_a_bad_pdf_names_it_and_goes_on(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "lib.sqlite")
    (tmp_path / "empty.pdf").write_bytes(b"")
    make_pdf(tmp_path / "ok.pdf", ["Sacral chordoma outcomes"])
    code, out, err = run(capsys, "--library", db, "import", str(tmp_path / "empty.pdf"),
                         str(tmp_path / "ok.pdf"))
    assert code == 1 and "empty.pdf: failed (the file is empty)" in err
    assert "ok.pdf: imported as" in out and "kept as unidentified" in out
    code, out, _ = run(capsys, "--library", db, "list", "--search", "chordoma", "--json")
    assert json.loads(out)[0]["match"] == ["title", "fulltext p. 1"]


def test_pdf_open_hands_the_file_to_the_viewer(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.cli import pdf_cmds

    opened: list[Path] = []
    monkeypatch.setattr(pdf_cmds, "open_in_viewer", opened.append)
    monkeypatch.setenv("SPINELIB_HOME", str(tmp_path / "home"))
    db = str(tmp_path / "lib.sqlite")
    with Library.open(db) as lib:
        aid = added(lib)
        key = lib.articles.citekey(aid)
        lib.attachments.attach(aid, make_pdf(tmp_path / "p.pdf", ["x"]))
    assert run(capsys, "--library", db, "pdf", "open", key)[0] == 0
    assert opened == [tmp_path / "lib.files" / f"{key}.pdf"]


def test_one_linked_file_may_belong_to_two_articles(lib: Library, tmp_path: Path) -> None:
    a1, a2 = added(lib), added(lib, doi="10.1/erratum", pmid="", title="Erratum to the trial")
    pdf = make_pdf(tmp_path / "shared.pdf", ["Trial and its erratum"])
    lib.attachments.base_folder = tmp_path
    lib.attachments.attach(a1, pdf, link=True)
    lib.attachments.attach(a2, pdf, link=True)
    assert [a.path for a in lib.attachments.of(a1) + lib.attachments.of(a2)] == [pdf, pdf]


def test_short_words_match_whole_words_in_full_text(lib: Library, tmp_path: Path) -> None:
    """"en" in a full-text search is the word "en", not every word starting so."""
    a1, a2 = added(lib), added(lib, doi="10.1/two", pmid="", title="Another trial of SBRT")
    lib.attachments.attach(a1, make_pdf(tmp_path / "a.pdf", ["en bloc spondylectomy"]))
    lib.attachments.attach(a2, make_pdf(tmp_path / "b.pdf", ["entire endplate enhanced"]))
    assert lib.search.ids(Query(search="en bloc")) == [a1]
    assert set(lib.search.ids(Query(search="ent"))) == {a2}
