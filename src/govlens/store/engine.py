"""Opening the database: engine options per dialect, and migrations to the latest schema."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from govlens.errors import MigrationError, StoreError
from govlens.store._sql import db_cause, foreign_keys_off

MIGRATIONS = str(Path(__file__).with_name("migrations"))


#: Page size of new SQLite files. Records are a few KiB compressed and most indexes are keyed
#: by content hash, so each commit dirties pages all over them: with 16 KiB pages a harvest
#: writes about a fifth less, in fewer, larger pages. Files made with 4 KiB pages keep them.
SQLITE_PAGE_SIZE = 16384

#: WAL size that triggers a checkpoint. SQLite's default of 1,000 pages is less than one page
#: of a large harvest dirties, so every commit would copy its pages back at once; a bigger
#: log copies a page rewritten by several commits once.
SQLITE_CHECKPOINT_BYTES = 64 << 20


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")  # new, empty files only
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-65536")
    page = cur.execute("PRAGMA page_size").fetchone()[0] or 4096
    cur.execute(f"PRAGMA wal_autocheckpoint={max(1000, SQLITE_CHECKPOINT_BYTES // page)}")
    cur.execute(f"PRAGMA journal_size_limit={SQLITE_CHECKPOINT_BYTES}")
    cur.close()


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url`` (SQLite file or PostgreSQL through psycopg 3)."""
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError("invalid database URL", url=url) from exc
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(u, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if u.get_backend_name() == "postgresql":
        return sa.create_engine(u, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    raise StoreError("unsupported database backend", backend=u.get_backend_name())


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    return cfg


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def _no_foreign_keys(conn: sa.Connection) -> AbstractContextManager[None]:
    """On SQLite, foreign key checks off while migrating: a migration that changes a table's
    key rebuilds it (new table, rows copied, old one dropped, new one renamed), which SQLite
    only allows with them off (https://sqlite.org/lang_altertable.html#otheralter)."""
    return foreign_keys_off(conn) if conn.dialect.name == "sqlite" else nullcontext()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema up to every head revision. Safe to call on every start."""
    try:
        if current_revisions(engine) == head_revisions():
            return
        cfg = alembic_config()
        with engine.connect() as conn, _no_foreign_keys(conn), conn.begin():
            if conn.dialect.name == "postgresql":
                # One migrator at a time, across processes.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7164021)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    except sa.exc.OperationalError as exc:
        raise StoreError("cannot open the database", cause=db_cause(exc)) from exc
    except (sa.exc.SQLAlchemyError, KeyError, ValueError) as exc:
        raise MigrationError("database migration failed", cause=db_cause(exc)) from exc
    except CommandError as exc:  # e.g. a revision this version of govlens does not know
        raise MigrationError("the database was migrated by another version of govlens",
                             cause=db_cause(exc)) from exc
