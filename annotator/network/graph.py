"""A network as a networkx graph, with the attributes Gephi, visone and R users colour by.

Two-mode node ids are "actor:NAME" and "target:ID" (an actor could be called like a
target); one-mode node ids are the actors' names. Every node has a `label`. Values are
plain Python numbers and strings, so GraphML gets int/double/string keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from annotator.network.matrix import COMBINE_CODES, net_stance
from annotator.network.options import Aggregation, Mode

if TYPE_CHECKING:
    from annotator.network.build import Network


def actor_node(name: str) -> str:
    return f"actor:{name}"


def target_node(target: str) -> str:
    return f"target:{target}"


def _stance_attrs(stances: list[str], counts: np.ndarray) -> list[dict[str, Any]]:
    """Per row of a (rows x stances) count table: n_<stance>, statements, net_stance."""
    rows = []
    for row, net in zip(counts.astype(np.int64).tolist(), net_stance(counts).tolist(), strict=True):
        attrs: dict[str, Any] = {f"n_{s}": n for s, n in zip(stances, row, strict=True)}
        attrs["statements"] = sum(row)
        attrs["net_stance"] = round(net, 6)
        rows.append(attrs)
    return rows


def graph_attributes(network: Network) -> dict[str, Any]:
    """What a GraphML file says about how its network was made."""
    o = network.options
    attrs: dict[str, Any] = {
        "mode": o.mode.value,
        "aggregation": o.qualifier.value,
        "normalisation": o.normalisation.value,
        "labels": o.source,
        "duplicates": o.duplicates.value,
        "statements": network.statements,
    }
    if network.window is not None:
        attrs |= {
            "window": network.window.label,
            "window_start": network.window.start.isoformat(),
            "window_end": network.window.end.isoformat(),
        }
    return attrs


def to_graph(network: Network) -> nx.Graph:
    graph = nx.Graph(**graph_attributes(network))
    per_actor = _stance_attrs(network.stances, network.counts.sum(axis=1))
    if network.mode is Mode.ONEMODE:
        _one_mode(graph, network, per_actor)
    else:
        _two_mode(graph, network, per_actor)
    return graph


def _one_mode(graph: nx.Graph, network: Network, per_actor: list[dict[str, Any]]) -> None:
    names = network.actors
    for name, attrs in zip(names, per_actor, strict=True):
        graph.add_node(name, label=name, type=network.actor_types.get(name, ""), **attrs)
    weights = network.weights
    assert not isinstance(weights, np.ndarray)
    # Only the weight, as in DNA's GraphML: an attribute more costs a quarter more time in
    # networkx's writer; the edge list CSV also has the shared targets.
    ends = zip(weights.row.tolist(), weights.col.tolist(), weights.data.tolist(), strict=True)
    graph.add_weighted_edges_from((names[i], names[j], w) for i, j, w in ends)


def _two_mode(graph: nx.Graph, network: Network, per_actor: list[dict[str, Any]]) -> None:
    for name, attrs in zip(network.actors, per_actor, strict=True):
        graph.add_node(
            actor_node(name),
            label=name,
            mode="actor",
            bipartite=0,
            type=network.actor_types.get(name, ""),
            **attrs,
        )
    per_target = _stance_attrs(network.stances, network.counts.sum(axis=0))
    for target, attrs in zip(network.targets, per_target, strict=True):
        graph.add_node(
            target_node(target),
            label=network.target_labels.get(target, target),
            mode="target",
            bipartite=1,
            target=target,
            **attrs,
        )
    weights = network.matrix()
    combine = network.options.qualifier is Aggregation.COMBINE
    cells = network.counts.astype(np.int64)
    for i, j in zip(*np.nonzero(cells.sum(axis=2)), strict=True):
        counts = cells[i, j].tolist()
        edge: dict[str, Any] = {"weight": float(weights[i, j]), "statements": sum(counts)}
        edge |= {f"n_{s}": n for s, n in zip(network.stances, counts, strict=True)}
        if combine:
            edge["combine"] = COMBINE_CODES[int(weights[i, j])]
        graph.add_edge(actor_node(network.actors[i]), target_node(network.targets[j]), **edge)
