"""Text normalisation for matching: accents folded, stop words dropped, words stemmed.

Every text is read in both languages at once: its tokens are stemmed with the
Spanish and with the English Snowball stemmer, and Spanish terms are matched
against the Spanish stems, English terms against the English stems. No
language detection is needed, and a Spanish catalogue that uses an English
word (or the reverse) still matches. Stems are cached per token, so the cost
per dataset is a dictionary look-up per word.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

import snowballstemmer

LANGS = ("es", "en")
_WORD = re.compile(r"[a-z0-9]+")

#: Function words dropped from texts and terms alike, so that "registro de la
#: propiedad" matches "registro propiedad" and "register of property". "por",
#: "by" and "per" are kept: "by state", "por provincia" mean a breakdown.
STOP_WORDS = frozenset(
    {
        "a", "al", "ante", "con", "de", "del", "desde", "e", "el", "en", "entre", "la", "las",
        "lo", "los", "o", "para", "segun", "sin", "sobre", "u", "un", "una", "unos", "unas", "y",
        "an", "and", "as", "at", "for", "from", "in", "into", "of", "on", "or", "the", "to",
        "with",
    }
)

#: Separates values that must not form a phrase together (two keywords, two titles).
BREAK = "\x00"


_ACCENTS = str.maketrans("áàäâãéèëêíìïîóòöôõúùüûñçýÿ", "aaaaaeeeeiiiiooooouuuuncyy")


def fold(text: str) -> str:
    """Lower case without accents ("Índice" → "indice", "Ñandú" → "nandu")."""
    t = text.casefold()
    if t.isascii():
        return t
    t = t.translate(_ACCENTS)
    if t.isascii():
        return t
    decomposed = unicodedata.normalize("NFKD", t)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: An acronym written with dots ("A.I.F.", "S.A.", "U.S."): read as one word.
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")


def words(text: str) -> list[str]:
    """The folded words of a text, stop words removed; "A.I.F." is the word "aif"."""
    t = fold(text)
    if "." in t:
        t = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", t)
    return [w for w in _WORD.findall(t) if w not in STOP_WORDS]


class Stemmer:
    """Both stemmers with a shared cache: token → (Spanish stem, English stem)."""

    def __init__(self) -> None:
        self._es = snowballstemmer.stemmer("spanish")
        self._en = snowballstemmer.stemmer("english")
        self._cache: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def stems(self, word: str) -> tuple[str, str]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        with self._lock:  # Snowball stemmer objects keep state while stemming
            pair = (self._es.stemWord(word), self._en.stemWord(word))
        if len(self._cache) < 500_000:
            self._cache[word] = pair
        return pair

    def stem(self, word: str, lang: str) -> str:
        return self.stems(word)[0 if lang == "es" else 1]

    def phrase(self, text: str, lang: str) -> tuple[str, ...]:
        """The stems of a taxonomy phrase in its own language; a phrase written
        ``=like this`` is matched word for word instead (folded, not stemmed)."""
        if text.startswith("="):
            return tuple(words(text[1:]))
        return tuple(self.stem(w, lang) for w in words(text))

    def streams(self, values: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
        """The folded words of several values and their Spanish and English stems,
        with a break between values (so no phrase spans two keywords)."""
        plain: list[str] = []
        es: list[str] = []
        en: list[str] = []
        for value in values:
            if plain:
                plain.append(BREAK)
                es.append(BREAK)
                en.append(BREAK)
            for w in words(value):
                s_es, s_en = self.stems(w)
                plain.append(w)
                es.append(s_es)
                en.append(s_en)
        return plain, es, en


#: Function words that tell the language of a text (only the frequent, unambiguous ones).
_MARKERS = {
    "es": frozenset({
        "de", "la", "el", "los", "las", "del", "y", "en", "para", "por", "con", "que", "se", "un",
        "una", "al", "sobre", "segun", "datos", "informacion",
    }),
    "en": frozenset({
        "the", "of", "and", "for", "in", "to", "with", "by", "on", "is", "are", "this", "from",
        "that", "data", "information",
    }),
}


def languages(texts: Iterable[str]) -> tuple[str, ...]:
    """The languages a dataset is written in, read from its function words.

    A text whose Spanish function words outnumber its English ones three to one
    (with at least two of them) is Spanish only, and the reverse; anything else
    (short, mixed, or neither) is read in both languages. Matching only the
    dataset's own language keeps a Spanish term from matching an English word
    with the same stem ("exportaciones" and "export").
    """
    count = dict.fromkeys(LANGS, 0)
    for t in texts:
        for w in _WORD.findall(fold(t)):
            for lang in LANGS:
                count[lang] += w in _MARKERS[lang]
    es, en = count["es"], count["en"]
    if es >= 2 and es >= 3 * en:
        return ("es",)
    if en >= 2 and en >= 3 * es:
        return ("en",)
    return LANGS


_default: Stemmer | None = None


def default_stemmer() -> Stemmer:
    global _default
    if _default is None:
        _default = Stemmer()
    return _default
