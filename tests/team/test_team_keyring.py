"""Team passwords in a REAL operating-system keyring (issue 13): the Secret Service of a
gnome-keyring-daemon, started headless in its own D-Bus session (``dbus-run-session``) and
unlocked with a known password, in a throw-away HOME. SpineLib's own keyring code
(``spinelib/library/passwords.py``, and ``team.connect``'s order libpq → keyring → prompt)
stores, reads, replaces and deletes a password there; ``secretstorage`` checks from outside
keyring that the daemon itself holds it. Needs the Debian packages ``dbus`` and
``gnome-keyring`` (in CI a missing one fails the test; elsewhere it is skipped)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = Path(__file__).resolve().parent / "keyring_probe.py"
NEEDED = ("dbus-run-session", "gnome-keyring-daemon")


def _probe(tmp_path: Path) -> dict[str, object]:
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        reason = f"no real keyring here: {', '.join(missing)} not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "XDG_DATA_HOME": str(home / ".local" / "share"),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_RUNTIME_DIR": str(runtime),
           "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    script = ("printf 'keyring-unlock' | gnome-keyring-daemon --unlock --components=secrets "
              f"--daemonize >/dev/null && exec {sys.executable} {PROBE}")
    done = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], env=env,
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_password_lives_in_the_real_secret_service_and_goes(tmp_path: Path) -> None:
    seen = _probe(tmp_path)
    assert seen["available"] is True
    assert seen["where"] == "the system keyring (SecretService Keyring)"
    assert seen["remembered"] == seen["where"]
    assert seen["stored"] == "s3cret – ünïcode"
    assert seen["daemon"] == ["s3cret – ünïcode"]  # the daemon holds it, one item
    assert seen["stored_after_change"] == "changed"
    assert seen["daemon_after_change"] == ["changed"]  # replaced, not a second item
    assert seen["stored_after_forget"] is None
    assert seen["daemon_after_forget"] == []
    assert seen["other_url"] is None


def test_connecting_takes_the_real_keyrings_password_before_asking(tmp_path: Path) -> None:
    seen = _probe(tmp_path)
    assert seen["connect"] == ["connected", "from the keyring"]
    assert seen["tried"] == [None, "from the keyring"]  # libpq's own first, then the keyring
    assert seen["asked"] == []  # no prompt
