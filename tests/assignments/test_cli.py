"""`annotator assign`, `package` and `progress` through the command line, as a lead runs
them: plan, hand out packages, merge them back, watch progress."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import count_done
from annotator.store.assignments import next_in_queue
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from tests.agreement.builders import actor_id, article_id
from tests.assignments.test_service import corpus
from tests.cli.test_cli import run


def lead_db(tmp_path: Path, n: int = 30) -> str:
    db = tmp_path / "lead.db"
    with open_project(str(db)) as project:
        corpus(project, n)
        from tests.conftest import add_actor

        add_actor(project, "NATO", label="ORG")
    return str(db)


def test_plan_show_extend_and_reassign(tmp_path: Path, capsys) -> None:
    db = lead_db(tmp_path)
    code, out, err = run(["--db", db, "assign", "--annotators", "anna,ben,cara,dan",
                          "--overlap", "0.2", "--coders-per-overlap", "2", "--seed", "1"],
                         capsys)  # fmt: skip
    assert code == 0, err
    assert "planned 30 article(s), 6 of them for 2 coders" in out
    assert "anna: 9 assigned (+9)" in out
    code, out, err = run(["--db", db, "assign", "--show"], capsys)
    assert code == 0, err
    assert "Plan: overlap 20% with 2 coders per overlap article, seed 1" in out
    assert "Shared articles per pair" in out and "cara" in out
    code, out, _ = run(["--db", db, "assign", "--show", "--json"], capsys)
    data = json.loads(out)
    assert [a["assigned"] for a in data["annotators"]] == [9, 9, 9, 9]
    assert data["settings"]["seed"] == 1 and len(data["pairs"]) == 6
    with open_project(db) as project:
        corpus(project, 10, start=30)
    code, out, _ = run(["--db", db, "assign", "--dry-run"], capsys)  # the stored settings
    assert "would plan (nothing written) 10 article(s)" in out
    code, out, _ = run(["--db", db, "assign"], capsys)
    assert "planned 10 article(s), 2 of them" in out and "anna: 12 assigned (+3)" in out
    # A name not in the team is refused (a typo would make a new coder) ...
    code, _, err = run(["--db", db, "assign", "--reassign", "dan", "--to", "eva"], capsys)
    assert code != 0 and "'eva' is not in the plan's team" in err
    # ... until the lead adds her; a team named without somebody says who leaves.
    code, out, _ = run(["--db", db, "assign", "-a", "anna,ben,cara,dan,eva"], capsys)
    assert code == 0 and "planned 0 article(s)" in out and "leave" not in out
    code, out, _ = run(["--db", db, "assign", "--reassign", "dan", "--to", "eva", "--limit", "4"],
                       capsys)  # fmt: skip
    assert code == 0 and "moved 4 unfinished article(s) from dan to eva" in out
    code, out, _ = run(["--db", db, "assign", "-a", "anna,ben", "--dry-run"], capsys)
    assert "cara, dan, eva would leave the plan's team" in out


def test_packages_out_and_labels_back(tmp_path: Path, capsys) -> None:
    db = lead_db(tmp_path, 12)
    run(["--db", db, "assign", "-a", "anna,ben", "--overlap", "0.25"], capsys)
    code, out, err = run(["--db", db, "package", "--all", "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    assert "2 package(s) written" in out and "anna.db: anna's 8 article(s)" in out
    code, out, err = run(["--db", db, "package", "-a", "anna", "-o", str(tmp_path / "out")],
                         capsys)  # fmt: skip
    assert code != 0 and err.count("\n") == 1 and "never replaces a file" not in err
    assert "is a database" in err
    package = tmp_path / "out" / "anna.db"
    with open_project(str(package)) as p:
        anna = get_or_create_annotator(p, "anna")
        first = next_in_queue(p, anna)
        assert first is not None
        put_cell(
            p, anna, CellKey(first, actor_id(p, "NATO"), "nato_membership"), CellState("favor")
        )
        set_done(p, first, anna)
    code, out, err = run(["--db", db, "merge", str(package)], capsys)
    assert code == 0 and "1 label(s) added" in out and "1 done mark(s) added" in out
    code, out, _ = run(["--db", db, "merge", str(package)], capsys)
    assert "nothing new" in out
    code, out, err = run(["--db", db, "progress"], capsys)
    assert code == 0, err
    assert "anna" in out and "to finish" in out
    code, out, _ = run(["--db", db, "progress", "--json"], capsys)
    anna_row = json.loads(out)["annotators"][0]
    assert (anna_row["name"], anna_row["done"], anna_row["labels_recent"]) == ("anna", 1, 1)
    png = tmp_path / "progress.png"
    code, out, _ = run(["--db", db, "progress", "--png", str(png)], capsys)
    assert code == 0 and png.read_bytes()[:4] == b"\x89PNG" and "chart written" in out
    code, out, err = run(["--db", db, "progress", "--json", "--png", str(png)], capsys)
    assert json.loads(out)["annotators"] and "chart written" in err  # stdout stays JSON


def test_mistakes_are_one_line_without_a_traceback(tmp_path: Path, capsys) -> None:
    db = lead_db(tmp_path, 4)
    for argv, message in (
        (["assign"], "name at least one annotator"),
        (["assign", "-a", "anna", "--overlap", "0.5"], "need at least 2 annotators"),
        (["assign", "-a", "anna,ben", "--overlap", "2"], "between 0 and 1"),
        (["assign", "--reassign", "anna"], "needs --to"),
        (["package", "-o", str(tmp_path / "x.db")], "either --annotator NAME or --all"),
        (["package", "--all", "-o", str(tmp_path / "x")], "no assignment plan"),
        (["progress", "--days", "0"], "--days must be 1 or more"),
        (["progress", "--png", db], "project's own file"),
    ):
        code, _, err = run(["--db", db, *argv], capsys)
        assert code != 0 and message in err and "Traceback" not in err, (argv, err)
        assert err.count("\n") == 1, err
    code, out, _ = run(["--db", db, "progress"], capsys)
    assert code == 0 and "no assignment plan yet" in out


def test_a_refused_package_leaves_the_project_as_it_was(tmp_path: Path, capsys) -> None:
    from annotator.store.gold import ensure_gold
    from tests.safety.refusal import assert_refused

    db = lead_db(tmp_path, 4)
    code, _, _ = run(["--db", db, "assign", "-a", "anna,ben", "--overlap", "0.5"], capsys)
    assert code == 0
    with open_project(db) as project, project.write() as s:
        ensure_gold(s)  # as the first curation does; it has no uid
    out = str(tmp_path / "g.db")
    assert_refused(db, ["package", "--annotator", "gold", "-o", out], capsys, "gold standard")
    assert_refused(db, ["package", "--annotator", "zoe", "-o", out], capsys, "no annotator")
    assert not Path(out).exists()


def test_work_in_an_old_package_after_a_reassign_is_not_taken_and_named_at_merge(
    tmp_path: Path, capsys
) -> None:
    db = lead_db(tmp_path, 12)
    run(["--db", db, "assign", "-a", "anna,ben", "--overlap", "0"], capsys)
    assert (
        run(["--db", db, "package", "-a", "anna", "-o", str(tmp_path / "anna.db")], capsys)[0] == 0
    )
    code, out, _ = run(["--db", db, "assign", "--reassign", "anna", "--to", "ben"], capsys)
    assert code == 0 and "moved 6 unfinished article(s)" in out
    with open_project(str(tmp_path / "anna.db")) as p:  # anna works on in her old package
        anna = get_or_create_annotator(p, "anna")
        first = next_in_queue(p, anna)
        assert first is not None
        set_done(p, first, anna)
    code, out, _ = run(["--db", db, "merge", str(tmp_path / "anna.db")], capsys)
    assert code == 0 and "0 done mark(s) added" in out
    assert "NOT taken, since the plan does not give them to this coder" in out
    assert "0 label(s) and 1 done mark(s) in other articles" in out
    with open_project(db) as p:  # ben's article now: anna's mark would make it look coded twice
        assert count_done(p, get_or_create_annotator(p, "anna")) == 0


def test_an_output_ending_in_a_slash_is_a_folder(tmp_path: Path, capsys) -> None:
    db = lead_db(tmp_path, 4)
    run(["--db", db, "assign", "-a", "anna,ben", "--overlap", "0"], capsys)
    code, out, err = run(["--db", db, "package", "-a", "anna", "-o", f"{tmp_path}/new/"], capsys)
    assert code == 0, err
    assert (tmp_path / "new" / "anna.db").is_file() and "new/anna.db" in out


def labelled_without_a_plan(tmp_path: Path, names: tuple[str, ...]) -> str:
    """Four articles, no plan; each of `names` labels the first article and marks it done."""
    db = lead_db(tmp_path, 4)
    with open_project(db) as p:
        first = article_id(p, "s000")
        for name in names:
            who = get_or_create_annotator(p, name)
            put_cell(p, who, CellKey(first, actor_id(p, "NATO"), "nato_membership"),
                     CellState("favor"))  # fmt: skip
            set_done(p, first, who)
    return db


def table_rows(out: str) -> tuple[list[str], dict[str, list[str]]]:
    """A rich table's header and its rows by their first cell."""

    def cells(line: str, bar: str) -> list[str]:
        return [c.strip() for c in line.strip().strip(bar).split(bar)]

    header = next(cells(line, "┃") for line in out.splitlines() if line.startswith("┃"))
    rows = [cells(line, "│") for line in out.splitlines() if line.startswith("│")]
    return header, {row[0]: row[1:] for row in rows}


