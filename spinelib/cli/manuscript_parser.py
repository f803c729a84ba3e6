"""The grammar of the manuscript commands: ``styles``, ``cite``, ``manuscript``, ``exports``,
and the export command's ``--style`` and ``--keep-updated`` (issue 16)."""

from __future__ import annotations

import argparse

from spinelib.cli.arghelp import JSON, KEYS, add_json


def add_manuscript_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The grammar of ``styles``, ``cite``, ``manuscript`` and ``exports``."""
    st = sub.add_parser("styles", help="citation styles: search, add your own, map a journal")
    st.add_argument("--search", default="", metavar="TEXT", help="words of the title or id")
    add_json(st)
    ssub = st.add_subparsers(dest="styles_command", metavar="ACTION")
    sse = ssub.add_parser("search", help="the styles whose title or id holds every word")
    sse.add_argument("words", nargs="*", metavar="WORD", help="words of the title or id")
    sse.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON)
    sa = ssub.add_parser("add", help="install your own CSL style file (validated first)")
    sa.add_argument("file", metavar="FILE.csl", help="a CSL 1.0 style file")
    sm = ssub.add_parser("map", help="give a journal without a style a parent style")
    sm.add_argument("journal", help='the journal\'s title, e.g. "Global Spine Journal"')
    sm.add_argument("parent", metavar="STYLE", help="the style it prints like, e.g. spine")

    ci = sub.add_parser("cite", help="the in-text citation and the entries of KEYs in a style")
    ci.add_argument("keys", nargs="+", metavar="KEY", help=KEYS)
    ci.add_argument("--style", metavar="ID", help="CSL style id (default: Preferences' style)")
    ci.add_argument("--html", action="store_true", help="print HTML instead of plain text")

    ms = sub.add_parser("manuscript", help="format a Word manuscript; a .bib for a paper")
    msub = ms.add_subparsers(dest="manuscript_command", metavar="ACTION", required=True)
    mf = msub.add_parser("format", help="replace citation placeholders in a .docx")
    mf.add_argument("input", metavar="IN.docx",
                    help="the manuscript, citing as [@key] or [@a; @b] (left unchanged); "
                    "or a copy SpineLib formatted before, formatted afresh (another style, "
                    "citations added since)")
    mf.add_argument("-o", "--output", required=True, metavar="OUT.docx",
                    help="the formatted copy to write")
    mf.add_argument("--style", metavar="ID", help="CSL style id (default: Preferences' style)")
    mb = msub.add_parser("bib", help="a .bib of exactly the keys a .aux or .md cites")
    mb.add_argument("input", metavar="PAPER.aux|PAPER.md",
                    help="LaTeX's .aux (after a first run) or a pandoc Markdown file")
    mb.add_argument("-o", "--output", required=True, metavar="refs.bib",
                    help="the .bib to write")
    mb.add_argument("--biblatex", action="store_true", help="BibLaTeX (UTF-8) for biber")

    ex = sub.add_parser("exports", help="exports kept up to date: list, remove, sync")
    add_json(ex)
    esub = ex.add_subparsers(dest="exports_command", metavar="ACTION")
    esub.add_parser("list", help="the kept exports and when each was written (the default)")
    er = esub.add_parser("remove", help="stop keeping an export (the file stays)")
    er.add_argument("path", metavar="PATH",
                    help="the exported file, as `spinelib exports` lists it")
    esub.add_parser("sync", help="rewrite the kept exports whose content changed")


def add_export_options(exp: argparse.ArgumentParser) -> None:
    """``export``'s options for styled reference lists and kept exports."""
    exp.add_argument("--style", metavar="ID",
                     help="CSL style of --format bibliography (see: spinelib styles)")
    exp.add_argument("--keep-updated", action="store_true",
                     help="keep -o FILE up to date as the library changes (spinelib exports)")
