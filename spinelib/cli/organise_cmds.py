"""Commands that organise the library: tags, reading lists, the pending queue.

Each sub-action is its own small function, found through a table (``TAG_ACTIONS``,
``LIST_ACTIONS``), so a new action is one function and one line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict

from spinelib.cli.output import UsageError, fit, http_client, print_json, print_report
from spinelib.errors import SpineLibError
from spinelib.library import Library, TagCount
from spinelib.text import local_time, plural

Action = Callable[[Library, argparse.Namespace], None]


# ------------------------------------------------------------------ tags
def _tag_list(lib: Library, args: argparse.Namespace) -> None:
    counts = lib.tags.counts()
    if args.json:
        print_json([asdict(c) for c in counts])
        return
    children: dict[str | None, list[TagCount]] = {}
    for t in counts:
        children.setdefault(t.parent, []).append(t)

    def walk(parent: str | None, depth: int) -> None:
        for t in children.get(parent, []):
            mark = "" if t.origin == "vocabulary" else "  (yours)"
            print(f"{'  ' * depth}{t.label} [{t.id}] {t.count}{mark}")
            walk(t.id, depth + 1)

    walk(None, 0)


def _tag_create(lib: Library, args: argparse.Namespace) -> None:
    print(f"created tag {lib.tags.create(args.name, args.parent)!r}")


def _tag_rename(lib: Library, args: argparse.Namespace) -> None:
    print(f"renamed to {lib.tags.rename(args.old, args.new)!r}")


def _tag_merge(lib: Library, args: argparse.Namespace) -> None:
    n = lib.tags.merge(args.source, args.target)
    print(f"merged {args.source!r} into {args.target!r} ({plural(n)})")


def _tag_delete(lib: Library, args: argparse.Namespace) -> None:
    n = lib.tags.delete(args.name)
    print(f"deleted tag {args.name!r} (taken off {plural(n, 'article')}; they stay)")


def _tag_move(lib: Library, args: argparse.Namespace) -> None:
    parent = lib.tags.move(args.name, None if args.top else args.under)
    print(f"moved tag {args.name!r} " + (f"under {parent!r}" if parent else "to the top level"))


def _tag_add(lib: Library, args: argparse.Namespace) -> None:
    article_id = lib.articles.resolve_key(args.key)
    had = {t.id for t in lib.tags.state(article_id).tags}
    added = list(dict.fromkeys(lib.tags.add([article_id], args.tags)))
    _say_tags("added", [t for t in added if t not in had],
              "already tagged", [t for t in added if t in had])


def _tag_remove(lib: Library, args: argparse.Namespace) -> None:
    article_id = lib.articles.resolve_key(args.key)
    state = lib.tags.state(article_id)
    had = {t.id for t in state.tags + state.suggested}
    removed = list(dict.fromkeys(lib.tags.remove([article_id], args.tags)))
    _say_tags("removed", [t for t in removed if t in had],
              "not tagged", [t for t in removed if t not in had])


def _say_tags(done: str, changed: list[str], unchanged_as: str, unchanged: list[str]) -> None:
    """What a tag add or remove changed on standard output; what it left as it was (asked
    for, but already so) on stderr (:func:`_say_left`)."""
    if changed:
        print(f"{done}: " + ", ".join(changed))
    _say_left(unchanged_as, unchanged)


def _tag_suggest(lib: Library, args: argparse.Namespace) -> None:
    state = lib.tags.state(lib.articles.resolve_key(args.key))
    if not state.suggested:
        print("no open suggestions")
    for s in state.suggested:
        print(f"{s.id}\t{s.label}\t{s.reason}")


def _tag_judge(lib: Library, args: argparse.Namespace) -> None:
    article_id = lib.articles.resolve_key(args.key)
    judge = lib.tags.accept if args.tag_command == "accept" else lib.tags.reject
    for t in args.tags:
        print(f"{args.tag_command}ed: {judge(article_id, t)}")


TAG_ACTIONS: dict[str, Action] = {
    "list": _tag_list, "create": _tag_create, "rename": _tag_rename, "merge": _tag_merge,
    "delete": _tag_delete, "move": _tag_move,
    "add": _tag_add, "remove": _tag_remove, "suggest": _tag_suggest,
    "accept": _tag_judge, "reject": _tag_judge,
}


def cmd_tag(lib: Library, args: argparse.Namespace) -> int:
    TAG_ACTIONS[args.tag_command](lib, args)
    return 0


# ------------------------------------------------------------------ reading lists
def _lists_all(lib: Library, args: argparse.Namespace) -> None:
    entries = lib.lists.all()
    for entry in entries:
        print(f"{entry.name}\t{entry.count}")
    if not entries:
        print("no reading lists yet (spinelib lists create NAME)", file=sys.stderr)


def _list_create(lib: Library, args: argparse.Namespace) -> None:
    lib.lists.create(args.name)
    print(f"created reading list {args.name.strip()!r}")


def _list_add(lib: Library, args: argparse.Namespace) -> None:
    ids = [lib.articles.resolve_key(k) for k in args.keys]
    name = lib.lists.name_of(args.name)
    held = set(lib.lists.items(name))
    print(f"added {lib.lists.add(name, ids)} to {name!r}")
    _say_left(f"already in {name!r} (where it stays)",
              [k for k, i in zip(args.keys, ids, strict=True) if i in held])


def _list_remove(lib: Library, args: argparse.Namespace) -> None:
    ids = [lib.articles.resolve_key(k) for k in args.keys]
    name = lib.lists.name_of(args.name)
    held = set(lib.lists.items(name))
    print(f"removed {lib.lists.remove(name, ids)} from {name!r}")
    _say_left(f"not in {name!r}", [k for k, i in zip(args.keys, ids, strict=True)
                                   if i not in held])


def _say_left(why: str, names: list[str]) -> None:
    """The articles or tags a change left as they were (asked for, but already so), on
    stderr: "added 0" alone does not say why."""
    if names:
        print(f"{why}: {', '.join(dict.fromkeys(names))}", file=sys.stderr)


def _list_move(lib: Library, args: argparse.Namespace) -> None:
    """``lists move NAME KEY… --to N``: the articles, in the list's order, from place N on."""
    if args.to < 1:
        raise UsageError("--to takes a place in the list: 1 for the top")
    ids = [lib.articles.resolve_key(k) for k in args.keys]
    name = lib.lists.name_of(args.name)
    order = lib.lists.items(name)
    missing = [k for k, i in zip(args.keys, ids, strict=True) if i not in order]
    if missing:
        raise SpineLibError(f"not in {name!r}: {', '.join(missing)} "
                            f"(add them with: spinelib lists add {name!r} KEY…)")
    # The place counts the list as it reads after the moved articles are taken out.
    moving = set(ids)
    rest = [i for i in order if i not in moving]
    to_index = min(args.to - 1, len(rest))
    lib.lists.move(name, ids, order.index(rest[to_index]) if to_index < len(rest)
                   else len(order))
    print(f"moved {plural(len(moving), 'article')} to place {to_index + 1} of {name!r}")


