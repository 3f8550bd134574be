"""The digital-government review report: gather the self-assessment, the measurements,
the benchmarks and the action plan from the store, render HTML or PDF, write atomically."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from govlens.config import Settings
from govlens.errors import ConfigError
from govlens.maturity import benchmarks as bm
from govlens.maturity.indicators import MeasurementSet
from govlens.maturity.scoring import scores_dict
from govlens.model import GOVERNMENT, ActionCheck
from govlens.report import i18n
from govlens.report.review import Review, review_html
from govlens.run.maturity import evaluate
from govlens.run.report import FORMATS, Format, catalogue_facts, write_atomic
from govlens.store import Store
from govlens.store.maturity import MaturityStore

DEFAULT_COUNTRY = "MEX"


def _by_scope(ms: MeasurementSet, previous: bool = False) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for (indicator, scope), m in (ms.previous if previous else ms.latest).items():
        out.setdefault(scope, {})[indicator] = m.value
    return out


def gather_review(store: Store, *, country: str = DEFAULT_COUNTRY, now: datetime | None = None,
                  measurements: MeasurementSet | None = None) -> Review:
    state = evaluate(store, measurements)
    gov = scores_dict(state.scores[GOVERNMENT])
    mstore = MaturityStore(store)
    counts, _ = mstore.publisher_datasets()
    datasets = {i.id: sum(counts.get(p, 0) for p in i.publishers) for i in state.institutions}
    datasets[GOVERNMENT] = sum(counts.values())
    last: dict[int, ActionCheck] = {c.action: c for c in mstore.checks()}
    when = now or datetime.now(UTC)
    return Review(
        generated_at=f"{when:%Y-%m-%d %H:%M} UTC",
        country=country.upper(),
        view=bm.country_view(country, None, gov),
        scores={s: scores_dict(v) for s, v in state.scores.items()},
        names=state.names,
        measured=_by_scope(state.measurements),
        previous=_by_scope(state.measurements, previous=True),
        recommendations=state.recommendations,
        actions=[(a, last.get(a.id)) for a in mstore.actions()],
        catalogues=catalogue_facts(store),
        datasets=datasets,
    )


def render_review(review: Review, fmt: Format, lang: str) -> bytes:
    doc = review_html(review, lang)
    if fmt == "html":
        return doc.encode("utf-8")
    from govlens.report.pdf import html_to_pdf

    return html_to_pdf(doc)


def write_review(settings: Settings, out: Path, *, fmt: Format = "html", lang: str | None = None,
                 country: str = DEFAULT_COUNTRY) -> tuple[Path, str]:
    """Write the review to ``out``; returns the path and the language used (Spanish by default)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; use html or pdf")
    language = i18n.pick_language(lang) if lang else i18n.DEFAULT_LANGUAGE
    with Store.open(settings.db_url) as store:
        review = gather_review(store, country=country)
    write_atomic(out, render_review(review, fmt, language))
    return out, language
