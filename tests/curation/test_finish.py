"""`annotator curate --strategy ... --finish` (curation/finish.py): every article whose units
are all decided, pre-merged or by a curator, is marked curated, with counts; an article
with an open unit is left for the curator (issue 25 item 10).

The project (tests/curation/conftest.py): anna and ben finished a1 and a2. After the
"complete" pre-merge each has one open unit (a1: Masala x troops favor/against; a2: Masala
x troops neutral/no stance); "incomplete" decides a2's, a1's stays a disagreement."""

from __future__ import annotations

import json

from sqlmodel import select

from annotator.curation import (
    CurationSession,
    apply_strategy,
    curation_status,
    finish_decided,
    load_article_curation,
)
from annotator.store.engine import Project
from annotator.store.gold import CURATED
from annotator.store.models import Curation, LabelEvent
from tests.agreement.builders import article_id, done
from tests.conftest import add_article
from tests.curation.conftest import key, person
from tests.network.test_cli import run


def states(project: Project) -> dict[str, str]:
    with project.session() as s:
        rows = s.exec(select(Curation.article_id, Curation.state)).all()
    names = {article_id(project, e): e for e in ("a1", "a2", "a3")}
    return {names.get(a, str(a)): state for a, state in rows}


def test_only_articles_with_every_unit_decided_are_finished(team: Project) -> None:
    lena = person(team, "lena")
    apply_strategy(team, "complete", curator_id=lena)
    first = finish_decided(team, curator_id=lena)
    assert (first.curated, first.open, first.open_units) == (0, 2, 2)
    assert states(team) == {}
    apply_strategy(team, "incomplete", curator_id=lena)
    second = finish_decided(team, curator_id=lena)
    assert (second.curated, second.open, second.open_units) == (1, 1, 1)
    assert states(team) == {"a2": CURATED}
    assert load_article_curation(team, article_id(team, "a2")).curated
    # The curator decides a1's disagreement in the window; the next --finish takes it.
    session = CurationSession(team, _codebook(), lena)
    session.set_stance(key(team, "a1", "Carlo Masala", "ground_troops"), "favor")
    third = finish_decided(team, curator_id=lena)
    assert (third.curated, third.open) == (1, 0)
    assert states(team) == {"a1": CURATED, "a2": CURATED}
    status = curation_status(team)
    assert status.articles["curated"] == 2 and status.units_open == 0


def test_finishing_is_history_and_ends_the_curators_undo(team: Project) -> None:
    lena = person(team, "lena")
    session = CurationSession(team, _codebook(), lena)
    session.set_stance(key(team, "a1", "Carlo Masala", "ground_troops"), "favor")
    apply_strategy(team, "incomplete", curator_id=lena)
    assert finish_decided(team, curator_id=lena).curated == 2
    with team.session() as s:
        events = s.exec(select(LabelEvent).where(LabelEvent.action == "premerge")).all()
    curated = [e for e in events if (e.after or {}).get("curation") == CURATED]
    assert len(curated) == 2 and all(e.after["by"] == lena for e in curated)
    # Like a pre-merge, a bulk step from outside the session: no undo reaches behind it.
    assert not CurationSession(team, _codebook(), lena).stack.can_undo


def test_an_article_nobody_found_a_stance_in_is_finished(labelled: Project) -> None:
    add_article(labelled, "a4", "Das Wetter in Brüssel bleibt wechselhaft.", title="Wetter")
    done(labelled, "anna", "a4")
    done(labelled, "ben", "a4")
    summary = finish_decided(labelled, curator="lena", article_ids=[article_id(labelled, "a4")])
    assert (summary.curated, summary.open) == (1, 0)


def test_nothing_to_finish_leaves_the_project_as_it_was(labelled: Project) -> None:
    summary = finish_decided(labelled, curator="lena")  # two articles, both with open units
    assert (summary.curated, summary.open) == (0, 2)
    with labelled.session() as s:
        assert not s.exec(select(LabelEvent).where(LabelEvent.action == "premerge")).all()
    from annotator.store.annotators import annotator_names

    assert "lena" not in annotator_names(labelled).values()  # no curator made for nothing


def test_the_curate_command_finishes_and_counts(labelled: Project, capsys) -> None:
    labelled.close()
    db = str(labelled.path)
    argv = ["--db", db, "curate", "--curator", "lena", "--finish", "--strategy"]
    code, out, err = run([*argv, "complete"], capsys)
    assert code == 0, err
    assert out.splitlines()[1] == (
        "finish: 0 article(s) marked curated (every unit decided), 2 left for the curator "
        "(2 unit(s) not decided: View › Curate)"
    )
    code, out, err = run([*argv, "incomplete", "--json"], capsys)
    assert code == 0, err
    figures = json.loads(out)
    assert figures["finish"] == {"curated": 1, "open": 1, "open_units": 1, "skipped_curated": 0}
    assert figures["articles"] == 2  # the pre-merge's own figures stay as they were
    code, out, _ = run([*argv, "incomplete", "--article", "a2", "--article", "a1"], capsys)
    assert out.splitlines()[1] == (
        "finish: 0 article(s) marked curated (every unit decided), 1 left for the curator "
        "(1 unit(s) not decided: View › Curate), 1 curated before"
    )
    code, out, _ = run(["--db", db, "curation", "status", "--json"], capsys)
    assert json.loads(out)["articles"]["curated"] == 1
    # without --finish nothing is marked
    code, out, _ = run(["--db", db, "curate", "--curator", "lena", "--strategy", "complete"],
                       capsys)  # fmt: skip
    assert "finish" not in out


def _codebook():
    from annotator.codebook import load_codebook

    return load_codebook()
