"""The classifier: word forms, accents, declared HVD URIs, themes, publishers, hard negatives."""

from __future__ import annotations

from govlens.coverage.classify import classify, evidence
from govlens.coverage.text import words
from govlens.model import Dataset, Distribution, Publisher


def cats(**kw: object) -> set[str]:
    """The rules' categories (the embedding signal is tested in test_coverage_embed)."""
    return {m.category for m in classify(Dataset(identifier="d", **kw), similar=None)}  # type: ignore[arg-type]


def test_accents_and_word_forms_in_spanish() -> None:
    for title in (
        "Declaraciones juradas patrimoniales de funcionarios",
        "DECLARACION JURADA PATRIMONIAL",
        "Declaración jurada patrimonial integral",
    ):
        assert "odc.asset-declarations" in cats(title=title), title


def test_word_forms_in_english_and_implied_broader_categories() -> None:
    found = cats(title="Public financial disclosure reports of senior officials")
    assert "odc.asset-declarations" in found
    assert "g8.government-accountability" in found  # implied
    budget = cats(title="Presupuesto de la Administración Pública Nacional 2019")
    assert {"odc.budgets", "g8.finance-contracts"} <= budget


def test_a_declared_hvd_category_is_certain_whatever_the_text() -> None:
    for uri in (
        "http://data.europa.eu/bna/c_164e0bf5",
        "https://data.europa.eu/bna/c_164e0bf5/",
        "http://data.europa.eu/bna/c_be47b010",  # weather alerts, a sub-category
    ):
        (m,) = [m for m in classify(Dataset("d", title="x", hvd_categories=(uri,))) if m.category == "hvd.meteorological"]
        assert m.confidence == 1.0
        assert m.evidence[0].kind == "declared" and m.evidence[0].value == uri
    assert "g8.earth-observation" in cats(title="x", hvd_categories=("http://data.europa.eu/bna/c_164e0bf5",))


def test_themes_and_publishers_support_a_term() -> None:
    onc = Publisher("onc", "Oficina Nacional de Contrataciones")
    econ = ("http://publications.europa.eu/resource/authority/data-theme/ECON",)
    strong = dict(evidence(Dataset("d", title="Procesos de contratación 2020", themes=econ, publisher=onc)))
    conf, items = strong["odc.tenders-awards"]
    assert {"publisher", "term", "theme"} <= {e.kind for e in items} or {"publisher", "term"} <= {e.kind for e in items}
    alone = dict(evidence(Dataset("d", title="Procesos de contratación 2020")))["odc.tenders-awards"][0]
    assert conf > alone >= 0.5
    # a weak word with the publisher is still not enough for a specific dataset
    assert "odc.tenders-awards" not in cats(title="Contrataciones del ejercicio", publisher=onc)


def test_a_theme_or_a_publisher_alone_decides_nothing_specific() -> None:
    assert "odc.tenders-awards" not in cats(title="Informe anual", publisher=Publisher("onc", "Oficina Nacional de Contrataciones"))
    assert "odc.budgets" not in cats(title="Informe anual", themes=("presupuesto",))


def test_a_sector_whose_theme_and_publisher_agree() -> None:
    found = cats(title="Existencias en litros equivalentes", themes=("AGRI",), publisher=Publisher("m", "Ministerio de Agricultura, Ganadería y Pesca"))
    assert "g8.earth-observation" in found
    assert "g8.earth-observation" not in cats(title="Existencias en litros equivalentes", themes=("AGRI",))


def test_a_sector_the_words_name_takes_precedence_over_the_publishers_default() -> None:
    agri = Publisher("m", "Ministerio de Agricultura, Ganadería y Pesca")
    found = cats(title="Biocombustible - Producción de bioetanol", themes=("AGRI", "ENER"), publisher=agri)
    assert "g8.energy-environment" in found
    assert "g8.earth-observation" not in found  # the ministry's usual sector yields to the named one
    # a category that implies a sector names it too: transfers of funds are public finance
    gas = Publisher("e", "Ente Nacional Regulador del Gas")
    found = cats(title="Transferencias de fondos del ENARGAS", themes=("ENER",), publisher=gas)
    assert {"odc.spending", "g8.finance-contracts"} <= found
    assert "g8.energy-environment" not in found


