"""MQA ``dcatApCompliance``: does the dataset's record conform to the DCAT-AP SHACL shapes?

Which record:

* DCAT sources: the dataset's subgraph as harvested (``Dataset.source``,
  N-Triples), validated as is (``validated == "source"``);
* CKAN and data.json sources: the DCAT-AP rendering of the normalised record
  (:mod:`govlens.assess.dcat`), and the verdict says so (``validated == "rendering"``).

Which shapes: the official SEMIC "core constraints" files (every constraint
except class ranges, the ITB validator's base case without background
vocabularies), shipped with govlens: DCAT-AP 2.1.1 for DCAT-AP 2 sources and
renderings, DCAT-AP 3.0.1 for DCAT-AP 3 sources (profile ``dcat-ap-3``, or a
record using DCAT-AP 3 terms: applicable legislation, HVD category, dataset
series, versions).

The shapes run on the compiled engine (:mod:`govlens.assess.shacl`), which the
tests hold to pyshacl's verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph

from govlens.assess import dcat
from govlens.assess.shacl import Shapes
from govlens.assess.vocab import read_data
from govlens.model import Dataset

SHAPES_FILES = {
    "2.1.1": "shacl/dcat-ap_2.1.1_shacl_shapes.ttl",
    "3.0.1": "shacl/dcat-ap_3.0.1_shacl_shapes.ttl",
}
MAX_VIOLATIONS = 20


@dataclass(frozen=True, slots=True)
class Compliance:
    #: True/False, or None when the record could not be validated (``error`` says why).
    conforms: bool | None
    #: "DCAT-AP 2.1.1" or "DCAT-AP 3.0.1".
    shapes: str
    #: "source" (the harvested RDF) or "rendering" (govlens' DCAT-AP rendering of the record).
    validated: str
    violations: tuple[str, ...] = ()
    error: str | None = None


@cache
def shapes_graph(version: str) -> Graph:
    return Graph().parse(data=read_data(SHAPES_FILES[version]), format="turtle")


@cache
def compiled_shapes(version: str) -> Shapes:
    return Shapes.compile(shapes_graph(version), f"DCAT-AP {version}")


#: Terms only DCAT-AP 3 (DCAT 3) records use; a DCAT source citing one is validated as DCAT-AP 3.
DCAT_AP_3_TERMS = (
    "http://data.europa.eu/r5r/applicableLegislation", "http://data.europa.eu/r5r/hvdCategory",
    "http://www.w3.org/ns/dcat#inSeries", "http://www.w3.org/ns/dcat#DatasetSeries",
    "http://www.w3.org/ns/dcat#hasVersion", "http://www.w3.org/ns/dcat#version",
)


def shapes_version(ds: Dataset) -> str:
    """"3.0.1" for DCAT-AP 3 sources (by profile, or by DCAT 3 terms in the record), else "2.1.1"."""
    src = ds.source
    if src is None:
        return "2.1.1"
    if (src.profile or "").lower().startswith("dcat-ap-3"):
        return "3.0.1"
    if src.kind == "dcat" and src.text and any(t in src.text for t in DCAT_AP_3_TERMS):
        return "3.0.1"
    return "2.1.1"


def record_triples(ds: Dataset) -> tuple[list[dcat.Triple], str]:
    """The triples to validate and where they come from ("source" or "rendering").

    Raises ``ValueError`` (from rdflib) when a DCAT source record does not parse.
    """
    src = ds.source
    if src is not None and src.kind == "dcat" and src.text and "n-triples" in src.media_type:
        g = Graph().parse(data=src.text, format="nt")
        return list(g), "source"  # type: ignore[arg-type]
    version = 3 if shapes_version(ds).startswith("3") else 2
    return dcat.render(ds, version), "rendering"


def compliance(ds: Dataset, *, details: bool = True) -> Compliance:
    """Validate one dataset; ``details=False`` stops at the first violation (verdict only)."""
    version = shapes_version(ds)
    label = f"DCAT-AP {version}"
    try:
        triples, validated = record_triples(ds)
    except Exception as exc:  # noqa: BLE001 - rdflib raises many types for malformed input
        return Compliance(None, label, "source", error=f"the source record does not parse: {exc}"[:300])
    found = compiled_shapes(version).validate(triples, first=not details)
    return Compliance(not found, label, validated, tuple(str(v) for v in found[:MAX_VIOLATIONS]))
