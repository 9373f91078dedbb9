"""Benchmark: 8 annotators labelling at once, on one SQLite file and on a local PostgreSQL.

    python bench/server.py [--pg URL] [--writers 8] [--labels 100] [--rounds 3] [--seconds 30]

Each writer is a process with its own connection that labels through LabellingSession, as
the GUI does (read the cell, write it in one short transaction with its history row). All
writers label the same cells of the same articles, each as their own annotator, changing
the stance every time. Figures per setup: labels per second over all writers (from the
common start to the last writer's end) and the 95th percentile of one label's latency,
each the median of --rounds rounds; the setups take turns within a round, so load from
elsewhere on the machine hits them alike.

- sqlite: one project file (WAL, synchronous=FULL: one writer at a time). The reference.
- postgres, own roles: team mode as docs/team.md sets it up: `server init`, one database
  role per annotator, row-level security on. Writes of different roles run in parallel.
- postgres, one role: everybody connects as the same user; writes are serialised per role
  (see store/engine.py), so this shows what the per-role lock costs.

--pg (default: $ANNOTATOR_TEST_PG) must be a loopback server where the user may create
schemas and roles; the benchmark works in a schema and roles of its own and drops them.
Bounded: at most --labels per writer and --seconds per setup and round.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, make_url, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402
from sqlmodel import select  # noqa: E402

from annotator.codebook import load_codebook  # noqa: E402
from annotator.labelling import LabellingSession  # noqa: E402
from annotator.server.roles import init_server  # noqa: E402
from annotator.store.annotators import get_or_create_annotator  # noqa: E402
from annotator.store.engine import normalise_url, open_project  # noqa: E402
from annotator.store.labels import CellKey  # noqa: E402
from annotator.store.models import Actor, Article, LabelEvent  # noqa: E402

ARTICLES, ACTORS = 10, 5
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
PASSWORD = "bench-password"


def fill(db: str, writers: int) -> None:
    text_ = "Pistorius fordert mehr Geld für die Bundeswehr. Masala widerspricht. " * 10
    with open_project(db) as project, project.write() as s:
        for i in range(ARTICLES):
            s.add(Article(external_id=f"b{i}", title=f"B{i}", text=text_, text_sha256=f"{i}"))
        for i in range(ACTORS):
            s.add(Actor(name=f"Akteur {i}", label="PER", type="person"))
    with open_project(db) as project:
        for w in range(writers):
            get_or_create_annotator(project, f"w{w}")


def writer(db: str, name: str, labels: int, round_: int, seconds: float, start, out) -> None:  # type: ignore[no-untyped-def]
    codebook = load_codebook()
    project = open_project(db, create=False)
    session = LabellingSession(project, codebook, get_or_create_annotator(project, name))
    cells = [
        CellKey(article, actor, target)
        for article in range(1, ARTICLES + 1)
        for actor in range(1, ACTORS + 1)
        for target in codebook.target_ids
    ]
    stances = codebook.stance_ids
    passes = -(-labels // len(cells))  # passes over the cells per round
    session.cell(cells[0])  # connect before the clock starts
    latencies: list[float] = []
    start.wait()
    deadline = time.monotonic() + seconds
    for i in range(labels):
        if time.monotonic() > deadline:
            break
        key = cells[i % len(cells)]
        t0 = time.perf_counter()
        # Every pass writes another stance than the one before it: each call is a real write.
        done_passes = round_ * passes + i // len(cells)
        session.set_stance(key, stances[(done_passes + 1) % len(stances)])
        latencies.append(time.perf_counter() - t0)
    project.close()
    out.put((latencies, time.perf_counter()))


def run(
    urls: list[str], prefix: str, labels: int, round_: int, seconds: float
) -> tuple[float, float, int]:
    """(labels per second, p95 latency in ms, labels written) for one writer per URL; the
    writers are annotators PREFIX0, PREFIX1, ..."""
    ctx = mp.get_context("fork")
    start, out = ctx.Barrier(len(urls) + 1), ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(url, f"{prefix}{i}", labels, round_, seconds, start, out))
        for i, url in enumerate(urls)
    ]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    latencies = [lat for lats, _ in results for lat in lats]
    wall = max(end for _, end in results) - t0
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return len(latencies) / wall, p95, len(latencies)


def history_rows(db: str) -> int:
    with open_project(db, create=False) as project, project.session() as s:
        return s.exec(select(func.count()).select_from(LabelEvent)).one()


class Scratch:
    """A schema and roles of our own on the server, dropped afterwards."""

    def __init__(self, admin: str, writers: int) -> None:
        self.admin, self.tag = admin, f"bench_{uuid.uuid4().hex[:8]}"
        self.roles = [f"{self.tag}_w{i}" for i in range(writers)]
        self.engine = create_engine(admin, poolclass=NullPool)
        with self.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {self.tag}"))
            for role in self.roles:
                conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'"))

    def url(self, role: str | None = None) -> str:
        url = make_url(self.admin).update_query_dict({"options": f"-csearch_path={self.tag}"})
        if role:
            url = url.set(username=role, password=PASSWORD)
        return url.render_as_string(hide_password=False)

    def drop(self) -> None:
        # The schema first: with it go the roles' rights, so dropping them needs no more
        # than CREATEROLE (DROP OWNED BY would need membership in each role).
        with self.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {self.tag} CASCADE"))
            for role in self.roles:
                conn.execute(text(f"DROP ROLE {role}"))
        self.engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", default=os.environ.get("ANNOTATOR_TEST_PG"))
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--labels", type=int, default=100, help="per writer and round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=30, help="per setup and round, at most")
    args = ap.parse_args()
    if not args.pg:
        print("give --pg postgresql://USER:PASSWORD@localhost/DB (or set ANNOTATOR_TEST_PG)")
        return 2
    admin = normalise_url(args.pg)
    if make_url(admin).host not in LOOPBACK:
        print("the benchmark only runs against a server on this machine (localhost)")
        return 2
    n = args.writers
    rounds: dict[str, list[tuple[float, float, int]]] = {}
    scratch = Scratch(admin, n)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "bench.db")
            fill(db, n)
            fill(scratch.url(), n)
            roles = dict(enumerate(scratch.roles))
            init_server(scratch.url(), annotators={f"w{i}": r for i, r in roles.items()})
            # The two postgres setups label as different annotators (w0.., s0..): each
            # writes over its own labels of the round before, never the other setup's.
            setups = {
                "sqlite, one file": ([db] * n, "w"),
                "postgres, own role each": ([scratch.url(role) for role in scratch.roles], "w"),
                "postgres, one shared role": ([scratch.url()] * n, "s"),
            }
            for r in range(args.rounds):
                for name, (urls, prefix) in setups.items():
                    figures = run(urls, prefix, args.labels, r, args.seconds)
                    rounds.setdefault(name, []).append(figures)
            # Every call must have been a real write (one history row each), else the
            # figures would time reads.
            history = history_rows(db) + history_rows(scratch.url())
    finally:
        scratch.drop()
    figures = {
        name: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
               sum(r[2] for r in runs))
        for name, runs in rounds.items()
    }  # fmt: skip
    print(f"{n} writers, {args.rounds} rounds of up to {args.labels} labels each, "
          f"{os.cpu_count()} CPUs; medians over the rounds")  # fmt: skip
    written = sum(f[2] for f in figures.values())
    print(f"history rows {history} for {written} labels: every label was a real write")
    assert history == written, "some labels did not change anything"
    print(f"{'setup':<28}{'labels/s':>10}{'p95 ms':>10}{'labels':>8}")
    for name, (rate, p95, count) in figures.items():
        print(f"{name:<28}{rate:>10.0f}{p95:>10.1f}{count:>8}")
    ref_rate, ref_p95, _ = figures["sqlite, one file"]
    for name in ("postgres, own role each", "postgres, one shared role"):
        rate, p95, _ = figures[name]
        print(f"{name} / sqlite: {rate / ref_rate:.2f}x labels/s, {p95 / ref_p95:.2f}x p95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
