"""The standard library's CSV sniffer, with its quote guess made linear.

``csv.Sniffer`` (what Frictionless uses) first guesses the quote and the
delimiter with four regular expressions such as
``(?P<delim>[^\\w\\n"'])(?P<space> ?)(?P<quote>["']).*?(?P=quote)(?P=delim)``.
On a sample full of quotes (JSON in cells) each failed attempt scans to the
end of the sample, which costs tens of milliseconds per file. :func:`matches`
finds exactly what ``re.findall`` finds with those patterns (same matches,
same order; a test holds it to ``re.findall`` on random text) by looking the
closing quote up in an index instead of scanning. The rest of the guess is
the standard library's, line for line.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Callable

QUOTES = "\"'"
#: (quote, delimiter or None, space or None), as the findall groups name them.
Match = tuple[str, "str | None", "str | None"]


def _delim(c: str) -> bool:
    """``[^\\w\\n"']``."""
    return c not in "\n\"'" and not (c.isalnum() or c == "_")


class _Index:
    """Sorted positions of two-character strings in the data, built when first asked."""

    def __init__(self, data: str) -> None:
        self.data = data
        self.found: dict[str, list[int]] = {}

    def next(self, pair: str, start: int) -> int:
        """The first position >= ``start`` where ``pair`` begins, or -1."""
        spots = self.found.get(pair)
        if spots is None:
            spots, at = [], self.data.find(pair)
            while at >= 0:
                spots.append(at)
                at = self.data.find(pair, at + 1)
            self.found[pair] = spots
        i = bisect_left(spots, start)
        return spots[i] if i < len(spots) else -1


def matches(data: str, pattern: int) -> list[Match]:
    """``re.findall`` of the sniffer's pattern 1-4 over ``data`` (DOTALL, MULTILINE)."""
    index = _Index(data)
    n = len(data)

    def line_end(q: str, start: int) -> int:  # the quote then ``$`` or a newline
        k = index.next(q + "\n", start)
        last = n - 1 if n - 1 >= start and data[n - 1] == q else -1
        return k if k >= 0 and (last < 0 or k < last) else last

    def quote_then_delim(q: str, start: int) -> int:  # the quote then any delimiter
        spots = closing.get(q)
        if spots is None:
            spots = closing[q] = [k for k in _quotes(data, 0)
                                  if data[k] == q and k + 1 < n and _delim(data[k + 1])]
        i = bisect_left(spots, start)
        return spots[i] if i < len(spots) else -1

    closing: dict[str, list[int]] = {}

    out: list[Match] = []
    pos = 0
    if pattern in (1, 3):  # D S? Q .*? Q then D (1) or end of line (3)
        for j in _quotes(data, 1):
            for i in (j - 2, j - 1):
                if i < pos or not _delim(data[i]) or (i == j - 2 and data[j - 1] != " "):
                    continue
                q, d, space = data[j], data[i], " " if i == j - 2 else ""
                k = index.next(q + d, j + 1) if pattern == 1 else line_end(q, j + 1)
                if k >= 0:
                    out.append((q, d, space))
                    pos = k + (2 if pattern == 1 else 1)
                    break
    else:  # (^ or \n) Q .*? Q then D S? (2) or end of line (4)
        for j in _quotes(data, 0):
            if j < pos or not (j == 0 or data[j - 1] == "\n"):
                continue
            q = data[j]
            if pattern == 2:
                k = quote_then_delim(q, j + 1)
                if k >= 0:
                    space = " " if k + 2 < n and data[k + 2] == " " else ""
                    out.append((q, data[k + 1], space))
                    pos = k + 2 + len(space)
            else:
                k = line_end(q, j + 1)
                if k >= 0:
                    out.append((q, None, None))
                    pos = k + 1
    return out


def _quotes(data: str, first: int) -> list[int]:
    """Positions of quote characters from ``first`` on."""
    found = [m.start() for m in re.finditer("[\"']", data)]
    return [j for j in found if j >= first]


class Sniffer(csv.Sniffer):
    """``csv.Sniffer``, giving the same dialects with less work."""

    def _guess_quote_and_delimiter(
        self, data: str, delimiters: str | None
    ) -> tuple[str, bool, str | None, int | bool]:
        found: list[Match] = []
        for pattern in (1, 2, 3, 4):
            found = matches(data, pattern)
            if found:
                break
        if not found:
            return ("", False, None, 0)
        quotes: dict[str, int] = {}
        delims: dict[str, int] = {}
        spaces = 0
        for quote, delim, space in found:
            quotes[quote] = quotes.get(quote, 0) + 1
            if delim is None:
                continue
            if delim and (delimiters is None or delim in delimiters):
                delims[delim] = delims.get(delim, 0) + 1
            if space:
                spaces += 1
        quotechar = max(quotes, key=_getter(quotes))
        if delims:
            delim = max(delims, key=_getter(delims))
            skipinitialspace: int | bool = delims[delim] == spaces
            if delim == "\n":
                delim = ""
        else:
            delim, skipinitialspace = "", 0
        quoted = r"(({delim})|^)\W*{quote}[^{delim}\n]*{quote}[^{delim}\n]*{quote}\W*(({delim})|$)"
        dq = re.compile(quoted.format(delim=re.escape(delim), quote=quotechar), re.MULTILINE)
        return (quotechar, bool(dq.search(data)), delim, skipinitialspace)


    def _guess_delimiter(
        self, data: str, delimiters: str | None
    ) -> tuple[str, int | bool]:
        """The standard library's frequency method, counting only the candidate delimiters.

        It tallies all 127 ASCII characters on every line, but only candidates can
        be chosen and each character is tallied on its own: the answer is the same.
        """
        lines = [ln for ln in data.split("\n") if ln]
        chars = [chr(c) for c in range(127) if delimiters is None or chr(c) in delimiters]
        chunk = min(10, len(lines))
        frequency: dict[str, dict[int, int]] = {}
        modes: dict[str, tuple[int, int]] = {}
        delims: dict[str, tuple[int, int]] = {}
        start, end, iteration = 0, chunk, 0
        while start < len(lines):
            iteration += 1
            for line in lines[start:end]:
                for char in chars:
                    meta = frequency.setdefault(char, {})
                    count = line.count(char)
                    meta[count] = meta.get(count, 0) + 1
            for char, meta in frequency.items():
                items = list(meta.items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                if len(items) > 1:
                    mode = max(items, key=lambda x: x[1])
                    items.remove(mode)
                    modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
                else:
                    modes[char] = items[0]
            total = float(min(chunk * iteration, len(lines)))
            consistency = 1.0
            while not delims and consistency >= 0.9:
                for k, v in modes.items():
                    if v[0] > 0 and v[1] > 0 and v[1] / total >= consistency:
                        delims[k] = v
                consistency -= 0.01
            if len(delims) == 1:
                delim = next(iter(delims))
                return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
            start, end = end, end + chunk
        if not delims:
            return "", 0
        if len(delims) > 1:
            for d in self.preferred:
                if d in delims:
                    return d, lines[0].count(d) == lines[0].count(f"{d} ")
        delim = max((v, k) for k, v in delims.items())[1]
        return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


def _getter(counts: dict[str, int]) -> Callable[[str], int]:
    return lambda k: counts[k]
