"""What gold is used for: agreement of each annotator against it (checked by hand), where it
differs from an annotator's labels (only once they may see it), and gold never counting as
an annotator."""

from __future__ import annotations

import pytest

from annotator.agreement import agreement_report, gold_report
from annotator.curation import (
    CurationSession,
    gold_differences,
    gold_visible,
    set_coders_per_article,
)
from annotator.errors import InputError
from annotator.store.annotators import annotator_names, get_or_create_annotator
from annotator.store.label_reads import labels_for_article
from tests.agreement.builders import article_id
from tests.curation.conftest import key, person


def curate_a1_a2(project, codebook) -> CurationSession:
    """Gold for a1 and a2, both curated:
    a1 Pistorius defence: favor   (anna favor,   ben favor)
    a1 Masala troops:     against (anna favor,   ben against)  <- ben's version
    a2 NATO defence:      against (anna against, ben against)
    a2 Masala troops:     neutral (anna -,       ben neutral)
    """
    cur = CurationSession(project, codebook, person(project, "lena"))
    cur.premerge(article_id(project, "a1"), "complete")
    cur.premerge(article_id(project, "a2"), "complete")
    cur.accept(key(project, "a1", "Carlo Masala", "ground_troops"), person(project, "ben"))
    cur.set_stance(key(project, "a2", "Carlo Masala", "ground_troops"), "neutral")
    cur.finish(article_id(project, "a1"))
    cur.finish(article_id(project, "a2"))
    return cur


def test_each_annotator_against_gold_by_hand(team, codebook) -> None:
    curate_a1_a2(team, codebook)
    report = gold_report(team, codebook)
    assert (report.curated_articles, report.units) == (2, 4)
    anna, ben = report.annotators
    # anna vs gold: favor/favor, favor/against, against/against, no stance/neutral.
    # p_o = 2/4; anna's marginals (against, neutral, favor, none) = 1/4, 0, 2/4, 1/4,
    # gold's = 2/4, 1/4, 1/4, 0; p_e = 1/4*2/4 + 2/4*1/4 = 1/4; kappa = (1/2-1/4)/(3/4) = 1/3.
    assert (anna.name, anna.articles, anna.units) == ("anna", 2, 4)
    assert anna.accuracy == 0.5
    assert anna.cohen_kappa == pytest.approx(1 / 3)
    assert anna.confusion == [[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0]]
    assert report.categories == ["against", "neutral", "favor", "no_stance"]
    assert (ben.accuracy, ben.cohen_kappa) == (1.0, 1.0)


def test_only_curated_articles_count_against_gold(team, codebook) -> None:
    cur = curate_a1_a2(team, codebook)
    cur.reopen(article_id(team, "a2"))
    report = gold_report(team, codebook)
    assert (report.curated_articles, report.units) == (1, 2)
    assert [a.units for a in report.annotators] == [2, 2]
    with pytest.raises(InputError, match="unknown annotator 'gold'"):
        gold_report(team, codebook, annotators=["gold"])


def test_gold_is_no_coder_in_the_agreement_figures(team, codebook) -> None:
    curate_a1_a2(team, codebook)
    report = agreement_report(team, codebook, bootstrap=0)
    assert report.annotators == ["anna", "ben"]
    with pytest.raises(InputError, match="unknown annotator 'gold'"):
        agreement_report(team, codebook, annotators=["anna", "gold"], bootstrap=0)
    assert "gold" not in annotator_names(team).values()
    assert "gold" in annotator_names(team, include_gold=True).values()
    a1 = article_id(team, "a1")
    assert {lab.annotator for lab in labels_for_article(team, a1)} == {"anna", "ben"}
    assert "gold" in {lab.annotator for lab in labels_for_article(team, a1, include_gold=True)}


def test_nobody_labels_as_gold(team) -> None:
    with pytest.raises(InputError, match="'gold' is reserved for the curated gold standard"):
        get_or_create_annotator(team, "gold")


def test_an_annotator_sees_where_gold_differs_only_once_curated_and_done(team, codebook) -> None:
    cur = CurationSession(team, codebook, person(team, "lena"))
    a1, a3 = article_id(team, "a1"), article_id(team, "a3")
    anna, ben = person(team, "anna"), person(team, "ben")
    cur.accept(key(team, "a1", "Carlo Masala", "ground_troops"), ben)
    assert not gold_visible(team, a1, anna) and gold_differences(team, a1, anna) == []
    cur.accept(key(team, "a1", "Boris Pistorius", "defence_spending"), anna)
    cur.finish(a1)
    differences = gold_differences(team, a1, anna)
    assert [(d.actor, d.mine.stance, d.gold.stance) for d in differences] == [
        ("Carlo Masala", "favor", "against")
    ]
    assert differences[0].origin.describe() == "ben's version"
    assert gold_differences(team, a1, ben) == []  # ben's labels are gold here
    # a3: ben has labels but is not done; even curated, he does not see its gold.
    set_coders_per_article(team, 1)
    cur.set_stance(key(team, "a3", "Boris Pistorius", "defence_spending"), "against")
    cur.finish(a3)
    assert gold_visible(team, a3, anna) and not gold_visible(team, a3, ben)
    assert gold_differences(team, a3, ben) == []
    assert [d.gold.stance for d in gold_differences(team, a3, anna)] == ["against"]
