"""A large PubMed file's whole-document check run by a helper process, from the moment the
import opens the file, while the importer parses its first batches (issue 19).

Why: the check (:func:`~spinelib.formats.pubmed_stream.check_file`, bare C expat over every
byte) must pass before anything is stored, and it is CPU the importing process spent alone:
0.9 s of a 10,000-record file's 9 s, while the importer is the side its vocabulary helper
waits for. Run by ``python -m spinelib.formats.background_check PATH`` on the other core, it
is done by the time the importer has read two batches ahead and wants to write the first.

Promises:

- **The same outcome**: the helper runs the very ``check_file`` the importer would, and its
  refusal is raised here with the same message (a truncated, malformed or hostile file
  stores nothing and reads as before);
- **never needed**: a helper that cannot start, dies, hangs or answers anything but its one
  line gives :meth:`BackgroundCheck.result` ``None``, and the caller checks in process;
- nothing outlives the import: :meth:`BackgroundCheck.stop` ends a helper still running.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from spinelib import helperprocess
from spinelib.errors import FormatError
from spinelib.formats.pubmed_stream import check_file

log = logging.getLogger(__name__)
#: Files from this size are checked by a helper. Below it the check takes less than the
#: ~60 ms a helper costs to start (5-6 ms a MB measured; the stream starts at 4 MB).
BACKGROUND_FROM_BYTES = 16 << 20
#: Seconds to wait for the helper's answer (a 1.6 GB file is checked in about 10 s) before
#: it is taken for hung: it is stopped and the file checked in process.
CHECK_TIMEOUT_S = 600.0


class BackgroundCheck:
    """One file's check running in a helper process; :meth:`result` waits for it."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc: subprocess.Popen[bytes] | None = proc

    @classmethod
    def start(cls, path: Path) -> BackgroundCheck | None:
        """Start checking ``path`` in a helper; None when it is not worth it (a small file)
        or no helper can run here (then the caller checks in process)."""
        try:
            if path.stat().st_size < BACKGROUND_FROM_BYTES or not helperprocess.can_start():
                return None
            return cls(helperprocess.start(__name__, str(path)))
        except OSError:
            log.warning("the file check's helper could not start; checking in this process",
                        exc_info=True)
            return None

    def result(self) -> int | None:
        """The articles counted by a check that passed; FormatError with the check's own
        message when it refused the file; None when the helper failed (check here)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        try:
            out, _ = proc.communicate(timeout=CHECK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("the file check's helper hung; checking in this process")
            _end(proc)
            return None
        answer = _answer(out) if proc.returncode == 0 else None
        if answer is None:
            log.warning("the file check's helper failed (exit %s); checking in this process",
                        proc.returncode)
            return None
        if isinstance(answer, str):
            raise FormatError(answer)
        return answer

    def stop(self) -> None:
        """End a helper whose answer nobody will read (the import stopped before it)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            _end(proc)


def _answer(out: bytes) -> int | str | None:
    """The helper's one line: the count, the refusal's message, or None if it is neither."""
    try:
        reply = json.loads(out)
    except ValueError:
        return None
    if not isinstance(reply, dict):
        return None
    total, refused = reply.get("total"), reply.get("refused")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    return refused if isinstance(refused, str) and refused else None


def _end(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def main(argv: list[str]) -> int:
    """The helper: check the file named by ``argv[0]`` and write one JSON line."""
    try:
        reply: dict[str, int | str] = {"total": check_file(Path(argv[0]))}
    except FormatError as exc:
        reply = {"refused": str(exc)}
    sys.stdout.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
