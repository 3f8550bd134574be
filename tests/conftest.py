"""Shared fixtures: databases (SQLite and PostgreSQL), the shared data folder, requirements.

Tests that need PostgreSQL, a browser or the shared data skip with a clear reason
on a machine that lacks them; under CI (``CI=true``) a missing PostgreSQL or
browser fails instead of skipping.
"""

from __future__ import annotations

import os
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
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL template database for this test session."""
    ok, why = _pg_available()
    require(ok, why)
    import psycopg

    from govlens.store import Store

    name = f"govlens_tpl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = _swap_db(PG_URL, name)
    Store.open(url).close()
    yield name
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"govlens_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield _swap_db(PG_URL, name)
    with psycopg.connect(_plain(PG_URL), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
