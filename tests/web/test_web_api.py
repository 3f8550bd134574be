"""The REST API and the pages, in process through httpx's ASGI transport, on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
import pytest
from openapi_spec_validator import validate
from seed import EVIL_PUBLISHER, IMG
from webtools import client, seeded  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_catalogues_and_runs(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/catalogues")
    assert r.status_code == 200
    [cat] = r.json()
    assert (cat["name"], cat["runs"], cat["datasets"], cat["publishers"]) == ("mx", 2, 8, 2)
    runs = (await client.get("/api/catalogues/mx/runs")).json()
    assert [x["datasets"] for x in runs] == [6, 8]
    assert all(x["status"] == "complete" for x in runs)


async def test_publishers_ranked_by_datasets(client: httpx.AsyncClient) -> None:
    pubs = (await client.get("/api/catalogues/mx/publishers")).json()
    assert {p["key"] for p in pubs} == {"shcp", EVIL_PUBLISHER.key}
    assert sum(p["datasets"] for p in pubs) == 8
    assert all(p["distributions"] == 2 * p["datasets"] for p in pubs)


async def test_dataset_paging_and_detail(client: httpx.AsyncClient) -> None:
    first = (await client.get("/api/catalogues/mx/datasets", params={"limit": 5})).json()
    assert len(first["items"]) == 5 and first["next_after"] is not None
    rest = (await client.get("/api/catalogues/mx/datasets",
                             params={"limit": 5, "after": first["next_after"]})).json()
    assert len(rest["items"]) == 3 and rest["next_after"] is None
    idents = [i["identifier"] for i in first["items"] + rest["items"]]
    assert len(set(idents)) == 8
    one = (await client.get("/api/catalogues/mx/datasets/ds-3")).json()
    assert one["dataset"]["title"] == "Presupuesto de egresos 3"
    assert one["dataset"]["distributions"][0]["download_urls"] == ["https://datos.gob.mx/ds-3.csv"]
    evil = next(i for i in idents if IMG in i)
    r = await client.get("/api/catalogues/mx/datasets/" + httpx.URL(path=evil).raw_path.decode())
    assert r.status_code == 200 and r.json()["dataset"]["identifier"] == evil


async def test_unknown_things_are_json_404(client: httpx.AsyncClient) -> None:
    for path in ("/api/catalogues/nope", "/api/catalogues/nope/publishers", "/api/catalogues/mx/datasets/zz"):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"] == "not_found"
    r = await client.get("/api/catalogues/mx/datasets", params={"limit": 0})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"


async def test_openapi_document_validates(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/openapi.json")).json()
    validate(spec)
    assert "/api/catalogues/{name}/publishers" in spec["paths"]
    docs = await client.get("/api/docs")
    assert docs.status_code == 200 and "/api/catalogues/{name}/publishers" in docs.text


async def test_public_routes_are_read_only(client: httpx.AsyncClient) -> None:
    """Every route is GET, except the writes that need a session and a CSRF token."""
    from govlens.serve.pages.maturity_edit import GUARDED

    app = client._transport.app  # type: ignore[attr-defined]
    writes = set()
    for route in app.routes:
        methods = getattr(route, "methods", None) or set()
        if not methods <= {"GET", "HEAD"}:
            writes.add(route.path)
    assert writes <= set(GUARDED), writes - set(GUARDED)
    for path in writes:  # without a session and its CSRF token, every write is refused
        r = await client.post(path.replace("{scope}", "centre"), data={"x": "1"})
        assert r.status_code == 403, (path, r.status_code)
    r = await client.post("/api/catalogues")
    assert r.status_code == 405


async def test_csv_downloads_stream_every_row_and_defuse_formulas(client: httpx.AsyncClient) -> None:
    import csv
    import io

    r = await client.get("/api/catalogues/mx/datasets.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="mx-datasets.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 8 and {row["catalogue"] for row in rows} == {"mx"}
    assert any(IMG in row["identifier"] for row in rows)  # hostile text kept, as data
    pubs = list(csv.DictReader(io.StringIO((await client.get("/api/catalogues/mx/publishers.csv")).text)))
    assert sorted(int(p["datasets"]) for p in pubs) == [4, 4]
    from govlens.serve.api.downloads import csv_cell

    assert [csv_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@x", "ok", None, 3)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@x", "ok", "", 3]


async def test_parquet_downloads(client: httpx.AsyncClient) -> None:
    import io

    import pyarrow.parquet as pq

    r = await client.get("/api/catalogues/mx/datasets.parquet", params={"publisher": "shcp"})
    assert r.status_code == 200 and r.content[:4] == b"PAR1"
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == 4 and set(table.column("publisher_key").to_pylist()) == {"shcp"}
    assert table.schema.field("distributions").type == "int64"
    pubs = pq.read_table(io.BytesIO((await client.get("/api/catalogues/mx/publishers.parquet")).content))
    assert pubs.num_rows == 2
    assert (await client.get("/api/catalogues/mx/datasets.xlsx")).status_code == 422
    assert (await client.get("/api/catalogues/nope/datasets.csv")).status_code == 404