def test_an_acronym_written_with_dots_is_one_word() -> None:
    assert words("Cuenta A.I.F. - Base Devengado") == ["cuenta", "aif", "base", "devengado"]
    assert words("versión 1.2.3") == ["version", "1", "2", "3"]  # numbers keep their parts
    assert "odc.budgets" in cats(title="Cuenta A.I.F. - Base Devengado. Sector Público Argentino")


def test_hard_negatives() -> None:
    assert "odc.audit" not in cats(title="audit.log")
    assert "hvd.geospatial" not in cats(title="TSA.gov Site Map")
    assert "odc.asset-declarations" not in cats(title="Derecho de autor. Declaraciones juradas de obras editadas")
    assert "odc.asset-declarations" not in cats(title="Home Mortgage Disclosure Act (HMDA) Public Data")
    assert "odc.interest-declarations" not in cats(title="Treasury interest rates", description="Conflict of interest rates")
    assert "hvd.mobility" not in cats(title="Transporte de hidrocarburos - Ductos troncales")
    assert "g8.government-accountability" not in cats(title="Hospital Enrollments")  # not "hospitality"


def test_the_description_alone_does_not_decide() -> None:
    ds = {"title": "Indicadores sectoriales",
          "description": "Incluye el presupuesto nacional, licitaciones y contratos."}
    assert not {"odc.budgets", "odc.tenders-awards"} & cats(**ds)


def test_a_sector_word_in_the_description_alone_is_a_mention() -> None:
    text = {"title": "Consolidating facilities",
            "description": "Savings from closing offices; health and safety rules apply.",
            "distributions": (Distribution("r1", title="Savings at hospitals"),)}
    items = evidence(Dataset("d", **text))["g8.health"][1]  # type: ignore[arg-type]
    assert {(e.field, e.weight >= 0.4) for e in items} == {("description", True), ("distributions", True)}
    assert "g8.health" not in cats(**text)  # two strong mentions, 1 - 0.55 * 0.55 > 0.5, still a mention
    # the same words with the sector's theme, or in the title, are the content
    assert "g8.health" in cats(**text, themes=("HEAL",))
    assert "g8.health" in cats(title="Health facilities")


def test_a_category_may_have_its_own_threshold() -> None:
    from govlens.coverage.terms import builtin_table

    table = builtin_table()
    assert table.thresholds["odc.charity-register"] < 0.5
    # one telling keyword decides a category whose terms are specific phrases (threshold 0.45) ...
    ds = Dataset("d", title="Application review", keywords=("charities",))
    (conf, _) = evidence(ds, table)["odc.charity-register"]
    assert 0.45 <= conf < 0.5 and "odc.charity-register" in cats(title="Application review", keywords=("charities",))
    # ... but not one with the default threshold
    assert "odc.tenders-awards" not in table.thresholds
    conf = evidence(Dataset("d", title="Application review", keywords=("tenders",)), table)["odc.tenders-awards"][0]
    assert 0.45 <= conf < 0.5 and "odc.tenders-awards" not in cats(title="Application review", keywords=("tenders",))


def test_appointments_of_judges_are_data_on_officials_not_court_data() -> None:
    found = cats(title="Selección de magistrados del Poder Judicial y el Ministerio Público")
    assert "odc.public-officials" in found and "odc.court-data" not in found
    assert "odc.court-data" in cats(title="Causas ingresadas en el Poder Judicial")


def test_distribution_titles_count() -> None:
    ds = {"title": "Precios de bioetanol", "themes": ("ECON",),
          "distributions": (Distribution("r1", title="Serie de tiempo"),)}
    assert "hvd.statistics" in cats(**ds)


def test_evidence_names_fields_and_terms() -> None:
    (m,) = [m for m in classify(Dataset("d", title="Registro de obsequios a funcionarios públicos", keywords=("obsequios",)))
            if m.category == "odc.interest-declarations"]
    fields = {(e.field, e.value) for e in m.evidence}
    assert ("title", "registro de obsequios") in fields
    assert all(0 < e.weight <= 1 for e in m.evidence)


