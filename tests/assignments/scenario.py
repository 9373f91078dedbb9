"""A coding team's week, end to end: the seeds plus a synthetic corpus, a four-coder plan
with 20 % double coding, a package per coder, each coder labelling at their own pace in
their package (with times spread over the last days), and the packages merged back.

Used by tests/assignments/test_team_round.py and to render docs/screenshots/progress.png:

    python -m tests.assignments.scenario docs/screenshots/progress.png
"""

from __future__ import annotations

import json
import random
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.assignments.package import write_packages
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.codebook import Codebook, load_codebook
from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import load_article
from annotator.store.assignments import queue
from annotator.store.engine import Project, open_project
from annotator.store.labels import Action, CellKey, CellState, write_cell, write_done
from annotator.store.merge import merge_projects

TEAM = ("anna", "ben", "cara", "dan")
PACE = {"anna": 0.85, "ben": 0.6, "cara": 0.4, "dan": 0.15}  # share of the queue done
ACTORS = ("Boris Pistorius", "Olaf Scholz", "Emmanuel Macron", "Mark Rutte",
          "Friedrich Merz", "Annalena Baerbock", "Donald Trump", "Wolodymyr Selenskyj")  # fmt: skip
CLAIMS = (
    "{a} fordert, die Verteidigungsausgaben deutlich zu erhöhen.",
    "{a} lehnt einen schnellen Nato-Beitritt der Ukraine ab.",
    "{a} schließt Bodentruppen in der Ukraine nicht aus.",
    "{a} warnt davor, Soldaten in die Ukraine zu schicken.",
    "{a} will das Zwei-Prozent-Ziel der Nato übertreffen.",
    "{a} hält eine Einladung der Ukraine in die Nato für richtig.",
)


def synthetic_corpus(path: Path, n: int = 55, seed: int = 5) -> Path:
    """`n` short German news items, one JSON line each, with two or three actors."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            people = rng.sample(ACTORS, rng.choice((2, 3)))
            text = " ".join(rng.choice(CLAIMS).format(a=a) for a in people)
            title = f"Sicherheitspolitik {i + 1}: {people[0].split()[-1]} äußert sich"
            record = {"id": f"syn-{i:03d}", "title": title, "text": text, "source": "Synthetisch",
                      "date": f"2024-{11 + i % 2:02d}"}  # fmt: skip
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _truth(article: str, actor: str, target: str, stances: tuple[str, ...]) -> str:
    """The stance most coders see: the same in every package (str hash() is not)."""
    return stances[zlib.crc32(f"{article}|{actor}|{target}".encode()) % len(stances)]


def code_package(package: Path, name: str, codebook: Codebook, now: datetime) -> None:
    """`name` works through PACE[name] of her queue over the last six days, in sittings
    of three articles, agreeing with the others about four times in five."""
    rng = random.Random(name)
    stances = codebook.stance_ids
    with open_project(str(package)) as project:
        who = get_or_create_annotator(project, name)
        todo = queue(project, who)
        todo = todo[: round(len(todo) * PACE[name])]
        # sittings of three articles, spread over the last six days (mornings and afternoons)
        sittings = max(1, -(-len(todo) // 3))
        first = (now - timedelta(days=6)).replace(hour=9, minute=0, second=0, microsecond=0)
        step = (now - timedelta(hours=2) - first) / sittings
        t = first
        for i, article_id in enumerate(todo):
            if i % 3 == 0:
                t = max(t, first + step * (i // 3) + timedelta(minutes=rng.randint(0, 50)))
            article = load_article(project, article_id)
            names = {m.actor_id: m.actor or "" for m in article.mentions if m.actor_id}
            actors = list(names)[:3]
            with project.write() as s:
                for actor in actors:
                    for target in codebook.target_ids:
                        if rng.random() < 0.45:
                            continue
                        t += timedelta(seconds=rng.randint(20, 70))
                        truth = _truth(article.external_id, names[actor], target, stances)
                        stance = truth if rng.random() < 0.8 else rng.choice(stances)
                        write_cell(s, who, CellKey(article_id, actor, target), CellState(stance),
                                   Action.SET, at=t, created_at=t, updated_at=t)  # fmt: skip
                t += timedelta(seconds=rng.randint(30, 90))
                write_done(s, article_id, who, True, Action.DONE, at=t, done_at=t)


def build(folder: Path, *, now: datetime | None = None) -> Path:
    """The lead's project after a week of work; returns its path."""
    now = now or datetime.now(UTC)
    codebook = load_codebook()
    lead_db = folder / "lead.db"
    with open_project(str(lead_db)) as lead:
        corpus = synthetic_corpus(folder / "synthetic.jsonl")
        import_paths(lead, [seeds_dir(), corpus], codebook=codebook)
        plan_project(lead, PlanRequest(TEAM, overlap=0.2, coders_per_overlap=2, seed=1))
        write_packages(lead, folder / "packages", codebook)
    for name in TEAM:
        code_package(folder / "packages" / f"{name}.db", name, codebook, now)
    with open_project(str(lead_db)) as lead:
        packages = sorted((folder / "packages").glob("*.db"))
        merge_projects(lead, packages, codebook=codebook)
    return lead_db


def render(out: str | Path) -> None:
    """docs/screenshots/progress.png: View › Progress on the lead's project (offscreen)."""
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from annotator.gui.lead.progress_view import ProgressView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        lead_db = build(Path(tmp))
        project: Project = open_project(str(lead_db))
        try:
            view = ProgressView(project)
            view.resize(1280, 820)
            ready: list[object] = []
            view.report_ready.connect(ready.append)
            while not ready:
                app.processEvents()
            view.show()
            app.processEvents()
            view.canvas.draw()
            app.processEvents()
            view.grab().save(str(out))
            view.close()
        finally:
            project.close()


if __name__ == "__main__":
    import sys

    render(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/progress.png")
