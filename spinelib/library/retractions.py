"""The retractions room: the Retraction Watch table, notices found online, each article's
current flag, and the references that point at retracted or concerning work.

Policy (issue 17): an article's flag is its most serious *current* notice: a retraction
outranks a withdrawal, which outranks an expression of concern; a correction is not a flag;
a reinstatement dated on or after a flagging notice clears it. Every change (a data-set load,
a check's findings) is one transaction that also recomputes the flags, so the table, the
detail pane and ``spinelib retractions`` never see a half-applied check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinelib.safety_results import (
    SEVERITY,
    CitationCount,
    CitedFlag,
    Flag,
    FlaggedArticle,
    Nature,
    Notice,
    NoticeSource,
    RetractionWatchRow,
)
from spinelib.store.mapping import utcnow

if TYPE_CHECKING:
    from spinelib.library.facade import Library
    from spinelib.store.connection import Connection

#: When two flagging notices are equally serious, the one with reasons from the most
#: detailed source wins.
_SOURCE_RANK = {NoticeSource.RETRACTION_WATCH: 3, NoticeSource.CROSSREF: 2,
                NoticeSource.PUBMED: 1}


def current_flag(notices: list[Notice]) -> Flag | None:
    """The most serious current notice among ``notices`` (None: nothing flags the work)."""
    reinstated = [n.date or "" for n in notices if n.nature is Nature.REINSTATEMENT]
    latest_reinstatement = max(reinstated) if reinstated else None
    live = [n for n in notices if n.nature in SEVERITY
            and (latest_reinstatement is None or (n.date or "") > latest_reinstatement)]
    if not live:
        return None
    best = max(live, key=lambda n: (SEVERITY[n.nature], n.date or "", bool(n.reasons),
                                    _SOURCE_RANK[n.source]))
    reasons = best.reasons or next((n.reasons for n in live
                                    if n.nature is best.nature and n.reasons), ())
    return Flag(best.nature, best.date, reasons, best.notice_doi, best.source)


@dataclass(frozen=True)
class CitingArticle:
    """A library article whose reference list cites flagged work."""

    article_id: int
    citekey: str
    cites: list[CitedFlag]


class RetractionsManager:
    """``lib.retractions``."""

    def __init__(self, lib: Library) -> None:
        self.store = lib.store

    # ---- the data set
    def load(self, rows: Iterator[RetractionWatchRow], *, etag: str = "",
             last_modified: str = "", origin: str = "") -> tuple[int, list[int]]:
        """Replace the Retraction Watch table by ``rows`` and recompute every flag, in one
        transaction (an error mid-file leaves the previous table). Returns the rows stored
        and the article ids newly flagged."""
        with self.store.writing() as conn:
            n = self.store.retractions.replace_watch_rows(conn, rows)
            self.store.retractions.set_meta(conn, {
                "etag": etag, "last_modified": last_modified, "loaded_at": utcnow(),
                "origin": origin, "rows": str(n)})
            return n, self._recompute(conn)

    def source_state(self) -> dict[str, str]:
        """What the last load recorded: etag, last_modified, loaded_at, origin, rows."""
        with self.store.reading() as conn:
            return self.store.retractions.meta(conn)

    def row_count(self) -> int:
        with self.store.reading() as conn:
            return self.store.retractions.count_rows(conn)

    # ---- online checks
    def identifiers(self) -> list[tuple[int, str, str]]:
        """(article id, DOI, PMID) of every article that has one, for the online checks."""
        with self.store.reading() as conn:
            return self.store.retractions.identifiers(conn)

    def record_check(self, found: dict[NoticeSource, dict[int, list[Notice]]],
                     counts: dict[str, dict[int, int]] | None = None, *,
                     carry_new: bool = False) -> list[int]:
        """Store what online checks found (per source: article id -> notices, [] for
        checked and clean) and citation counts (per source: article id -> count), then
        recompute the flags; one transaction. Returns the article ids newly flagged
        (``carry_new``: this continues an update, so what its earlier steps found stays
        "new")."""
        now = utcnow()
        with self.store.writing() as conn:
            for source, notices in found.items():
                # Crossref's updated-by carries Retraction Watch notices too: a Crossref
                # check replaces both kinds it reported for those articles.
                sources = ((NoticeSource.CROSSREF, NoticeSource.RETRACTION_WATCH)
                           if source is NoticeSource.CROSSREF else (source,))
                self.store.retractions.replace_notices(conn, sources, notices)
            for name, per_article in (counts or {}).items():
                self.store.retractions.store_counts(conn, name, per_article, now)
            return self._recompute(conn, carry_new)

    def recompute(self) -> list[int]:
        """Recompute every flag from what is stored (after a merge, or a load elsewhere)."""
        with self.store.writing() as conn:
            return self._recompute(conn)

    def _recompute(self, conn: Connection, carry_new: bool = False) -> list[int]:
        sql = self.store.retractions
        before = sql.flags(conn)
        earlier = set(sql.new_ids(conn)) if carry_new else set()
        flags: dict[int, Flag] = {}
        for aid, notices in sql.candidate_notices(conn).items():
            flag = current_flag(notices)
            if flag is not None:
                flags[aid] = flag
        new = {aid for aid, f in flags.items()
               if aid not in before or SEVERITY[f.nature] > SEVERITY[before[aid].nature]
               or aid in earlier}
        sql.replace_flags(conn, flags, new, utcnow())
        sql.rebuild_flagged_works(conn)
        return sorted(new)

    # ---- reading
    def flag(self, article_id: int) -> Flag | None:
        """The article's most serious current notice, or None."""
        with self.store.reading() as conn:
            return self.store.retractions.flag(conn, article_id)

    def cites(self, article_id: int) -> list[CitedFlag]:
        """The article's references that point at retracted or concerning work."""
        with self.store.reading() as conn:
            return self.store.retractions.cited_flags(conn, [article_id]).get(article_id, [])

    def flagged(self) -> list[FlaggedArticle]:
        """Every flagged article, most serious first, then by key."""
        with self.store.reading() as conn:
            flags = self.store.retractions.flags(conn)
            keys = self.store.retractions.keys(conn, flags)
            new = set(self.store.retractions.new_ids(conn))
        items = [FlaggedArticle(aid, keys[aid], f, aid in new) for aid, f in flags.items()]
        return sorted(items, key=lambda a: (-SEVERITY[a.flag.nature], a.citekey))

    def citing(self) -> list[CitingArticle]:
        """Every article citing flagged work, by key."""
        with self.store.reading() as conn:
            found = self.store.retractions.cited_flags(conn)
            keys = self.store.retractions.keys(conn, found)
        return sorted((CitingArticle(aid, keys[aid], cites) for aid, cites in found.items()),
                      key=lambda c: c.citekey)

    def new_keys(self) -> list[str]:
        """Keys of the articles the last check flagged for the first time."""
        with self.store.reading() as conn:
            ids = self.store.retractions.new_ids(conn)
            keys = self.store.retractions.keys(conn, ids)
        return sorted(keys[i] for i in ids)

    def export_warnings(self, article_ids: Sequence[int]) -> list[str]:
        """One line per article of an export that carries a notice, by its nature
        ("expression of concern" is never called a retraction)."""
        with self.store.reading() as conn:
            flags = self.store.retractions.flags(conn)
            chosen = [i for i in article_ids if i in flags]
            keys = self.store.retractions.keys(conn, chosen)
        return [f"{keys[i]} is included but has a notice: {flags[i].nature.value}"
                + (f" ({flags[i].date})" if flags[i].date else "") for i in chosen]

    def record_counts(self, counts: Mapping[int, Mapping[str, int]]) -> None:
        """Store citation counts (article id -> source -> count), each dated now, replacing
        that source's earlier count; one transaction (nothing when ``counts`` is empty).
        A count for an article deleted meanwhile is dropped, never an error."""
        by_source: dict[str, dict[int, int]] = {}
        for aid, per_source in counts.items():
            for source, n in per_source.items():
                by_source.setdefault(source, {})[aid] = n
        if not by_source:
            return
        now = utcnow()
        with self.store.writing() as conn:
            for source, per_article in by_source.items():
                self.store.retractions.store_counts(conn, source, per_article, now)

    def citation_counts(self, article_id: int) -> list[CitationCount]:
        """The article's citation counts, each with its source and the date it was read."""
        with self.store.reading() as conn:
            return self.store.retractions.counts(conn, article_id)
