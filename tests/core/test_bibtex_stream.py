"""A large .bib file streamed a chunk of entries at a time (issue 19) reads exactly as the
whole file does: the same records, problems and warnings in the same order, whatever the
chunk size, on a file holding everything that could tell a cut: macros defined before and
after their use, ``#`` concatenation, comments and ``@comment`` blocks, ``@preamble``, broken
entries (a block start at a line start inside an unclosed value), repeated keys and fields,
entries without keys, parenthesised entries, non-ASCII text, LaTeX accents, backslash line
continuations. Imported, it stores the same library and the same report, keeps whole
articles when cancelled or broken mid-way, and still refuses what the whole read refuses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from spinelib import fileimport
from spinelib.formats import filerecords
from spinelib.formats.bibtex import read_bibtex, stream
from spinelib.formats.bibtex.stream import open_bib_stream
from spinelib.importer import run_import
from spinelib.library import Library

from .test_bulk_import import dump

#: Every construct whose meaning could change at a cut, in one file.
VARIED = r"""% A JabRef-style header, an implicit comment @book{notablock, (mid-line, still a block)
@preamble{ "\newcommand{\noop}[1]{}" }
@string{spine = {Spine (Phila Pa 1976)}}
@String{ JNS = "Journal of Neurosurgery: Spine" }

@article{early2001,
  author = {M{\"u}ller, J{\"o}rg and Ødegaard, Åse and {\'E}lodie Durand},
  title = {Stereotactic body radiotherapy for spinal metastases: {SBRT} at 24~Gy},
  journal = spine,
  year = 2001,
  month = mar,
  doi = {10.1097/01.brs.0000001001.1}
}

@comment{ JabRef meta: a comment holding an entry start mid-line @article{x, and braces {} }

@article{late2002,
  author = {Zhang, Wei},
  title = "Separation surgery " # later # " in a quoted concatenation",
  journal = Jns,
  year = {2002},
  pmid = {31000002}
}

@article{unbalanced2003,
  author = {Jones, Mary},
  title = {Unbalanced {braces in this title},
  year = {2003}
@article{afterbroken2004,
  title = {Starts on the line the broken entry is still open on},
  year = {2004},
  doi = {10.1097/01.brs.0000001004.4}
}

@article{early2001,
  title = {The same key again},
  journal = spine,
  year = {2005}
}

@article{EARLY2001,
  title = {The same key in other letter case},
  year = {2006}
}

@article{twofields2007,
  title = {A field twice},
  year = {2007},
  year = {2008}
}

@article{
  title = {EndNote wrote no key},
  year = {2009}
}

@article{,
  title = {Mendeley wrote an empty key},
  year = {2010}
}

@article(paren2011,
  title = {Parenthesised (with a parenthesis) entry},
  note = "a ) inside quotes",
  year = {2011}
)

  @inproceedings{indented2012,
  title = {Indented block start, and an at sign @ mid-value},
  booktitle = {Proc. {@}Spine 2012},
  year = {2012}
}

@article{continued2013,
  title = {A title with a backslash line \
continuation},
  abstract = {Line one.\par Line two with \textit{italics} and 5\% and \ensuremath{\alpha}},
  year = {2013}
}

@article{nothing2014,
  author = {Nobody, Anne},
  year = {2014}
}

@article{baddoi2015,
  title = {An entry with a bad DOI},
  doi = {not a doi},
  year = {2015}
}

@string{later = {defined after its first use}}
@string{spine = {a second definition of spine}}
@STRING{jns = {a case-variant redefinition}}

@article{missingcomma2016
  title = {No comma after the key},
  year = {2016}
}

@article{noequals2017,
  title {No equals sign},
  year = {2017}
}

@misc{web2018,
  title = {Ünïcödé — “quotes” and ß},
  howpublished = {\url{https://example.org/a_b}},
  year = {2018}
}

@article{late2002,
  title = {Repeated key at the end},
  year = 2019
}
Trailing text after the last entry
"""


def test_the_varied_file_reads_the_same_in_chunks_of_every_size() -> None:
    whole = read_bibtex(VARIED, "v.bib")
    # The file is as varied as it claims: the whole read reports these.
    assert (len(whole.records), len(whole.problems), len(whole.warnings)) == (14, 7, 7)
    assert "v.bib line 25: unbalanced braces in entry 'unbalanced2003' (skipped)" in (
        whole.problems)
    assert "v.bib line 92: duplicate key 'spine' (first at line 3); this entry was skipped" in (
        whole.problems)
    # After the backslash continuation bibtexparser counts one line less: so must the stream.
    assert any(p.startswith("v.bib line 80: entry 'nothing2014'") for p in whole.problems)
    late = whole.records[1]  # macros defined after their use, the last case variant winning
    assert late.title == "Separation surgery defined after its first use in a quoted concatenation"
    assert late.journal == "a case-variant redefinition"
    cuts = len(stream._Cutter(VARIED).cuts)
    for size in range(1, cuts + 2):
        st = open_bib_stream(VARIED, "v.bib", ["decoded as UTF-8"], chunk_cuts=size)
        assert st is not None and st.total == 18
        records = list(st.records())
        assert records == whole.records, size
        assert st.problems == whole.problems, size
        assert st.warnings == ["decoded as UTF-8", *whole.warnings], size


def test_what_a_stream_cannot_keep_is_read_whole() -> None:
    # A child may name a parent later in the file: a crossref anywhere reads the file whole.
    assert open_bib_stream(VARIED.replace("year = {2013}", "crossref = {early2001}"),
                           "v.bib") is None
    assert open_bib_stream("% only a comment\n@comment{nothing}\n", "v.bib") is None
    # Found in any letter case, also across the megabyte steps the search takes.
    for at in ((1 << 20) - 3, 1 << 20, (1 << 20) + 5):
        assert stream._mentions_crossref("x" * at + "CrossRef" + "y" * 100)
    assert not stream._mentions_crossref("x" * (1 << 20) + "Cross ref")


def test_a_cut_never_falls_inside_a_line() -> None:
    text = "@article{a, title = {x @article{b, y}, year = {2001}}\n@article{c, title={z}}\n"
    assert [c[0] for c in stream._Cutter(text).cuts] == [0, text.index("@article{c")]
    assert list(open_bib_stream(text, "t.bib", chunk_cuts=1).records()) == (  # type: ignore[union-attr]
        read_bibtex(text, "t.bib").records)


def _write(path: Path, entries: int, extra: str = "", encoding: str = "utf-8",
           newline: str = "\n") -> Path:
    body = "".join(
        f"@article{{key{n},\n  author = {{Auteur, Ren{{\\'e}} and Smith, J}},\n"
        f"  title = {{Vertebral metastases treated with SBRT, study {n}}},\n"
        f"  journal = spine,\n  year = {{{2000 + n % 20}}},\n"
        f"  doi = {{10.1000/stream.{n}}}\n}}\n\n" for n in range(entries))
    path.write_bytes((VARIED + body + extra).replace("\n", newline).encode(encoding))
    return path


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every .bib streamed in small chunks and stored in small batches."""
    monkeypatch.setattr(stream, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(stream, "CHUNK_CUTS", 7)
    monkeypatch.setattr(fileimport, "FILE_BATCH", 10)


def _import(db: Path, bib: Path, **kwargs: object) -> tuple[object, int]:
    with Library.open(db) as lib:
        report = run_import(lib, [str(bib)], client=None, **kwargs)  # type: ignore[arg-type]
        return report, lib.search.count()


def test_a_streamed_bib_stores_the_library_a_whole_read_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = _write(tmp_path / "refs.bib", 45)
    monkeypatch.setattr(fileimport, "FILE_BATCH", 10)
    whole, n_whole = _import(tmp_path / "whole.sqlite", bib)
    assert filerecords.open_file_records(bib).stream is None  # small: read whole by default
    monkeypatch.setattr(stream, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(stream, "CHUNK_CUTS", 7)
    source = filerecords.open_file_records(bib)
    assert isinstance(source.stream, stream.BibStream) and source.total == 18 + 45
    streamed, n_streamed = _import(tmp_path / "streamed.sqlite", bib)
    assert n_streamed == n_whole == 14 + 45
    assert streamed == whole  # the same items (failed ones first) and warnings, in order
    assert dump(tmp_path / "whole.sqlite") == dump(tmp_path / "streamed.sqlite")


def test_a_windows_export_streams_as_it_reads_whole(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows-1252 bytes and CRLF line ends: decoded, warned about and numbered alike."""
    bib = _write(tmp_path / "win.bib", 30, encoding="cp1252", newline="\r\n")
    monkeypatch.setattr(fileimport, "FILE_BATCH", 10)
    whole, n_whole = _import(tmp_path / "whole.sqlite", bib)
    monkeypatch.setattr(stream, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(stream, "CHUNK_CUTS", 4)
    assert isinstance(filerecords.open_file_records(bib).stream, stream.BibStream)
    streamed, n_streamed = _import(tmp_path / "streamed.sqlite", bib)
    assert n_streamed == n_whole == 14 + 30
    assert streamed == whole
    assert any("Windows-1252" in w for w in whole.warnings)  # type: ignore[attr-defined]
    assert dump(tmp_path / "whole.sqlite") == dump(tmp_path / "streamed.sqlite")


def test_a_cancelled_stream_keeps_whole_batches(tmp_path: Path, streamed: None) -> None:
    bib = _write(tmp_path / "refs.bib", 45)
    _import(tmp_path / "all.sqlite", bib)
    asked = iter(range(1000))
    report, stored = _import(tmp_path / "lib.sqlite", bib,
                             cancelled=lambda: next(asked) >= 2)  # after two batches
    assert stored == 20
    assert report.counts()["cancelled"] == 1  # type: ignore[attr-defined]
    # Each stored article is whole: exactly its rows of the full import, in every table.
    kept, full = dump(tmp_path / "lib.sqlite"), dump(tmp_path / "all.sqlite")
    for table, at in (("article", 0), ("author", 1), ("article_tag", 0), ("article_facet", 0),
                      ("fts", 0)):
        assert kept[table] == [r for r in full[table] if r[at] <= 20], table  # type: ignore[operator]


def test_a_chunk_that_cannot_be_parsed_keeps_the_batches_before_it(
        tmp_path: Path, streamed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = _write(tmp_path / "refs.bib", 45)
    real = stream.QuickSplitter.split

    def split(self: stream.QuickSplitter) -> object:
        if "{key40," in self.bibstr:  # the chunk holding the 55th entry or so
            raise RuntimeError("internal parser state")
        return real(self)

    monkeypatch.setattr(stream.QuickSplitter, "split", split)
    report, stored = _import(tmp_path / "lib.sqlite", bib)
    assert stored in (30, 40, 50)  # whole batches of 10, stored before the chunk failed
    failed = [i for i in report.items if i.status == "failed"]  # type: ignore[attr-defined]
    assert any("cannot be read (internal parser state)" in i.message for i in failed)


#: Lines that open, close or restart blocks where they should not.
_JUNK = ("@article{j1,\n", "  @misc(p2,\n", "}\n", "{\n", '"\n', "@string{x = {y}}\n",
         "@comment{\n", "\\\n", "  title = {t @book{z, q}},\n", "@{nokey,\n",
         '@preamble("a")\n', "\r\n", "@ARTICLE { sp , title=x#y}\n", ")\n", "=\n", ",\n")


@pytest.mark.parametrize("seed", range(40))
def test_a_mangled_file_still_reads_the_same_in_chunks(seed: int) -> None:
    """Stray block starts, braces, quotes, parentheses and macros put anywhere in the varied
    file (or lines taken out): whatever bibtexparser makes of it whole, the chunks make."""
    rnd = random.Random(seed)
    lines = VARIED.splitlines(keepends=True)
    for _ in range(rnd.randint(1, 40)):
        at = rnd.randrange(len(lines) + 1)
        if rnd.random() < 0.7:
            lines.insert(at, rnd.choice(_JUNK))
        elif lines:
            lines.pop(min(at, len(lines) - 1))
    text = "".join(lines)
    whole = read_bibtex(text, "m.bib")
    for size in (1, 2, 5):
        st = open_bib_stream(text, "m.bib", chunk_cuts=size)
        assert st is not None
        assert list(st.records()) == whole.records, size
        assert (st.problems, st.warnings) == (whole.problems, whole.warnings), size
