"""Charts of the maturity views (dashboard and review report): a country against the OECD
average and its peers per DGI dimension, the same across editions of every index, and
the self-assessed scores by dimension and by principle. Inputs are plain mappings (the
benchmark view and the scores dictionaries), so this module stays pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from govlens.report import charts
from govlens.report.i18n import Translator


def _two(v: float) -> str:
    return f"{v:.2f}"


FAMILY_HEADLINE = {"dgi": "composite", "ourdata": "composite", "egdi": "egdi", "gtmi": "gtmi"}


def dimension_chart(view: Mapping[str, Any], dimensions: Sequence[tuple[str, str]], t: Translator,
                    edition: str = "2023", peers: int = 3) -> Markup:
    """DGI dimension scores: the country, the OECD average, a few peers and, kept apart and
    labelled, the self-assessment."""
    code = view["country"]
    country = view["dgi"].get(edition) or {}
    avg = view["oecd_average"]["dgi"].get(edition) or {}
    series: list[tuple[str, list[float | None]]] = [
        (f"{code} (OECD DGI {edition})", [country.get(d) for d, _ in dimensions]),
        (t("maturity.oecd_average"), [avg.get(d) for d, _ in dimensions]),
    ]
    shown = 0
    for peer, entry in view["peers"].items():
        scores = (entry.get("dgi") or {}).get(edition)
        if scores and shown < peers:
            series.append((peer, [scores.get(d) for d, _ in dimensions]))
            shown += 1
    own = view.get("self_assessment")
    if own:
        series.append((t("maturity.self_assessed"), [own["dimensions"].get(d) for d, _ in dimensions]))
    return charts.grouped_bars(
        [label for _, label in dimensions], series, max_value=1.0, fmt=_two,
        title=t("maturity.chart.dimensions", country=code, edition=edition),
        empty=t("chart.empty"),
    )


def editions_chart(view: Mapping[str, Any], t: Translator) -> Markup:
    """The headline figure of every index and edition: the country against the OECD average."""
    cats: list[str] = []
    mine: list[float | None] = []
    oecd: list[float | None] = []
    for family, key in FAMILY_HEADLINE.items():
        for edition, entry in view[family].items():
            cats.append(f"{family.upper()} {edition}")
            mine.append(None if entry is None else entry.get(key))
            avg = view["oecd_average"][family].get(edition) or {}
            oecd.append(avg.get(key))
    return charts.grouped_bars(
        cats, [(view["country"], mine), (t("maturity.oecd_average"), oecd)], max_value=1.0, fmt=_two,
        title=t("maturity.chart.editions", country=view["country"]), empty=t("chart.empty"),
    )


def scores_chart(scores: Mapping[str, Any], dimensions: Sequence[tuple[str, str]],
                 reference: Mapping[str, float] | None, t: Translator, title: str) -> Markup:
    """A scope's self-assessed dimension scores, beside the OECD average when given."""
    series: list[tuple[str, list[float | None]]] = [
        (t("maturity.self_assessed"), [scores["dimensions"].get(d) for d, _ in dimensions])]
    if reference:
        series.append((t("maturity.oecd_average"), [reference.get(d) for d, _ in dimensions]))
    return charts.grouped_bars([label for _, label in dimensions], series, max_value=1.0, fmt=_two, title=title,
                               empty=t("chart.empty"))


def principles_chart(scores: Mapping[str, Any], principles: Sequence[tuple[str, str]],
                     t: Translator, title: str) -> Markup:
    return charts.bar_chart([(label, float(scores["principles"].get(pid, 0.0)))
                             for pid, label in principles], max_value=1.0, fmt=_two, title=title,
                            empty=t("chart.empty"))
