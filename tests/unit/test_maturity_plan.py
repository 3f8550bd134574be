"""Recommendations ranked by expected gain, and the action plan's statuses over time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from govlens.errors import ConfigError
from govlens.maturity.indicators import EMPTY, MeasurementSet
from govlens.maturity.plan import check_plan, make_action, status_of
from govlens.maturity.questionnaire import load_questionnaire
from govlens.maturity.recommend import find, indicator_weight, recommend
from govlens.maturity.scoring import score_all
from govlens.model import CENTRE, GOVERNMENT, Action, Answer, Measurement

Q = load_questionnaire()


def m(indicator: str, scope: str, value: float) -> Measurement:
    return Measurement(indicator, scope, value, "test", "cat#1")


def test_dimension_gaps_are_ranked_by_weight_times_gap() -> None:
    answers = [Answer(CENTRE, i.id, "yes") for i in Q.items if i.scale.id == "yes_no" and i.level == "centre"]
    scores = score_all(Q, answers, EMPTY, [])
    recs = recommend(Q, scores, EMPTY)[GOVERNMENT]
    assert recs, "a mostly empty self-assessment has gaps"
    gains = [r.gain for r in recs]
    assert gains == sorted(gains, reverse=True)
    for r in recs:
        assert r.gain == pytest.approx(r.weight * r.gap)
        assert r.text.en and r.text.es and r.text.en != r.text.es
    dim = [r for r in recs if r.rule == "dimension-low"]
    s = scores[GOVERNMENT]
    for r in dim:
        assert r.weight == pytest.approx(1 / 6)
        assert r.gap == pytest.approx(r.target - s.dimensions[r.key])
    assert {r.target for r in dim if r.key == "data_driven"} == {0.633}  # OECD average 2023


def test_measured_gaps_mqa_band_and_link_rot() -> None:
    ms = MeasurementSet.of(
        [m("open_licence_share", "shcp", 0.5), m("mqa_mean", "shcp", 100.0),
         m("mqa_mean", "sep", 300.0), m("link_broken_share", "shcp", 0.20),
         m("open_licence_share", GOVERNMENT, 0.7)],
        previous=[m("link_broken_share", "shcp", 0.10)],
    )
    scores = score_all(Q, [], ms, ["shcp", "sep"])
    per = recommend(Q, scores, ms, {"shcp": "Hacienda"})
    shcp = {r.rule: r for r in per["shcp"] if r.rule != "dimension-low" and r.rule != "facet-low"}
    w75 = Q.share(Q.item("q75")) / 5
    lic = shcp["indicator-low"]
    assert lic.key == "open_licence_share"
    assert lic.weight == pytest.approx(w75) == pytest.approx(indicator_weight(Q, "open_licence_share"))
    assert lic.gain == pytest.approx(w75 * (0.9 - 0.5))
    mqa = shcp["mqa-bad-band"]
    assert mqa.gain == pytest.approx(w75 * (221 - 100) / 405)
    assert "Hacienda" in mqa.text.en and "Hacienda" in mqa.text.es
    assert (mqa.indicator, mqa.suggested_target) == ("mqa_mean", 221.0)
    rot = shcp["link-rot-rising"]
    assert rot.gap == pytest.approx(0.10) and "10%" in rot.text.en and "20%" in rot.text.en
    assert not [r for r in per["sep"] if r.rule == "mqa-bad-band"]  # 300 is in the good band
    # The whole-government list carries institution findings at 1/N of their gain.
    gov_mqa = [r for r in per[GOVERNMENT] if r.rule == "mqa-bad-band"]
    assert len(gov_mqa) == 1 and gov_mqa[0].gain == pytest.approx(mqa.gain / 2)
    assert find(per, mqa.id) == mqa
    with pytest.raises(ConfigError):
        find(per, "no-such:rec:id")


def action(**kw: object) -> Action:
    base = {"id": 1, "recommendation": "mqa-bad-band:mqa:shcp", "title": "t", "owner": "shcp",
            "due": "2027-06-30", "indicator": "mqa_mean", "scope": "shcp", "comparator": ">=", "target": 221.0}
    base.update(kw)
    return Action(**base)  # type: ignore[arg-type]


def test_status_rules() -> None:
    a = action()
    on, due, after = (datetime(2026, 12, 1).date(), datetime(2027, 6, 30).date(),
                      datetime(2027, 7, 1).date())
    assert status_of(a, 150.0, on) == "on_track"
    assert status_of(a, 221.0, on) == "achieved"
    assert status_of(a, None, on) == "no_data"
    assert status_of(a, 150.0, due) == "on_track"  # the due date itself is still in time
    assert status_of(a, 150.0, after) == "late"
    assert status_of(a, None, after) == "late"
    assert status_of(a, 230.0, after) == "achieved"  # achieved late is still achieved
    lower = action(indicator="link_broken_share", comparator="<=", target=0.05)
    assert status_of(lower, 0.04, on) == "achieved" and status_of(lower, 0.06, on) == "on_track"


def test_checks_across_runs_with_an_injected_clock() -> None:
    a = action()
    runs = [
        (datetime(2026, 12, 1, tzinfo=UTC), 150.0, "on_track"),
        (datetime(2027, 3, 1, tzinfo=UTC), 225.0, "achieved"),
        (datetime(2027, 7, 15, tzinfo=UTC), 200.0, "late"),  # slipped back after the due date
    ]
    for now, value, expected in runs:
        ms = MeasurementSet.of([m("mqa_mean", "shcp", value)])
        (c,) = check_plan([a], ms, {}, now)
        assert (c.status, c.value, c.checked_at, c.run) == (expected, value, now.isoformat(), "cat#1")


def test_targets_on_self_assessed_scores() -> None:
    scores = score_all(Q, [Answer(CENTRE, "q1", "yes")], EMPTY, [])
    a = action(indicator="score:digital_by_design", scope=GOVERNMENT, target=0.02)
    (c,) = check_plan([a], EMPTY, scores, datetime(2026, 12, 1, tzinfo=UTC))
    assert c.status == "achieved" and c.run == "self-assessment"


def test_make_action_from_a_recommendation_and_its_checks() -> None:
    ms = MeasurementSet.of([m("mqa_mean", "shcp", 100.0)])
    per = recommend(Q, score_all(Q, [], ms, ["shcp"]), ms)
    rec = find(per, "mqa-bad-band:mqa:shcp")
    act = make_action(rec, owner="shcp", due="2027-06-30", owners={"shcp", CENTRE}, adopted_by="ana")
    assert (act.indicator, act.comparator, act.target, act.scope, act.baseline) == (
        "mqa_mean", ">=", 221.0, "shcp", 100.0)
    with pytest.raises(ConfigError, match="owner"):
        make_action(rec, owner="nobody", due="2027-06-30", owners={"shcp"})
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        make_action(rec, owner="shcp", due="30/06/2027", owners={"shcp"})
    with pytest.raises(ConfigError, match="unknown indicator"):
        make_action(None, owner="shcp", due="2027-06-30", owners={"shcp"}, indicator_id="vibes", target=1)
    manual = make_action(None, owner=CENTRE, due="2027-01-31", owners={CENTRE},
                         indicator_id="link_broken_share", target=0.05)
    assert (manual.comparator, manual.scope, manual.recommendation) == ("<=", GOVERNMENT, "manual")
