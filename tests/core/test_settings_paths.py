"""Where data lives, and settings that survive bad files and honour the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinelib import paths, settings


def test_library_path_override_order(tmp_path: Path) -> None:
    env = {"SPINELIB_HOME": str(tmp_path / "home"), "SPINELIB_LIBRARY": str(tmp_path / "env.sqlite")}
    assert paths.library_path("/x/explicit.sqlite", env) == Path("/x/explicit.sqlite")
    assert paths.library_path(None, env) == tmp_path / "env.sqlite"
    del env["SPINELIB_LIBRARY"]
    assert paths.library_path(None, env) == tmp_path / "home" / "library.sqlite"
    default = paths.library_path(None, {})
    assert default.name == "library.sqlite" and "spinelib" in str(default)


def test_settings_round_trip_and_env(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    s = settings.Settings(email="me@example.org", ncbi_api_key="SECRET")
    settings.save(s, path)
    assert json.loads(path.read_text())["version"] == settings.SETTINGS_VERSION
    loaded = settings.load(path, env={})
    assert loaded.email == "me@example.org"
    assert settings.load(path, env={"SPINELIB_EUTILS_URL": "http://127.0.0.1:1/e"}).eutils_url \
        == "http://127.0.0.1:1/e"
    assert "SECRET" not in json.dumps(loaded.redacted())


@pytest.mark.parametrize("content", [
    "", "{not json", "[]", '{"settings": {"email": 5}}',
    # Numbers no wait or cap can be: infinity (JSON's 1e400 reads so), below zero, a
    # switch where a count goes, a whole number where a float was written.
    '{"settings": {"read_timeout": 1e400, "connect_timeout": -1.0, "max_retries": true}}',
    '{"settings": {"pdf_max_pages": -5, "read_timeout": 30}}'])
def test_bad_settings_file_gives_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    assert settings.load(path, env={}) == settings.Settings()


def test_resources_are_found() -> None:
    assert paths.resource("taxonomy.json").is_file()
