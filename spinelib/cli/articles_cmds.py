"""Commands about articles: import, list, show, refs, export, rekey."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

from spinelib.cli.output import (
    UsageError,
    fit,
    http_client,
    note_typed_in,
    print_json,
    print_report,
    progress_line,
)
from spinelib.cli.parser import query_from
from spinelib.cli.safety_cmds import EVIDENCE_FORMATS, export_evidence, warn_flagged
from spinelib.errors import SpineLibError
from spinelib.formats import registry
from spinelib.library import Library, search_hints
from spinelib.pubstate import status_text
from spinelib.results_files import source_label
from spinelib.serialize import article_json, row_author
from spinelib.text import plural


def cmd_import(lib: Library, args: argparse.Namespace) -> int:
    from spinelib.cli.pdf_cmds import configure
    from spinelib.importlists import list_names
    from spinelib.pdfimport import run_import  # the usual pipeline, and PDFs (issue 14)

    configure(lib)

    with tempfile.TemporaryDirectory(prefix="spinelib-stdin-") as folder:
        items = [*args.items]
        if "-" in items:
            if sys.stdin.isatty():  # nothing piped: say what is awaited, not hang mute
                print("reading references or identifiers from the keyboard; end with "
                      "Ctrl+D (Ctrl+Z, Enter on Windows)", file=sys.stderr)
            at = items.index("-")
            items[at:at + 1] = stdin_inputs(sys.stdin.read(), Path(folder))
        if args.dry_run:
            for tag in args.tag:  # refused as the import refuses them
                lib.tags.resolve(tag)
            list_names(lib, args.lists)
            return print_check(lib, items, given=args.items)
        with progress_line() as progress:
            report = run_import(lib, items, client=http_client(), tags=args.tag,
                                with_references=not args.no_refs, progress=progress,
                                lists=args.lists)
    return print_report(report)


def print_check(lib: Library, items: list[str], *, given: list[str]) -> int:
    """``import --dry-run``: a line per input, then what the import would bring; 1 when
    nothing in it could be imported."""
    from spinelib.importcheck import check_import

    check = check_import(lib, items)
    stdin = "-" in given
    for checked in check.inputs:
        # What came from standard input is named so, not by its temporary file.
        name = "standard input" if stdin and checked.given not in given else None
        print(checked.describe(name))
    print(f"dry run, nothing imported: {check.summary()}")
    note_typed_in(c.what for c in check.inputs if not c.importable)
    return 0 if any(c.importable for c in check.inputs) else 1


def stdin_inputs(text: str, folder: Path) -> list[str]:
    """What ``spinelib import -`` imports from its standard input: BibTeX, RIS, MEDLINE or
    CSL JSON text kept as a file in ``folder`` (:mod:`spinelib.pasted`), else the
    identifiers found in the text; UsageError when there is neither."""
    from spinelib.identifierfiles import identifiers_in_text
    from spinelib.pasted import keep, outside, recognise

    pasted = recognise(text)
    found = [f.text for f in identifiers_in_text(outside(text, pasted) if pasted else text)
             if f.identifier is not None]  # around a file's records: identifiers
    if pasted is not None:
        return [*found, str(keep(text, pasted, folder, stem="stdin"))]
    if not found:
        raise UsageError("standard input holds no BibTeX, RIS, MEDLINE or CSL JSON "
                         "references, and no DOI, PMID or PMCID")
    return found


def cmd_list(lib: Library, args: argparse.Namespace) -> int:
    ids = lib.search.ids(query_from(args))
    rows = lib.search.rows(ids)
    places = lib.attachments.places(ids, args.search) if args.search.strip() else {}
    say_search_hints(args.search)
    if args.sort == "relevance" and not lib.search.free_text(args.search):
        print("note: --sort relevance ranks the words searched for; with none, the newest "
              "added come first", file=sys.stderr)
    if args.json:
        print_json([{"id": i, "citekey": r.citekey, "doi": r.doi, "pmid": r.pmid,
                      "pmcid": r.pmcid, "title": r.title, "year": r.year,
                      "pubstate": r.pubstate or None, "journal": r.journal,
                      "first_author": row_author(r), "tags": r.tags,
                      "read_status": r.read_status.label, "citations": r.citations,
                      **({"match": places[i].places} if i in places else {})}
                     for i in ids if (r := rows[i])])
        return 0
    for i in ids:
        r = rows[i]
        flag = " [RETRACTED]" if r.retracted else ""
        # A qualifier-only search (year:2015..2020) matches no place: print none, not "[]".
        where = f"  [{', '.join(places[i].places)}]" if i in places and places[i].places else ""
        cited = (f"  [cited by {r.citations if r.citations is not None else '?'}]"
                 if args.sort == "citations" else "")
        # A paper in press has no year yet: "----" alone reads as a date nobody recorded.
        state = f"  [{status_text(r.pubstate)}]" if r.pubstate and not r.year else ""
        print(f"{r.citekey:<28} {fit(row_author(r), 24):<24} {r.year or '----'}  "
              f"{fit(r.title, 90)}{state}{flag}{where}{cited}")
    print(plural(len(ids)), file=sys.stderr)
    if not ids and args.search.strip():
        better = lib.search.suggestion(args.search)
        if better:  # a mistyped word, the library's nearest, or an abbreviation spelled out
            print(f"did you mean: spinelib list --search {shlex.quote(better.search)}",
                  file=sys.stderr)
    return 0


def say_search_hints(search: str) -> None:
    """A qualified term whose value could not be read was searched as text: say so, on
    stderr (``list``, and ``searches save``)."""
    for hint in search_hints(search):
        print(f"note: {hint}", file=sys.stderr)


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    from spinelib.cli.pdf_cmds import attachments_json, configure

    configure(lib)
    data = {**article_json(lib, article_id), **attachments_json(lib, article_id)}
    if args.json:
        print_json(data)
        return 0
    from spinelib.formats.citation import format_citation

    cited = lib.articles.records_to_cite([article_id])
    print("\n".join(show_lines(data, format_citation(cited[0], "vancouver"))))
    return 0


#: Citation-count sources as ``show`` names them.
COUNT_SOURCES = {"crossref": "Crossref", "europepmc": "Europe PMC"}


def _tag_name(tag_id: str, label: str) -> str:
    """A tag as a reader knows it, with its shorter id where that is more than the label
    in other letters: "Decompression and tumour resection [decompression_resection]" but
    "Separation surgery" (the commands take either)."""
    def folded(name: str) -> str:
        return "_".join(name.casefold().replace("_", " ").split())

    return label if folded(label) == folded(tag_id) else f"{label} [{tag_id}]"


def _reading(data: dict[str, Any]) -> str:
    """"read, 4 of 5 stars": how far the user got and their stars ('' for an article
    neither begun nor rated)."""
    parts = [data["read_status"]] if data["read_status"] != "unread" or data["rating"] else []
    if data["rating"]:
        parts.append(f"{data['rating']} of 5 stars")
    return ", ".join(parts)


def show_lines(data: dict[str, Any], citation: str) -> list[str]:
    """``show``'s text: warnings, the citation, identifiers, then each section that has
    something to say (from the ``show --json`` object, so both views agree)."""
    lines: list[str] = []
    notice = data.get("retraction")
    if notice and notice["nature"] != "Retraction":
        lines.append(f"*** {notice['nature'].upper()} ***")
    elif data["retracted"]:
        lines.append("*** RETRACTED ***")
    elif data["has_erratum"]:
        lines.append("*** An erratum has been published for this article ***")
    ids = [f"{k.upper()} {data[k]}" for k in ("doi", "pmid", "pmcid") if data[k]] or (
        [f"URL {data['url']}"] if data["url"] else [])  # a guideline's page, without them
    lines += [citation, "", "    ".join([f"Key: {data['citekey']}", *ids])]
    if data["abstract"]:
        lines += ["", data["abstract"]]
    sections = (
        ("\nMeSH: ", "; ".join(("*" if m["major"] else "") + m["name"] for m in data["mesh"])),
        ("Keywords: ", "; ".join(data["keywords"])),
        ("Tags: ", "; ".join(_tag_name(t, data["tag_labels"].get(t, t))
                             for t in data["tags"])),
        ("Suggested tags: ", "; ".join(f"{_tag_name(s['id'], s['label'])} ({s['reason']})"
                                       for s in data["suggested_tags"])),
        ("Reading: ", _reading(data)),
        ("Reading lists: ", "; ".join(data["lists"])),
        ("\nNotes:\n", data["notes"]),
        ("Citation counts: ", "; ".join(
            f"{c['count']} ({COUNT_SOURCES.get(c['source'], c['source'])}, {c['date'][:10]})"
            for c in data.get("citation_counts", []))),
    )
    lines += [head + body for head, body in sections if body]
    refs = data["references"]
    if refs:
        n_in = sum(r["in_library"] for r in refs)
        lines.append(f"\nReferences: {len(refs)} ({n_in} in library) — "
                     f"spinelib refs {data['citekey']}")
    if data["cited_by"]:
        lines.append("Cited by (in library): " + ", ".join(data["cited_by"]))
    if data.get("cites_retracted"):
        lines.append("Cites flagged papers: " + ", ".join(
            f"ref {c['position']} ({c['nature'].lower()})" for c in data["cites_retracted"]))
    for a in data["attachments"]:
        pages = f", {plural(a['pages'], 'page')}" if a["pages"] else ""
        lines.append(f"File: {a['path']} ({a['kind']}{pages}, {source_label(a['source'])})")
    if data["needs_identification"]:
        key = shlex.quote(data["citekey"])
        lines.append("Needs identification: no DOI or PMID was found in its PDF (spinelib "
                     f"pdf identify {key} looks for it by its first page, in the library, "
                     "then in Crossref and PubMed; or give it "
                     f"one: spinelib edit {key} --set doi=10.…; then spinelib refresh {key} "
                     "fills in the record)")
    return lines


def cmd_refs(lib: Library, args: argparse.Namespace) -> int:
    if (args.read or args.from_fulltext) and len(args.keys) > 1:
        raise SpineLibError("--read and --from-fulltext set one article's reference list: "
                            "give one KEY")
    if len(args.keys) > 1 or args.shared > 1:
        from spinelib.cli.shared_cmds import cmd_shared_refs

        return cmd_shared_refs(lib, args)
    args.key = args.keys[0]
    article_id = lib.articles.resolve_key(args.key)
    if args.find_dois:
        return _find_dois(lib, article_id, args.key)
    if args.read or args.from_fulltext:
        from spinelib.cli.reflist_cmds import cmd_set_references

        return cmd_set_references(lib, article_id, args)
    if args.import_positions or args.all:
        from spinelib.cli.chase import import_chosen
        from spinelib.importer import reference_identifiers
        from spinelib.importlists import list_names

        lists = list_names(lib, args.lists)  # before any work
        idents, problems = reference_identifiers(
            lib, article_id, None if args.all else args.import_positions)
        return import_chosen(lib, idents, problems, lists=lists, no_refs=args.no_refs)
    refs = lib.articles.references(article_id)
    if args.json:
        print_json([{"position": r.position, "citation": r.citation, "doi": r.doi,
                     "pmid": r.pmid, "in_library": r.in_library} for r in refs])
        return 0
    if not refs:
        key = shlex.quote(args.key)
        print("no reference list stored for this article; set it from the paper's text: "
              f"spinelib refs {key} --read FILE (the list copied from the paper), or "
              f"spinelib refs {key} --from-fulltext (its attached PDF's)")
        return 0
    for r in refs:
        mark = "●" if r.in_library else " "
        ident = f"  [PMID {r.pmid}]" if r.pmid else f"  [doi:{r.doi}]" if r.doi else ""
        print(f"{mark} {r.position:>3}. {r.citation}{ident}")
    # What the marks mean and what to do next, as the GUI's Refs tab says under its list.
    held = sum(1 for r in refs if r.in_library)
    print(f"\n{plural(len(refs), 'reference')}, {held} in your library (marked ●); "
          f"import with: spinelib refs {shlex.quote(args.key)} --import N [N ...] (or --all)")
    without = sum(1 for r in refs if not r.has_identifier)
    if without:
        print(f"{plural(without, 'reference')} without an identifier cannot be imported; "
              f"find their DOIs or PMIDs with: spinelib refs {shlex.quote(args.key)} "
              "--find-dois")
    return 0


def _find_dois(lib: Library, article_id: int, key: str) -> int:
    """``refs KEY --find-dois``: each DOI or PMID found, in reference order, then what was
    found of what was sought; exit 1 when the search stopped early."""
    from spinelib.citeddois import find_cited_dois

    client = http_client()
    try:
        result = find_cited_dois(lib, article_id, client)
    finally:
        client.close()
    found = [(p, c, f"doi:{doi}") for p, c, doi in result.found]
    found += [(p, c, f"pmid:{pmid}") for p, c, pmid in result.found_pmids]
    for position, citation, ident in sorted(found):
        print(f"{position:>4}. {fit(citation, 70)}  [{ident}]")
    print(result.summary())
    if found:
        print(f"import them with: spinelib refs {shlex.quote(key)} --import N [N ...] "
              "(or --all)")
    return 1 if result.error else 0


def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    from spinelib import formats
    from spinelib.cli.manuscript_cmds import check_output_name, choose_format, styled_export

    choose_format(args)
    check_output_name(args)
    if args.format == "bibliography" or args.keep_updated or args.style:
        return styled_export(lib, args)

    ids = _export_ids(lib, args)
    if not ids:
        print("nothing to export: no article matches", file=sys.stderr)
        return 1
    if args.format in EVIDENCE_FORMATS:
        return export_evidence(lib, ids, args)
    warn_flagged(lib, ids)
    records = lib.exports.records(ids, args.format)
    chosen = next(f for f in registry.EXPORT_FORMATS if f.name == args.format)
    if args.files:
        _name_files(lib, ids, records, args.format)
    if args.html and not chosen.html_variant:  # said, not silently dropped
        with_html = [f.name for f in registry.EXPORT_FORMATS if f.html_variant]
        print(f"warning: --html is for {', '.join(with_html)} and bibliography; "
              f"{args.format} is written as usual", file=sys.stderr)
    fmt = chosen.html_variant if args.html and chosen.html_variant else chosen.name
    for problem in formats.export_problems(records, args.format):
        print(f"warning: {problem}", file=sys.stderr)
    output = lib.exports.render(records, args.format, html=args.html,
                                abstracts=args.abstracts, title=args.reading_list or "")
    if args.lists:
        output += _list_groups(lib, ids, records, fmt)
    if args.output:
        formats.write_atomic(Path(args.output), output)
        print(f"wrote {plural(len(records), 'entry', 'entries')} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def _export_ids(lib: Library, args: argparse.Namespace) -> list[int]:
    """The articles ``export`` writes: the KEYs given (within any filter), else every
    article the filters keep, a reading list in its order, the rest by first author."""
    if args.keys:
        ids = [lib.articles.resolve_key(k) for k in args.keys]
        if args.search or args.tag or args.facet or args.reading_list:
            allowed = set(lib.search.ids(query_from(args)))
            ids = [i for i in ids if i in allowed]
        return ids
    q = query_from(args)
    if q.reading_list is not None:
        q.sort = "list"
    else:
        q.sort, q.descending = "first_author", False
    return lib.search.ids(q)


def _list_groups(lib: Library, ids: list[int], records: list[Any], fmt: str) -> str:
    """``export --lists``: the reading lists as JabRef groups, for a .bib (another format
    is said, not silently passed over)."""
    if fmt not in registry.GROUP_FORMATS:
        print(f"warning: --lists is for {', '.join(registry.GROUP_FORMATS)}; {fmt} holds no "
              "groups", file=sys.stderr)
        return ""
    return lib.exports.list_groups(ids, records)


def _name_files(lib: Library, ids: list[int], records: list[Any], fmt: str) -> None:
    """``export --files``: the records name their attached files (a format that cannot is
    said, not silently passed over)."""
    if fmt not in registry.FILE_FORMATS:
        print(f"warning: --files is for {', '.join(registry.FILE_FORMATS)}; {fmt} names no "
              "files", file=sys.stderr)
    lib.attachments.name_files(ids, records)


def cmd_rekey(lib: Library, args: argparse.Namespace) -> int:
    article_id = lib.articles.resolve_key(args.key)
    old = lib.articles.citekey(article_id)
    new = lib.articles.rekey(article_id, args.new)
    kept = " (the old key still finds it; spinelib undo reverts)" if new != old else ""
    print(f"{old} -> {new}{kept}")
    return 0
