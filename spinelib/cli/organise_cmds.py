"""Commands that organise the library: tags, reading lists, the pending queue."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from spinelib.cli.output import fit, http_client, print_json, print_report
from spinelib.library import Library, TagCount


def cmd_tag(lib: Library, args: argparse.Namespace) -> int:
    action = args.tag_command
    if action == "list":
        counts = lib.tags.counts()
        if args.json:
            print_json([asdict(c) for c in counts])
            return 0
        children: dict[str | None, list[TagCount]] = {}
        for t in counts:
            children.setdefault(t.parent, []).append(t)

        def walk(parent: str | None, depth: int) -> None:
            for t in children.get(parent, []):
                mark = "" if t.origin == "vocabulary" else "  (yours)"
                print(f"{'  ' * depth}{t.label} [{t.id}] {t.count}{mark}")
                walk(t.id, depth + 1)
        walk(None, 0)
        return 0
    if action == "create":
        print(f"created tag {lib.tags.create(args.name, args.parent)!r}")
        return 0
    if action == "rename":
        print(f"renamed to {lib.tags.rename(args.old, args.new)!r}")
        return 0
    if action == "merge":
        n = lib.tags.merge(args.source, args.target)
        print(f"merged {args.source!r} into {args.target!r} ({n} articles)")
        return 0
    article_id = lib.articles.resolve_key(args.key)
    if action == "add":
        print("added: " + ", ".join(lib.tags.add([article_id], args.tags)))
    elif action == "remove":
        print("removed: " + ", ".join(lib.tags.remove([article_id], args.tags)))
    elif action == "suggest":
        state = lib.tags.state(article_id)
        if not state.suggested:
            print("no open suggestions")
        for s in state.suggested:
            print(f"{s.id}\t{s.label}\t{s.reason}")
    elif action in ("accept", "reject"):
        judge = lib.tags.accept if action == "accept" else lib.tags.reject
        for t in args.tags:
            print(f"{action}ed: {judge(article_id, t)}")
    return 0


def cmd_lists(lib: Library, args: argparse.Namespace) -> int:
    action = args.lists_command
    if action is None:
        for entry in lib.lists.all():
            print(f"{entry.name}\t{entry.count}")
        return 0
    if action == "create":
        lib.lists.create(args.name)
        print(f"created reading list {args.name!r}")
    elif action in ("add", "remove"):
        ids = [lib.articles.resolve_key(k) for k in args.keys]
        if action == "add":
            print(f"added {lib.lists.add(args.name, ids)} to {args.name!r}")
        else:
            print(f"removed {lib.lists.remove(args.name, ids)} from {args.name!r}")
    elif action == "show":
        ids = lib.lists.items(args.name)
        rows = lib.search.rows(ids)
        if args.json:
            print_json([{"position": n, "id": i, "citekey": rows[i].citekey,
                          "title": rows[i].title, "year": rows[i].year} for n, i in
                         enumerate(ids, 1)])
        else:
            for n, i in enumerate(ids, 1):
                print(f"{n:>3}. {rows[i].citekey:<28} {fit(rows[i].title, 90)}")
    elif action == "rename":
        lib.lists.rename(args.old, args.new)
        print(f"renamed {args.old!r} to {args.new!r}")
    elif action == "delete":
        lib.lists.delete(args.name)
        print(f"deleted reading list {args.name!r}")
    return 0


def cmd_pending(lib: Library, args: argparse.Namespace) -> int:
    if args.retry:
        from spinelib.importer import retry_pending
        from spinelib.pdffind import retry_pending as retry_pdf_lookups

        if not lib.pending.all():
            print("nothing pending")
            return 0
        client = http_client()
        found = retry_pdf_lookups(lib, client)
        for outcome in found:
            print(outcome.line(), file=sys.stdout if outcome.answered else sys.stderr)
        code = print_report(retry_pending(lib, client))
        return max(code, 0 if all(o.answered for o in found) else 1)
    entries = lib.pending.all()
    if not entries:
        print("nothing pending")
    for e in entries:
        print(f"{e.identifier}\tqueued {e.queued_at}\t{e.attempts}×\t{e.reason}")
    return 0
