"""What the listings that import by number share (``refs``, ``citing`` and their forms for
several articles): a cited work's identifier as the listing prints it, and the import of
the chosen ones, reported as ``spinelib import`` reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spinelib.cli.output import http_client, print_report
from spinelib.import_results import ImportItem

if TYPE_CHECKING:
    from spinelib.identifiers import Identifier
    from spinelib.library import Library
    from spinelib.sources.http import HttpClient


def identifier_tag(pmid: str, doi: str, pmcid: str) -> str:
    """"  [PMID 123]", "  [doi:10.…]" or "  [PMC123]": the first a work carries ('' for
    none)."""
    return (f"  [PMID {pmid}]" if pmid else f"  [doi:{doi}]" if doi
            else f"  [{pmcid}]" if pmcid else "")


def import_chosen(lib: Library, idents: Sequence[Identifier], problems: Sequence[ImportItem],
                  *, lists: Sequence[str], no_refs: bool, client: HttpClient | None = None,
                  nothing_new: str = "") -> int:
    """Fetch ``idents`` (with the listing's ``problems`` as failed items) into the
    reading lists ``lists``; print the report and return the exit status. A ``client``
    given stays open; one made here is closed. ``nothing_new`` is said when there was
    nothing to fetch and nothing failed."""
    from spinelib.importer import ImportReport, import_identifiers, note_look_alikes
    from spinelib.importlists import add_imported

    report = ImportReport(items=list(problems))
    if idents:
        used: HttpClient = client if client is not None else http_client()
        try:
            report.items.extend(import_identifiers(
                lib, idents, client=used, with_references=not no_refs, lists=lists))
        finally:
            if client is None:  # made here
                used.close()
    elif not problems and nothing_new:
        print(nothing_new)
    add_imported(lib, report.items, lists, report)
    note_look_alikes(lib, report)
    return print_report(report)
