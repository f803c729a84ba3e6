"""A team library's address given to ``Library.open`` (a script's slip) is refused plainly:
it made a folder named "postgresql:" in the working directory and an empty file library in
it, and went on as if that were the team's."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinelib.errors import LibraryError
from spinelib.library import Library


@pytest.mark.parametrize("address", ["postgresql://alice:s3cret@127.0.0.1:5432/spine",
                                     "POSTGRES://db.example.org/spine"])
def test_a_team_address_is_no_file(address: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LibraryError, match="team library's address: open it with") as caught:
        Library.open(address)
    assert "s3cret" not in str(caught.value)  # a password in the address is never echoed
    assert list(tmp_path.iterdir()) == []
