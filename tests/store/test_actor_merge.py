"""Merging two actors is a recorded operation through the one label writer, and undoable
(issue 22): labels keep their evidence and gold provenance, nothing is dropped silently,
history is never rewritten, and a later package merge does not bring the actor back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.curation import apply_strategy
from annotator.errors import ConflictError, InputError
from annotator.store.actor_merge import merge_actors, merge_conflicts
from annotator.store.actor_unmerge import undo_actor_merge
from annotator.store.actors import actor_ids, add_manual_mention, list_actors
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project, open_project
from annotator.store.gold import ORIGIN_STRATEGY, gold_annotator_id, read_gold
from annotator.store.history import history
from annotator.store.label_reads import EVERYONE, LabelFilter, read_labels
from annotator.store.labels import CellKey, CellState, get_cell, put_cell, set_done
from annotator.store.merge import merge_projects
from annotator.store.models import Actor, Mention
from tests.conftest import add_actor, add_article

TEXT = "Scholz lehnt Bodentruppen ab. Olaf Scholz bleibt dabei."
EVIDENCE = (0, 29)


def _setup(project: Project) -> dict[str, int]:
    """Two annotators agree on "Scholz" x ground troops; the pre-merge makes it gold."""
    ids = {"a1": add_article(project, "a1", TEXT), "scholz": add_actor(project, "Scholz"),
           "olaf": add_actor(project, "Olaf Scholz")}  # fmt: skip
    add_manual_mention(project, ids["a1"], 0, 6, actor_name="Scholz")
    for name in ("anna", "ben"):
        who = ids[name] = get_or_create_annotator(project, name)
        key = CellKey(ids["a1"], ids["scholz"], "ground_troops")
        put_cell(project, who, key, CellState("against", (EVIDENCE,), f"{name}s Notiz"))
        set_done(project, ids["a1"], who)
    apply_strategy(project, "complete", curator_id=ids["anna"])
    return ids


def _cell(project: Project, ids: dict[str, int], actor: str) -> CellKey:
    return CellKey(ids["a1"], ids[actor], "ground_troops")


def test_labels_and_gold_move_with_evidence_provenance_and_history(project) -> None:
    ids = _setup(project)
    result = merge_actors(project, ids["scholz"], ids["olaf"], by=ids["anna"])
    assert result.labels_moved == 3 and result.conflicts == []
    for name in ("anna", "ben"):
        assert get_cell(project, ids[name], _cell(project, ids, "olaf")) == CellState(
            "against", (EVIDENCE,), f"{name}s Notiz"
        )
        assert get_cell(project, ids[name], _cell(project, ids, "scholz")) == CellState()
    gold = gold_annotator_id(project)
    assert gold is not None
    with project.session() as s:
        moved = read_gold(s, gold, _cell(project, ids, "olaf"))
        left = read_gold(s, gold, _cell(project, ids, "scholz"))
    assert moved.state.stance == "against" and moved.provenance is not None
    assert moved.provenance.origin == ORIGIN_STRATEGY  # the provenance came along
    assert not left.decided
    # History: every move is an event, the old ones still name "Scholz" (never rewritten).
    events = history(project, article="a1")
    merges = [e for e in events if e.action == "actor_merge"]
    assert {(e.annotator, e.actor) for e in merges} == {
        (who, actor) for who in ("anna", "ben", "gold") for actor in ("Scholz", "Olaf Scholz")
    }
    assert any(e.action == "set" and e.actor == "Scholz" for e in events)
    # The merged-away actor stays for the history, leads to the other by name, and is no
    # longer listed; its mention and name moved to the other.
    assert "Scholz" not in {a.name for a in list_actors(project)}
    with project.session() as s:
        assert actor_ids(s)["Scholz"] == ids["olaf"]
        mention = s.exec(select(Mention)).one()
        assert mention.actor_id == ids["olaf"]
        assert s.get(Actor, ids["scholz"]).merged_into == ids["olaf"]
    assert "Scholz" in next(a for a in list_actors(project) if a.name == "Olaf Scholz").aliases


def test_a_cell_labelled_on_both_actors_drops_nothing_silently(project) -> None:
    ids = _setup(project)
    put_cell(project, ids["anna"], _cell(project, ids, "olaf"), CellState("favor"))
    conflicts = merge_conflicts(project, ids["scholz"], ids["olaf"])
    assert [(c.annotator, c.article, c.kept.stance, c.dropped.stance) for c in conflicts] == [
        ("anna", "a1", "favor", "against")
    ]
    result = merge_actors(project, ids["scholz"], ids["olaf"], by=ids["anna"])
    assert len(result.conflicts) == 1 and "undo restores it" in result.summary()
    assert get_cell(project, ids["anna"], _cell(project, ids, "olaf")).stance == "favor"
    cleared = [e for e in history(project, annotator="anna") if e.action == "actor_merge"]
    assert [(e.actor, e.before_stance, e.after_stance) for e in cleared] == [
        ("Scholz", "against", None)
    ]
    undo_actor_merge(project, result.merge_id, by=ids["anna"])
    assert get_cell(project, ids["anna"], _cell(project, ids, "scholz")).stance == "against"
    assert get_cell(project, ids["anna"], _cell(project, ids, "olaf")).stance == "favor"


def test_keeping_the_merged_actors_label_instead(project) -> None:
    ids = _setup(project)
    put_cell(project, ids["anna"], _cell(project, ids, "olaf"), CellState("favor"))
    merge_actors(project, ids["scholz"], ids["olaf"], keep="source")
    assert get_cell(project, ids["anna"], _cell(project, ids, "olaf")).stance == "against"


def test_undo_restores_labels_gold_mentions_aliases_and_the_actor(project) -> None:
    ids = _setup(project)
    before = _everything(project)
    result = merge_actors(project, ids["scholz"], ids["olaf"], by=ids["anna"])
    assert _everything(project) != before
    undo_actor_merge(project, result.merge_id, by=ids["anna"])
    assert _everything(project) == before
    with pytest.raises(ConflictError, match="undone already"):
        undo_actor_merge(project, result.merge_id)


def test_undo_is_refused_when_a_moved_label_changed_since(project) -> None:
    ids = _setup(project)
    result = merge_actors(project, ids["scholz"], ids["olaf"])
    put_cell(project, ids["ben"], _cell(project, ids, "olaf"), CellState("favor"))
    after = _everything(project)
    with pytest.raises(ConflictError, match="changed since the merge"):
        undo_actor_merge(project, result.merge_id)
    assert _everything(project) == after


def test_a_merged_actor_cannot_be_merged_again_nor_into_itself(project) -> None:
    ids = _setup(project)
    with pytest.raises(InputError, match="into itself"):
        merge_actors(project, ids["olaf"], ids["olaf"])
    merge_actors(project, ids["scholz"], ids["olaf"])
    with pytest.raises(InputError, match="already merged"):
        merge_actors(project, ids["scholz"], ids["olaf"])


def test_a_window_that_missed_the_merge_cannot_label_the_merged_actor(project) -> None:
    ids = _setup(project)
    merge_actors(project, ids["scholz"], ids["olaf"])
    with pytest.raises(ConflictError, match="'Scholz' was merged into another actor"):
        put_cell(project, ids["ben"], _cell(project, ids, "scholz"), CellState("favor"))


def _everything(project: Project) -> tuple:
    labels = sorted(
        (lab.annotator_id, lab.actor_id, lab.target, lab.state)
        for lab in read_labels(project, LabelFilter(who=EVERYONE))
    )
    gold = gold_annotator_id(project)
    with project.session() as s:
        units = [read_gold(s, gold, CellKey(1, a, "ground_troops")) for a in (1, 2)] if gold else []
        provenance = [(u.provenance.origin, u.provenance.strategy) if u.provenance else None
                      for u in units]  # fmt: skip
        mentions = sorted((m.start, m.end, m.actor_id) for m in s.exec(select(Mention)).all())
    actors = sorted((a.name, a.aliases) for a in list_actors(project))
    return labels, provenance, mentions, actors


def test_a_package_merged_after_the_actor_merge_does_not_bring_the_actor_back(
    tmp_path: Path, codebook
) -> None:
    with open_project(str(tmp_path / "lead.db")) as lead:
        ids = {"a1": add_article(lead, "a1", TEXT), "scholz": add_actor(lead, "Scholz"),
               "olaf": add_actor(lead, "Olaf Scholz")}  # fmt: skip
        plan_project(lead, PlanRequest(("anna",), overlap=0.0, seed=1))
        write_package(lead, "anna", tmp_path / "anna.db", codebook)
        with open_project(str(tmp_path / "anna.db")) as pkg:  # she labels "Scholz" there
            me = get_or_create_annotator(pkg, "anna")
            put_cell(pkg, me, CellKey(1, ids["scholz"], "ground_troops"), CellState("against"))
        merge_actors(lead, ids["scholz"], ids["olaf"])
        merge_projects(lead, [tmp_path / "anna.db"], codebook=codebook)
        assert "Scholz" not in {a.name for a in list_actors(lead)}
        labels = read_labels(lead, LabelFilter(), names=True)
        assert [(lab.actor, lab.stance) for lab in labels] == [("Olaf Scholz", "against")]
