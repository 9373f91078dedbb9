"""Suggestions in use: accepted through the one label writer, rejected on record, never a
label before, never another annotator's, off when the lead says so; learnt from the
project; left out of agreement and exported as a field of their own when asked."""

from __future__ import annotations

import json

import pytest

from annotator.agreement import agreement_report
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.cli.app import main
from annotator.codebook import load_codebook
from annotator.export import ExportOptions, export
from annotator.labelling import LabellingSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_id_by_external, load_article
from annotator.store.history import history
from annotator.store.label_reads import LabelFilter, read_labels
from annotator.store.labels import CellKey, CellState, get_cell, put_cell, set_done
from annotator.store.suggestions import (
    StoredSuggestion,
    SuggestionSettings,
    replace_suggestions,
    save_settings,
    suggestion_use,
)
from annotator.suggest.service import Suggester, compute, visible
from annotator.suggest.training import train_stance
from tests.suggest.builders import first_suggestion, labelled_project


def test_accepting_writes_the_label_with_its_history_and_undo(small, codebook) -> None:
    project, _ = small
    anna = get_or_create_annotator(project, "anna")
    suggestion = first_suggestion(project, codebook, anna)
    key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
    assert get_cell(project, anna, key) == CellState()  # a suggestion is no label
    session = LabellingSession(project, codebook, anna)
    session.accept_suggestion(suggestion)
    assert get_cell(project, anna, key) == CellState(suggestion.stance, suggestion.evidence)
    (event,) = [e for e in history(project, annotator="anna") if e.action == "accept_suggestion"]
    assert event.after_stance == suggestion.stance
    view = load_article(project, suggestion.article_id)
    cells = {(s.actor_id, s.target) for s in visible(project, view, anna, codebook)}
    assert (suggestion.actor_id, suggestion.target) not in cells  # labelled: none any more
    session.undo()
    assert get_cell(project, anna, key) == CellState()
    assert LabellingSession(project, codebook, anna).can_redo  # also after a restart


def test_rejecting_changes_no_label_and_is_counted(small, codebook) -> None:
    project, _ = small
    anna = get_or_create_annotator(project, "anna")
    suggestion = first_suggestion(project, codebook, anna)
    session = LabellingSession(project, codebook, anna)
    session.reject_suggestion(suggestion)
    assert not session.can_undo
    key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
    assert get_cell(project, anna, key) == CellState()
    other = first_suggestion(project, codebook, anna)
    assert other != suggestion  # she is not asked again
    session.accept_suggestion(other)
    (use,) = [u for u in suggestion_use(project) if u.annotator == "anna"]
    assert (use.accepted, use.rejected, use.rate, use.labels_from_suggestions) == (1, 1, 0.5, 1)


def test_a_coder_never_sees_suggestions_made_for_another(small, codebook) -> None:
    project, _ = small
    anna, ben = (get_or_create_annotator(project, n) for n in ("anna", "ben"))
    article = article_id_by_external(project, "s0")
    assert article is not None
    view = load_article(project, article)
    actor = next(m.actor_id for m in view.mentions if m.actor_id)
    bens = StoredSuggestion(article, actor, "ground_troops", "favor", 0.9, ((0, 5),), "model v7")
    replace_suggestions(project, [article], [bens], annotator_id=ben)
    assert bens in visible(project, view, ben, codebook)
    assert all(s.source != "model v7" for s in visible(project, view, anna, codebook))


def test_switched_off_or_on_double_coded_articles_nothing_is_shown(small, codebook) -> None:
    project, _ = small
    anna = get_or_create_annotator(project, "anna")
    first_suggestion(project, codebook, anna)
    save_settings(project, SuggestionSettings(enabled=False))
    view = load_article(project, article_id_by_external(project, "s0"))  # type: ignore[arg-type]
    assert visible(project, view, anna, codebook) == []
    save_settings(project, SuggestionSettings(enabled=True, on_overlap=False))
    plan_project(project, PlanRequest(("anna", "ben"), overlap=1.0, seed=1))
    assert all(visible(project, load_article(project, a), anna, codebook) == []
               for a in range(1, 7))  # fmt: skip


def test_agreement_without_suggestions_leaves_accepted_units_out(small, codebook) -> None:
    project, _ = small
    anna, ben = (get_or_create_annotator(project, n) for n in ("anna", "ben"))
    suggestion = first_suggestion(project, codebook, anna)
    LabellingSession(project, codebook, anna).accept_suggestion(suggestion)
    key = CellKey(suggestion.article_id, suggestion.actor_id, suggestion.target)
    put_cell(project, ben, key, CellState(suggestion.stance))
    for who in (anna, ben):
        set_done(project, suggestion.article_id, who)
    every = agreement_report(project, codebook, annotators=["anna", "ben"], bootstrap=0)
    clean = agreement_report(project, codebook, annotators=["anna", "ben"], bootstrap=0,
                             without_suggestions=True)  # fmt: skip
    assert every.overall.units == clean.overall.units + 1
    assert any("accepted a suggestion" in n for n in clean.notes)


