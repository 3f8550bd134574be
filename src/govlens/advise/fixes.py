"""Ranked fix lists: the concrete actions that would raise a group's mean MQA score most.

Each action changes some measurement values (for example "add a licence" makes
``licenceAvailability`` and ``knownLicence`` true on every distribution lacking
a licence). Its gain is computed counterfactually: each dataset is scored again
with the action applied, through the same best-distribution algorithm as the
real score, so a fix on distributions that are not the scored one gains only
what it actually changes. Naive addition of metric points would overstate it.

Fixes are ranked by the mean gain over all the group's datasets (= total gain /
datasets); each names the datasets it raises and how many distributions change.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govlens.advise.messages import render
from govlens.assess.metrics import DEFAULT_WEIGHTS, DI_INDEX, DS_INDEX, Weights
from govlens.assess.mqa import score

Value = bool | int | None
Facts = tuple[Value, ...]


def _ok_status(v: Value) -> bool:
    return v is not None and v is not True and v is not False and 200 <= v <= 299


@dataclass(frozen=True, slots=True)
class Action:
    key: str
    level: str  # "dataset" | "distribution"
    #: metric name -> the value the fix gives it
    sets: tuple[tuple[str, Value], ...]
    #: does the fix apply to these facts (a dataset's or a distribution's)?
    applies: Callable[[Facts], bool]


def _false(name: str, level: str) -> Callable[[Facts], bool]:
    i = (DS_INDEX if level == "dataset" else DI_INDEX)[name]
    return lambda f: f[i] is False


def _failed(name: str) -> Callable[[Facts], bool]:
    i = DI_INDEX[name]
    return lambda f: f[i] is not None and not _ok_status(f[i])


def _ds(key: str, metric: str) -> Action:
    return Action(key, "dataset", ((metric, True),), _false(metric, "dataset"))


def _di(key: str, metric: str) -> Action:
    return Action(key, "distribution", ((metric, True),), _false(metric, "distribution"))


_AR, _ARV = DS_INDEX["accessRightsAvailability"], DS_INDEX["accessRightsVocabularyAlignment"]
_LIC, _KNOWN = DI_INDEX["licenceAvailability"], DI_INDEX["knownLicence"]
_DL = DI_INDEX["downloadUrlAvailability"]
_DL_FAILED = _failed("downloadUrlStatusCode")

ACTIONS: tuple[Action, ...] = (
    _ds("add-keywords", "keywordAvailability"),
    _ds("add-themes", "categoryAvailability"),
    _ds("add-spatial", "spatialAvailability"),
    _ds("add-temporal", "temporalAvailability"),
    _ds("fix-dcat-ap", "dcatApCompliance"),
    Action("add-access-rights", "dataset",
           (("accessRightsAvailability", True), ("accessRightsVocabularyAlignment", True)),
           lambda f: f[_AR] is False),
    Action("use-access-rights-vocabulary", "dataset", (("accessRightsVocabularyAlignment", True),),
           lambda f: f[_AR] is True and f[_ARV] is False),
    _ds("add-contact-point", "contactPointAvailability"),
    _ds("add-publisher", "publisherAvailability"),
    _ds("add-issued", "dateIssuedAvailability"),
    _ds("add-modified", "dateModifiedAvailability"),
    Action("fix-access-urls", "distribution", (("accessUrlStatusCode", 200),), _failed("accessUrlStatusCode")),
    _di("add-download-url", "downloadUrlAvailability"),
    Action("fix-download-urls", "distribution", (("downloadUrlStatusCode", 200),),
           lambda f: f[_DL] is True and _DL_FAILED(f)),
    _di("add-format", "formatAvailability"),
    _di("add-media-type", "mediaTypeAvailability"),
    Action("use-format-vocabularies", "distribution",
           (("formatAvailability", True), ("mediaTypeAvailability", True),
            ("formatMediaTypeVocabularyAlignment", True)),
           _false("formatMediaTypeVocabularyAlignment", "distribution")),
    _di("publish-non-proprietary", "formatMediaTypeNonProprietary"),
    _di("publish-machine-readable", "formatMediaTypeMachineInterpretable"),
    Action("add-licence", "distribution", (("licenceAvailability", True), ("knownLicence", True)),
           lambda f: f[_LIC] is False),
    Action("use-known-licence", "distribution", (("knownLicence", True),),
           lambda f: f[_LIC] is True and f[_KNOWN] is False),
    _di("add-rights", "rightsAvailability"),
    _di("add-byte-size", "byteSizeAvailability"),
)
ACTIONS_BY_KEY = {a.key: a for a in ACTIONS}


@dataclass(frozen=True, slots=True)
class DatasetFacts:
    """A dataset's MQA facts, as the fix list needs them."""

    identifier: str
    ds_facts: Facts
    dist_facts: tuple[Facts, ...]


@dataclass(frozen=True, slots=True)
class Fix:
    action: str
    level: str
    metrics: tuple[str, ...]
    datasets: int
    distributions: int
    points_each: float
    points_max: int
    mean_gain: float
    total_gain: int
    group_datasets: int
    dataset_ids: tuple[str, ...]

    def text(self, lang: str = "en") -> str:
        return render(self.action, lang, datasets=self.datasets, distributions=self.distributions,
                      points=self.points_each, max_points=self.points_max, mean=self.mean_gain)


