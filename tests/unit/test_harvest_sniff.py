from __future__ import annotations

from govlens.harvest.sources import sniff_json


def test_a_string_no_encoding_holds_does_not_stop_sniffing_at_the_keys_seen() -> None:
    assert sniff_json(b'{"@context": {}, "@id": "http://x.example/d\\ud800", "@type": "dcat:Dataset"}') == "dcat"
    assert sniff_json(b'{"identifier": "a", "title": "T\\udc00"}') == "datajson"


def test_a_head_cut_inside_a_string_still_tells_the_kind() -> None:
    head = '{"conformsTo": "x", "dataset": [{"title": "Presupuesto públ'.encode()
    assert sniff_json(head) == "datajson"
    assert sniff_json(head[:-1]) == "datajson"  # cut inside the two bytes of "ú"
