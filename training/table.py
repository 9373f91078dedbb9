"""Print markdown rows from evaluate.py --json files (for training/README.md).

.venv/bin/python training/table.py training/runs/*.eval.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LABELS = ("PER", "ORG", "LOC", "MISC")


def row(path: Path, variant: str) -> str:
    ev = json.loads(path.read_text())
    sp = ev[variant]["spacy"]
    pr = ev[variant]["project"]["labels"]
    name = path.name.removesuffix(".json").removesuffix(".eval")
    cells = [name, variant, f"{sp['ents_p']:.3f}", f"{sp['ents_r']:.3f}", f"{sp['ents_f']:.3f}"]
    cells += [f"{sp['ents_per_type'].get(lab, {}).get('f', 0):.3f}" for lab in LABELS]
    ov = pr["ALL"]["overlap"]
    cells += [f"{ov['precision']:.3f}", f"{ov['recall']:.3f}", f"{ov['f1']:.3f}"]
    cells += [f"{pr[lab]['overlap']['f1']:.3f}" if lab in pr else "-" for lab in LABELS]
    cells.append(f"{ev['size_bytes'] / 1e6:.1f}")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    head = [
        "run",
        "gold",
        "exact P",
        "exact R",
        "exact F1",
        *(f"{x} F1" for x in LABELS),
        "overlap P",
        "overlap R",
        "overlap F1",
        *(f"{x} ov. F1" for x in LABELS),
        "MB",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
    for arg in sys.argv[1:]:
        for variant in ("outer", "nosub"):
            print(row(Path(arg), variant))


if __name__ == "__main__":
    main()
