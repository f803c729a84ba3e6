"""The embedded default store: one SQLite file per library (docs/ARCHITECTURE.md).

Public: :class:`SqliteEngine` (open a library file), the schema ladder
(:data:`MIGRATIONS`, :data:`SCHEMA_VERSION`, :func:`read_schema_version`) and the file-level
upkeep used before a library can be opened (backups, restore, integrity checks).
"""

from spinelib.store.sqlite.engine import SqliteEngine
from spinelib.store.sqlite.files import (
    BACKUPS_KEPT,
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    automatic_backup,
    backup_to,
    damaged,
    newest_backup,
)
from spinelib.store.sqlite.maintenance import integrity_problems, restore
from spinelib.store.sqlite.migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    migrate,
    read_schema_version,
    target_version,
)

__all__ = [
    "BACKUPS_KEPT",
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "SqliteEngine",
    "automatic_backup",
    "backup_to",
    "damaged",
    "integrity_problems",
    "migrate",
    "newest_backup",
    "read_schema_version",
    "restore",
    "target_version",
]
