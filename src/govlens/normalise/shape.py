"""Values of a type their field cannot hold, flagged rather than dropped in silence.

The normalisers read what they can: a title that is an object, a list of resources
that is a number, a distribution that is a string carry nothing the model can hold, so
the field is left empty. Each such value gets a ``value-type`` warning naming its path,
the value (as JSON, cut at 200 characters) and the types the field takes. The tables
below are the types each normaliser reads; a type outside them is what it cannot use.

Only what the normaliser read and could not use is flagged: a text field whose value a
reader (``values.text``) met and found to be a list or an object, and a list or object
field (resources, tags, organization, distribution, publisher...) of another type, or
a list of resources or distributions holding something other than objects. A field the
normaliser never looked at (``author`` when ``maintainer`` names the contact) is left
alone. Checking every field of every record would cost a tenth of the normalising time,
so a record is checked only when reading it dropped something.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import orjson

from govlens.model import NormaliseWarning
from govlens.normalise import values

Types = tuple[type, ...]

TEXT: Types = (str, int, float)  # numbers and booleans (an int) become text
TEXTS: Types = (str, int, float, list)  # one value or a list of them
LIST: Types = (list,)
OBJECT: Types = (dict,)
TAG: Types = (dict, str, int, float)  # a tag object or its name

CKAN_PACKAGE: Mapping[str, Types] = {
    "id": TEXT, "name": TEXT, "title": TEXT, "notes": TEXT, "url": TEXT,
    "license_id": TEXT, "license_url": TEXT, "author": TEXT, "author_email": TEXT,
    "maintainer": TEXT, "maintainer_email": TEXT, "metadata_created": TEXT, "metadata_modified": TEXT,
    "resources": LIST, "tags": LIST, "groups": LIST, "extras": (list, dict), "organization": OBJECT,
}
CKAN_RESOURCE: Mapping[str, Types] = {
    "id": TEXT, "url": TEXT, "name": TEXT, "description": TEXT, "format": TEXT, "mimetype": TEXT,
    "size": TEXT, "created": TEXT, "last_modified": TEXT, "issued": TEXT, "modified": TEXT, "license": TEXT,
}
DATAJSON_DATASET: Mapping[str, Types] = {
    "identifier": TEXT, "title": TEXT, "description": TEXT, "keyword": (str, list), "modified": TEXT,
    "issued": TEXT, "publisher": (dict, str), "contactPoint": (dict, list, str), "distribution": (list, dict),
    "license": TEXT, "accessLevel": TEXT, "accrualPeriodicity": TEXT, "landingPage": TEXT,
    "rights": TEXT, "theme": (*TEXTS, dict), "language": TEXTS, "spatial": (str, list, dict),
}
DATAJSON_DISTRIBUTION: Mapping[str, Types] = {
    "downloadURL": TEXTS, "accessURL": TEXTS, "format": TEXT, "mediaType": TEXT, "title": TEXT,
    "description": TEXT, "byteSize": TEXT, "issued": TEXT, "modified": TEXT, "license": TEXT,
}

_NAMES = {str: "text", int: "number", float: "number", list: "a list", dict: "an object"}


def shown(value: Any) -> str:
    """A value as JSON text, cut at 200 characters (``repr`` when JSON cannot hold it)."""
    try:
        out = orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        out = repr(value)
    return out[:200]


def flag(value: Any, path: str, types: Types, warnings: list[NormaliseWarning]) -> None:
    """Add the ``value-type`` warning of ``value`` at ``path``."""
    expected = " or ".join(dict.fromkeys(_NAMES.get(t, t.__name__) for t in types))
    found = _NAMES.get(type(value), type(value).__name__)
    warnings.append(NormaliseWarning("value-type", path, shown(value), f"expected {expected}, found {found}"))


def named(items: list[Any], path: str, read: Callable[[dict[str, Any]], Any], what: str,
          warnings: list[NormaliseWarning]) -> list[Any]:
    """The names of ``items``: an object's as ``read`` finds it (``None`` when it has none),
    other items as they are. Each object with no name gets a ``name-missing`` warning
    (``path[i]``), so a tag, group or theme object is never dropped in silence."""
    out = [read(item) if isinstance(item, dict) else item for item in items]
    if None in out:
        for i, (item, name) in enumerate(zip(items, out, strict=True)):
            if name is None and isinstance(item, dict):
                warnings.append(NormaliseWarning("name-missing", f"{path}[{i}]", shown(item), what))
    return out


def _read_always(types: Types) -> bool:
    """A list or object field (resources, organization...): the normaliser always reads it
    (a field that may be text as well, as data.json's ``publisher``, is a text field)."""
    return str not in types


def _structural(table: Mapping[str, Types]) -> tuple[tuple[str, Types], ...]:
    return tuple((k, (*t, type(None))) for k, t in table.items() if _read_always(t))


_CKAN_STRUCTURAL = _structural(CKAN_PACKAGE)
_DATAJSON_STRUCTURAL = _structural(DATAJSON_DATASET)


def misshapen(record: Mapping[str, Any], kind: str) -> bool:
    """Whether a list or object field of a ``ckan`` or ``datajson`` record has another type."""
    fields = _CKAN_STRUCTURAL if kind == "ckan" else _DATAJSON_STRUCTURAL
    for key, types in fields:
        if not isinstance(record.get(key), types):
            return True
    return False


def check(record: Mapping[str, Any], table: Mapping[str, Types], prefix: str,
          warnings: list[NormaliseWarning], met: AbstractSet[int]) -> None:
    """Flag each field of ``record`` named in ``table`` whose value has none of its types:
    a list or object field always, a text field when a reader met its value (``met``
    holds the ``id`` of each value met and not read)."""
    for key, types in table.items():
        value = record.get(key)
        if value is not None and not isinstance(value, types) and (_read_always(types) or id(value) in met):
            flag(value, prefix + key, types, warnings)


def check_items(items: list[Any], path: str, types: Types, warnings: list[NormaliseWarning],
                met: AbstractSet[int]) -> None:
    """Flag each item of a list (``path[i]``) that has none of ``types`` (on the terms of
    :func:`check`; ``None`` is an item too)."""
    always = _read_always(types)
    for i, item in enumerate(items):
        if not isinstance(item, types) and (always or id(item) in met):
            flag(item, f"{path}[{i}]", types, warnings)


def check_ckan(pkg: Mapping[str, Any], warnings: list[NormaliseWarning], met: AbstractSet[int]) -> None:
    """:func:`check` of a CKAN package, its tags, groups and resources."""
    check(pkg, CKAN_PACKAGE, "", warnings, met)
    for name, types in (("tags", TAG), ("groups", OBJECT), ("resources", OBJECT)):
        items = pkg.get(name)
        if isinstance(items, list):
            check_items(items, name, types, warnings, met)
    resources = pkg.get("resources")
    for i, r in enumerate(resources if isinstance(resources, list) else ()):
        if isinstance(r, dict):
            check(r, CKAN_RESOURCE, f"resources[{i}].", warnings, met)


def check_datajson(rec: Mapping[str, Any], warnings: list[NormaliseWarning], met: AbstractSet[int]) -> None:
    """:func:`check` of a data.json dataset and its distributions."""
    check(rec, DATAJSON_DATASET, "", warnings, met)
    keywords = rec.get("keyword")
    if isinstance(keywords, list):
        check_items(keywords, "keyword", TEXT, warnings, met)
    dists = rec.get("distribution")
    if isinstance(dists, list):
        check_items(dists, "distribution", OBJECT, warnings, met)
        for i, d in enumerate(dists):
            if isinstance(d, dict):
                check(d, DATAJSON_DISTRIBUTION, f"distribution[{i}].", warnings, met)


def warnings(record: Mapping[str, Any], kind: str, found: list[NormaliseWarning], suspect: bool
             ) -> tuple[NormaliseWarning, ...]:
    """A ``ckan`` or ``datajson`` record's warnings: those ``found`` in reading it, and the
    ``value-type`` ones when reading it dropped something (``suspect``, values a text reader
    met and could not read, or a list or object field of another type). Called once the
    record has been read, as ``values.dropped`` then holds what its readers met."""
    met = values.dropped.values
    if suspect or met or misshapen(record, kind):
        (check_ckan if kind == "ckan" else check_datajson)(record, found, {id(x) for x in met})
    return tuple(found)
