"""Reading articles (store/articles.py)."""

from __future__ import annotations

from annotator.store.articles import load_article
from annotator.store.models import Mention
from tests.conftest import add_actor, add_article


def test_a_hand_marked_mention_hides_the_automatic_ones_it_overlaps(project) -> None:
    """On a server the automatic mentions stay stored beside a hand-marked one (annotators
    may not delete shared data); readers see what a project file shows."""
    text = "Die Bundesregierung unter Friedrich Merz berät."
    article = add_article(project, "a", text)
    merz, gov = add_actor(project, "Friedrich Merz"), add_actor(project, "Bundesregierung", "ORG")
    start = text.index("Friedrich")
    with project.write() as s:
        s.add(Mention(article_id=article, start=4, end=19, label="ORG", actor_id=gov,
                      source="lexicon"))  # fmt: skip
        s.add(Mention(article_id=article, start=start + 10, end=start + 14, label="PER",
                      actor_id=merz, source="rule"))  # fmt: skip
        s.add(Mention(article_id=article, start=start, end=start + 14, label="PER",
                      actor_id=merz, source="manual"))  # fmt: skip
    shown = [(m.start, m.source) for m in load_article(project, article).mentions]
    assert shown == [(4, "lexicon"), (start, "manual")]
