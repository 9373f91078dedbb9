"""A stance model learnt from the project: scikit-learn's logistic regression over tf-idf of
character n-grams and word uni- and bigrams of what suggest/features.py gives it.

Why scikit-learn: measured on 2,000 synthetic units (bench/suggest.py), 5-fold cross-
validation takes 6 s with it against 11 s with spaCy's TextCatBOW (macro-F1 0.89 against
0.87), and the learning curve multiplies that; it costs 51 MB of install. The model is
stored as plain numbers (vocabularies, idf weights, coefficients) in JSON, never pickled:
a project file may come from elsewhere, and unpickling runs code. For the same reason the
numbers are checked when they are loaded (`read_numbers`), before scikit-learn sees any of
them: a model a hand could have edited is rebuilt from what train() writes, or not at all.

Quality is measured by k-fold cross-validation (macro-F1 and accuracy per target, the
classes being the stances and "none") and a learning curve; below MIN_MACRO_F1 the model
is not used and the rules suggest instead.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.errors import Cancelled, InputError
from annotator.suggest.features import NONE, Unit

MIN_UNITS = 40  # fewer labelled units than this cannot be cross-validated sensibly
MIN_MACRO_F1 = 0.6  # below this the model is not used
FOLDS = 5
CURVE = (0.2, 0.4, 0.6, 0.8, 1.0)  # shares of the training folds for the learning curve

FORMAT = 1  # of the stored numbers; models stored before it was written have none: 1
# What train() stores of each vectorizer, and the values Predictor takes back (widen them
# when _pipeline changes): never the stored dict itself, where a hand-edited "input":
# "filename" made scikit-learn open files named by article text, and a regex of the
# file's own could keep a long article busy for hours.
SETTINGS: dict[str, Callable[[Any], bool]] = {
    "analyzer": lambda v: v in ("char_wb", "word"),
    "ngram_range": lambda v: (
        isinstance(v, list | tuple)
        and len(v) == 2
        and all(type(n) is int for n in v)
        and 1 <= v[0] <= v[1] <= 5
    ),
    "sublinear_tf": lambda v: type(v) is bool,
    "token_pattern": lambda v: v in (r"(?u)\b\w\w+\b", r"\S+"),  # scikit-learn's, ours
}
# Measured on news-like text (a Zipf law over 400,000 word forms, two 12-28 word sentences
# per unit: a worst case, as real units share sentences): 2,000 units give 128,000
# features (17.7 MB of JSON), 10,000 give 445,000 (64 MB; 436 MB of memory to load),
# 50,000 give 1.6 million (235 MB). Loading takes about 1 GB per million features, so the
# limit, twice the largest of these, keeps a hand-made model from taking the machine's.
MAX_FEATURES = 3_000_000
MAX_VECTORIZERS = 4  # train() writes two; thousands would make every suggestion slow


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
                "params": {k: vec.get_params()[k] for k in SETTINGS},
            }  # fmt: skip
            for _name, vec in union.transformer_list
        ],
        "format": FORMAT,
        "classes": [str(c) for c in classifier.classes_],
        "coef": [[float(x) for x in row] for row in classifier.coef_],
        "intercept": [float(x) for x in classifier.intercept_],
    }


@dataclass
class Vectorizer:
    params: dict[str, Any]  # SETTINGS only, checked
    vocabulary: dict[str, int]
    idf: Any  # numpy array


@dataclass
class Numbers:
    """A stored model's numbers, checked (`read_numbers`)."""

    vectorizers: list[Vectorizer]
    classes: list[str]
    coef: Any  # numpy arrays
    intercept: Any


def _shown(value: Any) -> str:
    return reprlib.repr(value)  # a value from the file may be huge


def _finite(values: Any, size: int, what: str) -> Any:
    """`values` as a numpy array when they are `size` finite numbers, else InputError."""
    import numpy as np

    message = f"{what} must hold {size} finite numbers"
    if not isinstance(values, list) or len(values) != size:
        raise InputError(message)
    if any(type(x) is not float and type(x) is not int for x in values):  # bools, strings
        raise InputError(message)
    try:
        array = np.asarray(values, dtype=float)
    except OverflowError:  # an integer with hundreds of digits
        raise InputError(message) from None
    if not np.isfinite(array).all():
        raise InputError(message)
    return array


