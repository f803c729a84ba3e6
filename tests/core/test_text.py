"""spinelib.text helpers that several rooms share."""

from __future__ import annotations

import time

import pytest

from spinelib.issn import pick_issn
from spinelib.text import local_date, local_time, one_in_any_case, plural, same_in_any_case


def test_one_in_any_case_finds_a_name_only_when_one_matches() -> None:
    names = ["Journal club", "SBRT", "sbrt", "Spine board"]
    assert one_in_any_case(names, " journal CLUB ") == "Journal club"
    assert one_in_any_case(names, "Sbrt") is None  # two spellings: neither is guessed
    assert one_in_any_case(names, "board") is None
    assert one_in_any_case([], "x") is None


def test_local_time_reads_a_stored_utc_time_in_the_computers_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lists of dated things (trash, history, pending, kept exports) printed raw UTC
    ('2026-12-04T18:55:36Z'); a surgeon in Paris reads 19:55."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        assert local_time("2026-12-04T18:55:36Z") == "2026-12-04 19:55"
        assert local_time("2026-12-04T23:30:00.123456+00:00") == "2026-12-05 00:30"
        assert local_time("2026-07-01T10:00:00") == "2026-07-01 12:00"  # summer time
        assert local_time("") == local_time(None) == ""
        assert local_time("not a time") == "not a time"
        assert local_date("2026-12-04T23:30:00Z") == "2026-12-05"  # the Added column's day
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_same_in_any_case_lists_every_spelling() -> None:
    names = ["SBRT", "sbrt", "Spine board"]
    assert same_in_any_case(names, " Sbrt ") == ["SBRT", "sbrt"]
    assert same_in_any_case(names, "board") == []


@pytest.mark.parametrize("values, issn", [
    (["1474-547X (Electronic)\n0140-6736 (Linking)"], "0140-6736"),  # PubMed: print/linking
    (["10837159 (ISSN)"], "1083-7159"),  # Scopus: no hyphen, a label after it
    (["0140673X (ISSN)"], ""),  # its check digit does not hold: not an ISSN
    (["12345678"], ""),
    (["10837159"], ""),  # unlabelled eight digits: a report's number as likely as an ISSN
    (["9781626234260 (ISBN)"], ""),
])
def test_pick_issn(values: list[str], issn: str) -> None:
    assert pick_issn(values) == issn


def test_plural_counts_are_read_at_a_glance() -> None:
    # "20000 articles" beside a "20,000 new" in the same preview read as two numbers.
    assert plural(1) == "1 article"
    assert plural(20_000) == "20,000 articles"
    assert plural(1_000, "entry", "entries") == "1,000 entries"
