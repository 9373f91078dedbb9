"""The figures: drawn without Qt or pyplot, saved as PNG and SVG, with what a reader needs."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.network import figures, io
from annotator.network.build import build_networks
from annotator.network.options import Aggregation, Mode, NetworkOptions
from tests.network.fixtures import debate

PNG = b"\x89PNG\r\n\x1a\n"


def network(codebook, **kw):
    (n,) = build_networks(debate(), codebook, NetworkOptions(**kw)).networks
    return n


def test_stance_map_png_and_svg(tmp_path: Path, codebook) -> None:
    figure = figures.stance_map(network(codebook), codebook)
    ax = figure.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(rows) == ["A", "B", "C", "D"]
    assert abs(rows.index("A") - rows.index("B")) == 1  # similar profiles side by side
    assert [t.get_text() for t in ax.get_xticklabels()] == ["NATO", "Troops", "Spending"]
    assert sorted(t.get_text() for t in ax.texts) == ["1"] * 8 + ["2"]  # statements per cell
    png = io.write_figure(figure, tmp_path / "map.png", "png")
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000
    svg = io.write_figure(figure, tmp_path / "map.svg", "svg")
    assert b"<svg" in svg.read_bytes()[:1000]


def test_network_drawing(tmp_path: Path, codebook) -> None:
    one = network(codebook, mode=Mode.ONEMODE, aggregation=Aggregation.SUBTRACT)
    positions = figures.layout(one, seed=3)
    assert positions == figures.layout(one, seed=3)  # the same seed, the same picture
    figure = figures.network_figure(one, codebook, positions=positions)
    ax = figure.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "C", "D"]
    solid, dashed = ax.collections[0], ax.collections[1]
    assert (
        len(solid.get_segments()) == 2 and len(dashed.get_segments()) == 3
    )  # +: AB AD; -: AC BC BD
    dots = ax.collections[2]
    assert dots.get_array().tolist() == pytest.approx([1 / 3, -1 / 3, -0.5, 1.0], abs=1e-6)
    png = io.write_figure(figure, tmp_path / "net.png", "png")
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000


def test_timeline(tmp_path: Path, codebook) -> None:
    figure = figures.timeline(debate(), "D", codebook)
    assert len(figure.axes) == 3  # one row per target
    assert "1 undated statement(s) not shown" in figure.axes[0].get_title()
    assert [ax.get_ylabel() for ax in figure.axes] == ["NATO", "Troops", "Spending"]
    troops = figure.axes[1]
    assert len(troops.collections) == 1  # one dot: 2024-05-01
    b = figures.timeline(debate(), "B", codebook)
    assert len(b.axes[1].lines) == 1  # "2024-03" drawn as a bar over March
    png = io.write_figure(b, tmp_path / "t.png", "png")
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000


def test_empty_figures_say_so(codebook) -> None:
    empty = build_networks([], codebook, NetworkOptions()).networks[0]
    assert figures.stance_map(empty, codebook).axes[0].texts[0].get_text() == "No statements"
    lone = build_networks([], codebook, NetworkOptions(mode=Mode.ONEMODE)).networks[0]
    assert figures.network_figure(lone, codebook).axes[0].texts[0].get_text() == "No statements"


def test_figures_need_neither_qt_nor_pyplot() -> None:
    code = (
        "import sys, annotator.network.figures as f, annotator.network.run; "
        "print(sorted(m for m in ('PySide6', 'matplotlib.pyplot') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


def test_names_with_dollar_signs_are_drawn_as_text(tmp_path: Path, codebook) -> None:
    """matplotlib read text between two '$' as a formula: '$\\foo$' stopped the drawing
    (ParseFatalException) and '$x$' came out in italics (annotator/plotting.py)."""
    odd = {"A": "A $\\foo$", "B": "$x$ B", "C": "C", "D": "D $"}
    statements = [replace(s, actor=odd[s.actor]) for s in debate()]
    (one,) = build_networks(
        statements, codebook,
        NetworkOptions(mode=Mode.ONEMODE, aggregation=Aggregation.SUBTRACT),
    ).networks  # fmt: skip
    (two,) = build_networks(statements, codebook, NetworkOptions()).networks
    drawn = [
        figures.stance_map(two, codebook),
        figures.network_figure(one, codebook),
        figures.timeline(statements, "A $\\foo$", codebook),
    ]
    for i, figure in enumerate(drawn):
        png = io.write_figure(figure, tmp_path / f"{i}.png", "png")  # draws every text
        assert png.read_bytes().startswith(PNG)
    rows = {t.get_text() for t in drawn[0].axes[0].get_yticklabels()}
    assert rows == set(odd.values())
    assert all(not t.get_parse_math() for t in drawn[0].axes[0].get_yticklabels())
