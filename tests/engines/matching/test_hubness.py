"""Hubness-corrected similarity (CSLS): radii, margins, and why they stop generic texts from winning."""
import numpy as np
import pytest
from fixed_vectors import VectorEncoder, unit

from silkbridge.engines.matching import CN_CEE, Calibration, MatchConfig, Matcher, Profile
from silkbridge.engines.matching.matcher import _radii, margin

GROUPS = MatchConfig(cross_border="groups", country_groups=CN_CEE)


def _brute_radii(X, xo, Y, yo, k, share):
    S = X @ Y.T
    S[xo[:, None] == yo[None, :]] = -np.inf
    kx = max(1, min(k, int(np.ceil(share * (len(Y) - np.bincount(yo).max())))))
    ky = max(1, min(k, int(np.ceil(share * (len(X) - np.bincount(xo).max())))))

    def top_mean(v, kk):
        v = np.sort(v[np.isfinite(v)])[::-1][:kk]
        return v.mean() if len(v) else 0.0

    return np.array([top_mean(r, kx) for r in S]), np.array([top_mean(c, ky) for c in S.T])


@pytest.mark.parametrize("k,share,block", [(3, 1.0, 4), (10, 0.25, 7), (50, 1.0, 1024), (1, 0.1, 2)])
def test_radii_equal_a_brute_force_computation_whatever_the_block_size(k, share, block):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(23, 8)).astype(np.float32)
    Y = rng.normal(size=(31, 8)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    xo = np.sort(rng.integers(0, 9, size=len(X)))
    yo = np.sort(rng.integers(0, 9, size=len(Y)))
    rx, ry = _radii(X, xo, Y, yo, k, share, block=block)
    bx, by = _brute_radii(X, xo, Y, yo, k, share)
    assert rx.dtype == ry.dtype == np.float32
    assert np.allclose(rx, bx, atol=1e-5) and np.allclose(ry, by, atol=1e-5)


def test_radii_of_texts_without_other_owners_are_zero():
    X = np.eye(3, dtype=np.float32)
    rx, ry = _radii(X, np.zeros(3, dtype=np.int64), X, np.zeros(3, dtype=np.int64), 10)
    assert not rx.any() and not ry.any()


def test_margin_subtracts_the_mean_radius_of_both_texts():
    S = np.array([[0.9, 0.8]], dtype=np.float32)
    out = margin(S, np.array([0.8], dtype=np.float32), np.array([0.9, 0.7], dtype=np.float32))
    assert np.allclose(out, [[0.9 - 0.85, 0.8 - 0.75]])


def test_an_offer_close_to_every_need_no_longer_outranks_a_specific_answer():
    # The "hub" offer is a little closer to need 0 than the specific offer is, but it is
    # about as close to every other need too: it says nothing in particular.
    table = {"hub offer": unit(1, 0.35, 0.35, 0, 0, 0.1), "specific offer": unit(0.88, 0, 0, 0.475)}
    table["need 0"] = unit(1, 0, 0)
    for i in range(1, 9):
        table[f"need {i}"] = unit(0.6, 0.8, 0) if i % 2 else unit(0.6, 0, 0.8)
    assert table["need 0"] @ table["hub offer"] > table["need 0"] @ table["specific offer"]
    matcher = Matcher(VectorEncoder(table))
    matcher.prepare(
        [
            *(Profile(f"n{i}", f"N{i}", "CN", needs=(("en", f"need {i}"),)) for i in range(9)),
            Profile("hub", "Hub", "RS", offers=(("en", "hub offer"),)),
            Profile("spec", "Spec", "RS", offers=(("en", "specific offer"),)),
        ]
    )
    ranked = matcher.match_one("n0")
    assert [m.id for m in ranked] == ["spec", "hub"]
    assert ranked[0].score > ranked[1].score
    assert ranked[0].reasons[0] == 'their offer "specific offer" answers your need "need 0"'


def test_the_neighbourhood_is_a_setting():
    assert Calibration().neighbours == 10 and Calibration().neighbour_share == 0.25


LOGISTICS = ("cn-rail-forwarder", "hu-rail-terminal", "rs-road-forwarder", "cn-yiwu-warehouse")
SOFTWARE = ("ro-software-house", "cn-crossborder-ecommerce", "cn-software-outsourcer", "gr-retail-group")


@pytest.fixture(scope="module")
def logistics_matcher(real_encoder, eval_profiles):
    matcher = Matcher(real_encoder, config=GROUPS)
    matcher.prepare(eval_profiles(*LOGISTICS, *SOFTWARE))
    return matcher


def test_chinese_rail_forwarder_meets_the_rail_terminal_before_the_road_forwarder(logistics_matcher):
    ranked = [m.id for m in logistics_matcher.match_one("cn-rail-forwarder", top=10)]
    assert ranked[0] == "hu-rail-terminal"


def test_scores_are_symmetric_and_match_all_agrees_with_match_one(logistics_matcher):
    ids = [*LOGISTICS, *SOFTWARE]
    for a in ids:
        for b in ids:
            if a != b:
                assert logistics_matcher.score_pair(a, b).score == logistics_matcher.score_pair(b, a).score
    result = logistics_matcher.match_all(top=4, block=3)
    for pid in ids:
        assert result[pid] == logistics_matcher.match_one(pid, top=4)


def _random_directory(n=14, seed=3):
    rng = np.random.default_rng(seed)
    table, profiles = {}, []
    for i in range(n):
        table[f"offer {i}"] = unit(*rng.normal(size=6))
        table[f"need {i}"] = unit(*rng.normal(size=6))
        needs = (("en", f"need {i}"),) if i % 5 else ()  # some organisations list no needs
        profiles.append(Profile(i, f"O{i}", "CN" if i % 2 else "RS", offers=(("en", f"offer {i}"),), needs=needs))
    return VectorEncoder(table), profiles


def _top_mean_brute(values, k):
    v = np.sort(values)[::-1][:k]
    return v.mean() if len(v) else 0.0


def test_need_radii_are_the_mean_best_fits_of_each_needer_and_each_supplier():
    encoder, profiles = _random_directory()
    config = MatchConfig(calibration=Calibration(need_hubness=0.0, need_neighbours=3))
    plain = Matcher(encoder, config=config)
    plain.prepare(profiles)
    n = len(profiles)
    p = plain.parts(np.arange(n))
    ok = (np.array([[a % 2 != b % 2 for b in range(n)] for a in range(n)]) & p.has_ab)
    rn, rs = plain._need_radii()
    assert np.allclose(rn, [_top_mean_brute(p.need_ab[a][ok[a]], 3) for a in range(n)])
    assert np.allclose(rs, [_top_mean_brute(p.need_ab[:, b][ok[:, b]], 3) for b in range(n)])


def test_partner_correction_lowers_each_score_by_the_two_organisations_mean_radius():
    encoder, profiles = _random_directory()
    n = len(profiles)
    off = Matcher(encoder, config=MatchConfig(calibration=Calibration(full_strength_candidates=0, partner_hubness=0.0, popularity=0.0)))
    on = Matcher(encoder, config=MatchConfig(calibration=Calibration(full_strength_candidates=0, partner_hubness=1.0, partner_neighbours=2,
                                                                      popularity=0.0)))
    for m in (off, on):
        m.prepare(profiles)
    S, allowed = off._score_rows(np.arange(n))
    r = np.array([_top_mean_brute(S[a][allowed[a]].astype(np.float64), 2) for a in range(n)])
    expected = np.clip(S - (0.5 * (r[:, None] + r[None, :]) - r.mean()), 0, 100)
    corrected, _ = on._score_rows(np.arange(n))
    assert np.allclose(corrected, expected, atol=1e-3)
    assert np.array_equal(corrected, corrected.T)


def test_popularity_ranks_each_list_as_a_row_then_column_normalisation_would_and_keeps_scores_symmetric():
    encoder, profiles = _random_directory()
    n = len(profiles)
    tau = 4.0
    off = Matcher(encoder, config=MatchConfig(calibration=Calibration(full_strength_candidates=0, popularity=0.0)))
    on = Matcher(encoder, config=MatchConfig(calibration=Calibration(full_strength_candidates=0, popularity=tau)))
    for m in (off, on):
        m.prepare(profiles)
    S, allowed = off._score_rows(np.arange(n))
    S = S.astype(np.float64)
    # Inverted softmax by hand: each row a softmax over whom it may meet, then each column divided by its sum.
    K = np.where(allowed, np.exp(S / tau), 0.0)
    K = K / K.sum(axis=1, keepdims=True)
    K = K / np.where(K.sum(axis=0, keepdims=True) > 0, K.sum(axis=0, keepdims=True), 1.0)
    corrected, _ = on._score_rows(np.arange(n))
    assert np.array_equal(corrected, corrected.T)
    for a in range(n):
        cand = np.flatnonzero(allowed[a] & (corrected[a] > 0) & (corrected[a] < 100))
        order = cand[np.argsort(-corrected[a, cand], kind="stable")]
        assert np.all(np.diff(K[a, order]) <= 1e-12)  # the same order, where no score was clipped
    # and it does move some lists: a popular organisation loses ground
    assert any(list(np.argsort(-np.where(allowed[a], S[a], -1))[:3])
               != list(np.argsort(-np.where(allowed[a], corrected[a], -1))[:3]) for a in range(n))
