"""Soak: the whole-system chaos trial (tests/safety/chaos.py) many times over.

Each trial: two labelling processes on the window's start-up path, SIGKILLed and restarted
at random, while info, articles, entities, export, agreement, history, backup, import and
merges into and out of the project run in their own processes. After each trial every
acknowledged save must be in the file and in the history, the file intact and in WAL mode,
every command successful, undo/redo working. Prints the running totals and, at the end,
trials, saves acknowledged, saves lost and problems. The test suite runs 3 trials (25 with
--full, as CI does); this is for the long run:

    python bench/soak.py [--trials 500] [--seed N]

The reference here is not a speed but the earlier code: with the project-file open() of the
old daily backup put back (and the file guard off), the first trial already loses saves.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# The file guard (annotator/file_guard.py) in every process, as in the test suite.
os.environ["ANNOTATOR_AUDIT"] = "abort"

from tests.safety.chaos import Chaos  # noqa: E402
from tests.safety.conftest import Server, make_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    acknowledged = lost = kills = failed = 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="annotator-soak-") as tmp:
        root = Path(tmp)
        os.environ["ANNOTATOR_HOME"] = str(root / "home")
        db = make_project(root / "project.db")
        server = Server(db)
        try:
            chaos = Chaos(server, db, root, seed)
            for trial in range(args.trials):
                result = chaos.trial(trial)
                acknowledged += result.acknowledged
                lost += len(result.lost)
                kills += result.kills
                if not result.ok:
                    failed += 1
                    print(
                        f"trial {trial}: lost {result.lost[:3]}, {result.problems[:3]}", flush=True
                    )
                if (trial + 1) % 25 == 0 or trial + 1 == args.trials:
                    took = time.monotonic() - start
                    print(
                        f"{trial + 1} trials, {acknowledged} saves acknowledged, {lost} lost, "
                        f"{kills} kills mid-work, {took:.0f} s",
                        flush=True,
                    )
        finally:
            server.close()
    print(
        f"seed {seed}: trials {args.trials}, saves acknowledged {acknowledged}, "
        f"saves lost {lost}, failed trials {failed}, kills mid-work {kills}"
    )
    return 1 if lost or failed else 0


if __name__ == "__main__":
    sys.exit(main())
