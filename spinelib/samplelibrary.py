"""The sample library as a library of its own: a separate file a new user opens from the
welcome panel, explores, and closes, leaving their own library untouched.

It is built on this machine, offline, from the files shipped in ``resources/sample/`` through
the same import pipeline as the user's own files: the 14 landmark papers (RIS, bibliographic
facts) and one complete PubMed record (``pubmed-38856741.xml``: abstract, MeSH-free keywords,
45 references, verbatim efetch XML of an open-access Global Spine J paper). Then it is made
to show every feature: some suggested tags accepted and some left to judge, a reading list,
read states, a rating and a note. It is built into a temporary file and moved into place in
one step, so a half-built sample is never opened.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from spinelib import paths
from spinelib.errors import LibraryError
from spinelib.library import Library, ReadStatus

log = logging.getLogger(__name__)

#: The sample's files, in import order (relative to the shipped resources).
SAMPLE_FILES = ("sample/spine-oncology-landmarks.ris", "sample/pubmed-38856741.xml")
#: The sample library's file name in the data directory.
SAMPLE_NAME = "Sample library.sqlite"
#: The reading list the sample comes with.
SAMPLE_LIST = "Start here"
#: The PMID of the complete record (abstract and references): the first thing to look at.
SHOWCASE_PMID = "38856741"


@dataclass(frozen=True)
class SampleSummary:
    """What a freshly built sample library holds."""

    path: Path
    articles: int
    with_abstract: int
    references: int
    confirmed_tags: int
    open_suggestions: int
    list_items: int


def sample_library_path() -> Path:
    """Where the sample library lives: beside the user's data, never inside their library."""
    return paths.data_dir() / SAMPLE_NAME


def sample_files() -> list[Path]:
    """The shipped files, checked (a broken install is told to reinstall)."""
    found = [paths.resource(name) for name in SAMPLE_FILES]
    missing = [str(p) for p in found if not p.is_file()]
    if missing:
        raise LibraryError(f"the sample library is missing from this installation "
                           f"({', '.join(missing)}); reinstall SpineLib")
    return found


def ensure_sample_library(path: Path | None = None) -> Path:
    """The sample library's path, building it first when it does not exist yet."""
    path = path or sample_library_path()
    if not path.is_file():
        build_sample_library(path)
    return path


def build_sample_library(path: Path) -> SampleSummary:
    """Build the sample library at ``path`` (replacing an older sample there)."""
    from spinelib.importer import run_import

    files = sample_files()
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    lib = Library.open(building)
    try:
        report = run_import(lib, [str(f) for f in files], client=None)
        for item in report.items:
            if not item.ok:
                log.warning("sample library: %s", item.line())
        _show_every_feature(lib)
        summary = _summarise(lib, path)
    finally:
        lib.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    os.replace(building, path)
    return summary


def _show_every_feature(lib: Library) -> None:
    """Tags confirmed and suggested, a reading list, read states, a rating and a note."""
    ids = lib.search.ids()
    showcase = lib.articles.resolve_key(SHOWCASE_PMID)
    # Confirm the suggestions of every other article; the rest stay open to judge.
    for n, article_id in enumerate(ids):
        if n % 2 == 0:
            for tag in lib.tags.state(article_id).suggested:
                lib.tags.accept(article_id, tag.id)
    chosen = [showcase] + [i for i in ids if i != showcase][:4]
    lib.lists.create(SAMPLE_LIST)
    lib.lists.add(SAMPLE_LIST, chosen)
    lib.articles.set_read_status(chosen[1:3], ReadStatus.READ)
    lib.articles.set_read_status(chosen[3:4], ReadStatus.READING)
    lib.articles.set_rating(showcase, 4)
    lib.articles.set_notes(showcase, "Sample note: read the References tab to see which "
                                     "cited papers are already in the library.")


def _summarise(lib: Library, path: Path) -> SampleSummary:
    ids = lib.search.ids()
    records = [lib.articles.record(i) for i in ids]
    states = [lib.tags.state(i) for i in ids]
    return SampleSummary(
        path=path, articles=len(ids), with_abstract=sum(1 for r in records if r.abstract),
        references=sum(len(r.references) for r in records),
        confirmed_tags=sum(len(s.tags) for s in states),
        open_suggestions=sum(len(s.suggested) for s in states),
        list_items=next((x.count for x in lib.lists.all() if x.name == SAMPLE_LIST), 0))


__all__ = ["SAMPLE_LIST", "SampleSummary", "build_sample_library", "ensure_sample_library",
           "sample_library_path"]
