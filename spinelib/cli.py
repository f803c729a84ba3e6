"""The ``spinelib`` command line (DESIGN §3): a thin argparse front end over the Library.

Exit status: 0 all done; 1 some items failed (each named on stderr with its reason, the rest
done) or the library could not be used; 2 usage error. ``--json`` shapes are documented in
the README and are stable.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from spinelib import __version__, paths
from spinelib.errors import SpineLibError
from spinelib.library import Library, Query
from spinelib.logsetup import setup_logging
from spinelib.models import READ_STATUS_NAMES

log = logging.getLogger("spinelib")

FACETS = ("histology", "region", "design", "score")
EXPORT_FORMATS = ("bibtex", "biblatex", "ris", "csljson", "vancouver", "ama")


class UsageError(SpineLibError):
    """A command used wrongly: exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="spinelib", description=(
        "Offline-first reference manager for spine-oncology literature. "
        "With no command, opens the desktop app."))
    p.add_argument("--version", action="version", version=f"spinelib {__version__}")
    p.add_argument("--library", metavar="PATH",
                   help="library file to use (default: $SPINELIB_LIBRARY, else the data dir)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (importing any FILE given)")
    gui.add_argument("files", nargs="*", metavar="FILE",
                     help=".bib, .ris, .nbib, .xml or .json files to import")

    imp = sub.add_parser("import", help="import DOIs, PMIDs, PMCIDs, URLs or files")
    imp.add_argument("items", nargs="+", metavar="ID_OR_FILE")
    imp.add_argument("--tag", action="append", default=[], metavar="TAG")
    imp.add_argument("--no-refs", action="store_true", help="skip reference lists")

    ls = sub.add_parser("list", help="list articles")
    _add_filters(ls)
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--sort", choices=("added", "first_author", "year", "title", "journal"),
                    default="added")

    show = sub.add_parser("show", help="show one article")
    show.add_argument("key", metavar="KEY")
    show.add_argument("--json", action="store_true")

    tag = sub.add_parser("tag", help="tags: add, remove, list, suggest, accept, reject …")
    tsub = tag.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    for name in ("add", "remove"):
        t = tsub.add_parser(name, help=f"{name} tags on an article")
        t.add_argument("key", metavar="KEY")
        t.add_argument("tags", nargs="+", metavar="TAG")
    tl = tsub.add_parser("list", help="all tags as a tree with article counts")
    tl.add_argument("--json", action="store_true")
    ts = tsub.add_parser("suggest", help="suggested tags of an article, with reasons")
    ts.add_argument("key", metavar="KEY")
    for name in ("accept", "reject"):
        t = tsub.add_parser(name, help=f"{name} a suggested tag")
        t.add_argument("key", metavar="KEY")
        t.add_argument("tags", nargs="+", metavar="TAG")
    tc = tsub.add_parser("create", help="create a tag of your own")
    tc.add_argument("name")
    tc.add_argument("--parent", metavar="TAG")
    tr = tsub.add_parser("rename", help="rename a tag of your own")
    tr.add_argument("old")
    tr.add_argument("new")
    tm = tsub.add_parser("merge", help="merge SOURCE into TARGET (assignments move)")
    tm.add_argument("source")
    tm.add_argument("target")

    refs = sub.add_parser("refs", help="an article's reference list; import from it")
    refs.add_argument("key", metavar="KEY")
    refs.add_argument("--json", action="store_true")
    grp = refs.add_mutually_exclusive_group()
    grp.add_argument("--import", dest="import_positions", nargs="+", type=int, metavar="N")
    grp.add_argument("--all", action="store_true", help="import every reference")
    refs.add_argument("--no-refs", action="store_true",
                      help="do not fetch the imported references' own reference lists")

    lists = sub.add_parser("lists", help="reading lists")
    lsub = lists.add_subparsers(dest="lists_command", metavar="ACTION")
    lc = lsub.add_parser("create")
    lc.add_argument("name")
    for name in ("add", "remove"):
        la = lsub.add_parser(name)
        la.add_argument("name")
        la.add_argument("keys", nargs="+", metavar="KEY")
    lshow = lsub.add_parser("show")
    lshow.add_argument("name")
    lshow.add_argument("--json", action="store_true")
    lr = lsub.add_parser("rename")
    lr.add_argument("old")
    lr.add_argument("new")
    ld = lsub.add_parser("delete")
    ld.add_argument("name")

    exp = sub.add_parser("export", help="export articles")
    _add_filters(exp)
    exp.add_argument("keys", nargs="*", metavar="KEY")
    exp.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    exp.add_argument("-o", "--output", metavar="FILE")
    exp.add_argument("--abstracts", action="store_true", help="include abstracts (BibTeX/RIS)")
    exp.add_argument("--html", action="store_true", help="Vancouver/AMA as HTML")

    pend = sub.add_parser("pending", help="identifiers queued while offline")
    pend.add_argument("--retry", action="store_true")

    rk = sub.add_parser("rekey", help="give an article a new citation key")
    rk.add_argument("key", metavar="KEY")
    rk.add_argument("new", nargs="?", help="the new key (default: generate one)")

    bk = sub.add_parser("backup", help="write a consistent copy of the library")
    bk.add_argument("dest", nargs="?", help="file to write (default: the backups folder)")
    rs = sub.add_parser("restore", help="replace the library with a backup")
    rs.add_argument("file")
    rs.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    sub.add_parser("check", help="check the library's integrity and schema version")
    return p


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", default="", metavar="Q")
    p.add_argument("--tag", action="append", default=[], metavar="TAG")
    p.add_argument("--facet", action="append", default=[], metavar="NAME=VALUE",
                   help=f"clinical facet, NAME one of {', '.join(FACETS)}")
    p.add_argument("--list", dest="reading_list", metavar="NAME")


