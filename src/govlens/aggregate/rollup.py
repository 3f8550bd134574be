"""A run's quality, rolled up per publisher as it is assessed: the counts the dashboard,
the API and the reports read instead of aggregating a million dataset scores per request.

For each publisher of a run a :class:`Rollup` keeps a :class:`~govlens.aggregate.quality.Tally`
(mean score, bands, score bins, dimension sums, "yes" per metric, stars, udata) and a
:class:`~govlens.advise.fixes.FixTally` (what each fix would gain, with a sample of the
datasets it raises). Both merge exactly, so a catalogue's or the government's figures are
the merge of its publishers' (:func:`merge`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govlens.advise.fixes import DatasetFacts, FixTally, Gains, dataset_gains
from govlens.aggregate.quality import DatasetQuality, Tally
from govlens.assess.metrics import DEFAULT_WEIGHTS, Weights

#: Dataset identifiers kept per fix and publisher (the counts stay exact).
SAMPLE_IDS = 10


@dataclass(slots=True)
class Group:
    """One publisher's roll-up (or a merge of several)."""

    tally: Tally
    fixes: FixTally


def new_group(key: str = "") -> Group:
    return Group(Tally(key), FixTally(SAMPLE_IDS))


class Rollup:
    """Per-publisher groups of one run, fed dataset by dataset. ``""`` is "no publisher"."""

    __slots__ = ("_gains", "groups", "weights")

    #: Distinct fact patterns whose gains are remembered (datasets of a catalogue repeat a few).
    CACHE = 50_000

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.weights = weights
        self.groups: dict[str, Group] = {}
        self._gains: dict[tuple[object, object], Gains] = {}

    def add(self, q: DatasetQuality, gains: Gains | None = None) -> None:
        """Count one dataset; ``gains`` (from :func:`~govlens.advise.fixes.dataset_gains` under
        these weights) are computed here when not given."""
        key = q.publisher or ""
        g = self.groups.get(key)
        if g is None:
            g = self.groups[key] = new_group(key)
        g.tally.add(q)
        if gains is None:
            gains = self._gains_of(q)
        g.fixes.add(q.dataset, gains)

    def _gains_of(self, q: DatasetQuality) -> Gains:
        """Gains depend only on the facts and the weights: computed once per distinct pattern."""
        pattern = (q.ds_facts, q.dist_facts)
        gains = self._gains.get(pattern)
        if gains is None:
            gains = dataset_gains(DatasetFacts(q.dataset, q.ds_facts, q.dist_facts), self.weights)
            if len(self._gains) < self.CACHE:
                self._gains[pattern] = gains
        return gains


def merge(groups: Iterable[Group], key: str = "") -> Group:
    """One group holding all of ``groups`` (publishers into a catalogue, catalogues into a government)."""
    out = new_group(key)
    for g in groups:
        out.tally.merge(g.tally)
        out.fixes.merge(g.fixes)
    return out
