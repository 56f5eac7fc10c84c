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
    sector_names: tuple[str, ...] = ()
    """The sectors in words, read by the encoder beside each offer (``MatchConfig.supply_context``):
    e.g. the English names of NACE codes and free-text sectors as written. Empty: ``sectors`` as
    given, hyphens read as spaces."""


@dataclass(frozen=True)
class Weights:
    """Shares of the final score; they are renormalised over the parts a pair actually has.

    The mutual need↔offer fit leads (``needs``, half for each direction). The other
    shares were chosen leave-one-set-out on the evaluation sets
    (``bench/bench_matching_eval.py``): each set scored with the shares that did best
    on the others. A share of 0 is a part that did not improve the held-out figures.
    No other share may exceed 0.3 (the search's bound), so the needs lead. There is no
    part for the kinds of the two organisations: the old hand-set table, offered to the
    same search, was never chosen. A kind reaches the score only as a word the encoder
    reads in front of the organisation's offers (``MatchConfig.supply_context``).
    """

    needs: float = 1.0
    profile: float = 0.0
    """Supply-to-supply similarity of the whole profiles. Long unchosen (as high for competitors as
    for partners); chosen at 0.1 once each offer was read with its organisation's kind and
    sectors (``MatchConfig.supply_context``), on thirteen, nineteen and twenty-three development
    splits. With needs read in that context too (``MatchConfig.need_context_share``), every
    fold of twenty-seven leaves it at 0: the need itself now carries who asks. A pair with no
    need↔offer fit either way is still scored on it (``scoring.THIN_SHARE``), and the part is
    computed for the re-ranker."""
    sectors: float = 0.0
    """Overlap of the two organisations' declared sectors. Chosen at 0.1 through round 5; with
    offers read in the mix of e5's two forms (``MatchConfig.passage_share``) on twenty-three
    development splits, 21 of the 23 folds leave it at 0: the kind and sectors the encoder
    reads in front of each offer carry what the slugs did. The part is still computed for the
    re-ranker and for the reasons shown."""
    rivalry: float = 0.0
    """Subtracted, not shared: two companies whose offers resemble each other more than they
    answer each other's needs are competitors (see ``Matcher._rivalry``). Off: on nineteen
    development splits the stronger need and partner corrections (``Calibration``) do its work,
    and every fold left it at 0 (on thirteen it had been chosen at 0.1). The part is always
    computed for the re-ranker."""


