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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from govlens.coverage.text import fold
from govlens.model import Dataset

Shape = Literal["time-series", "aggregate", "entity-list"]

#: The most columns read per dataset.
MAX_FIELDS = 400

_SEP = re.compile(r"[^a-z0-9]+")
_PERIOD = frozenset(
    """indice tiempo anio ano anos year years mes meses month periodo period trimestre quarter
    semestre fecha date ejercicio semana week dia day""".split()
)
_AREA = frozenset(
    """provincia provincias departamento depto jurisdiccion pais region municipio partido localidad
    aglomerado state county country""".split()
)
#: Words of a column that names or locates one entity (a person, a firm, a place).
_ENTITY = frozenset(
    """cuit cuil dni documento apellido apellidos nombres razon domicilio direccion calle telefono
    email mail latitud longitud lat lon lng expediente legajo matricula""".split()
)
_ENTITY_ALONE = frozenset({"nombre", "name", "id"})
_NUMERIC = frozenset({"number", "integer"})


@dataclass(frozen=True, slots=True)
class Column:
    words: tuple[str, ...]
    type: str | None
    time_index: bool


def columns(ds: Dataset) -> list[Column]:
    """The columns the dataset's source record declares (none for most sources)."""
    src = ds.source
    if src is None or src.media_type != "application/json":
        return []
    text = src.text
    if '"attributesDescription"' not in text and '"field"' not in text:
        return []
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        return []
    if not isinstance(raw, dict):
        return []
    out: list[Column] = []
    for dist in _list(raw.get("resources")) + _list(raw.get("distribution")):
        if not isinstance(dist, dict):
            continue
        for f in _fields_of(dist):
            title = f.get("title")
            if not isinstance(title, str) or not title.strip():
                continue
            kind = f.get("type")
            out.append(
                Column(
                    tuple(w for w in _SEP.split(fold(title)) if w),
                    kind if isinstance(kind, str) else None,
                    f.get("specialType") == "time_index",
                )
            )
            if len(out) >= MAX_FIELDS:
                return out
    return out


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


def shape(cols: list[Column]) -> Shape | None:
    """The shape of the tables the columns describe, or None when they do not tell."""
    if not cols:
        return None
    if any(c.time_index for c in cols):
        return "time-series"
    entity = dimension = measure = False
    for c in cols:
        words = set(c.words)
        if words & _ENTITY or (len(c.words) == 1 and c.words[0] in _ENTITY_ALONE):
            entity = True
        elif words & (_PERIOD | _AREA):
            dimension = True
        elif c.type in _NUMERIC and not (words & {"id", "codigo", "cod"}):
            measure = True
    if entity:
        return "entity-list"
    if dimension and measure:
        return "aggregate"
    return None
