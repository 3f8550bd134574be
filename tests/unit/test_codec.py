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


def test_ckan_source_bytes_are_stored_as_they_came() -> None:
    """A CKAN page's record goes to the store as its own bytes: the stored form, and so the
    content hash, are those of the dataset normalised with its text decoded."""
    import orjson

    from govlens.normalise.ckan import normalise, normalise_split
    from govlens.normalise.guards import Limits

    raw = '{"id": "p1", "title": "Presupuesto ejercido", "notes": "línea\\nuna ü €", "tags": [{"name": "gasto"}], ' \
          '"resources": [{"id": "r1", "url": "https://x/a.csv", "format": ".CSV", "size": "590 KB"}]}'
    data = raw.encode()
    pkg = orjson.loads(data)
    ds, text = normalise_split(pkg, site="https://datos.example", raw=data)
    assert text is data and ds.source is not None and ds.source.text == ""
    whole = normalise(pkg, site="https://datos.example", raw=data)
    assert whole.source is not None and whole.source.text == raw
    assert codec.encode_record(ds, text) == codec.encode_record(whole)
    assert codec.decode_record(codec.encode_record(ds, text)) == whole
    # a capped record: the shrunk JSON, flagged, as bytes
    small = Limits(max_record_bytes=len(data) - 1)
    capped, capped_text = normalise_split(pkg, raw=data, limits=small)
    assert len(capped_text) < len(data) and orjson.loads(capped_text)["id"] == "p1"
    assert "record-capped" in {w.code for w in capped.warnings}
    assert codec.encode_record(capped, capped_text) == codec.encode_record(normalise(pkg, raw=data, limits=small))


def test_without_nul_leaves_clean_records_and_escaped_backslashes_alone() -> None:
    ds = Dataset(identifier="x", title="a literal \\u0000, not a NUL",
                 source=SourceRecord(kind="ckan", media_type="application/json", text='{"id": "x"}'))
    canonical = codec.encode_record(ds)
    assert codec.without_nul(ds, canonical) == (ds, canonical)
    nul = Dataset(identifier="x\x00", title="t", source=ds.source)
    fixed, body = codec.without_nul(nul, codec.encode_record(nul))
    assert fixed.identifier == "x\ufffd" and fixed.warnings == (codec.NUL_WARNING,)
    assert codec.decode_record(body).identifier == "x\ufffd"
    assert codec.decode_record(body).source == ds.source  # the source text after the head is kept
