"""The embedded demo catalogue and its loopback server: deterministic, realistic, faulty."""

from __future__ import annotations

import zipfile
from collections import Counter
from io import BytesIO

import httpx
import orjson

from govlens.demo import DemoServer, build
from govlens.demo.files import FileSpec, render


def test_the_demo_catalogue_is_the_same_every_time() -> None:
    a, b = build(), build()
    assert orjson.dumps(a.packages) == orjson.dumps(b.packages)
    assert a.files == b.files
    assert len(orjson.dumps(a.packages)) < 1_000_000


def test_the_demo_catalogue_looks_like_a_mexican_portal() -> None:
    cat = build()
    assert 200 <= len(cat.packages) <= 400
    orgs = Counter(p["organization"]["name"] for p in cat.packages)
    assert {"shcp", "sep", "salud", "imss", "inegi", "conagua", "semarnat", "sfp", "se", "cfe"} == set(orgs)
    titles = " ".join(p["title"] for p in cat.packages)
    for wanted in ("Presupuesto de Egresos", "Cuenta Pública", "Contrataciones públicas",
                   "Declaraciones patrimoniales", "Sociedades mercantiles"):
        assert wanted in titles
    licences = Counter(p["license_id"] for p in cat.packages)
    assert licences[""] > 0 and licences["notspecified"] > 0
    assert {"libre-uso-mx", "Libre Uso MX", "LIBRE USO MX", "libreusomx"} <= set(licences)
    formats = {r["format"] for p in cat.packages for r in p["resources"]}
    assert {"CSV", ".CSV", "text/csv", "Archivo CSV"} <= formats
    faults = Counter(s.fault for s in cat.files.values())
    assert all(faults[f] for f in ("404", "410", "500", "redirects", "slow", "soft-404", "latin1",
                                   "semicolon", "ragged", "zip-as-csv"))


def test_the_demo_server_serves_the_api_and_faulty_files() -> None:
    cat = build()
    by_fault: dict[str, FileSpec] = {}
    for spec in cat.files.values():
        if spec.ext == "csv":
            by_fault.setdefault(spec.fault, spec)
    with DemoServer(port=0) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        page = client.get("/api/3/action/package_search", params={"rows": 1000}).json()["result"]
        assert page["count"] == len(cat.packages)
        assert page["results"][0]["resources"][0]["url"].startswith(server.url + "/archivos/")
        ok = client.get(by_fault["ok"].path)
        assert ok.status_code == 200 and ok.text.splitlines()[0].count(",") >= 2
        assert client.get(by_fault["404"].path).status_code == 404
        assert client.get(by_fault["410"].path).status_code == 410
        assert client.get(by_fault["500"].path).status_code == 500
        soft = client.get(by_fault["soft-404"].path)
        assert soft.status_code == 200 and soft.headers["content-type"].startswith("text/html")
        latin = client.get(by_fault["latin1"].path).content
        try:
            latin.decode("utf-8")
            decodes = True
        except UnicodeDecodeError:
            decodes = False
        assert not decodes and latin.decode("cp1252")
        assert ";" in client.get(by_fault["semicolon"].path).text.splitlines()[0]
        zipped = client.get(by_fault["zip-as-csv"].path).content
        assert zipfile.ZipFile(BytesIO(zipped)).namelist() == ["datos.csv"]
        hops = client.get(by_fault["redirects"].path, follow_redirects=True)
        assert hops.status_code == 200 and len(hops.history) == 2


def test_rendering_is_deterministic() -> None:
    spec = next(iter(build().files.values()))
    assert render(spec, "http://x") == render(spec, "http://x")
