"""Benchmark of the export: stance records per second, memory at two sizes, and the two
article formats.

Builds a synthetic project from the seed articles (each statement appended to a real, long
paragraph, so sentence splitting sees realistic lines): 5 actors x 2 targets labelled by 4
annotators = 40 stance records per article, 70 % of them with evidence (the others take the
cue-sentence path). Then exports it and compares against a reference measured in the same
run: json.dumps (ensure_ascii=False) of as many dicts of the same shape, written to a file
and synced to the disk, as the export does. Each case runs --repeat times, export and
reference taking turns, each after os.sync(); the best run of each counts, and the ratio is
the median of the turns' ratios (this machine is shared: the same work varies by a third
from run to run). Memory is the tracemalloc peak of the export alone, at two sizes; flat
means the peak does not grow with the number of records.

The synthetic articles repeat five seed texts, so the words that end sentences recur, and
sentence splitting finds them in its word cache (annotator/export/text.py) and in spaCy's
tokenizer cache. The "fresh words" case exports a second project in which every such word
is new in every article: a bound for corpora where nothing repeats.

The documents and spaCy formats are timed against json.dumps of the same documents records
and against spaCy's DocBin serialising the same Docs, both written and synced.

    python bench/export.py                 # 100,000 records (and 25,000 for memory)
    python bench/export.py --records 20000 # quicker
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from spacy.tokens import DocBin
from sqlalchemy import insert

from annotator.codebook import load_codebook
from annotator.export import ExportOptions, export
from annotator.export.text import export_nlp
from annotator.heap import frozen_heap
from annotator.paths import seeds_dir
from annotator.store.engine import Project, open_project
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Evidence,
    Mention,
    StanceAnnotation,
)

ACTORS = ["Boris Pistorius", "Olaf Scholz", "Emmanuel Macron", "Mark Rutte", "Donald Trump"]
TARGETS = ["defence_spending", "ground_troops"]
ANNOTATORS = ["anna", "ben", "carla", "dora"]
PER_ARTICLE = len(ACTORS) * len(TARGETS) * len(ANNOTATORS)


_LAST_WORD = re.compile(r"([^\W\d_]+)([.!?])(?=\s|$)")


def _tag(i: int) -> str:
    """Letters that make a word new in article i ("sagte." -> "sagteqbd.")."""
    out = "q"
    while True:
        i, d = divmod(i, 26)
        out += chr(97 + d)
        if not i:
            return out


def _article(
    seed: str, i: int, fresh_words: bool = False
) -> tuple[str, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Text, mentions (start, end, actor index) and one statement span per actor.

    With fresh_words, every word before a sentence mark is new in this article, so no cache
    (the export's or spaCy's tokenizer's) has seen it.
    """
    lines = seed.split("\n")
    long_lines = [n for n, line in enumerate(lines) if len(line) > 200] or [len(lines) - 1]
    tag = _tag(i) if fresh_words else ""
    if fresh_words:
        lines = [_LAST_WORD.sub(lambda m: m[1] + tag + m[2], line) for line in lines]
    statements = {}
    for k, name in enumerate(ACTORS):
        n = long_lines[k % len(long_lines)]
        statements.setdefault(n, []).append(
            (k, f" {name} fordert höhere Verteidigungsausgaben und lehnt Bodentruppen ab{tag}.")
        )
    out, mentions, spans, pos = [], [], [], 0
    for n, line in enumerate(lines):
        piece = line + ("" if n else f" (Meldung {i})")
        for k, sentence in statements.get(n, []):
            start = pos + len(piece) + 1
            mentions.append((start, start + len(ACTORS[k]), k))
            spans.append((start, start + len(sentence) - 1))
            piece += sentence
        out.append(piece)
        pos += len(piece) + 1
    return "\n".join(out), mentions, spans


