"""Benchmark: the lead's batch work on a coding team's project (issue 24).

    python bench/team.py [--articles 600] [--coders 4] [--rounds 3]

Builds a lead's project of synthetic ~4 KB articles with mentions, the shipped lexicon's
actors and an assignment plan for the coders (20 % double-coded), then per round:

- `package --all`: one package per coder (write_packages), timed;
- each coder labels every actor of her articles on every target, with an evidence span, and
  marks the article done, in her package (not timed), and the lead merges all packages back
  (merge_projects), timed.

References measured in the same run, because these machines are noisy:
- for packaging: SQLite's backup API copying the whole lead project once per coder (what a
  package would cost if it were a copy of the project);
- for merging: plain sqlite3 writing the same number of label rows, evidence rows and
  history rows with executemany into a fresh file, one transaction.
Figures are the median of --rounds rounds.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.assignments.package import write_packages  # noqa: E402
from annotator.assignments.plan import PlanRequest  # noqa: E402
from annotator.assignments.service import plan_project  # noqa: E402
from annotator.codebook import load_codebook  # noqa: E402
from annotator.ingest.highlighting import sync_lexicon  # noqa: E402
from annotator.store.annotators import get_or_create_annotator  # noqa: E402
from annotator.store.assignments import queue  # noqa: E402
from annotator.store.copies import copy_database  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402
from annotator.store.labels import (  # noqa: E402
    Action,
    CellKey,
    CellState,
    write_cell,
    write_done,
)
from annotator.store.merge import merge_projects  # noqa: E402
from annotator.store.models import Article, Mention, text_hash  # noqa: E402

SENTENCE = "Verteidigungsminister {a} fordert höhere Verteidigungsausgaben für die Bundeswehr. "
FILLER = "Die Debatte über die Unterstützung der Ukraine geht weiter, sagte ein Sprecher. "


def build(path: Path, articles: int, coders: int) -> list[str]:
    """The lead's project; returns the coders' names."""
    rng = random.Random(1)
    names = [f"coder{i}" for i in range(coders)]
    with open_project(str(path)) as project:
        sync_lexicon(project)
        with project.session() as s:
            actor_ids = [int(a) for (a,) in s.execute(
                Article.metadata.tables["actor"].select().with_only_columns(
                    Article.metadata.tables["actor"].c.id).limit(40))]  # fmt: skip
        with project.write() as s:
            for i in range(articles):
                parts, mentions = [], []
                pos = 0
                for j in range(24):
                    actor = actor_ids[(i + j) % len(actor_ids)]
                    name = f"Akteur{actor}"
                    sentence = SENTENCE.format(a=name) if j % 2 == 0 else FILLER
                    if j % 2 == 0:
                        start = pos + len("Verteidigungsminister ")
                        mentions.append((start, start + len(name), actor))
                    parts.append(sentence)
                    pos += len(sentence)
                text = "".join(parts)
                row = Article(external_id=f"b{i}", title=f"Artikel {i}", text=text,
                              text_sha256=text_hash(text),
                              segments={"sentences": [], "boilerplate": []})  # fmt: skip
                s.add(row)
                s.flush()
                for a, b, actor in mentions:
                    s.add(Mention(article_id=row.id, start=a, end=b, label="PER",  # type: ignore[arg-type]
                                  actor_id=actor, source="lexicon"))  # fmt: skip
        plan_project(project, PlanRequest(tuple(names), overlap=0.2, seed=rng.randrange(99)))
    return names


def code(package: Path, name: str, targets: tuple[str, ...]) -> int:
    """Label every actor of every queued article on every target; the number of labels."""
    n = 0
    with open_project(str(package)) as project:
        who = get_or_create_annotator(project, name)
        mention = Mention.metadata.tables["mention"]
        for article in queue(project, who):
            with project.write() as s:
                actors = sorted({int(a) for (a,) in s.execute(
                    mention.select().with_only_columns(mention.c.actor_id)
                    .where(mention.c.article_id == article))})  # fmt: skip
                for actor in actors[:6]:
                    for target in targets:
                        state = CellState("favor", ((0, 40),), None)
                        write_cell(s, who, CellKey(article, actor, target), state, Action.SET)
                        n += 1
                write_done(s, article, who, True, Action.DONE)
    return n


def reference_copy(lead: Path, folder: Path, coders: int) -> float:
    t = time.perf_counter()
    for i in range(coders):
        copy_database(lead, folder / f"copy{i}.db")
    return time.perf_counter() - t


def reference_writes(folder: Path, labels: int) -> float:
    conn = sqlite3.connect(folder / "ref.db")
    conn.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE l (id INTEGER PRIMARY KEY, a, b, c, d, s, n, t1, t2);"
        "CREATE TABLE e (id INTEGER PRIMARY KEY, l, x, y);"
        "CREATE TABLE h (id INTEGER PRIMARY KEY, at, a, b, c, d, act, before, after);"
    )
    before = json.dumps({"stance": None, "evidence": [], "note": None})
    after = json.dumps({"stance": "favor", "evidence": [[0, 40]], "note": None})
    t = time.perf_counter()
    with conn:
        rows = range(labels)
        label_rows = [(i, i, 1, "t", 1, "favor", None, "x", "x") for i in rows]
        conn.executemany("INSERT INTO l VALUES (?,?,?,?,?,?,?,?,?)", label_rows)
        conn.executemany("INSERT INTO e VALUES (?,?,?,?)", [(i, i, 0, 40) for i in rows])
        events = [(i, "x", 1, i, 1, "t", "merge", before, after) for i in rows]
        conn.executemany("INSERT INTO h VALUES (?,?,?,?,?,?,?,?,?)", events)
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def one_round(root: Path, articles: int, coders: int) -> dict[str, float]:
    codebook = load_codebook()
    lead = root / "lead.db"
    names = build(lead, articles, coders)
    out = root / "packages"
    with open_project(str(lead)) as project:
        t = time.perf_counter()
        write_packages(project, out, codebook)
        package_s = time.perf_counter() - t
    labels = sum(code(out / f"{n}.db", n, codebook.target_ids) for n in names)
    with open_project(str(lead)) as project:
        t = time.perf_counter()
        merge_projects(project, sorted(out.glob("*.db")), codebook=codebook)
        merge_s = time.perf_counter() - t
    return {
        "package": package_s,
        "package_ref": reference_copy(lead, root, coders),
        "merge": merge_s,
        "merge_ref": reference_writes(root, labels),
        "labels": labels,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--coders", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = []
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            rounds.append(one_round(Path(tmp), args.articles, args.coders))
        print(f"round {r + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in rounds[-1].items()))
    med = {k: statistics.median(x[k] for x in rounds) for k in rounds[0]}
    ratio = med["package"] / med["package_ref"]
    print(f"package --all, {args.articles} articles, {args.coders} coders: "
          f"{med['package']:.2f} s (target <= 10 s); copying the whole project "
          f"{args.coders} times: {med['package_ref']:.2f} s, ratio {ratio:.1f}")  # fmt: skip
    print(f"merge of {args.coders} packages, {med['labels']:.0f} labels: {med['merge']:.2f} s "
          f"(target <= 5 s); plain sqlite3 writing as many label, evidence and history rows: "
          f"{med['merge_ref']:.2f} s, ratio {med['merge'] / med['merge_ref']:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
