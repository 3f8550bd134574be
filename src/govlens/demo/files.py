"""The demo catalogue's distribution files, with the faults real portals serve.

Files are generated on first request from a :class:`FileSpec` (kind of table,
fault, seed), so the package carries no data files. Faults: CSV in Latin-1 or
with a BOM, semicolon-delimited, ragged and blank rows, an HTML "soft 404"
served with status 200 where a CSV is declared, a ZIP served as a CSV, a
redirect chain, a slow answer, and 404/410/500 answers.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

from govlens.demo.server import Reply

FILE_FAULTS: tuple[tuple[str, int], ...] = (
    ("ok", 52),
    ("latin1", 7),
    ("bom", 3),
    ("semicolon", 6),
    ("ragged", 5),
    ("soft-404", 4),
    ("zip-as-csv", 2),
    ("redirects", 4),
    ("slow", 2),
    ("404", 8),
    ("410", 2),
    ("500", 3),
)

STATES = ("Aguascalientes", "Baja California", "Chiapas", "Ciudad de México", "Guanajuato", "Jalisco",
          "México", "Michoacán", "Nuevo León", "Oaxaca", "Puebla", "Querétaro", "Veracruz", "Yucatán")
COMPANIES = ("Constructora del Bajío, S.A. de C.V.", "Farmacéutica Núñez y Asociados, S.A.",
             "Servicios Integrales Peñasco, S. de R.L.", "Tecnologías Aztlán, S.A.P.I. de C.V.",
             "Distribuidora Médica Ibáñez, S.A. de C.V.", "Consultoría Ñandú, S.C.")

COLUMNS = {
    "budget": ("ramo", "unidad_responsable", "programa", "capitulo", "monto_aprobado", "monto_ejercido"),
    "spending": ("ramo", "entidad_federativa", "concepto", "monto_pagado", "fecha_pago"),
    "contracts": ("numero_procedimiento", "dependencia", "proveedor", "rfc_proveedor",
                  "tipo_procedimiento", "importe_contrato", "fecha_inicio", "fecha_fin"),
    "beneficiaries": ("folio_beneficiario", "entidad", "municipio", "monto_apoyo", "periodo"),
    "payroll": ("entidad", "nivel", "plazas", "sueldo_base_mensual"),
    "stats": ("entidad", "indicador", "valor", "periodo"),
    "health": ("entidad", "clave_cie10", "sexo", "grupo_edad", "casos"),
    "geo": ("clave", "nombre", "entidad", "municipio", "latitud", "longitud"),
    "series": ("fecha", "valor", "unidad"),
    "registry": ("folio", "nombre", "entidad", "fecha_registro", "estatus"),
    "environment": ("estacion", "entidad", "parametro", "valor", "unidad", "fecha"),
    "declarations": ("nombre_servidor_publico", "dependencia", "cargo", "tipo_declaracion",
                     "fecha_presentacion"),
}


@dataclass(frozen=True, slots=True)
class FileSpec:
    path: str
    ext: str
    table: str
    fault: str
    seed: int


def _cell(rng: random.Random, col: str, i: int) -> str:
    d = date(2023, 1, 1) + timedelta(days=rng.randint(0, 364))
    if col.startswith(("monto", "importe", "sueldo")):
        return f"{rng.uniform(1e4, 5e7):.2f}"
    if col.startswith("fecha"):
        return d.isoformat()
    if col in ("entidad", "entidad_federativa"):
        return rng.choice(STATES)
    if col == "proveedor":
        return rng.choice(COMPANIES)
    if col in ("valor", "casos", "plazas", "latitud", "longitud"):
        base = {"latitud": (14.5, 32.7), "longitud": (-117.1, -86.7)}.get(col, (0, 100000))
        return f"{rng.uniform(*base):.4f}" if col in ("latitud", "longitud") else str(rng.randint(*map(int, base)))
    if col == "sexo":
        return rng.choice(("Hombre", "Mujer"))
    if col == "periodo":
        return f"2023-{rng.randint(1, 12):02d}"
    return f"{col.replace('_', ' ').capitalize()} {i + 1}"


def table(spec: FileSpec, rows: int = 40) -> list[list[str]]:
    rng = random.Random(spec.seed)
    cols = COLUMNS.get(spec.table, COLUMNS["stats"])
    return [list(cols)] + [[_cell(rng, c, i) for c in cols] for i in range(rows)]


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    from datetime import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet, the active one
    for r in rows:
        ws.append(r)
    wb.properties.created = wb.properties.modified = datetime(2024, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(spec: FileSpec, base: str) -> list[tuple[str, Reply]]:
    """The replies to serve for one file: ``[(path, reply), ...]`` (redirect hops included)."""
    rows = table(spec)
    csv_type = "text/csv; charset=utf-8"
    f = spec.fault
    if f in ("404", "410", "500"):
        return [(spec.path, Reply(int(f), b"<html><body><h1>Error</h1></body></html>", "text/html"))]
    if spec.ext == "csv":
        if f == "latin1":
            body = _csv(rows).encode("cp1252", "replace")
            reply = Reply(200, body, "text/csv")
        elif f == "bom":
            reply = Reply(200, b"\xef\xbb\xbf" + _csv(rows).encode(), csv_type)
        elif f == "semicolon":
            reply = Reply(200, _csv(rows, ";").encode(), csv_type)
        elif f == "ragged":
            messy = [rows[0]] + [r if i % 7 else r[:-2] for i, r in enumerate(rows[1:])]
            messy[5:5] = [[], [""] * len(rows[0])]
            reply = Reply(200, _csv(messy).encode(), csv_type)
        elif f == "soft-404":
            html = ("<!DOCTYPE html><html lang='es'><head><title>Página no encontrada</title></head>"
                    "<body><h1>Lo sentimos, la página que busca no existe</h1></body></html>")
            reply = Reply(200, html.encode(), "text/html; charset=utf-8")
        elif f == "zip-as-csv":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(zipfile.ZipInfo("datos.csv", (2024, 1, 1, 0, 0, 0)), _csv(rows))
            reply = Reply(200, buf.getvalue(), "application/zip")
        else:
            reply = Reply(200, _csv(rows).encode(), csv_type)
    elif spec.ext == "xlsx":
        reply = Reply(200, _xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif spec.ext == "json":
        import orjson

        reply = Reply(200, orjson.dumps([dict(zip(rows[0], r, strict=True)) for r in rows[1:]]),
                      "application/json")
    elif spec.ext == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo("capa.csv", (2024, 1, 1, 0, 0, 0)), _csv(rows))
        reply = Reply(200, buf.getvalue(), "application/zip")
    else:  # pdf
        reply = Reply(200, b"%PDF-1.4\n% govlens demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    if f == "slow":
        reply = Reply(reply.status, reply.body, reply.content_type, reply.headers, delay=3.0)
    if f == "redirects":
        hop1, hop2 = spec.path + ".r1", spec.path + ".r2"
        return [
            (spec.path, Reply(301, b"", "text/plain", {"Location": base + hop1})),
            (hop1, Reply(302, b"", "text/plain", {"Location": base + hop2})),
            (hop2, reply),
        ]
    return [(spec.path, reply)]
