"""What the files hold, read back the way users read them: GraphML with networkx (as Gephi
and visone read GraphML), CSV with pandas."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from annotator.errors import InputError
from annotator.network import io
from annotator.network.build import build_networks
from annotator.network.options import Aggregation, Calendar, Mode, NetworkOptions, Normalisation
from tests.network.fixtures import N, S, T, debate


def build(codebook, **kw):
    return build_networks(debate(), codebook, NetworkOptions(**kw))


def test_two_mode_graphml_reads_back_with_its_attributes(tmp_path: Path, codebook) -> None:
    (network,) = build(codebook).networks
    path = io.write_graphml(network, tmp_path / "two.graphml")
    g = nx.read_graphml(path)
    ours = {k: v for k, v in g.graph.items() if not k.endswith("_default")}  # networkx's own
    assert ours == {
        "mode": "twomode",
        "aggregation": "subtract",
        "normalisation": "no",
        "labels": "majority",
        "duplicates": "article",
        "statements": 10,
    }
    assert sorted(n for n, d in g.nodes(data=True) if d["mode"] == "actor") == [
        "actor:A",
        "actor:B",
        "actor:C",
        "actor:D",
    ]
    assert g.nodes["target:ground_troops"] == {
        "label": "Troops",
        "mode": "target",
        "bipartite": 1,
        "target": T,
        "n_against": 1,
        "n_neutral": 0,
        "n_favor": 3,
        "statements": 4,
        "net_stance": 0.5,
    }
    a = g.nodes["actor:A"]
    assert (a["label"], a["statements"], a["n_favor"], a["n_against"]) == ("A", 3, 2, 1)
    assert a["net_stance"] == pytest.approx(1 / 3)
    edge = g.edges["actor:D", "target:ground_troops"]
    assert edge == {"weight": 2.0, "statements": 2, "n_against": 0, "n_neutral": 0, "n_favor": 2}
    assert g.edges["actor:C", "target:defence_spending"]["weight"] == 0.0  # a neutral statement
    assert not g.has_edge("actor:C", "target:ground_troops")
    assert g.number_of_edges() == 9


def test_one_mode_graphml(tmp_path: Path, codebook) -> None:
    (network,) = build(codebook, mode=Mode.ONEMODE, normalisation=Normalisation.AVERAGE).networks
    g = nx.read_graphml(io.write_graphml(network, tmp_path / "one.graphml"))
    assert g.graph["aggregation"] == "congruence" and g.graph["normalisation"] == "average"
    assert {(a, b): round(w, 6) for a, b, w in g.edges(data="weight")} == {
        ("A", "B"): round(2 / 3, 6),
        ("A", "C"): 0.2,
        ("A", "D"): 0.8,
        ("B", "C"): 0.2,
    }
    assert g.nodes["D"] == {
        "label": "D",
        "type": "",
        "n_against": 0,
        "n_neutral": 0,
        "n_favor": 2,
        "statements": 2,
        "net_stance": 1.0,
    }


def test_combine_edges_say_which_combination(tmp_path: Path, codebook) -> None:
    (network,) = build(codebook, aggregation=Aggregation.COMBINE).networks
    g = nx.read_graphml(io.write_graphml(network, tmp_path / "c.graphml"))
    assert g.edges["actor:C", "target:defence_spending"]["combine"] == "neutral"
    assert g.edges["actor:B", "target:ground_troops"]["combine"] == "against"
    path = io.write_edges([network], tmp_path / "c.csv")
    assert set(pd.read_csv(path, keep_default_na=False)["combine"]) == {
        "favor",
        "against",
        "neutral",
    }


def test_the_event_list_reads_with_pandas(tmp_path: Path, codebook) -> None:
    path = io.write_events(debate(), codebook.stance_ids, tmp_path / "events.csv")
    events = pd.read_csv(path)
    assert list(events.columns) == list(io.EVENT_COLUMNS)
    assert len(events) == 10
    assert events["value"].tolist() == [1, 1, -1, 1, -1, -1, -1, 0, 1, 1]
    first = events.loc[0, ["actor", "target", "stance", "date", "article", "annotator"]]
    assert first.tolist() == ["A", N, "favor", "2024-01-10", "a1", "anna"]
    assert pd.isna(events.loc[9, "date"])
    dated = pd.to_datetime(events["date"], format="mixed")  # month-only dates parse too
    assert dated.notna().sum() == 9


def test_edge_list_and_matrix_csv(tmp_path: Path, codebook) -> None:
    s = build(codebook, window=Calendar.QUARTER)
    edges = pd.read_csv(io.write_edges(s.networks, tmp_path / "edges.csv"))
    assert list(edges.columns) == [
        "window",
        "window_start",
        "window_end",
        "actor",
        "target",
        "weight",
        "statements",
        "n_against",
        "n_neutral",
        "n_favor",
    ]
    assert edges.groupby("window")["statements"].sum().to_dict() == {"2024-Q1": 6, "2024-Q2": 3}
    d = edges[edges.actor == "D"].iloc[0]
    assert (d.window_start, d.window_end, d.target, d.weight) == ("2024-04-01", "2024-06-30", T, 1)
    matrix = pd.read_csv(io.write_matrix(s.networks[0], tmp_path / "m.csv"), index_col="actor")
    assert list(matrix.columns) == [N, T, S]
    assert matrix.loc["B"].tolist() == [1, -1, -1]
    (one,) = build(codebook, mode=Mode.ONEMODE).networks
    square = pd.read_csv(io.write_matrix(one, tmp_path / "one.csv"), index_col="actor")
    assert list(square.columns) == ["A", "B", "C", "D"]
    assert square.loc["A"].tolist() == [0, 2, 0.5, 2]
    pairs = pd.read_csv(io.write_edges([one], tmp_path / "pairs.csv"))
    assert pairs[["actor_a", "actor_b", "weight", "shared_targets"]].values.tolist() == [
        ["A", "B", 2, 3],
        ["A", "C", 0.5, 2],
        ["A", "D", 2, 1],
        ["B", "C", 0.5, 2],
    ]


def test_the_project_file_is_refused(tmp_path: Path, codebook) -> None:
    (network,) = build(codebook).networks
    project = tmp_path / "p.db"
    project.write_bytes(b"")
    with pytest.raises(InputError, match="project's own file"):
        io.write_graphml(network, project, protect=[project])
    assert project.read_bytes() == b""
