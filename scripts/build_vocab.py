#!/usr/bin/env python3
"""Derive govlens' compact vocabulary file from the MQA vocabularies.

Reads, by path, from the shared data folder (``--shared``, default
``../shared/data`` next to the repository or ``$GOVLENS_SHARED_DATA``):

* ``eu-mqa-vocabularies/edp-vocabularies/``: machine-readable and
  non-proprietary formats, EDP licences (with skos:exactMatch URLs), access
  rights, and the IANA media-type registry (one CSV per top-level type);
* ``dcat-ap-ch/ckanext/dcatapchharvest/formats.xml``: the EU file-type
  authority table (version 20240612), the vocabulary MQA aligns dct:format to.

Writes ``src/govlens/assess/data/vocab.json`` (sorted, compact, deterministic)
and checks that every code the hand-maintained ``aliases.toml`` maps to exists
in the EU file-type table. Run it again when the vocabularies change::

    .venv/bin/python scripts/build_vocab.py
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tomllib
from pathlib import Path

import rdflib
from rdflib.namespace import DC, RDF, SKOS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "govlens" / "assess" / "data"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
EDP = rdflib.Namespace("https://europeandataportal.eu/voc#")


def shared_dir(arg: str | None) -> Path:
    for c in (arg, os.environ.get("GOVLENS_SHARED_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"):
        if c and (Path(c) / "MANIFEST.md").is_file():
            return Path(c)
    sys.exit("build_vocab: shared data folder not found; pass --shared PATH")


def codes(graph: rdflib.Graph, prefix: str) -> list[str]:
    return sorted({str(s)[len(prefix):] for s in graph.subjects() if str(s).startswith(prefix) and str(s) != prefix})


def flagged(path: Path, flag: rdflib.URIRef) -> list[str]:
    g = rdflib.Graph().parse(path)
    return sorted(str(s)[len(FILE_TYPE):] for s, o in g.subject_objects(flag) if o.toPython() is True)


def licences(path: Path) -> list[dict[str, object]]:
    g = rdflib.Graph().parse(path)
    out = []
    for c in sorted(set(g.subjects(RDF.type, SKOS.Concept))):
        label = g.value(c, SKOS.prefLabel)
        for lab in g.objects(c, SKOS.prefLabel):
            if getattr(lab, "language", None) == "en":
                label = lab
        out.append(
            {
                "uri": str(c),
                "id": str(g.value(c, DC.identifier) or ""),
                "label": str(label or ""),
                "match": sorted(str(m) for m in g.objects(c, SKOS.exactMatch)),
            }
        )
    return out


def media_types(folder: Path) -> list[str]:
    out: set[str] = set()
    for f in sorted(folder.glob("edp-mediatype-*.csv")):
        with f.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                t = (row.get("Template") or "").strip().lower()
                if "/" in t:
                    out.add(t)
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--shared", help="the shared data folder")
    ap.add_argument("--out", help="where to write (default: the package's data/vocab.json)")
    args = ap.parse_args()
    shared = shared_dir(args.shared)
    edp = shared / "eu-mqa-vocabularies" / "edp-vocabularies"
    ft_graph = rdflib.Graph().parse(shared / "dcat-ap-ch" / "ckanext" / "dcatapchharvest" / "formats.xml")
    ar_graph = rdflib.Graph().parse(edp / "access-right-skos.rdf")
    vocab = {
        "sources": {
            "file_types": "EU file-type authority table 20240612 (dcat-ap-ch formats.xml)",
            "media_types": "IANA media types (edp-mediatype-*.csv)",
            "licences": "EDP licences SKOS (edp-licences-skos.rdf)",
            "access_rights": "EU access-right authority table (access-right-skos.rdf)",
            "machine_readable": "edp-machine-readable-format.rdf",
            "non_proprietary": "edp-non-proprietary-format.rdf",
        },
        "file_types": codes(ft_graph, FILE_TYPE),
        "machine_readable": flagged(edp / "edp-machine-readable-format.rdf", EDP.isMachineReadable),
        "non_proprietary": flagged(edp / "edp-non-proprietary-format.rdf", EDP.isNonProprietary),
        "access_rights": codes(ar_graph, ACCESS_RIGHT),
        "media_types": media_types(edp),
        "licences": licences(edp / "edp-licences-skos.rdf"),
    }
    aliases = tomllib.loads((DATA / "aliases.toml").read_text(encoding="utf-8"))
    known = set(vocab["file_types"])
    targets = set(aliases["formats"].values()) | set(aliases["media_types"].values())
    targets |= set(aliases["stars"]["codes"])
    missing = sorted(targets - known)
    if missing:
        sys.exit(f"build_vocab: aliases.toml maps to codes absent from the EU file types: {missing}")
    bad_ar = sorted(set(aliases["access_rights"].values()) - set(vocab["access_rights"]))
    if bad_ar:
        sys.exit(f"build_vocab: unknown access-right codes in aliases.toml: {bad_ar}")
    for name in ("machine_readable", "non_proprietary"):
        if not vocab[name]:
            sys.exit(f"build_vocab: no {name} formats found")
    out = Path(args.out) if args.out else DATA / "vocab.json"
    out.write_text(json.dumps(vocab, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes): "
          + ", ".join(f"{k} {len(v)}" for k, v in vocab.items() if isinstance(v, list)))


if __name__ == "__main__":
    main()
