"""Commands that curate the library (issue 15): add by hand, edit, refresh, delete and the trash,
duplicates and merge, saved searches, undo and redo."""

from __future__ import annotations

import argparse
import sys

from spinelib.cli import articles_cmds
from spinelib.cli.output import fit, http_client, print_json
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.text import local_time, plural


def _ids(lib: Library, keys: list[str]) -> list[int]:
    """Every KEY resolved first: one unknown key refuses the whole command."""
    return [lib.articles.resolve_key(k) for k in keys]


def _set_values(items: list[str]) -> dict[str, str]:
    """``--set FIELD=VALUE`` options as field -> value (the last of a field wins)."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise SpineLibError(f"--set takes FIELD=VALUE; got {item!r}")
        values[name.strip().lower()] = value
    return values


def cmd_add(lib: Library, args: argparse.Namespace) -> int:
    res = lib.by_hand.add(_set_values(args.values), args.authors, tags=args.tag,
                          lists=args.lists, citekey=args.citekey)
    print(f"added as {res.citekey} ({res.label})")
    for message in res.messages:  # a look-alike, as an import notes one
        print(f"note: {message}")
    return 0


def cmd_edit(lib: Library, args: argparse.Namespace) -> int:
    values = _set_values(args.values)
    article_id = lib.articles.resolve_key(args.key)
    changed = lib.edits.edit(article_id, values, args.authors)
    key = lib.articles.citekey(article_id)
    print(f"{key}: " + (f"changed {', '.join(changed)}" if changed else "nothing changed"))
    return 0


def cmd_delete(lib: Library, args: argparse.Namespace) -> int:
    n = lib.trash.delete(_ids(lib, args.keys))
    for message in lib.trash.last_messages:  # an attached file already missing, say
        print(f"warning: {message}", file=sys.stderr)
    print(f"{plural(n, 'article')} moved to the trash (spinelib undo, or spinelib trash "
          "restore KEY, brings them back)")
    return 0


def cmd_trash(lib: Library, args: argparse.Namespace) -> int:
    if args.trash_command == "restore":
        ids = [lib.trash.resolve_key(k) for k in args.keys]
        for res in lib.trash.restore(ids):
            for message in res.messages:
                print(f"warning: {message}", file=sys.stderr)
            print(f"restored {res.citekey}")
        return 0
    if args.trash_command == "empty":
        return _empty(lib, args)
    entries = lib.trash.entries()
    if args.json:
        print_json([{"key": e.citekey, "title": e.title, "deleted_at": e.deleted_at}
                    for e in entries])
        return 0
    for e in entries:
        print(f"{e.citekey:<28} {local_time(e.deleted_at)}  {fit(e.title, 80)}")
    print(f"{plural(len(entries), 'article')} in the trash", file=sys.stderr)
    return 0


def _empty(lib: Library, args: argparse.Namespace) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise SpineLibError("trash empty deletes for good: confirm with --yes")
        scope = (f" deleted more than {args.older_than} days ago" if args.older_than is not None
                 else "")
        answer = input(f"Delete the articles in the trash{scope} for good? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return 0
    n = lib.trash.empty(args.older_than)
    print(f"{plural(n, 'article')} deleted for good")
    return 0


def cmd_duplicates(lib: Library, args: argparse.Namespace) -> int:
    if args.duplicates_command == "dismiss":
        lib.duplicates.dismiss(_ids(lib, args.keys))
        print("no longer listed as duplicates")
        return 0
    groups = lib.duplicates.candidates()
    if args.json:
        print_json([{"keys": g.keys, "reason": g.reason} for g in groups])
        return 0
    for g in groups:
        print(f"{'  '.join(g.keys)}\n    {g.reason}")
    print(f"{plural(len(groups), 'candidate group')}", file=sys.stderr)
    return 0


def cmd_merge(lib: Library, args: argparse.Namespace) -> int:
    keep = lib.articles.resolve_key(args.keep)
    res = lib.duplicates.merge(keep, _ids(lib, args.others))
    print(f"merged {', '.join(res.merged_keys)} into {res.citekey}"
          + (f" (filled: {', '.join(res.filled)})" if res.filled else ""))
    return 0


def cmd_searches(lib: Library, args: argparse.Namespace) -> int:
    if args.searches_command == "save":
        before = lib.searches.find(args.name)
        saved = lib.searches.save(args.name, args.query)
        print(f"saved {saved.name!r}: {saved.query}")
        if before is not None and before.query != saved.query:
            print(f"note: it replaces the query saved under that name: {before.query}",
                  file=sys.stderr)
        articles_cmds.say_search_hints(saved.query)
    elif args.searches_command == "delete":
        print(f"deleted {lib.searches.delete(args.name).name!r}")
    elif args.json:
        print_json([{"name": s.name, "query": s.query} for s in lib.searches.all()])
    else:
        searches = lib.searches.all()
        for s in searches:
            print(f"{s.name:<24} {s.query}")
        if not searches:
            print("no saved searches yet; save one with: spinelib searches save NAME QUERY",
                  file=sys.stderr)
    return 0


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    """``list``: its words join ``--search``, and ``--saved NAME`` adds the saved search to
    the other filters."""
    args.search = " ".join([args.search, *getattr(args, "words", [])]).strip()
    if getattr(args, "saved", None):
        saved = lib.searches.get(args.saved)
        args.search = f"{saved.query} {args.search}".strip()
    return articles_cmds.cmd_list(lib, args)


def cmd_refresh(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.refresh import refresh

    results = refresh(lib, _ids(lib, args.keys), client=http_client(), apply=args.apply)
    failed = [r for r in results if r.status != "found"]
    for r in failed:
        print(f"{r.citekey}: {r.status.replace('_', ' ')} ({r.message})", file=sys.stderr)
    if args.json:
        print_json([{"key": r.citekey, "field": d.field, "stored": d.stored,
                     "source": d.source, "user_edited": d.user_edited,
                     **({"applied": d.field in r.applied} if args.apply else {})}
                    for r in results for d in r.diffs])
        return 1 if failed else 0
    for r in results:
        if r.status != "found":
            continue
        print(f"{r.citekey}: " + ("same as the source" if not r.diffs else
                                  f"{plural(len(r.diffs), 'difference')}"))
        for d in r.diffs:
            mark = "  (edited by you" + (": kept)" if args.apply else ")") if d.user_edited \
                else ""
            print(f"  {d.field}: {fit(d.stored or '(empty)', 60)!s}\n"
                  f"  {'':{len(d.field)}}  -> {fit(d.source or '(empty)', 60)}{mark}")
        if args.apply:
            print(f"  applied: {r.applied_text()}"
                  + (f"; kept yours: {', '.join(r.kept)}" if r.kept else ""))
    return 1 if failed else 0


def cmd_undo(lib: Library, args: argparse.Namespace) -> int:
    print(f"undid {lib.history.undo().name}")
    for message in lib.history.last_messages:
        print(f"warning: {message}", file=sys.stderr)
    return 0


def cmd_redo(lib: Library, args: argparse.Namespace) -> int:
    print(f"redid {lib.history.redo().name}")
    for message in lib.history.last_messages:
        print(f"warning: {message}", file=sys.stderr)
    return 0


def cmd_history(lib: Library, args: argparse.Namespace) -> int:
    if getattr(args, "key", None):
        from spinelib.cli.team_cmds import cmd_history as team_history

        return team_history(lib, args)
    ops = lib.history.operations()
    if args.json:
        print_json([{"name": o.name, "at": o.created_at, "undone": o.undone} for o in ops])
        return 0
    for o in ops:
        print(f"{local_time(o.created_at)}  {o.name}{'  (undone)' if o.undone else ''}")
    return 0

