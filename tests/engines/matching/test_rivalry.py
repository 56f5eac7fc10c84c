"""Rivalry: offers alike count against a pair only where they resemble each other more than they answer the needs."""
import numpy as np
import pytest
from fixed_vectors import VectorEncoder, unit

from silkbridge.engines.matching import Calibration, MatchConfig, Matcher, Profile, Weights


def _directory():
    # The distributor's offer resembles the maker's offer (both are about the same goods;
    # the absolute rule penalised it), but beyond the usual neighbours it answers the
    # maker's need better still; the rival's offer is nearly the maker's own and answers
    # the need much less.
    table = {
        "maker offer": unit(1, 0.5, 0),
        "maker need": unit(1, 0, 1),
        "distributor offer": unit(1, 0.4, 0.4),
        "distributor need": unit(1, 1, 0),
        "rival offer": unit(1, 0.5, 0.05),
        "rival need": unit(1, 0, 1),
    }
    rng = np.random.default_rng(0)
    for i in range(8):
        table[f"other offer {i}"] = unit(*rng.normal(size=6))
        table[f"other need {i}"] = unit(*rng.normal(size=6))
    assert table["maker offer"] @ table["distributor offer"] > 0.85
    assert table["maker need"] @ table["rival offer"] < table["maker offer"] @ table["rival offer"]

    def org(pid, country, what):
        return Profile(pid, pid.title(), country, offers=(("en", f"{what} offer"),), needs=(("en", f"{what} need"),))

    profiles = [
        org("maker", "CN", "maker"),
        org("distributor", "RS", "distributor"),
        org("rival", "RS", "rival"),
        *(
            Profile(f"o{i}", f"O{i}", "HU", offers=(("en", f"other offer {i}"),), needs=(("en", f"other need {i}"),))
            for i in range(8)
        ),
    ]
    return VectorEncoder(table), profiles


# The partner-level correction moves every score with everyone's rivalry; these tests look at the part
# alone, with each text judged by its own neighbourhood (full CSLS), for which the vectors above are drawn.
ALONE = Calibration(hubness=1.0, partner_hubness=0.0, popularity=0.0)
SHARE = 0.1
"""A share of rivalry the evaluation grid offers (the shipped share is 0: the part stays for the grid and the re-ranker)."""


@pytest.fixture(scope="module")
def scores():
    encoder, profiles = _directory()
    out = {}
    for w in (0.0, SHARE):
        matcher = Matcher(encoder, config=MatchConfig(weights=Weights(rivalry=w), calibration=ALONE))
        matcher.prepare(profiles)
        out[w] = {b: matcher.score_pair("maker", b).score for b in ("distributor", "rival")}
    return out


def test_a_partner_whose_offer_answers_the_need_is_not_penalised_for_writing_alike(scores):
    assert scores[SHARE]["distributor"] == scores[0.0]["distributor"]


def test_a_rival_whose_offer_resembles_more_than_it_answers_is_penalised():
    encoder, profiles = _directory()
    matcher = Matcher(encoder, config=MatchConfig(weights=Weights(rivalry=SHARE), calibration=ALONE))
    matcher.prepare(profiles)
    A = matcher._build()
    rivalry = matcher.parts([A["pos"]["maker"]]).rivalry[0]
    assert rivalry[A["pos"]["distributor"]] == 0.0
    assert rivalry[A["pos"]["rival"]] > 0.5


def test_rivalry_is_symmetric_and_zero_for_organisations_without_supply():
    encoder, profiles = _directory()
    profiles.append(Profile("buyer", "Buyer", "PL", needs=(("en", "maker need"),)))
    matcher = Matcher(encoder)
    matcher.prepare(profiles)
    A = matcher._build()
    n = len(A["ids"])
    score, _ = matcher._score_rows(np.arange(n))
    assert np.array_equal(score, score.T)
    matcher = Matcher(encoder, config=MatchConfig(weights=Weights(rivalry=SHARE), calibration=ALONE))
    matcher.prepare(profiles)
    score, _ = matcher._score_rows(np.arange(n))
    no_rivalry = Matcher(encoder, config=MatchConfig(weights=Weights(rivalry=0.0), calibration=ALONE))
    no_rivalry.prepare(profiles)
    base, _ = no_rivalry._score_rows(np.arange(n))
    buyer = A["pos"]["buyer"]
    assert np.array_equal(score[buyer], base[buyer])


def _exporters():
    # Two exporters of different goods seek the same buyers: their offers differ, their needs
    # are alike, and neither answers the other. The club that arranges buyers answers both.
    table = {
        "tea offer": unit(1, 0, 0, 0),
        "fish offer": unit(0, 1, 0, 0),
        "tea need": unit(0, 0, 1, 0.2),
        "fish need": unit(0, 0, 1, 0.25),
        "club offer": unit(0, 0, 1, 0),
        "club need": unit(0, 0, 0, 1),
    }
    rng = np.random.default_rng(1)
    for i in range(8):
        table[f"other offer {i}"] = unit(*rng.normal(size=6))
        table[f"other need {i}"] = unit(*rng.normal(size=6))

    def org(pid, country):
        return Profile(pid, pid.title(), country, offers=(("en", f"{pid} offer"),), needs=(("en", f"{pid} need"),))

    others = [Profile(f"o{i}", f"O{i}", "HU", offers=(("en", f"other offer {i}"),), needs=(("en", f"other need {i}"),))
              for i in range(8)]
    return VectorEncoder(table), [org("tea", "CN"), org("fish", "LV"), org("club", "HR"), *others]


def test_organisations_that_seek_the_same_are_rivals_by_role_though_their_offers_differ():
    encoder, profiles = _exporters()
    rivalry = {}
    for reach in ("either", "role"):
        matcher = Matcher(encoder, config=MatchConfig(calibration=Calibration(hubness=1.0, partner_hubness=0.0,
                                                                               rivalry_reach=reach)))
        matcher.prepare(profiles)
        A = matcher._build()
        row = matcher.parts([A["pos"]["tea"]], all_parts=True).rivalry[0]
        rivalry[reach] = (float(row[A["pos"]["fish"]]), float(row[A["pos"]["club"]]))
    assert rivalry["either"][0] == 0.0
    assert rivalry["role"][0] == 1.0
    assert rivalry["role"][1] == 0.0 and rivalry["either"][1] == 0.0
