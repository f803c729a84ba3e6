"""SQL for retraction data: the Retraction Watch table (``retraction_watch``), notices found
online (``article_notice``), each article's current flag (``article_flag``), the works known
to be retracted or concerning (``flagged_work``) and dated citation counts.

``flagged_work`` is rebuilt by every check from the Retraction Watch table and the flagged
articles, so "which references point at a retracted work" is two indexed joins against the
stored reference lists, whatever their size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from spinelib.safety_results import (
    SEVERITY,
    CitationCount,
    CitedFlag,
    Flag,
    Nature,
    Notice,
    NoticeSource,
    RetractionWatchRow,
)
from spinelib.store.connection import Connection, id_list
from spinelib.store.dialect import Dialect
from spinelib.store.parked import unparked

#: Rows per executemany while loading the data set (bounded memory for a 60 MB file).
LOAD_BATCH = 5000
_FLAGGING = ", ".join(f"'{n.value}'" for n in SEVERITY)
_SEVERITY_SQL = ("CASE {col} " + " ".join(f"WHEN '{n.value}' THEN {s}"
                                        for n, s in SEVERITY.items()) + " ELSE 0 END")


def _notice(nature: str, source: str, date: str | None, reasons: str,
            notice_doi: str) -> Notice:
    return Notice(Nature(nature), NoticeSource(source), date,
                  tuple(str(r) for r in json.loads(reasons or "[]")), notice_doi or "")


class RetractionSql:
    """Statements over the retraction tables."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    # ---- the data set
    def meta(self, conn: Connection) -> dict[str, str]:
        return {r["key"]: r["value"] for r in conn.execute("SELECT * FROM retraction_meta")}

    def set_meta(self, conn: Connection, values: dict[str, str]) -> None:
        conn.executemany(self.dialect.upsert("retraction_meta", ("key", "value"), ("key",),
                                             ("value",)),
                         [{"key": k, "value": v} for k, v in values.items()])

    def replace_watch_rows(self, conn: Connection, rows: Iterator[RetractionWatchRow]) -> int:
        """Replace the whole table by ``rows`` (consumed in batches); returns rows stored.
        A Record ID seen twice keeps its last row."""
        conn.execute("DELETE FROM retraction_watch")
        sql = ("INSERT OR REPLACE INTO retraction_watch (record_id, title, journal, nature, "
               "notice_date, reasons, notice_doi, notice_pmid, original_doi, original_pmid) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        total = 0
        while batch := list(islice(rows, LOAD_BATCH)):
            conn.executemany(sql, [(r.record_id, r.title, r.journal, r.nature.value, r.date,
                                    json.dumps(list(r.reasons)), r.notice_doi, r.notice_pmid,
                                    r.original_doi, r.original_pmid) for r in batch])
            total += len(batch)
        return int(conn.scalar("SELECT count(*) FROM retraction_watch")) if total else 0

    # ---- what a check reads
    def identifiers(self, conn: Connection) -> list[tuple[int, str, str]]:
        """(article id, DOI, PMID) of every article with one of them."""
        return [(int(r[0]), r[1] or "", r[2] or "") for r in conn.execute(
            "SELECT id, doi, pmid FROM article WHERE doi IS NOT NULL OR pmid IS NOT NULL")]

    def replace_notices(self, conn: Connection, sources: Sequence[NoticeSource],
                        notices: dict[int, list[Notice]]) -> None:
        """For each article in ``notices``, forget what ``sources`` said before and store
        what they say now (an article checked and clean gets an empty list)."""
        names = [s.value for s in sources]
        conn.executemany(
            "DELETE FROM article_notice WHERE article_id = ? AND source IN (" +
            ", ".join("?" * len(names)) + ")",
            [(aid, *names) for aid in notices])
        conn.executemany(
            "INSERT OR REPLACE INTO article_notice (article_id, source, nature, notice_date, "
            "reasons, notice_doi) VALUES (?, ?, ?, ?, ?, ?)",
            [(aid, n.source.value, n.nature.value, n.date, json.dumps(list(n.reasons)),
              n.notice_doi) for aid, found in notices.items() for n in found])

    def candidate_notices(self, conn: Connection) -> dict[int, list[Notice]]:
        """Every notice known about every article: Retraction Watch rows matching its DOI
        or PMID, notices found online, and the flag set at import when nothing else says so."""
        out: dict[int, list[Notice]] = {}
        rw = ("SELECT a.id, w.nature, w.notice_date, w.reasons, w.notice_doi "
              "FROM retraction_watch w JOIN article a ON a.{col} = w.original_{col} "
              "WHERE w.original_{col} != ''")
        for col in ("doi", "pmid"):
            for r in conn.execute(rw.format(col=col)):
                n = _notice(r[1], NoticeSource.RETRACTION_WATCH.value, r[2], r[3], r[4])
                if n not in out.setdefault(int(r[0]), []):
                    out[int(r[0])].append(n)
        for r in conn.execute("SELECT article_id, nature, source, notice_date, reasons, "
                              "notice_doi FROM article_notice"):
            out.setdefault(int(r[0]), []).append(_notice(r[1], r[2], r[3], r[4], r[5]))
        for r in conn.execute("SELECT id, source FROM article WHERE retracted"):
            if not out.get(int(r[0])):
                source = NoticeSource.CROSSREF if r[1] == "crossref" else NoticeSource.PUBMED
                out[int(r[0])] = [Notice(Nature.RETRACTION, source, None,
                                         ("flagged when imported",))]
        return out

    # ---- flags
    def flags(self, conn: Connection) -> dict[int, Flag]:
        return {int(r[0]): Flag(Nature(r[1]), r[2], tuple(json.loads(r[3])), r[4],
                                NoticeSource(r[5]))
                for r in conn.execute("SELECT article_id, nature, notice_date, reasons, "
                                      "notice_doi, source FROM article_flag")}

    def flag(self, conn: Connection, article_id: int) -> Flag | None:
        r = conn.first("SELECT nature, notice_date, reasons, notice_doi, source FROM "
                       "article_flag WHERE article_id = ?", (article_id,))
        return None if r is None else Flag(Nature(r[0]), r[1], tuple(json.loads(r[2])), r[3],
                                           NoticeSource(r[4]))

    def replace_flags(self, conn: Connection, flags: dict[int, Flag], new: set[int],
                      now: str) -> None:
        """Store ``flags`` as the articles' current flags; ``new`` marks those this check
        found. The articles' ``retracted`` column follows (an expression of concern is not a
        retraction; a reinstatement clears it)."""
        old_at = {int(r[0]): r[1] for r in conn.execute(
            "SELECT article_id, flagged_at FROM article_flag")}
        conn.execute("DELETE FROM article_flag")
        conn.executemany(
            "INSERT INTO article_flag (article_id, nature, notice_date, reasons, notice_doi, "
            "source, flagged_at, is_new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(aid, f.nature.value, f.date, json.dumps(list(f.reasons)), f.notice_doi,
              f.source.value, old_at.get(aid, now), int(aid in new))
             for aid, f in flags.items()])
        conn.execute("UPDATE article SET retracted = (SELECT count(*) FROM article_flag f "
                     "WHERE f.article_id = article.id AND f.nature IN ('Retraction', "
                     "'Withdrawal')) > 0 WHERE retracted OR id IN (SELECT article_id FROM "
                     "article_flag)")

    def rebuild_flagged_works(self, conn: Connection) -> None:
        """Every work known to be retracted or concerning, for joining reference lists.

        A data-set row superseded by a reinstatement of the same work (dated on or after
        it) is left out. Reinstatements are a few hundred of the 65,000 rows, so they are
        matched in Python and the rest goes in with one plain INSERT (a correlated
        NOT EXISTS per row cost a second)."""
        conn.execute("DELETE FROM flagged_work")
        latest: dict[tuple[str, str], str] = {}
        for r in conn.execute("SELECT original_doi, original_pmid, notice_date FROM "
                              "retraction_watch WHERE nature = 'Reinstatement'"):
            for key in (("doi", r[0]), ("pmid", r[1])):
                if key[1]:
                    latest[key] = max(latest.get(key, ""), r[2] or "9999")
        superseded: list[int] = []
        for col in ("doi", "pmid"):
            values = [v for (kind, v) in latest if kind == col]
            for start in range(0, len(values), 500):
                chunk = values[start:start + 500]
                for r in conn.execute(
                        f"SELECT record_id, original_{col}, notice_date FROM retraction_watch "
                        f"WHERE nature IN ({_FLAGGING}) AND original_{col} IN "
                        f"({', '.join('?' * len(chunk))})", chunk):
                    if latest[(col, r[1])] >= (r[2] or ""):
                        superseded.append(int(r[0]))
        # (Only with ids: "NOT IN (NULL)" would leave every row out.)
        keep = f" AND w.record_id NOT IN ({id_list(superseded)})" if superseded else ""
        conn.execute(
            "INSERT INTO flagged_work (doi, pmid, nature, severity) SELECT w.original_doi, "
            f"w.original_pmid, w.nature, {_SEVERITY_SQL.format(col='w.nature')} "
            f"FROM retraction_watch w WHERE w.nature IN ({_FLAGGING}){keep}")
        conn.execute(
            "INSERT INTO flagged_work (doi, pmid, nature, severity) SELECT coalesce(a.doi, ''), "
            f"coalesce(a.pmid, ''), f.nature, {_SEVERITY_SQL.format(col='f.nature')} "
            "FROM article_flag f JOIN article a ON a.id = f.article_id")

    def cited_flags(self, conn: Connection,
                    article_ids: Sequence[int] | None = None) -> dict[int, list[CitedFlag]]:
        """Article id -> its references that point at a flagged work (most serious nature
        per reference), in reference order; for ``article_ids`` or every article.

        The most serious match per reference is chosen, and the rows ordered, by SQLite
        (``GROUP BY`` with ``max``: the bare columns come from that row), so Python builds
        one value per flagged reference and sorts nothing: at 100,000 articles and 2.8
        million references this is most of ``retraction_check_100k``. The join order is
        forced: every flagged work probing the references' index for the whole library,
        the given articles' references probing the flagged works' for a few."""
        if article_ids is None:
            join, scope = "flagged_work f CROSS JOIN \"reference\" r", ""
        else:
            join = "\"reference\" r CROSS JOIN flagged_work f"
            scope = f" AND r.article_id IN ({id_list(article_ids)})"
        part = ("SELECT r.article_id AS aid, r.position AS pos, coalesce(r.doi, '') AS doi, "
                "coalesce(r.pmid, '') AS pmid, f.nature AS nature, f.severity AS severity "
                "FROM {join} WHERE r.{col} = f.{col} AND f.{col} != ''{scope} "
                # A trashed article's reference rows stay parked (schema 15): not counted.
                f"AND {unparked('r')}")
        sql = ("SELECT aid, pos, doi, pmid, nature, max(severity) FROM (" +
               " UNION ALL ".join(part.format(join=join, col=c, scope=scope)
                                  for c in ("doi", "pmid")) +
               ") GROUP BY aid, pos ORDER BY aid, pos")
        out: dict[int, list[CitedFlag]] = {}
        natures = {n.value: n for n in Nature}
        for aid, pos, doi, pmid, nature, _sev in conn.execute(sql):
            out.setdefault(int(aid), []).append(CitedFlag(int(pos), doi, pmid, natures[nature]))
        return out

    # ---- citation counts
    def store_counts(self, conn: Connection, source: str, counts: dict[int, int],
                     counted_at: str) -> None:
        """Upsert ``source``'s count of each article, dated ``counted_at``; ids no longer in
        ``article`` (deleted while the network was asked) are left out."""
        live = {int(i) for i in conn.column(
            f"SELECT id FROM article WHERE id IN ({id_list(counts)})")} if counts else set()
        counts = {aid: n for aid, n in counts.items() if aid in live}
        conn.executemany(
            self.dialect.upsert("citation_count", ("article_id", "source", "count",
                                                   "counted_at"),
                                ("article_id", "source"), ("count", "counted_at")),
            [{"article_id": aid, "source": source, "count": n, "counted_at": counted_at}
             for aid, n in counts.items()])

    def counts(self, conn: Connection, article_id: int) -> list[CitationCount]:
        return [CitationCount(r[0], int(r[1]), r[2]) for r in conn.execute(
            "SELECT source, count, counted_at FROM citation_count WHERE article_id = ? "
            "ORDER BY source", (article_id,))]

    def count_rows(self, conn: Connection) -> int:
        return int(conn.scalar("SELECT count(*) FROM retraction_watch"))

    def keys(self, conn: Connection, ids: Iterable[int]) -> dict[int, str]:
        return {int(r[0]): r[1] for r in conn.execute(
            f"SELECT id, citekey FROM article WHERE id IN ({id_list(ids)})")}

    def new_ids(self, conn: Connection) -> list[int]:
        return [int(i) for i in conn.column(
            "SELECT article_id FROM article_flag WHERE is_new ORDER BY article_id")]
