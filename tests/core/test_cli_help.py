"""`spinelib … --help` says what every action and argument is for, and the commands that
take a search show its syntax."""

from __future__ import annotations

import argparse

import pytest

from spinelib.cli import main
from spinelib.cli.parser import build_parser
from spinelib.searchsyntax import SYNTAX


def _unexplained(parser: argparse.ArgumentParser, path: str) -> list[str]:
    """Every action (subcommand) and argument under ``parser`` that has no help line."""
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            lines = {choice.dest: choice.help for choice in action._choices_actions}
            named = {id(action.choices[name]) for name in lines}
            for name, sub in action.choices.items():
                if name not in lines and id(sub) in named:
                    continue  # an alias ("pdf highlights"): its command's help says it
                if not lines.get(name):
                    missing.append(f"{path} {name}")
                missing += _unexplained(sub, f"{path} {name}")
        elif not action.help:
            missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_action_and_argument_says_what_it_is_for() -> None:
    """A surgeon reading `spinelib export --help` learns what KEY, --format and -o are
    without the README (they were bare names before)."""
    assert _unexplained(build_parser(), "spinelib") == []


def test_the_check_finds_an_unexplained_argument() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.choices["show"].add_argument("--bare")
    sub.add_parser("nohelp")
    assert _unexplained(parser, "spinelib") == ["spinelib show --bare", "spinelib nohelp"]


@pytest.mark.parametrize("command", [["list"], ["export"], ["pdf", "find"]])
def test_commands_that_search_show_the_syntax(command: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "search syntax (--search):" in out
    assert all(row.example in out for row in SYNTAX)
    assert "Terms combine with AND" in out
