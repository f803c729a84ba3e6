"""What one run of many requests found it could not reach, so the rest of the run does not
ask again.

Every request that fails for the network waits out the HTTP client's retries first (about
17 s a service when the connection is refused, minutes when requests time out behind a
firewall), so a run over forty PDFs or ten watches would wait that forty or ten times. A
run holds one :class:`Unreachable`; the first failure of a service is remembered, and the
rest of the run is told the same reason at once, saying it was not asked again, so each
item is queued or marked as the first one was. A new run asks again: the network may be
back. (The resolver's batches and the open-access run keep the same memory in their own
shapes: ``sources.lookups`` and ``sources.openaccess.HostGate``.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from spinelib.errors import NetworkError

P = ParamSpec("P")
T = TypeVar("T")


class Unreachable:
    """The services a run found unreachable, and why. ``again`` is what a later item's
    reason adds, naming the run: " (not asked again: an earlier PDF of this import found
    it so)"."""

    def __init__(self, again: str) -> None:
        self.again = again
        #: The service (or kind of request) -> the first failure's message.
        self._why: dict[str, str] = {}

    def ask(self, what: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)``, unless ``what`` proved unreachable earlier in the run: then a
        NetworkError with the same reason and ``again``. A NetworkError from ``fn`` is
        remembered for ``what``, and raised."""
        said = self.said(what)
        if said is not None:
            raise NetworkError(said)
        try:
            return fn(*args, **kwargs)
        except NetworkError as exc:
            self.remember(what, str(exc))
            raise

    def remember(self, what: str, why: str) -> None:
        """``what`` could not be reached, for ``why`` (the first reason is kept)."""
        self._why.setdefault(what, why)

    def said(self, what: str) -> str | None:
        """The reason a later item is given for ``what`` (None while it is reachable)."""
        why = self._why.get(what)
        return None if why is None else why + self.again
