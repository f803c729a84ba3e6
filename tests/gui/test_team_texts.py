"""What the team library's GUI parts say (issue 13): the status part, conflict values and an
article's history as sentences. Plain functions, no server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spinelib.gui.teamhistory import history_lines
from spinelib.gui.teamopen import PASSWORD_HINT, explain_failure
from spinelib.gui.teamstatus import sync_time, team_status_text
from spinelib.library.sync_results import HistoryEntry, SyncStatus

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC).astimezone()


def status(**kw: object) -> SyncStatus:
    values: dict[str, object] = dict(online=True, last_sync="2026-12-01T10:42:00Z", outbox=0,
                                     conflicts=0, server_seq=7, library_uuid="u")
    values.update(kw)
    return SyncStatus(**values)  # type: ignore[arg-type]


def local(when: str) -> str:
    return datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone().strftime("%H:%M")


def test_status_part_says_online_offline_waiting_and_conflicts() -> None:
    at = local("2026-12-01T10:42:00Z")
    assert team_status_text(status(), NOW).text == f"● Team online · synced {at}"
    shown = team_status_text(status(online=False, outbox=3, conflicts=1), NOW)
    assert shown.text == f"○ Team offline · synced {at} · 3 changes waiting · 1 conflict"
    assert "cannot be reached" in shown.tip and "Click to see the conflicts" in shown.tip
    assert team_status_text(status(outbox=1), NOW).text.endswith("1 change waiting")
    assert team_status_text(status(last_sync=None), NOW).text.endswith("synced never")
    assert team_status_text(None).text == "Team: connecting…"


def test_a_blocked_library_says_sync_stopped_and_why() -> None:
    shown = team_status_text(status(blocked="sync stopped: the server was replaced"), NOW)
    assert shown.text.startswith("⚠ Sync stopped")
    assert shown.tip == "sync stopped: the server was replaced"


def test_sync_time_shows_a_date_for_older_syncs() -> None:
    assert sync_time("2026-11-20T08:00:00Z", NOW).startswith("2026-11-20 ")
    assert sync_time("not a time", NOW) == "not a time"


def test_history_groups_one_change_into_one_sentence_newest_first() -> None:
    made = "2026-12-01T09:00:00Z"
    edited = "2026-12-01T10:42:00Z"
    entries = [HistoryEntry(made, "alice", "create", "title", None, "Old"),
               HistoryEntry(made, "alice", "create", "year", None, 2013),
               HistoryEntry(edited, "bob", "edit", "title", "Old", "New"),
               HistoryEntry(edited, "bob", "edit", "tags", [], ["later"]),
               HistoryEntry(edited, "carol", "delete", "", None, None)]
    lines = history_lines(entries, NOW)
    assert [line.text for line in lines] == [
        f"carol deleted the article, {local(edited)}",
        f"bob changed the title and the tags, {local(edited)}",
        f"alice added the article, {local(made)}"]
    assert lines[1].details == "Title: Old → New\nTags: (empty) → later"


def test_history_names_fields_and_reads_values_as_a_reader_does() -> None:
    edited = "2026-12-01T10:42:00Z"
    entries = [HistoryEntry(edited, "bob", "edit", "mesh", "", '[{"ui": "D013120", '
                            '"name": "Spinal Neoplasms", "major": true, "qualifiers": []}]'),
               HistoryEntry(edited, "bob", "edit", "editors", "",
                            '[{"family": "Benzel", "given": "Edward C"}, {"literal": "AO"}]'),
               HistoryEntry(edited, "bob", "edit", "journal_abbrev", "", "Spine J")]
    [line] = history_lines(entries, NOW)
    assert line.text == (f"bob changed the MeSH terms, the book's editors and the journal "
                         f"abbreviation, {local(edited)}")
    assert line.details == ("MeSH terms: (empty) → *Spinal Neoplasms\n"
                            "Book's editors: (empty) → Benzel, Edward C; AO\n"
                            "Journal abbreviation: (empty) → Spine J")


def test_a_missing_password_says_where_to_put_one() -> None:
    assert explain_failure("fe_sendauth: no password supplied").endswith(PASSWORD_HINT)
    assert explain_failure("connection refused") == "connection refused"


def test_a_file_librarys_window_offers_open_team_library_and_nothing_else(
        lib: Any, make_window: Any) -> None:
    window = make_window(lib)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.team.open_action in file_menu.actions()
    assert window.team.live is None and window.team.part is None and window.team.menu is None
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Team" not in titles
