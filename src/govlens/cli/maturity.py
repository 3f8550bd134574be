"""Commands for digital-government maturity: ``benchmark`` and the ``maturity`` group
(questionnaire, import, export, scores, recommendations, adopt, plan, check)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from govlens.cli._common import (
    db_option,
    echo_json,
    format_option,
    handle_errors,
    json_option,
    open_store,
    settings,
    text_table,
    write_records,
)
from govlens.errors import ConfigError, GovlensError
from govlens.maturity import benchmarks as bm
from govlens.maturity.answers import value_text
from govlens.maturity.files import format_of, read_answers, write_csv, write_yaml
from govlens.maturity.plan import make_action
from govlens.maturity.questionnaire import load_questionnaire
from govlens.maturity.recommend import as_dict, find
from govlens.maturity.scoring import scores_dict
from govlens.model import CENTRE, GOVERNMENT
from govlens.store.maturity import MaturityStore

lang_option = click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True,
                           help="Language of texts.")


def _db_exists(db: str | None) -> bool:
    url = settings(db).db_url
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).is_file()
    return True


def _self_assessment(db: str | None) -> dict[str, Any] | None:
    """The whole-government self-assessment, when the database holds any answers."""
    if not _db_exists(db):
        return None
    from govlens.run.maturity import evaluate

    try:
        with open_store(db) as store:
            state = evaluate(store)
    except GovlensError as exc:  # the published figures do not need the database
        click.echo(f"govlens: warning: no self-assessment: {exc}", err=True)
        return None
    if not state.answers and not len(state.measurements):
        return None
    return scores_dict(state.scores[GOVERNMENT])


@click.command()
@click.option("--country", metavar="ISO3", default=None, help="One country (ISO 3166 alpha-3).")
@click.option("--peers", metavar="ISO3,...", default=None,
              help="Peers to compare with (default: the reference peer set).")
@db_option
@json_option
@lang_option
@handle_errors
def benchmark(country: str | None, peers: str | None, db: str | None, as_json: bool, lang: str) -> None:
    """Published benchmarks (OECD DGI and OURdata, UN EGDI, World Bank GTMI), one country
    against the OECD average and its peers, with the self-assessment beside them."""
    if country is None:
        rows = bm.headline_table()
        if as_json:
            echo_json({"countries": rows, "sources": bm.load_benchmarks()["sources"]})
            return
        head = [["country", "name"] + [k for k in rows[0] if k not in ("country", "name")]]
        body = [[r["country"], r["name"]] + ["" if v is None else f"{v:.3f}" for k, v in r.items()
                                            if k not in ("country", "name")] for r in rows]
        click.echo(text_table(head + body), nl=False)
        return
    peer_list = [p for p in (peers or "").split(",") if p.strip()] if peers else None
    view = bm.country_view(country, peer_list, _self_assessment(db))
    if as_json:
        echo_json(view)
        return
    click.echo(_benchmark_text(view, lang), nl=False)


def _benchmark_text(view: dict[str, Any], lang: str) -> str:
    code = view["country"]
    lines = [f"{view['name'][lang]} ({code})", ""]
    rows = [["index", "edition", code, "OECD average"]]
    for fam in bm.FAMILIES:
        for ed, entry in view[fam].items():
            avg_entry = view["oecd_average"][fam].get(ed) or {}
            avg = avg_entry.get(bm.HEADLINE[fam])
            mark = "*" if bm.HEADLINE[fam] in avg_entry.get("derived", ()) else ""
            val = None if entry is None else entry.get(bm.HEADLINE[fam])
            rows.append([fam.upper(), ed, "not assessed" if val is None else f"{val:.3f}",
                         "" if avg is None else f"{avg:.3f}{mark}"])
    lines.append(text_table(rows))
    lines.append("* computed by govlens from the published country figures\n")
    dgi = view["dgi"].get("2023")
    if dgi:
        avg = view["oecd_average"]["dgi"]["2023"]
        dims = [d for d in load_questionnaire().dimensions]
        table = [["DGI 2023 dimension", code, "OECD average", "difference"]]
        for d in dims:
            table.append([d.label.get(lang), f"{dgi[d.id]:.3f}", f"{avg[d.id]:.3f}",
                          f"{dgi[d.id] - avg[d.id]:+.3f}"])
        lines.append(text_table(table))
    sa = view.get("self_assessment")
    if sa:
        lines.append(f"Self-assessment ({sa['label']}): composite {sa['composite']:.3f}, "
                     f"answered {sa['answered']:.0%} of the weight")
    return "\n".join(lines) + "\n"


@click.group()
def maturity() -> None:
    """Digital-government maturity: the questionnaire, answers, scores, recommendations and
    the action plan."""


@maturity.command("questionnaire")
@format_option("jsonl", "csv")
@lang_option
def questionnaire(fmt: str, lang: str) -> None:
    """The questionnaire's items, with their weight, scale and principles."""
    q = load_questionnaire()
    write_records(({
        "id": i.id, "dgi": i.dgi, "dimension": i.dimension, "facet": i.facet, "weight": i.weight,
        "level": i.level, "scale": i.scale.id, "principles": list(i.principles),
        "text": i.text.get(lang), "options": [o.key for o in i.options],
        "measured_by": list(i.indicators),
    } for i in q.items), fmt)


