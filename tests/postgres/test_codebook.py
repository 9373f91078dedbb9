"""The server checks labels against the project's codebook, stored at `server init`, and
evidence against the article's text, whoever writes and with whatever codebook."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.agreement import agreement_report
from annotator.codebook import Codebook
from annotator.errors import InputError, ProjectError
from annotator.server.roles import init_server
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell
from tests.agreement.builders import TEXTS, actor_id, article_id
from tests.postgres.database import TestDatabase
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres


def own_label(url: str) -> int:
    return rows(url, "SELECT min(id) FROM stanceannotation")[0][0]


def test_a_label_outside_the_codebook_is_refused(team, codebook: Codebook) -> None:
    with open_project(team["ben"]) as ben:
        who = get_or_create_annotator(ben, "ben")
        a1, actor = article_id(ben, "a1"), actor_id(ben, "Boris Pistorius")
        # ben's own codebook has a target "pizza" and a stance "maybe": the tool's own
        # check uses his codebook, so only the server can refuse.
        for key, state, wrong in (
            (CellKey(a1, actor, "pizza"), CellState("favor"), "target 'pizza'"),
            (CellKey(a1, actor, "ground_troops"), CellState("maybe"), "stance 'maybe'"),
        ):
            with pytest.raises(InputError, match=f"{wrong} is not in the project's codebook"):
                put_cell(ben, who, key, state, stances=("favor", "maybe"))
    label = own_label(team["ben"])
    for sql in (
        f"UPDATE stanceannotation SET stance = 'maybe' WHERE id = {label}",
        "INSERT INTO stanceannotation (article_id, actor_id, target, stance, annotator_id, "
        f"created_at, updated_at) VALUES ({a1}, {actor}, 'pizza', 'favor', {who}, now(), now())",
        "INSERT INTO labelevent (at, annotator_id, article_id, target, action) "
        f"VALUES (now(), {who}, {a1}, 'pizza', 'set')",
    ):
        assert "not in the project's codebook" in refused(team["ben"], sql), sql
    with open_project(team["lead"]) as lead:  # the lead's agreement still works
        report = agreement_report(lead, codebook, bootstrap=10, seed=1).as_dict()
    assert report["annotators"] == ["anna", "ben"]
    stored = rows(team["lead"], "SELECT DISTINCT target FROM stanceannotation ORDER BY 1")
    assert {t for (t,) in stored} <= set(codebook.target_ids)


def test_evidence_outside_the_article_text_is_refused(team) -> None:
    label = own_label(team["ben"])
    for start, end in ((0, 10_000), (-1, 4), (5, 5)):
        sql = f'INSERT INTO evidence (annotation_id, start, "end") VALUES ({label}, {start}, {end})'
        assert "lies outside the article text" in refused(team["ben"], sql)
    length = len(TEXTS["a1"])  # ben's first label is in a1
    rows(
        team["ben"],
        f'INSERT INTO evidence (annotation_id, start, "end") VALUES ({label}, 0, {length})',
    )


def test_init_stores_the_codebook_and_refuses_one_the_labels_do_not_fit(
    pg: TestDatabase, team, codebook: Codebook
) -> None:
    def stored() -> list[tuple]:
        return rows(pg.url(), "SELECT kind, id FROM team_codebook ORDER BY kind, position")

    assert stored() == [("stance", s) for s in codebook.stance_ids] + [
        ("target", t) for t in codebook.target_ids
    ]
    fewer = replace(codebook, targets=codebook.targets[:1], name="smaller")
    with pytest.raises(ProjectError, match="labels on the server use the target"):
        init_server(pg.url(), codebook=fewer)
    more = replace(codebook, targets=(*codebook.targets, replace(codebook.targets[0], id="x")))
    report = init_server(pg.url(), codebook=more)
    assert report.targets == (*codebook.target_ids, "x")
    assert f"targets {', '.join(report.targets)}" in report.summary()
    init_server(pg.url())  # no codebook given: the stored one stays
    assert ("target", "x") in stored()
    with open_project(team["ben"]) as ben:
        who = get_or_create_annotator(ben, "ben")
        key = CellKey(article_id(ben, "a2"), actor_id(ben, "NATO"), "x")
        put_cell(ben, who, key, CellState("favor"))
