"""Link health from the link checker fills in the links part of q75, and rising link rot
becomes a recommendation (a real probe over a loopback server, on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from govlens.model import GOVERNMENT, Catalogue, Dataset, Distribution, Publisher
from govlens.probe import ProbeSettings
from govlens.run.maturity import evaluate
from govlens.run.probe import probe
from govlens.store import RunRow, Store
from govlens.store.maturity import MaturityStore
from linkserver import LinkServer
from probe_fixtures import server, tripwire  # noqa: F401 - fixtures

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
S = ProbeSettings(allow_hosts=("127.0.0.1",), timeout=3.0, min_interval=0.0, per_host=8, retries=0)


def harvest(store: Store, urls: Mapping[str, Sequence[str]]) -> RunRow:
    cat = store.ensure_catalogue(Catalogue(name="mx", source="test", kind="ckan"))
    opened = store.open_run(cat, "test", "ckan")
    datasets = [
        Dataset(identifier=f"{pub}-{i}", publisher=Publisher(key=pub, name=pub.upper()),
                distributions=(Distribution(id=f"{pub}-{i}-d", download_urls=(u,)),))
        for pub, group in urls.items() for i, u in enumerate(group)
    ]
    store.save_page(opened.run, datasets, {"page": 1}, 0)
    return store.finish_run(opened.run)


def test_link_health_and_rising_link_rot(store: Store, server: LinkServer) -> None:  # noqa: F811
    ms = MaturityStore(store)
    ms.add_institution("shcp", "Hacienda", ["hacienda"])
    ms.add_institution("sep", "Educación", ["sep"])
    name = f"rot-{store.dialect}"
    server.states[name] = 200
    urls = {"hacienda": [server.url("/ok.csv"), server.url(f"/state/{name}"), server.url("/status/404"),
                         server.url("/f/a.csv")],
            "sep": [server.url("/f/b.csv")]}
    harvest(store, urls)
    assert evaluate(store).measurements.get("link_health", "shcp") is None  # not probed yet
    probe(store, S, clock=lambda: T0)
    first = evaluate(store).measurements
    assert first.value("link_health", "shcp") == pytest.approx(3 / 4)
    assert first.value("link_broken_share", "shcp") == pytest.approx(1 / 4)
    assert first.value("link_health", GOVERNMENT) == pytest.approx(4 / 5)
    health = first.get("link_health", "shcp")
    assert health is not None and health.detail == "3 of 4 checked URLs work"

    server.states[name] = 404  # one more link of Hacienda breaks
    harvest(store, urls)
    probe(store, S, clock=lambda: T0 + timedelta(days=1))
    state = evaluate(store)
    now = state.measurements
    assert now.value("link_broken_share", "shcp") == pytest.approx(2 / 4)
    assert now.prior("link_broken_share", "shcp") == pytest.approx(1 / 4)
    assert now.prior("link_broken_share", "sep") == 0.0 and now.value("link_broken_share", "sep") == 0.0
    q75 = state.scores["shcp"].items["q75"]
    assert q75.source == "measured" and {m.indicator for m in q75.measured} >= {"link_health"}
    rot = [r for r in state.recommendations["shcp"] if r.rule == "link-rot-rising"]
    assert len(rot) == 1 and rot[0].gap == pytest.approx(0.25)
    assert "25%" in rot[0].text.en and "50%" in rot[0].text.en
    assert not [r for r in state.recommendations["sep"] if r.rule == "link-rot-rising"]
