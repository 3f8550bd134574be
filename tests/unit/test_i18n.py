from __future__ import annotations

import string

from govlens.report import i18n


def test_every_message_exists_in_every_language_with_the_same_fields() -> None:
    es, en = i18n.messages("es"), i18n.messages("en")
    assert set(es) == set(en), set(es) ^ set(en)
    fields = string.Formatter()
    for key in es:
        a = {f for _, f, _, _ in fields.parse(es[key]) if f}
        b = {f for _, f, _, _ in fields.parse(en[key]) if f}
        assert a == b, key


def test_translator_formats_and_shows_missing_keys() -> None:
    t = i18n.Translator("es")
    assert t("search.n_datasets", n="3") == "3 conjuntos de datos"
    assert i18n.Translator("en")("search.n_datasets", n="3") == "3 datasets"
    assert t("no.such.key") == "no.such.key"


def test_language_choice() -> None:
    assert i18n.pick_language("es-MX") == "es"
    assert i18n.pick_language(None, "en_GB") == "en"
    assert i18n.pick_language("fr") == i18n.DEFAULT_LANGUAGE
    assert i18n.catalogue_language("es", None) == "es"
    assert i18n.catalogue_language(None, "https://datos.gob.mx/api/3") == "es"
    assert i18n.catalogue_language("en", "https://catalog.data.gov") == "en"
    assert i18n.catalogue_language("en", "https://datos.gob.mx") == "es"


def test_number_formats() -> None:
    assert i18n.number(1234567, "es") == "1,234,567"
    assert i18n.percent(0.256, "en", 1) == "25.6%"
    assert i18n.number(None, "en") == "–"