@maturity.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default=None,
              help="File format (default: from the file name).")
@click.option("--by", "by", metavar="NAME", default="cli", show_default=True,
              help="Who the answers are recorded as given by.")
@db_option
@handle_errors
def import_answers(file: Path, fmt: str | None, by: str, db: str | None) -> None:
    """Import answers from a YAML or CSV file. Every problem is reported and nothing is
    imported unless the whole file is valid."""
    name = str(file)
    if name == "-":
        data = sys.stdin.buffer.read()
        fmt = fmt or "yaml"
    else:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise ConfigError("cannot read the file", file=name, cause=exc.strerror) from None
    with open_store(db) as store:
        ms = MaturityStore(store)
        scopes = {CENTRE} | {i.id for i in ms.institutions()}
        answers = read_answers(data, load_questionnaire(), scopes, fmt=fmt or format_of(name),
                               name=name, answered_by=by,
                               answered_at=datetime.now(UTC).isoformat())
        n = ms.save_answers(answers)
    click.echo(f"imported {n} answers from {name}")


@maturity.command("export")
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True)
@click.option("--scope", metavar="ID", default=None, help="Only this institution (or 'centre').")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@db_option
@handle_errors
def export_answers(fmt: str, scope: str | None, output: Path | None, db: str | None) -> None:
    """Export the stored answers as YAML or CSV (imports back to the same answers)."""
    with open_store(db) as store:
        answers = MaturityStore(store).answers(scope)
    text = write_yaml(answers) if fmt == "yaml" else write_csv(answers)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(answers)} answers to {output}", err=True)


@maturity.command("scores")
@click.option("--scope", metavar="ID", default=None, help="Only this institution (or 'government').")
@click.option("--items", "with_items", is_flag=True, help="Include each item's points and source.")
@db_option
@json_option
@lang_option
@handle_errors
def scores(scope: str | None, with_items: bool, db: str | None, as_json: bool, lang: str) -> None:
    """Dimension, facet, principle and composite scores per institution and for the whole
    government (self-assessed)."""
    from govlens.run.maturity import evaluate

    with open_store(db) as store:
        state = evaluate(store)
    picked = {k: v for k, v in state.scores.items() if scope is None or k == scope}
    if scope is not None and not picked:
        raise ConfigError("no such scope", scope=scope)
    if as_json:
        out: dict[str, Any] = {}
        for k, s in picked.items():
            d = scores_dict(s)
            if with_items:
                d["items"] = {
                    iid: {"points": None if r.points is None else round(r.points, 4), "source": r.source,
                          "value": None if r.answer is None else value_text(r.answer.value),
                          "measured": {m.indicator: m.value for m in r.measured}}
                    for iid, r in s.items.items()}
            out[k] = d
        echo_json({"scopes": out, "label": bm.SELF_LABEL})
        return
    q = state.questionnaire
    cols = [GOVERNMENT] + [k for k in picked if k != GOVERNMENT] if GOVERNMENT in picked else list(picked)
    rows = [[""] + cols, ["composite"] + [f"{picked[c].composite:.3f}" for c in cols]]
    rows += [[d.label.get(lang)] + [f"{picked[c].dimensions[d.id]:.3f}" for c in cols] for d in q.dimensions]
    rows += [[f.label.get(lang)] + [f"{picked[c].facets[f.id]:.3f}" for c in cols] for f in q.facets]
    rows += [[f"P{p.id} {p.label.get(lang)}"[:48]] + [f"{picked[c].principles[p.id]:.3f}" for c in cols]
             for p in q.principles]
    rows += [["answered"] + [f"{picked[c].answered:.0%}" for c in cols]]
    rows += [["measured"] + [f"{picked[c].measured:.0%}" for c in cols]]
    click.echo(f"Self-assessed scores ({bm.SELF_LABEL})\n" + text_table(rows), nl=False)


@maturity.command("recommendations")
@click.option("--scope", metavar="ID", default=GOVERNMENT, show_default=True,
              help="An institution id, or 'government'.")
