"""How the parts of a pair's evidence become one score, the optional learned re-ranker, and the cross-border rule.

The mutual need↔offer evidence leads: each direction (a's needs answered by b's
supply, and b's needs by a's) is half of the score's weight. The other parts
(shared sectors, profile similarity, rivalry) take the shares in ``Weights``, which
were chosen leave-one-set-out on the evaluation sets (``bench/bench_matching_eval.py``);
a part whose share is 0 did not improve the held-out figures. No part depends on the
kind of organisation: a city, park, agency, chamber, fund, university or institute
whose offer answers a need scores as a company would.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from .model import MatchConfig, Reranker, Weights

MISSING_SHARE = 0.5
"""Share of a missing part's weight still counted, so thin profiles cannot outscore full ones."""


@dataclass(frozen=True)
class Parts:
    """The evidence of every pair of some rows (queries) against all profiles (columns), each ``(rows, n)``.

    ``need_ab``: how well the column's supply answers the row's needs (0..1);
    ``need_ba`` the other way; ``profile``: calibrated similarity of the two whole
    supplies; ``sectors``: 1 where they share a sector; ``rivalry``: 0..1, how much
    more two companies' offers resemble each other than they answer each other's
    needs. The ``has_*`` masks say where a part exists (both sides gave the texts).
    """

    need_ab: np.ndarray
    need_ba: np.ndarray
    has_ab: np.ndarray
    has_ba: np.ndarray
    profile: np.ndarray
    has_profile: np.ndarray
    sectors: np.ndarray
    has_sectors: np.ndarray
    rivalry: np.ndarray


THIN_SHARE = 0.1
"""The share of profile similarity and of the sectors, where ``Weights`` gives them none, for a
pair with no need↔offer fit in either direction (neither lists what the other could answer)."""


def combine(p: Parts, w: Weights) -> np.ndarray:
    """The engine's score (0..100): weighted parts, renormalised over the parts a pair has, less rivalry.

    A pair with no need↔offer fit either way (no needs on either side, or an empty profile)
    is scored on what it has, its profiles' similarity and its sectors, at ``THIN_SHARE``
    where the weights give them no share: they are all there is.
    """
    score = _combined(p, w)
    if not (w.sectors and w.profile):
        blind = ~(p.has_ab | p.has_ba) & (p.has_profile | p.has_sectors)
        if blind.any():
            thin = replace(w, profile=w.profile or THIN_SHARE, sectors=w.sectors or THIN_SHARE)
            score = np.where(blind, _combined(p, thin), score)
    return score


def _combined(p: Parts, w: Weights) -> np.ndarray:
    half = w.needs / 2
    parts = ((half, p.need_ab, p.has_ab), (half, p.need_ba, p.has_ba),
             (w.profile, p.profile, p.has_profile), (w.sectors, p.sectors, p.has_sectors))
    num = sum(wt * x * v for wt, x, v in parts if wt)
    den = sum(wt * np.where(v, 1.0, MISSING_SHARE) for wt, _, v in parts if wt)
    return 100.0 * np.clip((num - w.rivalry * p.rivalry) / den, 0.0, 1.0)


FEATURES = ("need_mean", "need_min", "profile", "sectors", "rivalry", "one_sided", "engine")
"""The re-ranker's inputs, all computed by the engine for every pair (see ``features``)."""


def features(p: Parts, score: np.ndarray) -> np.ndarray:
    """``(rows, n, len(FEATURES))``: the parts of each pair, symmetric in the two organisations.

    A decision is taken by one side on a request from the other, so only what does not
    depend on who asked is used: the mean and the weaker of the two directions of the
    need↔offer fit, profile similarity, a shared sector, rivalry, and whether one of the
    two directions is missing (a side listed no needs or no supply), and the engine's
    own score (0..1).
    """
    ab = np.where(p.has_ab, p.need_ab, 0.0)
    ba = np.where(p.has_ba, p.need_ba, 0.0)
    return np.stack([
        (ab + ba) / 2, np.minimum(ab, ba),
        np.where(p.has_profile, p.profile, 0.0), np.where(p.has_sectors, p.sectors, 0.0).astype(np.float64),
        p.rivalry, (~(p.has_ab & p.has_ba)).astype(np.float64), np.asarray(score, dtype=np.float64) / 100.0,
    ], axis=-1)


def rerank(p: Parts, score: np.ndarray, model: Reranker) -> np.ndarray:
    """The re-ranker's score (0..100): the fitted probability that the pair's request is accepted."""
    if tuple(model.features) != FEATURES:
        raise ValueError(f"re-ranker fitted on features {model.features}, the engine computes {FEATURES}")
    z = features(p, score) @ np.asarray(model.coef, dtype=np.float64) + model.intercept
    return 100.0 / (1.0 + np.exp(-z))


def allowed_matrix(countries_a: list[str], countries_b: list[str], config: MatchConfig) -> np.ndarray:
    """Pairs the organiser's cross-border rule lets meet."""
    ca = np.array([c.upper() for c in countries_a])
    cb = np.array([c.upper() for c in countries_b])
    rule = config.cross_border
    if rule == "any":
        return np.ones((len(ca), len(cb)), dtype=bool)
    if rule == "different_country":
        return ca[:, None] != cb[None, :]
    if rule == "groups":
        ga = np.array([config.group_of(c) or "" for c in ca])
        gb = np.array([config.group_of(c) or "" for c in cb])
        return (ga[:, None] != gb[None, :]) & (ga[:, None] != "") & (gb[None, :] != "")
    raise ValueError(f"unknown cross-border rule {rule!r}")


def candidate_counts(countries: list[str], config: MatchConfig) -> np.ndarray:
    """How many of the others each organisation may meet: the row sums of ``allowed_matrix``, without the matrix."""
    ca = [c.upper() for c in countries]
    n = len(ca)
    rule = config.cross_border
    if rule == "any":
        return np.full(n, max(n - 1, 0))
    if rule == "different_country":
        per_country = Counter(ca)
        return np.array([n - per_country[c] for c in ca], dtype=np.int64)
    if rule == "groups":
        groups = [config.group_of(c) or "" for c in ca]
        per_group = Counter(groups)
        grouped = n - per_group[""]
        return np.array([0 if g == "" else grouped - per_group[g] for g in groups], dtype=np.int64)
    raise ValueError(f"unknown cross-border rule {rule!r}")


def calibrate(cos: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip((cos - low) / (high - low), 0.0, 1.0)
