"""A complete, real-shaped dataset for quality tests, and the link states of its URLs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from govlens.model import (
    ContactPoint,
    Dataset,
    Distribution,
    LinkState,
    Publisher,
    SourceRecord,
    Temporal,
)

NOW = datetime(2024, 6, 1)
CSV_URL = "https://datos.gob.mx/dataset/presupuesto/2024.csv"
PAGE_URL = "https://datos.gob.mx/dataset/presupuesto"


def full_dataset(**changes: object) -> Dataset:
    dist = Distribution(
        id="https://datos.gob.mx/distribution/1", title="Presupuesto 2024", description="Montos por ramo",
        access_urls=(PAGE_URL,),
        download_urls=(CSV_URL,), format="CSV", format_raw="csv", media_type="text/csv",
        licence="https://creativecommons.org/licenses/by/4.0/", rights="Atribución", byte_size=1024,
        issued="2024-01-02", modified="2024-05-01",
    )
    ds = Dataset(
        identifier="presupuesto", uri="https://datos.gob.mx/dataset/presupuesto",
        title="Presupuesto de egresos", description="Montos aprobados por ramo " * 8,
        publisher=Publisher(key="shcp", name="Secretaría de Hacienda"),
        contact_point=ContactPoint(name="Datos", email="datos@hacienda.gob.mx"),
        keywords=("presupuesto",), themes=("http://publications.europa.eu/resource/authority/data-theme/GOVE",),
        spatial=("México",), temporal=Temporal("2024-01-01", "2024-12-31"),
        licence="cc-by", access_rights="http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        issued="2024-01-02", modified="2024-05-01", accrual_periodicity="R/P1Y",
        distributions=(dist,), source=SourceRecord(kind="ckan", media_type="application/json", text="{}"),
    )
    return replace(ds, **changes)  # type: ignore[arg-type]


OK_LINKS = {u: LinkState(u, "ok", 200) for u in (CSV_URL, PAGE_URL)}
