"""Help texts that many commands' arguments share, so each reads the same everywhere
(``tests/core/test_cli_help.py`` holds every argument of every command to having one)."""

from __future__ import annotations

import argparse

#: One article, as :meth:`spinelib.library.articles.ArticlesManager.resolve_key` reads it (the
#: README's "KEY is resolved in this order").
KEY = "an article: its citation key (as `spinelib list` prints it), DOI or PMID"
#: Several of them.
KEYS = "articles: citation keys (as `spinelib list` prints them), DOIs or PMIDs"
#: ``--json`` on any command that prints.
JSON = "print JSON instead of text (the shapes are in the README)"


def add_json(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` the ``--json`` switch every printing command has."""
    parser.add_argument("--json", action="store_true", help=JSON)
