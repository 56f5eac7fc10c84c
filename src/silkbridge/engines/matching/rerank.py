"""The optional learned re-ranker: a small logistic model over the engine's parts of a pair, fitted on
accepted and declined meeting requests, and its time-split evaluation (fit on earlier decisions, test on later).

Pure numpy. The engine computes the features (``scoring.features``); the model only
re-weights them, so the reasons shown with a match (the offer that answers the need)
stay exactly as the engine writes them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import ProfileId, Reranker
from .scoring import FEATURES

MIN_DECISIONS = 30
"""Default least number of accepted and of declined decisions before a model is fitted."""


@dataclass(frozen=True)
class Decision:
    """One answered meeting request between two organisations: accepted or declined, and when (any ordered number)."""

    a: ProfileId
    b: ProfileId
    accepted: bool
    at: float


@dataclass(frozen=True)
class TimeSplit:
    """How the re-ranker fitted on the earlier decisions ranks the later ones, beside the engine's score alone.

    ``auc_*``: the chance that a later accepted request scores above a later declined one;
    ``accuracy``: share of later decisions on the right side of probability 0.5.
    """

    train: int
    test: int
    test_accepted: int
    auc_reranker: float
    auc_engine: float
    accuracy: float


@dataclass(frozen=True)
class FitReport:
    accepted: int
    declined: int
    minimum: int
    model: Reranker | None
    """``None`` until there are ``minimum`` decisions of each class."""
    time_split: TimeSplit | None
    """``None`` where the earlier part alone lacks either class."""


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the intercept is not regularised)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    Z = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(Z @ w)))
        grad = Z.T @ (p - y) + reg * w
        H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(H, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (ties count half); NaN without both classes."""
    scores, y = np.asarray(scores, dtype=np.float64), np.asarray(y, dtype=bool)
    pos, neg = scores[y], scores[~y]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def _model(X: np.ndarray, y: np.ndarray) -> Reranker:
    coef, intercept = fit_logistic(X, y)
    return Reranker(coef=tuple(float(c) for c in coef), intercept=intercept, features=FEATURES)


def fit(
    X: np.ndarray, decisions: Sequence[Decision], *, minimum: int = MIN_DECISIONS, train_share: float = 0.7,
) -> FitReport:
    """Fit on every decision (once there are ``minimum`` of each class) and evaluate by time split.

    ``X[i]`` holds the features of ``decisions[i]`` (``Matcher.pair_features``). The
    time split fits a second model on the earliest ``train_share`` of the decisions and
    scores the rest; the engine's own score (the last feature) is the baseline.
    """
    y = np.array([d.accepted for d in decisions], dtype=bool)
    X = np.asarray(X, dtype=np.float64).reshape(len(decisions), len(FEATURES))
    accepted, declined = int(y.sum()), int((~y).sum())
    model = _model(X, y) if min(accepted, declined) >= minimum else None
    order = np.argsort([d.at for d in decisions], kind="stable")
    cut = int(round(train_share * len(order)))
    train, test = order[:cut], order[cut:]
    split = None
    if len(test) and 0 < y[train].sum() < len(train):
        m = _model(X[train], y[train])
        z = X[test] @ np.asarray(m.coef) + m.intercept
        split = TimeSplit(
            train=len(train), test=len(test), test_accepted=int(y[test].sum()),
            auc_reranker=auc(z, y[test]), auc_engine=auc(X[test, FEATURES.index("engine")], y[test]),
            accuracy=float(((z > 0) == y[test]).mean()),
        )
    return FitReport(accepted, declined, minimum, model, split)
