"""What a dataset's data dictionary says about the shape of its tables (pure).

Argentina's metadata profile describes the columns of each distribution: the
``field`` list of a data.json distribution, stored by Andino (CKAN) as the
``attributesDescription`` of a resource, each column with a ``title``, a
``type``, a ``description`` and, for the time axis of a series, the
``specialType`` ``time_index``. The normalised :class:`~govlens.model.Dataset`
keeps the raw source record, so the columns are read from it here.

The columns tell apart the two shapes the labelling guide separates:

* **aggregate** — a time index, or period and area dimensions with measures and
  no column naming an individual entity: totals by period or area, a series,
  an indicator (aggregated statistics);
* **entity list** — columns that name or locate individual people, firms or
  places (tax ids, names, addresses, coordinates): a register or a list.

Without a data dictionary, a title whose head noun names a register or a list
("Registro de ...", "Padrón de ...", "List of ...", "... Register") says the
same as a dictionary of entities (:func:`title_shape`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

import orjson

from govlens.coverage.text import fold
from govlens.model import Dataset

Shape = Literal["time-series", "aggregate", "entity-list"]

#: The most columns read per dataset.
MAX_FIELDS = 400

_SEP = re.compile(r"[^a-z0-9]+")
_PERIOD = frozenset(
    {
        "indice", "tiempo", "anio", "ano", "anos", "year", "years", "mes", "meses", "month",
        "periodo", "period", "trimestre", "quarter", "semestre", "fecha", "date", "ejercicio",
        "semana", "week", "dia", "day",
    }
)
_AREA = frozenset(
    {
        "provincia", "provincias", "departamento", "depto", "jurisdiccion", "pais", "region",
        "municipio", "partido", "localidad", "aglomerado", "state", "county", "country",
    }
)
#: Words of a column that names or locates one entity (a person, a firm, a place).
_ENTITY = frozenset(
    {
        "cuit", "cuil", "dni", "documento", "apellido", "apellidos", "nombres", "razon",
        "domicilio", "direccion", "calle", "telefono", "email", "mail", "latitud", "longitud",
        "lat", "lon", "lng", "expediente", "legajo", "matricula",
    }
)
_ENTITY_ALONE = frozenset({"nombre", "name", "id"})
_NUMERIC = frozenset({"number", "integer"})
_DIMENSIONS = _PERIOD | _AREA
_CODES = frozenset({"id", "codigo", "cod"})


#: The metadata profiles whose distributions may declare their columns.
PROFILES = frozenset({"ckan-andino", "ar-datajson"})


def columns(ds: Dataset) -> Iterator[tuple[str, str | None, bool]]:
    """``(title, type, is time index)`` of each column the dataset's source record
    declares, at most :data:`MAX_FIELDS` (none for most sources)."""
    src = ds.source
    if src is None or src.profile not in PROFILES or src.media_type != "application/json":
        return
    try:
        raw = orjson.loads(src.text)
    except orjson.JSONDecodeError:
        return
    if not isinstance(raw, dict):
        return
    n = 0
    for dist in _list(raw.get("resources")) + _list(raw.get("distribution")):
        if not isinstance(dist, dict):
            continue
        for f in _fields_of(dist):
            title = f.get("title")
            if not isinstance(title, str):
                continue
            kind = f.get("type")
            yield title, kind if isinstance(kind, str) else None, f.get("specialType") == "time_index"
            n += 1
            if n >= MAX_FIELDS:
                return


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _fields_of(dist: dict[str, Any]) -> list[dict[str, Any]]:
    value = dist.get("field", dist.get("attributesDescription"))
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return []
    return [f for f in _list(value) if isinstance(f, dict)]


def shape(ds: Dataset) -> Shape | None:
    """The shape of the tables the dataset's columns describe, or None when they do not tell."""
    entity = dimension = measure = False
    for title, kind, time_index in columns(ds):
        if time_index:
            return "time-series"
        words = set(_SEP.split(fold(title)))
        words.discard("")
        if words & _ENTITY or (len(words) == 1 and words <= _ENTITY_ALONE):
            entity = True
        elif words & _DIMENSIONS:
            dimension = True
        elif kind in _NUMERIC and not words & _CODES:
            measure = True
    if entity:
        return "entity-list"
    if dimension and measure:
        return "aggregate"
    return None


#: Head nouns of a title that name a register or a list: the first word of a Spanish
#: title, the last of an English one (years after it and a parenthesis aside), or the
#: first before "of" ("List of ...", "Register of ...").
_LIST_HEAD_ES = frozenset({"registro", "registros", "padron", "padrones", "listado", "listados", "nomina", "nominas"})
_LIST_HEAD_EN = frozenset({"register", "registers", "registry", "registries", "directory", "roster", "rosters"})
_PAREN = re.compile(r"\([^)]*\)")


def title_shape(title: str | None) -> Shape | None:
    """``entity-list`` when the title's head noun names a register or a list, else None."""
    words = [w for w in _SEP.split(fold(_PAREN.sub(" ", title or ""))) if w]
    while words and words[-1].isdigit():
        words.pop()
    if not words:
        return None
    of = len(words) > 2 and words[1] == "of" and (words[0] in _LIST_HEAD_EN or words[0] == "list")
    if words[0] in _LIST_HEAD_ES or words[-1] in _LIST_HEAD_EN or of:
        return "entity-list"
    return None
