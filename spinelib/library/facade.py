"""The Library: the one object the CLI, the GUI and scripts drive (docs/ARCHITECTURE.md).

A facade of small managers, one room each: ``articles`` (merge, records, edits), ``search``
(queries, counts, facets), ``tags``, ``lists`` and ``pending``. New features add a room, not
methods here. The library owns its :class:`~spinelib.store.Store`; faces never touch it.

Promises:
- Opening refuses, untouched, a file that is not a library, is damaged or is newer than this
  SpineLib, with one plain message naming the newest backup.
- Every write is one transaction; a failure leaves no half article behind.
- The daily backup never copies a damaged file into the rotation.
"""

from __future__ import annotations

import contextlib
import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from spinelib.errors import LibraryError
from spinelib.library.annotations import AnnotationsManager
from spinelib.library.articles import ArticlesManager
from spinelib.library.attachments import AttachmentsManager
from spinelib.library.byhand import ByHandManager
from spinelib.library.duplicates import DuplicatesManager
from spinelib.library.edits import EditsManager
from spinelib.library.evidence import EvidenceManager
from spinelib.library.exports import ExportsManager
from spinelib.library.history import HistoryManager
from spinelib.library.lists import ListsManager
from spinelib.library.pending import PendingManager
from spinelib.library.reflists import ReferenceListsManager
from spinelib.library.retractions import RetractionsManager
from spinelib.library.search import SearchManager
from spinelib.library.searches import SearchesManager
from spinelib.library.tags import TagsManager
from spinelib.library.trash import TrashManager
from spinelib.library.watches import InboxManager, WatchesManager
from spinelib.store import Store, errors
from spinelib.store.connection import StatementListener
from spinelib.store.schema import CORE_TABLES
from spinelib.store.sqlite import files, maintenance, migrations
from spinelib.vocabulary import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from spinelib.library.sync import SyncManager

#: A daily backup is made when the newest is older than this many seconds.
DAILY = 24 * 3600


