"""Self-contained HTML documents: one file with its CSS and SVG charts inline.

:func:`render_document` renders any template of ``govlens/report/templates``
that extends ``report_base.html``; :func:`observatory_html` is the
whole-government or institution report. The file fetches nothing: no script,
no external stylesheet, no image URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from govlens.report import figures, i18n, quality_figures
from govlens.report.coverage import coverage_chart
from govlens.report.data import Report


def is_http_url(value: object) -> bool:
    """True for absolute http(s) URLs with a host: the only harvested URLs made into links."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def environment(*loaders: jinja2.BaseLoader) -> jinja2.Environment:
    """The one Jinja2 set-up for pages and reports: autoescaped, strict, http-only links."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.PackageLoader("govlens.report", "templates")]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["http_url"] = is_http_url
    return env


def helpers(lang: str) -> dict[str, Any]:
    """The names every template can use: ``t``, ``num``, ``pct``, ``lang``."""
    return {
        "lang": lang,
        "t": i18n.Translator(lang),
        "num": lambda v, d=0: i18n.number(v, lang, d),
        "pct": lambda v, d=0: i18n.percent(v, lang, d),
    }


_ENV: jinja2.Environment | None = None


def render_document(template: str, context: Mapping[str, Any], lang: str) -> str:
    """A complete HTML document from a report template, CSS inlined."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    css = resources.files("govlens.report").joinpath("templates", "report.css").read_text("utf-8")
    return _ENV.get_template(template).render(css=Markup(css), **helpers(lang), **context)


def observatory_html(report: Report, lang: str) -> str:
    """The whole-government report, or one institution's when ``report.institution`` is set."""
    t = i18n.Translator(lang)
    cov = report.coverage
    extra = {"coverage": cov, "coverage_chart": coverage_chart(cov, t, lang) if cov is not None else None}
    inst = report.institution
    if inst is not None:
        against = next((c.quality for c in report.catalogues if c.name == inst.catalogue), None)
        qcharts = quality_figures.quality_charts(inst.quality, t, against=against,
                                                 trend_title=t("quality.chart.trend_institution"))
        return render_document(
            "report_institution.html",
            {"report": report, "inst": inst, "charts": figures.institution_charts(inst, t),
             "qcharts": qcharts, **extra},
            lang,
        )
    gov_qcharts = quality_figures.government_quality_charts(report.quality, report.catalogues, t)
    return render_document(
        "report_government.html",
        {"report": report, "charts": figures.government_charts(report, t), "qcharts": gov_qcharts,
         **extra},
        lang,
    )