@dataclass(frozen=True)
class Calibration:
    """Similarities of the encoder mapped linearly onto 0..1 (clipped).

    Text-to-text similarities are *hubness-corrected* margins, not raw cosines
    (cross-domain similarity local scaling, CSLS, as used for cross-lingual
    retrieval): ``cos(x, y) - (r(x) + r(y)) / 2``, where ``r(x)`` is the mean cosine
    of ``x`` to its ``neighbours`` most similar texts of the other organisations in
    the directory (at most ``neighbour_share`` of those texts, so that a small
    directory keeps the neighbourhood local). A text close to everything (a generic
    sentence, a shared topic, or a language the encoder places near all others) no
    longer wins every comparison: a pair must stand out from each side's usual
    neighbours. Needs are compared with offers (``need_*``); ``rival_*`` maps how
    much more two companies' offers resemble each other than they answer the other's
    needs (offer↔offer margin less need→offer margin: competitors). ``need_low`` is
    about the 5th percentile of the margins of unrelated pairs, so weak answers still
    rank among themselves;
    ``need_high`` lies above the best intended pairs of the development set (their
    95th percentile is about 0.0). Margins are relative to the directory, so a score
    can move by a point or two when many other profiles change.
    Profile similarity (a small share) stays a raw cosine.

    ``hubness`` is the strength of the correction: 1 is CSLS as above; 0 subtracts
    the directory's mean radius from every cosine instead (the same scale, but no
    text is judged by its own neighbourhood); between, a blend. The shipped 0 is the
    choice leave one set out on nineteen development splits (eighteen of the nineteen folds
    chose it): the correction moves up a level, to each organisation's needs and supply as
    a whole (``need_hubness``) and to its pair scores (``partner_hubness``), both stronger.
    On thirteen splits, with weaker corrections above, 1 had been chosen; on the texts
    alone, 0 on eleven splits, 0.5 on nine, 1 on six.
    """

    need_low: float = -0.08
    need_high: float = 0.06
    profile_low: float = 0.80
    profile_high: float = 0.92
    rival_low: float = -0.02
    rival_high: float = 0.04
    rivalry_reach: str = "either"
    """What makes a rival, and what it is weighed against: ``"role"``, offers alike *or* needs
    alike (the same role: two exporters after the same buyers are rivals though their goods
    differ), each against the better of the two directions' need→offer margins (one
    direction that answers clears a pair); ``"either"``, offers alike only, against the
    same; ``"each"``, offers alike against each direction in turn, averaged (the earliest
    rule, which penalised partners that answer one way only). Chosen leave one set out with
    the shares: ``"either"`` on the seven development splits once offers are embedded as
    e5 queries (``MatchConfig.passage_share`` 0); with passages, ``"role"`` had won on six."""
    neighbours: int = 10
    neighbour_share: float = 0.25
    hubness: float = 0.0
    need_hubness: float = 2.0
    """The correction on each direction of the need↔offer fit: ``fit(a's needs, b's supply)``
    less the mean of a's needs' radius (how well a's needs are usually answered: a generic
    need is answered by everyone) and b's supply radius (how well b's supply usually
    answers: a supply close to every need), each the mean of the ``need_neighbours`` best
    allowed fits, less the directory's mean of the two; times this strength (0: off). The
    shipped 2 was chosen leave one set out on nineteen development splits from 0 to 4 (16 of
    the 19 folds chose 2, two 1.5, one 3). At 1, candidate-only "we do everything" profiles
    still came first for many needs of the six sets written blind for the engine of thirteen
    splits; those sets are among the nineteen. On twenty-three splits, with offers read in
    the mix of e5's two forms, 21 of the 23 folds chose 2 again, two chose 3."""
    need_neighbours: int = 10
    full_strength_candidates: int = 20
    """The need, partner and popularity corrections estimate who sits near everyone from the
    organisations around each one, and their strengths were chosen on forums where every
    organisation may meet 20 to 27 others. Where the median organisation may meet fewer
    than this many, the three are scaled down in proportion: among four candidates, a
    distributor that both Chinese makers want is what they came for, not a hub."""
    partner_hubness: float = 2.0
    """The same correction one level up, on the pair scores: an organisation whose supply
    answers many needs a little (a software house, a payment provider) sits near every
    organisation. Each score is lowered by the mean of the two organisations' radii (the
    mean of their ``partner_neighbours`` best allowed scores) less the directory's mean
    radius, times this strength (0: off). The shipped 2 was chosen leave one set out on
    nineteen development splits from 0 to 4 (17 of the 19 folds chose 2, two 1.5), and on
    twenty-three (21 of the 23 folds chose 2, two 3)."""
    partner_neighbours: int = 3
    popularity: float = 2.0
    """Temperature (in score points) of the popularity correction, applied last (0: off):
    each score is lowered by this times the sum of the two organisations' centred log
    attention, where an organisation's attention is the sum, over everyone who may meet it,
    of the softmax of their scores (inverted softmax, ``Matcher._popularity``). Within one
    organisation's list this ranks candidates exactly as a row-then-column normalisation of
    the scores would, and scores stay symmetric. Chosen leave one set out on eleven
    development splits (``bench/bench_matching_eval.py``), with the other shares, and again
    by every fold of nineteen."""


