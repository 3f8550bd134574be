"""Why each MQA metric of a dataset passed or failed, from its stored measurements and its record.

:func:`explain` pairs every stored measurement row of a dataset with the record's own
values and the vocabulary lookups that decided it ("format .CSV mapped to CSV", "no
licence declared", "download URL not checked"). A reason is a message key (``why.*``
in the ``quality`` locale files) with text parameters, so pages and reports word it in
Spanish or English; parameters are harvested text and are escaped where shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from govlens.assess import vocab
from govlens.assess.assessment import SHACL_SHAPES, SHACL_VALIDATED, SHACL_VIOLATIONS
from govlens.assess.facts import CONNECTION_FAILED, format_code
from govlens.assess.metrics import (
    DATASET_METRICS,
    DI_INDEX,
    DISTRIBUTION_METRICS,
    DS_INDEX,
    Metric,
    Weights,
)
from govlens.model import Dataset, Distribution, QualityMeasurement
from govlens.model.quality import MeasurementValue

Verdict = Literal["yes", "no", "not_measured"]
Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class MetricLine:
    """One MQA measurement of a dataset, with its verdict and the reason for it."""

    seq: int  # 0: the dataset; i: its i-th distribution
    subject: str
    metric: str
    dimension: str
    value: MeasurementValue
    points: float
    max_points: int
    verdict: Verdict
    reason: str  # message key, without the ``why.`` prefix
    params: Params = ()

    @property
    def param_dict(self) -> dict[str, str]:
        return dict(self.params)


def _clip(text: object, n: int = 120) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _list(values: Sequence[str], n: int = 5) -> str:
    shown = ", ".join(_clip(v, 60) for v in values[:n])
    return shown + (f" (+{len(values) - n})" if len(values) > n else "")


def verdict(metric: Metric, value: MeasurementValue) -> Verdict:
    if value is None:
        return "not_measured"
    if metric.status:
        ok = isinstance(value, int) and not isinstance(value, bool) and 200 <= value <= 299
        return "yes" if ok else "no"
    return "yes" if value is True else "no"


def _status(prefix: str, value: MeasurementValue, urls: Sequence[str]) -> tuple[str, Params]:
    if not urls:
        return f"{prefix}.none", ()
    if value is None:
        return f"{prefix}.not_checked", ()
    if value == CONNECTION_FAILED:
        return f"{prefix}.no_answer", ()
    if isinstance(value, int) and 200 <= value <= 299:
        return f"{prefix}.ok", (("code", str(value)),)
    return f"{prefix}.failed", (("code", str(value)),)


def _yes_no(ok: bool, key: str, params: Params = ()) -> tuple[str, Params]:
    return (f"{key}.yes", params) if ok else (f"{key}.no", ())


def _dataset_reason(ds: Dataset, name: str, value: MeasurementValue, extra: dict[str, str]) -> tuple[str, Params]:
    if name == "keywordAvailability":
        return _yes_no(bool(value), "keywords", (("list", _list(ds.keywords)),))
    if name == "categoryAvailability":
        return _yes_no(bool(value), "themes", (("list", _list(ds.themes)),))
    if name == "spatialAvailability":
        return _yes_no(bool(value), "spatial", (("list", _list(ds.spatial)),))
    if name == "temporalAvailability":
        t = ds.temporal
        return _yes_no(bool(value), "temporal", (("start", _clip(t.start or "…") if t else "…"),
                                                  ("end", _clip(t.end or "…") if t else "…")))
    if name == "dcatApCompliance":
        shapes = extra.get(SHACL_SHAPES, "")
        if value is None:
            return ("dcat.error", (("error", _clip(extra[SHACL_VIOLATIONS], 200)),)) \
                if SHACL_VIOLATIONS in extra else ("dcat.not_validated", ())
        how = "rendering" if extra.get(SHACL_VALIDATED) == "rendering" else "source"
        if value:
            return f"dcat.yes_{how}", (("shapes", shapes),)
        first = extra.get(SHACL_VIOLATIONS, "").split("\n")
        return f"dcat.no_{how}", (("shapes", shapes), ("n", str(len([v for v in first if v]))),
                                  ("first", _clip(first[0], 200)))
    if name == "accessRightsAvailability":
        return _yes_no(bool(value), "access_rights", (("value", _clip(ds.access_rights or "")),))
    if name == "accessRightsVocabularyAlignment":
        if not ds.access_rights:
            return "access_rights.no", ()
        code = vocab.access_right_code(ds.access_rights)
        if value and code:
            return "access_rights_vocab.yes", (("value", _clip(ds.access_rights)), ("code", code))
        return "access_rights_vocab.no", (("value", _clip(ds.access_rights)),)
    if name == "contactPointAvailability":
        cp = ds.contact_point
        who = (cp.name or cp.email or cp.url) if cp else None
        return _yes_no(bool(value), "contact", (("value", _clip(who or "")),))
    if name == "publisherAvailability":
        pub = ds.publisher
        return _yes_no(bool(value), "publisher", (("value", _clip((pub.name or pub.uri) if pub else "")),))
    if name == "dateIssuedAvailability":
        return _yes_no(bool(value), "issued", (("value", _clip(ds.issued or "")),))
    if name == "dateModifiedAvailability":
        return _yes_no(bool(value), "modified", (("value", _clip(ds.modified or "")),))
    return "unknown", ()  # pragma: no cover - every dataset metric is listed above


def _alignment(d: Distribution, value: MeasurementValue) -> tuple[str, Params]:
    fmt = d.format_raw or d.format
    code = format_code(d)
    if value:
        return "aligned.yes", (("format", _clip(fmt or "")), ("code", code or ""),
                               ("media", _clip(d.media_type or "")))
    if not fmt:
        return "aligned.no_format", ()
    if code is None:
        return "aligned.unknown_format", (("format", _clip(fmt)),)
    if not d.media_type:
        return "aligned.no_media", (("format", _clip(fmt)), ("code", code))
    return "aligned.unknown_media", (("media", _clip(d.media_type)),)


def _kind_of_format(key: str, d: Distribution, value: MeasurementValue) -> tuple[str, Params]:
    """Non-proprietary or machine-readable: the media type's file type, else the format's."""
    if not (d.format or d.format_raw or d.media_type):
        return "format_kind.none", ()
    codes = list(dict.fromkeys(c for c in (vocab.media_code(d.media_type) if d.media_type else None,
                                           format_code(d)) if c))
    if not codes:
        return "format_kind.unknown", (("format", _clip(d.format_raw or d.format or d.media_type or "")),)
    t = vocab.tables()
    listed = t.non_proprietary if key == "non_proprietary" else t.machine_readable
    hit = next((c for c in codes if c in listed), None)
    if value and hit:
        return f"{key}.yes", (("code", hit),)
    return f"{key}.no", (("code", "/".join(codes)),)


def _licence(d: Distribution, inherit: str | None, value: MeasurementValue, known: bool) -> tuple[str, Params]:
    lic = d.licence or inherit
    if not lic:
        return "licence.no", ()
    if known:
        hit = vocab.licence(lic)
        if value and hit is not None:
            return "known_licence.yes", (("value", _clip(lic)), ("title", _clip(hit.title)))
        return "known_licence.no", (("value", _clip(lic)),)
    return ("licence.yes" if d.licence else "licence.inherited"), (("value", _clip(lic)),)


def _distribution_reason(d: Distribution, inherit: str | None, name: str,
                         value: MeasurementValue) -> tuple[str, Params]:
    simple: dict[str, Callable[[], tuple[str, Params]]] = {
        "accessUrlStatusCode": lambda: _status("access_url", value, d.access_urls),
        "downloadUrlAvailability": lambda: _yes_no(bool(value), "download_url",
                                                   (("n", str(len(d.download_urls))),)),
        "downloadUrlStatusCode": lambda: _status("download_status", value, d.download_urls),
        "formatAvailability": lambda: _yes_no(bool(value), "format",
                                              (("value", _clip(d.format_raw or d.format or "")),)),
        "mediaTypeAvailability": lambda: _yes_no(bool(value), "media_type", (("value", _clip(d.media_type or "")),)),
        "formatMediaTypeVocabularyAlignment": lambda: _alignment(d, value),
        "formatMediaTypeNonProprietary": lambda: _kind_of_format("non_proprietary", d, value),
        "formatMediaTypeMachineInterpretable": lambda: _kind_of_format("machine_readable", d, value),
        "formatMatch": lambda: ("inspection.none", ()) if value is None else _yes_no(bool(value), "format_match"),
        "syntaxValid": lambda: ("inspection.none", ()) if value is None else _yes_no(bool(value), "syntax"),
        "licenceAvailability": lambda: _licence(d, inherit, value, known=False),
        "knownLicence": lambda: _licence(d, inherit, value, known=True),
        "rightsAvailability": lambda: _yes_no(bool(value), "rights", (("value", _clip(d.rights or "")),)),
        "byteSizeAvailability": lambda: _yes_no(bool(value), "byte_size", (("value", f"{d.byte_size or 0:,}"),)),
        "dateIssuedAvailability": lambda: _yes_no(bool(value), "issued", (("value", _clip(d.issued or "")),)),
        "dateModifiedAvailability": lambda: _yes_no(bool(value), "modified", (("value", _clip(d.modified or "")),)),
    }
    return simple[name]()


def explain(ds: Dataset, rows: Sequence[QualityMeasurement], weights: Weights) -> list[MetricLine]:
    """Every MQA measurement of ``ds`` (dataset first, then each distribution), explained."""
    extra = {r.metric: str(r.value) for r in rows if r.seq == 0 and r.metric.startswith("shacl:")
             and r.value is not None}
    inherit = None if ds.source is not None and ds.source.kind == "dcat" else ds.licence
    out = []
    for r in rows:
        if r.seq == 0:
            i = DS_INDEX.get(r.metric)
            if i is None:
                continue
            m, pts = DATASET_METRICS[i], weights.dataset[i]
            key, params = _dataset_reason(ds, r.metric, r.value, extra)
        else:
            j = DI_INDEX.get(r.metric)
            if j is None:
                continue
            m, pts = DISTRIBUTION_METRICS[j], weights.distribution[j]
            dist = ds.distributions[r.seq - 1] if r.seq <= len(ds.distributions) else None
            if dist is None or dist.id != r.subject:
                key, params = "record_changed", ()
            else:
                key, params = _distribution_reason(dist, inherit, r.metric, r.value)
        out.append(MetricLine(r.seq, r.subject, r.metric, m.dimension_name, r.value, r.points,
                              max(pts), verdict(m, r.value), key, params))
    out.sort(key=lambda x: (x.seq, DS_INDEX[x.metric] if x.seq == 0 else DI_INDEX[x.metric]))
    return out