def _vectorizer(spec: Any, n: int) -> tuple[dict[str, Any], Any]:
    """(its settings, rebuilt from SETTINGS; its vocabulary) of vectorizer number `n`."""
    where = f"vectorizer {n}"
    if not isinstance(spec, dict):
        raise InputError(f"{where} is not an object")
    params, vocabulary = spec.get("params"), spec.get("vocabulary")
    if not isinstance(params, dict):
        raise InputError(f"{where}: params must be an object")
    for key in params:
        if key not in SETTINGS:
            raise InputError(f"{where} has a setting train-stance never writes: {_shown(key)}")
    rebuilt = {}
    for key, allowed in SETTINGS.items():
        if key not in params or not allowed(params[key]):
            raise InputError(f"{where}: {key} {_shown(params.get(key))} is not one train-stance "
                             "writes")  # fmt: skip
        rebuilt[key] = params[key]
    rebuilt["ngram_range"] = tuple(rebuilt["ngram_range"])
    if not isinstance(vocabulary, dict) or not vocabulary:
        raise InputError(f"{where}: vocabulary must be an object of n-grams and indices")
    return rebuilt, vocabulary


def read_numbers(numbers: Any, stances: Collection[str] | None = None) -> Numbers:
    """A stored model's numbers, checked to be what train() writes: settings, vocabulary,
    idf, classes (`stances`' or NONE, where given) and coefficients of matching shapes,
    finite, within MAX_FEATURES. Raises InputError saying what is wrong."""
    if not isinstance(numbers, dict):
        raise InputError("its numbers are not an object")
    version = numbers.get("format", 1)
    if type(version) is not int or version < 1:
        raise InputError(f"format {_shown(version)} is no format of the annotator's")
    if version > FORMAT:
        raise InputError(f"format {version}, newer than this version of the annotator "
                         f"reads ({FORMAT}): update it")  # fmt: skip
    specs = numbers.get("vectorizers")
    if not isinstance(specs, list) or not 1 <= len(specs) <= MAX_VECTORIZERS:
        raise InputError(f"vectorizers must be a list of 1 to {MAX_VECTORIZERS}")
    read = [_vectorizer(spec, n) for n, spec in enumerate(specs, 1)]
    features = sum(len(vocabulary) for _params, vocabulary in read)
    if features > MAX_FEATURES:  # before any number is converted
        raise InputError(f"too large: {features:,} features (at most {MAX_FEATURES:,})")
    vectorizers = []
    for n, ((params, vocabulary), spec) in enumerate(zip(read, specs, strict=True), 1):
        size = len(vocabulary)
        indices = vocabulary.values()
        if not all(isinstance(k, str) for k in vocabulary) or any(
            type(i) is not int or not 0 <= i < size for i in indices
        ) or len(set(indices)) != size:  # fmt: skip
            raise InputError(f"vectorizer {n}: vocabulary indices must be distinct, from 0 "
                             f"to {size - 1}")  # fmt: skip
        idf = _finite(spec.get("idf"), size, f"vectorizer {n}: idf")
        vectorizers.append(Vectorizer(params, vocabulary, idf))
    classes = numbers.get("classes")
    allowed = None if stances is None else {*stances, NONE}
    if not isinstance(classes, list) or len(classes) < 2:
        raise InputError("classes must be a list of at least two")
    for c in classes:
        if not isinstance(c, str) or (allowed is not None and c not in allowed):
            raise InputError("classes must be distinct stances of the codebook or "
                             f"{NONE!r}: {_shown(c)} is not")  # fmt: skip
    if len(set(classes)) != len(classes):
        raise InputError("classes must be distinct stances of the codebook or "
                         f"{NONE!r}: {len(classes) - len(set(classes))} repeated")  # fmt: skip
    rows = 1 if len(classes) == 2 else len(classes)  # scikit-learn's one row for two
    coef = numbers.get("coef")
    shape = f"coef must hold {rows} row(s) of {features} finite numbers"
    if not isinstance(coef, list) or len(coef) != rows:
        raise InputError(f"{shape} for {len(classes)} classes")
    coef = [_finite(row, features, shape) for row in coef]
    intercept = _finite(numbers.get("intercept"), rows, "intercept")
    import numpy as np

    return Numbers(vectorizers, list(classes), np.vstack(coef), intercept)


class Predictor:
    """A stored model, rebuilt from its numbers: stance probabilities for units."""

    def __init__(self, numbers: Any, stances: Collection[str] | None = None) -> None:
        """Raises InputError when `numbers` are not a model train() stores (read_numbers);
        `stances`: the codebook's, which a stored model's classes must be among."""
        import numpy as np

        checked = read_numbers(numbers, stances)
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._np = np
        self.vectorizers = []
        for spec in checked.vectorizers:
            vec = TfidfVectorizer(**spec.params, vocabulary=spec.vocabulary)
            vec.idf_ = spec.idf
            self.vectorizers.append(vec)
        self.classes = checked.classes
        self.coef = checked.coef
        self.intercept = checked.intercept

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


__all__ = ["FORMAT", "NONE", "Predictor", "Quality", "best", "evaluate", "read_numbers", "train"]