@dataclass(frozen=True)
class Reranker:
    """A logistic model over the engine's parts of a pair (``scoring.FEATURES``), fitted on accepted and
    declined meeting requests of one installation; its probability of acceptance becomes the score."""

    coef: tuple[float, ...]
    intercept: float
    features: tuple[str, ...]


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
    passage_share: float = 0.25
    """How offers and descriptions are embedded, from 0 to 1: the share of e5's retrieval form
    (``"passage: "``, question against answer) beside its symmetric form (``"query: "``, as
    needs are read: a need and the offer that answers it are two statements about one trade).
    0 reads supply as queries only, 1 as passages only; between, each supply text is the
    normalised mix ``(1 - share) * query + share * passage`` of its two embeddings, so a need's
    cosine to it blends the two readings and the vector keeps the encoder's size. Chosen leave
    one set out with the shares (``bench/bench_matching_eval.py``): on the texts alone every
    fold took queries; with offers read in context (``supply_context``) every fold of thirteen
    took passages; with the stronger need and partner corrections (``Calibration``) on
    nineteen splits, eighteen of the nineteen folds took queries again. Offered the mix (0,
    0.25 or 1) on twenty-three splits, every fold took 0.25: leave one set out pools to MRR
    0.944 against 0.937 with the two pure forms alone. The price is two embeddings per
    supply text where there was one (the cache keeps both)."""
    supply_context: str = "kind_sectors"
    """What the encoder reads beside each offer and description: ``"kind_sectors"`` puts the
    organisation's kind and sectors in front (``[city: urban transport, tourism] …``, see
    ``text.supply_context``), ``"none"`` the text alone. A need written in Chinese and an offer
    written in Bulgarian share no words; the offering organisation's kind and sectors in
    plain words give the encoder a second, steadier handle on what it offers (a fund, a city
    or a park says what it is). Users still see the text as written. Chosen leave one set out
    with the shares (``bench/bench_matching_eval.py``): every fold of thirteen took it (pooled
    MRR leave one set out 0.962 against 0.934 on the texts alone), and every fold of
    nineteen. Needs are read in part with the same prefix (``need_context_share``)."""
    need_context_share: float = 0.7
    """How much of each need is read with the needing organisation's kind and sectors in front
    (the prefix ``supply_context`` puts before offers), from 0 to 1: a need's vector is the
    normalised mix ``(1 - share) * need + share * [kind: sectors] need`` of its two e5 query
    embeddings. A need is often written as a situation ("we want buyers beyond our two
    customers in Germany") whose field only the rest of the profile says (frozen raspberries);
    that context tells the encoder which buyers. Read wholly in context (share 1) a need says
    more about who asks than about what it seeks. With ``supply_context="none"`` needs are
    read alone. Chosen leave one set out with the other shares (``bench/bench_matching_eval.py``,
    round 7): offered 0, 0.3, 0.5, 0.7, 0.85 and 1 on twenty-seven development splits, every
    fold took 0.7, and leave one set out pools to MRR 0.957 against 0.948 for the round-6
    engine in-sample. The price is a second embedding per need (the cache keeps both)."""
    reranker: Reranker | None = None
    """Off unless the installation fitted one on enough decisions and enabled it."""

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


class Reason(str):
    """One reason as an English sentence that also carries a message ``code`` and its ``params``.

    It is a ``str``, so it prints, compares and serialises as the sentence; an
    interface in another language rebuilds the sentence from ``code`` and ``params``.
    """

    code: str
    params: dict

    def __new__(cls, code: str, text: str, **params) -> Reason:
        obj = super().__new__(cls, text)
        obj.code = code
        obj.params = params
        return obj

    def __reduce__(self):
        return (_reason, (self.code, str(self), self.params))

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params, "text": str(self)}


def _reason(code: str, text: str, params: dict) -> Reason:
    return Reason(code, text, **params)


@dataclass(frozen=True)
class Match:
    """One suggested partner for a profile, best first within a result list."""

    id: ProfileId
    name: str
    country: str
    score: float
    reasons: tuple[str, ...]
