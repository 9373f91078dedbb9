"""GUI latency, offscreen: article switch (5 KB / 200 KB), stance change, opening 50,000 articles.

Each figure is printed with a reference measured in the same run, because these machines
are noisy:
- article switch vs. Qt alone putting the same text into a bare QPlainTextEdit;
- stance change vs. one raw sqlite3 INSERT + COMMIT with the same durability settings;
- opening a project vs. a raw `SELECT count(*)` on the same file.

    python bench/gui_latency.py [--switches 40]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.codebook import load_codebook  # noqa: E402
from annotator.ingest.segments import compute_segments  # noqa: E402
from annotator.settings import Settings  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402
from annotator.store.suggestions import SuggestionSettings, save_settings  # noqa: E402
from annotator.suggest.service import compute  # noqa: E402

WORDS = [
    "Die",
    "Bundesregierung",
    "berät",
    "über",
    "höhere",
    "Verteidigungsausgaben",
    "und",
    "die",
    "Ukraine",
    ".",
    "Verteidigungsminister",
    "Boris",
    "Pistorius",
    "sagte",
    "in",
    "Berlin",
    ",",
    "Europa",
    "müsse",
    "mehr",
    "tun",
    ".",
    "Der",
    "Militärexperte",
    "Carlo",
    "Masala",
    "hält",
    "Bodentruppen",
    "für",
    "denkbar",
    ",",
    "Frankreich",
    "zögert",
    ".",
]
NAMES = ("Boris Pistorius", "Carlo Masala", "Frankreich", "NATO", "Emmanuel Macron")


def synthetic_text(size: int, rng: random.Random) -> str:
    out: list[str] = []
    n = 0
    while n < size:
        para = " ".join(rng.choice(WORDS) for _ in range(60)) + "\n\n"
        out.append(para)
        n += len(para)
    return "".join(out)[:size]


def build_project(path: Path, n_articles: int, sizes: list[int], rng: random.Random) -> None:
    project = open_project(str(path))
    now = datetime.now(UTC).isoformat()
    with project.write_engine.begin() as conn:
        for i, name in enumerate(NAMES, start=1):
            conn.exec_driver_sql(
                "INSERT INTO actor (id, name, type, label, origin) "
                "VALUES (?, ?, 'person', 'PER', 'lexicon')",
                (i, name),
            )
        rows = []
        mentions = []
        for i in range(n_articles):
            size = sizes[i] if i < len(sizes) else 300
            text = synthetic_text(size, rng)
            # Sentences and boilerplate as an import stores them (computed for the measured
            # articles; the filler gets an empty value, so the window has none to fill in).
            segments = compute_segments(text) if i < len(sizes) else {}
            rows.append((i + 1, f"a{i:06d}", f"Artikel {i}", text, f"h{i}", now,
                         json.dumps(segments)))  # fmt: skip
            # A mention roughly every 120 characters, as in dense news text.
            for start in range(0, max(size - 20, 0), 120):
                mentions.append((i + 1, start, start + 9, "PER", 1 + (start // 120) % len(NAMES)))
        conn.exec_driver_sql(
            "INSERT INTO article (id, external_id, title, text, meta, text_sha256, imported_at,"
            " segments) VALUES (?, ?, ?, ?, '{}', ?, ?, ?)",
            rows,
        )
        conn.exec_driver_sql(
            'INSERT INTO mention (article_id, start, "end", label, actor_id, source) '
            "VALUES (?, ?, ?, ?, ?, 'lexicon')",
            mentions,
        )
    project.close()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def fmt(values: list[float]) -> str:
    return f"p50 {statistics.median(values):7.1f} ms   p95 {pct(values, 0.95):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument("--articles", type=int, default=50_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from annotator.gui.desk.main_window import MainWindow

    codebook = load_codebook()
    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp())
    print(f"building a project with {args.articles} articles (first 4 are 5 KB and 200 KB) ...")
    sizes = [5_000, 5_000, 200_000, 200_000]
    build_project(tmp / "big.db", args.articles, sizes, rng)

    # -- opening a 50,000-article project until the first article is shown
    t0 = time.perf_counter()
    project = open_project(str(tmp / "big.db"))
    window = MainWindow(project, codebook, "bench", Settings(annotator="bench"))
    window.show()
    app.processEvents()
    open_ms = (time.perf_counter() - t0) * 1000
    gc.freeze()  # as gui/app.run does once the window shows
    t0 = time.perf_counter()
    raw = sqlite3.connect(tmp / "big.db")
    raw.execute("SELECT count(*) FROM article").fetchone()
    raw.close()
    ref_open = (time.perf_counter() - t0) * 1000
    assert window.article_id == 1

    # -- article switches
    results: dict[int, list[float]] = {5_000: [], 200_000: []}
    refs: dict[int, list[float]] = {5_000: [], 200_000: []}
    bare = QPlainTextEdit()
    bare.resize(800, 900)
    bare.show()
    pairs = {5_000: (1, 2), 200_000: (3, 4)}
    texts = {
        aid: project.engine.raw_connection()
        .execute(  # type: ignore[attr-defined]
            "SELECT text FROM article WHERE id=?", (aid,)
        )
        .fetchone()[0]
        for aid in (1, 2, 3, 4)
    }
    # Stance suggestions shown (stored for the four articles, as `annotator suggest` or a
    # first visit stores them), against the same switches with suggestions switched off.
    compute(project, codebook, [1, 2, 3, 4])
    off: dict[int, list[float]] = {5_000: [], 200_000: []}
    for size, (a, b) in pairs.items():
        for i in range(args.switches):
            target = a if i % 2 else b
            t0 = time.perf_counter()
            window.open_article(target)
            app.processEvents()
            results[size].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            bare.setPlainText(texts[target])
            app.processEvents()
            refs[size].append((time.perf_counter() - t0) * 1000)
    shown = len(window.panel.model.suggestions)
    save_settings(project, SuggestionSettings(enabled=False))
    for size, (a, b) in pairs.items():
        for i in range(args.switches):
            t0 = time.perf_counter()
            window.open_article(a if i % 2 else b)
            app.processEvents()
            off[size].append((time.perf_counter() - t0) * 1000)

    # -- stance changes (written and committed before the call returns)
    window.open_article(1)
    app.processEvents()
    stance_ms: list[float] = []
    for i in range(60):
        key = window.current_key()
        t0 = time.perf_counter()
        window.session.set_stance(key, ("favor", "against", "neutral")[i % 3])
        stance_ms.append((time.perf_counter() - t0) * 1000)
    ref_conn = sqlite3.connect(tmp / "ref.db", isolation_level=None)
    ref_conn.execute("PRAGMA journal_mode=WAL")
    ref_conn.execute("PRAGMA synchronous=FULL")
    ref_conn.execute("CREATE TABLE t (a, b, c)")
    ref_ms: list[float] = []
    for i in range(60):
        t0 = time.perf_counter()
        ref_conn.execute("BEGIN IMMEDIATE")
        ref_conn.execute("INSERT INTO t VALUES (?, ?, ?)", (i, "favor", "x"))
        ref_conn.execute("COMMIT")
        ref_ms.append((time.perf_counter() - t0) * 1000)

    print()
    print(
        f"open {args.articles} articles, first article shown: {open_ms:7.1f} ms"
        f"   (raw count(*) {ref_open:.1f} ms)"
    )
    for size in (5_000, 200_000):
        ratio = pct(results[size], 0.95) / max(pct(refs[size], 0.95), 1e-9)
        print(
            f"article switch {size // 1000:>3} KB: {fmt(results[size])}"
            f"   (bare QPlainTextEdit p95 {pct(refs[size], 0.95):.1f} ms, ratio {ratio:.1f}x)"
        )
    for size in (5_000, 200_000):
        ratio = statistics.median(results[size]) / max(statistics.median(off[size]), 1e-9)
        print(
            f"  with suggestions ({shown} in the last article) / without, {size // 1000:>3} KB: "
            f"p50 {ratio:.2f}x   (without: {fmt(off[size])})"
        )
    ratio = pct(stance_ms, 0.95) / max(pct(ref_ms, 0.95), 1e-9)
    print(
        f"stance change persisted:  {fmt(stance_ms)}"
        f"   (raw sqlite3 insert+commit p95 {pct(ref_ms, 0.95):.1f} ms, ratio {ratio:.1f}x)"
    )
    window.close()
    project.close()


if __name__ == "__main__":
    main()
