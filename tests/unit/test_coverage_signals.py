"""The classifier's structural signals: the dataset's language and its data dictionary."""

from __future__ import annotations

import json
from typing import Any

from govlens.coverage.classify import classify, evidence
from govlens.coverage.fields import MAX_FIELDS, columns, shape, title_shape
from govlens.coverage.text import languages
from govlens.model import Dataset, SourceRecord


def test_the_language_is_read_from_function_words() -> None:
    assert languages(["Cantidad de delitos por provincia y departamento del país"]) == ("es",)
    assert languages(["The number of crimes by state and county of the country"]) == ("en",)
    assert languages(["SUBE"]) == ("es", "en")  # too short to tell
    assert languages(["Datos de la red", "Data of the network"]) == ("es", "en")  # mixed
    # "data" and "datos", "information" and "información" are frequent in catalogues and tell too
    assert languages(["Service Territories", "Geospatial data sets containing information on territories"]) == ("en",)


def test_a_term_of_the_other_language_does_not_match() -> None:
    # "exportaciones" (a Spanish statistics cue) and the English word "export" share a Spanish stem.
    english = Dataset("d", title="Office supplies", description="A XLSX export of the data for the agency of the state.")
    assert all(e.value != "exportaciones" for _, evs in evidence(english).values() for e in evs)
    spanish = Dataset("d", title="Exportaciones", description="Las exportaciones de la provincia por año.")
    assert any(e.value == "exportaciones" for e in evidence(spanish)["hvd.statistics"][1])


def test_an_english_title_does_not_match_spanish_stems() -> None:
    # "Local" and "Territories" share Spanish stems with "localidades" and "territorio".
    ds = Dataset(
        "d",
        title="Natural Gas Local Distribution Company Service Territories",
        description="Geospatial data sets containing information on Natural Gas Local Distribution Company Service Territories.",
    )
    assert "hvd.geospatial" not in {m.category for m in classify(ds, similar=None)}


def _andino(fields: list[dict[str, Any]], *, as_string: bool = True, profile: str = "ckan-andino") -> Dataset:
    value: Any = json.dumps(fields) if as_string else fields
    raw = {"name": "x", "resources": [{"name": "r", "attributesDescription": value}]}
    return Dataset("d", title="Registro", source=SourceRecord("ckan", "application/json", json.dumps(raw), profile))


def test_the_shape_of_the_data_dictionary() -> None:
    series = [{"title": "indice_tiempo", "type": "date", "specialType": "time_index"}, {"title": "valor", "type": "number"}]
    totals = [{"title": "año", "type": "integer"}, {"title": "provincia", "type": "string"},
              {"title": "cantidad_casos", "type": "integer"}]
    people = [{"title": "apellido", "type": "string"}, {"title": "provincia", "type": "string"},
              {"title": "monto", "type": "number"}]
    codes_only = [{"title": "provincia_id", "type": "integer"}, {"title": "provincia", "type": "string"}]
    assert shape(_andino(series)) == "time-series"
    assert shape(_andino(totals, as_string=False)) == "aggregate"
    assert shape(_andino(people)) == "entity-list"
    assert shape(_andino(codes_only)) is None  # dimensions without a measure
    assert shape(_andino(series, profile="ckan")) is None  # only the profiles that declare columns
    assert shape(Dataset("d")) is None


def test_a_data_json_field_list_is_read_too() -> None:
    raw = {"identifier": "x", "distribution": [{"field": [{"title": "indice_tiempo", "specialType": "time_index"}]}]}
    ds = Dataset("d", source=SourceRecord("datajson", "application/json", json.dumps(raw), "ar-datajson"))
    assert shape(ds) == "time-series"


def test_a_hostile_data_dictionary_is_ignored_or_capped() -> None:
    for text in ("{not json", "[]", json.dumps({"resources": "nope"}),
                 json.dumps({"resources": [{"attributesDescription": "{bad"}]}),
                 json.dumps({"resources": [{"attributesDescription": [1, None, {"title": 3}]}]})):
        assert shape(Dataset("d", source=SourceRecord("ckan", "application/json", text, "ckan-andino"))) is None
    many = [{"title": f"c{i}", "type": "number"} for i in range(MAX_FIELDS * 3)]
    assert len(list(columns(_andino(many)))) == MAX_FIELDS


def test_a_time_index_decides_statistics_and_a_list_of_people_argues_against() -> None:
    series = _andino([{"title": "indice_tiempo", "specialType": "time_index"}, {"title": "faena", "type": "number"}])
    (m,) = [m for m in classify(series, similar=None) if m.category == "hvd.statistics"]  # the rules
    assert m.evidence[0].kind == "fields" and m.evidence[0].value == "time-series"
    people = [{"title": "nombres", "type": "string"}, {"title": "documento", "type": "string"}]
    titled = "Estadísticas de beneficiarios"
    base = evidence(Dataset("d", title=titled))["hvd.statistics"][0]
    listed = _andino(people)
    against = evidence(Dataset("d", title=titled, source=listed.source))["hvd.statistics"][0]
    assert against < base


def test_a_title_naming_a_register_or_a_list_argues_against_statistics() -> None:
    for title in (
        "Registro de proveedores locales de hidrocarburos",
        "Padrón de beneficiarios",
        "Listado de establecimientos",
        "List of Pending Petitions",
        "Lobbyist Register 2019",
        "Contractor Registry (SAM)",
        "Register of Lobbyists",
    ):
        assert title_shape(title) == "entity-list", title
    for other in ("Empleo registrado por provincia", "Voter registration by state", "Registration Statistics", "List", None, ""):
        assert title_shape(other) is None, other
    listed = evidence(Dataset("d", title="Registro de proveedores", keywords=("estadisticas",)))["hvd.statistics"][0]
    plain = evidence(Dataset("d", title="Proveedores", keywords=("estadisticas",)))["hvd.statistics"][0]
    assert listed == plain * 0.5
    # a data dictionary says more than the title: a time series stays a series
    series = _andino([{"title": "indice_tiempo", "specialType": "time_index"}, {"title": "altas", "type": "number"}])
    titled = Dataset("d", title="Registro de altas", source=series.source)
    assert evidence(titled)["hvd.statistics"][0] >= 0.9
