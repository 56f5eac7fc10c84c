"""The optional re-ranker: a logistic fit on the engine's parts, kept off below the minimum, judged by time split."""
import math

import numpy as np
import pytest

from silkbridge.engines.matching import CN_CEE, Decision, MatchConfig, Matcher, Reranker, rerank
from silkbridge.engines.matching.scoring import FEATURES

SECTORS = FEATURES.index("sectors")


def _decisions(n_accepted, n_declined, rng):
    """Accepted requests share a sector, declined ones mostly do not; the other features are noise."""
    X, ds = [], []
    for k in range(n_accepted + n_declined):
        accepted = k < n_accepted
        x = rng.uniform(0, 1, len(FEATURES))
        x[SECTORS] = 1.0 if accepted or rng.uniform() < 0.2 else 0.0
        X.append(x)
        ds.append(Decision(f"a{k}", f"b{k}", accepted, float(rng.permutation(1000)[0] + k / 1000)))
    return np.array(X), ds


def test_the_fit_learns_which_part_separates_accepted_from_declined_requests():
    X, ds = _decisions(40, 60, np.random.default_rng(1))
    report = rerank.fit(X, ds, minimum=30)
    coef = dict(zip(FEATURES, report.model.coef))
    assert coef["sectors"] == max(coef.values())
    assert coef["sectors"] > 1.0
    assert report.time_split.auc_reranker > 0.8


def test_no_model_is_fitted_until_there_are_enough_decisions_of_each_class():
    X, ds = _decisions(29, 100, np.random.default_rng(2))
    report = rerank.fit(X, ds, minimum=30)
    assert (report.accepted, report.declined, report.model) == (29, 100, None)
    assert rerank.fit(X, ds, minimum=29).model is not None


def test_the_time_split_fits_on_the_earliest_decisions_and_tests_on_the_latest():
    # Ten decisions listed newest first: the earliest seven are all declined but one, the latest three accepted.
    labels = [True, True, True, False, False, False, True, False, False, False]
    ds = [Decision(k, k + 100, accepted, float(10 - k)) for k, accepted in enumerate(labels)]
    X = np.zeros((10, len(FEATURES)))
    report = rerank.fit(X, ds, minimum=1, train_share=0.7)
    assert (report.time_split.train, report.time_split.test, report.time_split.test_accepted) == (7, 3, 3)


def test_auc_counts_ties_as_half():
    assert rerank.auc(np.array([1.0, 0.5, 0.5]), np.array([True, True, False])) == 0.75
    assert math.isnan(rerank.auc(np.array([1.0]), np.array([True])))


@pytest.fixture(scope="module")
def medical(real_encoder, eval_profiles):
    return eval_profiles("cn-meddev-maker", "rs-meddev-distributor", "hu-meddev-maker", "cn-meddev-distributor")


def test_a_reranker_gives_the_fitted_probability_as_score_and_leaves_the_reasons_alone(real_encoder, medical):
    config = MatchConfig(cross_border="groups", country_groups=CN_CEE)
    plain = Matcher(real_encoder, config=config)
    plain.prepare(medical)
    coef = tuple(2.0 if f == "need_min" else -1.0 if f == "rivalry" else 0.0 for f in FEATURES)
    model = Reranker(coef=coef, intercept=-0.5, features=FEATURES)
    ranked = Matcher(real_encoder, config=MatchConfig(cross_border="groups", country_groups=CN_CEE, reranker=model))
    ranked.prepare(medical)
    before = {m.id: m for m in plain.match_one("cn-meddev-maker")}
    after = ranked.match_one("cn-meddev-maker")
    x = plain.pair_features([("cn-meddev-maker", m.id) for m in after])
    expected = [round(100 / (1 + math.exp(-(row @ np.array(coef) - 0.5))), 1) for row in x]
    assert [m.score for m in after] == expected
    assert [m.score for m in after] == sorted(expected, reverse=True)
    assert [m.reasons for m in after] == [before[m.id].reasons for m in after]
    # still says which offer answers which need, whichever direction is the stronger
    assert after[0].reasons[0].startswith(("their offer", "their description", "your offer", "your description"))


def test_a_reranker_fitted_on_other_features_is_refused(real_encoder, medical):
    model = Reranker(coef=(1.0,), intercept=0.0, features=("need_mean",))
    matcher = Matcher(real_encoder, config=MatchConfig(reranker=model))
    matcher.prepare(medical)
    with pytest.raises(ValueError, match="re-ranker fitted on features"):
        matcher.match_one("cn-meddev-maker")
