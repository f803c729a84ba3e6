"""Errors, split the qutebrowser way: the user's environment versus bugs.

Everything deriving from :class:`SpineLibError` is an expected condition of the user's world
(offline, a bad identifier, a locked or foreign file). Faces print its message as one plain line;
anything else is a bug and gets a traceback in the log file.
"""

from __future__ import annotations


class SpineLibError(Exception):
    """An expected failure with a message fit to show a user as it is."""


class InvalidIdentifier(SpineLibError, ValueError):
    """Text that is not a DOI, PMID or PMCID; the message says why."""


#: How the message of text that is no identifier of any kind ends ("'NCCN guidelines' is
#: not a DOI, PMID or PMCID"): the command line then names ``spinelib add``.
NOT_AN_IDENTIFIER = "is not a DOI, PMID or PMCID"


class LibraryError(SpineLibError):
    """The library file cannot be used (not SQLite, newer schema, unwritable, corrupt)."""


class NotFound(SpineLibError):
    """The service answered, and it has no such record."""


class NetworkError(SpineLibError):
    """The service could not be reached (offline, DNS, timeout, reset): worth queueing."""


class Offline(NetworkError):
    """This machine has no way to the service (its name cannot be looked up, no route to
    it): retrying in a few seconds will not help, so the whole batch is queued at once."""


class ServiceError(SpineLibError):
    """The service answered with something unusable (HTTP error after retries, HTML, bad XML)."""


class FormatError(SpineLibError):
    """A file could not be read as the format it claims to be."""


class NoMatch(SpineLibError):
    """A KEY given by the user matches no article. ``close``: names the user may have
    meant (a typo's likely target), best first; the message already says them."""

    def __init__(self, message: str, close: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.close = close
