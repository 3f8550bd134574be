"""The rows an assessment stores equal those of a plain SQLAlchemy ``Table`` insert, on both databases.

``save_assessment`` writes measurement and score rows as tuples straight through the
driver (``executemany`` on SQLite, ``COPY`` on PostgreSQL). The reference here builds
the same rows by column name from the public :func:`measurements` and the assessment's
fields, inserts them with ``conn.execute(table.insert(), dicts)`` under a second run,
and both runs' rows are read back and compared column by column.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
import pytest
import sqlalchemy as sa

from govlens.assess.assessment import assess_dataset, measurements
from govlens.assess.metrics import Weights
from govlens.errors import StoreError
from govlens.model import Catalogue, Dataset, LinkState
from govlens.run.assess import Task, assess_run, run_task
from govlens.store import Store
from govlens.store import measurements as ms
from govlens.store import schema as t
from quality_records import CSV_URL, NOW, PAGE_URL, full_dataset

WEIGHTS = Weights().with_overrides({"keywordAvailability": [0, 0], "knownLicence": [50, 0]})
LINKS = {CSV_URL: LinkState(CSV_URL, "ok", 200), PAGE_URL: LinkState(PAGE_URL, "broken", 404)}


def varied() -> list[Dataset]:
    """Datasets whose rows hold every kind of value: true/false, status codes, null, numbers, texts."""
    base = full_dataset()
    dist = base.distributions[0]
    out = []
    for i in range(12):
        ds = full_dataset(identifier=f"ds-{i:02d}", uri=f"https://datos.gob.mx/dataset/ds-{i}")
        if i % 3 == 1:  # no licence, no keywords, a second distribution of an odd format
            ds = replace(ds, keywords=(), licence=None, distributions=(
                replace(dist, licence=None),
                replace(dist, id=f"https://datos.gob.mx/distribution/{i}-b", format="XLS", format_raw="xls",
                        media_type=None, download_urls=(f"https://datos.gob.mx/f/{i}.xls",), byte_size=None)))
        if i % 3 == 2:  # hardly described: SHACL violations and POD errors as text rows
            ds = replace(ds, title="", description=None, publisher=None, contact_point=None, distributions=(),
                         themes=(), temporal=None, modified=None, issued=None)
        if i % 4 == 3:
            ds = replace(ds, title=f"Título «{i}»\twith a tab\nand a new line \\ backslash")
        out.append(ds)
    return out


def seed(store: Store, name: str) -> int:
    cat = store.ensure_catalogue(Catalogue(name=name, source="demo", kind="ckan"))
    opened = store.open_run(cat, "demo", "ckan")
    store.save_page(opened.run, varied(), {"page": 1}, 0)
    store.finish_run(opened.run)
    return opened.run.id


def reference_insert(store: Store, run_id: int, datasets: list[Dataset]) -> None:
    """The rows written through SQLAlchemy's Table insert, by column name."""
    assessed = run_task(Task(tuple(datasets), LINKS, None, NOW, True, WEIGHTS))
    rows: list[dict[str, Any]] = []
    scores: list[dict[str, Any]] = []
    for a in assessed:
        for r in measurements(a, WEIGHTS):
            rows.append({"run_id": run_id, "dataset": r.dataset, "seq": r.seq, "metric": r.metric,
                         "subject": r.subject, "points": r.points,
                         "value": None if r.value is None else orjson.dumps(r.value).decode()})
        m, c = a.mqa, a.compliance
        scores.append({
            "run_id": run_id, "dataset": a.identifier, "publisher_key": a.publisher, "mqa": m.total,
            "findability": m.findability, "accessibility": m.accessibility,
            "interoperability": m.interoperability, "reusability": m.reusability,
            "contextuality": m.contextuality, "rating": m.rating, "best_distribution": m.best,
            "dcat_ap_compliant": a.dcat_ap_compliant, "shapes": c.shapes if c else None,
            "validated": c.validated if c else None, "udata": a.udata, "stars": a.stars,
            "pod_valid": a.pod.valid if a.pod else None, "distributions": len(a.dist_ids),
            "facts": orjson.dumps([a.ds_facts, a.dist_facts, a.dist_stars, a.udata_criteria]).decode()})
    with store.engine.begin() as conn:
        conn.execute(t.measurements.insert(), rows)
        conn.execute(t.dataset_scores.insert(), scores)


def stored(store: Store, table: sa.Table, run_id: int) -> list[tuple[Any, ...]]:
    key = [c for c in table.primary_key.columns if c.name != "run_id"]
    with store.engine.connect() as conn:
        got = conn.execute(sa.select(table).where(table.c.run_id == run_id).order_by(*key)).mappings().all()
    return [tuple((k, v) for k, v in row.items() if k != "run_id") for row in got]


def test_rows_equal_a_table_insert(store: Store) -> None:
    run_id = seed(store, "mx")
    ref_id = seed(store, "ref")
    run = store.latest_run("mx")
    datasets = [sd.dataset for sd in store.iter_datasets(run_id)]
    assess_run(store, replace(run, finished_at=NOW), links=LINKS, weights=WEIGHTS, chunk=5)
    reference_insert(store, ref_id, datasets)

    for table in (t.measurements, t.dataset_scores):
        got, want = stored(store, table, run_id), stored(store, table, ref_id)
        assert len(got) == len(want) >= len(datasets)
        assert got == want, table.name
    values = {dict(r)["value"] for r in stored(store, t.measurements, run_id)}
    # every kind of value went through: JSON true/false/null, status codes, numbers, texts
    assert {"true", "false", None, "200", "404"} <= values
    assert any(v and v.startswith('"') and "\\n" in v for v in values)
    assert {dict(r)["dcat_ap_compliant"] for r in stored(store, t.dataset_scores, run_id)} == {True, False}


def test_a_failed_write_keeps_the_previous_assessment(store: Store) -> None:
    run_id = seed(store, "mx")
    run = store.latest_run("mx")
    assess_run(store, run, links=LINKS, chunk=5)
    before = stored(store, t.measurements, run_id)
    a = assess_dataset(full_dataset(identifier="x"), links=LINKS, now=NOW)
    # a run that does not exist: the foreign key (PostgreSQL; SQLite with foreign_keys=ON) rejects the rows
    with pytest.raises(StoreError):
        ms.save_assessment(store, run_id + 1000, [a], weights=Weights())
    assert stored(store, t.measurements, run_id) == before
    with store.engine.connect() as conn:
        left = conn.execute(sa.select(sa.func.count()).select_from(t.measurements)
                            .where(t.measurements.c.run_id == run_id + 1000)).scalar_one()
    assert left == 0
