"""Measurements as W3C DQV RDF, with piveau's metric URIs (the MQA's own vocabulary).

Each measurement becomes a ``dqv:QualityMeasurement`` attached to the dataset
(``dqv:hasQualityMeasurement``), with ``dqv:computedOn`` the dataset or the
distribution, ``dqv:isMeasurementOf`` the metric and ``dqv:value`` the value.
MQA metrics use ``https://piveau.eu/ns/voc#<name>``; the dataset's MQA score is
``pv:score``. govlens' other measurements (udata criteria, 5-star openness,
POD validity, SHACL details) use ``urn:govlens:metric:<name>`` IRIs. Values
that were not measured (a URL not checked) are left out, as piveau leaves out
measurements it did not take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, XSD

from govlens.assess.metrics import DATASET_METRICS, DISTRIBUTION_METRICS, PV
from govlens.model import QualityMeasurement

DQV = Namespace("http://www.w3.org/ns/dqv#")
PVNS = Namespace(PV)
GOVLENS_METRIC = "urn:govlens:metric:"
_MQA = {m.name for m in DATASET_METRICS} | {m.name for m in DISTRIBUTION_METRICS}


def metric_iri(name: str) -> URIRef:
    return PVNS[name] if name in _MQA else URIRef(GOVLENS_METRIC + name)


def _literal(value: bool | float | str) -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    return Literal(value)


def new_graph() -> Graph:
    g = Graph()
    g.bind("dqv", DQV)
    g.bind("pv", PVNS)
    g.bind("prov", PROV)
    return g


def add_dataset(
    g: Graph,
    dataset: URIRef,
    subjects: Mapping[int, URIRef],
    rows: Iterable[QualityMeasurement],
    score: int | None,
    generated: datetime | None = None,
) -> None:
    """Add one dataset's measurements; ``subjects`` maps ``seq`` to the subject IRI (0: the dataset)."""
    when = Literal(generated.isoformat(), datatype=XSD.dateTime) if generated is not None else None

    def measurement(on: URIRef, metric: URIRef, value: Literal) -> None:
        m = BNode()
        g.add((dataset, DQV.hasQualityMeasurement, m))
        g.add((m, RDF.type, DQV.QualityMeasurement))
        g.add((m, DQV.computedOn, on))
        g.add((m, DQV.isMeasurementOf, metric))
        g.add((m, DQV.value, value))
        if when is not None:
            g.add((m, PROV.generatedAtTime, when))

    for r in rows:
        if r.value is None:
            continue
        measurement(subjects.get(r.seq, dataset), metric_iri(r.metric), _literal(r.value))
    if score is not None:
        measurement(dataset, PVNS.score, _literal(score))
