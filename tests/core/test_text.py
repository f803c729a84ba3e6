"""spinelib.text helpers that several rooms share."""

from __future__ import annotations

from spinelib.text import one_in_any_case


def test_one_in_any_case_finds_a_name_only_when_one_matches() -> None:
    names = ["Journal club", "SBRT", "sbrt", "Spine board"]
    assert one_in_any_case(names, " journal CLUB ") == "Journal club"
    assert one_in_any_case(names, "Sbrt") is None  # two spellings: neither is guessed
    assert one_in_any_case(names, "board") is None
    assert one_in_any_case([], "x") is None
