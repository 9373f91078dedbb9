"""Benchmark: agreement statistics for 20,000 units x 10 annotators.

    python bench/agreement.py [--units 20000] [--coders 10] [--repeat 5]

Figures (best of --repeat runs, seconds):
- krippendorff package: `krippendorff.alpha(matrix, level_of_measurement="nominal")` on the
  coders x units float matrix (NaN = missing). The reference measured in the same run.
- our nominal alpha: `krippendorff_alpha(matrix, "nominal")` on the same matrix (encoding +
  value counts + the package on the counts). Ratio against the reference: target <= 1.5.
- report without bootstrap: `compute_report(..., bootstrap=0)`: nominal and ordinal alpha,
  Fleiss, percent agreement, AC1, prevalence, 45 annotator pairs (kappa, weighted kappa,
  AC1, confusion matrix) for the overall scope and each of 3 targets, per-annotator figures
  and the disagreement list.
- report with bootstrap: the same with 1,000 resamples for nominal and ordinal alpha in every
  scope (8 confidence intervals). This is "everything"; target < 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import krippendorff
import numpy as np

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from annotator.agreement import (  # noqa: E402
    CodingData,
    agreement_report,
    compute_report,
    krippendorff_alpha,
)
from annotator.codebook import load_codebook  # noqa: E402
from annotator.store.engine import Project, open_project  # noqa: E402
from annotator.store.models import (  # noqa: E402
    Actor,
    Annotator,
    Article,
    ArticleDone,
    StanceAnnotation,
)

CATEGORIES = ["against", "neutral", "favor", "no_stance"]
TRUTH = [0.35, 0.2, 0.35, 0.1]  # how often each category is the "right" value of a unit


def synthetic(n_units: int, n_coders: int, seed: int = 1) -> CodingData:
    """Units with a true value; each coder gets it right 80% of the time, 10% missing."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(len(CATEGORIES), size=n_units, p=TRUTH)
    skill = rng.uniform(0.7, 0.9, size=(n_coders, 1))
    right = rng.random((n_coders, n_units)) < skill
    noise = rng.choice(len(CATEGORIES), size=(n_coders, n_units), p=[0.25, 0.3, 0.25, 0.2])
    codes = np.where(right, truth, noise)
    # An annotator who has not finished an article is missing for all its units.
    article = np.arange(n_units) // 5
    codes[(rng.random((n_coders, article[-1] + 1)) < 0.1)[:, article]] = -1
    return CodingData(
        annotators=[f"coder{i:02d}" for i in range(n_coders)],
        categories=CATEGORIES,
        targets=["nato_membership", "ground_troops", "defence_spending"],
        codes=codes.astype(np.int8),
        unit_target=rng.integers(0, 3, size=n_units),
        unit_article=article + 1,
        unit_actor=np.arange(n_units) % 200 + 1,  # distinct within an article
        actor_names={i: f"Actor {i}" for i in range(1, 201)},
    )


def build_store(data: CodingData, folder: Path) -> Project:
    """The same labels as a project file: done marks per article, a row per stance given."""
    project = open_project(str(folder / "bench.db"))
    n_articles = int(data.unit_article.max())
    articles = [
        {
            "id": a,
            "external_id": f"a{a}",
            "title": f"Article {a}",
            "text": "Text.",
            "meta": {},
            "text_sha256": f"{a:064x}",
        }
        for a in range(1, n_articles + 1)
    ]
    done = set()
    labels = []
    for row in range(len(data.annotators)):
        for u in np.nonzero(data.codes[row] >= 0)[0].tolist():
            done.add((int(data.unit_article[u]), row + 1))
            code = int(data.codes[row, u])
            if code < len(data.scale):
                labels.append(
                    {
                        "article_id": int(data.unit_article[u]),
                        "actor_id": int(data.unit_actor[u]),
                        "target": data.targets[int(data.unit_target[u])],
                        "stance": data.categories[code],
                        "annotator_id": row + 1,
                    }
                )
    with project.write() as s:
        s.execute(insert(Article), articles)
        s.execute(insert(Actor), [{"id": i, "name": n} for i, n in data.actor_names.items()])
        s.execute(
            insert(Annotator), [{"id": i + 1, "name": n} for i, n in enumerate(data.annotators)]
        )
        s.execute(insert(ArticleDone), [{"article_id": a, "annotator_id": c} for a, c in done])
        s.execute(insert(StanceAnnotation), labels)
    return project


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--coders", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-store", action="store_true", help="skip the project-file run")
    args = parser.parse_args()

    data = synthetic(args.units, args.coders)
    matrix = np.where(data.codes >= 0, data.codes, np.nan).astype(np.float64)

    # Interleaved, many times: the two are short and the ratio is what matters.
    t_ref = t_ours = float("inf")
    for _ in range(args.repeat * 4):
        t, ref = best_of(1, lambda: krippendorff.alpha(matrix, level_of_measurement="nominal"))
        t_ref = min(t_ref, t)
        t, ours = best_of(1, lambda: krippendorff_alpha(matrix, "nominal"))
        t_ours = min(t_ours, t)
    assert abs(float(ref) - float(ours)) < 1e-9, (ref, ours)  # type: ignore[arg-type]
    t_fast, _ = best_of(args.repeat, lambda: compute_report(data, bootstrap=0))
    t_all, report = best_of(args.repeat, lambda: compute_report(data, bootstrap=1000, seed=0))

    store_line = ""
    if not args.no_store:
        with tempfile.TemporaryDirectory() as tmp:
            project = build_store(data, Path(tmp))
            codebook = load_codebook()
            t_store, stored = best_of(
                args.repeat, lambda: agreement_report(project, codebook, bootstrap=1000)
            )
            project.close()
        store_line = (
            f"agreement_report from a project file: {t_store * 1000:7.1f} ms "
            f"({stored.overall.units} units; queries + everything above)"  # type: ignore[attr-defined]
        )

    overall = report.overall  # type: ignore[attr-defined]
    print(f"{args.units} units x {args.coders} annotators, best of {args.repeat} runs")
    print(f"  alpha nominal {overall.alpha_nominal:.4f}  CI {overall.alpha_nominal_ci}")
    print(f"  disagreements listed: {len(report.disagreements)}")  # type: ignore[attr-defined]
    print(f"krippendorff package, nominal alpha : {t_ref * 1000:8.1f} ms (reference)")
    print(
        f"our krippendorff_alpha, nominal     : {t_ours * 1000:8.1f} ms "
        f"(ratio {t_ours / t_ref:.2f}, target <= 1.5)"
    )
    print(
        f"full report, no bootstrap           : {t_fast * 1000:8.1f} ms "
        f"(ratio {t_fast / t_ref:.1f})"
    )
    print(f"full report, 1000 bootstrap resamples: {t_all * 1000:7.1f} ms (target < 2000 ms)")
    if store_line:
        print(store_line)


if __name__ == "__main__":
    main()
