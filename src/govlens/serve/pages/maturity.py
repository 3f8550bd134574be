"""Maturity pages (read): self-assessed scores, the benchmark against published results,
each scope's answers, recommendations and the action plan. Everyone may read them; the
forms on them write through :mod:`govlens.serve.pages.maturity_edit`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from govlens.errors import NotFound
from govlens.maturity import benchmarks as bm
from govlens.maturity.accounts import can_edit_answers, can_manage
from govlens.maturity.recommend import as_dict
from govlens.maturity.scoring import scores_dict
from govlens.model import CENTRE, GOVERNMENT
from govlens.report import maturity_figures as mf
from govlens.report.i18n import Translator
from govlens.run.maturity import MaturityState, evaluate
from govlens.serve import session as ses
from govlens.serve.web import NavItem, language, render, store
from govlens.store.maturity import MaturityStore

router = APIRouter()
NAV = (NavItem("maturity", "nav.maturity"), NavItem("maturity_benchmark", "nav.benchmark"))
DEFAULT_COUNTRY = "MEX"


def page(request: Request, template: str, context: dict[str, Any], lang: str) -> HTMLResponse:
    """Render with the signed-in account and the CSRF token, and keep the session cookie."""
    s = ses.session(request)
    who = ses.principal(request)
    response = render(request, template, {"me": who, "csrf": s.csrf, **context}, lang=lang)
    return ses.save(request, response)  # type: ignore[return-value]


def _dims(state: MaturityState, lang: str) -> list[tuple[str, str]]:
    return [(d.id, d.label.get(lang)) for d in state.questionnaire.dimensions]


def scope_label(state: MaturityState, scope: str, t: Translator) -> str:
    if scope == GOVERNMENT:
        return t("maturity.government")
    if scope == CENTRE:
        return t("maturity.centre")
    return state.names.get(scope, scope)


@router.get("/maturity", response_class=HTMLResponse, name="maturity")
def overview(request: Request) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    state = evaluate(store(request))
    gov = scores_dict(state.scores[GOVERNMENT])
    oecd = bm.oecd_average()["dgi"]["2023"]
    rows = [(i, scores_dict(state.scores[i.id])) for i in state.institutions]
    q = state.questionnaire
    context = {
        "state": state, "gov": gov, "rows": rows, "oecd": oecd, "q": q,
        "chart": mf.scores_chart(gov, _dims(state, lang), oecd, t, t("maturity.chart.government")),
        "principles_chart": mf.principles_chart(
            gov, [(str(p.id), f"{p.id}. {p.label.get(lang)}") for p in q.principles], t,
            t("maturity.chart.principles")),
    }
    return page(request, "maturity/overview.html", context, lang)


@router.get("/maturity/benchmark", response_class=HTMLResponse, name="maturity_benchmark")
def benchmark(request: Request, country: str = Query(DEFAULT_COUNTRY, max_length=3)) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    state = evaluate(store(request))
    own = scores_dict(state.scores[GOVERNMENT]) if state.answers or len(state.measurements) else None
    try:
        view = bm.country_view(country, None, own)
    except Exception as exc:  # an unknown country code
        raise NotFound("no published benchmark for this country", country=country) from exc
    context = {
        "view": view, "dims": _dims(state, lang), "families": bm.FAMILIES, "headline": bm.HEADLINE,
        "countries": [(c, bm.country_name(c, lang)) for c in bm.country_codes()],
        "dim_chart": mf.dimension_chart(view, _dims(state, lang), t),
        "editions_chart": mf.editions_chart(view, t),
    }
    return page(request, "maturity/benchmark.html", context, lang)


@router.get("/maturity/answers/{scope}", response_class=HTMLResponse, name="maturity_answers")
def answers(request: Request, scope: str, dimension: str = Query("", max_length=64),
            saved: int = 0) -> HTMLResponse:
    lang = language(request)
    st = store(request)
    state = evaluate(st)
    scopes = [CENTRE] + [i.id for i in state.institutions]
    if scope not in scopes:
        raise NotFound("no such institution", institution=scope)
    q = state.questionnaire
    dim = dimension if dimension in {d.id for d in q.dimensions} else q.dimensions[0].id
    who = ses.principal(request)
    result_scope = GOVERNMENT if scope == CENTRE else scope
    results = state.scores[result_scope].items
    own = {a.item: a for a in state.answers if a.scope == scope}
    items = [i for i in q.items if i.dimension == dim]
    context = {
        "scope": scope, "scope_name": scope_label(state, scope, Translator(lang)), "q": q,
        "dimension": dim, "items": items, "own": own, "results": results,
        "editable": who is not None and can_edit_answers(who, scope),
        "scopes": [(s, scope_label(state, s, Translator(lang))) for s in scopes], "saved": bool(saved),
        "scores": scores_dict(state.scores[result_scope]),
    }
    return page(request, "maturity/answers.html", context, lang)


@router.get("/maturity/recommendations", response_class=HTMLResponse, name="maturity_recommendations")
def recommendations(request: Request, scope: str = Query(GOVERNMENT, max_length=64)) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    state = evaluate(store(request))
    if scope not in state.recommendations:
        raise NotFound("no such institution", institution=scope)
    recs = [as_dict(r, lang) for r in state.recommendations[scope]]
    who = ses.principal(request)
    context = {
        "scope": scope, "scope_name": scope_label(state, scope, t), "recs": recs,
        "scopes": [(s, scope_label(state, s, t)) for s in state.recommendations],
        "owners": [(CENTRE, t("maturity.centre"))] + [(i.id, i.name) for i in state.institutions],
        "can_adopt": who is not None and can_manage(who),
    }
    return page(request, "maturity/recommendations.html", context, lang)


@router.get("/maturity/plan", response_class=HTMLResponse, name="maturity_plan")
def plan(request: Request) -> HTMLResponse:
    lang = language(request)
    ms = MaturityStore(store(request))
    actions, checks = ms.actions(), ms.checks()
    history: dict[int, list[Any]] = {}
    for c in checks:
        history.setdefault(c.action, []).append(c)
    who = ses.principal(request)
    counts: dict[str, int] = {}
    for a in actions:
        last = history.get(a.id, [None])[-1]
        key = last.status if last else "unchecked"
        counts[key] = counts.get(key, 0) + 1
    context = {"actions": actions, "history": history, "counts": counts,
               "can_manage": who is not None and can_manage(who)}
    return page(request, "maturity/plan.html", context, lang)
