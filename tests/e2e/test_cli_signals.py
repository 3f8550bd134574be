"""A harvest stopped by a signal while its encoding worker processes run.

SIGTERM (a service manager stopping govlens, ``timeout``) unwinds as Ctrl-C (SIGINT) does:
the run marked failed, the workers stopped, ``--json``'s object printed; exit 143 (SIGINT: 1,
the command line's "Aborted!"). SIGKILL cannot be handled: the workers
notice that the harvesting process is gone and end too, instead of waiting for work
forever with its standard output open. Either way the next harvest resumes the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
import psutil
import pytest
import sqlalchemy as sa

from govlens.demo.server import CkanServer, Reply
from govlens.store import Store
from govlens.store import schema as t

GOVLENS = str(Path(sys.executable).with_name("govlens"))
#: Enough datasets for the harvest to encode pages in worker processes (Options.pool_from).
COUNT = 12_000


def _packages() -> list[dict[str, Any]]:
    return [{"id": f"ds-{i:05d}", "name": f"ds-{i:05d}", "title": f"Conjunto {i}",
             "metadata_created": "2024-01-01T00:00:00",
             "organization": {"name": "sfp", "title": "Secretaría de la Función Pública"},
             "resources": [{"id": f"r-{i}", "url": f"https://datos.example/{i}.csv", "format": "CSV"}]}
            for i in range(COUNT)]


def _slow(path: str, q: Mapping[str, str], n: int) -> Reply | None:
    if path.endswith("package_search"):
        time.sleep(0.25)  # so the signal comes while pages are still being harvested
    return None


@pytest.fixture
def server() -> Iterator[CkanServer]:
    with CkanServer(_packages(), fault=_slow) as srv:
        yield srv


def _workers(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "spawn_main" in " ".join(c.cmdline())]


def _start(server: CkanServer, db_url: str) -> tuple[subprocess.Popen[bytes], list[psutil.Process]]:
    proc = subprocess.Popen([GOVLENS, "harvest", server.url, "--db", db_url, "--catalogue", "big", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        time.sleep(0.05)
        workers = _workers(proc.pid)
    assert workers, "the harvest did not start its encoding workers"  # started as pages need them
    time.sleep(0.5)
    return proc, _workers(proc.pid) or workers


def _statuses(db_url: str) -> list[str]:
    with Store.open(db_url) as store, store.engine.connect() as conn:
        return list(conn.execute(sa.select(t.runs.c.status).order_by(t.runs.c.id)).scalars())


def _resume(server: CkanServer, db_url: str) -> dict[str, Any]:
    done = subprocess.run([GOVLENS, "harvest", server.url, "--db", db_url, "--catalogue", "big", "--json"],
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    info: dict[str, Any] = orjson.loads(done.stdout)
    return info


def _stop_all(workers: list[psutil.Process]) -> list[psutil.Process]:
    """The workers still alive after 15 seconds (killed then, so none outlives the test)."""
    _, alive = psutil.wait_procs(workers, timeout=15)
    for p in alive:
        p.kill()
    return alive


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 1)],
                         ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_workers_marks_the_run_failed_and_resume_completes(
        server: CkanServer, sqlite_url: str, sig: signal.Signals, status: int) -> None:
    proc, workers = _start(server, sqlite_url)
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=60)  # would hang while a worker holds standard output
    finally:
        alive = _stop_all(workers)
    assert proc.returncode == status, err  # SIGINT: Ctrl-C, which the command line reports as aborted
    assert alive == []
    assert _statuses(sqlite_url) == ["failed"]
    # --json still prints the run's one object, failed, with what was stored before the signal
    failed = orjson.loads(out)
    assert failed["status"] == "failed" and failed["catalogue"] == "big" and 0 <= failed["datasets"] < COUNT
    (e,) = failed["errors"]
    assert e["error"] == "Interrupted" and e["message"].startswith("harvest interrupted")
    info = _resume(server, sqlite_url)
    assert info["resumed"] is True and info["status"] == "complete" and info["datasets"] == COUNT


@pytest.mark.slow
def test_after_sigkill_the_workers_end_and_resume_completes(server: CkanServer, sqlite_url: str) -> None:
    proc, workers = _start(server, sqlite_url)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    alive = _stop_all(workers)
    assert alive == []
    assert _statuses(sqlite_url) == ["running"]  # no handler ran: the next harvest resumes it
    listed = subprocess.run([GOVLENS, "datasets", "--db", sqlite_url, "--format", "jsonl"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert listed.returncode == 0 and listed.stdout == ""
    assert "govlens: note: big: no complete harvest run yet" in listed.stderr
    info = _resume(server, sqlite_url)
    assert info["resumed"] is True and info["status"] == "complete" and info["datasets"] == COUNT
