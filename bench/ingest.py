"""Import throughput: N synthetic German articles (~4 KB, recombined sentences) into a project.

Prints articles/s for the whole import (read, validate, highlight, store) and, measured in the
same run on the same texts, a reference: with the shipped model (the default import) spaCy's
own `nlp.pipe` of that pipeline on as many processes as the import uses; with `--model none`
the bare lexicon-and-rules highlighter. Then the ratio. A second, smaller pair of runs under
tracemalloc shows that peak memory does not grow with N.

    python bench/ingest.py [-n 5000] [--size 4000] [--model shipped|none|NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.heap import frozen_heap  # noqa: E402
from annotator.ingest.highlighting import model_processes, project_highlighter  # noqa: E402
from annotator.ingest.importer import import_paths  # noqa: E402
from annotator.nlp.model import load_model, model_location  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402

# Written for this benchmark: news-style sentences about the debate, recombined at random.
SENTENCES = [
    "Verteidigungsminister Boris Pistorius hat mehr Geld für die Bundeswehr gefordert.",
    "Die Nato-Staaten ringen weiter um das Zwei-Prozent-Ziel.",
    "Frankreichs Präsident Emmanuel Macron schließt Bodentruppen in der Ukraine nicht aus.",
    "Kanzler Olaf Scholz lehnt die Entsendung deutscher Soldaten strikt ab.",
    "Der Militärexperte Carlo Masala warnt vor einer Lücke in der europäischen Abschreckung.",
    "In Brüssel beraten die Verteidigungsminister über neue Munitionsbestellungen.",
    "Moskau reagierte scharf auf die Pläne für eine Friedenstruppe.",
    "Die Politologin Henrike Sauerbrey sagte, Europa müsse schneller handeln.",
    "Nato-Generalsekretär Mark Rutte sprach von einer historischen Aufgabe.",
    "US-Verteidigungsminister Pete Hegseth verlangte fünf Prozent des Bruttoinlandsprodukts.",
    "Polen gibt bereits mehr als vier Prozent für seine Streitkräfte aus.",
    "Der ukrainische Präsident Wolodymyr Selenskyj drängt auf einen schnellen Nato-Beitritt.",
    "Washington hält eine Mitgliedschaft der Ukraine derzeit für unrealistisch.",
    "Die Grünen unterstützen ein neues Sondervermögen für die Verteidigung.",
    "Der Haushaltsexperte Tobias Quandtner kritisierte die Pläne als unbezahlbar.",
    "Großbritanniens Premierminister Keir Starmer bot Truppen für eine Absicherung an.",
    "Rheinmetall will die Produktion von Artilleriemunition verdoppeln.",
    "Im Bundestag stritten Regierung und Opposition über die Schuldenbremse.",
    "Die Linke lehnt höhere Rüstungsausgaben ab und fordert Verhandlungen.",
    "Italiens Regierungschefin Giorgia Meloni zeigte sich zurückhaltend.",
    "Ein Sprecher des Kremls nannte die Debatte eine Provokation.",
    "Experten der Stiftung Wissenschaft und Politik sehen Europa in der Pflicht.",
    "Die Kommission in Brüssel schlägt gemeinsame Anleihen für Rüstungsprojekte vor.",
    "Außenministerin Annalena Baerbock betonte die Solidarität mit Kiew.",
    "Der Sicherheitsforscher Jannik Oberwelland erwartet eine lange Debatte.",
    "Die Niederlande und Dänemark kündigten weitere Hilfen an.",
    "Nach Angaben von Diplomaten gibt es noch keinen Konsens.",
    "Donald Trump drohte erneut, säumige Verbündete nicht zu verteidigen.",
    "Die Bundesregierung prüft, wie viele Soldaten sie bereitstellen könnte.",
    "Schwedens Beitritt hat das Bündnis im Norden gestärkt.",
]


def synthetic_articles(n: int, size: int, seed: int = 1):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    for i in range(n):
        parts: list[str] = [f"Bericht {i}: Debatte über Europas Sicherheit"]
        length = len(parts[0])
        while length < size:
            para = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
            parts.append(para)
            length += len(para) + 2
        yield {"id": f"bench-{i:06d}", "text": "\n\n".join(parts), "source": "bench"}


def write_jsonl(path: Path, n: int, size: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in synthetic_articles(n, size):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def timed_import(n: int, size: int, tmp: Path, model: str | None) -> tuple[float, int]:
    src = tmp / f"articles-{n}.jsonl"
    write_jsonl(src, n, size)
    project = open_project(str(tmp / f"bench-{n}-{time.monotonic_ns()}.db"))
    project_highlighter(project, model=model)  # lexicon sync, matcher build, model load: once
    t0 = time.perf_counter()
    with frozen_heap():  # as `annotator import` runs it (cli/common.batch_job)
        report = import_paths(project, [src], model=model)
    elapsed = time.perf_counter() - t0
    project.close()
    assert report.added == n
    return elapsed, report.mentions


def peak_memory_mb(n: int, size: int, tmp: Path, model: str | None) -> float:
    src = tmp / f"mem-{n}.jsonl"
    write_jsonl(src, n, size)
    project = open_project(str(tmp / f"mem-{n}-{time.monotonic_ns()}.db"))
    project_highlighter(project, model=model)
    tracemalloc.start()
    with frozen_heap():
        import_paths(project, [src], model=model)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    project.close()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument(
        "--model", default="shipped", help="shipped (the default import), none, or a pipeline"
    )
    args = parser.parse_args()
    os.environ.setdefault("ANNOTATOR_HOME", tempfile.mkdtemp())
    tmp = Path(tempfile.mkdtemp())
    model = args.model

    texts = [row["text"] for row in synthetic_articles(args.n, args.size)]
    project = open_project(str(tmp / "nlp.db"))
    highlighter = project_highlighter(project, model=model)
    project.close()
    processes = model_processes(len(texts))
    location = model_location(model)
    if location is not None:
        # The reference: spaCy's own nlp.pipe of the same pipeline, same texts, same cores.
        nlp = load_model(location)
        t0 = time.perf_counter()
        ents = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=64, n_process=processes))
        bare = time.perf_counter() - t0
        reference = f"nlp.pipe of the same pipeline ({processes} process(es))"
    else:
        t0 = time.perf_counter()
        ents = sum(len(s) for s in highlighter.pipe(texts))
        bare = time.perf_counter() - t0
        reference = "bare highlighter (lexicon and rules)"

    elapsed, mentions = timed_import(args.n, args.size, tmp, model)
    mean_kb = sum(len(t) for t in texts) / len(texts) / 1000
    ingest_rate = args.n / elapsed
    bare_rate = args.n / bare
    print(f"{args.n} articles of ~{mean_kb:.1f} KB, model {model!r}, {mentions} mentions stored")
    print(
        f"import (read+validate+highlight+store): {ingest_rate:8.1f} articles/s  ({elapsed:.1f} s)"
    )
    print(f"{reference}: {bare_rate:8.1f} articles/s  ({ents} spans)")
    print(f"ratio import / reference:               {ingest_rate / bare_rate:8.2f}")

    # Both above the import's batch of 200 articles, which bounds what is held at once.
    small, large = max(args.n // 10, 250), max(args.n // 2, 1000)
    m_small = peak_memory_mb(small, args.size, tmp, model)
    m_large = peak_memory_mb(large, args.size, tmp, model)
    print(
        f"peak traced memory: {m_small:.1f} MB for {small} articles, {m_large:.1f} MB for "
        f"{large} articles (ratio {m_large / m_small:.2f} for {large / small:.0f}x the articles)"
    )


if __name__ == "__main__":
    main()
