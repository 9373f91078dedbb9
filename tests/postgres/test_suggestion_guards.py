"""In team mode the history of suggestions is the server's to check (server/checks.py): an
annotator's role could append `accept_suggestion` events with plain SQL, and every unit so
marked dropped out of `agreement --without-suggestions`. The server takes an accepted or
rejected suggestion only where the window could have offered it; the tool's own accept and
reject, through the label writer as her role, still pass. And `annotator suggest` says
whose part it is when a role may not do it, instead of a bare "permission denied"."""

from __future__ import annotations

import pytest

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.labelling import LabellingSession
from annotator.store.annotators import annotator_names
from annotator.store.engine import Project, open_project
from annotator.store.suggestions import (
    StoredSuggestion,
    cells_from_suggestions,
    replace_suggestions,
    stored_for,
    suggestion_use,
)
from tests.agreement.builders import actor_id, article_id
from tests.cli.test_cli import run
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres

FORGED = (
    "INSERT INTO labelevent (at, annotator_id, article_id, actor_id, target, action, before, "
    "after) SELECT now(), a.id, x.id, {actor}, '{target}', '{action}', "
    '\'{{"stance": null, "evidence": [], "note": null}}\', \'{after}\' '
    "FROM annotator a, article x WHERE a.name = 'anna' AND x.external_id = '{article}'"
)
SOURCE = '"suggestion": {"source": "rules", "confidence": 0.8}'


def forged(action: str, article: str, actor: str, target: str, stance: str | None) -> str:
    actor_sql = "NULL" if actor == "-" else f"(SELECT id FROM actor WHERE name = '{actor}')"
    value = "null" if stance is None else f'"{stance}"'
    after = f'{{"stance": {value}, "evidence": [], "note": null, {SOURCE}}}'
    return FORGED.format(
        actor=actor_sql, target=target, action=action, after=after, article=article
    )


def _id(project: Project, name: str) -> int:
    return next(i for i, n in annotator_names(project).items() if n == name)


def _store_for_everybody(lead: str) -> list[StoredSuggestion]:
    """The lead stores two rules suggestions on a1 (neither cell has a label of anna's)."""
    with open_project(lead) as project:
        a1 = article_id(project, "a1")
        made = [
            StoredSuggestion(a1, actor_id(project, "NATO"), "ground_troops", "against", 0.8,
                             ((0, 9),), "rules"),
            StoredSuggestion(a1, actor_id(project, "Carlo Masala"), "defence_spending", "favor",
                             0.7, (), "rules"),
        ]  # fmt: skip
        replace_suggestions(project, [a1], made)
    return made


def _anna(team: dict[str, str], codebook: Codebook) -> tuple[Project, LabellingSession]:
    project = open_project(team["anna"])
    return project, LabellingSession(project, codebook, _id(project, "anna"))


@pytest.mark.parametrize(
    ("action", "actor", "target", "stance"),
    [
        ("accept_suggestion", "Boris Pistorius", "ground_troops", "favor"),  # no suggestion
        ("accept_suggestion", "NATO", "ground_troops", "favor"),  # it suggests "against"
        ("accept_suggestion", "NATO", "nato_membership", "against"),  # another target
        ("accept_suggestion", "-", "ground_troops", "against"),  # no cell at all
        ("accept_suggestion", "NATO", "ground_troops", None),  # no stance taken
        ("reject_suggestion", "Boris Pistorius", "ground_troops", None),  # no suggestion
        ("reject_suggestion", "-", "ground_troops", None),
    ],
)
def test_an_annotator_cannot_forge_her_suggestion_history(
    team, action: str, actor: str, target: str, stance: str | None
) -> None:
    _store_for_everybody(team["lead"])
    why = refused(team["anna"], forged(action, "a1", actor, target, stance))
    assert "suggestion" in why, why
    with open_project(team["lead"]) as project:
        assert cells_from_suggestions(project) == set()
        assert suggestion_use(project) == []


def test_the_tools_own_accept_and_reject_pass_and_count(team, codebook) -> None:
    accepted, rejected = _store_for_everybody(team["lead"])
    project, session = _anna(team, codebook)
    with project:
        offered = stored_for(project, (accepted.article_id,), _id(project, "anna"))
        assert set(offered) == {accepted, rejected}
        session.accept_suggestion(accepted)
        session.reject_suggestion(rejected)
    # A cell and stance the lead stored: what the window would write passes, also as SQL.
    rows(team["anna"], forged("reject_suggestion", "a1", "NATO", "ground_troops", None))
    with open_project(team["lead"]) as project:
        use = next(u for u in suggestion_use(project) if u.annotator == "anna")
        assert (use.accepted, use.rejected, use.labels_from_suggestions) == (1, 2, 1)
        unit = (accepted.article_id, accepted.actor_id, accepted.target)
        assert cells_from_suggestions(project) == {unit}


