"""The grammar of the attachment commands (issue 14): attach, detach, pdf find/text/open/…"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from spinelib.cli.arghelp import KEY, KEYS

#: The NAME of detach and pdf open.
FILE_NAME = "the file's name, as `spinelib show KEY` lists it (default: the only file)"


def add_pdf_parsers(sub: Any, add_filters: Callable[[argparse.ArgumentParser], None]) -> None:
    """The attachment commands' grammar, called from :func:`spinelib.cli.parser.build_parser`
    (which hands over its shared filters, so this module does not import it back)."""
    at = sub.add_parser("attach", help="attach a file (a PDF, a supplement) to an article")
    at.add_argument("key", metavar="KEY", help=KEY)
    at.add_argument("file", metavar="FILE", help="the file to attach")
    at.add_argument("--link", action="store_true",
                    help="keep the file where it is instead of copying it into the files folder")
    dt = sub.add_parser("detach", help="detach a file (a copy moves to the files folder's trash)")
    dt.add_argument("key", metavar="KEY", help=KEY)
    dt.add_argument("name", nargs="?", metavar="NAME", help=FILE_NAME)
    pdf = sub.add_parser("pdf", help="full texts: find open-access PDFs, print text, open, "
                         "identify kept PDFs")
    psub = pdf.add_subparsers(dest="pdf_command", metavar="ACTION", required=True)
    find = psub.add_parser("find", help="find and attach open-access copies")
    find.add_argument("keys", nargs="*", metavar="KEY", help=KEYS)
    find.add_argument("--all", action="store_true", help="every article (or those filtered)")
    find.add_argument("--again", action="store_true",
                      help="ask again for articles remembered as having no open copy")
    add_filters(find)
    text = psub.add_parser("text", help="print an article's stored full text")
    text.add_argument("key", metavar="KEY", help=KEY)
    notes = psub.add_parser("annotations", aliases=["highlights"],
                            help="the highlights and comments made on an article's PDFs in "
                            "a PDF viewer, read from the files")
    notes.add_argument("keys", nargs="*", metavar="KEY", help=KEYS)
    notes.add_argument("--all", action="store_true",
                       help="every article with a PDF (or those filtered)")
    notes.add_argument("--to-notes", action="store_true",
                       help="also copy them into the articles' notes (searchable, exported; "
                       "only the ones the notes lack; one undo step for all)")
    add_filters(notes)
    op = psub.add_parser("open", help="open an article's file in the system viewer")
    op.add_argument("key", metavar="KEY", help=KEY)
    op.add_argument("name", nargs="?", metavar="NAME", help=FILE_NAME)
    acc = psub.add_parser("access", help="open articles at the publisher through your "
                          "library's proxy, or find them with your library's link resolver "
                          "(`spinelib settings library_proxy|link_resolver ADDRESS`)")
    acc.add_argument("keys", nargs="*", metavar="KEY", help=KEYS)
    acc.add_argument("--all", action="store_true",
                     help="every article (or those filtered: a reading list's, a search's)")
    acc.add_argument("--print", action="store_true", dest="print_only",
                     help="print the addresses only; open no browser")
    add_filters(acc)
    watch = psub.add_parser("watch", help="import new PDFs from the watched folder once")
    watch.add_argument("--folder", metavar="DIR", help="default: the watched-folder setting")
    psub.add_parser("unidentified", help="articles kept from PDFs without an identifier")
    ident = psub.add_parser("identify", help="identify articles kept from PDFs without an "
                            "identifier: each PDF's first page matched against the "
                            "library's papers, then searched in Crossref and PubMed")
    ident.add_argument("keys", nargs="*", metavar="KEY", help=KEYS)
    ident.add_argument("--all", action="store_true",
                       help="every article kept from a PDF without an identifier")
