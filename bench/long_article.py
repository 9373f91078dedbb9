"""Peak memory of importing one very long article, with the shipped model and without it.

    python bench/long_article.py [--chars 600000] [--case emoji,german,rtl] [--articles 1]
                                 [--limit-mb 6000] [--timeout 600]

Each case writes one article of --chars characters to a JSONL file and imports it into a
new project with `annotator import` in a child process (the real command: both model
processes, the batch settings, the writes). The peak resident memory of the child and its
children is sampled from /proc every 20 ms (Linux only). A child that passes --limit-mb or
runs longer than --timeout is killed and its figure marked with ">", so a run of old code
cannot take the machine with it.
The reference, measured in the same run on the same file, is the import with --no-model:
the ratio says what the model adds.

--articles 40 imports that many such articles, which the import runs in two model
processes (the figure is the sum over the processes, counting shared pages twice).
Cases (the texts of issue 23): emoji without a space ("😀" repeated), German news as one
line without a line break, and Arabic (right-to-left) text with spaces.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GERMAN = (
    "Verteidigungsminister Boris Pistorius hat mehr Geld für die Bundeswehr gefordert. "
    "Frankreichs Präsident Emmanuel Macron schließt Bodentruppen in der Ukraine nicht aus. "
    "Der Militärexperte Carlo Masala warnt vor einer Lücke in der Abschreckung. "
)
ARABIC = "قال المتحدث باسم الحكومة إن الوضع في المنطقة يتطلب حلا سياسيا عاجلا "


def article(case: str, chars: int) -> str:
    unit = {"emoji": "\U0001f600", "german": GERMAN, "rtl": ARABIC}[case]
    return (unit * (chars // len(unit) + 1))[:chars]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (kB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (OSError, StopIteration):
            continue  # it ended between two reads
    return total


def run_import(
    path: Path, project: Path, *, model: bool, limit_mb: int, timeout: float
) -> tuple[str, str]:
    """(peak MB, seconds) of one `annotator import`; '>' marks a run stopped at a limit."""
    run = "from annotator.cli.app import main; main()"
    cmd = [sys.executable, "-c", run, "--db", str(project), "import", str(path)]
    if not model:
        cmd.append("--no-model")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    # A session of its own, so a stopped run takes its model processes with it.
    child = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss_kb(child.pid))
        seconds = time.perf_counter() - start
        if peak > limit_mb * 1024 or seconds > timeout:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return f"{'>' if peak > limit_mb * 1024 else ''}{peak / 1024:.0f}", f">{seconds:.0f}"
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        err = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise SystemExit(f"import failed ({child.returncode}): {err.strip()[-500:]}")
    return f"{peak / 1024:.0f}", f"{seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=600_000)
    parser.add_argument("--case", default="emoji,german,rtl")
    parser.add_argument(
        "--articles", type=int, default=1, help="so many such articles (32+: two processes)"
    )
    parser.add_argument("--limit-mb", type=int, default=6000)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per import")
    args = parser.parse_args()
    print(f"{args.articles} article(s) of {args.chars:,} characters; peak RSS of the import (MB)")
    print(f"{'case':8} {'model':>8} {'s':>6} {'no model':>9} {'s':>6} {'ratio':>6}")
    limits = {"limit_mb": args.limit_mb, "timeout": args.timeout}
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.case.split(","):
            source = Path(tmp, f"{case}.jsonl")
            text = article(case, args.chars)
            lines = (
                json.dumps({"id": f"{case}-{i}", "text": f"{i} {text}"}, ensure_ascii=False)
                for i in range(args.articles)
            )
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
            with_model, t_model = run_import(
                source, Path(tmp, f"{case}-model.db"), model=True, **limits
            )
            without, t_plain = run_import(
                source, Path(tmp, f"{case}-plain.db"), model=False, **limits
            )
            ratio = (
                f"{float(with_model) / float(without):.1f}"
                if with_model.isdigit() and without.isdigit()
                else "-"
            )
            print(
                f"{case:8} {with_model:>8} {t_model:>6} {without:>9} {t_plain:>6} {ratio:>6}",
                flush=True,
            )


if __name__ == "__main__":
    main()
