"""Commands about attached files and full texts: attach, detach, pdf find/text/open/access/…

Exit status as everywhere (:mod:`spinelib.cli`): ``pdf find`` exits 0 when every article got
an answer (downloaded, full text, no open copy, already there) and 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from spinelib.cli.output import http_client, print_report
from spinelib.cli.parser import query_from
from spinelib.errors import SpineLibError
from spinelib.library import Library
from spinelib.library.annotations import FileAnnotations, copied_summary
from spinelib.text import plural


def settings() -> Any:
    from spinelib import paths
    from spinelib import settings as settings_mod

    return settings_mod.load(paths.settings_path())


def configure(lib: Library) -> None:
    """The user's base folder and text caps for this run."""
    lib.attachments.configure(settings())


def cmd_attach(lib: Library, args: argparse.Namespace) -> int:
    configure(lib)
    article_id = lib.articles.resolve_key(args.key)
    outcome = lib.attachments.attach(article_id, Path(args.file), link=args.link)
    a = outcome.attachment
    how = "linked" if a.linked else "copied to"
    notes = f" ({'; '.join(outcome.notes)})" if outcome.notes else ""
    pages = f", {plural(a.pages, 'page')}" if a.pages else ""
    print(f"{lib.articles.citekey(article_id)}: {how} {a.path}{pages}{notes}")
    return 0


def cmd_detach(lib: Library, args: argparse.Namespace) -> int:
    configure(lib)
    article_id = lib.articles.resolve_key(args.key)
    chosen, moved = lib.attachments.detach(article_id, args.name)
    if moved is not None:
        print(f"detached {chosen.name}; the file moved to {moved}")
    else:
        print(f"detached {chosen.name}" + (" (the linked file was left where it is)"
                                           if chosen.linked else " (the file was missing)"))
    return 0


def cmd_pdf(lib: Library, args: argparse.Namespace) -> int:
    configure(lib)
    return {"find": _find, "text": _text, "open": _open, "watch": _watch,
            "unidentified": _unidentified, "identify": _identify,
            "annotations": _annotations, "highlights": _annotations,
            "access": _access}[args.pdf_command](lib, args)


def chosen_ids(lib: Library, args: argparse.Namespace) -> list[int]:
    """The articles named (KEY...), else every one ``--all`` or the filters give, in the
    search's order (a reading list's own, as a journal club reads it); SpineLibError when
    none is asked for."""
    if args.keys:
        return [lib.articles.resolve_key(k) for k in args.keys]
    if args.all or args.search or args.tag or args.facet or args.reading_list:
        query = query_from(args)
        if query.reading_list is not None:
            query.sort = "list"
        return lib.search.ids(query)
    raise SpineLibError("name articles (KEY...) or use --all")


