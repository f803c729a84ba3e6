"""The articles citing several of the library's at once, each once with the chosen articles
it cites, the most shared first: a recent paper that cites four of a resident's five key
papers is more likely on topic than one citing a single of them (``spinelib citing KEY
KEY …``, Article ▸ Articles citing the selection…).

Each chosen article is asked about as :func:`spinelib.citingarticles.find_citing` asks
(Europe PMC's citations list); works found for several of them are one work when they
share a PMID, DOI or PMCID (:class:`spinelib.sharedrefs.WorkGroups`). An article that cannot
be asked about (no identifier, a DOI Europe PMC does not know) is named, and the others are
still asked; a network failure ends the search with that error, as one article's does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from spinelib.citingarticles import NotAskable, asked_identifier, holders
from spinelib.errors import NotFound
from spinelib.identifiers import carried
from spinelib.library import Library
from spinelib.sharedrefs import (
    SharedWorks,
    WorkGroups,
    keys_of,
    merged,
    numbered,
)
from spinelib.sources.europepmc_citing import CitingWork, fetch_citing
from spinelib.sources.http import HttpClient


def find_citing_across(library: Library, article_ids: Sequence[int], client: HttpClient, *,
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] = lambda: False) -> SharedWorks:
    """Ask Europe PMC which articles cite each chosen one; the union, most shared first,
    then newest first; ``progress(asked, total)`` after each. Once ``cancelled()`` the
    articles not asked yet are left out (a dialog closed while it asks: no more requests)."""
    sources = tuple(dict.fromkeys(article_ids))
    groups = WorkGroups()
    entries: list[tuple[int, CitingWork]] = []
    unasked: list[int] = []
    why: list[str] = []
    for done, source in enumerate(sources, 1):
        if cancelled():
            break
        try:
            asked = asked_identifier(library, source, client)
        except (NotAskable, NotFound) as exc:
            unasked.append(source)
            why.append(f"{library.articles.citekey(source)}, "
                       + ("a DOI Europe PMC does not index" if isinstance(exc, NotFound)
                          else "no PMID, PMCID or DOI"))
        else:
            for work in fetch_citing(client, asked).works:
                groups.add(keys_of(work.pmid, work.doi, work.pmcid, None))
                entries.append((source, work))
        if progress is not None:
            progress(done, len(sources))
    order = {source: i for i, source in enumerate(sources)}
    works = []
    for group in groups.groups():
        pairs = [entries[e] for e in group]
        works.append(merged(pairs, order, None, year=pairs[0][1].year, cited_by=max(
            (w.cited_by or 0 for _s, w in pairs), default=0) or None))
    works.sort(key=lambda w: (-len(w.among), -(w.year or 0), -int(w.pmid or 0)))
    return with_holdings(library, SharedWorks(sources, numbered(works), tuple(unasked),
                                              "citing", tuple(why)))


def with_holdings(library: Library, shared: SharedWorks) -> SharedWorks:
    """The same works with the library's holdings read again (after an import)."""
    found = holders(library, [carried(w.pmid, w.doi, w.pmcid) for w in shared.works])
    return replace(shared, works=[
        replace(w, article_id=h.article_id if h is not None and not h.trashed else None)
        for w, h in zip(shared.works, found, strict=True)])


__all__ = ["find_citing_across", "with_holdings"]