def test_progress_without_a_plan_shows_everyone_who_works(tmp_path: Path, capsys) -> None:
    db = labelled_without_a_plan(tmp_path, ("lena", "omar"))
    code, out, err = run(["--db", db, "progress"], capsys)
    assert code == 0, err
    header, rows = table_rows(out)
    # every article is everyone's: "articles", not "assigned" (as View › Progress says)
    assert header[:5] == ["annotator", "articles", "done", "in progress", "not started"]
    assert rows["lena"][:4] == rows["omar"][:4] == ["4", "1", "0", "3"]
    assert set(rows) == {"lena", "omar"}
    assert "1 article(s) done by two or more coders, 1 coding unit(s)" in out
    assert "A plan: annotator assign --annotators lena,omar\n" in out
    code, out, _ = run(["--db", db, "progress", "--json"], capsys)
    data = json.loads(out)
    assert data["planned"] is False and data["annotators"] == []  # the plan's: none
    assert [(p["name"], p["articles"], p["done"], p["labels_recent"]) for p in data["people"]] == [
        ("lena", 4, 1, 1),
        ("omar", 4, 1, 1),
    ]
    assert all("assigned" not in p for p in data["people"])
    # With a plan the table is the plan's, as before.
    run(["--db", db, "assign", "-a", "lena,omar", "--overlap", "0"], capsys)
    code, out, _ = run(["--db", db, "progress"], capsys)
    header, rows = table_rows(out)
    assert code == 0 and header[1] == "assigned" and set(rows) == {"lena", "omar"}
    assert "planned article(s) done by all their coders" in out and "A plan:" not in out
    data = json.loads(run(["--db", db, "progress", "--json"], capsys)[1])
    assert [p["name"] for p in data["annotators"]] == ["lena", "omar"]
    assert all("assigned" in p and "articles" not in p for p in data["annotators"])