def test_nothing_to_say_about_an_empty_dataset() -> None:
    assert classify(Dataset("d")) == ()


def rules(**kw: object) -> set[str]:
    """The rules alone (the embedding signal, when installed, may bring a category back)."""
    return {m.category for m in classify(Dataset(identifier="d", **kw), similar=None)}  # type: ignore[arg-type]


def test_a_term_after_by_names_a_breakdown_not_the_subject() -> None:
    assert "hvd.mobility" not in rules(title="Firearm discoveries by airport 2019")
    assert "hvd.mobility" in rules(title="Passenger traffic at airports 2019")
    assert "hvd.mobility" not in rules(title="Hallazgos de armas por aeropuerto")
    assert "hvd.mobility" in rules(title="Tráfico de pasajeros en aeropuertos")


def test_foreign_trade_is_trade_not_the_products_sector() -> None:
    agri = Publisher("m", "Ministerio de Agricultura, Ganadería y Pesca")
    assert "g8.earth-observation" not in rules(title="Lácteos - Importaciones", themes=("AGRI",), publisher=agri)
    assert "g8.earth-observation" in rules(title="Lácteos - Producción", themes=("AGRI",), publisher=agri)
    assert "g8.energy-environment" not in rules(title="Balanza comercial de hidrocarburos")
    assert "g8.energy-environment" not in rules(title="Petroleum exports by country")
    # "importe" (amount) shares the Spanish stem of "importaciones" and is no trade word
    assert "g8.energy-environment" in rules(title="Importe de regalías de hidrocarburos")


def test_a_procurement_forecast_is_not_a_weather_forecast() -> None:
    assert "hvd.meteorological" not in rules(title="FAS Forecast of Contracting Opportunities")
    assert "odc.tenders-awards" in rules(title="FAS Forecast of Contracting Opportunities")
    assert "hvd.meteorological" in rules(title="Weather forecasts by county")


def test_ministers_are_officials_and_residence_permits_are_permits() -> None:
    assert "odc.public-officials" in rules(title="Ministros de Defensa")
    assert "odc.public-officials" not in rules(title="Presupuesto de la Jefatura de Gabinete de Ministros")
    assert "odc.licences-concessions" in rules(title="Ingresos y egresos de personas al país y residencias otorgadas")


def test_a_thematic_hvd_category_needs_a_strong_title_term_or_two_fields() -> None:
    # "geospatial" in the keywords and a layer in the description: the form of the data, a mention
    form = Dataset("d", title="Common Operating Picture Application Data", keywords=("geospatial",), description="A layer of incidents.")
    conf, _ = evidence(form)["hvd.geospatial"]
    assert 0.5 <= conf < 0.7  # over the default threshold, under the category's own
    assert "hvd.geospatial" not in {m.category for m in classify(form, similar=None)}
    assert "hvd.geospatial" in {m.category for m in classify(Dataset("d", title="US County Boundaries"), similar=None)}
    both = Dataset("d", title="Layer", keywords=("geospatial",), description="Political boundaries of the counties.")
    assert "hvd.geospatial" in {m.category for m in classify(both, similar=None)}


def test_researchers_decide_science_and_research_alone_does_not() -> None:
    # One stem for "investigadores" and "investigación", "researchers" and "research".
    science = "g8.science-research"
    assert science not in {m.category for m in classify(Dataset("d", title="New audio & e-books Research Guide"), similar=None)}
    programme = Dataset("d", title="Programa de Investigación sobre la Sociedad Argentina Contemporánea")
    assert science not in {m.category for m in classify(programme, similar=None)}
    assert science in {m.category for m in classify(Dataset("d", title="Investigadores por disciplina y provincia"), similar=None)}
    assert science in {m.category for m in classify(Dataset("d", title="Researchers funded by the agency"), similar=None)}
    assert science in {m.category for m in classify(Dataset("d", title="Scientific research projects funded"), similar=None)}
