"""Benchmark: 100,000 statements -> one-mode congruence network -> GraphML.

    python bench/network.py [--statements 100000] [--actors 300] [--repeat 5] [--project]

Statements: synthetic, in memory: actors with a skewed activity (the k-th most active says
about 1/k^0.8 as much as the first), the codebook's three targets, stances at random, dates
over 2024. With 300 actors nearly every pair shares a target: ~45,000 ties.

- ours: `build_networks` (statement array, sparse products, average normalisation) and
  `io.write_graphml` (the networkx graph with node attributes, networkx's GraphML writer,
  written to a temporary file, synced and renamed).
- reference, in the same run: networkx building the same graph (the same nodes with the
  same attributes, the same weighted edges) from a prepared edge list and writing it with
  `nx.write_graphml` to a file that is then synced.

Each runs --repeat times, taking turns; the best run of each counts, and the ratio is the
median of the turns' ratios (the machines are shared and noisy). Target: ours < 2 s.
--project also builds a project file with as many labels and times reading the statements
from it (`read_statements`, majority labels), separately.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from annotator.codebook import Codebook, load_codebook  # noqa: E402
from annotator.network import io  # noqa: E402
from annotator.network.build import Network, build_networks  # noqa: E402
from annotator.network.graph import to_graph  # noqa: E402
from annotator.network.options import Mode, NetworkOptions, Normalisation  # noqa: E402
from annotator.network.statements import Statement, read_statements  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402
from annotator.store.models import Actor, Annotator, Article, StanceAnnotation  # noqa: E402

OPTIONS = NetworkOptions(mode=Mode.ONEMODE, normalisation=Normalisation.AVERAGE)


def synthetic(n: int, actors: int, codebook: Codebook, seed: int = 1) -> list[Statement]:
    rnd = random.Random(seed)
    names = [f"Akteur {i:04d}" for i in range(actors)]
    chosen = rnd.choices(names, weights=[1 / (k + 1) ** 0.8 for k in range(actors)], k=n)
    targets, stances = codebook.target_ids, codebook.stance_ids
    return [
        Statement(
            actor=actor,
            target=rnd.choice(targets),
            stance=rnd.choice(stances),
            date=f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            article=f"a{i // 5}",
            actor_type="PER",
        )
        for i, actor in enumerate(chosen)
    ]


def settle() -> None:
    gc.collect()
    os.sync()


def ours(statements: list[Statement], codebook: Codebook, path: Path) -> tuple[float, Network]:
    settle()
    start = time.perf_counter()
    (network,) = build_networks(statements, codebook, OPTIONS).networks
    io.write_graphml(network, path)
    return time.perf_counter() - start, network


def prepared(network: Network) -> tuple[list, list]:
    """The edge list and node list the reference starts from (not timed)."""
    graph = to_graph(network)
    return list(graph.nodes(data=True)), list(graph.edges(data="weight"))


def reference(nodes: list, edges: list, attrs: dict, path: Path) -> float:
    settle()
    start = time.perf_counter()
    graph = nx.Graph(**attrs)
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    with path.open("wb") as fh:
        nx.write_graphml(graph, fh, encoding="utf-8")
        fh.flush()
        os.fsync(fh.fileno())
    return time.perf_counter() - start


def build_project(path: Path, statements: list[Statement]) -> None:
    """One annotator's labels, five per article (no two on the same actor and target)."""
    project = open_project(str(path))
    with project.write() as s:
        ann = s.execute(insert(Annotator).values(name="bench")).inserted_primary_key[0]  # type: ignore[attr-defined]
        names = sorted({st.actor for st in statements})
        s.execute(insert(Actor), [{"name": n, "label": "PER", "type": "person"} for n in names])
        ids = dict(
            s.execute(
                Actor.__table__.select().with_only_columns(  # type: ignore[attr-defined]
                    Actor.id, Actor.name
                )
            ).all()
        )
        by_name = {name: i for i, name in ids.items()}
        articles = sorted({st.article for st in statements}, key=lambda a: int(a[1:]))
        s.execute(
            insert(Article),
            [
                {
                    "external_id": a,
                    "title": a,
                    "text": f"Text {a}",
                    "meta": {},
                    "text_sha256": a,
                    "date": "2024-06-01",
                }
                for a in articles
            ],
        )
        article_ids = dict(
            s.execute(
                Article.__table__.select().with_only_columns(  # type: ignore[attr-defined]
                    Article.external_id, Article.id
                )
            ).all()
        )
        seen, rows = set(), []
        for st in statements:
            key = (st.article, st.actor, st.target)
            if key not in seen:
                seen.add(key)
                row = {"article_id": article_ids[st.article], "actor_id": by_name[st.actor]}
                rows.append(row | {"target": st.target, "stance": st.stance, "annotator_id": ann})
        s.execute(insert(StanceAnnotation), rows)
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--project", action="store_true")
    args = parser.parse_args()
    codebook = load_codebook()
    statements = synthetic(args.statements, args.actors, codebook)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, network = ours(statements, codebook, folder / "warm.graphml")  # imports, caches
        nodes, edges = prepared(network)
        attrs = dict(to_graph(network).graph)
        mine, theirs, ratios = [], [], []
        for _ in range(args.repeat):
            a, _ = ours(statements, codebook, folder / "ours.graphml")
            b = reference(nodes, edges, attrs, folder / "reference.graphml")
            mine.append(a)
            theirs.append(b)
            ratios.append(a / b)
        check = nx.read_graphml(folder / "ours.graphml")
        assert check.number_of_edges() == len(edges)
        size = (folder / "ours.graphml").stat().st_size / 1e6
        print(
            f"{args.statements:,} statements, {len(nodes)} actors, {len(edges):,} ties, "
            f"GraphML {size:.1f} MB; best of {args.repeat} runs"
        )
        print(
            f"  ours (network + GraphML):           {min(mine):.2f} s  (runs: "
            + ", ".join(f"{t:.2f}" for t in mine)
            + ")"
        )
        print(
            f"  networkx from the edge list + GraphML: {min(theirs):.2f} s  (runs: "
            + ", ".join(f"{t:.2f}" for t in theirs)
            + ")"
        )
        print(f"  ratio ours / reference: {statistics.median(ratios):.2f} (median of turns)")
        settle()
        start = time.perf_counter()
        build_networks(statements, codebook, OPTIONS)
        print(
            f"  of which the network alone (no graph, no file): {time.perf_counter() - start:.3f} s"
        )
        if args.project:
            path = folder / "bench.db"
            build_project(path, statements)
            project = open_project(str(path))
            times = []
            for _ in range(args.repeat):
                settle()
                start = time.perf_counter()
                read = read_statements(project, codebook, NetworkOptions())
                times.append(time.perf_counter() - start)
            project.close()
            print(
                f"  reading {len(read.items):,} majority statements from a project file: "
                f"{min(times):.2f} s (best of {args.repeat})"
            )


if __name__ == "__main__":
    main()
