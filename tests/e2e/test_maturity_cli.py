"""The maturity commands end to end: benchmark, institutions, users, import, export,
scores, recommendations, adopt, plan and check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govlens.cli import main


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, ok: bool = True):  # type: ignore[no-untyped-def]
        result = runner.invoke(main, list(args), input=input, env={"GOVLENS_DB": db})
        if ok:
            assert result.exit_code == 0, result.output + str(result.exception)
        return result

    return invoke


def test_benchmark_json_contract_in_a_real_process() -> None:
    done = subprocess.run([sys.executable, "-c", "from govlens.cli import main; main()",
                           "benchmark", "--country", "MEX",
                           "--json", "--db", "sqlite:////nonexistent/dir/none.sqlite"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["dgi"]["2023"]["composite"] == 0.536
    assert out["dgi"]["2023"]["digital_by_design"] == 0.658
    assert set(out["dgi"]["2023"]) >= {"data_driven", "government_as_a_platform", "open_by_default",
                                       "user_driven", "proactiveness"}
    assert out["ourdata"]["2023"]["composite"] == 0.27
    assert out["egdi"]["2024"]["egdi"] == 0.78499 and out["gtmi"]["2022"]["group"] == "A"
    assert out["oecd_average"]["dgi"]["2023"]["composite"] == 0.605
    assert "COL" in out["peers"] and out["self_assessment"] is None


def test_benchmark_errors_and_listing(run) -> None:  # type: ignore[no-untyped-def]
    bad = run("benchmark", "--country", "XXX", ok=False)
    assert bad.exit_code == 2 and "no published benchmark" in bad.output
    listing = json.loads(run("benchmark", "--json").output)
    assert listing["countries"][0]["country"] == "KOR"
    text = run("benchmark", "--country", "MEX", "--lang", "es").output
    assert "México" in text and "Sector público basado en datos" in text


ANSWERS = """\
answers:
  centre:
    q1: yes
    q6: yes
  shcp:
    q72: yes
    q1a: {value: [targets, budget], evidence: ["url:https://www.gob.mx/shcp"]}
  sep:
    q72: no
