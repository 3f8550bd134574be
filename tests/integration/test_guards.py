"""Pathological records are capped with a warning; hostile documents fail clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from govlens.demo.server import CkanServer, Reply
from govlens.run.harvest import harvest
from govlens.store import Store
from helpers import options, settings


def _package(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"p{i}", "name": f"p{i}", "title": f"Dataset {i}", "notes": "",
            "organization": {"name": "org", "title": "Organización"}, "resources": [], "tags": [], **extra}


@pytest.mark.slow
def test_pathological_records_are_capped(db_url: str) -> None:
    packages = [
        _package(0, tags=[{"name": f"etiqueta-{i}"} for i in range(30_000)]),
        _package(1, resources=[{"id": f"r{i}", "url": f"http://127.0.0.1/f{i}.csv", "format": "CSV"}
                               for i in range(8_000)]),
        _package(2, notes="x" * (50 * 1024 * 1024)),
        _package(3),
    ]
    with CkanServer(packages) as server:
        info = harvest(settings(db_url), server.url, catalogue="p", options=options(rows=2))
    assert info.status == "complete" and info.datasets == 4
    with Store.open(db_url) as store:
        got = {sd.identifier: sd.dataset for sd in store.iter_datasets(info.run)}
    assert len(got["p0"].keywords) == 1000
    assert [w.code for w in got["p0"].warnings] == ["keywords-capped"]
    assert got["p0"].warnings[0].value == "30000"
    assert len(got["p1"].distributions) == 1000
    assert [w.code for w in got["p1"].warnings] == ["distributions-capped"]
    big = got["p2"]
    assert [w.code for w in big.warnings] == ["record-capped"]
    assert big.source is not None and len(big.source.text) <= 8 * 1024 * 1024
    assert orjson.loads(big.source.text)["id"] == "p2"  # still valid JSON
    assert big.description is not None  # the normalised field is kept
    assert got["p3"].warnings == ()


def test_json_nested_too_deep_is_a_format_error(sqlite_url: str) -> None:
    bomb = b'{"success": true, "result": {"count": 1, "results": [' + b"[" * 5000 + b"]" * 5000 + b"]}}"

    def fault(path: str, q: object, n: int) -> Reply | None:
        return Reply(200, bomb, "application/json") if path.endswith("package_search") else None

    with CkanServer([], fault=fault) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="b", options=options())
    assert info.status == "failed" and info.errors[0].error == "SourceFormatError"


def test_deeply_nested_data_json_fails_cleanly(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b'{"dataset": [{"identifier": "a", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}")
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status in ("complete", "failed")
    if info.status == "failed":
        assert info.errors[0].error == "SourceFormatError"


def test_unreadable_record_is_kept_with_a_warning(sqlite_url: str) -> None:
    packages = [_package(0, resources="not a list", tags="nor this", extras=42), _package(1)]
    with CkanServer(packages) as server:
        info = harvest(settings(sqlite_url), server.url, catalogue="u", options=options())
    assert info.status == "complete" and info.datasets == 2


def test_deeply_nested_document_is_not_detected(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    info = harvest(settings(sqlite_url), str(path), options=options())
    assert info.status == "failed" and info.errors[0].error == "UnknownSourceKind"
