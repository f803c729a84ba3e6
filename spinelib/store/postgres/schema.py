"""The team library's server schema (PostgreSQL): its frozen ladder, roles and creation.

``library_meta`` holds the library's UUID and the schema version; ``article`` holds each
shared article as a JSON document keyed by its client-made UUID, with ``pmid``/``doi``/
``pmcid`` columns kept unique so two clients importing one paper make one article;
``change_log`` is the append-only history whose ``seq`` a client pulls from (a trigger sends
``pg_notify`` with only the new number); ``article_private`` holds each login's read status,
rating and notes behind row-level security. Three groups named after the database
(``<db>_reader``, ``<db>_editor``, ``<db>_admin``) carry the rights, so several libraries can
share one server. A released step of :data:`SERVER_MIGRATIONS` is never edited.
"""

from __future__ import annotations

import logging
import uuid as uuidlib

import psycopg
from psycopg import sql

from spinelib.errors import LibraryError

log = logging.getLogger(__name__)

CHANNEL = "spinelib_changes"
ROLES = ("reader", "editor", "admin")

_V1: tuple[str, ...] = (
    "CREATE TABLE library_meta (uuid uuid NOT NULL, schema_version integer NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now())",
    "CREATE TABLE article (uuid uuid PRIMARY KEY, pmid text UNIQUE, doi text UNIQUE, "
    "pmcid text UNIQUE, data jsonb NOT NULL, version integer NOT NULL, "
    "deleted boolean NOT NULL DEFAULT false)",
    "CREATE TABLE change_log (seq bigserial PRIMARY KEY, change_id uuid UNIQUE, "
    "actor text NOT NULL DEFAULT current_user, at timestamptz NOT NULL DEFAULT now(), "
    "article uuid NOT NULL, kind text NOT NULL, diff jsonb NOT NULL)",
    "CREATE INDEX ix_change_log_article ON change_log (article, seq)",
    "CREATE TABLE article_private (article uuid NOT NULL, "
    "login text NOT NULL DEFAULT current_user, read_status integer NOT NULL, "
    "rating integer NOT NULL, notes text NOT NULL, seq bigint NOT NULL, "
    "PRIMARY KEY (article, login))",
    "ALTER TABLE article_private ENABLE ROW LEVEL SECURITY",
    # FORCE: the owner who created the library is a person too; their notes are theirs.
    "ALTER TABLE article_private FORCE ROW LEVEL SECURITY",
    "CREATE POLICY own_rows ON article_private USING (login = current_user) "
    "WITH CHECK (login = current_user)",
    f"""CREATE FUNCTION change_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{CHANNEL}', NEW.seq::text); RETURN NULL; END $$""",
    "CREATE TRIGGER change_log_notify AFTER INSERT ON change_log FOR EACH ROW "
    "EXECUTE FUNCTION change_log_notify()",
)
#: The server ladder: version -> statements. Append; never edit a released step.
SERVER_MIGRATIONS: dict[int, tuple[str, ...]] = {1: _V1}
SERVER_SCHEMA_VERSION = max(SERVER_MIGRATIONS)


def group(dbname: str, role: str) -> str:
    return f"{dbname}_{role}"


def create(conn: psycopg.Connection) -> str:
    """Set up an empty database as a team library (one transaction); returns its UUID.

    Refuses, changing nothing, a database that already has tables of its own.
    """
    dbname = str(conn.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
    with conn.transaction():
        tables = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm')"
        ).fetchall()
        if tables:
            names = {str(t[0]) for t in tables}
            what = ("is already a SpineLib team library" if "library_meta" in names
                    else "is not empty and is not a SpineLib library")
            raise LibraryError(f"database {dbname} {what}; nothing was changed")
        for version in sorted(SERVER_MIGRATIONS):
            for statement in SERVER_MIGRATIONS[version]:
                conn.execute(statement)
        _prefer_quick_compression(conn)
        library_uuid = str(uuidlib.uuid4())
        conn.execute("INSERT INTO library_meta (uuid, schema_version) VALUES (%s, %s)",
                     (library_uuid, SERVER_SCHEMA_VERSION))
        _create_groups(conn, dbname)
    return library_uuid