def _list_show(lib: Library, args: argparse.Namespace) -> None:
    ids = lib.lists.items(args.name)
    if not ids and not args.json:
        name = lib.lists.name_of(args.name)
        print(f"{name!r} is empty; add articles with: spinelib lists add {name!r} KEY…",
              file=sys.stderr)
    rows = lib.search.rows(ids)
    if args.json:
        print_json([{"position": n, "id": i, "citekey": rows[i].citekey,
                     "title": rows[i].title, "year": rows[i].year}
                    for n, i in enumerate(ids, 1)])
        return
    for n, i in enumerate(ids, 1):
        print(f"{n:>3}. {rows[i].citekey:<28} {fit(rows[i].title, 90)}")


def _list_rename(lib: Library, args: argparse.Namespace) -> None:
    old = lib.lists.name_of(args.old)
    subs = lib.lists.rename(old, args.new)
    with_subs = f", with its {plural(subs, 'sub-list')}" if subs else ""
    print(f"renamed {old!r} to {args.new.strip()!r}{with_subs}")


def _list_delete(lib: Library, args: argparse.Namespace) -> None:
    name = lib.lists.name_of(args.name)
    lib.lists.delete(name)
    print(f"deleted reading list {name!r}")


LIST_ACTIONS: dict[str | None, Action] = {
    None: _lists_all, "list": _lists_all, "create": _list_create, "add": _list_add,
    "remove": _list_remove, "move": _list_move, "show": _list_show, "rename": _list_rename,
    "delete": _list_delete,
}


def cmd_lists(lib: Library, args: argparse.Namespace) -> int:
    LIST_ACTIONS[args.lists_command](lib, args)
    return 0


# ------------------------------------------------------------------ pending
def cmd_pending(lib: Library, args: argparse.Namespace) -> int:
    if args.retry:
        from spinelib.pendingretry import retry_pending

        if not lib.pending.all():
            print("nothing pending")
            return 0
        retried = retry_pending(lib, http_client())
        for identified in retried.identified:
            print(identified.line(), file=sys.stdout if identified.status == "identified"
                  else sys.stderr)
        for outcome in retried.found:
            print(outcome.line(), file=sys.stdout if outcome.answered else sys.stderr)
        report = retried.report  # no identifiers waited: no import summary to print
        code = print_report(report) if report.items or report.warnings else 0
        return max(code, 1 if retried.still_pending or any(
            o.status == "failed" for o in retried.identified + retried.found) else 0)
    from spinelib.importlists import joins

    entries = lib.pending.all()
    if not entries:
        print("nothing pending")
    for e in entries:
        lists = f"\t{joins(e.lists)}" if e.lists else ""
        print(f"{lib.pending.label(e.identifier)}\tqueued {local_time(e.queued_at)}\t"
              f"{e.attempts}×\t{e.reason}{lists}")
    return 0
