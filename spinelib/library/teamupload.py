"""Starting a team library from an existing local one, in bulk (issue 13:
``spinelib team create URL --from PATH``).

A department often starts its team library from one surgeon's library of tens of thousands
of articles. Pushing them as a client's changes took 21 s at 10,000 articles and about an
hour at 100,000 (the benchmark's set-up); here the local library is read in batches
(:mod:`spinelib.store.uploaddocs`) while the server copies them in (``COPY``,
:mod:`spinelib.store.postgres.upload`), all in one server transaction.

Promises:
- The local library is only read (one read transaction: the upload is one consistent
  library), never changed; it stays a plain file library.
- All or nothing on the server: a refusal, a clash or a dropped connection leaves the
  database as it was (empty), with a plain message saying so; the same command can be run
  again.
- Articles that a team server would hold as one (the same DOI, PMID or PMCID) are refused
  before anything is sent, naming them, so the user can merge or correct them first.
- Read status, rating and notes become the creating login's own (private) values; tags
  (the articles' and every user tag, empty ones too) and reading lists with their order are
  shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinelib.errors import LibraryError
from spinelib.import_results import Progress
from spinelib.library import teamurl
from spinelib.library.facade import Library
from spinelib.store import postgres, uploaddocs
from spinelib.store.postgres.upload import create_from, describe


@dataclass(frozen=True)
class UploadReport:
    """What ``team create --from`` made: the new library's UUID, the articles uploaded, the
    creating login's private rows (read status, rating, notes) and the lists and user tags."""

    library_uuid: str
    articles: int
    private: int
    names: int


def create_from_library(url: teamurl.TeamUrl, source: Path, conn: Any,
                        progress: Progress | None = None) -> UploadReport:
    """Create the team library on ``conn``'s empty database holding the library at
    ``source`` (see the module's promises). ``conn``: an autocommit connection of the
    login that owns the database and may create roles (it is closed by the caller).
    ``progress(done, total, UPLOADING)``: before the first batch and after each one is
    handed to the server (a 100,000-article library takes tens of seconds)."""
    if not source.is_file():
        raise LibraryError(f"{source}: no such library file")
    with Library.open(source) as local, local.store.reading() as read:
        clashes = uploaddocs.identifier_clashes(read)
        if clashes:
            raise LibraryError(_clash_message(source, clashes))
        names = uploaddocs.name_events(read)
        batches: Iterable[list[uploaddocs.Doc]] = uploaddocs.documents(read)
        if progress is not None:
            batches = _reported(batches, uploaddocs.count(read), progress)
        try:
            made = create_from(conn, names, batches)
        except postgres.OFFLINE_ERRORS as exc:
            raise LibraryError(f"the upload to {url.display} was interrupted "
                               f"({describe(exc)}); the server keeps nothing of it: "
                               "run the same command again") from None
        except postgres.UPLOAD_ERRORS as exc:
            raise LibraryError(f"the upload to {url.display} was refused "
                               f"({describe(exc)}); the database was left as it was "
                               f"and {source} is unchanged") from None
    return UploadReport(made.library_uuid, made.articles, made.private, made.names)


#: What :func:`create_from_library` reports progress as.
UPLOADING = "uploading articles"


def _reported(batches: Iterable[list[uploaddocs.Doc]], total: int, progress: Progress
              ) -> Iterator[list[uploaddocs.Doc]]:
    done = 0
    progress(done, total, UPLOADING)
    for batch in batches:
        yield batch
        done += len(batch)
        progress(done, total, UPLOADING)


def _clash_message(source: Path, clashes: list[tuple[str, str, list[str]]]) -> str:
    which = "; ".join(f"{ident} {value}: {', '.join(keys)}" for ident, value, keys in clashes)
    return (f"{source} holds articles a team library would hold as one ({which}); merge or "
            "correct them first (a team library keeps one article per DOI, PMID and PMCID). "
            "Nothing was uploaded.")

