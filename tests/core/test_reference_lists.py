"""An article's reference list set from text pasted from the paper, or read from its stored
full text, when PubMed and Crossref hold none for it (``spinelib refs KEY --read FILE``,
``--from-fulltext``; the References tab's *Paste reference list…*)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.referencelist import read_reference_list, references_in_fulltext
from spinelib.results_files import FulltextPart
from tests.core.helpers import make_record
from tests.pdfmaker import make_pdf

#: A reference list as copied from a PDF: wrapped lines, a running head and a page number
#: among them, identifiers written three ways.
PASTED = """References
1. Patchell RA, Tibbs PA, Regine WF, et al. Direct decompressive surgical resection in the
treatment of spinal cord compression caused by metastatic cancer: a randomised trial. Lancet.
2005;366(9486):643-648. doi:10.1016/S0140-6736(05)66954-1
2. Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord
compression scale. J Neurosurg Spine. 2010;13(3):324-328. PMID: 20809724
Spine Volume 30, Number 4, 2005
3. Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability
in neoplastic disease: an evidence-based approach and expert consensus from the Spine Oncology
Study Group. Spine (Phila Pa 1976). 2010;35(22):E1221-E1229.
412
4. Laufer I, Rubin DG, Lis E, et al. The NOMS framework: approach to the treatment of spinal
metastatic tumors. Oncologist. 2013;18(6):744-751. https://doi.org/10.1634/theoncologist.2012-0293
"""


def test_a_pasted_list_is_one_entry_per_reference_with_its_identifiers() -> None:
    read = read_reference_list(PASTED)
    assert [e.position for e in read.entries] == [1, 2, 3, 4]
    first = read.entries[0]
    assert first.citation.startswith("Patchell RA, Tibbs PA") and "treatment of spinal" in (
        first.citation) and first.citation.endswith("doi:10.1016/S0140-6736(05)66954-1")
    assert first.doi == "10.1016/s0140-6736(05)66954-1"
    assert (read.entries[1].pmid, read.entries[1].doi) == ("20809724", "")
    assert not read.entries[2].has_identifier
    assert read.entries[2].citation.endswith("2010;35(22):E1221-E1229.")  # no page number
    assert read.entries[3].doi == "10.1634/theoncologist.2012-0293"
    assert read.identified == 3
    # Nothing read is dropped unsaid: the heading, the running head, the page number.
    assert read.skipped == ["References", "Spine Volume 30, Number 4, 2005", "412"]
    # Text that holds no reference.
    assert read_reference_list("Thanks for the slides!\n\n").entries == []


def test_the_list_in_a_stored_full_text() -> None:
    pdf_pages = [FulltextPart(1, "page", "", "Separation surgery\nReferences are cited in "
                                            "brackets."),
                 FulltextPart(2, "page", "", "Results\n4. REFERENCES:\n1. Patchell RA, Tibbs "
                                            "PA. Direct decompressive surgery. Lancet. 2005;366:"
                                            "643-8.")]
    assert references_in_fulltext(pdf_pages).startswith("1. Patchell RA")
    jats = [FulltextPart(None, "section", "Methods", "We treated 40 patients."),
            FulltextPart(None, "reference", "", "Patchell RA. Direct decompressive\n surgery. "
                                                 "Lancet. 2005;366:643-8."),
            FulltextPart(None, "reference", "", "Bilsky MH. Epidural compression. 2010.")]
    assert references_in_fulltext(jats).splitlines() == [
        "1. Patchell RA. Direct decompressive surgery. Lancet. 2005;366:643-8.",
        "2. Bilsky MH. Epidural compression. 2010."]
    assert references_in_fulltext(pdf_pages[:1]) == ""  # "References are cited…": no heading
    assert references_in_fulltext([]) == ""


def test_a_list_replaces_the_stored_one_in_one_undo_step(lib: Library) -> None:
    held = lib.articles.add_record(make_record())  # Patchell 2005, PMID 16112300
    guideline = lib.by_hand.add({"title": "NASS guideline on metastatic spine disease",
                                 "year": "2025"}, "North American Spine Society")
    aid = guideline.article_id
    read = lib.reference_lists.replace(aid, PASTED)
    assert len(read.entries) == 4
    refs = lib.articles.references(aid)
    assert [(r.position, r.doi, r.pmid) for r in refs] == [
        (1, "10.1016/s0140-6736(05)66954-1", ""), (2, "", "20809724"), (3, "", ""),
        (4, "10.1634/theoncologist.2012-0293", "")]
    # The first is the library's Patchell, by its DOI: marked, as any list's are.
    assert [r.in_library for r in refs] == [True, False, False, False]
    assert refs[0].article_id == held.article_id
    assert lib.history.operations()[0].name == f"reference list of {guideline.citekey}"
    lib.history.undo()
    assert lib.articles.references(aid) == []
    lib.history.redo()
    assert len(lib.articles.references(aid)) == 4
    # Text without a reference changes nothing.
    with pytest.raises(SpineLibError, match="no reference found"):
        lib.reference_lists.replace(aid, "References\n\n12\n")
    assert len(lib.articles.references(aid)) == 4
    assert lib.history.operations()[0].name == f"reference list of {guideline.citekey}"


def test_an_attached_pdfs_reference_section_becomes_the_list(lib: Library,
                                                             tmp_path: Path) -> None:
    rec = lib.articles.add_record(make_record(references=[], pmid="", doi=""))
    pdf = make_pdf(tmp_path / "paper.pdf", [
        "Direct decompressive surgical resection\nMethods: 101 patients were randomised.",
        "Discussion: surgery first.\nReferences\n" + PASTED.split("\n", 1)[1]])
    lib.attachments.attach(rec.article_id, pdf)
    text = lib.reference_lists.from_fulltext(rec.article_id)
    assert text.startswith("1. Patchell RA")
    read = lib.reference_lists.replace(rec.article_id, text)
    assert [e.position for e in read.entries] == [1, 2, 3, 4]
    assert read.entries[1].pmid == "20809724"


def _word_file(path: Path) -> Path:
    """A Word document holding the reference list, a paragraph each (Word numbers them)."""
    import docx

    document = docx.Document()
    for line in read_reference_list(PASTED).entries:
        document.add_paragraph(line.citation)
    document.save(str(path))
    return path


def _odt_file(path: Path) -> Path:
    """An OpenDocument text (a ZIP file, no reader for it here)."""
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return path


def _run(capsys: pytest.CaptureFixture[str], libpath: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--library", str(libpath), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_refs_read_and_from_fulltext_on_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    libpath = tmp_path / "lib.sqlite"
    _run(capsys, libpath, "add", "--set", "title=NASS guideline", "--set", "year=2025",
         "--authors", "North American Spine Society", "--key", "nass2025")
    code, out, _ = _run(capsys, libpath, "refs", "nass2025")  # none yet: the way on named
    assert code == 0 and "spinelib refs nass2025 --read FILE" in out
    assert "spinelib refs nass2025 --from-fulltext" in out
    (tmp_path / "refs.txt").write_text(PASTED, encoding="utf-8")
    code, out, _ = _run(capsys, libpath, "refs", "nass2025", "--read",
                        str(tmp_path / "refs.txt"))
    assert code == 0
    assert out.splitlines()[0] == "nass2025: 4 references stored, 3 with a DOI, PMID or PMCID"
    assert "skipped 3 lines that read as no reference: 'References'" in out
    assert "spinelib refs nass2025 --find-dois" in out
    listed = json.loads(_run(capsys, libpath, "refs", "nass2025", "--json")[1])
    assert [r["pmid"] for r in listed] == ["", "20809724", "", ""]
    # From standard input, replacing the list (the old one named, and undoable).
    monkeypatch.setattr("sys.stdin", io.StringIO(PASTED.split("Spine Volume")[0]))
    code, out, _ = _run(capsys, libpath, "refs", "nass2025", "--read", "-")
    assert code == 0 and out.startswith("nass2025: 2 references stored, 2 with a DOI, PMID "
                                        "or PMCID (its 4 references before replaced")
    for args, said in [
            (["--read", str(tmp_path / "none.txt")], "cannot read"),
            (["--from-fulltext"], "no reference list found in nass2025's stored full text"),
            (["--read", str(make_pdf(tmp_path / "p.pdf", ["A paper"]))],
             "spinelib refs nass2025 --from-fulltext"),
            (["--read", str(_odt_file(tmp_path / "refs.odt"))], "as plain text or a Word file")]:
        code, _, err = _run(capsys, libpath, "refs", "nass2025", *args)
        assert code == 1 and said in err, (args, err)
    (tmp_path / "empty.txt").write_text("nothing here\n", encoding="utf-8")
    code, _, err = _run(capsys, libpath, "refs", "nass2025", "--read",
                        str(tmp_path / "empty.txt"))
    assert code == 1 and "no reference found" in err
    code, _, err = _run(capsys, libpath, "refs", "nass2025", "nass2025", "--read",
                        str(tmp_path / "refs.txt"))
    assert code == 1 and "give one KEY" in err
    assert len(json.loads(_run(capsys, libpath, "refs", "nass2025", "--json")[1])) == 2
    # A Word file's paragraphs, one reference each.
    code, out, _ = _run(capsys, libpath, "refs", "nass2025", "--read",
                        str(_word_file(tmp_path / "refs.docx")))
    assert code == 0 and out.startswith("nass2025: 4 references stored, 3 with a DOI")


def test_an_open_access_texts_element_citations_read_as_citations() -> None:
    """PMC's element-citation puts names, title and numbers in elements with nothing
    between them: the stored text read "PatchellRATibbsPA…Lancet2005" (not found by a
    search for Patchell) and its PMID was a bare number."""
    from spinelib.formats.jats_fulltext import parse_jats_fulltext

    xml = (b'<article><body><p>Text.</p></body><back><ref-list><ref id="r1"><label>1</label>'
           b'<element-citation publication-type="journal"><person-group><name><surname>'
           b'Patchell</surname><given-names>RA</given-names></name><name><surname>Tibbs'
           b'</surname><given-names>PA</given-names></name></person-group><article-title>'
           b'Direct decompressive surgical resection</article-title><source>Lancet</source>'
           b'<year>2005</year><volume>366</volume><fpage>643</fpage><lpage>648</lpage>'
           b'<pub-id pub-id-type="pmid">16112300</pub-id></element-citation></ref>'
           b'<ref id="r2"><label>2</label><mixed-citation><name><surname>Bilsky</surname> '
           b'<given-names>MH</given-names></name>. <source>J Neurosurg Spine</source>. '
           b'<year>2010</year>;<volume>13</volume>(<issue>3</issue>):<fpage>324</fpage>'
           b'&#x2013;<lpage>8</lpage>.</mixed-citation></ref></ref-list></back></article>')
    refs = [p for p in parse_jats_fulltext(xml) if p.kind == "reference"]
    assert [p.body for p in refs] == [
        "Patchell RA Tibbs PA Direct decompressive surgical resection Lancet 2005 366 643 648 "
        "PMID: 16112300",
        "Bilsky MH. J Neurosurg Spine. 2010;13(3):324–8."]  # written punctuation kept
    # The first reads as a citation with its PMID (the second, of five words, says too
    # little to be one: a heading's length).
    read = read_reference_list(references_in_fulltext(refs))
    assert [(e.position, e.pmid) for e in read.entries] == [(1, "16112300")]
