"""MQA fact tuples for tests: all true, all false, one metric changed, and hypothesis strategies."""

from __future__ import annotations

from hypothesis import strategies as st

from govlens.assess.metrics import DATASET_METRICS, DI_INDEX, DISTRIBUTION_METRICS, DS_INDEX
from govlens.assess.mqa import Value

Facts = tuple[Value, ...]

ALL_DS: Facts = tuple(200 if m.status else True for m in DATASET_METRICS)
NONE_DS: Facts = tuple(None if m.name == "dcatApCompliance" else False for m in DATASET_METRICS)
ALL_DI: Facts = tuple(200 if m.status else (None if m.true_points == 0 else True) for m in DISTRIBUTION_METRICS)
NONE_DI: Facts = tuple(None if m.status or m.true_points == 0 else False for m in DISTRIBUTION_METRICS)


def with_ds(**values: Value) -> Facts:
    out = list(NONE_DS)
    for k, v in values.items():
        out[DS_INDEX[k]] = v
    return tuple(out)


def with_di(base: Facts = NONE_DI, /, **values: Value) -> Facts:
    out = list(base)
    for k, v in values.items():
        out[DI_INDEX[k]] = v
    return tuple(out)


facts_ds = st.tuples(*[st.sampled_from([200, 404, None]) if m.status else st.sampled_from([True, False, None])
                       for m in DATASET_METRICS])
facts_di = st.tuples(*[st.sampled_from([200, 302, 404, 1100, None]) if m.status
                       else st.sampled_from([True, False, None]) for m in DISTRIBUTION_METRICS])
