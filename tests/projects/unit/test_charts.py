"""The dashboard's SVG charts: plain functions from numbers to markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from datadam.projects.charts import bar_chart, meter_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall("svg:rect[@class='col']", NS)


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_largest():
    root = parse(bar_chart([("09:00", 2), ("10:00", 4), ("11:00", 0)], title="Per hour",
                           empty_text="none"))
    drawn = bars(root)
    assert [b.get("data-value") for b in drawn] == ["2", "4", "0"]
    heights = [float(b.get("height")) for b in drawn]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert heights[2] == 0
    # Bars stand on the same base line.
    bases = {round(float(b.get("y")) + float(b.get("height")), 2) for b in drawn}
    assert len(bases) == 1


def test_bar_chart_is_labelled_for_screen_readers_and_hover():
    root = parse(bar_chart([("09:00", 3)], title="Submissions", empty_text="none"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Submissions"
    assert root.find("svg:title", NS).text == "Submissions"
    assert bars(root)[0].find("svg:title", NS).text == "09:00: 3"


def test_bar_chart_writes_every_nth_axis_label():
    series = [(f"{h:02d}:00", h) for h in range(12)]
    root = parse(bar_chart(series, title="t", empty_text="none", tick_every=6))
    texts = [t.text for t in root.findall("svg:text", NS)]
    assert "00:00" in texts and "06:00" in texts
    assert "01:00" not in texts


def test_bar_chart_escapes_text():
    svg = bar_chart([("<b>&", 1)], title='a "quoted" <title>', empty_text="none")
    root = parse(svg)  # well-formed despite the markup characters
    assert root.get("aria-label") == 'a "quoted" <title>'
    assert "<b>" not in svg


def test_bar_chart_of_an_empty_series_says_so():
    root = parse(bar_chart([], title="Per hour", empty_text="No submissions yet"))
    assert bars(root) == []
    assert root.find("svg:text[@class='empty']", NS).text == "No submissions yet"


def test_bar_chart_of_only_zeros_draws_flat_bars():
    root = parse(bar_chart([("a", 0), ("b", 0)], title="t", empty_text="none"))
    assert [float(b.get("height")) for b in bars(root)] == [0, 0]


def test_bar_chart_refuses_negative_values():
    with pytest.raises(ValueError):
        bar_chart([("a", -1)], title="t", empty_text="none")


def test_meter_chart_fills_parts_in_proportion_to_the_total():
    root = parse(meter_chart([("Spent", 25, "#00f"), ("Reserved", 50, "#99f")], total=100,
                             title="Budget", empty_text="none", width=400))
    parts = root.findall("svg:rect[@class='part']", NS)
    assert [(p.get("x"), p.get("width"), p.get("fill")) for p in parts] == [
        ("0", "100", "#00f"), ("100", "200", "#99f"),
    ]
    assert parts[0].find("svg:title", NS).text == "Spent: 25"


def test_meter_chart_clips_parts_beyond_the_total_and_skips_empty_ones():
    root = parse(meter_chart([("a", 0, "#000"), ("b", 80, "#111"), ("c", 80, "#222")],
                             total=100, title="t", empty_text="none", width=100))
    parts = root.findall("svg:rect[@class='part']", NS)
    assert [(p.get("data-value"), p.get("width")) for p in parts] == [("80", "80"), ("80", "20")]


def test_meter_chart_without_a_total_says_so():
    root = parse(meter_chart([("Spent", 0, "#000")], total=0, title="t",
                             empty_text="No budget yet"))
    assert root.findall("svg:rect[@class='part']", NS) == []
    assert root.find("svg:text[@class='empty']", NS).text == "No budget yet"
