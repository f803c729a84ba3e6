"""The sample library shipped with SpineLib: landmark spine-oncology papers to try at once.

A new user with an empty library can load it from the welcome panel and use every feature
offline (search, tags and suggestions, facets, reading lists, export). The file is plain RIS
in ``resources/sample/`` (bibliographic facts only, no abstracts; see its README) and goes
through the same import pipeline as any file a user imports, so it is merged, deduplicated
and tagged exactly like their own papers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from spinelib import paths
from spinelib.errors import LibraryError
from spinelib.library import Library

log = logging.getLogger(__name__)

#: The sample file, relative to the shipped resources.
SAMPLE_RESOURCE = "sample/spine-oncology-landmarks.ris"


def sample_path() -> Path:
    """Where the shipped sample file is, in a checkout, a wheel or a frozen build alike.

    Raises LibraryError when the installation lacks it (a broken install, not a user error
    the user can fix by retrying, so the message says to reinstall).
    """
    path = paths.resource(SAMPLE_RESOURCE)
    if not path.is_file():
        raise LibraryError(f"the sample library is missing from this installation ({path}); "
                           "reinstall SpineLib")
    return path


def load_sample(library: Library) -> int:
    """Import the sample papers into ``library``; the number now in the library.

    Papers already there (from an earlier load, or imported by the user) are merged, never
    duplicated, and count as present. Nothing is fetched from the network. A paper the
    library refuses is logged and left out of the count rather than stopping the others.
    """
    from spinelib.importer import run_import

    report = run_import(library, [str(sample_path())], client=None)
    for item in report.items:
        if not item.ok:
            log.warning("sample library: %s", item.line())
    return sum(1 for item in report.items if item.ok)
