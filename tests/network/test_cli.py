"""`annotator network`: from the seeds with a few labels to files others' tools open; help,
one-line errors, where the files go."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from annotator.project import open_for_use
from tests.agreement.builders import label_anna, label_ben, new_project
from tests.cli.test_cli import run
from tests.network.seeds import label_seeds

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def lead(tmp_path: Path) -> str:
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    project.close()
    return str(tmp_path / "lead.db")


def test_from_the_seeds_to_gephi_pandas_and_a_picture(tmp_path: Path, capsys) -> None:
    project = open_for_use()  # the default project, filled from the seeds
    label_seeds(project)
    project.close()
    out = tmp_path / "out"
    argv = ["network", "--mode", "onemode", "-n", "average", "-o", str(out)]
    code, stdout, err = run([*argv, *("-f", "graphml", "-f", "events", "-f", "png")], capsys)
    assert code == 0, err
    assert "15 statement(s) (majority)" in stdout and "1 unit(s) without agreement" in stdout
    g = nx.read_graphml(out / "network.graphml")
    assert g.graph["aggregation"] == "congruence" and g.graph["labels"] == "majority"
    assert g.nodes["Pete Hegseth"]["statements"] == 3
    assert g.nodes["Luxemburg"]["net_stance"] == -1.0 and g.nodes["Luxemburg"]["type"] == "LOC"
    # both demand more spending (1 each, average activity (3 + 1) / 2): 0.5
    assert g.edges["Pete Hegseth", "Estland"]["weight"] == 0.5
    events = pd.read_csv(out / "events.csv")
    assert len(events) == 15 and set(events["annotator"]) == {"majority"}
    assert "Jean-Noël Barrot" not in set(events["actor"])  # Anna and Ben disagree: no majority
    assert events.loc[events.actor == "Luxemburg", "date"].tolist() == ["2023-06"]
    assert (out / "network.png").read_bytes().startswith(PNG)


def test_help_lists_the_choices(capsys) -> None:
    code, out, _ = run(["network", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    for choices in (
        "twomode|onemode",
        "ignore|combine|subtract|congruence|conflict",
        "no|activity|prominence|average|jaccard|cosine",
        "majority|unanimous|gold",
        "article|include",
        "month|quarter|year",
        "graphml|csv|matrix|events|png|svg",
    ):
        assert choices in flat


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--labels", "gold"], "no label with a stance from gold"),  # nothing curated yet
        (["-q", "congruence"], "aggregation 'congruence' is not for twomode networks"),
        (["--mode", "onemode", "-n", "activity"], "normalisation 'activity' is not for onemode"),
        (["-a", "carla"], "unknown annotator 'carla'"),
        (["-a", "anna", "--labels", "majority"], "choose one annotator or an aggregation"),
        (["-t", "moon_landing"], "unknown target 'moon_landing'"),
        (["--from", "last week"], "--from 'last week'"),
        (["--window", "month", "--moving-window", "30"], "calendar windows or a moving window"),
        (["--window", "decade"], "'decade' is not one of"),
        (["--timeline", "Nobody"], "no statements of 'Nobody'"),
        (["--from", "2030"], "no statements in the date range"),
    ],
)
def test_errors_are_one_line(argv, message, lead, tmp_path: Path, capsys) -> None:
    code, _, err = run(
        ["--db", lead, "network", "-f", "graphml", "-o", str(tmp_path / "x"), *argv], capsys
    )
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("annotator: error:"), err
    assert message in err
    assert not (tmp_path / "x").exists()


def test_the_project_file_and_a_file_for_several_formats_are_refused(lead, capsys) -> None:
    before = Path(lead).stat().st_mtime_ns
    code, _, err = run(["--db", lead, "network", "-f", "csv", "-o", lead], capsys)
    assert code != 0 and "project's own file" in err
    assert Path(lead).stat().st_mtime_ns == before
    code, _, err = run(
        ["--db", lead, "network", "-f", "csv", "-f", "events", "-o", "x.csv"], capsys
    )
    assert code != 0 and "names a file; with several formats give a folder" in err


def test_no_labels_is_said_plainly(tmp_path: Path, capsys) -> None:
    new_project(tmp_path / "empty.db").close()
    code, _, err = run(
        ["--db", str(tmp_path / "empty.db"), "network", "-f", "csv", "-o", str(tmp_path / "e.csv")],
        capsys,
    )
    assert code != 0 and "no statements: no label with a stance from majority" in err


def test_one_format_to_a_file_and_windows_beside_it(tmp_path: Path, capsys) -> None:
    project = new_project(tmp_path / "p.db")
    label_anna(project)
    from tests.network.test_statements import set_dates

    set_dates(project, {"a1": "2024-10-07", "a2": "2024-11", "a3": "2024-11-20"})
    project.close()
    db = ["--db", str(tmp_path / "p.db"), "network", "-a", "anna"]
    code, out, err = run([*db, "-f", "matrix", "-o", str(tmp_path / "m.csv")], capsys)
    assert code == 0, err
    assert pd.read_csv(tmp_path / "m.csv", index_col="actor").loc["NATO"].tolist() == [0, 0, -1]
    code, out, err = run(
        [*db, "-f", "graphml", "--window", "month", "-o", str(tmp_path / "g" / "anna.graphml")],
        capsys,
    )
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == [
        "anna-2024-10.graphml",
        "anna-2024-11.graphml",
    ]
    november = nx.read_graphml(tmp_path / "g" / "anna-2024-11.graphml")
    assert november.graph["window_start"] == "2024-11-01" and november.graph["statements"] == 2
    code, out, err = run(
        [*db, "-f", "png", "--timeline", "Boris Pistorius", "-o", str(tmp_path / "t.png")], capsys
    )
    assert code == 0, err
    assert (tmp_path / "t.png").read_bytes().startswith(PNG)


def test_duplicates_include_counts_each_evidence_quote(lead, tmp_path: Path, capsys) -> None:
    # Anna's Masala label has one quote, Ben's two labels in a1 one each; a label without
    # evidence still counts once. Per annotator, two-mode, ignore: the counts themselves.
    from annotator.store.annotators import get_or_create_annotator
    from annotator.store.engine import open_project
    from annotator.store.labels import CellKey, CellState, put_cell
    from tests.agreement.builders import TEXTS, actor_id, article_id

    project = open_project(lead)
    text = TEXTS["a1"]
    spans = tuple((text.index(q), text.index(q) + len(q)) for q in ("Masala", "denkbar"))
    key = CellKey(article_id(project, "a1"), actor_id(project, "Carlo Masala"), "ground_troops")
    put_cell(project, get_or_create_annotator(project, "anna"), key, CellState("favor", spans))
    project.close()
    base = ["--db", lead, "network", "-a", "anna", "-q", "ignore", "-f", "csv"]
    weights = {}
    for mode in ("article", "include"):
        path = tmp_path / f"{mode}.csv"
        code, _, err = run([*base, "--duplicates", mode, "-o", str(path)], capsys)
        assert code == 0, err
        edges = pd.read_csv(path)
        weights[mode] = dict(zip(edges.actor + "/" + edges.target, edges.weight, strict=True))
    assert weights["article"]["Carlo Masala/ground_troops"] == 1
    assert weights["include"]["Carlo Masala/ground_troops"] == 2
    assert weights["article"]["Boris Pistorius/defence_spending"] == 2  # a1 and a3
    assert weights["include"]["Boris Pistorius/defence_spending"] == 2  # one quote, none
