"""A small catalogue, stored through the real store, whose harvested text carries XSS payloads."""

from __future__ import annotations

import json
from urllib.parse import quote

from govlens.model import Catalogue, ContactPoint, Dataset, Distribution, Publisher, SourceRecord
from govlens.store import Store

SCRIPT = "<script>window.__xss=1;alert('xss')</script>"
IMG = '"><img src=x onerror="window.__xss=1;alert(1)">'
JS_URL = "javascript:alert(document.domain)"
PAYLOADS = (SCRIPT, IMG, JS_URL)

EVIL_PUBLISHER = Publisher(key="evil<script>", name=f"Secretaría {IMG}", homepage=JS_URL)
GOOD_PUBLISHER = Publisher(key="shcp", name="Secretaría de Hacienda y Crédito Público",
                           homepage="https://www.gob.mx/shcp")


#: The dashboard's pages over the seeded catalogue (every page type, hostile keys included).
PAGES = (
    "/",
    "/institutions",
    "/institutions?sort=name&order=asc&q=secre",
    "/institutions?sort=mqa&order=asc&band=sufficient",
    "/catalogues/mx",
    "/catalogues/mx/datasets",
    "/catalogues/mx/datasets/ds-1",
    "/catalogues/mx/datasets/" + quote(f"ds-0-{IMG}", safe=""),
    "/catalogues/mx/publishers/shcp",
    "/catalogues/mx/publishers/" + quote(EVIL_PUBLISHER.key, safe=""),
    "/search?q=ds",
    "/search?q=" + quote(SCRIPT),
    "/catalogues/mx/files?status=all",
    "/catalogues/mx/links?outcome=all",
    "/catalogues/mx/coverage",
    "/catalogues/mx/coverage?publisher=shcp",
    "/api/docs",
    "/maturity",
    "/maturity/benchmark?country=MEX",
    "/maturity/answers/centre?dimension=open_by_default",
    "/maturity/recommendations",
    "/maturity/plan",
    "/login",
)


def dataset(i: int, publisher: Publisher, *, evil: bool = False) -> Dataset:
    title = f"Presupuesto {i} {SCRIPT}" if evil else f"Presupuesto de egresos {i}"
    raw = {"name": f"ds-{i}", "title": title, "notes": IMG if evil else "Datos del presupuesto"}
    return Dataset(
        identifier=f"ds-{i}" if not evil else f"ds-{i}-{IMG}",
        title=title,
        description=f"Descripción {IMG} {SCRIPT}" if evil else "Montos aprobados por ramo.",
        publisher=publisher,
        contact_point=ContactPoint(name="Datos", email="datos@example.org", url=JS_URL if evil else None),
        keywords=("presupuesto", SCRIPT) if evil else ("presupuesto", "finanzas"),
        licence="cc-by-4.0",
        modified="2024-05-01",
        landing_page=JS_URL if evil else f"https://datos.gob.mx/dataset/ds-{i}",
        distributions=(
            Distribution(id=f"d{i}-1", title=f"CSV {IMG}" if evil else "CSV", format="CSV",
                         download_urls=(JS_URL if evil else f"https://datos.gob.mx/ds-{i}.csv",)),
            Distribution(id=f"d{i}-2", title="API", format="JSON",
                         access_urls=(f"http://127.0.0.1:9/ds-{i}.json",)),
        ),
        source=SourceRecord(kind="ckan", media_type="application/json", text=json.dumps(raw)),
    )


def seed(store: Store, *, runs: int = 2, name: str = "mx", assess: bool = True) -> None:
    """``runs`` complete harvest runs of a Mexican CKAN catalogue; the last adds datasets. Each
    run is assessed (MQA, udata, stars) when it completes, unless ``assess`` is false."""
    from govlens.run.assess import assess_run

    cat = store.ensure_catalogue(
        Catalogue(name=name, source="https://datos.gob.mx/api/3", kind="ckan", title="Datos MX", language=("es",))
    )
    for r in range(runs):
        opened = store.open_run(cat, cat.source, "ckan")
        n = 6 + 2 * r
        page = [dataset(i, GOOD_PUBLISHER if i % 2 else EVIL_PUBLISHER, evil=i == 0) for i in range(n)]
        store.save_page(opened.run, page, {"page": 1}, opened.next_seq)
        done = store.finish_run(opened.run)
        if assess:
            assess_run(store, done)