def _query(args: argparse.Namespace) -> Query:
    facets: list[tuple[str, str]] = []
    for item in args.facet:
        name, sep, value = item.partition("=")
        if not sep or name not in FACETS or not value:
            raise UsageError(f"--facet takes NAME=VALUE with NAME one of {', '.join(FACETS)}; "
                             f"got {item!r}")
        facets.append((name, value))
    return Query(search=args.search, tags=args.tag, facets=facets,
                 reading_list=args.reading_list, sort=getattr(args, "sort", "added"),
                 descending=getattr(args, "sort", "added") in ("added", "year"))


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _http_client() -> Any:
    from spinelib import settings as settings_mod
    from spinelib.sources.http import HttpClient

    return HttpClient(settings_mod.load(paths.settings_path()))


# --------------------------------------------------------------------------- commands
def cmd_import(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.importer import run_import

    def progress(done: int, total: int, what: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{what}: {done}/{total}", end="", file=sys.stderr, flush=True)

    report = run_import(lib, args.items, client=_http_client(), tags=args.tag,
                        with_references=not args.no_refs, progress=progress)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    return _print_report(report)


def _print_report(report: Any) -> int:
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for item in report.items:
        print(item.line(), file=sys.stdout if item.ok else sys.stderr)
    print(report.summary())
    return 0 if report.all_ok else 1


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    ids = lib.ids(_query(args))
    rows = lib.rows(ids)
    if args.json:
        _print_json([{"id": i, "citekey": r.citekey, "doi": r.doi, "pmid": r.pmid,
                      "pmcid": r.pmcid, "title": r.title, "year": r.year, "journal": r.journal,
                      "first_author": r.first_author, "tags": r.tags,
                      "read_status": READ_STATUS_NAMES.get(r.read_status, "unread")}
                     for i in ids if (r := rows[i])])
        return 0
    for i in ids:
        r = rows[i]
        flag = " [RETRACTED]" if r.retracted else ""
        print(f"{r.citekey:<28} {r.first_author[:24]:<24} {r.year or '----'}  "
              f"{r.title[:90]}{flag}")
    if not args.json:
        print(f"{len(ids)} article{'s' if len(ids) != 1 else ''}", file=sys.stderr)
    return 0


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.resolve_key(args.key)
    data = lib.to_json(article_id)
    if args.json:
        _print_json(data)
        return 0
    from spinelib.formats.citation import format_citation

    rec = lib.record(article_id)
    if data["retracted"]:
        print("*** RETRACTED ***")
    elif data["has_erratum"]:
        print("*** An erratum has been published for this article ***")
    print(format_citation(rec, "vancouver"))
    print()
    ids = [f"{k.upper()} {data[k]}" for k in ("doi", "pmid", "pmcid") if data[k]]
    print(f"Key: {data['citekey']}    " + "    ".join(ids))
    if data["abstract"]:
        print()
        print(data["abstract"])
    if data["mesh"]:
        print("\nMeSH: " + "; ".join(("*" if m["major"] else "") + m["name"]
                                      for m in data["mesh"]))
    if data["keywords"]:
        print("Keywords: " + "; ".join(data["keywords"]))
    if data["tags"]:
        print("Tags: " + ", ".join(data["tags"]))
    if data["suggested_tags"]:
        print("Suggested tags: " + "; ".join(f"{s['id']} ({s['reason']})"
                                             for s in data["suggested_tags"]))
    if data["notes"]:
        print(f"\nNotes:\n{data['notes']}")
    refs = data["references"]
    if refs:
        n_in = sum(r["in_library"] for r in refs)
        print(f"\nReferences: {len(refs)} ({n_in} in library) — spinelib refs {data['citekey']}")
    if data["cited_by"]:
        print("Cited by (in library): " + ", ".join(data["cited_by"]))
    return 0


def cmd_tag(lib: Library, args: argparse.Namespace) -> int:
    action = args.tag_command
    if action == "list":
        counts = lib.tag_counts()
        if args.json:
            _print_json(counts)
            return 0
        children: dict[str | None, list[dict[str, Any]]] = {}
        for t in counts:
            children.setdefault(t["parent"], []).append(t)

        def walk(parent: str | None, depth: int) -> None:
            for t in children.get(parent, []):
                mark = "" if t["origin"] == "vocabulary" else "  (yours)"
                print(f"{'  ' * depth}{t['label']} [{t['id']}] {t['count']}{mark}")
                walk(t["id"], depth + 1)
        walk(None, 0)
        return 0
    if action == "create":
        print(f"created tag {lib.create_tag(args.name, args.parent)!r}")
        return 0
    if action == "rename":
        print(f"renamed to {lib.rename_tag(args.old, args.new)!r}")
        return 0
    if action == "merge":
        n = lib.merge_tags(args.source, args.target)
        print(f"merged {args.source!r} into {args.target!r} ({n} articles)")
        return 0
    article_id = lib.resolve_key(args.key)
    if action == "add":
        print("added: " + ", ".join(lib.add_tags([article_id], args.tags)))
    elif action == "remove":
        print("removed: " + ", ".join(lib.remove_tags([article_id], args.tags)))
    elif action == "suggest":
        state = lib.tag_state(article_id)
        if not state["suggested"]:
            print("no open suggestions")
        for s in state["suggested"]:
            print(f"{s['id']}\t{s['label']}\t{s['reason']}")
    elif action in ("accept", "reject"):
        judge = lib.accept_suggestion if action == "accept" else lib.reject_suggestion
        for t in args.tags:
            print(f"{action}ed: {judge(article_id, t)}")
    return 0


def cmd_refs(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.resolve_key(args.key)
    if args.import_positions or args.all:
        from spinelib.importer import ImportReport, import_identifiers, reference_identifiers

        idents, problems = reference_identifiers(
            lib, article_id, None if args.all else args.import_positions)
        report = ImportReport(items=list(problems))
        if idents:
            report.items.extend(import_identifiers(
                lib, idents, client=_http_client(), with_references=not args.no_refs))
        return _print_report(report)
    refs = lib.references(article_id)
    if args.json:
        _print_json([{k: r[k] for k in ("position", "citation", "doi", "pmid", "in_library")}
                     for r in refs])
        return 0
    if not refs:
        print("no reference list stored for this article")
    for r in refs:
        mark = "●" if r["in_library"] else " "
        ident = (f"  [PMID {r['pmid']}]" if r["pmid"]
                 else f"  [doi:{r['doi']}]" if r["doi"] else "")
        print(f"{mark} {r['position']:>3}. {r['citation']}{ident}")
    return 0


def cmd_lists(lib: Library, args: argparse.Namespace) -> int:
    action = args.lists_command
    if action is None:
        for entry in lib.reading_lists():
            print(f"{entry['name']}\t{entry['count']}")
        return 0
    if action == "create":
        lib.create_list(args.name)
        print(f"created reading list {args.name!r}")
    elif action in ("add", "remove"):
        ids = [lib.resolve_key(k) for k in args.keys]
        if action == "add":
            print(f"added {lib.list_add(args.name, ids)} to {args.name!r}")
        else:
            print(f"removed {lib.list_remove(args.name, ids)} from {args.name!r}")
    elif action == "show":
        ids = lib.list_items(args.name)
        rows = lib.rows(ids)
        if args.json:
            _print_json([{"position": n, "id": i, "citekey": rows[i].citekey,
                          "title": rows[i].title, "year": rows[i].year} for n, i in
                         enumerate(ids, 1)])
        else:
            for n, i in enumerate(ids, 1):
                print(f"{n:>3}. {rows[i].citekey:<28} {rows[i].title[:90]}")
    elif action == "rename":
        lib.rename_list(args.old, args.new)
        print(f"renamed {args.old!r} to {args.new!r}")
    elif action == "delete":
        lib.delete_list(args.name)
        print(f"deleted reading list {args.name!r}")
    return 0


def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    from spinelib import formats

    if args.keys:
        ids = [lib.resolve_key(k) for k in args.keys]
        if args.search or args.tag or args.facet or args.reading_list:
            allowed = set(lib.ids(_query(args)))
            ids = [i for i in ids if i in allowed]
    else:
        q = _query(args)
        if q.reading_list is not None:
            q.sort = "list"
        else:
            q.sort, q.descending = "first_author", False
        ids = lib.ids(q)
    if not ids:
        print("nothing to export: no article matches", file=sys.stderr)
        return 1
    records = lib.records(ids, with_references=False)
    fmt = args.format + ("-html" if args.html and args.format in ("vancouver", "ama") else "")
    for problem in formats.export_problems(records, args.format):
        print(f"warning: {problem}", file=sys.stderr)
    output = formats.WRITERS[fmt](records, abstracts=args.abstracts)
    if args.output:
        formats.write_atomic(Path(args.output), output)
        print(f"wrote {len(records)} entries to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def cmd_pending(lib: Library, args: argparse.Namespace) -> int:
    if args.retry:
        from spinelib.importer import retry_pending

        if not lib.pending():
            print("nothing pending")
            return 0
        return _print_report(retry_pending(lib, _http_client()))
    entries = lib.pending()
    if not entries:
        print("nothing pending")
    for e in entries:
        print(f"{e['identifier']}\tqueued {e['queued_at']}\t{e['attempts']}×\t{e['reason']}")
    return 0


def cmd_backup(lib: Library, args: argparse.Namespace) -> int:
    dest = lib.backup(Path(args.dest) if args.dest else None)
    print(f"backed up to {dest}")
    return 0


def cmd_check(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.db import SCHEMA_VERSION

    problems = lib.check()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {lib.path} (schema {SCHEMA_VERSION}, {lib.count()} articles)")
    return 0


def cmd_rekey(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.resolve_key(args.key)
    old = lib.citekey(article_id)
    print(f"{old} -> {lib.rekey(article_id, args.new)}")
    return 0


def cmd_restore(path: Path, args: argparse.Namespace) -> int:
    from spinelib.db import restore

    source = Path(args.file)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("restore replaces the library; confirm with --yes")
        answer = input(f"Replace {path} with {source}? The current library is backed up "
                       "first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not restored")
            return 1
    saved = restore(path, source)
    kept = f" (the previous library was saved as {saved})" if saved else ""
    print(f"restored {path} from {source}{kept}")
    return 0


COMMANDS = {"import": cmd_import, "list": cmd_list, "show": cmd_show, "tag": cmd_tag,
            "refs": cmd_refs, "lists": cmd_lists, "export": cmd_export,
            "pending": cmd_pending, "backup": cmd_backup, "check": cmd_check,
            "rekey": cmd_rekey}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    log_file = setup_logging()
    command = args.command or "gui"
    try:
        library_path = paths.library_path(args.library)
        if command == "gui":
            from spinelib.gui.app import run_gui

            return run_gui(library_path, getattr(args, "files", []))
        if command == "restore":
            return cmd_restore(library_path, args)
        with Library.open(library_path, daily_backup=True) as lib:
            return COMMANDS[command](lib, args)
    except UsageError as exc:
        print(f"spinelib: {exc}", file=sys.stderr)
        return 2
    except SpineLibError as exc:
        print(f"spinelib: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        log.exception("database error in %s", command)
        detail = str(getattr(exc, "orig", exc))
        if "locked" in detail or "busy" in detail:
            print("spinelib: the library is busy in another SpineLib window or command; "
                  "try again in a moment", file=sys.stderr)
        elif type(getattr(exc, "orig", None)) is sqlite3.DatabaseError:
            # SQLITE_CORRUPT / SQLITE_NOTADB found mid-command (the damage was in pages the
            # open-time probe did not touch): the same message as at open, with the backup.
            from spinelib import db

            print(f"spinelib: {db.damaged(paths.library_path(args.library), exc)}",
                  file=sys.stderr)
        else:
            print(f"spinelib: the library could not be read or written ({detail})",
                  file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("spinelib: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: full traceback to the log, one line to the user
        log.exception("unexpected error in %s", command)
        where = f" (details in {log_file})" if log_file else ""
        print(f"spinelib: internal error: {exc!r}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
