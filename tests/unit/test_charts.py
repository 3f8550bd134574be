from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.report import charts

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text(e: ET.Element, tag: str) -> str:
    """The text of ``e``'s first ``tag`` child (SVG namespace); fails when it has none."""
    child = e.find(f"{SVG}{tag}")
    assert child is not None and child.text is not None, tag
    return child.text


def num(e: ET.Element, attr: str) -> float:
    value = e.get(attr)
    assert value is not None, attr
    return float(value)


def marks(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("class") == "mark"]


def test_bar_chart_one_mark_per_item_with_accessible_names() -> None:
    root = parse(charts.bar_chart([("SHCP", 10), ("INEGI", 5)], title="Datasets", desc="per institution"))
    assert root.get("role") == "img"
    assert text(root, "title") == "Datasets"
    assert text(root, "desc") == "per institution"
    bars = marks(root)
    assert len(bars) == 2
    widths = [num(b, "width") for b in bars]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert text(bars[1], "title") == "INEGI: 5"


def test_text_is_escaped_and_never_markup() -> None:
    out = charts.bar_chart([(EVIL, 1.0)], title=EVIL)
    root = parse(out)  # well-formed XML even with hostile labels
    assert not [e for e in root.iter() if e.tag in {f"{SVG}script", "script", f"{SVG}img", "img"}]
    assert not [k for e in root.iter() for k in e.attrib if k.startswith("on")]
    assert text(root, "title") == EVIL
    for fn in (charts.stacked_share, charts.line_chart):
        parse(fn([(EVIL, 2.0), ("b", 1.0)], title=EVIL))
    parse(charts.grouped_bars([EVIL], [(EVIL, [0.5])], title=EVIL))


def test_histogram_bins_and_marks() -> None:
    counts = charts.bins([0, 10, 55, 99.9, 100, 100], [0, 25, 50, 75, 100])
    assert counts == [2, 0, 1, 3]
    root = parse(charts.histogram(counts, [0, 25, 50, 75, 100], title="MQA", xlabel="points", ylabel="n"))
    assert len(marks(root)) == 4
    heights = [num(m, "height") for m in marks(root)]
    assert heights[1] == 0 and heights[3] == max(heights)
    with pytest.raises(ValueError):
        charts.histogram([1, 2], [0, 1], title="x", xlabel="x", ylabel="y")


def test_stacked_share_widths_add_up() -> None:
    root = parse(charts.stacked_share([("ok", 3), ("broken", 1), ("unknown", 0)], title="Links", width=400))
    parts = marks(root)
    assert len(parts) == 2  # a zero share draws no mark but keeps its legend entry
    assert sum(num(p, "width") for p in parts) == pytest.approx(400, abs=0.2)
    assert "75%" in text(parts[0], "title")


def test_line_chart_breaks_on_missing_points() -> None:
    root = parse(charts.line_chart([("r1", 1), ("r2", None), ("r3", 2), ("r4", 3)], title="trend"))
    assert len(marks(root)) == 3
    lines = [e for e in root.iter() if e.get("class") == "mark-line"]
    assert len(lines) == 1 and len(str(lines[0].get("points")).split()) == 2


def test_grouped_bars_series_per_category() -> None:
    root = parse(
        charts.grouped_bars(["Findability", "Accessibility"], [("SHCP", [80, 20]), ("mean", [60, None])],
                            title="dims", max_value=100)
    )
    assert len(marks(root)) == 3


def test_empty_data_draws_a_message_not_marks() -> None:
    for svg in (
        charts.bar_chart([], title="t", empty="No data"),
        charts.histogram([0, 0], [0, 1, 2], title="t", xlabel="x", ylabel="y", empty="No data"),
        charts.stacked_share([("a", 0)], title="t", empty="No data"),
        charts.line_chart([("a", None)], title="t", empty="No data"),
        charts.grouped_bars([], [], title="t", empty="No data"),
    ):
        root = parse(svg)
        assert not marks(root)
        assert "No data" in "".join(root.itertext())


def test_no_style_attributes_so_a_strict_csp_allows_them() -> None:
    svg = charts.grouped_bars(["a"], [("s", [1.0])], title="t") + charts.line_chart([("a", 1)], title="t")
    assert "style=" not in svg


@given(st.lists(st.tuples(st.text(max_size=40), st.floats(0, 1e9, allow_nan=False)), max_size=30))
def test_bar_chart_always_well_formed(items: list[tuple[str, float]]) -> None:
    clean = [("".join(c for c in label if c.isprintable()), v) for label, v in items]
    root = parse(charts.bar_chart(clean, title="t"))
    assert len(marks(root)) == len(clean)
    assert all(0 <= num(m, "width") <= 640 for m in marks(root))


def test_axis_tops_are_round() -> None:
    assert [charts.nice_ceiling(v) for v in (251, 8, 1, 0.3, 0, 1001, 45)] == pytest.approx(
        [300.0, 8.0, 1.0, 0.3, 1.0, 1200.0, 50.0])