#: How the server stores the large JSON values (each article's document, each change's diff)
#: when it can: LZ4 (PostgreSQL 14+ built ``--with-lz4``, as Debian's and the official
#: images are). PostgreSQL compresses any value over ~2 KB (TOAST) with ``pglz`` unless told
#: otherwise; measured on 30,000 of the benchmark's documents (12.7 KB of JSON each),
#: ``COPY`` into the table took 9.3-10.0 s of server CPU with pglz and 4.9-5.3 s with LZ4,
#: reading them out 2.5 -> 2.1-2.4 s, the table 4% bigger (237 -> 246 MB). A storage
#: choice, not a schema step: the data model, and every client's reading, are the same
#: either way (the server decompresses); a value written before keeps its method.
QUICK_COMPRESSION = "lz4"
_COMPRESSED_COLUMNS = (("article", "data"), ("change_log", "diff"))


def _prefer_quick_compression(conn: psycopg.Connection) -> None:
    """Store the large JSON columns with :data:`QUICK_COMPRESSION` where the server has it;
    on a server without it (an older PostgreSQL, a build without LZ4) keep its default,
    which stores the same values, only more slowly. Inside the creating transaction: the
    attempt is a savepoint of its own, so a refusal rolls back nothing else."""
    try:
        with conn.transaction():
            for table, column in _COMPRESSED_COLUMNS:
                conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET COMPRESSION {}"
                                     ).format(sql.Identifier(table), sql.Identifier(column),
                                              sql.SQL(QUICK_COMPRESSION)))
    except psycopg.Error as exc:
        log.info("team library: the server keeps its own compression (%s)",
                 str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def _create_groups(conn: psycopg.Connection, dbname: str) -> None:
    ident = sql.Identifier
    reader, editor, admin = (ident(group(dbname, r)) for r in ROLES)
    existing = {str(r[0]) for r in conn.execute(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)",
        ([group(dbname, r) for r in ROLES],)).fetchall()}
    for role in ROLES:
        if group(dbname, role) not in existing:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(ident(group(dbname, role))))
    statements = [
        "REVOKE ALL ON DATABASE {db} FROM PUBLIC",
        "GRANT CONNECT ON DATABASE {db} TO {reader}",
        "GRANT USAGE ON SCHEMA public TO {reader}",
        "GRANT SELECT ON library_meta, article, change_log TO {reader}",
        # Private rows are everyone's own (row-level security), readers included.
        "GRANT SELECT, INSERT, UPDATE ON article_private TO {reader}",
        "GRANT USAGE ON SEQUENCE change_log_seq_seq TO {reader}",
        # Editors change articles through versioned UPDATEs (a delete is a tombstone) and
        # append history; they cannot remove rows (emptying the trash is the admin's).
        "GRANT INSERT, UPDATE ON article TO {editor}",
        "GRANT INSERT ON change_log TO {editor}",
        "GRANT DELETE ON article, change_log TO {admin}",
        "GRANT {reader} TO {editor}",
        "GRANT {editor} TO {admin}",
    ]
    for text in statements:
        conn.execute(sql.SQL(text).format(db=ident(dbname), reader=reader, editor=editor,
                                          admin=admin))


def grant(conn: psycopg.Connection, login: str, role: str) -> None:
    """Put ``login`` into exactly one of the library's groups (one transaction)."""
    if role not in ROLES:
        raise LibraryError(f"unknown role {role!r}: choose reader, editor or admin")
    dbname = str(conn.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
    with conn.transaction():
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s AND rolcanlogin",
                        (login,)).fetchone() is None:
            raise LibraryError(f"there is no login {login!r} on this server (the server's "
                               "administrator creates it: see the README)")
        for other in ROLES:
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(
                sql.Identifier(group(dbname, other)), sql.Identifier(login)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(
            sql.Identifier(group(dbname, role)), sql.Identifier(login)))
