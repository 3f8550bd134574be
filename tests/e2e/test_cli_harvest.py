"""The ``harvest`` and ``review`` commands end to end, and a harvest killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from govlens.demo.server import CkanServer, Reply
from govlens.store import Store
from govlens.store import schema as t
from helpers import ar_packages

GOVLENS = str(Path(sys.executable).with_name("govlens"))


def _run(*args: str, env: Mapping[str, str] | None = None, cwd: Path | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GOVLENS, *args], check=False, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def test_harvest_json_contract(sqlite_url: str, shared_data: Path) -> None:
    path = shared_data / "mx-adela" / "inegi.json"
    done = _run("harvest", str(path), "--db", sqlite_url, "--catalogue", "xalapa", "--json")
    assert done.returncode == 0, done.stderr
    out = orjson.loads(done.stdout)
    assert list(out)[:7] == ["run", "catalogue", "datasets", "distributions", "publishers", "warnings",
                             "errors"]
    assert (out["catalogue"], out["datasets"], out["distributions"], out["errors"]) == ("xalapa", 1, 72, [])
    listed = _run("datasets", "--db", sqlite_url, "--format", "jsonl")
    assert orjson.loads(listed.stdout.splitlines()[0])["dataset"] == "INEGI"


def test_harvest_failure_exits_non_zero_with_a_clear_message(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<x> a dcat:Dataset ;;;")
    done = _run("harvest", str(bad), "--db", sqlite_url, "--json")
    assert done.returncode == 1
    out = orjson.loads(done.stdout)
    assert out["errors"][0]["error"] == "SourceFormatError"
    assert str(bad) in done.stderr and "invalid RDF" in done.stderr


def test_review_runs_on_the_embedded_demo(tmp_path: Path) -> None:
    env = {"GOVLENS_DB": f"sqlite:///{tmp_path / 'review.sqlite'}"}
    done = _run("review", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "demo-mx: harvested" in done.stdout
    assert "Secretaría de Hacienda y Crédito Público" in done.stdout
    again = _run("review", "--json", env=env, cwd=tmp_path)
    out = orjson.loads(again.stdout)
    assert out["harvest"]["datasets"] >= 200 and out["harvest"]["publishers"] == 10
    assert out["findings"]["without_licence"] > 0
    # The second review found the same catalogue: nothing withdrawn, no new records.
    assert out["harvest"]["withdrawn"] == 0


def _pages(db_url: str) -> int:
    with Store.open(db_url) as store, store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.runs.c.pages), 0))).scalar_one())


def _members(db_url: str, run: int) -> list[str]:
    with Store.open(db_url) as store, store.engine.connect() as conn:
        return list(conn.execute(sa.select(t.run_datasets.c.identifier)
                                 .where(t.run_datasets.c.run_id == run)
                                 .where(t.run_datasets.c.state == "present")).scalars())


@pytest.mark.slow
def test_sigkill_midway_then_resume_loses_and_duplicates_nothing(
    db_url: str, shared_data: Path, tmp_path: Path
) -> None:
    packages: list[dict[str, Any]] = ar_packages(shared_data)

    def slow(path: str, q: Mapping[str, str], n: int) -> Reply | None:
        if path.endswith("package_search"):
            time.sleep(0.08)
        return None

    with CkanServer(packages, fault=slow, rows_max=40) as server:
        kills = 0
        seen = 0
        for _ in range(3):
            proc = subprocess.Popen([GOVLENS, "harvest", server.url, "--db", db_url, "--catalogue", "ar"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _pages(db_url) < seen + 2 and proc.poll() is None:
                time.sleep(0.05)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            seen = _pages(db_url)
        assert kills >= 2 and 0 < seen < 866 // 40
        done = _run("harvest", server.url, "--db", db_url, "--catalogue", "ar", "--json")
        assert done.returncode == 0, done.stderr
        resumed = orjson.loads(done.stdout)
        reference_db = f"sqlite:///{tmp_path / 'reference.sqlite'}"
        ref = orjson.loads(_run("harvest", server.url, "--db", reference_db, "--catalogue", "ar",
                                "--json").stdout)
    assert resumed["resumed"] is True and resumed["datasets"] == ref["datasets"] == 866
    got = _members(db_url, resumed["run"])
    assert len(got) == len(set(got)) == 866
    assert set(got) == set(_members(reference_db, ref["run"])) == {p["id"] for p in packages}
    assert (resumed["distributions"], resumed["publishers"]) == (ref["distributions"], ref["publishers"])