def _find(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.pdffind import PdfFinder

    ids = chosen_ids(lib, args)
    outcomes = PdfFinder(lib, http_client()).run(ids, ask_again=args.again)
    for o in outcomes:
        print(o.line(), file=sys.stdout if o.answered else sys.stderr)
    closed = sum(o.status == "no_open_copy" for o in outcomes)
    if closed:  # most spine papers: the reader's own library is the way to them
        stored = settings()
        how = ("opens one through your library" if stored.library_proxy or stored.link_resolver
               else "opens one through your library once its proxy is set (`spinelib "
               "settings library_proxy ADDRESS`)")
        print(f"{plural(closed, 'article')} without an open copy: `spinelib pdf access KEY` "
              + how)
    return 0 if all(o.answered for o in outcomes) else 1


def _text(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    parts = lib.attachments.text(article_id)
    if not parts:
        files = lib.attachments.of(article_id)
        why = next((a.text_status for a in files if a.text_status), "")
        raise SpineLibError(f"no full text stored for {lib.articles.citekey(article_id)}"
                            + (f" ({why})" if why else ""))
    for part in parts:
        if part.page is not None:
            print(f"--- page {part.page} ---")
        elif part.heading:
            print(f"## {part.heading}" if part.kind != "reference" else f"[{part.heading}]",
                  end="\n" if part.kind != "reference" else " ")
        print(part.body.strip())
        print()
    return 0


def _annotations(lib: Library, args: argparse.Namespace) -> int:
    """``pdf annotations KEY...|--all [--to-notes]``: each PDF's name and counts, then a
    line per highlight or comment (under each article's key when there are several);
    problems on stderr, exit 1 when a PDF could not be read."""
    ids = _annotated_ids(lib, args)
    read = {i: lib.annotations.of(i) for i in ids}
    _print_annotations(lib, read)
    problems = any(f.problem for files in read.values() for f in files)
    if not any(f.annotations for files in read.values() for f in files) and not problems:
        key = shlex.quote(lib.articles.citekey(ids[0])) if len(ids) == 1 else "KEY"
        print("highlights and comments are read from the PDF as your viewer saved it "
              f"(spinelib pdf open {key}; highlight, then save)", file=sys.stderr)
    if args.to_notes:
        added = lib.annotations.add_to_notes_many(ids, read)
        for done in added:
            if done.added or len(added) == 1:
                print(done.line(), file=sys.stderr)
        if len(added) > 1:
            print(copied_summary(added), file=sys.stderr)
    return 1 if problems else 0


def _annotated_ids(lib: Library, args: argparse.Namespace) -> list[int]:
    """The articles named, or with ``--all`` (or a filter) every one holding a PDF."""
    filtered = bool(args.search or args.tag or args.facet or args.reading_list)
    if args.keys:
        ids = [lib.articles.resolve_key(k) for k in args.keys]
        if len(ids) == 1 and not lib.annotations.with_pdfs(ids):
            key = lib.articles.citekey(ids[0])
            raise SpineLibError(f"{key} has no attached PDF (attach one: spinelib attach "
                                f"{shlex.quote(key)} FILE)")
        return ids
    if args.all or filtered:
        return lib.annotations.with_pdfs(lib.search.ids(query_from(args)) if filtered
                                         else None)
    raise SpineLibError("name articles (KEY...) or use --all")


def _print_annotations(lib: Library, read: dict[int, list[FileAnnotations]]) -> None:
    """A line per file and per annotation; several articles each under its key."""
    from spinelib.library.annotations import annotation_line

    indent = "  " if len(read) > 1 else ""
    for article_id, files in read.items():
        if indent:
            print(f"{lib.articles.citekey(article_id)}:")
        if not files:
            print(f"{indent}no attached PDF")
        for f in files:
            if f.problem:
                print(f.problem, file=sys.stderr)
                continue
            print(f"{indent}{f.attachment.name}: {f.summary()}")
            for a in f.annotations:
                print(f"{indent}  {annotation_line(a)}")


def open_in_viewer(path: Path) -> None:
    """Hand ``path`` to the desktop's viewer (xdg-open, open, or the Windows shell)."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    try:
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise SpineLibError(f"cannot start {opener} to open {path}: {exc.strerror}") from None


#: Browser tabs opened at once at most: more is a mistyped filter, or a list for --print.
MOST_TABS = 10


def _access(lib: Library, args: argparse.Namespace) -> int:
    """The articles' addresses through the user's library, printed; each article's first
    opened in the browser unless ``--print`` (at most :data:`MOST_TABS` at once). An
    article without one is named on stderr, with why, and the exit is 1."""
    import webbrowser

    from spinelib.libraryaccess import access_from, access_links, why_no_link
    from spinelib.records import ArticleRecord

    stored = settings()
    access = access_from(stored.library_proxy, stored.link_resolver)
    if not access.configured:  # said once, not once per article
        raise SpineLibError(why_no_link(ArticleRecord(), access))
    ids = chosen_ids(lib, args)
    records = lib.articles.records(ids, with_references=False, with_mesh=False)
    every = [(rec, access_links(rec, access)) for rec in records]
    found = [(rec, links) for rec, links in every if links]
    if len(found) > MOST_TABS and not args.print_only:
        raise SpineLibError(f"{len(found)} articles would open {len(found)} browser tabs; "
                            f"add --print to list their addresses, or name at most {MOST_TABS}")
    several = len(records) > 1
    for rec, links in found:
        for link in links:
            print(f"{rec.citekey}: {link.label}: {link.url}" if several
                  else f"{link.label}: {link.url}")
    for rec, links in every:
        if not links:
            print(f"{rec.citekey}: {why_no_link(rec, access)}", file=sys.stderr)
    if not args.print_only and found:
        if not all([webbrowser.open(links[0].url) for _rec, links in found]):
            raise SpineLibError("no web browser could be started here; open the addresses "
                                "above in one")
        print(f"opened in the browser: {plural(len(found), 'article')}" if several
              else f"opened in the browser: {found[0][1][0].label}")
    return 0 if len(found) == len(records) else 1


def _open(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    files = lib.attachments.of(article_id)
    if args.name:
        files = [a for a in files if args.name in (a.name, a.path.name)]
    if not files:
        raise SpineLibError(f"{lib.articles.citekey(article_id)} has no attached file"
                            + (f" named {args.name!r}" if args.name else ""))
    chosen = next((a for a in files if a.kind == "pdf"), files[0])
    if not chosen.path.is_file():
        raise SpineLibError(f"the file is missing: {chosen.path} (spinelib check lists all)")
    open_in_viewer(chosen.path)
    print(f"opened {chosen.path}")
    return 0


def _watch(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.pdfimport import scan_watched_folder

    folder = args.folder or settings().watched_folder
    if not folder:
        raise SpineLibError("no watched folder: set one in Preferences or give --folder")
    report = scan_watched_folder(lib, Path(folder).expanduser(), client=http_client())
    return print_report(report)


def _unidentified(lib: Library, args: argparse.Namespace) -> int:
    ids = lib.attachments.unidentified()
    rows = lib.search.rows(ids)
    for i in ids:
        print(f"{rows[i].citekey:<28} {rows[i].title}")
    print(plural(len(ids), "unidentified article"), file=sys.stderr)
    return 0


def _identify(lib: Library, args: argparse.Namespace) -> int:
    """``pdf identify KEY...|--all``: a line per kept article, then the summary; exit 1
    unless every one was identified."""
    from spinelib.pdfidentify import identify_pdfs, summary

    if args.keys:
        ids = [lib.articles.resolve_key(k) for k in args.keys]
        kept = set(lib.attachments.unidentified())
        for key, article_id in zip(args.keys, ids):
            if article_id not in kept:
                print(f"{key}: not kept from a PDF without an identifier; passed over",
                      file=sys.stderr)
    elif args.all:
        ids = lib.attachments.unidentified()
    else:
        raise SpineLibError("name articles (KEY...) or use --all (spinelib pdf unidentified "
                            "lists them)")
    client = http_client()
    try:
        outcomes = identify_pdfs(lib, ids, client)
    finally:
        client.close()
    for o in outcomes:
        print(o.line(), file=sys.stdout if o.status == "identified" else sys.stderr)
    print(summary(outcomes), file=sys.stderr)
    if any(o.status == "offline" for o in outcomes):
        print("the searches the network stopped are queued: spinelib pending --retry makes "
              "them", file=sys.stderr)
    return 0 if all(o.status == "identified" for o in outcomes) else 1


def attachments_json(lib: Library, article_id: int) -> dict[str, Any]:
    """The ``show --json`` keys of issue 14: attachments, fulltext, needs_identification."""
    kind = lib.attachments.fulltext_kind(article_id)
    return {
        "attachments": [{"path": str(a.path), "kind": a.kind, "sha256": a.sha256,
                         "size": a.size, "source": a.source, "version": a.version,
                         "license": a.license, "pages": a.pages}
                        for a in lib.attachments.of(article_id)],
        "fulltext": kind.value if kind else None,
        "needs_identification": lib.attachments.needs_identification(article_id),
    }


def check_files(lib: Library) -> int:
    """``check``'s file part: problems on stderr; 1 when a file is missing or changed."""
    configure(lib)
    problems = lib.attachments.check()
    for p in problems:
        owner = f" ({p.citekey})" if p.citekey else ""
        if p.kind == "saved":
            print(f"saved again by a PDF viewer (the same paper; highlights or comments "
                  f"added?): {p.path}{owner}; spinelib pdf annotations "
                  f"{shlex.quote(p.citekey)} lists them (remembered: the next check "
                  "passes it by)", file=sys.stderr)
            continue
        print(f"{p.kind} file: {p.path}{owner}", file=sys.stderr)
    return 1 if any(p.kind in ("missing", "changed") for p in problems) else 0


def backup_with_files(lib: Library, dest: Path | None) -> int:
    """``backup --with-files``: the zip at ``dest``, or in the backups folder when None."""
    from spinelib.paths import backup_dir, ensure_dir, stamped_backup_name

    target = dest if dest is not None else (
        ensure_dir(backup_dir(lib.path)) / stamped_backup_name(lib.path, "-with-files.zip"))
    configure(lib)
    n = lib.attachments.backup_with_files(target)
    print(f"backed up to {target} (the library and {plural(n, 'attached file')})")
    return 0
