"""The benchmark table and RESULTS.md: rows formatted for the terminal and for Markdown, the
machine they were measured on, and the notes behind the rows."""

from __future__ import annotations

import datetime
import os
import platform
import sqlite3
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import generate

ROOT = generate.ROOT

def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def out_of_reach(r: dict[str, Any]) -> bool:
    """A row not met whose floor, a lower bound of the work, misses the target too
    (``floor_meets_target``, absent in results written before it existed)."""
    return r["target_met"] is False and r.get("floor_meets_target") is False


def table_rows(results: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The table: a header, then one row per result. ``samples`` is how many the median and
    p95 are over (one where the first settled the target: ``benchmarks.children.measure``)."""
    header = ["scenario", "size", "samples", "median", "p95", "peak RSS", "floor", "ratio",
              "target", "met"]
    rows = [header]
    for r in results:
        met = {True: "yes", False: "NO", None: "—"}[r["target_met"]]
        if out_of_reach(r):
            met += " (floor too)"
        if r["name"] == "import_1000_pmids" and "requests" in r["extra"]:
            met += f" ({r['extra']['requests']} req)"
        if r["name"] == "import_1000_dois" and "total_requests" in r["extra"]:
            met += (f" ({r['extra']['total_requests']} req; peers "
                    f"{r['extra'].get('peers_requests', '?')})")
        rows.append([r["name"], f"{r['size']:,}", str(len(r.get("samples") or ())),
                     fmt_time(r["median_s"]), fmt_time(r["p95_s"]),
                     f"{r['peak_rss_mb']:.0f} MB", fmt_time(r["floor_s"]),
                     "—" if r["ratio"] is None else f"{r['ratio']:.2f}×", r["target"], met])
    return rows


def text_table(results: Sequence[dict[str, Any]]) -> str:
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: Sequence[dict[str, Any]]) -> str:
    rows = table_rows(results)
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(out)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = ""
    try:  # read-only git: which commit, and whether spinelib/ had uncommitted edits
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=ROOT.parent, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "spinelib"],
                               capture_output=True, text=True, cwd=ROOT.parent,
                               timeout=10).stdout.strip()
        if commit and dirty:
            commit += " + uncommitted changes in spinelib/"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "commit": commit}


def markdown_report(results: Sequence[dict[str, Any]], command: str,
                    builds: dict[int, dict[str, Any] | None]) -> str:
    m = machine()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu'] or 'unknown CPU'}), "
        f"Python {m['python']}, SQLite {m['sqlite']}"
        + (f", commit {m['commit']}" if m["commit"] else "") + ".",
        "",
        "Reproduce with:",
        "",
        "```sh",
        command,
        "```",
        "",
        markdown_table(results),
        "",
        "Times are medians and 95th percentiles over the samples; memory is the peak RSS of the",
        "scenario's own process. See `benchmarks/README.md` for what each scenario and floor is.",
    ]
    notes = _notes(results, builds)
    if notes:
        lines += ["", "Notes from this run:", ""] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def _jabref_note(e: dict[str, Any]) -> str:
    """What the .bib import was held against: JabRef timed here, or the issue's figures."""
    if e.get("jabref_s"):
        return (f"JabRef 3.8 loaded and saved it here in {e['jabref_s']} s "
                f"({e.get('jabref_how', '')})")
    peers = e["peers"]["jabref_3.8_load_save_s"]
    return (f"JabRef was not timed here ({e.get('jabref_how', 'not run')}): the issue's "
            f"figure, {peers[0]:.0f}-{peers[1]:.0f} s on its machine, is the target")


def _notes(results: Sequence[dict[str, Any]], builds: dict[int, dict[str, Any] | None]
           ) -> list[str]:
    """Facts behind the table's rows, one line each, for RESULTS.md."""
    notes = []
    for r in results:
        e, at = r["extra"], f"{r['size']:,}"
        if r["name"].startswith("open_first_rows") and "cold_s" in e:
            floor = f" (raw sqlite3 floor {fmt_time(e['cold_floor_s'])})" \
                if "cold_floor_s" in e else ""
            notes.append(f"{r['name']} at {at} with the library out of the OS file cache "
                         f"(as after a reboot): {fmt_time(e['cold_s'])}{floor}")
        if r["name"] == "open_first_rows_gui" and "startup_s" in e:
            notes.append(f"GUI at {at}: importing Qt and SpineLib and creating the "
                         f"QApplication took {fmt_time(e['startup_s'])} before the clock started")
        if r["name"] == "search" and "per_query_median_ms" in e:
            worst = max(e["per_query_median_ms"], key=e["per_query_median_ms"].get)
            notes.append(f"search at {at}: slowest query {worst!r} "
                         f"({e['hits'][worst]:,} hits) {e['per_query_median_ms'][worst]} ms median")
        if r["name"] == "search" and "relevance_p95_ms" in e:
            notes.append(f"search at {at} sorted by relevance (ranked only when asked): "
                         f"p95 {e['relevance_p95_ms']} ms")
        if r["name"] == "facet_counts" and "sidebar_counts_s" in e:
            notes.append(f"sidebar at {at}: Library.sidebar_counts() (all/unread/recent/"
                         f"retracted) took {fmt_time(e['sidebar_counts_s'])} besides the tag and "
                         "facet counts")
        if r["name"] == "undo" and e.get("scattered_undo_s"):
            notes.append(f"undo at {at}: the delete of 1,000 articles spread across the "
                         f"library (every n-th, not the 1,000 added last) undone in "
                         f"{fmt_time(statistics.median(e['scattered_undo_s']))} median "
                         f"({', '.join(fmt_time(s) for s in e['scattered_undo_s'])})")
        if r["name"] == "export_bibtex_10k" and "load_records_s" in e:
            notes.append(f"export at {at}: loading the {e['records']:,} records took "
                         f"{fmt_time(e['load_records_s'])} without reference lists "
                         f"({fmt_time(e.get('load_records_with_references_s'))} with them) "
                         "before writing; the floor wrote byte-identical output: "
                         f"{e.get('floor_output_identical')}")
        if r["name"] == "gui_stall_import_1000" and "import_s" in e:
            notes.append(f"GUI import of 1,000 PMIDs: the event loop's longest stall "
                         f"{fmt_time(r['p95_s'])} (handing the identifiers over "
                         f"{fmt_time(e['first_gap_s'])}; 95th-percentile gap "
                         f"{fmt_time(e['p95_gap_s'])}, {e['ticks']} ticks of {e['tick_ms']} ms "
                         f"over {fmt_time(e['import_s'])}); idle, the same timer's longest "
                         f"gap was {fmt_time(r['floor_s'])}")
        if r["name"] == "import_bib_20k" and "cpu_s" in e:
            notes.append(f"import of a {e['entries']:,}-entry .bib ({e['bytes'] / 1e6:.0f} MB, "
                         f"abstracts included): CPU {e['cpu_s']} s (vocabulary helper "
                         f"process {e.get('helper_cpu_s')} s), bibtexparser's parse "
                         f"{e.get('floor_cpu_s')} s; " + _jabref_note(e))
        if r["name"] == "import_1000_pmids" and "requests" in e:
            net = ", ".join(f"{k} {fmt_time(v)}" for k, v in e.get("network_s", {}).items())
            by = ", ".join(f"{k} {v}" for k, v in e.get("requests_by_service", {}).items())
            notes.append(f"import of 1,000 PMIDs: {e['requests']} efetch requests of "
                         f"{e['ids_per_request']} ids; {e['total_requests']} requests in all "
                         f"({by}) because {e.get('without_references')} records have no "
                         f"reference list and are looked up in Crossref and Europe PMC; time "
                         f"in requests (rate-limit waits and {e['latency_s'] * 1000:.0f} ms "
                         f"latency included): {net}; the rest is parsing and storing")
    for size, stats in sorted(builds.items()):
        if stats and "import_s" in stats:  # built by the import row (benchmarks/import_build)
            notes.append(f"the {size:,}-article library was built by this run's import "
                         f"sample ({stats['import_s']:.0f} s, the import row's first run), then "
                         f"its user state in {stats['user_state_s']:.1f} s (CPU "
                         f"{stats['user_state_cpu_s']:.1f} s)")
        elif stats:
            since = stats.get("continued_from") or 0
            notes.append(f"building the {size:,}-article library through Library.add_records "
                         f"took {stats['total_s']:.0f} s ({stats['articles_per_s']:.0f} "
                         "articles/s, tags and lists included"
                         + (f"; continuing from the {since:,}-article build's articles"
                            if since else "") + ")")
    return notes
