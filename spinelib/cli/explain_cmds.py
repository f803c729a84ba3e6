"""The ``explain`` command: why each technique tag was, or was not, suggested for an article.

Suggestions are stored when an article is imported; ``spinelib explain KEY`` re-reads the
stored record with the current vocabulary and prints both lists: the suggestions with the
evidence that counted ("methods: 'underwent balloon kyphoplasty'") and the techniques the
text mentions that were left out, with why ("not suggested: negated in results: ...").
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from spinelib.cli.arghelp import KEY, add_json
from spinelib.cli.output import print_json

if TYPE_CHECKING:  # the parser imports this module: --version must not load the library
    from spinelib.library import Library
    from spinelib.vocabulary import Suggestion


def add_explain_parsers(sub: Any) -> None:
    """Add ``explain KEY [--json]`` to the command line's subcommands."""
    p = sub.add_parser("explain", help="why techniques were or were not suggested for an "
                                       "article (re-read with the current vocabulary)")
    p.add_argument("key", metavar="KEY", help=KEY)
    add_json(p)


def cmd_explain(lib: Library, args: argparse.Namespace) -> int:
    """Print the suggested and the not-suggested techniques of one article, with reasons."""
    article_id = lib.articles.resolve_key(args.key)
    from spinelib.vocabulary import explain

    result = explain(lib.articles.record(article_id), lib.taxonomy)

    def rows(items: list[Suggestion]) -> list[dict[str, str]]:
        return [{"id": s.tag_id, "label": _label(lib, s.tag_id), "reason": s.reason}
                for s in items]

    if args.json:
        print_json({"suggested": rows(result.suggested),
                    "not_suggested": rows(result.not_suggested)})
        return 0
    for title, items in (("suggested", result.suggested),
                         ("not suggested", result.not_suggested)):
        print(f"{title}:" if items else f"{title}: none")
        for row in rows(items):
            reason = row["reason"].removeprefix("not suggested: ")
            print(f"  {row['id']}\t{row['label']}\t{reason}")
    return 0


def _label(lib: Library, tag_id: str) -> str:
    tag = lib.taxonomy.get(tag_id)
    return tag.label if tag else tag_id
