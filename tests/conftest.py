"""Shared test set-up: headless Qt, no network, a private data dir per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.waiting import generous_qt_waits

# Property tests draw the same examples on every run and machine (a seed from each test's
# name), so CI's verdict is the code's, not the draw's; HYPOTHESIS_PROFILE=explore draws new
# ones at random, keeps failures in .hypothesis/ and replays them, to look for bugs.
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

# Qt must never try to reach a display in tests (ENVIRONMENT.md: it aborts without one).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# pytest-qt's waits get the suite's generous bound (tests/waiting.py says why).
generous_qt_waits()

REPO = Path(__file__).resolve().parent.parent
#: The real recorded responses, read in place (never copied into tests/data).
FIXTURES = REPO.parent / "shared" / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SPINELIB_HOME and no endpoint that could leave the machine."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SPINELIB_HOME", str(home))
    monkeypatch.delenv("SPINELIB_LIBRARY", raising=False)
    for var, url in {
        "SPINELIB_EUTILS_URL": "http://127.0.0.1:9/eutils",
        "SPINELIB_IDCONV_URL": "http://127.0.0.1:9/idconv",
        "SPINELIB_CROSSREF_URL": "http://127.0.0.1:9/crossref",
        "SPINELIB_EUROPEPMC_URL": "http://127.0.0.1:9/europepmc",
        "SPINELIB_RETRACTIONWATCH_URL": "http://127.0.0.1:9/retractionwatch",
    }.items():
        monkeypatch.setenv(var, url)
    monkeypatch.delenv("SPINELIB_NCBI_API_KEY", raising=False)
    monkeypatch.setenv("SPINELIB_EMAIL", "tests@example.org")
    return home


@pytest.fixture
def fixtures_dir() -> Path:
    """The shared real captures; tests that need them skip with a reason when absent."""
    if not FIXTURES.is_dir():
        pytest.skip(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES
