"""Each annotator's role reads and writes only that annotator's labels; the lead sees all."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import ProgrammingError

from annotator.agreement import agreement_report
from annotator.errors import InputError, ProjectError
from annotator.server.roles import add_annotator, init_server, parse_assignment
from annotator.store.actors import add_manual_mention
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, CellState, get_cell, put_cell
from tests.agreement.builders import article_id, label_anna, label_ben, new_project
from tests.postgres.team import rows

pytestmark = pytest.mark.postgres
LABEL_TABLES = ("stanceannotation", "evidence", "labelevent", "articledone")


def names_in(url: str, table: str) -> set[str]:
    join = {
        "evidence": "JOIN stanceannotation s ON s.id = t.annotation_id "
        "JOIN annotator a ON a.id = s.annotator_id",
    }.get(table, "JOIN annotator a ON a.id = t.annotator_id")
    return {r[0] for r in rows(url, f"SELECT a.name FROM {table} t {join}")}


def test_an_annotator_reads_only_their_own_labels(team) -> None:
    for table in LABEL_TABLES:
        assert names_in(team["anna"], table) == {"anna"}, table
        assert names_in(team["ben"], table) == {"ben"}, table
    with open_project(team["anna"]) as anna:
        a1 = article_id(anna, "a1")
        assert {lab.annotator for lab in labels_for_article(anna, a1)} == {"anna"}
        assert rows(team["anna"], "SELECT count(*) FROM article") == [(3,)]  # shared data


def test_the_lead_reads_everybody_and_gets_the_same_agreement_as_on_sqlite(
    team, codebook, tmp_path
) -> None:
    for table in LABEL_TABLES:
        assert names_in(team["lead"], table) == {"anna", "ben"}, table
    with open_project(team["lead"]) as lead:
        on_server = agreement_report(lead, codebook, bootstrap=100, seed=1).as_dict()
    with new_project(tmp_path / "one-file.db") as local:
        label_anna(local)
        label_ben(local)
        in_file = agreement_report(local, codebook, bootstrap=100, seed=1).as_dict()
    assert on_server["annotators"] == ["anna", "ben"]
    assert on_server == in_file


def test_an_annotator_cannot_change_or_delete_anothers_labels(team) -> None:
    before = rows(team["lead"], "SELECT id, stance, note FROM stanceannotation ORDER BY id")
    ben_only = "annotator_id = (SELECT id FROM annotator WHERE name = 'ben')"
    for sql in (
        f"UPDATE stanceannotation SET stance = 'favor', note = 'x' WHERE {ben_only}",
        f"DELETE FROM stanceannotation WHERE {ben_only}",
        f"DELETE FROM articledone WHERE {ben_only}",
        "DELETE FROM evidence",  # anna's own evidence is hers to delete; none of ben's goes
    ):
        rows(team["anna"], sql)
    after = rows(team["lead"], "SELECT id, stance, note FROM stanceannotation ORDER BY id")
    assert after == before
    assert names_in(team["lead"], "evidence") == {"ben"}
    assert names_in(team["lead"], "articledone") == {"anna", "ben"}


def test_writing_a_label_for_another_annotator_is_refused(team) -> None:
    with open_project(team["anna"]) as anna:
        ben = get_or_create_annotator(anna, "ben")  # names are visible, labels are not
        key = CellKey(article_id(anna, "a3"), 1, "ground_troops")
        with pytest.raises(ProjectError, match="changes only its own labels"):
            put_cell(anna, ben, key, CellState("favor"))
        assert get_cell(anna, ben, key).is_empty
    with pytest.raises(ProgrammingError, match="row-level security"):
        rows(
            team["anna"],
            "INSERT INTO stanceannotation (article_id, actor_id, target, annotator_id, "
            f"created_at, updated_at) VALUES ({key.article_id}, 1, 'ground_troops', {ben}, "
            "now(), now())",
        )
    with pytest.raises(ProgrammingError, match="permission denied"):
        rows(team["anna"], f"UPDATE stanceannotation SET annotator_id = {ben}")
    # Evidence for one of ben's labels, its id known from elsewhere: refused as well.
    bens_label = rows(
        team["lead"], f"SELECT min(id) FROM stanceannotation WHERE annotator_id = {ben}"
    )
    with pytest.raises(ProgrammingError, match="row-level security"):
        rows(
            team["anna"],
            f'INSERT INTO evidence (annotation_id, start, "end") VALUES ({bens_label[0][0]}, 0, 4)',
        )
    assert names_in(team["lead"], "stanceannotation") == {"anna", "ben"}


def test_an_unregistered_annotator_name_is_refused_clearly(team) -> None:
    with open_project(team["anna"]) as anna, pytest.raises(ProjectError, match="refused"):
        get_or_create_annotator(anna, "mallory")


def test_an_annotator_may_mark_a_mention_by_hand(team) -> None:
    with open_project(team["anna"]) as anna:
        a2 = article_id(anna, "a2")
        add_manual_mention(anna, a2, 4, 8, actor_name="Nato (Bündnis)", label="ORG")
    assert rows(team["ben"], "SELECT count(*) FROM mention WHERE source = 'manual'") == [(1,)]


def test_a_new_annotator_can_be_added_later(pg, team) -> None:
    role = pg.role("carl")
    report = add_annotator(pg.url(), "carl", role)
    assert report.annotators == {"carl": role} and not report.roles_created
    with open_project(pg.url(role)) as carl:
        who = get_or_create_annotator(carl, "carl")
        put_cell(carl, who, CellKey(article_id(carl, "a1"), 1, "ground_troops"), CellState("favor"))
        assert {lab.annotator for lab in labels_for_article(carl, article_id(carl, "a1"))} == {
            "carl"
        }
    assert names_in(team["lead"], "stanceannotation") == {"anna", "ben", "carl"}


def test_init_is_idempotent_and_only_for_the_owner(pg, team) -> None:
    before = rows(pg.url(), "SELECT name, db_role FROM annotator ORDER BY name")
    init_server(pg.url(), annotators={"anna": f"{pg.tag}_anna"})
    assert rows(pg.url(), "SELECT name, db_role FROM annotator ORDER BY name") == before
    with pytest.raises(ProjectError, match="owner"):
        init_server(team["lead"])


def test_init_refuses_sqlite_and_bad_role_names(tmp_path) -> None:
    with pytest.raises(InputError, match="PostgreSQL"):
        init_server(str(tmp_path / "p.db"))
    with pytest.raises(InputError, match="role name"):
        init_server(str(tmp_path / "p.db"), leads=['bad"name'])
    assert parse_assignment("anna=anna_role") == ("anna", "anna_role")
    assert parse_assignment("anna") == ("anna", "anna")


@pytest.mark.parametrize("fmt", ["documents", "stances"])
def test_the_leads_export_equals_the_export_of_one_file(team, codebook, tmp_path, fmt) -> None:
    from annotator.export import ExportOptions, export

    with open_project(team["lead"]) as lead:
        export(lead, codebook, fmt, tmp_path / "server.jsonl", ExportOptions())
    with new_project(tmp_path / "one-file.db") as local:
        label_anna(local)
        label_ben(local)
        export(local, codebook, fmt, tmp_path / "file.jsonl", ExportOptions())
    server = (tmp_path / "server.jsonl").read_text(encoding="utf-8")
    assert server == (tmp_path / "file.jsonl").read_text(encoding="utf-8")
    assert '"anna"' in server and '"ben"' in server


def test_init_creates_missing_roles_unless_told_not_to(pg) -> None:
    new_project(pg.url()).close()
    dora = f"{pg.tag}_dora"
    with pytest.raises(ProjectError, match="no role"):
        init_server(pg.url(), annotators={"dora": dora}, create_roles=False)
    pg.roles.append(dora)  # dropped after the test
    report = init_server(pg.url(), annotators={"dora": dora})
    assert report.roles_created == [dora] and "without a password" in report.summary()
    assert rows(pg.url(), f"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{dora}'") == [(True,)]


def test_server_commands_through_the_cli(pg, capsys) -> None:
    from annotator.cli.app import main

    lead, anna, ben = pg.role("lead"), pg.role("anna"), pg.role("ben")
    main(["--db", pg.url(), "server", "init", "--lead", lead, "--annotator", f"anna={anna}"])
    out = capsys.readouterr().out
    assert f"annotator 'anna' writes as role {anna}" in out and lead in out
    assert "test-password" not in out
    main(["server", "add-annotator", "ben", "--role", ben, "--db", pg.url()])
    assert f"annotator 'ben' writes as role {ben}" in capsys.readouterr().out
    assert rows(pg.url(), "SELECT name, db_role FROM annotator ORDER BY name") == [
        ("anna", anna),
        ("ben", ben),
        ("gold", None),  # the gold standard (curation), which no role writes as an annotator
    ]
    with pytest.raises(SystemExit) as exc:
        main(["server", "init"])  # no URL anywhere: one clear line, no traceback
    assert exc.value.code == 2
    assert "give the server's URL" in capsys.readouterr().err
