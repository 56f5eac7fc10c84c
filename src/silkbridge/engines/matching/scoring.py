"""Pairwise compatibility rules that do not need embeddings: organisation kinds and the cross-border rule."""
from __future__ import annotations

import numpy as np

from .model import MatchConfig

RESEARCH = frozenset({"university", "institute"})
CONNECTORS = frozenset({"chamber", "agency", "association", "cluster"})

KIND_REASONS = {
    "research": "research cooperation: {a} ↔ {b}",
    "connector": "{c} connects organisations with partners",
}


def kind_fit(a: str, b: str) -> tuple[float, str]:
    """How plausible a cooperation between two kinds is (0..1), and why in a word."""
    a, b = a.lower(), b.lower()
    if a in CONNECTORS or b in CONNECTORS:
        return (0.8 if a in CONNECTORS and b in CONNECTORS else 0.6), "connector"
    if (a in RESEARCH and b == "company") or (b in RESEARCH and a == "company"):
        return 1.0, "research"
    if a == b or (a in RESEARCH and b in RESEARCH):
        return 1.0, "peer"
    if "city" in (a, b):
        return (0.6 if (a in RESEARCH or b in RESEARCH) else 0.4), "civic"
    return 0.5, "other"


def kind_matrix(kinds_a: list[str], kinds_b: list[str]) -> np.ndarray:
    values = {}
    out = np.empty((len(kinds_a), len(kinds_b)), dtype=np.float32)
    for i, ka in enumerate(kinds_a):
        for j, kb in enumerate(kinds_b):
            key = (ka, kb)
            if key not in values:
                values[key] = kind_fit(ka, kb)[0]
            out[i, j] = values[key]
    return out


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


def calibrate(cos: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip((cos - low) / (high - low), 0.0, 1.0)
