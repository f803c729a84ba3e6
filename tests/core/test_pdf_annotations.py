"""The highlights and comments a reader saves on a PDF in a viewer: read from the file,
listed by `spinelib pdf annotations`, copied into the notes, and a PDF saved again by the
viewer not reported as a damaged file by `spinelib check`.

The PDFs carry annotations in the shapes viewers write: Acrobat's dictionaries (quad points,
a UTF-16 comment, an author, a date, a colour, a pop-up, a reply) written by hand, and a
highlight made through PDFium's own API and saved incrementally (as Chrome's viewer does).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.cli import main
from spinelib.errors import FormatError
from spinelib.formats.pdf_annotations import PdfAnnotation, Reply, pdf_day, read_annotations
from spinelib.library import Library, Query
from spinelib.library.annotations import annotation_line
from tests.core.helpers import make_record
from tests.pdfmaker import (
    encrypted_pdf,
    highlight_with_pdfium,
    make_pdf,
    markup,
    note,
    pdf_bytes,
    phrase_boxes,
)

PAGES = [
    "Separation surgery and stereotactic radiosurgery\n"
    "for metastatic epidural spinal cord compression.\n"
    "Outcomes of percutaneous verte-\nbroplasty were good; the non-\n"
    "small cell lung cancer primaries did worse.",
    "Second page: vertebroplasty versus kyphoplasty\nin osteoporotic fractures; non-small "
    "cell.",
]


#: The citation key of article 1 (its attached file is named after it).
KEY = "patchell2005separation"


def _boxes(page: int, phrase: str) -> list[tuple[float, float, float, float]]:
    return phrase_boxes(pdf_bytes(PAGES), page, phrase)


def annotated(path: Path) -> Path:
    """PAGES with what a reader leaves: page 1 a lower highlight written first, a sticky
    note with a reply, a link and a pop-up; page 2 an underline."""
    lower = markup(_boxes(0, "percutaneous verte-\nbroplasty"), contents="Cement leak 7%")
    upper = markup(_boxes(0, "stereotactic radiosurgery\nfor metastatic"),
                   contents="Key point \u2265 50%\rsecond line", author="Dr M\u00fcller",
                   extra="/Popup {5}")
    return make_pdf(path, PAGES, annots={
        0: [lower, upper,
            note(300, 600, "Use for the grant", author="RH"),
            note(310, 590, "Agreed", author="JS", extra="/IRT {2}"),
            "<< /Type /Annot /Subtype /Link /Rect [72 700 200 712] /Contents (a link) >>",
            "<< /Type /Annot /Subtype /Popup /Rect [400 600 500 700] /Parent {1} >>"],
        1: [markup(_boxes(1, "kyphoplasty"), "Underline")]})


def test_highlights_notes_and_replies_are_read_in_reading_order(tmp_path: Path) -> None:
    found = read_annotations(annotated(tmp_path / "a.pdf"))
    assert found == [
        PdfAnnotation(1, "highlight", "stereotactic radiosurgery for metastatic",
                      "Key point \u2265 50%\nsecond line", "Dr M\u00fcller", "2026-11-30",
                      "#ffea3a"),
        # The word broken at the line's end is read whole, as the page's text is.
        PdfAnnotation(1, "highlight", "percutaneous vertebroplasty", "Cement leak 7%",
                      day="2026-11-30", colour="#ffea3a"),
        # The note stands below both on the page, whatever order the file lists them in.
        PdfAnnotation(1, "note", comment="Use for the grant", author="RH",
                      replies=(Reply("JS", "Agreed"),)),
        PdfAnnotation(2, "underline", "kyphoplasty", day="2026-11-30", colour="#ffea3a"),
    ]


def test_a_two_column_page_is_read_column_by_column(tmp_path: Path) -> None:
    # The right column's first line stands higher on the page than the left's last: the
    # left column is still read first, and a note beside a line takes its place.
    pages = ["Left column opens\nthe methods\nand closes on cement leakage\f"
             "Right column opens on radiosurgery\nand goes on"]
    plain = pdf_bytes(pages)
    path = make_pdf(tmp_path / "two.pdf", pages, annots={0: [
        markup(phrase_boxes(plain, 0, "radiosurgery"), contents="right, top"),
        note(150, 712, "beside the methods"),
        markup(phrase_boxes(plain, 0, "cement leakage"), contents="left, bottom"),
        note(560, 40, "in the margin, far below")]})
    assert [a.comment for a in read_annotations(path)] == [
        "beside the methods", "left, bottom", "right, top", "in the margin, far below"]


def test_a_mark_over_a_compound_broken_at_its_hyphen_keeps_it(tmp_path: Path) -> None:
    # "non-" ends a line; page 1 itself writes "non-small" nowhere, but the mark's page
    # is judged with its own text, so give the page the compound written whole.
    pages = ["The non-\nsmall cell primaries; non-small cell again."]
    boxes = phrase_boxes(pdf_bytes(pages), 0, "non-\nsmall cell")
    path = make_pdf(tmp_path / "c.pdf", pages, annots={0: [markup(boxes)]})
    assert [a.quote for a in read_annotations(path)] == ["non-small cell"]


def test_marks_without_quad_points_or_words(tmp_path: Path) -> None:
    rect = _boxes(1, "kyphoplasty")[0]
    no_quads = (f"<< /Type /Annot /Subtype /Highlight /Rect [{' '.join(map(str, rect))}] "
                "/C [0 1 0] >>")
    path = make_pdf(tmp_path / "d.pdf", PAGES, annots={1: [
        no_quads,
        "<< /Type /Annot /Subtype /Ink /Rect [100 100 200 200] /InkList [[100 100 200 200]] >>",
        "<< /Type /Annot /Subtype /Ink /Rect [100 300 200 400] /InkList [[100 300 200 400]] "
        "/Contents (see figure 2) >>",
        "<< /Type /Annot /Subtype /FreeText /Rect [300 300 500 330] /DA (/Helv 10 Tf) "
        "/Contents (T12 level) >>"]})
    found = read_annotations(path)
    # The highlight's rectangle stands for its quads; a bare drawing is passed over.
    assert [(a.kind, a.quote, a.comment, a.colour) for a in found] == [
        ("highlight", "kyphoplasty", "", "#00ff00"),
        ("drawing", "", "see figure 2", ""),
        ("text box", "", "T12 level", ""),
    ]


def test_a_pdf_without_annotations_and_unreadable_files(tmp_path: Path) -> None:
    assert read_annotations(make_pdf(tmp_path / "plain.pdf", PAGES)) == []
    with pytest.raises(FormatError, match="encrypted"):
        read_annotations(encrypted_pdf(tmp_path / "locked.pdf"))
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf_bytes(PAGES)[:200])
    with pytest.raises(FormatError, match="cut.pdf: the PDF is damaged"):
        read_annotations(cut)


@pytest.mark.parametrize(("stamp", "day"), [
    ("D:20261130201500+01'00'", "2026-11-30"), ("20240102", "2024-01-02"),
    ("D:2024", ""), ("D:20241340", ""), ("yesterday", ""), ("", "")])
def test_pdf_dates(stamp: str, day: str) -> None:
    assert pdf_day(stamp) == day


def test_one_line_each() -> None:
    assert annotation_line(PdfAnnotation(
        3, "highlight", "cement leak", "see table\n2", "RH", replies=(Reply("", "ok"),))) == (
        "p. 3, highlight: “cement leak” — see table / 2 (RH) · reply: ok")
    assert annotation_line(PdfAnnotation(1, "underline", "T12")) == "p. 1, underline: “T12”"


@pytest.fixture()
def lib_path(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library.open(path) as lib:
        lib.articles.add_records([make_record(pmid="1", doi="", title="Separation surgery"),
                                  make_record(pmid="2", doi="", title="No PDF here")])
    return path


def _cli(path: Path, *args: str) -> int:
    return main(["--library", str(path), *args])


def test_listed_then_copied_into_the_notes_once(lib_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(lib_path) as lib:
        lib.articles.set_notes(1, "My own note.")
        lib.attachments.attach(1, annotated(tmp_path / "paper.pdf"))
    assert _cli(lib_path, "pdf", "annotations", "1") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{KEY}.pdf: 2 highlights, 1 note, 1 underline"
    assert out[1] == ("  p. 1, highlight: “stereotactic radiosurgery for metastatic” — "
                      "Key point \u2265 50% / second line (Dr M\u00fcller)")
    assert out[3] == "  p. 1, note: Use for the grant (RH) · reply (JS): Agreed"
    assert _cli(lib_path, "pdf", "highlights", "1", "--to-notes") == 0
    assert "copied 4 annotations into" in capsys.readouterr().err
    with Library.open(lib_path) as lib:
        notes = lib.articles.record(1).notes
        assert notes.startswith(f"My own note.\n\nHighlights and comments in {KEY}.pdf:\n"
                                "p. 1, highlight:")
        assert notes.count("\n") == 6
        # Searchable and found, as notes are: the comment is in no page's text.
        assert lib.search.ids(Query(search="grant")) == [1]
    # Again: nothing doubled.
    assert _cli(lib_path, "pdf", "annotations", "1", "--to-notes") == 0
    assert "nothing new for" in capsys.readouterr().err
    # The viewer saves one more highlight: only it is added, the rest stay as they were.
    with Library.open(lib_path) as lib:
        stored = lib.attachments.of(1)[0].path
    highlight_with_pdfium(stored, 1, "osteoporotic fractures", "not our population")
    assert _cli(lib_path, "pdf", "annotations", "1", "--to-notes") == 0
    err = capsys.readouterr().err
    assert "copied 1 annotation into" in err and "(4 annotations were there already)" in err
    with Library.open(lib_path) as lib:
        notes = lib.articles.record(1).notes
        assert notes.endswith("p. 2, highlight: “osteoporotic fractures” — "
                              "not our population")
        assert notes.count(f"Highlights and comments in {KEY}.pdf:") == 2
    # Each copy is one undo step.
    assert _cli(lib_path, "undo") == 0
    with Library.open(lib_path) as lib:
        assert "osteoporotic" not in lib.articles.record(1).notes


def test_articles_without_a_readable_pdf(lib_path: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(lib_path, "pdf", "annotations", "2") == 1
    assert "has no attached PDF (attach one: spinelib attach" in capsys.readouterr().err
    with Library.open(lib_path) as lib:
        lib.attachments.attach(2, make_pdf(tmp_path / "plain.pdf", PAGES))
        gone = lib.attachments.attach(1, make_pdf(tmp_path / "gone.pdf", PAGES)).attachment
    assert _cli(lib_path, "pdf", "annotations", "2", "--to-notes") == 0
    captured = capsys.readouterr()
    assert captured.out == "patchell2005no.pdf: no highlights or comments\n"
    assert "read from the PDF as your viewer saved it" in captured.err
    assert "no highlights or comments to copy" in captured.err
    gone.path.unlink()
    assert _cli(lib_path, "pdf", "annotations", "1", "--to-notes") == 1
    assert f"the file is missing ({gone.path})" in capsys.readouterr().err
    with Library.open(lib_path) as lib:
        assert lib.articles.record(1).notes == ""


def test_check_takes_a_pdf_saved_by_a_viewer_for_what_it_is(
        lib_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Library.open(lib_path) as lib:
        first = lib.attachments.attach(1, make_pdf(tmp_path / "a.pdf", PAGES)).attachment
        second = lib.attachments.attach(2, make_pdf(tmp_path / "b.pdf", PAGES[::-1])
                                        ).attachment
    # Saved incrementally by a PDFium viewer; rewritten whole, with the same text, by one
    # that writes the file anew (Preview, pdf.js).
    highlight_with_pdfium(first.path, 0, "metastatic epidural", "read again")
    boxes = phrase_boxes(pdf_bytes(PAGES[::-1]), 0, "kyphoplasty")
    make_pdf(second.path, PAGES[::-1], annots={0: [markup(boxes)]})
    assert _cli(lib_path, "check") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("ok: ")
    assert captured.err.count("saved again by a PDF viewer") == 2
    assert (f"({KEY}); spinelib pdf annotations {KEY} lists them (remembered: the next "
            "check passes it by)") in captured.err
    # Said once: the check stored both files' new fingerprints, so the next one finds them
    # unchanged, without reading their text again.
    assert _cli(lib_path, "check") == 0
    assert "saved again" not in capsys.readouterr().err
    # Another paper under the same name is still a changed file (its text is compared with
    # the paper's as stored, not with the annotated copy's fingerprint).
    make_pdf(second.path, ["A different paper altogether"])
    assert _cli(lib_path, "check") == 1
    assert f"changed file: {second.path}" in capsys.readouterr().err


def test_the_annotated_copy_is_known_as_attached_after_a_check(
        lib_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The surgeon annotates the attached PDF, a copy of it travels (mailed to a resident,
    kept in Downloads) and is dropped on the article again: once a check has seen the
    viewer's save, it is the file already attached, not a second copy."""
    from spinelib.library import attachments as room

    with Library.open(lib_path) as lib:
        path = lib.attachments.attach(1, make_pdf(tmp_path / "a.pdf", PAGES)).attachment.path
    # Rewritten whole by the viewer (Preview, pdf.js): only its text tells it is the paper.
    make_pdf(path, PAGES, annots={0: [markup(phrase_boxes(pdf_bytes(PAGES), 0,
                                                          "metastatic epidural"))]})
    copy = tmp_path / "annotated-copy.pdf"
    copy.write_bytes(path.read_bytes())
    assert _cli(lib_path, "check") == 0
    assert capsys.readouterr().err.count("saved again by a PDF viewer") == 1
    reads: list[Path] = []
    real = room.read_pdf
    monkeypatch.setattr(room, "read_pdf", lambda p, **kw: reads.append(p) or real(p, **kw))
    with Library.open(lib_path) as lib:
        assert [p.kind for p in lib.attachments.check()] == []
        assert reads == []  # unchanged by its new fingerprint: its text not read again
        outcome = lib.attachments.attach(1, copy)
        assert outcome.notes == ("this file is already attached",)
        assert [a.path for a in lib.attachments.of(1)] == [path]
        assert lib.attachments.of(1)[0].size == path.stat().st_size