class Library:
    """A library opened for use. Create with :meth:`open`; close when done."""

    def __init__(self, store: Store, taxonomy: Taxonomy) -> None:
        self.store = store
        self.taxonomy = taxonomy
        self.articles = ArticlesManager(self)
        self.search = SearchManager(self)
        self.tags = TagsManager(self)
        self.lists = ListsManager(self)
        self.pending = PendingManager(self)
        self.exports = ExportsManager(self)
        self.retractions = RetractionsManager(self)
        self.watches = WatchesManager(self)
        self.inbox = InboxManager(self)
        self.evidence = EvidenceManager(self)
        self.attachments = AttachmentsManager(self)
        #: The reader's highlights and comments in the attached PDFs.
        self.annotations = AnnotationsManager(self)
        # Curation (issue 15): undo log, edits, trash, duplicates, saved searches.
        self.history = HistoryManager(self)
        self.edits = EditsManager(self)
        #: Articles typed in field by field (a guideline, an abstract: nothing to fetch).
        self.by_hand = ByHandManager(self)
        self.reference_lists = ReferenceListsManager(self)
        self.trash = TrashManager(self)
        self.duplicates = DuplicatesManager(self)
        self.searches = SearchesManager(self)
        #: A daily backup passed its integrity gate at open and waits for the work to end.
        self._backup_due = False

    @classmethod
    def open(cls, path: Path | str, *, taxonomy: Taxonomy | None = None,
             daily_backup: bool = False) -> Library:
        """Open or create the library at ``path`` (upgrading an older schema after a backup).
        A team library's address is refused: it is a server, opened through its replica
        (:func:`spinelib.library.team.open_team`), never a folder to make."""
        if str(path).lower().startswith(("postgresql:", "postgres:")):
            raise LibraryError(
                f"{str(path).split('@')[-1]!r} is a team library's address: open it with "
                "spinelib.library.team.open_team (or spinelib --library URL), not as a file")
        store = Store.open(Path(path))
        lib = cls(store, taxonomy or load_taxonomy())
        try:
            # Reach the root page of every table we rely on, so a damaged file is usually
            # reported here with a plain message. LIMIT 1, not count(*): counting reads the
            # whole FTS index (6 s from a cold disk at 100k articles). Damage deeper in the
            # file is reported by the command that meets it, and found in full by `check`.
            with store.reading() as conn:
                for table in CORE_TABLES:
                    store.queries.probe(conn, table)
            lib.tags.sync_vocabulary()
        except errors.DATABASE_ERRORS as exc:
            store.close()
            raise store.engine.damaged(exc) from exc
        if daily_backup:
            lib._backup_due = lib._daily_backup_due()
        return lib

    @functools.cached_property
    def sync(self) -> SyncManager:
        """The team-library sync, made on first use: a file library's commands never load
        the PostgreSQL driver (about a third of a command's imports)."""
        from spinelib.library.sync import SyncManager

        return SyncManager(self)

    @property
    def path(self) -> Path:
        return self.store.location

    @property
    def name(self) -> str:
        return self.path.stem

    def close(self) -> None:
        """Close the library, making the day's backup first if one is still due (after the
        command's work: its output is already written)."""
        try:
            self.backup_if_due()
        finally:
            if "sync" in self.__dict__:  # made only if used (a team library, or asked)
                self.sync.close()
            self.store.close()

    def one_write(self) -> contextlib.AbstractContextManager[object]:
        """Everything the rooms write inside this block is one transaction: all of it lands,
        or, on an exception, none of it. For a pipeline that calls several rooms for one
        outcome (the importer: the articles, the counts and notices their replies carried,
        the pending queue), so a failure leaves no article without the rest."""
        return self.store.writing()

    def backup_if_due(self) -> Path | None:
        """Make the daily backup that :meth:`open` found due (its integrity gate already
        passed), once; None when none is due. Faces call it after their work (the CLI when
        the command has printed, the GUI on a worker), so it never delays a command."""
        if not self._backup_due:
            return None
        self._backup_due = False
        return self.store.engine.automatic_backup("daily")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- upkeep
    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the library, safe while others write: into the backups folder
        (kept in rotation) when ``dest`` is None."""
        if dest is None:
            return self.store.engine.automatic_backup("manual")
        return self.store.engine.backup_to(dest)

    def check(self) -> list[str]:
        """Problems found by the database's checks and ours; [] means healthy."""
        return self.store.engine.integrity_problems()

    def schema_version(self) -> int:
        return self.store.engine.schema_version()

    def changed_elsewhere(self) -> bool:
        """Whether another process (a ``spinelib`` command, another window) has changed the
        library since the last call, so a window showing it should load it again. The
        first call starts watching and says False; this Library's own writes never count."""
        return self.store.engine.changed_elsewhere()

    def newest_backup(self) -> Path | None:
        return self.store.engine.newest_backup()

    def watch_statements(self, listener: StatementListener | None) -> None:
        """Call ``listener`` with every SQL statement this library runs (None stops it);
        tests use it to prove the GUI never queries on its own thread."""
        self.store.engine.listeners.clear()
        if listener is not None:
            self.store.watch_statements(listener)

    @staticmethod
    def restore(path: Path, source: Path) -> Path | None:
        """Replace the (closed) library at ``path`` by the backup ``source``, validated first;
        returns the safety copy of the replaced library (None if there was none)."""
        return maintenance.restore(Path(path), Path(source))

    @staticmethod
    def copy_file(source: Path, dest: Path) -> Path:
        """A consistent copy of the library file ``source`` at ``dest`` (SQLite's backup
        API: whole even while another process writes it); ``source`` is only read.
        LibraryError when it cannot be read (damaged, locked for too long)."""
        try:
            return files.backup_to(Path(source), Path(dest))
        except errors.DATABASE_ERRORS as exc:
            raise errors.explain(Path(source), exc) or LibraryError(
                f"{Path(source).name} cannot be read: {exc}") from exc

    @staticmethod
    def is_database(path: Path) -> bool:
        """Whether the file at ``path`` holds an SQLite database (a library, a backup, a
        replica): read by its header alone; False when it cannot be read."""
        try:
            return migrations.is_sqlite_file(Path(path))
        except OSError:
            return False

    @staticmethod
    def check_backup(source: Path) -> None:
        """LibraryError when ``source`` is plainly no backup to restore (missing, not a
        SpineLib library, empty): the quick part of :meth:`restore`'s checks."""
        maintenance.check_backup(Path(source))

    @staticmethod
    def newest_backup_of(path: Path) -> Path | None:
        """The newest backup of a library that may not open (for messages)."""
        return files.newest_backup(Path(path))

    @staticmethod
    def engine_version() -> str:
        """The database engine's version (for the About box)."""
        return errors.engine_version()

    @staticmethod
    def explain_error(path: Path, exc: BaseException) -> LibraryError | None:
        """The plain message for a database error met mid-command (busy, damaged, unreadable),
        or None when ``exc`` is not a database error (then it is a bug)."""
        return errors.explain(Path(path), exc)

    def _daily_backup_due(self) -> bool:
        """Whether a daily backup is due, after the integrity gate: a damaged library is
        refused here, before any command reads or writes it (and never enters the rotation).
        The copy itself waits for :meth:`backup_if_due`."""
        newest = self.newest_backup()
        if newest is not None:
            age = datetime.now(UTC).timestamp() - newest.stat().st_mtime
            if age < DAILY:
                return False
        if self.search.count() == 0:
            return False
        # A damaged file must never enter the rotation: it would push a good backup out and
        # become the "newest backup" every damage message points the user to.
        try:
            verdict = self.store.engine.quick_check()
        except errors.DATABASE_ERRORS as exc:
            self.close()
            raise self.store.engine.damaged(exc) from exc
        if verdict:
            self.close()
            raise self.store.engine.damaged(LibraryError(verdict[0].splitlines()[0]))
        return True