@click.option("--limit", type=int, default=20, show_default=True)
@format_option("text", "jsonl", "csv")
@lang_option
@db_option
@handle_errors
def recommendations(scope: str, limit: int, fmt: str, lang: str, db: str | None) -> None:
    """Recommendations ranked by expected gain (weight x gap)."""
    from govlens.run.maturity import evaluate

    with open_store(db) as store:
        state = evaluate(store)
    if scope not in state.recommendations:
        raise ConfigError("no such scope", scope=scope)
    recs = [as_dict(r, lang) for r in state.recommendations[scope][:limit]]
    if fmt != "text":
        write_records(recs, fmt)
        return
    for n, r in enumerate(recs, 1):
        click.echo(f"{n:>2}. [{r['id']}] gain {r['gain']:.4f}\n    {r['text']}")


@maturity.command("adopt")
@click.argument("recommendation")
@click.option("--owner", required=True, metavar="ID", help="The institution that owns the action (or 'centre').")
@click.option("--due", required=True, metavar="YYYY-MM-DD")
@click.option("--indicator", default=None, help="Indicator of the target (default: the recommendation's).")
@click.option("--target", type=float, default=None, help="Target value (default: the recommendation's).")
@click.option("--scope", default=None, help="Whose value is checked (default: the recommendation's).")
@click.option("--comparator", type=click.Choice([">=", "<="]), default=None)
@click.option("--title", default=None)
@click.option("--by", "by", default="cli", show_default=True)
@lang_option
@db_option
@json_option
@handle_errors
def adopt(recommendation: str, owner: str, due: str, indicator: str | None, target: float | None,
          scope: str | None, comparator: str | None, title: str | None, by: str, lang: str,
          db: str | None, as_json: bool) -> None:
    """Adopt a recommendation (or 'manual') as an action with an owner, a due date and a target."""
    from govlens.run.maturity import evaluate

    with open_store(db) as store:
        ms = MaturityStore(store)
        owners = {CENTRE} | {i.id for i in ms.institutions()}
        rec = None if recommendation == "manual" else find(evaluate(store).recommendations, recommendation)
        action = ms.add_action(make_action(
            rec, owner=owner, due=due, owners=owners, indicator_id=indicator, target=target,
            scope=scope, comparator=comparator, title=title, adopted_by=by,
            adopted_at=datetime.now(UTC).isoformat(), lang=lang))
    if as_json:
        echo_json(_action_dict(action, None))
    else:
        click.echo(f"action {action.id}: {action.owner} {action.indicator} {action.comparator} "
                   f"{action.target:g} ({action.scope}) by {action.due}")


def _action_dict(a: Any, last: Any) -> dict[str, Any]:
    return {"id": a.id, "recommendation": a.recommendation, "title": a.title, "owner": a.owner,
            "due": a.due, "indicator": a.indicator, "scope": a.scope, "comparator": a.comparator,
            "target": a.target, "baseline": a.baseline, "adopted_at": a.adopted_at,
            "status": last.status if last else None, "value": last.value if last else None,
            "checked_at": last.checked_at if last else None}


@maturity.command("plan")
@click.option("--history", is_flag=True, help="Every check, not only the latest.")
@db_option
@json_option
@handle_errors
def plan(history: bool, db: str | None, as_json: bool) -> None:
    """The action plan with each action's latest status."""
    with open_store(db) as store:
        ms = MaturityStore(store)
        actions, checks = ms.actions(), ms.checks()
    last = {c.action: c for c in checks}
    recs = [_action_dict(a, last.get(a.id)) for a in actions]
    if history:
        for r in recs:
            r["history"] = [{"checked_at": c.checked_at, "status": c.status, "value": c.value}
                            for c in checks if c.action == r["id"]]
    if as_json:
        echo_json({"actions": recs})
        return
    rows = [["id", "owner", "target", "due", "status", "value"]] + [
        [str(r["id"]), r["owner"], f"{r['scope']} {r['indicator']} {r['comparator']} {r['target']:g}",
         r["due"], r["status"] or "unchecked", "" if r["value"] is None else f"{r['value']:.4g}"]
        for r in recs]
    click.echo(text_table(rows), nl=False)


@maturity.command("check")
@click.option("--now", "now_text", default=None, metavar="ISO-DATETIME",
              help="Check as of this moment (default: now).")
@db_option
@json_option
@handle_errors
def check(now_text: str | None, db: str | None, as_json: bool) -> None:
    """Check every action's target and record the result."""
    from govlens.run.maturity import check_actions

    try:
        now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    except ValueError:
        raise ConfigError("--now must be an ISO date or datetime", now=now_text) from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    with open_store(db) as store:
        checks = check_actions(store, now)
    if as_json:
        echo_json({"checked_at": now.isoformat(), "checks": [
            {"action": c.action, "status": c.status, "value": c.value, "run": c.run} for c in checks]})
        return
    counts: dict[str, int] = {}
    for c in checks:
        counts[c.status] = counts.get(c.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no actions"
    click.echo(f"checked {len(checks)} actions: {summary}")


def register(group: click.Group) -> None:
    group.add_command(benchmark)
    group.add_command(maturity)
