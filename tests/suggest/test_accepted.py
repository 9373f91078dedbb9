"""What counts as coded with a suggestion (store/suggestions.accepted_cells), the project's
switches as stored, and both through a package's round trip: the figures the lead reads and
agreement without suggestions must not be laundered by an edit, an undo or a merge."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.agreement import agreement_report
from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.labelling import LabellingSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_id_by_external, article_rows, load_article
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.merge import merge_projects
from annotator.store.suggestions import (
    SuggestionSettings,
    cells_from_suggestions,
    save_settings,
    settings,
    suggestion_use,
)
from annotator.suggest.service import visible
from tests.suggest.builders import first_suggestion


def _use(project, name: str):  # noqa: ANN001, ANN202
    return next(u for u in suggestion_use(project) if u.annotator == name)


def test_later_edits_undo_and_redo_do_not_hide_an_accepted_suggestion(small, codebook) -> None:
    """Only the cell's last event was read: a note, new evidence or an undo and redo after
    the accept made the unit count as coded without suggestions."""
    project, _ = small
    anna = get_or_create_annotator(project, "anna")
    session = LabellingSession(project, codebook, anna)
    suggestion = first_suggestion(project, codebook, anna)
    key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
    unit = (suggestion.article_id, suggestion.actor_id, suggestion.target)
    session.accept_suggestion(suggestion)
    session.set_note(key, "checked")
    assert unit in cells_from_suggestions(project)
    session.add_evidence(key, 0, 5)
    assert unit in cells_from_suggestions(project)
    session.undo()
    session.undo()
    session.undo()  # the accept itself
    session.redo()  # and again
    assert unit in cells_from_suggestions(project)
    other = "against" if suggestion.stance != "against" else "favor"
    session.set_stance(key, other)  # changed by hand: she still took the suggestion once
    assert unit in cells_from_suggestions(project)
    use = _use(project, "anna")
    assert (use.accepted, use.labels_from_suggestions) == (1, 1)  # the redo is a "redo"


def test_switches_edited_by_hand_count_as_off(small) -> None:
    project, _ = small
    assert settings(project) == SuggestionSettings(True, True)  # nothing stored: on
    for stored, expected in (
        ('{"enabled": "no", "on_overlap": "no"}', (False, False)),  # bool("no") was True
        ('{"enabled": 1}', (False, True)),
        ('{"enabled": true, "on_overlap": null}', (True, False)),
        ("[true]", (False, False)),
        ("{not json", (False, False)),
        ("{}", (True, True)),
    ):
        with sqlite3.connect(project.path) as con:
            con.execute(
                "INSERT OR REPLACE INTO projectinfo (key, value) VALUES ('suggestions', ?)",
                (stored,),
            )
        con.close()
        chosen = settings(project)
        assert (chosen.enabled, chosen.on_overlap) == expected, stored


def _planned(project, tmp_path: Path, codebook, chosen: SuggestionSettings) -> Path:  # noqa: ANN001
    plan_project(project, PlanRequest(("anna", "ben"), overlap=1.0, seed=1))
    save_settings(project, chosen)
    return write_package(project, "anna", tmp_path / "anna.db", codebook).path


def test_a_package_keeps_suggestions_off_where_the_lead_switched_them_off(
    small, codebook, tmp_path: Path
) -> None:
    project, _ = small
    # Off for double-coded articles: a package does not say which those are, so off in all.
    path = _planned(project, tmp_path, codebook, SuggestionSettings(True, on_overlap=False))
    with open_project(str(path)) as package:
        assert settings(package).enabled is False
        anna = get_or_create_annotator(package, "anna")
        views = [load_article(package, a.id) for a in article_rows(package, anna, 0, 100)]
        assert views
        assert all(visible(package, v, anna, codebook) == [] for v in views)


def test_a_package_without_double_coded_articles_keeps_them_on(
    small, codebook, tmp_path: Path
) -> None:
    project, _ = small
    plan_project(project, PlanRequest(("anna", "ben"), overlap=0.0, seed=1))
    save_settings(project, SuggestionSettings(True, on_overlap=False))
    path = write_package(project, "anna", tmp_path / "anna.db", codebook).path
    with open_project(str(path)) as package:
        assert settings(package).enabled is True


def test_what_she_accepted_in_her_package_stays_marked_after_the_merge(
    small, codebook, tmp_path: Path
) -> None:
    """The merge wrote 'merge' events and the accept was lost: agreement without
    suggestions then kept units she had accepted offline."""
    project, _ = small
    path = _planned(project, tmp_path, codebook, SuggestionSettings(True, True))
    with open_project(str(path)) as package:
        anna_there = get_or_create_annotator(package, "anna")
        suggestion = first_suggestion(package, codebook, anna_there)
        session = LabellingSession(package, codebook, anna_there)
        session.accept_suggestion(suggestion)
        session.set_note(CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target),
                         "offline")  # fmt: skip
        external = load_article(package, suggestion.article_id).external_id
        actor = actor_name(package, suggestion.actor_id)
        set_done(package, suggestion.article_id, anna_there)
    merge_projects(project, [path], codebook=codebook)

    article = article_id_by_external(project, external)
    assert article is not None
    unit = (article, actor_id(project, actor), suggestion.target)
    assert unit in cells_from_suggestions(project)
    assert _use(project, "anna").labels_from_suggestions == 1
    # Ben codes the same unit by hand: without suggestions the unit is left out.
    ben = get_or_create_annotator(project, "ben")
    put_cell(project, ben, CellKey(*unit), CellState(suggestion.stance))
    set_done(project, article, ben)
    every = agreement_report(project, codebook, annotators=["anna", "ben"], bootstrap=0)
    clean = agreement_report(project, codebook, annotators=["anna", "ben"], bootstrap=0,
                             without_suggestions=True)  # fmt: skip
    assert every.overall.units == clean.overall.units + 1


def actor_name(project, actor: int) -> str:  # noqa: ANN001
    from annotator.store.actors import list_actors

    return next(a.name for a in list_actors(project) if a.id == actor)


def actor_id(project, name: str) -> int:  # noqa: ANN001
    from annotator.store.actors import list_actors

    return next(a.id for a in list_actors(project) if a.name == name)
