"""MQA rating bands (quality-methods §1.4).

=========== ==========
rating      points
=========== ==========
excellent   351–405
good        221–350
sufficient  121–220
bad         0–120
=========== ==========

A dataset score is an integer; a mean (publisher, catalogue) is a real number
and takes the band whose lower edge it exceeds: 350.5 is excellent, 120.5 is
sufficient. Scores below 0 (possible through the −5 penalties) are bad.
"""

from __future__ import annotations

from typing import Literal

Rating = Literal["excellent", "good", "sufficient", "bad"]
RATINGS: tuple[Rating, ...] = ("excellent", "good", "sufficient", "bad")

#: (rating, lowest integer score in the band)
BANDS: tuple[tuple[Rating, int], ...] = (("excellent", 351), ("good", 221), ("sufficient", 121), ("bad", 0))


def rating(score: float) -> Rating:
    """The band of a dataset score or of a mean score."""
    if score > 350:
        return "excellent"
    if score > 220:
        return "good"
    if score > 120:
        return "sufficient"
    return "bad"