"""


def test_the_whole_workflow(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("institutions", "add", "shcp", "--name", "Secretaría de Hacienda", "--publisher", "hacienda")
    run("institutions", "add", "sep", "--name", "Secretaría de Educación Pública")
    assert "centre" in run("institutions", "add", "centre", "--name", "x", ok=False).output
    run("users", "add", "central", "--role", "central", "--password-stdin", input="correct horse battery\n")
    run("users", "add", "hacienda", "--role", "institution", "--institution", "shcp",
        "--password-stdin", input="another long secret\n")
    short = run("users", "add", "x1", "--role", "central", "--password-stdin", input="short\n", ok=False)
    assert short.exit_code == 2 and "at least 10" in short.output
    users = json.loads(run("users", "list", "--json").output)["users"]
    assert [(u["username"], u["role"], u["institution"]) for u in users] == [
        ("central", "central", None), ("hacienda", "institution", "shcp")]
    assert "argon2" not in run("users", "list", "--json").output

    f = tmp_path / "answers.yaml"
    f.write_text(ANSWERS, encoding="utf-8")
    assert "imported 5 answers" in run("maturity", "import", str(f)).output
    exported = run("maturity", "export", "--format", "csv").output
    assert exported.splitlines()[0] == "scope,item,value,evidence,note"
    assert "shcp,q1a,targets;budget,url:https://www.gob.mx/shcp," in exported
    g = tmp_path / "again.csv"
    g.write_text(exported, encoding="utf-8")
    run("maturity", "import", str(g))
    assert run("maturity", "export", "--format", "csv").output == exported

    bad = tmp_path / "bad.csv"
    bad.write_text("scope,item,value\nshcp,q72,no\nshcp,q72x,yes\n", encoding="utf-8")
    res = run("maturity", "import", str(bad), ok=False)
    assert res.exit_code == 2 and "line 3" in res.output and "nothing was imported" in res.output
    assert run("maturity", "export", "--format", "csv").output == exported

    scores = json.loads(run("maturity", "scores", "--json").output)
    assert set(scores["scopes"]) == {"government", "shcp", "sep"}
    gov = scores["scopes"]["government"]
    assert set(gov) >= {"composite", "dimensions", "facets", "principles", "dimension_facets"}
    assert gov["label"].startswith("self-assessed")
    assert scores["scopes"]["shcp"]["dimensions"]["open_by_default"] > scores["scopes"]["sep"]["dimensions"]["open_by_default"]

    bench = json.loads(run("benchmark", "--country", "MEX", "--json").output)
    assert bench["self_assessment"]["composite"] == gov["composite"]
    assert bench["self_assessment"]["label"].startswith("self-assessed")

    recs = [json.loads(line) for line in run("maturity", "recommendations", "--format", "jsonl").output.splitlines()]
    assert [r["gain"] for r in recs] == sorted((r["gain"] for r in recs), reverse=True)
    rid = recs[0]["id"]
    adopted = json.loads(run("maturity", "adopt", rid, "--owner", "centre", "--due", "2027-06-30",
                             "--json").output)
    assert adopted["recommendation"] == rid and adopted["indicator"].startswith("score:")
    run("maturity", "adopt", "manual", "--owner", "shcp", "--due", "2027-06-30",
        "--indicator", "mqa_mean", "--target", "221")
    checked = json.loads(run("maturity", "check", "--now", "2026-12-01", "--json").output)
    assert [c["status"] for c in checked["checks"]] == ["on_track", "no_data"]
    run("maturity", "check", "--now", "2027-07-01")
    plan = json.loads(run("maturity", "plan", "--history", "--json").output)["actions"]
    assert [a["status"] for a in plan] == ["late", "late"]
    assert [h["status"] for h in plan[1]["history"]] == ["no_data", "late"]
    assert plan[1]["target"] == 221 and plan[1]["owner"] == "shcp"


DATA_JSON = """{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": [
 {"identifier": "a", "title": "Presupuesto", "description": "d", "keyword": ["x"], "modified": "2024-01-01",
  "publisher": {"name": "Hacienda"}, "contactPoint": {"fn": "x", "hasEmail": "mailto:x@x.mx"}, "accessLevel": "public"}]}
"""


def test_a_harvest_checks_the_action_plan(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("institutions", "add", "shcp", "--name", "Hacienda", "--publisher", "hacienda")
    run("institutions", "add", "sep", "--name", "SEP", "--publisher", "sep")
    run("maturity", "adopt", "manual", "--owner", "centre", "--due", "2030-01-01",
        "--indicator", "publishing_institutions_share", "--target", "1")
    src = tmp_path / "catalogue.json"
    src.write_text(DATA_JSON, encoding="utf-8")
    out = run("harvest", str(src)).output
    assert "action plan: checked 1 targets" in out
    (action,) = json.loads(run("maturity", "plan", "--history", "--json").output)["actions"]
    assert (action["status"], action["value"]) == ("on_track", 0.5)  # Hacienda publishes, SEP not yet
    scores = json.loads(run("maturity", "scores", "--json", "--items").output)["scopes"]
    q67 = scores["government"]["items"]["q67"]
    assert q67["source"] == "measured" and q67["measured"] == {"publishing_institutions_share": 0.5}
    # The assessment ends by checking the plan too; in JSON mode it prints exactly one object.
    assert "action plan: checked 1 targets" in run("assess", "--no-shacl").output
    json.loads(run("assess", "--no-shacl", "--json").output)
    history = json.loads(run("maturity", "plan", "--history", "--json").output)["actions"][0]["history"]
    assert len(history) == 3
    measured = json.loads(run("maturity", "scores", "--json", "--items", "--scope", "shcp").output)
    assert "mqa_mean" not in measured["scopes"]["shcp"]["items"]["q75"]["measured"]  # no distributions
    assert measured["scopes"]["shcp"]["items"]["q75"]["measured"]["open_licence_share"] == 0.0
