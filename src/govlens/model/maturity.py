"""Maturity values: answers with their evidence, measurements, and the action plan.

These are the contract between the areas that measure (metadata quality, link
health, dataset coverage) and the maturity self-assessment that uses their
results as evidence. A measurement is one number for one indicator and one
scope; nothing here knows how it was computed.

Scopes are institution ids (short slugs such as ``shcp``), ``centre`` for the
answers of the central office, and ``government`` for whole-government results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CENTRE = "centre"
GOVERNMENT = "government"

EvidenceKind = Literal["url", "document", "measurement"]
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = ("url", "document", "measurement")

#: An answer's value: an option key (single choice), a number 0-100 (percentage),
#: or the ticked option keys (checklist).
AnswerValue = str | float | tuple[str, ...]

ActionStatus = Literal["on_track", "achieved", "late", "no_data"]
ACTION_STATUSES: tuple[ActionStatus, ...] = ("on_track", "achieved", "late", "no_data")
Comparator = Literal[">=", "<="]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an answer is what it is: a URL, a document reference, or a govlens measurement
    (``ref`` is then the indicator id and ``value`` the measured value)."""

    kind: EvidenceKind
    ref: str
    note: str | None = None
    value: float | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """One self-assessed answer of one scope (an institution or the centre) to one item."""

    scope: str
    item: str
    value: AnswerValue
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    answered_by: str | None = None
    answered_at: str | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured value of one indicator for one scope (institution id or ``government``).

    ``value`` is in the indicator's unit (a share from 0 to 1, or points). ``run``
    names what it was measured on (for example ``datos-gob-mx#42``) and ``detail``
    says how (for example ``412 of 530 datasets``). Sources may measure per catalogue
    publisher (``scope`` is then the publisher key); the maturity module combines
    publishers into the institutions they belong to.
    """

    indicator: str
    scope: str
    value: float
    source: str
    run: str | None = None
    measured_at: str | None = None
    detail: str | None = None
    #: How many things the value is over (datasets, URLs, categories), used to combine
    #: several publishers into one institution; ``None`` counts as 1.
    weight: float | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """An adopted recommendation: who does it, by when, and the target that says it is done."""

    id: int
    recommendation: str
    title: str
    owner: str
    due: str  # ISO date
    indicator: str
    scope: str
    comparator: Comparator
    target: float
    baseline: float | None = None
    adopted_at: str | None = None
    adopted_by: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ActionCheck:
    """The result of checking one action's target at one moment."""

    action: int
    checked_at: str
    status: ActionStatus
    value: float | None = None
    run: str | None = None
