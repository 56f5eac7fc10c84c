"""Value types of the matching engine: profiles in, matches out, and the organiser's settings."""
from __future__ import annotations

from dataclasses import dataclass, field

ProfileId = int | str
LangText = tuple[str, str]
"""A text with its declared language (ISO 639-1, or ``""`` to detect it)."""


@dataclass(frozen=True)
class Profile:
    """What an organisation says about itself, one entry per language version of each text."""

    id: ProfileId
    name: str
    country: str
    kind: str = "company"
    sectors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    description: tuple[LangText, ...] = ()
    offers: tuple[LangText, ...] = ()
    needs: tuple[LangText, ...] = ()


@dataclass(frozen=True)
class Weights:
    """Shares of the final score; they are renormalised over the parts a pair actually has."""

    needs: float = 0.60
    profile: float = 0.05
    sectors: float = 0.15
    kinds: float = 0.10
    rivalry: float = 0.20
    """Subtracted, not shared: two companies offering or seeking the same are competitors."""


@dataclass(frozen=True)
class Calibration:
    """Cosine ranges of the encoder mapped linearly onto 0..1 (clipped).

    ``low`` is about the median cosine of unrelated pairs, ``high`` the cosine of
    a clear answer. Fixed per model, so a score means the same for every query.
    """

    need_low: float = 0.80
    need_high: float = 0.89
    profile_low: float = 0.80
    profile_high: float = 0.92
    rival_low: float = 0.85
    rival_high: float = 0.95


@dataclass(frozen=True)
class MatchConfig:
    """The organiser's rules.

    ``cross_border``: ``"different_country"`` (default), ``"groups"`` (the two
    organisations must sit in different ``country_groups``, e.g. CN and CEE; a
    country in no group never matches) or ``"any"``.
    """

    cross_border: str = "different_country"
    country_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    weights: Weights = field(default_factory=Weights)
    calibration: Calibration = field(default_factory=Calibration)
    top_n: int = 10
    min_score: float = 0.0
    description_factor: float = 0.9
    """Discount for a need answered by a description rather than by a stated offer."""

    def group_of(self, country: str) -> str | None:
        for name, members in self.country_groups:
            if country.upper() in {m.upper() for m in members}:
                return name
        return None


CN_CEE = (
    ("CN", ("CN", "HK", "MO")),
    (
        "CEE",
        ("AL", "BA", "BG", "CZ", "EE", "GR", "HR", "HU", "LT", "LV", "ME", "MK", "PL", "RO", "RS", "SI", "SK", "XK"),
    ),
)
"""China and the Central & Eastern European countries of the China–CEEC cooperation format."""


@dataclass(frozen=True)
class Match:
    """One suggested partner for a profile, best first within a result list."""

    id: ProfileId
    name: str
    country: str
    score: float
    reasons: tuple[str, ...]
