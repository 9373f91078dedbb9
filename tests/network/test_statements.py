"""Reading statements from a project: label sources, evidence, dates, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from annotator.errors import InputError
from annotator.network.options import Duplicates, LabelSource, NetworkOptions
from annotator.network.statements import Statement, read_statements
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.labels import CellKey, CellState, put_cell
from annotator.store.models import Article
from tests.agreement.builders import (
    TEXTS,
    actor_id,
    article_id,
    label_anna,
    label_ben,
    new_project,
)

DATES = {"a1": "2024-11-07", "a2": "2024-11", "a3": None}


def set_dates(project: Project, dates: dict[str, str | None]) -> None:
    with project.write() as s:
        for article in s.exec(select(Article)).all():
            article.date = dates.get(article.external_id)
            s.add(article)


@pytest.fixture
def lead(tmp_path: Path):
    """Anna (done a1-a3) and Ben (done a1-a2, a3 in progress): tests/agreement/builders.py."""
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    set_dates(project, DATES)
    yield project
    project.close()


def read(project, codebook, **kw) -> list[Statement]:
    return read_statements(project, codebook, NetworkOptions(**kw)).items


def units(items: list[Statement]) -> list[tuple[str, str, str, str]]:
    return [(s.article, s.actor, s.target, s.stance) for s in items]


def test_one_annotators_labels(lead, codebook) -> None:
    items = read(lead, codebook, annotator="anna")
    assert units(items) == [
        ("a1", "Boris Pistorius", "defence_spending", "favor"),
        ("a1", "Carlo Masala", "ground_troops", "favor"),
        ("a2", "NATO", "defence_spending", "against"),
        ("a3", "Boris Pistorius", "defence_spending", "neutral"),
    ]
    first = items[0]
    assert first.annotator == "anna" and first.votes == 1
    assert first.date == "2024-11-07" and first.title == "Pistorius will mehr Geld"
    assert first.evidence == "Pistorius fordert mehr Geld"
    assert first.actor_type == "PER" and items[2].actor_type == "ORG"
    assert items[2].date == "2024-11" and items[3].date is None


def test_majority_is_the_exports_majority(lead, codebook) -> None:
    result = read_statements(lead, codebook, NetworkOptions())
    # a1 Masala (favor vs against) and a3 Pistorius (neutral vs favor) are ties: left out
    assert units(result.items) == [
        ("a1", "Boris Pistorius", "defence_spending", "favor"),
        ("a2", "NATO", "defence_spending", "against"),
        ("a2", "Carlo Masala", "ground_troops", "neutral"),
    ]
    assert result.no_agreement == 2 and result.source == "majority"
    assert [s.votes for s in result.items] == [2, 2, 1]
    assert {s.annotator for s in result.items} == {"majority"}
    # only labels of annotators who finished the article: Ben's a3 label drops out
    done = read(lead, codebook, done_only=True)
    assert ("a3", "Boris Pistorius", "defence_spending", "neutral") in units(done)


def test_unanimous(lead, codebook) -> None:
    items = read(lead, codebook, labels=LabelSource.UNANIMOUS)
    assert [s.stance for s in items] == ["favor", "against", "neutral"]


def test_gold_has_no_statements_before_curation(lead, codebook) -> None:
    # The annotators' labels never count as gold (gold statements: tests/curation).
    assert read(lead, codebook, labels=LabelSource.GOLD) == []


def test_an_unknown_annotator_is_named(lead, codebook) -> None:
    with pytest.raises(InputError, match="unknown annotator 'carla'.*anna, ben"):
        read(lead, codebook, annotator="carla")


def test_targets_filter(lead, codebook) -> None:
    items = read(lead, codebook, annotator="ben", targets=("ground_troops",))
    assert [s.stance for s in items] == ["against", "neutral"]


def test_duplicates_article_counts_a_label_once_include_each_quote(lead, codebook) -> None:
    text = TEXTS["a1"]
    quotes = ("Pistorius fordert mehr Geld", "für die Bundeswehr")
    spans = tuple((text.index(q), text.index(q) + len(q)) for q in quotes)
    who = get_or_create_annotator(lead, "anna")
    key = CellKey(article_id(lead, "a1"), actor_id(lead, "Boris Pistorius"), "nato_membership")
    put_cell(lead, who, key, CellState("favor", spans))
    once = [s for s in read(lead, codebook, annotator="anna") if s.target == "nato_membership"]
    assert len(once) == 1
    assert once[0].evidence == "Pistorius fordert mehr Geld … für die Bundeswehr"
    each = read(lead, codebook, annotator="anna", duplicates=Duplicates.INCLUDE)
    nato = [s for s in each if s.target == "nato_membership"]
    assert [s.evidence for s in nato] == list(quotes)
    # a label without evidence is still one statement
    assert len(each) == len(read(lead, codebook, annotator="anna")) + 1


def test_a_target_the_codebook_no_longer_has_is_left_out(lead, codebook) -> None:
    who = get_or_create_annotator(lead, "anna")
    key = CellKey(article_id(lead, "a1"), actor_id(lead, "NATO"), "retired_target")
    put_cell(lead, who, key, CellState("favor"))
    assert "retired_target" not in {s.target for s in read(lead, codebook, annotator="anna")}
