from __future__ import annotations

import sqlalchemy as sa

from govlens.model import Catalogue, Dataset, Distribution, Publisher, SourceRecord
from govlens.store import Store, codec

NT = '<http://x/d> <http://purl.org/dc/terms/title> "línea\\nuna" .\n<http://x/d> <http://x/p> "ü" .\n'


def _records() -> list[Dataset]:
    return [
        Dataset(identifier="d", title="título\ncon salto", publisher=Publisher("p", "P"),
                distributions=(Distribution(id="1", download_urls=("http://x/1.csv",)),),
                source=SourceRecord("dcat", "application/n-triples", NT, profile="dcat-ap-2")),
        Dataset(identifier="c", source=SourceRecord("ckan", "application/json", '{"id": "c", "notes": "a\\nb"}')),
        Dataset(identifier="bare"),
        Dataset(identifier="empty", source=SourceRecord("ckan", "application/json", "")),
    ]


def test_record_roundtrip_keeps_source_text_verbatim() -> None:
    for ds in _records():
        body = codec.encode_record(ds)
        assert codec.decode_record(body) == ds
        assert codec.load_title(codec.compress(body)) == ds.title
        if ds.source is not None and ds.source.text:
            # the raw record is stored as its own bytes after the JSON head, not escaped into it
            assert body.endswith(b"\n" + ds.source.text.encode())
            assert codec.record_hash(body) != codec.record_hash(codec.encode_dataset(ds))


def test_first_format_bodies_still_read(store: Store) -> None:
    ds = _records()[0]
    cat = store.ensure_catalogue(Catalogue(name="old", source="s", kind="dcat"))
    run = store.open_run(cat, "s", "dcat").run
    store.save_page(run, [ds], {"n": 1}, 0)
    store.finish_run(run)
    old_body = codec.compress(codec.encode_dataset(ds))  # a body written by an earlier version
    with store.engine.begin() as conn:
        conn.execute(sa.text("update records set body = :b"), {"b": old_body})
    assert store.dataset(run.id, "d").dataset == ds
    assert codec.load_title(old_body) == ds.title
