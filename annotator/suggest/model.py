"""A stance model learnt from the project: scikit-learn's logistic regression over tf-idf of
character n-grams and word uni- and bigrams of what suggest/features.py gives it.

Why scikit-learn: measured on 2,000 synthetic units (bench/suggest.py), 5-fold cross-
validation takes 6 s with it against 11 s with spaCy's TextCatBOW (macro-F1 0.89 against
0.87), and the learning curve multiplies that; it costs 51 MB of install. The model is
stored as plain numbers (vocabularies, idf weights, coefficients) in JSON, never pickled:
a project file may come from elsewhere, and unpickling runs code.

Quality is measured by k-fold cross-validation (macro-F1 and accuracy per target, the
classes being the stances and "none") and a learning curve; below MIN_MACRO_F1 the model
is not used and the rules suggest instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import Cancelled, InputError
from annotator.suggest.features import NONE, Unit

MIN_UNITS = 40  # fewer labelled units than this cannot be cross-validated sensibly
MIN_MACRO_F1 = 0.6  # below this the model is not used
FOLDS = 5
CURVE = (0.2, 0.4, 0.6, 0.8, 1.0)  # shares of the training folds for the learning curve


@dataclass
class Quality:
    """Cross-validated figures: overall and per target, and the learning curve."""

    units: int
    macro_f1: float
    accuracy: float
    per_target: dict[str, dict[str, float]] = field(default_factory=dict)
    curve: list[tuple[int, float]] = field(default_factory=list)  # (training units, macro-F1)

    @property
    def usable(self) -> bool:
        return self.macro_f1 >= MIN_MACRO_F1


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+"),
        ),
        LogisticRegression(max_iter=1000, C=4.0),
    )


def evaluate(
    units: Sequence[Unit],
    labels: Sequence[str],
    *,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Quality:
    """k-fold cross-validated quality, and the learning curve (the same folds, training on
    growing shares of each training part)."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    if len(units) < MIN_UNITS:
        raise InputError(
            f"{len(units)} labelled unit(s) are too few to train and check a model (at least "
            f"{MIN_UNITS}); the rules keep suggesting"
        )
    texts, y = [u.text for u in units], list(labels)
    folds = min(FOLDS, min(y.count(c) for c in set(y)))
    if folds < 2:
        folds = 2
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(texts, y)) if min(y.count(c) for c in set(y)) >= 2 else None
    if splits is None:
        raise InputError("every stance needs at least two labelled units to check a model")
    predicted: list[str] = [""] * len(y)
    curve_scores: dict[float, list[float]] = {share: [] for share in CURVE}
    steps, step = len(splits) * len(CURVE), 0
    for train, test in splits:
        for share in CURVE:
            if cancelled is not None and cancelled():
                raise Cancelled("training cancelled; the model in use stays as it was")
            part = train[: max(len(set(y)), int(len(train) * share))]
            model = _pipeline().fit([texts[i] for i in part], [y[i] for i in part])
            guess = list(model.predict([texts[i] for i in test]))
            truth = [y[i] for i in test]
            curve_scores[share].append(f1_score(truth, guess, average="macro"))
            if share == 1.0:
                for i, g in zip(test, guess, strict=True):
                    predicted[i] = g
            step += 1
            if progress:
                progress(step, steps)
    quality = Quality(len(y), float(f1_score(y, predicted, average="macro")),
                      float(accuracy_score(y, predicted)))  # fmt: skip
    for target in sorted({u.target for u in units}):
        idx = [i for i, u in enumerate(units) if u.target == target]
        t_true, t_pred = [y[i] for i in idx], [predicted[i] for i in idx]
        quality.per_target[target] = {
            "units": float(len(idx)),
            "macro_f1": float(f1_score(t_true, t_pred, average="macro")),
            "accuracy": float(accuracy_score(t_true, t_pred)),
        }
    mean_train = sum(len(t) for t, _ in splits) / len(splits)
    quality.curve = [(int(mean_train * s), float(sum(v) / len(v))) for s, v in curve_scores.items()]
    return quality


def train(units: Sequence[Unit], labels: Sequence[str]) -> dict[str, Any]:
    """A model of all the units, as plain numbers (see `load`)."""
    model = _pipeline().fit([u.text for u in units], list(labels))
    union, classifier = model.steps[0][1], model.steps[1][1]
    return {
        "vectorizers": [
            {
                "vocabulary": {k: int(v) for k, v in vec.vocabulary_.items()},
                "idf": [float(x) for x in vec.idf_],
                "params": {
                    k: vec.get_params()[k]
                    for k in ("analyzer", "ngram_range", "sublinear_tf", "token_pattern")
                },
            }  # fmt: skip
            for _name, vec in union.transformer_list
        ],
        "classes": [str(c) for c in classifier.classes_],
        "coef": [[float(x) for x in row] for row in classifier.coef_],
        "intercept": [float(x) for x in classifier.intercept_],
    }


class Predictor:
    """A stored model, rebuilt from its numbers: stance probabilities for units."""

    def __init__(self, numbers: dict[str, Any]) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._np = np
        self.vectorizers = []
        for spec in numbers["vectorizers"]:
            params = dict(spec["params"])
            params["ngram_range"] = tuple(params["ngram_range"])
            vec = TfidfVectorizer(**params, vocabulary=spec["vocabulary"])
            vec.idf_ = np.asarray(spec["idf"])
            self.vectorizers.append(vec)
        self.classes = list(numbers["classes"])
        self.coef = np.asarray(numbers["coef"])
        self.intercept = np.asarray(numbers["intercept"])

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        from scipy.sparse import hstack

        np = self._np
        if not texts:
            return []
        x = hstack([vec.transform(texts) for vec in self.vectorizers]).tocsr()
        scores = x @ self.coef.T + self.intercept
        if len(self.classes) == 2:  # scikit-learn keeps one row for two classes
            scores = np.hstack([-scores, scores])
        scores = scores - scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p = p / p.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes, (float(v) for v in row), strict=True)) for row in p]


def best(probabilities: dict[str, float]) -> tuple[str, float, float]:
    """(class, its probability, the gap to the second best: small = uncertain)."""
    ranked = sorted(probabilities.items(), key=lambda kv: kv[1], reverse=True)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1], ranked[0][1] - second


__all__ = ["NONE", "Predictor", "Quality", "best", "evaluate", "train"]
