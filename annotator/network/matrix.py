"""The network arithmetic on DNA's statement array X (docs/networks.md has the formulas).

x[i, j, k] counts the statements of actor i on target j with stance k; k runs over the
codebook's stance scale (against < neutral < favor) whose ordinal values are centred on
zero (-1, 0, +1). Two-mode weights come from X directly; one-mode weights are sums over
shared targets of x[i, j, k] * x[i', j, k'] * s(k, k'), which is one sparse product of X with
X after s is applied along the stance axis: fast enough for 100,000 statements.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from annotator.network.options import Aggregation, Normalisation

# Two-mode `combine` codes (DNA's binary case: 1 agreement, 2 disagreement, 3 both),
# plus 4 for an actor who only ever took the middle (neutral) position on the target.
COMBINE_CODES = {0: "", 1: "favor", 2: "against", 3: "mixed", 4: "neutral"}


def scale_values(levels: int) -> np.ndarray:
    """Ordinal values of a stance scale, centred on 0: 3 stances -> -1, 0, +1."""
    return np.arange(levels, dtype=np.float64) - (levels - 1) / 2


def net_stance(counts: np.ndarray) -> np.ndarray:
    """Mean ordinal stance along the last axis, scaled to -1 .. +1 (0 where nothing)."""
    values = scale_values(counts.shape[-1])
    top = max(float(values[-1]), 1.0) if len(values) else 1.0
    return _divide(counts @ values, counts.sum(axis=-1)) / top


def count_array(
    actor_index: np.ndarray, target_index: np.ndarray, stance_index: np.ndarray, shape: tuple
) -> np.ndarray:
    """X from one (actor, target, stance) index triple per statement."""
    n, m, levels = shape
    flat = (actor_index * m + target_index) * levels + stance_index
    return np.bincount(flat, minlength=n * m * levels).astype(np.float64).reshape(shape)


def two_mode(x: np.ndarray, aggregation: Aggregation, normalisation: Normalisation) -> np.ndarray:
    """Actor x target weights."""
    values = scale_values(x.shape[2])
    if aggregation is Aggregation.COMBINE:
        favor = x[:, :, values > 0].sum(axis=2) > 0
        against = x[:, :, values < 0].sum(axis=2) > 0
        middle = x[:, :, values == 0].sum(axis=2) > 0
        codes = np.where(favor, 1, 0) + np.where(against, 2, 0)
        return np.where((codes == 0) & middle, 4, codes).astype(np.float64)
    weights = x @ values if aggregation is Aggregation.SUBTRACT else x.sum(axis=2)
    if normalisation is Normalisation.ACTIVITY:
        return _divide(weights, x.sum(axis=(1, 2))[:, None])
    if normalisation is Normalisation.PROMINENCE:
        return _divide(weights, x.sum(axis=(0, 2))[None, :])
    return weights


def _divide(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # DNA: a weight whose denominator is zero becomes zero.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1), 0.0)


def stance_kernel(levels: int, aggregation: Aggregation) -> np.ndarray:
    """s(k, k'): 1 - d for congruence, d for conflict, 1 - 2d for subtract, 1 for ignore,
    with d = |v_k - v_k'| / (largest distance on the scale), the manual's |K| - 1."""
    values = scale_values(levels)
    distance = np.abs(values[:, None] - values[None, :]) / max(levels - 1, 1)
    if aggregation is Aggregation.CONGRUENCE:
        return 1.0 - distance
    if aggregation is Aggregation.CONFLICT:
        return distance
    if aggregation is Aggregation.SUBTRACT:
        return (1.0 - distance) - distance
    return np.ones((levels, levels))


def one_mode(
    x: np.ndarray, aggregation: Aggregation, normalisation: Normalisation
) -> tuple[sp.coo_matrix, np.ndarray]:
    """Actor x actor weights of every pair i < i' with a non-zero weight (upper triangle),
    and the number of targets each such pair shares."""
    n, m, levels = x.shape
    flat = sp.csr_matrix(x.reshape(n, m * levels))
    kernel = sp.kron(
        sp.identity(m, format="csr"), sp.csr_matrix(stance_kernel(levels, aggregation))
    )
    raw = sp.triu(flat @ (flat @ kernel).T, k=1).tocoo()
    raw.eliminate_zeros()
    order = np.lexsort((raw.col, raw.row))  # rows, then columns: files read in actor order
    rows, cols, weights = raw.row[order], raw.col[order], raw.data[order]
    activity = x.sum(axis=(1, 2))
    if normalisation is Normalisation.AVERAGE:
        weights = _divide(weights, (activity[rows] + activity[cols]) / 2)
    elif normalisation is Normalisation.COSINE:
        weights = _divide(weights, activity[rows] * activity[cols])
    elif normalisation is Normalisation.JACCARD:
        weights = _divide(weights, _jaccard_denominator(flat, rows, cols, activity))
    present = sp.csr_matrix((x.sum(axis=2) > 0).astype(np.float64))
    shared = np.asarray((present[rows].multiply(present[cols])).sum(axis=1)).ravel()
    keep = weights != 0
    weights_matrix = sp.coo_matrix((weights[keep], (rows[keep], cols[keep])), shape=(n, n))
    return weights_matrix, shared[keep].astype(np.int64)


def _jaccard_denominator(
    flat: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, activity: np.ndarray
) -> np.ndarray:
    """m10 + m01 + m11 of each pair: statements of i where i' has none in the same
    (target, stance) cell, the same the other way round, and the products where both have."""
    binary = flat.copy()
    binary.data[:] = 1.0
    both = np.asarray(flat[rows].multiply(flat[cols]).sum(axis=1)).ravel()
    i_where_j = np.asarray(flat[rows].multiply(binary[cols]).sum(axis=1)).ravel()
    j_where_i = np.asarray(flat[cols].multiply(binary[rows]).sum(axis=1)).ravel()
    return (activity[rows] - i_where_j) + (activity[cols] - j_where_i) + both


def one_mode_dense(weights: sp.coo_matrix) -> np.ndarray:
    """The full symmetric matrix (zero diagonal), as in DNA's matrix export."""
    upper = weights.toarray()
    return upper + upper.T
