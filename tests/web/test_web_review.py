"""``govlens review`` end to end on the embedded demo: harvest, link checks, file inspection,
report, and a dashboard that shows them. Only the demo's own loopback server is reached."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from test_web_pages import Markup

from govlens.config import Settings
from govlens.serve import create_app
from govlens.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.anyio]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], str]:
    work = tmp_path_factory.mktemp("review")
    db = f"sqlite:///{work / 'govlens.sqlite'}"
    env = {**os.environ, "GOVLENS_DB": db}
    done = subprocess.run([sys.executable, "-m", "govlens.cli", "review", "--json", "--sample", "20"],
                          cwd=work, env=env, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return work, json.loads(done.stdout), db


def test_every_stage_ran_for_real(reviewed: tuple[Path, dict[str, object], str]) -> None:
    work, doc, db = reviewed
    harvest = doc["harvest"]
    assert isinstance(harvest, dict) and harvest["datasets"] > 100 and harvest["catalogue"] == "demo-mx"
    probe = doc["probe"]
    assert isinstance(probe, dict) and probe["checked"] == probe["urls"] > 100
    assert probe["ok"] > 0 and probe["broken"] > 0  # the demo serves dead links on purpose
    inspect = doc["inspect"]
    assert isinstance(inspect, dict) and inspect["targets"] == 20 and inspect["valid"] > 0
    assert inspect["invalid"] + inspect["failed"] > 0
    assess = doc["assess"]
    assert isinstance(assess, dict)
    assert not assess.get("skipped") and assess["datasets"] == harvest["datasets"]
    assert 0 < float(str(assess["mqa_mean"])) <= 405
    report = doc["report"]
    assert isinstance(report, dict) and report["lang"] == "es"
    path = Path(str(report["path"]))
    assert path == work / "govlens-report-demo-mx.html"
    html = path.read_text("utf-8")
    assert "Datos abiertos en todo el gobierno" in html and "Salud de los enlaces" in html
    assert html.count('class="mark"') > 10
    assert doc["dashboard"] == {"command": f"govlens serve --db {db}", "url": "http://127.0.0.1:8000/"}


async def test_the_dashboard_shows_the_review(reviewed: tuple[Path, dict[str, object], str]) -> None:
    _, _, db = reviewed
    with Store.open(db) as store:
        app = create_app(Settings(db_url=db), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            home = (await c.get("/")).text
            assert "Salud de los enlaces" in home and "Salud de los archivos" in home
            links = (await c.get("/catalogues/demo-mx/links")).text
            assert "rotas" in links and links.count("<tr>") > 10
            files = await c.get("/catalogues/demo-mx/files", params={"status": "all"})
            assert files.status_code == 200 and "inválidos" in files.text
            pubs = (await c.get("/api/catalogues/demo-mx/publishers")).json()
            key = pubs[0]["key"]
            card = await c.get(f"/catalogues/demo-mx/publishers/{key}")
            assert card.status_code == 200 and not Markup.parse(card.text).handlers
            cov = (await c.get("/api/catalogues/demo-mx/coverage")).json()
            assert {r["status"] for r in cov} == {"present", "missing"}
            assert all(r["publisher"] == "*" for r in cov)
            mine = (await c.get("/api/catalogues/demo-mx/coverage", params={"publisher": key})).json()
            assert mine and all(r["publisher"] == key for r in mine)
            page = await c.get("/catalogues/demo-mx/coverage")
            assert page.status_code == 200 and "presente" in page.text and 'class="mark"' in page.text


def test_human_output_says_where_the_report_is(tmp_path: Path) -> None:
    env = {**os.environ, "GOVLENS_DB": f"sqlite:///{tmp_path / 'g.sqlite'}"}
    out = tmp_path / "informe.pdf"
    done = subprocess.run([sys.executable, "-m", "govlens.cli", "review", "--sample", "5", "--out", str(out),
                           "--lang", "en"], cwd=tmp_path, env=env, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Report (pdf, en): {out}" in done.stdout
    assert "Dashboard: run  govlens serve --db" in done.stdout
    assert re.search(r"metadata: \d+ datasets scored, MQA mean \d+ \((excellent|good|sufficient|bad)\)", done.stdout)
    assert out.read_bytes().startswith(b"%PDF")