def _apply(action: Action, facts: Facts, index: dict[str, int]) -> Facts:
    out = list(facts)
    for name, value in action.sets:
        out[index[name]] = value
    return tuple(out)


def gain(action: Action, item: DatasetFacts, weights: Weights = DEFAULT_WEIGHTS,
         before: int | None = None) -> tuple[int, int]:
    """``(points gained, distributions changed)`` when ``action`` is applied to one dataset."""
    ds, dists = item.ds_facts, item.dist_facts
    changed = 0
    if action.level == "dataset":
        if not action.applies(ds):
            return 0, 0
        new_ds, new_dists = _apply(action, ds, DS_INDEX), dists
    else:
        new = []
        for f in dists:
            if action.applies(f):
                changed += 1
                new.append(_apply(action, f, DI_INDEX))
            else:
                new.append(f)
        if not changed:
            return 0, 0
        new_ds, new_dists = ds, tuple(new)
    old = before if before is not None else score(ds, dists, weights).total
    return score(new_ds, new_dists, weights).total - old, changed


#: ``(index in ACTIONS, points gained, distributions changed)`` for each action that raises one dataset.
Gains = tuple[tuple[int, int, int], ...]


def dataset_gains(item: DatasetFacts, weights: Weights = DEFAULT_WEIGHTS,
                  actions: Sequence[Action] = ACTIONS) -> Gains:
    """What each action would gain on one dataset (only the actions that gain something)."""
    before = score(item.ds_facts, item.dist_facts, weights).total
    out = []
    for i, a in enumerate(actions):
        g, changed = gain(a, item, weights, before)
        if g > 0:
            out.append((i, g, changed))
    return tuple(out)


class FixTally:
    """A mergeable accumulator of fix gains over a group of datasets (a publisher, a catalogue).

    ``sample`` caps how many dataset identifiers each fix keeps (None keeps them all, in the
    order given): the smallest ones, so the sample does not depend on the order datasets or
    tallies come in, and a stored tally stays small while its counts stay exact.
    """

    __slots__ = ("n", "per", "sample")

    def __init__(self, sample: int | None = None) -> None:
        self.n = 0
        self.sample = sample
        #: action key -> [datasets, distributions, total gain, max gain, dataset ids]
        self.per: dict[str, list[Any]] = {}

    def add(self, identifier: str, gains: Gains, actions: Sequence[Action] = ACTIONS) -> None:
        """Count one dataset of the group, with what each action gains on it."""
        self.n += 1
        for i, g, changed in gains:
            a = actions[i]
            row = self.per.get(a.key)
            if row is None:
                row = self.per[a.key] = [0, 0, 0, 0, []]
            row[0] += 1
            row[1] += changed if a.level == "distribution" else 0
            row[2] += g
            row[3] = max(row[3], g)
            ids = row[4]
            if self.sample is None:
                ids.append(identifier)
            elif len(ids) < self.sample or identifier < ids[-1]:
                bisect.insort(ids, identifier)
                del ids[self.sample:]

    def merge(self, other: FixTally) -> FixTally:
        """Add ``other``'s datasets into this tally (returns self)."""
        self.n += other.n
        for key, (d, c, total, best, ids) in other.per.items():
            row = self.per.setdefault(key, [0, 0, 0, 0, []])
            row[0] += d
            row[1] += c
            row[2] += total
            row[3] = max(row[3], best)
            row[4] = row[4] + list(ids) if self.sample is None else sorted({*row[4], *ids})[: self.sample]
        return self

    def fixes(self, actions: Sequence[Action] = ACTIONS) -> list[Fix]:
        """The ranked fixes: mean gain over the group, then datasets raised, then the action's key."""
        out = []
        for a in actions:
            row = self.per.get(a.key)
            if not row:
                continue
            d, c, total, best, ids = row
            out.append(Fix(action=a.key, level=a.level, metrics=tuple(name for name, _ in a.sets),
                           datasets=d, distributions=c, points_each=total / d, points_max=best,
                           mean_gain=total / self.n, total_gain=total, group_datasets=self.n,
                           dataset_ids=tuple(ids)))
        out.sort(key=lambda f: (-f.mean_gain, -f.datasets, f.action))
        return out

    def state(self) -> dict[str, Any]:
        """JSON-ready counts, keyed by action."""
        return {"n": self.n, "sample": self.sample, "per": {k: list(v) for k, v in self.per.items()}}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> FixTally:
        t = cls(state.get("sample"))
        t.n = int(state["n"])
        t.per = {k: [int(v[0]), int(v[1]), int(v[2]), int(v[3]), list(v[4])]
                 for k, v in state["per"].items() if k in ACTIONS_BY_KEY}
        return t


def fix_list(
    items: Iterable[DatasetFacts],
    weights: Weights = DEFAULT_WEIGHTS,
    actions: Sequence[Action] = ACTIONS,
) -> list[Fix]:
    """The ranked fixes for one group of datasets (a publisher, a catalogue)."""
    tally = FixTally()
    for item in items:
        tally.add(item.identifier, dataset_gains(item, weights, actions), actions)
    return tally.fixes(actions)
