"""The dashboard's store queries: per-run aggregates match the live counts, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from seed import GOOD_PUBLISHER, dataset
from webtools import seeded  # noqa: F401 - fixture

from govlens.store import Store, dashboard
from govlens.store import schema as t


def stored_rows(store: Store, run_id: int) -> int:
    with store.engine.connect() as conn:
        q = sa.select(sa.func.count()).select_from(t.run_publisher_stats).where(
            t.run_publisher_stats.c.run_id == run_id)
        return int(conn.execute(q).scalar_one())


def test_stats_written_once_for_complete_runs_and_equal_live_counts(seeded: Store) -> None:
    cat = seeded.catalogue("mx")
    run = seeded.latest_run("mx")
    live = dashboard._live_counts(run.id)
    with seeded.engine.connect() as conn:
        expected = {r.publisher_key: (r.datasets, r.distributions, r.warnings) for r in conn.execute(sa.select(live))}
    assert stored_rows(seeded, run.id) == 0
    counts = dashboard.publisher_counts(seeded, run.id, cat.id)
    assert stored_rows(seeded, run.id) == 2
    assert {c.key: (c.datasets, c.distributions, c.warnings) for c in counts} == expected
    assert dashboard.publisher_counts(seeded, run.id, cat.id) == counts  # idempotent
    assert stored_rows(seeded, run.id) == 2


def test_running_runs_are_counted_live_and_not_stored(seeded: Store) -> None:
    cat = seeded.catalogue("mx")
    opened = seeded.open_run(cat, cat.source, "ckan")
    seeded.save_page(opened.run, [dataset(i, GOOD_PUBLISHER) for i in range(3)], {"page": 1}, opened.next_seq)
    counts = dashboard.publisher_counts(seeded, opened.run.id, cat.id)
    assert [(c.key, c.datasets) for c in counts] == [("shcp", 3)]
    assert stored_rows(seeded, opened.run.id) == 0


def test_publisher_history_follows_runs(seeded: Store) -> None:
    history = dashboard.publisher_history(seeded, "mx", "shcp")
    assert [h.datasets for h in history] == [3, 4]
    assert dashboard.publisher_history(seeded, "mx", "nobody") == [
        dashboard.PublisherPoint(h.run, h.label, 0) for h in history
    ]


def test_search_by_title_words_and_identifier(seeded: Store) -> None:
    run = seeded.latest_run("mx")
    assert [d.identifier for d in dashboard.search_datasets(seeded, run.id, "EGRESOS 3")] == ["ds-3"]
    assert [d.identifier for d in dashboard.search_datasets(seeded, run.id, "ds-5")] == ["ds-5"]
    assert dashboard.search_datasets(seeded, run.id, "100%_") == []
    hits = dashboard.search_datasets(seeded, run.id, "<script>")
    assert [d.identifier.startswith("ds-0-") for d in hits] == [True]
    # Built once: a second search reads the same index.
    with seeded.engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(t.run_dataset_titles)).scalar_one()
    assert n == 8