def test_a_file_is_read_again_only_when_the_viewer_saved_it(
        lib_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spinelib.library import annotations as room

    reads: list[Path] = []
    real = room.read_annotations
    monkeypatch.setattr(room, "read_annotations", lambda p: reads.append(p) or real(p))
    with Library.open(lib_path) as lib:
        path = lib.attachments.attach(1, annotated(tmp_path / "paper.pdf")).attachment.path
        assert len(lib.annotations.of(1)[0].annotations) == 4
        assert len(lib.annotations.of(1)[0].annotations) == 4  # a search typed: not read
        assert reads == [path]
        highlight_with_pdfium(path, 1, "osteoporotic fractures", "saved since")
        assert len(lib.annotations.of(1)[0].annotations) == 5
        assert reads == [path, path]


def test_the_highlights_of_many_articles_copied_at_once(
        lib_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After a flight's reading: every annotated PDF's highlights into the notes, one
    command, one undo step; articles without a PDF passed over."""
    with Library.open(lib_path) as lib:
        third = lib.articles.add_records([make_record(pmid="3", doi="",
                                                      title="Third paper")])[0].article_id
        lib.attachments.attach(1, annotated(tmp_path / "one.pdf"))
        path = lib.attachments.attach(third, make_pdf(tmp_path / "three.pdf", PAGES)
                                      ).attachment.path
        third_key = lib.articles.citekey(third)
    highlight_with_pdfium(path, 1, "osteoporotic fractures", "third's highlight")
    assert _cli(lib_path, "pdf", "annotations", "--all", "--to-notes") == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == f"{KEY}:" and lines[1] == f"  {KEY}.pdf: 2 highlights, 1 note, 1 underline"
    assert f"{third_key}:" in lines and "patchell2005no:" not in lines  # no PDF: not listed
    assert captured.err.splitlines()[-1] == "copied 5 annotations into 2 articles' notes"
    with Library.open(lib_path) as lib:
        assert "third's highlight" in lib.articles.record(third).notes
        assert "Use for the grant" in lib.articles.record(1).notes
    assert _cli(lib_path, "pdf", "annotations", "--all", "--to-notes") == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "nothing new for 2 articles' notes (5 annotations were there already)")
    assert _cli(lib_path, "undo") == 0  # the one copy, both articles
    with Library.open(lib_path) as lib:
        assert lib.articles.record(third).notes == lib.articles.record(1).notes == ""
    assert _cli(lib_path, "pdf", "annotations") == 1
    assert "name articles (KEY...) or use --all" in capsys.readouterr().err
    # A filter narrows --all as elsewhere: only the third paper.
    assert _cli(lib_path, "pdf", "annotations", "--search", "Third") == 0
    assert capsys.readouterr().out.startswith(f"{third_key}.pdf: 1 highlight\n")