def test_a_suggestion_stored_for_another_annotator_is_not_hers_to_accept(team) -> None:
    """A model learnt from ben's labels is his: its suggestion on a cell gives anna none."""
    with open_project(team["lead"]) as project:
        a1 = article_id(project, "a1")
        nato = actor_id(project, "NATO")
        bens = StoredSuggestion(a1, nato, "nato_membership", "favor", 0.9, (), "model v1")
        replace_suggestions(project, [a1], [bens], annotator_id=_id(project, "ben"))
        replace_suggestions(
            project,
            [a1],
            [StoredSuggestion(a1, nato, "ground_troops", "against", 0.8, (), "rules")],
        )
    assert "suggestion" in refused(
        team["anna"], forged("accept_suggestion", "a1", "NATO", "nato_membership", "favor")
    )


def test_switched_off_or_kept_off_overlap_none_is_accepted(team, pg, codebook, capsys) -> None:
    """With suggestions off for the project (the owner's `suggest --off`), or kept off the
    articles planned for several coders, the window offers none: an accept there is refused,
    whether the suggestion is stored or not."""
    accepted, _ = _store_for_everybody(team["lead"])
    project, session = _anna(team, codebook)
    with project:
        code, _out, err = run(["--db", pg.url(), "suggest", "--off"], capsys)
        assert code == 0, err
        with pytest.raises(InputError, match="switched off"):
            session.accept_suggestion(accepted)
        assert "switched off" in refused(
            team["anna"], forged("accept_suggestion", "a3", "NATO", "ground_troops", "against")
        )
        code, _out, err = run(["--db", pg.url(), "suggest", "--on", "--not-on-overlap"], capsys)
        assert code == 0, err
        rows(
            team["lead"],
            "INSERT INTO assignment (article_id, annotator_id, position, overlap, assigned_at) "
            f"SELECT {accepted.article_id}, id, 0, true, now() FROM annotator WHERE name = 'anna'",
        )
        with pytest.raises(InputError, match="several coders"):
            session.accept_suggestion(accepted)
        rows(team["lead"], "UPDATE assignment SET overlap = false")
        session.accept_suggestion(accepted)


def test_where_none_is_stored_the_windows_own_rules_suggestion_is_accepted(team, codebook) -> None:
    """On a server the window works out the rules' suggestions of an article without stored
    ones itself and keeps them for the session (they are never in the table): accepting one
    must still work. The server cannot tell it from a forged one (docs/suggestions.md)."""
    project, session = _anna(team, codebook)
    with project:
        a3, nato = article_id(project, "a3"), actor_id(project, "NATO")
        made = StoredSuggestion(a3, nato, "ground_troops", "against", 0.6, (), "rules")
        session.accept_suggestion(made)
        assert stored_for(project, (a3,), _id(project, "anna")) == []
    with open_project(team["lead"]) as project:
        assert (a3, nato, "ground_troops") in cells_from_suggestions(project)


# ------------------------------------------------------------------ what `suggest` says


def test_switching_is_the_owners_and_the_lead_is_told_so(team, pg, capsys) -> None:
    for who in ("lead", "anna"):
        for switch in (["--off"], ["--not-on-overlap"]):
            code, out, err = run(["--db", team[who], "suggest", *switch], capsys)
            assert code == 4, (who, switch, out, err)
            assert err.count("\n") == 1 and "Traceback" not in err, err
            assert "only the owner" in err and "server init" in err, err
            assert "only its own labels" not in err, err
    code, out, err = run(["--db", pg.url(), "suggest", "--off"], capsys)
    assert (code, err) == (0, "") and "suggestions off" in out


def test_an_annotator_is_told_computing_suggestions_is_the_leads(team, capsys) -> None:
    for args in ([], ["--json"], ["--article", "a1"], ["--annotator", "anna"],
                 ["--uncertain-first"]):  # fmt: skip
        code, out, err = run(["--db", team["anna"], "suggest", *args], capsys)
        assert code == 4, (args, out, err)
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "permission denied" not in err and "stancemodel" not in err, err
        assert "a lead" in err and ("window" in err or "queues" in err), err
    code, out, err = run(["--db", team["lead"], "suggest"], capsys)
    assert code == 0, err
    assert "suggestion(s) for 3 article(s) stored" in out


def test_an_annotator_is_told_training_a_model_is_the_leads(team, capsys) -> None:
    """Checked before training, which can take a while, not after it when storing fails."""
    code, out, err = run(["--db", team["anna"], "train-stance", "--from", "anna"], capsys)
    assert code == 4, (out, err)
    assert err.count("\n") == 1 and "train-stance --from anna" in err and "a lead" in err, err
    _code, _out, err = run(["--db", team["lead"], "train-stance", "--from", "anna"], capsys)
    assert "a lead's" not in err, err
