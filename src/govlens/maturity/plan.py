"""The action plan: an adopted recommendation becomes an action with an owner, a due date
and a target on an indicator; every check marks it achieved, on track or late.

* **achieved**: the latest value meets the target;
* **late**: the due date has passed and the target is not met;
* **on track**: the due date has not passed and the target is not met yet;
* **no data**: the due date has not passed and there is no value to check.

Targets sit on a measured indicator (``mqa_mean``, ``open_licence_share``...) or on a
self-assessed score (``score:composite``, ``score:<dimension>``), which is labelled as
such wherever it is shown. The clock is passed in, never read here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

from govlens.errors import ConfigError
from govlens.maturity.indicators import INDICATORS, MeasurementSet, indicator
from govlens.maturity.recommend import Recommendation
from govlens.maturity.scoring import Scores
from govlens.model import GOVERNMENT, Action, ActionCheck, ActionStatus

DIMENSION_IDS = ("digital_by_design", "data_driven", "government_as_a_platform",
                 "open_by_default", "user_driven", "proactiveness")


def check_indicator(iid: str) -> str:
    if iid.startswith("score:"):
        if iid[6:] not in ("composite", *DIMENSION_IDS):
            raise ConfigError("unknown score target (score:composite or score:<dimension>)", indicator=iid)
        return iid
    indicator(iid)
    return iid


def default_comparator(iid: str) -> str:
    if iid.startswith("score:"):
        return ">="
    return ">=" if INDICATORS[iid].higher_is_better else "<="


def make_action(
    rec: Recommendation | None,
    *,
    owner: str,
    due: str,
    owners: Collection[str],
    indicator_id: str | None = None,
    target: float | None = None,
    scope: str | None = None,
    comparator: str | None = None,
    title: str | None = None,
    adopted_by: str | None = None,
    adopted_at: str | None = None,
    lang: str = "en",
) -> Action:
    """An action adopted from ``rec`` (or written from scratch when ``rec`` is None)."""
    if owner not in owners:
        raise ConfigError("the owner must be an institution id or 'centre'", owner=owner)
    try:
        due_date = date.fromisoformat(due)
    except ValueError:
        raise ConfigError("the due date must read YYYY-MM-DD", due=due) from None
    iid = indicator_id or (rec.indicator if rec else None)
    if iid is None:
        raise ConfigError("an action needs an indicator for its target")
    check_indicator(iid)
    tgt = target if target is not None else (rec.suggested_target if rec else None)
    if tgt is None:
        raise ConfigError("an action needs a target value")
    comp = comparator or default_comparator(iid)
    if comp not in (">=", "<="):
        raise ConfigError("the comparator must be >= or <=", comparator=comp)
    the_scope = scope or (rec.scope if rec else None) or (owner if owner != "centre" else GOVERNMENT)
    return Action(
        id=0,
        recommendation=rec.id if rec else "manual",
        title=title or (rec.text.get(lang) if rec else f"{iid} {comp} {tgt:g}"),
        owner=owner,
        due=due_date.isoformat(),
        indicator=iid,
        scope=the_scope,
        comparator=comp,  # type: ignore[arg-type]
        target=float(tgt),
        baseline=rec.current if rec else None,
        adopted_at=adopted_at,
        adopted_by=adopted_by,
    )


def current_value(action: Action, ms: MeasurementSet,
                  scores: Mapping[str, Scores]) -> tuple[float | None, str | None]:
    """The value the action's target is checked against, and what it was measured on."""
    if action.indicator.startswith("score:"):
        s = scores.get(action.scope)
        if s is None:
            return None, None
        key = action.indicator[6:]
        return (s.composite if key == "composite" else s.dimensions.get(key)), "self-assessment"
    m = ms.get(action.indicator, action.scope)
    return (None, None) if m is None else (m.value, m.run)


def status_of(action: Action, value: float | None, today: date) -> ActionStatus:
    if value is not None:
        met = value >= action.target if action.comparator == ">=" else value <= action.target
        if met:
            return "achieved"
    if today > date.fromisoformat(action.due):
        return "late"
    return "no_data" if value is None else "on_track"


def check_plan(actions: Sequence[Action], ms: MeasurementSet, scores: Mapping[str, Scores],
               now: datetime) -> list[ActionCheck]:
    """Check every action's target at ``now``."""
    out = []
    for a in actions:
        value, run = current_value(a, ms, scores)
        out.append(ActionCheck(a.id, now.isoformat(), status_of(a, value, now.date()), value, run))
    return out
