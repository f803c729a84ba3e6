"""The command line's grammar: every command, its arguments and the filters they share."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinelib import __version__, searchsyntax
from spinelib.cli.arghelp import KEY, KEYS, add_json
from spinelib.cli.curation_parsers import add_curation_parsers
from spinelib.cli.explain_cmds import add_explain_parsers
from spinelib.cli.manuscript_parser import add_export_options, add_manuscript_parsers
from spinelib.cli.output import UsageError
from spinelib.cli.safety_cmds import EVIDENCE_FORMATS, add_safety_parsers
from spinelib.cli.team_cmds import add_team_parsers
from spinelib.formats import registry
from spinelib.pubmedsearch import DEFAULT_LIMIT, MOST, ORDERS
from spinelib.vocabulary import FACETS

if TYPE_CHECKING:
    from spinelib.library import Query

#: The --format choices: every export format but the HTML forms (those are --html).
#: The TAG of tag add/remove: a tag of yours by name, or the vocabulary's by id or label.
TAG_NAMES = "tags by name, id or label (`spinelib tag list` shows them all)"
#: The NAME of a reading-list action.
LIST_NAME = "the reading list's name (`spinelib lists` shows them)"
EXPORT_FORMATS = tuple(f.name for f in registry.EXPORT_FORMATS
                       if f.kind is not registry.ExportKind.HTML) + ("bibliography",)


def add_chase_keys(parser: argparse.ArgumentParser, several: str, linked: str) -> None:
    """KEY... and ``--shared N`` of a command that lists what one or several articles are
    linked with (``refs``: the works they cite; ``citing``: the articles citing them;
    ``similar``: PubMed's similar articles)."""
    parser.add_argument("keys", nargs="+", metavar="KEY", help=f"{KEY}; several for {several}")
    parser.add_argument("--shared", type=int, metavar="N", default=1,
                        help=f"with several KEYs: only the {linked} N or more of them "
                        "(listed, and imported by --all)")


def add_import_choice(parser: argparse.ArgumentParser, which: str) -> None:
    """``--import N…`` or ``--all`` of a listing of ``which`` ("citing", "similar")
    articles found online."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--import", dest="import_numbers", nargs="+", type=int, metavar="N",
                       help=f"import the {which} articles numbered N in the listing")
    group.add_argument("--all", action="store_true",
                       help=f"import every {which} article not in your library yet")


def add_since(parser: argparse.ArgumentParser) -> None:
    """``--since YEAR`` of a listing of articles found online (``citing``, ``similar``)."""
    parser.add_argument("--since", type=int, metavar="YEAR",
                        help="only the articles published in YEAR or later (with --all: "
                        "import only those)")


def add_chase_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``--no-refs`` and ``--list`` of a command that imports from a listing of ``what``
    ("references" of an article, "articles" citing it)."""
    parser.add_argument("--no-refs", action="store_true",
                        help=f"do not fetch the imported {what}' own reference lists")
    parser.add_argument("--list", action="append", default=[], metavar="NAME", dest="lists",
                        help=f"put the imported {what} in this reading list (repeat for "
                        "more)")


def add_pubmed_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``pubmed`` command's grammar (:mod:`spinelib.cli.pubmed_cmds` runs it)."""
    pubmed = sub.add_parser(
        "pubmed", help="search PubMed; import from the results",
        description="Search PubMed as on its web page and list the results in its order "
        "(Best match, or the order a pasted address names), numbered; those in your "
        "library are marked ●. Import some with --import N…, or every new one with --all. "
        "Needs the network.")
    pubmed.add_argument(
        "query", nargs="*", metavar="QUERY",
        help="the search as typed on PubMed (field tags such as [ti] or [mh], AND, OR, "
        "NOT; quote it), or a PubMed results page's address, whose filters (years, "
        "article types, free full text…) and order are kept")
    pubmed.add_argument("--technique", metavar="TAG",
                        help="search for a technique of the vocabulary (id, label or "
                        "synonym), as `spinelib watch suggest` writes it; QUERY, if given, "
                        "narrows it. Those you hold are marked: the rest is what your "
                        "library lacks on it")
    pubmed.add_argument("--sort", choices=list(ORDERS),
                        help="list them in this order: " + ", ".join(
                            f"{name} ({label})" for name, (label, _s) in ORDERS.items())
                        + "; without it, the address's order, else best")
    pubmed.add_argument("--max", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help=f"list the first N results (default {DEFAULT_LIMIT}, at most "
                        f"{MOST:,}: PubMed's own limit)")
    add_json(pubmed)
    add_import_choice(pubmed, "found")
    add_chase_options(pubmed, "articles")


def build_parser() -> argparse.ArgumentParser:

    p = argparse.ArgumentParser(prog="spinelib", description=(
        "Offline-first reference manager for spine-oncology literature. "
        "With no command, opens the desktop app."))
    p.add_argument("--version", action="version", version=f"spinelib {__version__}")
    p.add_argument("--library", metavar="PATH",
                   help="library file or team library URL postgresql://… "
                        "(default: $SPINELIB_LIBRARY, else the data dir)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (importing any FILE given)")
    gui.add_argument("files", nargs="*", metavar="FILE",
                     help="files to import (" + ", ".join(registry.IMPORT_SUFFIXES) + ")")

    imp = sub.add_parser("import", help="import DOIs, PMIDs, PMCIDs, URLs, files or another "
                         "library")
    imp.add_argument("items", nargs="+", metavar="ID_OR_FILE",
                     help="a DOI, PMID, PMCID, PubMed/PMC/doi.org link, a ScienceDirect "
                     "or Elsevier journal link (its PII, found through Crossref), a book's "
                     "ISBN (\"ISBN 978-…\": its publisher's DOI record), an NCBI Bookshelf "
                     "(StatPearls) link or NBK number, a file ("
                     + ", ".join(registry.IMPORT_SUFFIXES) + ", .pdf), a folder (the "
                     "PDFs in it and its sub-folders), another SpineLib library or backup "
                     "(.sqlite: merged in with its tags, notes, lists and files), or - for "
                     "standard input (BibTeX, RIS, MEDLINE, Ovid or CSL JSON text, or text "
                     "holding identifiers)")
    imp.add_argument("--tag", action="append", default=[], metavar="TAG",
                     help="tag every imported article (repeat for more tags)")
    imp.add_argument("--no-refs", action="store_true", help="skip reference lists")
    imp.add_argument("--list", action="append", default=[], metavar="NAME", dest="lists",
                     help="put every imported article in this reading list (repeat for "
                     "more); one queued offline joins it when fetched")
    imp.add_argument("--dry-run", action="store_true",
                     help="fetch and write nothing: say what each input is, and which of "
                     "the articles it names the library already holds")

    ls = sub.add_parser("list", help="list articles")
    # pubs and papis take their query as words after "list": so does this, as --search.
    ls.add_argument("words", nargs="*", metavar="WORD",
                    help="words to search for, read as --search reads them (spinelib list "
                    "kyphoplasty year:2015..; a word excluded: spinelib list -- spine -myeloma)")
    add_filters(ls)
    add_json(ls)
    ls.add_argument("--sort", choices=("added", "first_author", "year", "title", "journal",
                                       "citations", "relevance"),
                    default="added", help="relevance: best matches of --search first "
                    "(ranked only when asked: every other order skips ranking)")

    show = sub.add_parser("show", help="show one article")
    show.add_argument("key", metavar="KEY", help=KEY)
    add_json(show)

    tag = sub.add_parser("tag", help="tags: add, remove, list, suggest, accept, reject …")
    tsub = tag.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    for name in ("add", "remove"):
        t = tsub.add_parser(name, help=f"{name} tags on an article")
        t.add_argument("key", metavar="KEY", help=KEY)
        t.add_argument("tags", nargs="+", metavar="TAG", help=TAG_NAMES)
    tl = tsub.add_parser("list", help="all tags as a tree with article counts")
    add_json(tl)
    ts = tsub.add_parser("suggest", help="suggested tags of an article, with reasons")
    ts.add_argument("key", metavar="KEY", help=KEY)
    for name in ("accept", "reject"):
        t = tsub.add_parser(name, help=f"{name} a suggested tag")
        t.add_argument("key", metavar="KEY", help=KEY)
        t.add_argument("tags", nargs="+", metavar="TAG",
                       help="suggested tags, as `spinelib tag suggest KEY` names them")
    tc = tsub.add_parser("create", help="create a tag of your own")
    tc.add_argument("name", metavar="NAME", help="the new tag's name (any text)")
    tc.add_argument("--parent", metavar="TAG", help="a tag of yours to put it under")
    tr = tsub.add_parser("rename", help="rename a tag of your own")
    tr.add_argument("old", metavar="OLD", help="the tag's name now")
    tr.add_argument("new", metavar="NEW", help="its new name")
    tm = tsub.add_parser("merge", help="merge SOURCE into TARGET (assignments move)")
    tm.add_argument("source", metavar="SOURCE", help="the tag of yours that goes away")
    tm.add_argument("target", metavar="TARGET", help="the tag its articles move to")
    td = tsub.add_parser("delete", help="delete a tag of your own (its articles stay)")
    td.add_argument("name", metavar="NAME", help="a tag of yours")
    tmv = tsub.add_parser("move", help="put a tag of your own under another (or --top)")
    tmv.add_argument("name", metavar="NAME", help="a tag of yours")
    where = tmv.add_mutually_exclusive_group(required=True)
    where.add_argument("--under", metavar="TAG", help="the tag it goes under")
    where.add_argument("--top", action="store_true", help="to the top level of My tags")

    add_explain_parsers(sub)
    refs = sub.add_parser(
        "refs", help="an article's reference list; import from it",
        description="KEY's reference list, each entry marked when it is in your library. "
        "With several KEYs: the works their lists cite, each once, the most shared first "
        "(×N: cited by N of them).")
    add_chase_keys(refs, "the works their reference lists share", "works cited by")
    add_json(refs)
    grp = refs.add_mutually_exclusive_group()
    grp.add_argument("--import", dest="import_positions", nargs="+", type=int, metavar="N",
                     help="import the references numbered N in the listing")
    grp.add_argument("--all", action="store_true", help="import every reference")
    grp.add_argument("--find-dois", action="store_true",
                     help="look up the references without an identifier: their DOIs in "
                     "Crossref, then the PMIDs of the rest in PubMed (each checked against "
                     "its citation), so they can be imported")
    grp.add_argument("--read", metavar="FILE",
                     help="set the reference list from FILE (text or a Word .docx; - for "
                     "standard input): the list copied from the paper or its journal page, "
                     "for an article PubMed and Crossref hold none for (undo brings the old "
                     "one back)")
    grp.add_argument("--from-fulltext", action="store_true",
                     help="set the reference list from the article's stored full text: what "
                     "follows the References heading of its attached PDF, or its "
                     "open-access text's references")
    add_chase_options(refs, "references")

    citing = sub.add_parser(
        "citing", help="the articles citing one, found in Europe PMC; import from them",
        description="The articles that cite KEY, as Europe PMC lists them (asked by its "
        "PMID, PMCID or DOI), oldest first and numbered; those in your library are marked. "
        "With several KEYs: the articles citing them, each once, the most shared first (×N: "
        "citing N of them). Needs the network.")
    add_chase_keys(citing, "the articles citing them, the most shared first",
                   "articles citing")
    add_json(citing)
    add_import_choice(citing, "citing")
    add_since(citing)
    add_chase_options(citing, "articles")

    similar = sub.add_parser(
        "similar", help="PubMed's similar articles of one or several; import from them",
        description="The articles PubMed finds most like KEY (its Similar articles, asked "
        "by the PMID, else the DOI; the best 100), in PubMed's ranking and numbered; those "
        "in your library are marked. With several KEYs: each once, the most shared first "
        "(×N: similar to N of them). Needs the network.")
    add_chase_keys(similar, "the articles similar to several, the most shared first",
                   "articles similar to")
    add_json(similar)
    add_import_choice(similar, "similar")
    add_since(similar)
    add_chase_options(similar, "articles")

    add_pubmed_parser(sub)

    lists = sub.add_parser("lists", help="reading lists: list, create, add, show …")
    lsub = lists.add_subparsers(dest="lists_command", metavar="ACTION")
    lsub.add_parser("list", help="every reading list and how many articles it holds "
                    "(the default)")
    lc = lsub.add_parser("create", help="a new, empty reading list")
    lc.add_argument("name", metavar="NAME", help="the list's name (any text)")
    for name, what in (("add", "put articles at the end of a list"),
                       ("remove", "take articles out of a list (they stay in the library)")):
        la = lsub.add_parser(name, help=what)
        la.add_argument("name", metavar="NAME", help=LIST_NAME)
        la.add_argument("keys", nargs="+", metavar="KEY", help=KEYS)
    lm = lsub.add_parser("move", help="move articles to a place in a list (the rest keep "
                         "their order)")
    lm.add_argument("name", metavar="NAME", help=LIST_NAME)
    lm.add_argument("keys", nargs="+", metavar="KEY", help=KEYS)
    lm.add_argument("--to", type=int, required=True, metavar="N",
                    help="the place the first of them takes, 1 for the top (`lists show` "
                         "numbers them); past the end moves them to the end")
    lshow = lsub.add_parser("show", help="a list's articles in its order")
    lshow.add_argument("name", metavar="NAME", help=LIST_NAME)
    add_json(lshow)
    lr = lsub.add_parser("rename", help="give a list a new name")
    lr.add_argument("old", metavar="OLD", help=LIST_NAME)
    lr.add_argument("new", metavar="NEW", help="its new name")
    ld = lsub.add_parser("delete", help="delete a list (its articles stay in the library)")
    ld.add_argument("name", metavar="NAME", help=LIST_NAME)

    exp = sub.add_parser("export", help="export articles")
    add_filters(exp)
    exp.add_argument("keys", nargs="*", metavar="KEY",
                     help="the articles to export (with no KEY and no filter: every article)")
    exp.add_argument("--format", choices=EXPORT_FORMATS + EVIDENCE_FORMATS,
                     help="bibliography: a formatted list in a CSL --style; evidence-*: the "
                     "evidence table (default: what -o FILE's suffix names: .bib BibTeX, "
                     ".ris, .json CSL-JSON, .csv/.xlsx the evidence table, .docx with "
                     "--style a reference list)")
    exp.add_argument("-o", "--output", metavar="FILE",
                     help="file to write (default: print to standard output); a reference list "
                          "(--format bibliography) to FILE.docx is a Word document")
    exp.add_argument("--abstracts", action="store_true", help="include abstracts (BibTeX/RIS)")
    exp.add_argument("--files", action="store_true",
                     help="name each article's attached files (BibTeX's file field, RIS L1), "
                          "so Zotero or JabRef can bring them along")
    exp.add_argument("--lists", action="store_true",
                     help="end a .bib with the reading lists as JabRef groups (JabRef shows "
                          "them; Zotero's import makes them collections)")
    exp.add_argument("--html", action="store_true", help="Vancouver/AMA as HTML")
    add_export_options(exp)

    pend = sub.add_parser("pending", help="what waits for the network: identifiers, kept "
                          "PDFs' first-page searches, open-access look-ups")
    pend.add_argument("--retry", action="store_true",
                      help="fetch and search for them now (without it: list them)")

    rk = sub.add_parser("rekey", help="give an article a new citation key")
    rk.add_argument("key", metavar="KEY", help=KEY)
    rk.add_argument("new", nargs="?", help="the new key (default: generate one)")

    bk = sub.add_parser("backup", help="write a consistent copy of the library")
    bk.add_argument("dest", nargs="?", help="file or folder to write to (default: the "
                    "backups folder)")
    rs = sub.add_parser("restore", help="replace the library with a backup")
    rs.add_argument("file", metavar="FILE", help="a backup `spinelib backup` wrote")
    rs.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub.add_parser("check", help="check the library's integrity and schema version")
    st = sub.add_parser("settings", help="print or change the settings (contact email, NCBI "
                        "API key, your library's proxy and link resolver, …)")
    st.add_argument("name", nargs="?", metavar="NAME", help="one setting (default: all)")
    st.add_argument("value", nargs="?", metavar="VALUE",
                    help="its new value, saved ('' sets it back to its default)")
    add_manuscript_parsers(sub)
    add_safety_parsers(sub)
    bk.add_argument("--with-files", action="store_true",
                    help="write a zip archive holding the backup and the attached files")
    from spinelib.cli.pdf_parser import add_pdf_parsers

    add_pdf_parsers(sub, add_filters)
    add_team_parsers(sub)
    add_curation_parsers(sub)
    return p


def search_values_joined(argv: Sequence[str]) -> list[str]:
    """``argv`` with ``--search -word`` written ``--search=-word``.

    argparse takes a value that starts with ``-`` for an option and stops with "expected one
    argument", yet excluding a word (``-kyphoplasty``, ``-year:2015..2020``) is the search
    language's own. A value starting ``--`` stays apart: that is the next option, and the
    missing value is still reported."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg != "--search":
            out.append(arg)
            continue
        value = next(args, None)
        if value is not None and value.startswith("-") and not value.startswith("--"):
            out.append(f"--search={value}")
        else:
            out.extend([arg] if value is None else [arg, value])
    return out


def add_filters(p: argparse.ArgumentParser) -> None:
    """Give ``p`` the filters every command over many articles shares, and the search
    syntax under its help (they combine with AND)."""
    p.add_argument("--search", default="", metavar="Q",
                   help="words, phrases and fields such as year:2015..2020 (below)")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="articles with this tag or one under it, confirmed or suggested "
                   "(repeat: all of them)")
    p.add_argument("--facet", action="append", default=[], metavar="NAME=VALUE",
                   help=f"clinical facet, NAME one of {', '.join(FACETS)}; VALUE its id, "
                   "label or words of it (histology=myeloma)")
    p.add_argument("--list", dest="reading_list", metavar="NAME",
                   help="articles in this reading list")
    p.epilog = searchsyntax.as_text()
    p.formatter_class = argparse.RawDescriptionHelpFormatter


def query_from(args: argparse.Namespace) -> Query:
    from spinelib.library import Query

    facets: list[tuple[str, str]] = []
    for item in args.facet:
        name, sep, value = item.partition("=")
        if not sep or name not in FACETS or not value:
            raise UsageError(f"--facet takes NAME=VALUE with NAME one of {', '.join(FACETS)}; "
                             f"got {item!r}")
        facets.append((name, value))
    return Query(search=args.search, tags=args.tag, facets=facets,
                 reading_list=args.reading_list, sort=getattr(args, "sort", "added"),
                 descending=getattr(args, "sort", "added") in ("added", "year", "citations"))