def test_the_plan_hints_name_the_projects_annotators(tmp_path: Path, capsys) -> None:
    db = labelled_without_a_plan(tmp_path, ("lena", "omar"))
    code, out, _ = run(["--db", db, "assign", "--show"], capsys)
    assert code == 0
    assert out == "no assignment plan yet: annotator assign --annotators lena,omar\n"
    nobody = lead_db(tmp_path / "nobody")
    code, out, _ = run(["--db", nobody, "progress"], capsys)
    assert code == 0 and "annotator assign --annotators NAME1,NAME2" in out
    assert "anna" not in out


def test_a_name_with_brackets_is_shown_as_it_is(tmp_path: Path, capsys) -> None:
    # rich reads "[/]" as markup: the command stopped with a MarkupError
    db = labelled_without_a_plan(tmp_path, ("lena[/]", "[bold]omar"))
    code, out, err = run(["--db", db, "progress"], capsys)
    assert code == 0, err
    assert set(table_rows(out)[1]) == {"lena[/]", "[bold]omar"}
    code, _, err = run(["--db", db, "assign", "-a", "lena[/],[bold]omar", "--overlap", "0.5"],
                       capsys)  # fmt: skip
    assert code == 0, err
    code, out, err = run(["--db", db, "assign", "--show"], capsys)
    assert code == 0, err
    pairs = out[out.index("Shared articles per pair") :]
    assert table_rows(pairs)[1]["[bold]omar"][0] == "lena[/]"
    assert set(table_rows(out[: len(out) - len(pairs)])[1]) == {"lena[/]", "[bold]omar"}


def test_a_name_with_dollar_signs_draws_the_chart(tmp_path: Path, capsys) -> None:
    # matplotlib read '$\foo$' as a formula and the chart stopped (annotator/plotting.py)
    db = labelled_without_a_plan(tmp_path, ("ina $\\foo$", "$x$ ben"))
    png = tmp_path / "progress.png"
    code, out, err = run(["--db", db, "progress", "--png", str(png)], capsys)
    assert code == 0, err
    assert png.read_bytes()[:4] == b"\x89PNG" and "chart written" in out
