"""The linear quote guess finds what the standard library's regular expressions find."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.inspect.sniffer import Sniffer, matches

PATTERNS = (
    r'(?P<delim>[^\w\n"\'])(?P<space> ?)(?P<quote>["\']).*?(?P=quote)(?P=delim)',
    r'(?:^|\n)(?P<quote>["\']).*?(?P=quote)(?P<delim>[^\w\n"\'])(?P<space> ?)',
    r'(?P<delim>[^\w\n"\'])(?P<space> ?)(?P<quote>["\']).*?(?P=quote)(?:$|\n)',
    r'(?:^|\n)(?P<quote>["\']).*?(?P=quote)(?:$|\n)',
)
TEXT = st.text(alphabet=',; \t|"\'\na1_é{:', max_size=60)


def reference(data: str, pattern: int) -> list[tuple[str, str | None, str | None]]:
    regexp = re.compile(PATTERNS[pattern - 1], re.DOTALL | re.MULTILINE)
    out = []
    for m in regexp.finditer(data):
        g = m.groupdict()
        out.append((g["quote"], g.get("delim"), g.get("space")))
    return out


@settings(max_examples=1500, deadline=None)
@given(TEXT, st.integers(1, 4))
def test_matches_are_findall(data: str, pattern: int) -> None:
    assert matches(data, pattern) == reference(data, pattern)


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_dialect_is_the_standard_sniffers(lines: list[str]) -> None:
    same_dialect("\n".join(lines))


def same_dialect(sample: str) -> None:
    try:
        expected = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        with pytest.raises(csv.Error):
            Sniffer().sniff(sample, ",;\t|")
        return
    got = Sniffer().sniff(sample, ",;\t|")
    keys = ("delimiter", "quotechar", "doublequote", "skipinitialspace")
    assert [getattr(got, k) for k in keys] == [getattr(expected, k) for k in keys]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=",; \t|a1 ", max_size=30), min_size=1, max_size=25))
def test_delimiter_by_frequency_is_the_standard_sniffers(lines: list[str]) -> None:
    same_dialect("\n".join(lines))
