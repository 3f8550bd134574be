"""Messages in Spanish and English, shared by the web app and the file reports.

Message catalogues are package data: ``locales/<lang>/<area>.json``, flat
dictionaries from a dotted key (``overview.title``) to a template formatted
with :meth:`str.format` (``"{n} datasets"``). Each area keeps its own file, so
areas add messages without touching each other's; every key must exist in
every language (a test checks it).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("es", "en")
DEFAULT_LANGUAGE = "es"
LANGUAGE_NAMES: Mapping[str, str] = {"es": "Español", "en": "English"}


@functools.cache
def messages(lang: str) -> Mapping[str, str]:
    """Every message of ``lang``, merged from all area files."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    out: dict[str, str] = {}
    folder = resources.files("govlens.report").joinpath("locales", lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                raise ValueError(f"{lang}/{entry.name}: a message file maps keys to strings")
            out.update(data)
    return out


def pick_language(*candidates: str | None) -> str:
    """The first supported language among ``candidates`` (``es-MX`` counts as ``es``)."""
    for c in candidates:
        if c:
            base = c.strip().lower().replace("_", "-").split("-")[0]
            if base in LANGUAGES:
                return base
    return DEFAULT_LANGUAGE


def catalogue_language(language: str | None, source: str | None) -> str:
    """The default language of a catalogue: Spanish for Spanish-language or Mexican
    catalogues, English otherwise."""
    if language and pick_language(language, "en") == "es":
        return "es"
    host = (source or "").split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if host.endswith(".mx"):
        return "es"
    return "en" if language else DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Translator:
    """``t("key", n=3)``: the message in this language, formatted. A missing key
    shows as the key itself, so a forgotten message is visible, never a crash."""

    lang: str

    def __call__(self, key: str, /, **params: Any) -> str:
        text = messages(self.lang).get(key)
        if text is None:
            return key
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return key in messages(self.lang)


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number as people read it in ``lang`` (Mexican Spanish groups like English)."""
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def percent(share: float | None, lang: str, digits: int = 0) -> str:
    """A share in [0, 1] as a percentage."""
    if share is None:
        return "–"
    return f"{share * 100:.{digits}f} %" if lang == "es" else f"{share * 100:.{digits}f}%"
