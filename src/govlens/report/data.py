"""What a report says, as plain frozen values: gathered from the store at the edge
(``govlens.run.report``), rendered here without any I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from govlens.advise.fixes import Fix
from govlens.aggregate.quality import QualitySummary
from govlens.assess.metrics import MAX_BY_DIMENSION
from govlens.assess.score import rating
from govlens.report.coverage import CoverageFacts

ReportKind = Literal["government", "institution"]


@dataclass(frozen=True, slots=True)
class RunPoint:
    """One complete run on a trend line."""

    run: int
    label: str
    datasets: int


@dataclass(frozen=True, slots=True)
class Health:
    """Link checks or file inspections of one run, by outcome (zeros when none ran)."""

    checked: int = 0
    ok: int = 0
    broken: int = 0
    failing: int = 0
    unknown: int = 0

    def __add__(self, other: Health) -> Health:
        return Health(self.checked + other.checked, self.ok + other.ok, self.broken + other.broken,
                      self.failing + other.failing, self.unknown + other.unknown)

    @property
    def share_ok(self) -> float | None:
        return self.ok / self.checked if self.checked else None


@dataclass(frozen=True, slots=True)
class QualityPoint:
    """The mean MQA score in one complete run (None when that run was not assessed)."""

    run: int
    label: str
    mqa_mean: float | None


@dataclass(frozen=True, slots=True)
class QualityFacts:
    """The metadata quality of a group (the government, a catalogue, an institution) in the
    latest assessed runs: the roll-up, its ranked fixes and its trend across runs."""

    summary: QualitySummary
    fixes: tuple[Fix, ...] = ()
    trend: tuple[QualityPoint, ...] = ()
    #: The best score of each dimension under the weights used.
    maxima: tuple[int, ...] = MAX_BY_DIMENSION


@dataclass(frozen=True, slots=True)
class CatalogueFacts:
    name: str
    title: str | None
    source: str
    kind: str
    language: str | None
    runs: int
    run: int | None
    finished_at: str | None
    datasets: int
    distributions: int
    publishers: int
    warnings: int
    withdrawn: int
    trend: tuple[RunPoint, ...] = ()
    #: Link checks: ok, broken, failing, unknown.
    links: Health = Health()
    #: File inspections: ok = valid, broken = invalid, unknown = unreadable.
    files: Health = Health()
    #: None until the latest run is assessed.
    quality: QualityFacts | None = None

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass(frozen=True, slots=True)
class InstitutionFacts:
    catalogue: str
    key: str
    name: str
    datasets: int
    distributions: int
    warnings: int
    homepage: str | None = None
    trend: tuple[RunPoint, ...] = ()
    links: Health = Health()
    files: Health = Health()
    #: Its links broken now that were not at the catalogue's previous harvest (``govlens publishers``'
    #: ``links_newly_broken``); None before any of its links was checked.
    newly_broken: int | None = None
    #: One institution's full quality (its page, its report); None until the latest run is assessed.
    quality: QualityFacts | None = None
    #: Its mean MQA and udata scores in the latest assessed run (every institution of a listing).
    mqa_mean: float | None = None
    udata_mean: float | None = None

    @property
    def mqa_rating(self) -> str | None:
        if self.quality is not None:
            return self.quality.summary.mqa_rating
        return rating(self.mqa_mean) if self.mqa_mean is not None else None


@dataclass(frozen=True, slots=True)
class Report:
    """A whole-government report (``institution`` is None) or one institution's."""

    kind: ReportKind
    generated_at: str
    catalogues: tuple[CatalogueFacts, ...]
    institutions: tuple[InstitutionFacts, ...] = ()
    #: Priority datasets present, missing or closed (``govlens.run.report_coverage``); None: not gathered.
    coverage: CoverageFacts | None = None
    institution: InstitutionFacts | None = None
    stages: tuple[str, ...] = field(default=())
    #: The whole government's quality (every assessed catalogue merged); None before any assessment.
    quality: QualityFacts | None = None

    @property
    def datasets(self) -> int:
        return sum(c.datasets for c in self.catalogues)

    @property
    def distributions(self) -> int:
        return sum(c.distributions for c in self.catalogues)

    @property
    def publishers(self) -> int:
        return sum(c.publishers for c in self.catalogues)

    @property
    def links(self) -> Health:
        return sum((c.links for c in self.catalogues), Health())

    @property
    def files(self) -> Health:
        return sum((c.files for c in self.catalogues), Health())
