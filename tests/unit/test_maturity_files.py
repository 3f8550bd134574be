"""Answers in YAML and CSV: round trips, and malformed files refused with every problem named."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.maturity.answers import make_answer
from govlens.maturity.files import AnswerFileError, read_answers, write_csv, write_yaml
from govlens.maturity.questionnaire import Item, load_questionnaire
from govlens.model import CENTRE, Answer, Evidence

Q = load_questionnaire()
SCOPES = {CENTRE, "shcp", "sep"}


def read(text: str | bytes, fmt: str) -> list[Answer]:
    data = text.encode() if isinstance(text, str) else text
    return read_answers(data, Q, SCOPES, fmt=fmt, name=f"test.{fmt}")


GOOD_YAML = """
format: govlens-maturity-answers/1
answers:
  centre:
    q1: yes
    q6c: deputy
    q64a: 60
    q44b: 26-50
  shcp:
    q1a:
      value: [budget, targets]
      evidence:
        - {kind: url, ref: "https://www.gob.mx/shcp/estrategia"}
        - "document:DOF 20/02/2015"
        - {kind: measurement, ref: open_licence_share, value: 0.42, note: run 7}
      note: Aprobada en marzo.
    q75: available;open_licence
  sep:
    q72: no
"""


def test_yaml_values_are_canonical() -> None:
    got = {(a.scope, a.item): a for a in read(GOOD_YAML, "yaml")}
    assert got[(CENTRE, "q1")].value == "yes"
    assert got[("sep", "q72")].value == "no"
    assert got[(CENTRE, "q64a")].value == 60.0
    assert got[(CENTRE, "q44b")].value == "26-50"
    assert got[("shcp", "q1a")].value == ("targets", "budget")  # questionnaire order
    assert got[("shcp", "q75")].value == ("available", "open_licence")
    assert got[("shcp", "q1a")].evidence == (
        Evidence("url", "https://www.gob.mx/shcp/estrategia"),
        Evidence("document", "DOF 20/02/2015"),
        Evidence("measurement", "open_licence_share", "run 7", 0.42),
    )
    assert got[("shcp", "q1a")].note == "Aprobada en marzo."


def test_yaml_and_csv_round_trips() -> None:
    answers = read(GOOD_YAML, "yaml")
    assert sorted(read(write_yaml(answers), "yaml"), key=lambda a: (a.scope, a.item)) == sorted(
        answers, key=lambda a: (a.scope, a.item))
    # CSV carries evidence as kind:reference (no notes or values).
    plain = [Answer(a.scope, a.item, a.value, tuple(Evidence(e.kind, e.ref) for e in a.evidence), a.note)
             for a in answers]
    assert sorted(read(write_csv(plain), "csv"), key=lambda a: (a.scope, a.item)) == sorted(
        plain, key=lambda a: (a.scope, a.item))


def values_for(item: Item) -> st.SearchStrategy[object]:
    if item.kind == "choice":
        return st.sampled_from([o.key for o in item.options])
    if item.kind in ("percent", "percent_inverse"):
        return st.integers(0, 100).map(float)
    return st.lists(st.sampled_from([o.key for o in item.options]), unique=True)


notes = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                                     max_size=40).filter(lambda s: s.strip() == s and s))
refs = st.text("abcdefghijklmnñáéíóú0123456789 /.-", min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s)


@st.composite
def answer_lists(draw: st.DrawFn) -> list[Answer]:
    items = draw(st.lists(st.sampled_from(Q.items), unique_by=lambda i: i.id, max_size=25))
    out = []
    for item in items:
        scope = CENTRE if item.level == "centre" else draw(st.sampled_from(sorted(SCOPES)))
        ev = draw(st.lists(st.one_of(refs.map(lambda r: f"document:{r}"),
                                     st.just("url:https://datos.gob.mx/busca/dataset/x?y=1")), max_size=2))
        out.append(make_answer(Q, scope, item.id, draw(values_for(item)), ev, draw(notes)))
    return out


@settings(max_examples=60, deadline=None)
@given(answer_lists())
def test_round_trips_hold_for_any_answers(answers: list[Answer]) -> None:
    key = lambda a: (a.scope, a.item)
    assert sorted(read(write_yaml(answers), "yaml"), key=key) == sorted(answers, key=key)
    assert sorted(read(write_csv(answers), "csv"), key=key) == sorted(answers, key=key)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("answers:\n  shcp: [\n", "yaml", "not valid YAML"),
        ("- just\n- a list\n", "yaml", "'answers' section"),
        ("format: other/2\nanswers: {}\n", "yaml", "unsupported answers format"),
        ("answers:\n  shcp: 3\n", "yaml", "expected a mapping of item ids"),
        ("answers:\n  nobody:\n    q72: yes\n", "yaml", "unknown scope 'nobody'"),
        ("answers:\n  shcp:\n    q1: yes\n", "yaml", "answered by the central office only"),
        ("answers:\n  shcp:\n    q72: maybe\n", "yaml", "'maybe' is not an option of q72"),
        ("answers:\n  centre:\n    q64a: 140\n", "yaml", "percentage from 0 to 100"),
        ("answers:\n  centre:\n    q64a: .nan\n", "yaml", "percentage from 0 to 100"),
        ("answers:\n  shcp:\n    q1a: [targets, wishes]\n", "yaml", "unknown options for q1a: wishes"),
        ("answers:\n  shcp:\n    q1a: {evidence: []}\n", "yaml", "missing 'value'"),
        ("answers:\n  shcp:\n    q72: {value: yes, evidence: 'url:x'}\n", "yaml", "must be a list"),
        ("answers:\n  shcp:\n    q72: {value: yes, evidence: ['url:javascript:alert(1)']}\n", "yaml",
         "evidence URL must be http"),
        ("answers:\n  shcp:\n    q72: {value: yes, evidence: ['rumour:x']}\n", "yaml",
         "unknown evidence kind"),
        ("answers:\n  shcp:\n    q72: {value: yes, evidence: ['measurement:vibes']}\n", "yaml",
         "unknown measured indicator"),
        ("answers:\n  shcp:\n    q999: yes\n", "yaml", "no such questionnaire item"),
        ("scope,value\nshcp,yes\n", "csv", "lacks columns"),
        ("scope,item,value\nshcp,q72,yes,extra\n", "csv", "more cells than columns"),
        ("scope,item,value\nshcp,q72,yes\nshcp,q72,no\n", "csv", "answered twice (also line 2)"),
        ('scope,item,value\nshcp,q72,"yes\n', "csv", "not valid CSV"),
    ],
)
def test_malformed_files_are_refused_clearly(text: str, fmt: str, expected: str) -> None:
    with pytest.raises(AnswerFileError) as err:
        read(text, fmt)
    assert expected in str(err.value)


def test_every_problem_is_reported_with_its_place() -> None:
    text = "scope,item,value,evidence\nshcp,q72,yes,\nxyz,q72,yes,\nshcp,q1a,nonsense,\nshcp,q72b,1,\n"
    with pytest.raises(AnswerFileError) as err:
        read(text, "csv")
    assert [p.split(":")[0] for p in err.value.problems] == ["line 3 (xyz.q72)", "line 4 (shcp.q1a)",
                                                             "line 5 (shcp.q72b)"]
    assert "3 problem(s)" in str(err.value) and "nothing was imported" in str(err.value)


def test_encoding_and_size_are_checked() -> None:
    with pytest.raises(AnswerFileError, match="not valid UTF-8"):
        read(b"answers:\n  shcp:\n    q72: \xff\n", "yaml")
    assert read("\ufeffscope,item,value\nshcp,q72,yes\n", "csv")[0].value == "yes"  # BOM is fine
    with pytest.raises(AnswerFileError, match="too large"):
        read(b" " * (20 * 1024 * 1024 + 1), "yaml")
