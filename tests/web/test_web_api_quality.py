"""The quality API: scores as ``govlens scores`` gives them, roll-ups as ``govlens publishers``,
ranked fixes, each metric explained, and score downloads; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate
from seed import EVIL_PUBLISHER, IMG, seed
from webtools import client, seeded  # noqa: F401 - fixtures

from govlens.cli import main
from govlens.config import Settings
from govlens.run.quality import SCORE_FIELDS, fix_lists, score_records
from govlens.serve import create_app
from govlens.serve.api.downloads import SCORE_SCHEMA
from govlens.store import Store

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def cli(store: Store, *args: str) -> list[dict[str, object]]:
    url = store.engine.url.render_as_string(hide_password=False)
    out = CliRunner().invoke(main, [*args, "--db", url, "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.output.splitlines()]


async def test_scores_are_the_cli_records_paged(client: httpx.AsyncClient, seeded: Store) -> None:
    first = (await client.get("/api/catalogues/mx/scores", params={"limit": 5})).json()
    assert len(first["items"]) == 5 and first["next_after"] == first["items"][-1]["dataset"]
    rest = (await client.get("/api/catalogues/mx/scores", params={"limit": 5, "after": first["next_after"]})).json()
    assert len(rest["items"]) == 3 and rest["next_after"] is None
    items = first["items"] + rest["items"]
    assert all(list(r) == list(SCORE_FIELDS) for r in items)
    assert items == list(score_records(seeded, "mx")) == cli(seeded, "scores")
    shcp = (await client.get("/api/catalogues/mx/scores", params={"publisher": "shcp"})).json()["items"]
    assert {r["publisher"] for r in shcp} == {"Secretaría de Hacienda y Crédito Público"} and len(shcp) == 4


async def test_one_dataset_explained(client: httpx.AsyncClient) -> None:
    r = (await client.get("/api/catalogues/mx/scores/ds-1", params={"lang": "es"})).json()
    assert r["score"]["dataset"] == "ds-1" and r["best_distribution"] == 0
    assert len(r["metrics"]) == 11 + 2 * 16
    media = next(m for m in r["metrics"] if m["seq"] == 1 and m["metric"] == "mediaTypeAvailability")
    assert (media["verdict"], media["points"], media["why"]) == ("no", -5, "no se declara el tipo de medio (−5 puntos)")
    assert sum(m["points"] for m in r["metrics"] if m["seq"] in (0, 1)) >= r["score"]["mqa_score"]
    assert set(r["udata"]) >= {"license", "has_open_format"}
    evil = next(i for i in (await client.get("/api/catalogues/mx/scores")).json()["items"] if IMG in i["dataset"])
    got = await client.get("/api/catalogues/mx/scores/" + httpx.URL(path=evil["dataset"]).raw_path.decode())
    assert got.status_code == 200 and got.json()["score"] == evil
    assert (await client.get("/api/catalogues/mx/scores/nope")).status_code == 404


async def test_quality_of_catalogue_publishers_and_government(client: httpx.AsyncClient, seeded: Store) -> None:
    pubs = (await client.get("/api/catalogues/mx/quality/publishers")).json()
    assert [p["mqa_mean"] for p in pubs] == sorted((p["mqa_mean"] for p in pubs), reverse=True)
    by_key = sorted(({k: v for k, v in p.items() if k != "score_bins"} for p in pubs), key=lambda p: p["publisher_key"])
    printed = sorted(cli(seeded, "publishers"), key=lambda p: p["publisher_key"])  # type: ignore[arg-type,return-value]
    assert by_key == [{k: p[k] for k in by_key[0]} for p in printed]  # the CLI adds link health
    one = (await client.get("/api/catalogues/mx/quality/publishers/shcp")).json()
    assert one == next(p for p in pubs if p["publisher_key"] == "shcp")
    assert sum(one["score_bins"]) == one["datasets"] == 4
    evil = await client.get("/api/catalogues/mx/quality/publishers/" + httpx.URL(path=EVIL_PUBLISHER.key).raw_path.decode())
    assert evil.status_code == 200 and evil.json()["publisher"] == EVIL_PUBLISHER.name
    cat = (await client.get("/api/catalogues/mx/quality")).json()
    scores = list(score_records(seeded, "mx"))
    assert cat["datasets"] == 8 and cat["mqa_mean"] == round(sum(s["mqa_score"] for s in scores) / 8, 2)
    assert cat["publisher"] is None and cat["ratings"]["sufficient"] == sum(
        1 for s in scores if s["mqa_rating"] == "sufficient")
    gov = (await client.get("/api/quality")).json()
    assert {k: v for k, v in gov.items() if k != "catalogue"} == {k: v for k, v in cat.items() if k != "catalogue"}
    assert (await client.get("/api/catalogues/mx/quality/publishers/nobody")).status_code == 404


async def test_fixes_match_the_cli_ranking(client: httpx.AsyncClient, seeded: Store) -> None:
    whole = [f for f in (await client.get("/api/catalogues/mx/fixes")).json() if f["kind"] == "metadata"]
    [want] = [f for f in fix_lists(seeded, "mx", coverage=False) if f.publisher_key is None]
    assert [(f["action"], f["datasets"], f["distributions"], f["total_gain"]) for f in whole] == [
        (f.action, f.datasets, f.distributions, f.total_gain) for f in want.fixes]
    assert [f["rank"] for f in whole] == list(range(1, len(whole) + 1))
    assert all(len(f["dataset_ids"]) <= 10 for f in whole)
    mine = (await client.get("/api/catalogues/mx/fixes", params={"publisher": "shcp", "lang": "es"})).json()
    assert mine[0]["publisher_key"] == "shcp" and mine[0]["text"].startswith("añadir")
    assert (await client.get("/api/catalogues/mx/fixes", params={"publisher": "nobody"})).status_code == 404


def _as_api(record: dict[str, object], lang: str) -> dict[str, object]:
    """A ``govlens fixes`` record with its text in ``lang`` only, as the API gives it."""
    out: dict[str, object] = {}
    for k, v in record.items():
        if k == "text_en":
            out["text"] = record[f"text_{lang}"]
        elif k != "text_es":
            out[k] = v
    return out


@pytest.mark.parametrize("publisher", [None, "shcp"])
async def test_fixes_carry_the_cli_coverage_records(client: httpx.AsyncClient, seeded: Store,
                                                    publisher: str | None) -> None:
    params = {"lang": "es"} | ({"publisher": publisher} if publisher else {})
    got = (await client.get("/api/catalogues/mx/fixes", params=params)).json()
    kinds = [f["kind"] for f in got]
    assert kinds == sorted(kinds, key=lambda k: k != "metadata") and "coverage" in kinds  # metadata first
    printed = cli(seeded, "fixes", *(["--publisher", publisher] if publisher else []))
    want = [_as_api(r, "es") for r in printed if r["kind"] == "coverage" and r["publisher_key"] == publisher]
    coverage = [f for f in got if f["kind"] == "coverage"]
    assert coverage == want and [list(f) for f in coverage] == [list(f) for f in want]
    assert all(f["points_each"] is None and f["total_gain"] is None and f["level"] == "category"
               and f["action"] in ("publish-missing", "open-existing") and f["category"] for f in coverage)
    assert [f["rank"] for f in coverage] == list(range(1, len(coverage) + 1))
    metadata = [f for f in got if f["kind"] == "metadata"]
    assert metadata and all(f["category"] is None and f["points_each"] is not None for f in metadata)
    assert list(metadata[0]) == list(coverage[0])  # one record shape for both kinds

    only = (await client.get("/api/catalogues/mx/fixes", params={**params, "kind": "coverage"})).json()
    assert only == coverage
    assert (await client.get("/api/catalogues/mx/fixes", params={**params, "kind": "metadata"})).json() == metadata


async def test_score_downloads(client: httpx.AsyncClient, seeded: Store) -> None:
    assert tuple(SCORE_SCHEMA.names) == SCORE_FIELDS
    r = await client.get("/api/catalogues/mx/scores.csv")
    assert r.status_code == 200 and 'filename="mx-scores.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    want = list(score_records(seeded, "mx"))
    assert [row["dataset"] for row in rows] == [w["dataset"] for w in want]
    assert [int(row["mqa_score"]) for row in rows] == [w["mqa_score"] for w in want]
    assert any(row["publisher"].startswith("Secretaría \"><img") for row in rows)  # kept, as data
    table = pq.read_table(io.BytesIO((await client.get("/api/catalogues/mx/scores.parquet",
                                                      params={"publisher": "shcp"})).content))
    assert table.num_rows == 4 and table.schema.field("udata_score").type == "double"
    assert table.to_pylist() == [w for w in want if w["publisher"].startswith("Secretaría de Hacienda")]


async def test_openapi_still_validates_and_lists_quality(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/openapi.json")).json()
    validate(spec)
    for path in ("/api/catalogues/{name}/scores", "/api/catalogues/{name}/scores/{identifier}",
                 "/api/catalogues/{name}/quality", "/api/catalogues/{name}/quality/publishers",
                 "/api/catalogues/{name}/fixes", "/api/quality", "/api/catalogues/{name}/scores.{fmt}"):
        assert path in spec["paths"], path
    fix = spec["components"]["schemas"]["FixRecord"]
    assert {"kind", "category"} <= set(fix["required"]) and "points_each" in fix["properties"]
    assert "kind" in {p["name"] for p in spec["paths"]["/api/catalogues/{name}/fixes"]["get"]["parameters"]}


async def test_not_assessed_is_404(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        seed(store, assess=False)
        app = create_app(Settings(db_url=sqlite_url), store=store)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            for path in ("/api/catalogues/mx/scores", "/api/catalogues/mx/quality", "/api/catalogues/mx/fixes",
                         "/api/quality", "/api/catalogues/mx/scores.csv"):
                r = await c.get(path)
                assert r.status_code == 404 and r.json()["error"] == "not_found", path
