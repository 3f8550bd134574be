"""The priority-datasets section of the observatory reports: plain values and their chart.

Which of the datasets a government should publish (the Open Data Charter's
anti-corruption datasets, the EU high-value categories, the G8 categories) are
there, and which are missing or closed, for the whole government or for one
institution. Gathered at the edge (``govlens.run.report_coverage``) from the
coverage matrix and its fix list; rendered here without I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from govlens.report import charts
from govlens.report.i18n import Translator


@dataclass(frozen=True, slots=True)
class Bilingual:
    es: str
    en: str

    def get(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True, slots=True)
class FrameworkCount:
    """Categories of one framework: how many are present, and present as open data."""

    framework: str
    label: Bilingual
    categories: int
    present: int
    open_data: int


@dataclass(frozen=True, slots=True)
class PriorityDataset:
    """One category found for the group, with the quality of what exists."""

    category: str
    framework: str
    label: Bilingual
    datasets: int
    open_data: int
    mqa_band: str | None = None


@dataclass(frozen=True, slots=True)
class PriorityFix:
    """A priority dataset to publish (``publish-missing``) or to open (``open-existing``)."""

    category: str
    framework: str
    label: Bilingual
    kind: str
    action: Bilingual
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageFacts:
    """The priority datasets of the government (``publisher`` None) or of one institution.

    ``fixes`` follow the fix lists of ``govlens fixes``: the whole government is
    asked for every missing dataset, an institution only for those it is the
    telling institution for (``relevant``) or already publishes.
    """

    publisher: str | None
    frameworks: tuple[FrameworkCount, ...]
    present: tuple[PriorityDataset, ...]
    fixes: tuple[PriorityFix, ...]
    relevant: int = 0

    @property
    def categories(self) -> int:
        return sum(f.categories for f in self.frameworks)

    @property
    def present_count(self) -> int:
        return sum(f.present for f in self.frameworks)

    @property
    def open_count(self) -> int:
        return sum(f.open_data for f in self.frameworks)

    @property
    def missing(self) -> tuple[PriorityFix, ...]:
        return tuple(f for f in self.fixes if f.kind == "publish-missing")

    @property
    def closed(self) -> tuple[PriorityFix, ...]:
        return tuple(f for f in self.fixes if f.kind == "open-existing")


def coverage_chart(facts: CoverageFacts, t: Translator, lang: str) -> Markup:
    """Per framework: categories present as open data, present, and missing."""
    fw = facts.frameworks
    return charts.grouped_bars(
        [f.label.get(lang) for f in fw],
        [
            (t("coverage.report.open"), [float(f.open_data) for f in fw]),
            (t("coverage.present"), [float(f.present) for f in fw]),
            (t("coverage.missing"), [float(f.categories - f.present) for f in fw]),
        ],
        title=t("coverage.chart"), empty=t("chart.empty"), colours=("#0072B2", "#009E73", "#D55E00"),
    )
