"""Fixtures the core tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinelib.library import Library


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    """A new, empty library in the test's own folder, closed after the test (a test file
    whose articles must be there first defines its own ``lib``)."""
    with Library.open(tmp_path / "lib.sqlite") as library:
        yield library