def test_the_export_adds_suggestions_as_a_field_never_as_labels(small, codebook, tmp_path) -> None:
    project, _ = small
    compute(project, codebook)
    out = tmp_path / "s.jsonl"
    export(project, codebook, "stances", out, ExportOptions(with_suggestions=True))
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    labels = read_labels(project, LabelFilter(with_stance=True))
    assert len(records) == len(labels)  # one record per label: suggestions add none
    assert any(r["suggestion"] is not None for r in records)
    assert all(set(r["suggestion"] or {"stance": 0, "confidence": 0, "source": 0})
               == {"stance", "confidence", "source"} for r in records)  # fmt: skip


def test_suggest_on_the_command_line(small, tmp_path, capsys) -> None:
    project, _ = small
    main(["--db", str(project.path), "suggest", "--json", "--article", "s1"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines and {tuple(sorted(x)) for x in lines} == {
        ("actor", "article", "confidence", "evidence", "source", "stance", "target")
    }
    assert all(x["article"] == "s1" and x["source"] == "rules" for x in lines)
    assert all(e["text"] for x in lines for e in x["evidence"])


def test_a_model_learnt_from_her_labels_is_checked_stored_and_hers(tmp_path, codebook) -> None:
    """SYNTHETIC data: 60 template articles coded by a simulated annotator."""
    project, _ = labelled_project(tmp_path / "m.db", 60, seed=5, coder="anna")
    try:
        report = train_stance(project, codebook, "anna")
        q = report.quality
        assert report.version == 1 and report.labelled > 60 and q.usable
        assert set(q.per_target) == set(codebook.target_ids)
        assert len(q.curve) == 5 and q.curve[0][0] < q.curve[-1][0]
        anna = get_or_create_annotator(project, "anna")
        assert Suggester(project, codebook, annotator_id=anna).model_version == 1
        assert Suggester(project, codebook).model_version is None  # hers, not everybody's
    finally:
        project.close()


def test_a_model_below_the_threshold_is_not_used(tmp_path, codebook) -> None:
    """SYNTHETIC data coded at random: nothing to learn, so the rules stay."""
    project, _ = labelled_project(tmp_path / "r.db", 60, seed=6, noise=1.0, coder="anna")
    try:
        report = train_stance(project, codebook, "anna")
        assert not report.quality.usable and "NOT used" in report.lines()[0]
        anna = get_or_create_annotator(project, "anna")
        assert Suggester(project, codebook, annotator_id=anna).model_version is None
    finally:
        project.close()


def test_too_little_to_learn_from_is_one_clear_line(small, capsys) -> None:
    project, _ = small
    with pytest.raises(SystemExit) as done:
        main(["--db", str(project.path), "train-stance", "--from", "lead"])
    assert done.value.code == 2
    assert "too few to train" in capsys.readouterr().err


def test_codebook_used(codebook) -> None:
    assert codebook.target_ids == load_codebook().target_ids


def test_most_uncertain_first_reorders_only_unfinished_articles(tmp_path, codebook) -> None:
    """SYNTHETIC data. A model for everybody (as one learnt from gold would be) orders ben's
    unfinished articles least sure first; his done article keeps its place."""
    from annotator.store.assignments import queue
    from annotator.store.suggestions import save_model
    from annotator.suggest.model import train
    from annotator.suggest.service import _least_margin, uncertain_first
    from annotator.suggest.training import training_units

    project, _ = labelled_project(tmp_path / "q.db", 50, seed=7, coder="anna")
    try:
        with pytest.raises(Exception, match="train-stance"):
            uncertain_first(project, codebook)
        units, classes, _ = training_units(project, codebook, "anna")
        save_model(project, train(units, classes), {}, trained_from="gold", annotator_id=None,
                   units=len(units), usable=True)  # fmt: skip
        plan_project(project, PlanRequest(("ben",), overlap=0.0, seed=2))
        ben = get_or_create_annotator(project, "ben")
        before = queue(project, ben)
        set_done(project, before[0], ben)
        moved = uncertain_first(project, codebook)
        after = queue(project, ben)
        assert moved["ben"] > 0 and after[0] == before[0] and sorted(after) == sorted(before)
        suggester = Suggester(project, codebook)
        margins = [_least_margin(suggester, load_article(project, a)) for a in after[1:]]
        assert margins == sorted(margins)
    finally:
        project.close()