def build(path: Path, articles: int, *, fresh_words: bool = False) -> Project:
    project = open_project(str(path))
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    stances = load_codebook().stance_ids
    rnd = random.Random(1)
    with project.write() as s:
        actor_ids = []
        for name in ACTORS:
            actor = Actor(name=name, label="PER", type="person")
            s.add(actor)
            s.flush()
            actor_ids.append(actor.id)
        ann_ids = []
        for name in ANNOTATORS:
            ann = Annotator(name=name)
            s.add(ann)
            s.flush()
            ann_ids.append(ann.id)
        label_id = 0
        for i in range(articles):
            text, mentions, spans = _article(seeds[i % len(seeds)], i, fresh_words)
            res = s.execute(
                insert(Article).values(
                    external_id=f"a{i}",
                    title=f"Artikel {i}",
                    text=text,
                    meta={},
                    text_sha256=str(i),
                )
            )
            aid = res.inserted_primary_key[0]
            s.execute(
                insert(Mention),
                [
                    {
                        "article_id": aid,
                        "start": a,
                        "end": b,
                        "label": "PER",
                        "actor_id": actor_ids[k],
                        "source": "lexicon",
                    }
                    for a, b, k in mentions
                ],
            )
            labels, evidence = [], []
            for k in range(len(ACTORS)):
                for target in TARGETS:
                    with_evidence = rnd.random() < 0.7
                    agreed = rnd.choice(stances)  # annotators mostly agree, as in real data
                    for ann in ann_ids:
                        label_id += 1
                        labels.append(
                            {
                                "id": label_id,
                                "article_id": aid,
                                "actor_id": actor_ids[k],
                                "target": target,
                                "stance": agreed if rnd.random() < 0.8 else rnd.choice(stances),
                                "annotator_id": ann,
                            }
                        )
                        if with_evidence:
                            a, b = spans[k]
                            evidence.append({"annotation_id": label_id, "start": a, "end": b})
            s.execute(insert(StanceAnnotation), labels)
            if evidence:
                s.execute(insert(Evidence), evidence)
            s.execute(
                insert(ArticleDone), [{"article_id": aid, "annotator_id": a} for a in ann_ids]
            )
    return project


def settle() -> None:
    """Start every timed run alike: no garbage left over, and no dirty pages of earlier runs
    (an fsync on ext4 also waits for other files' pending data, so without this a run pays
    for the gigabytes the runs before it wrote)."""
    gc.collect()
    os.sync()


def durable_write(path: Path, data: bytes) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def reference_once(path: Path, n: int, template: dict) -> tuple[float, float]:
    """json.dumps of n dicts shaped like the export's records, written to a file and synced
    to the disk, as the export does."""
    settle()
    t0, c0 = time.perf_counter(), time.process_time()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = dict(template, id=f"{template['id']}|{i}", votes=1)
            fh.write(json.dumps(rec, ensure_ascii=False))
            fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    return time.perf_counter() - t0, time.process_time() - c0


def export_once(project: Project, out: Path, options: ExportOptions) -> tuple[float, float, int]:
    """Wall and CPU seconds of one export (CPU includes the writer thread)."""
    settle()
    t0, c0 = time.perf_counter(), time.process_time()
    with frozen_heap():  # as `annotator export` runs it (cli/common.batch_job)
        records = export(project, load_codebook(), "stances", out, options).records
    return time.perf_counter() - t0, time.process_time() - c0, records


def peak(project: Project, out: Path, options: ExportOptions) -> float:
    gc.collect()
    tracemalloc.start()
    export(project, load_codebook(), "stances", out, options)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


REFERENCES = {"documents": "json.dumps of the same records", "spacy": "DocBin of the same Docs"}


