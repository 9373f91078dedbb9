"""What the HTML import keeps of the pages in tests/data/html/: per page whether the lede
is kept, how much of the body, how much boilerplate, and whether the title and the id are
right. Used by tests/ingest/test_html_pages.py; run it to print the table in
docs/import.md:

    python -m tests.ingest.html_eval            # the import as it is
    python -m tests.ingest.html_eval --plain    # trafilatura alone (favor_precision)
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent.parent / "data" / "html"


@dataclass(frozen=True)
class PageScore:
    name: str
    lede: tuple[int, int]  # kept, of
    body: tuple[int, int]
    boilerplate: tuple[int, int]
    title: bool
    lost: tuple[str, ...]  # lede and body strings missing
    leaked: tuple[str, ...]  # boilerplate strings kept
    unmarked: tuple[str, ...]  # of those, what the boilerplate rules do not mark either


def gold() -> dict[str, dict[str, Any]]:
    data = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _unmarked(text: str, leaked: list[str]) -> list[str]:
    """The leaked strings that lie outside every block the boilerplate rules find (the
    window shows those blocks quietly and gives their actors no row)."""
    from annotator.ingest.boilerplate import find_boilerplate

    blocks = find_boilerplate(text)
    out = []
    for item in leaked:
        start = text.find(item)
        if start < 0:  # across a line break: whitespace differs
            out.append(item)
            continue
        end = start + len(item)
        if not any(int(b[0]) <= start and end <= int(b[1]) for b in blocks):
            out.append(item)
    return out


def score(name: str, page: dict[str, Any], text: str, title: str) -> PageScore:
    flat = _norm(text)

    def found(items: list[str]) -> list[str]:
        return [s for s in items if _norm(s) in flat]

    lede, body, noise = found(page["lede"]), found(page["body"]), found(page["boilerplate"])
    lost = [s for s in page["lede"] + page["body"] if s not in lede + body]
    return PageScore(
        name=name,
        lede=(len(lede), len(page["lede"])),
        body=(len(body), len(page["body"])),
        boilerplate=(len(noise), len(page["boilerplate"])),
        title=_norm(title) in [_norm(t) for t in page["titles"]],
        lost=tuple(lost),
        leaked=tuple(noise),
        unmarked=tuple(_unmarked(text, noise)),
    )


def plain_text(path: Path) -> tuple[str, str]:
    """trafilatura alone, as the import called it before ledes were recovered."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(
        path.read_text(encoding="utf-8"),
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
    )
    return doc.text or "", doc.title or ""


def evaluate(*, plain: bool = False) -> list[PageScore]:
    from annotator.ingest.readers import read_html_file

    scores = []
    for name, page in gold().items():
        path = PAGES / f"{name}.html"
        if plain:
            text, title = plain_text(path)
        else:
            record = read_html_file(path)
            text, title = record.text, record.title
        scores.append(score(name, page, text, title))
    return scores


def table(scores: list[PageScore]) -> str:
    def frac(pair: tuple[int, int]) -> str:
        return f"{pair[0]}/{pair[1]}"

    rows = [
        "| page | lede kept | body kept | boilerplate kept | of it unmarked | title |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for s in scores:
        lede = frac(s.lede) if s.lede[1] else "(none)"
        rows.append(
            f"| {s.name} | {lede} | {frac(s.body)} | {frac(s.boilerplate)} | "
            f"{len(s.unmarked)} | {'yes' if s.title else 'no'} |"
        )
    total = [sum(getattr(s, k)[i] for s in scores) for k in ("lede", "body", "boilerplate")
             for i in (0, 1)]  # fmt: skip
    titles = sum(s.title for s in scores)
    unmarked = sum(len(s.unmarked) for s in scores)
    rows.append(
        f"| **all {len(scores)} pages** | {total[0]}/{total[1]} | {total[2]}/{total[3]} | "
        f"{total[4]}/{total[5]} | {unmarked} | {titles}/{len(scores)} |"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plain", action="store_true", help="trafilatura alone")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what was lost")
    args = parser.parse_args()
    scores = evaluate(plain=args.plain)
    print(table(scores))
    if args.verbose:
        for s in scores:
            for item in s.lost:
                print(f"{s.name}: lost   {item[:90]}")
            for item in s.leaked:
                mark = "" if item in s.unmarked else " (marked by the rules)"
                print(f"{s.name}: leaked {item[:90]}{mark}")


if __name__ == "__main__":
    main()
