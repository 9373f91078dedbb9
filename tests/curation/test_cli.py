"""The curation commands: `annotator curate`, `annotator curation status|set-coders`,
`agreement --against-gold`, the curation columns of `annotator articles`, `export --labels
gold`; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.curation import CurationSession
from annotator.store.engine import open_project
from tests.agreement.builders import article_id
from tests.curation.conftest import key, person
from tests.network.test_cli import run


@pytest.fixture
def lead(labelled) -> str:
    labelled.close()
    return str(labelled.path)


def test_curate_prints_a_summary_and_premerges(lead: str, capsys) -> None:
    code, out, err = run(["--db", lead, "curate", "--strategy", "complete", "--curator", "lena"],
                         capsys)  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        "complete: 2 article(s) pre-merged; 2 unit(s) pre-merged; 2 left for the curator; "
        "0 already decided and kept; 2 unit(s) changed"
    )
    code, out, _ = run(["--db", lead, "curate", "--strategy", "incomplete", "--article", "a2",
                        "--curator", "lena", "--json"], capsys)  # fmt: skip
    summary = json.loads(out)
    assert (summary["articles"], summary["premerged"], summary["written"]) == (1, 2, 2)
    code, out, _ = run(["--db", lead, "curation", "status", "--json"], capsys)
    status = json.loads(out)
    assert status["articles"] == {"waiting": 1, "ready": 2, "in_curation": 0, "curated": 0}
    assert (status["units_premerged"], status["units_open"]) == (3, 1)
    code, out, _ = run(["--db", lead, "curation", "status"], capsys)
    assert "articles ready for curation" in out and "units open" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["curate", "--strategy", "majority"], "unknown strategy 'majority'"),
        (["curate", "--strategy", "threshold", "--confidence", "2"], "above 0 and at most 1"),
        (["curate", "--strategy", "complete", "--discard-decisions"], "add --yes to confirm"),
        (
            ["curate", "--strategy", "complete", "--article", "zz", "--curator", "lena"],
            "no article 'zz'",
        ),
        (
            ["curate", "--strategy", "complete", "--article", "a3", "--curator", "lena"],
            "'a3' is not ready for curation (1/2 done)",
        ),  # fmt: skip
        (["curate", "--strategy", "complete"], "say who curates: --curator NAME"),
        (["curate", "--strategy", "complete", "--curator", "gold"], "'gold' is reserved"),
        (["curation", "set-coders", "0"], "must be 1 to 1000"),
        (["articles", "--curation", "finished"], "unknown curation state 'finished'"),
        (["agreement", "--against-gold", "--csv", "x.csv"], "--csv is not available"),
    ],
)
def test_errors_are_one_line(argv, message, lead: str, capsys) -> None:
    code, _, err = run(["--db", lead, *argv], capsys)
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("annotator: error:"), err
    assert message in err


def test_discarding_decisions_needs_yes(lead: str, codebook, capsys) -> None:
    with open_project(lead) as project:
        masala = key(project, "a1", "Carlo Masala", "ground_troops")
        CurationSession(project, codebook, person(project, "lena")).set_stance(masala, "neutral")
    argv = ["--db", lead, "curate", "--strategy", "complete", "--curator", "lena"]
    code, out, _ = run([*argv, "--discard-decisions", "--yes"], capsys)
    assert code == 0 and "1 decision(s) replaced" in out


def test_set_coders_and_the_articles_columns(lead: str, capsys) -> None:
    code, out, _ = run(["--db", lead, "curation", "set-coders", "1"], capsys)
    assert code == 0 and "when 1 annotator(s) marked it done" in out
    code, out, _ = run(["--db", lead, "articles"], capsys)
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()[1:-1]}
    assert rows["a3"][5:8] == ["1/1", "ready", "anna ✓, ben …"]
    code, out, _ = run(["--db", lead, "articles", "--curation", "ready", "--json"], capsys)
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a1", "a2", "a3"]


def test_agreement_against_gold_and_the_gold_export(lead: str, codebook, tmp_path: Path,
                                                    capsys) -> None:  # fmt: skip
    with open_project(lead) as project:
        cur = CurationSession(project, codebook, person(project, "lena"))
        cur.premerge(article_id(project, "a1"), "complete")
        cur.accept(key(project, "a1", "Carlo Masala", "ground_troops"), person(project, "ben"))
        cur.finish(article_id(project, "a1"))
    code, out, err = run(["--db", lead, "agreement", "--against-gold", "--confusion"], capsys)
    assert code == 0, err
    assert "1 curated article(s), 2 unit(s)" in out
    assert "anna (rows) x gold (columns)" in out
    code, out, _ = run(["--db", lead, "agreement", "--against-gold", "--json"], capsys)
    figures = {a["name"]: a for a in json.loads(out)["annotators"]}
    assert (figures["anna"]["accuracy"], figures["ben"]["accuracy"]) == (0.5, 1.0)
    target = tmp_path / "gold.jsonl"
    code, out, err = run(["--db", lead, "export", "-f", "stances", "--labels", "gold", "-o",
                          str(target)], capsys)  # fmt: skip
    assert code == 0, err
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    code, out, _ = run(["--db", lead, "info"], capsys)
    assert "annotators: anna, ben, lena" in out and "gold:       2 curated label(s)" in out


def test_a_refused_or_empty_curate_creates_no_curator(lead: str, tmp_path: Path, capsys) -> None:
    from tests.safety.refusal import assert_refused

    # a3 is done by anna only: not ready, so refused, and "newcomer" is not created.
    assert_refused(lead, ["curate", "--strategy", "complete", "--curator", "newcomer",
                          "--article", "a3"], capsys, "a3")  # fmt: skip
    empty = str(tmp_path / "empty.db")
    open_project(empty).close()
    code, out, err = run(["--db", empty, "curate", "--strategy", "complete", "--curator", "x"],
                         capsys)  # fmt: skip
    assert code == 0 and "0 article(s)" in out, err
    with open_project(empty) as project, project.session() as s:
        from sqlmodel import select

        from annotator.store.models import Annotator

        assert s.exec(select(Annotator.name)).all() == []


def test_history_shows_the_curation_trail(lead: str, codebook, capsys) -> None:
    with open_project(lead) as project:
        cur = CurationSession(project, codebook, person(project, "lena"))
        cur.premerge(article_id(project, "a1"), "complete")
        cur.accept(key(project, "a1", "Carlo Masala", "ground_troops"), person(project, "ben"))
        cur.finish(article_id(project, "a1"))
    code, out, _ = run(["--db", lead, "history", "--annotator", "gold", "-n", "4"], capsys)
    lines = out.splitlines()[1:]
    assert code == 0 and len(lines) == 4
    assert lines[0].endswith("article in_curation → curated (by lena)"), lines[0]
    assert lines[1].endswith("article not in curation → in_curation (by lena)"), lines[1]
    assert lines[2].endswith("– → against; +evidence 60-72; from annotator, by lena")  # ben's
    assert lines[3].endswith("from strategy, by lena")  # the pre-merge
    code, out, _ = run(["--db", lead, "history", "--annotator", "gold", "-n", "1", "--json"],
                       capsys)  # fmt: skip
    newest = json.loads(out)
    assert (newest["curation"], newest["by"]) == (["in_curation", "curated"], "lena")
