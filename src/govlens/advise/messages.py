"""Fix-list wording in English and Spanish: one template per action, keyed by the action's name.

Templates take ``{datasets}`` and ``{distributions}``; :func:`render` appends the
gain ("+30 points each, mean +14.2"). The web UI and the reports pick a language
by code; the keys are stable, so a translation can be added without code.
"""

from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "add-keywords": {
        "en": "add keywords to {datasets} datasets",
        "es": "añadir palabras clave a {datasets} conjuntos de datos",
    },
    "add-themes": {
        "en": "add a theme (category) to {datasets} datasets",
        "es": "añadir un tema (categoría) a {datasets} conjuntos de datos",
    },
    "add-spatial": {
        "en": "add the spatial coverage of {datasets} datasets",
        "es": "indicar la cobertura geográfica de {datasets} conjuntos de datos",
    },
    "add-temporal": {
        "en": "add the temporal coverage of {datasets} datasets",
        "es": "indicar la cobertura temporal de {datasets} conjuntos de datos",
    },
    "fix-dcat-ap": {
        "en": "make the records of {datasets} datasets conform to DCAT-AP",
        "es": "hacer que los registros de {datasets} conjuntos de datos cumplan DCAT-AP",
    },
    "add-access-rights": {
        "en": "declare the access rights of {datasets} datasets with the EU vocabulary",
        "es": "declarar los derechos de acceso de {datasets} conjuntos de datos con el vocabulario de la UE",
    },
    "use-access-rights-vocabulary": {
        "en": "express the access rights of {datasets} datasets with the EU vocabulary",
        "es": "expresar los derechos de acceso de {datasets} conjuntos de datos con el vocabulario de la UE",
    },
    "add-contact-point": {
        "en": "add a contact point to {datasets} datasets",
        "es": "añadir un punto de contacto a {datasets} conjuntos de datos",
    },
    "add-publisher": {
        "en": "name the publisher of {datasets} datasets",
        "es": "indicar el publicador de {datasets} conjuntos de datos",
    },
    "add-issued": {
        "en": "add the publication date of {datasets} datasets",
        "es": "añadir la fecha de publicación de {datasets} conjuntos de datos",
    },
    "add-modified": {
        "en": "add the last modification date of {datasets} datasets",
        "es": "añadir la fecha de última modificación de {datasets} conjuntos de datos",
    },
    "fix-access-urls": {
        "en": "repair the access URLs of {distributions} distributions of {datasets} datasets",
        "es": "reparar las URL de acceso de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "add-download-url": {
        "en": "add a download URL to {distributions} distributions of {datasets} datasets",
        "es": "añadir una URL de descarga a {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "fix-download-urls": {
        "en": "repair the download URLs of {distributions} distributions of {datasets} datasets",
        "es": "reparar las URL de descarga de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "add-format": {
        "en": "declare the format of {distributions} distributions of {datasets} datasets",
        "es": "declarar el formato de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "add-media-type": {
        "en": "declare the media type of {distributions} distributions of {datasets} datasets",
        "es": "declarar el tipo de medio de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "use-format-vocabularies": {
        "en": "declare format and media type from the EU and IANA vocabularies for {distributions} "
              "distributions of {datasets} datasets",
        "es": "declarar formato y tipo de medio con los vocabularios de la UE y de IANA en {distributions} "
              "distribuciones de {datasets} conjuntos de datos",
    },
    "publish-non-proprietary": {
        "en": "offer {distributions} distributions of {datasets} datasets in a non-proprietary format (e.g. CSV)",
        "es": "ofrecer {distributions} distribuciones de {datasets} conjuntos de datos en un formato no "
              "propietario (p. ej. CSV)",
    },
    "publish-machine-readable": {
        "en": "offer {distributions} distributions of {datasets} datasets in a machine-readable format",
        "es": "ofrecer {distributions} distribuciones de {datasets} conjuntos de datos en un formato legible "
              "por máquina",
    },
    "add-licence": {
        "en": "add a licence to {distributions} distributions of {datasets} datasets",
        "es": "añadir una licencia a {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "use-known-licence": {
        "en": "use a licence from the EU vocabulary for {distributions} distributions of {datasets} datasets",
        "es": "usar una licencia del vocabulario de la UE en {distributions} distribuciones de {datasets} "
              "conjuntos de datos",
    },
    "add-rights": {
        "en": "state the rights of {distributions} distributions of {datasets} datasets",
        "es": "indicar los derechos de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
    "add-byte-size": {
        "en": "declare the file size of {distributions} distributions of {datasets} datasets",
        "es": "declarar el tamaño de archivo de {distributions} distribuciones de {datasets} conjuntos de datos",
    },
}

GAIN = {
    "en": ": +{points} points each, mean +{mean}",
    "es": ": +{points} puntos cada uno, media +{mean}",
}
GAIN_VARIES = {
    "en": ": +{points} points each on average (up to +{max}), mean +{mean}",
    "es": ": +{points} puntos cada uno en promedio (hasta +{max}), media +{mean}",
}
LANGUAGES = ("en", "es")


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def render(action: str, lang: str, *, datasets: int, distributions: int, points: float, max_points: int,
           mean: float) -> str:
    """The sentence for one fix, e.g. "add a licence to 312 distributions of 120 datasets: +30 points each, mean +14.2"."""
    lang = lang if lang in LANGUAGES else "en"
    head = TEMPLATES[action][lang].format(datasets=datasets, distributions=distributions)
    uniform = abs(points - max_points) < 1e-9
    tail = (GAIN if uniform else GAIN_VARIES)[lang].format(
        points=_number(round(points, 1)), max=max_points, mean=f"{mean:.1f}")
    return head + tail
