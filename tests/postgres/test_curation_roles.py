"""Team mode and curation (annotator/server/curation.py): a curator role reads every label
and writes only the gold standard; annotators never write gold and see it only where an
article is curated and they are done with it."""

from __future__ import annotations

import pytest

from annotator.curation import CurationSession, gold_differences
from annotator.errors import InputError
from annotator.server.roles import init_server
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.label_reads import labels_for_article
from tests.agreement.builders import article_id
from tests.curation.conftest import key
from tests.postgres.team import refused, rows
from tests.postgres.test_privileges import ANNOTATOR, rights

pytestmark = pytest.mark.postgres

GOLD_ROWS = "annotator_id = (SELECT id FROM annotator WHERE kind = 'gold')"
ANNA_ROWS = "annotator_id = (SELECT id FROM annotator WHERE name = 'anna')"
MASALA = ("a1", "Carlo Masala", "ground_troops")


def test_a_curator_reads_every_label_and_curates(curators, codebook) -> None:
    with open_project(curators["lena"]) as lena:
        a1 = article_id(lena, "a1")
        assert {lab.annotator for lab in labels_for_article(lena, a1)} == {"anna", "ben"}
        cur = CurationSession(lena, codebook, get_or_create_annotator(lena, "lena"))
        cur.premerge(a1, "complete")
        cur.accept(key(lena, *MASALA), get_or_create_annotator(lena, "ben"))
        cur.finish(a1)
        cur.undo()
        cur.redo()
    gold = rows(curators["lead"], f"SELECT stance FROM stanceannotation WHERE {GOLD_ROWS} "
                "ORDER BY stance")  # fmt: skip
    assert gold == [("against",), ("favor",)]
    assert rows(curators["lead"], "SELECT state FROM curation") == [("curated",)]
    assert rows(curators["lead"], "SELECT count(*) FROM goldorigin") == [(2,)]


def test_a_curator_cannot_change_an_annotators_labels(curators) -> None:
    lena, lead = curators["lena"], curators["lead"]
    before = rows(lead, "SELECT id, stance, note FROM stanceannotation ORDER BY id")
    assert rows(lena, f"UPDATE stanceannotation SET stance = 'neutral' WHERE {ANNA_ROWS}") == [(0,)]
    assert rows(lena, f"DELETE FROM stanceannotation WHERE {ANNA_ROWS}") == [(0,)]
    assert rows(lena, f"DELETE FROM articledone WHERE {ANNA_ROWS}") == [(0,)]
    assert rows(lead, "SELECT id, stance, note FROM stanceannotation ORDER BY id") == before
    assert "row-level security" in refused(
        lena,
        "INSERT INTO stanceannotation (article_id, actor_id, target, stance, annotator_id, "
        "created_at, updated_at) SELECT 3, 3, 'ground_troops', 'favor', id, now(), now() "
        "FROM annotator WHERE name = 'anna'",
    )
    assert "row-level security" in refused(
        lena,
        "INSERT INTO labelevent (at, annotator_id, article_id, action) "
        "SELECT now(), id, 1, 'set' FROM annotator WHERE name = 'anna'",
    )
    assert "permission denied" in refused(lena, "UPDATE article SET title = 'x'")


def test_annotators_read_curation_states_but_never_write_gold(curators, codebook) -> None:
    anna = curators["anna"]
    with open_project(curators["lena"]) as lena:
        CurationSession(lena, codebook, get_or_create_annotator(lena, "lena")).start(
            article_id(lena, "a1")
        )
    assert rows(anna, "SELECT state FROM curation") == [("in_curation",)]
    assert "row-level security" in refused(
        anna,
        "INSERT INTO stanceannotation (article_id, actor_id, target, stance, annotator_id, "
        "created_at, updated_at) SELECT 1, 1, 'ground_troops', 'favor', id, now(), now() "
        "FROM annotator WHERE kind = 'gold'",
    )
    for sql in (
        "INSERT INTO goldorigin (article_id, actor_id, target, origin, at) "
        "VALUES (1, 1, 'ground_troops', 'curator', now())",
        "UPDATE curation SET state = 'curated'",
        "DELETE FROM curation",
    ):
        assert "permission denied" in refused(anna, sql), sql
    with open_project(anna) as project:  # and through the tool
        cur = CurationSession(project, codebook, get_or_create_annotator(project, "anna"))
        with pytest.raises(Exception, match="not saved|permission|row-level"):
            cur.set_stance(key(project, *MASALA), "favor")
    assert rows(curators["lead"], f"SELECT count(*) FROM stanceannotation WHERE {GOLD_ROWS}") == [
        (0,)
    ]


def test_an_annotator_sees_gold_only_when_curated_and_done(curators, codebook) -> None:
    gold_labels = f"SELECT stance FROM stanceannotation WHERE {GOLD_ROWS}"
    with open_project(curators["lena"]) as lena:
        cur = CurationSession(lena, codebook, get_or_create_annotator(lena, "lena"))
        cur.premerge(article_id(lena, "a1"), "complete")
        cur.accept(key(lena, *MASALA), get_or_create_annotator(lena, "ben"))
        assert rows(curators["anna"], gold_labels) == []  # in curation: not final yet
        cur.finish(article_id(lena, "a1"))
    assert sorted(rows(curators["anna"], gold_labels)) == [("against",), ("favor",)]
    assert rows(curators["anna"], "SELECT count(*) FROM goldorigin") == [(2,)]
    assert rows(curators["anna"], "SELECT count(*) FROM evidence e JOIN stanceannotation s "
                f"ON s.id = e.annotation_id WHERE s.{GOLD_ROWS}") == [(2,)]  # fmt: skip
    with open_project(curators["anna"]) as anna:
        a1 = article_id(anna, "a1")
        who = get_or_create_annotator(anna, "anna")
        assert [d.gold.stance for d in gold_differences(anna, a1, who)] == ["against"]
    assert len(rows(curators["ben"], gold_labels)) == 2
    rows(curators["lead"], "DELETE FROM articledone WHERE annotator_id = "
         "(SELECT id FROM annotator WHERE name = 'ben')")  # fmt: skip
    assert rows(curators["ben"], gold_labels) == []  # not done any more: blind again


def test_init_keeps_curators_apart_and_holds_their_rights_exactly(pg) -> None:
    lead, lena = pg.role("lead"), pg.role("lena")
    with pytest.raises(InputError, match="cannot be a lead and a curator"):
        init_server(pg.url(), leads=[lead], curators=[lead])
    with pytest.raises(InputError, match="'gold' is reserved"):
        init_server(pg.url(), annotators={"gold": lena})
    init_server(pg.url(), leads=[lead], curators=[lena])
    assert rows(pg.url(), f"SELECT kind FROM team_role WHERE role = '{lena}'") == [("curator",)]
    init_server(pg.url())  # again, without naming her: still a curator, with the same rights
    held = rights(pg.url(), lena)
    assert held.pop("other sequence rights") == set()
    curation = {(t, r) for t in ("goldorigin", "curation") for r in
                ("SELECT", "INSERT", "UPDATE", "DELETE")}  # fmt: skip
    assert held == {**ANNOTATOR, "tables": (ANNOTATOR["tables"] - {("goldorigin", "SELECT"),
                    ("curation", "SELECT")}) | curation,
                    "functions": ANNOTATOR["functions"] | {"team_lock_gold"}}  # fmt: skip
