"""The command line's grammar for curation (issue 15): add (by hand), edit, delete, trash,
duplicates, merge, searches, refresh, undo/redo, and ``list --saved``."""

from __future__ import annotations

import argparse
from typing import Any

from spinelib.cli.arghelp import KEY, KEYS, add_json
from spinelib.curation_results import ARTICLE_TYPES

#: The fields ``edit --set`` and ``add --set`` take.
FIELDS = ("title, journal, journal_abbrev, book_title (a chapter's book), editors (the "
          "book's: \"Family, Given; Family, Given\"), edition (4 for the 4th), isbn, "
          "publisher, place, institution (a thesis's school, a report's issuer), degree (a "
          "thesis's: PhD thesis, Master's thesis…), report_number, year, month, pubstate (in "
          "press, submitted…; empty once published), volume, issue, pages, doi, pmid, pmcid, "
          "url, accessed (when a web page was read: 2026-12-05), abstract, type "
          f"({', '.join(ARTICLE_TYPES)}), language")


def add_curation_parsers(sub: Any) -> None:
    """Add the curation commands to the ``spinelib`` subparsers ``sub``."""
    ad = sub.add_parser("add", help="add an article by hand, field by field (a guideline, an "
                        "abstract, a thesis: what no DOI or PMID fetches)")
    ad.add_argument("--set", dest="values", action="append", default=[],
                    metavar="FIELD=VALUE", help=f"{FIELDS}; title is required, type is "
                    "article unless given")
    ad.add_argument("--authors", metavar='"Family, Given; ..."',
                    help="the author list, in order, separated by semicolons (a group, such "
                    "as a society, without a comma)")
    ad.add_argument("--key", metavar="KEY", dest="citekey",
                    help="its citation key (nccn2026, say); generated from the first "
                    "author, year and title when not given")
    ad.add_argument("--tag", action="append", default=[], metavar="TAG",
                    help="tag the article (repeat for more tags)")
    ad.add_argument("--list", action="append", default=[], metavar="NAME", dest="lists",
                    help="put the article in this reading list (repeat for more)")

    ed = sub.add_parser("edit", help="correct an article's fields (remembered as yours)")
    ed.add_argument("key", metavar="KEY", help=KEY)
    ed.add_argument("--set", dest="values", action="append", default=[],
                    metavar="FIELD=VALUE", help=FIELDS)
    ed.add_argument("--authors", metavar='"Family, Given; ..."',
                    help="the whole author list, in order, separated by semicolons")

    de = sub.add_parser("delete", help="move articles to the trash")
    de.add_argument("keys", nargs="+", metavar="KEY", help=KEYS)

    tr = sub.add_parser("trash", help="the trash: list, restore, empty")
    add_json(tr)
    tsub = tr.add_subparsers(dest="trash_command", metavar="ACTION")
    # "list" is also what the bare command does: the help names it, so users type it.
    tsub.add_parser("list", help="what is in the trash, newest first (the default)")
    trr = tsub.add_parser("restore", help="bring articles back from the trash")
    trr.add_argument("keys", nargs="+", metavar="KEY",
                     help="articles as `spinelib trash` lists them (or their DOIs or PMIDs)")
    tre = tsub.add_parser("empty", help="delete what is in the trash for good")
    tre.add_argument("--older-than", type=int, metavar="DAYS",
                     help="only what was deleted more than DAYS days ago")
    tre.add_argument("--yes", action="store_true", help="do not ask (for scripts)")

    du = sub.add_parser("duplicates", help="articles that look like one publication")
    add_json(du)
    dsub = du.add_subparsers(dest="duplicates_command", metavar="ACTION")
    dd = dsub.add_parser("dismiss", help="these articles are not duplicates")
    dd.add_argument("keys", nargs="+", metavar="KEY",
                    help="two or more citation keys of one group `spinelib duplicates` lists")

    mg = sub.add_parser("merge", help="merge OTHER articles into KEEP (keys stay as aliases)")
    mg.add_argument("keep", metavar="KEEP", help="the article that stays (its key too)")
    mg.add_argument("others", nargs="+", metavar="OTHER",
                    help="articles merged into it (their keys stay as its aliases)")

    se = sub.add_parser("searches", help="saved searches (smart lists)")
    ssub = se.add_subparsers(dest="searches_command", metavar="ACTION", required=True)
    ss = ssub.add_parser("save", help="save QUERY under NAME")
    ss.add_argument("name", metavar="NAME", help="the saved search's name (any text)")
    ss.add_argument("query", metavar="QUERY", help="search text, as --search takes it "
                    "(`spinelib list --help` shows the syntax)")
    sl = ssub.add_parser("list", help="every saved search")
    add_json(sl)
    sd = ssub.add_parser("delete", help="forget a saved search (no article changes)")
    sd.add_argument("name", metavar="NAME", help="the saved search's name")

    rf = sub.add_parser("refresh", help="re-fetch articles from PubMed/Crossref; show the diff")
    rf.add_argument("keys", nargs="+", metavar="KEY", help=KEYS)
    rf.add_argument("--apply", action="store_true",
                    help="take the source's values (fields you edited are kept)")
    add_json(rf)

    sub.add_parser("undo", help="undo the last edit, rekey, tag or list change, delete or merge")
    sub.add_parser("redo", help="redo what undo reverted")
    hi = sub.add_parser("history", help="the operations undo can revert, newest first; with "
                        "KEY on a team library: who changed what on that article")
    hi.add_argument("key", nargs="?", metavar="KEY", help=KEY)
    add_json(hi)

    ls: argparse.ArgumentParser | None = sub.choices.get("list")
    if ls is not None:
        ls.add_argument("--saved", metavar="NAME", help="show a saved search (evaluated now)")
