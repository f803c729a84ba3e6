"""Reading lists an import puts its articles in (``spinelib import --list NAME``, the import
dialog's "Add to list"): a resident importing the references of a key paper straight into
the reading list being built.

Promises: the lists are named before any work (an unknown name stops the import, as an
unknown tag does, naming the lists there are); every article the import brought or found
already held (imported, updated, unchanged) joins them once, in the order of the report,
after the articles are stored, as one undoable step per list; an identifier queued while
offline remembers the lists (``pending_import.lists``, schema 18) and joins them when a retry
fetches it. A list deleted meanwhile is a warning, never a failed import.
"""

from __future__ import annotations

from collections.abc import Sequence

from spinelib.errors import NoMatch
from spinelib.import_results import OK_STATUSES, ImportItem, ImportReport
from spinelib.library import Library
from spinelib.text import plural


def list_names(library: Library, names: Sequence[str]) -> list[str]:
    """The reading lists ``names`` stand for, as the library spells them (a name in
    another letter case finds its list); NoMatch for a list there is not."""
    return list(dict.fromkeys(library.lists.name_of(name) for name in names if name.strip()))


def joins(lists: Sequence[str]) -> str:
    """What a queued identifier will join once fetched: "for the reading list 'A'" ('' for
    none), as ``spinelib pending`` and the pending dialog say it."""
    if not lists:
        return ""
    return (f"for the reading list{'s' if len(lists) > 1 else ''} "
            + ", ".join(repr(n) for n in lists))


def add_imported(library: Library, items: Sequence[ImportItem], names: Sequence[str],
                 report: ImportReport) -> None:
    """Put the articles of ``items`` in the lists ``names``; what was added is counted in
    ``report.listed`` (shown by its summary), a list gone meanwhile is a warning there."""
    ids = list(dict.fromkeys(item.article_id for item in items
                             if item.status in OK_STATUSES and item.article_id is not None))
    if not ids:
        return
    for name in names:
        try:
            report.listed[name] = report.listed.get(name, 0) + library.lists.add(name, ids)
        except NoMatch:
            report.warnings.append(f"the reading list {name!r} no longer exists; "
                                   f"{plural(len(ids))} not added to it")
