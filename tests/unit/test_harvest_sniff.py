from __future__ import annotations

from govlens.harvest.sources import sniff_json


def test_a_string_no_encoding_holds_does_not_stop_sniffing_at_the_keys_seen() -> None:
    assert sniff_json(b'{"@context": {}, "@id": "http://x.example/d\\ud800", "@type": "dcat:Dataset"}') == "dcat"
    assert sniff_json(b'{"identifier": "a", "title": "T\\udc00"}') == "datajson"


def test_a_head_cut_inside_a_string_still_tells_the_kind() -> None:
    head = '{"conformsTo": "x", "dataset": [{"title": "Presupuesto públ'.encode()
    assert sniff_json(head) == "datajson"
    assert sniff_json(head[:-1]) == "datajson"  # cut inside the two bytes of "ú"


def test_a_dcat_us_3_record_without_a_json_ld_context_is_data_json() -> None:
    record = b'{"@type": "Dataset", "@id": "https://x.example/d/1", "identifier": "1", "title": "T", "distribution": []}'
    assert sniff_json(record) == "datajson"
    # With a context it is JSON-LD; without data.json's fields, "@type" and "@id" say JSON-LD too.
    assert sniff_json(b'{"@context": "https://x.example/ctx", "@type": "Dataset", "identifier": "1"}') == "dcat"
    assert sniff_json(b'{"@type": "Catalog", "@id": "https://x.example/c", "title": "C"}') == "dcat"