def other_formats(project: Project, folder: Path, repeat: int) -> None:
    """The article formats, each against what its output costs to make by hand: json.dumps
    of the same documents records, and spaCy's DocBin serialising the same Docs."""
    codebook = load_codebook()
    docs_out, bin_out = folder / "documents.jsonl", folder / "corpus.spacy"
    timings: dict[str, list[float]] = {}
    for _ in range(repeat):
        for fmt, out in (("documents", docs_out), ("spacy", bin_out)):
            settle()
            t0 = time.perf_counter()
            with frozen_heap():
                articles = export(project, codebook, fmt, out, ExportOptions()).articles
            timings.setdefault(fmt, []).append(time.perf_counter() - t0)
        records = [json.loads(line) for line in docs_out.open(encoding="utf-8")]
        settle()
        t0 = time.perf_counter()
        lines = [json.dumps(rec, ensure_ascii=False) + "\n" for rec in records]
        durable_write(folder / "reference.jsonl", "".join(lines).encode())
        timings.setdefault("documents reference", []).append(time.perf_counter() - t0)
        del records, lines
        docs = list(DocBin().from_disk(bin_out).get_docs(export_nlp().vocab))
        settle()
        t0 = time.perf_counter()
        again = DocBin(store_user_data=True)
        for doc in docs:
            again.add(doc)
        durable_write(folder / "reference.spacy", again.to_bytes())
        timings.setdefault("spacy reference", []).append(time.perf_counter() - t0)
        del docs, again
    for fmt in ("documents", "spacy"):
        ours, ref = min(timings[fmt]), min(timings[f"{fmt} reference"])
        print(
            f"format {fmt}: {articles:,} articles, best of {repeat}\n"
            f"  export     {ours:5.2f} s wall = {articles / ours:>7,.0f} articles/s\n"
            f"  reference  {ref:5.2f} s wall = {articles / ref:>7,.0f} articles/s "
            f"({REFERENCES[fmt]})"
            f"\n  ratio export/reference: {ours / ref:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the best counts")
    args = parser.parse_args()
    big = max(1, args.records // PER_ARTICLE)
    small = max(1, big // 4)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        large = build(folder / "large.db", big)
        little = build(folder / "small.db", small)
        fresh = build(folder / "fresh.db", big, fresh_words=True)
        print(f"built {big} + {small} + {big} articles in {time.perf_counter() - t0:.1f} s")
        out = folder / "stances.jsonl"
        export_once(little, out, ExportOptions())  # warm-up: spaCy, caches
        cases = [
            ("per annotator, context=article", ExportOptions(), large),
            ("per annotator, context=window:2", ExportOptions(context="window:2"), large),
            ("majority, context=article", ExportOptions(labels="majority"), large),
            ("per annotator, context=article, fresh words", ExportOptions(), fresh),
        ]
        for name, options, project in cases:
            # Export and reference take turns, so both meet the machine in the same moods.
            runs, refs = [], []
            for _ in range(args.repeat):
                runs.append(export_once(project, out, options))
                first = json.loads(out.open(encoding="utf-8").readline())
                refs.append(reference_once(folder / "reference.jsonl", runs[-1][2], first))
            records = runs[0][2]
            wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            ref_wall, ref_cpu = min(r[0] for r in refs), min(r[1] for r in refs)
            ratio_wall = statistics.median(r[0] / f[0] for r, f in zip(runs, refs, strict=True))
            ratio_cpu = statistics.median(r[1] / f[1] for r, f in zip(runs, refs, strict=True))
            size = out.stat().st_size / 2**20
            print(
                f"{name}: {records:,} records, {size:,.0f} MB, best of {args.repeat}\n"
                f"  export     {wall:5.2f} s wall = {records / wall:>7,.0f} records/s, "
                f"{cpu:5.2f} s CPU = {records / cpu:>7,.0f} records/s\n"
                f"  reference  {ref_wall:5.2f} s wall = {records / ref_wall:>7,.0f} records/s, "
                f"{ref_cpu:5.2f} s CPU = {records / ref_cpu:>7,.0f} records/s\n"
                f"  ratio export/reference (median of the turns): {ratio_wall:.2f} wall, "
                f"{ratio_cpu:.2f} CPU"
            )
        other_formats(large, folder, args.repeat)
        for name, project in (("small", little), ("large", large)):
            n = (small if name == "small" else big) * PER_ARTICLE
            print(
                f"peak traced memory, {n:>7,} records: {peak(project, out, ExportOptions()):.1f} MB"
            )
        for project in (large, little, fresh):
            project.close()


if __name__ == "__main__":
    main()
