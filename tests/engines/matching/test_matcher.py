import pytest

from silkbridge.engines.matching import CN_CEE, Calibration, MatchConfig, Matcher, Profile

MEDICAL = ("cn-meddev-maker", "rs-meddev-distributor", "hu-meddev-maker", "cn-meddev-distributor")
WINE = ("rs-winery", "cn-wine-importer", "cn-winery", "bg-wine-importer")
GROUPS = MatchConfig(cross_border="groups", country_groups=CN_CEE)


@pytest.fixture(scope="module")
def eval_matcher(real_encoder, eval_profiles):
    matcher = Matcher(real_encoder, config=GROUPS)
    matcher.prepare(eval_profiles(*MEDICAL, *WINE))
    return matcher


def test_chinese_maker_is_matched_to_the_serbian_distributor_not_the_hungarian_competitor(eval_matcher):
    ranked = [m.id for m in eval_matcher.match_one("cn-meddev-maker", top=10)]
    assert ranked.index("rs-meddev-distributor") < ranked.index("hu-meddev-maker")


def test_hungarian_maker_is_matched_to_the_chinese_distributor_not_the_chinese_competitor(eval_matcher):
    ranked = [m.id for m in eval_matcher.match_one("hu-meddev-maker", top=10)]
    assert ranked[0] == "cn-meddev-distributor"
    assert ranked.index("cn-meddev-distributor") < ranked.index("cn-meddev-maker")


def test_serbian_winery_is_matched_to_the_chinese_importer_before_the_chinese_winery(eval_matcher):
    ranked = [m.id for m in eval_matcher.match_one("rs-winery", top=10)]
    assert ranked.index("cn-wine-importer") < ranked.index("cn-winery")


def test_reasons_quote_the_matched_offer_and_need(eval_matcher):
    match = next(m for m in eval_matcher.match_one("cn-meddev-maker") if m.id == "rs-meddev-distributor")
    assert match.reasons[0] == (
        'their offer "Регистрација медицинских средстава код АЛИМС-а, учешће на…" '
        'answers your need "寻找塞尔维亚及西巴尔干地区的医疗器械经销商，负责产品注册、参加医院招标并提供售后服务。"'
    )
    assert match.reasons[1].startswith('your offer "便携式超声设备')
    assert "shared sectors: medical-devices" in match.reasons


def test_group_rule_only_pairs_china_with_cee(eval_matcher):
    result = eval_matcher.match_all(top=10)
    for pid, matches in result.items():
        own = "CN" if pid.startswith("cn-") else "CEE"
        assert all(("CN" if m.country == "CN" else "CEE") != own for m in matches)
    assert [m.id for m in result["rs-meddev-distributor"]] == [m.id for m in eval_matcher.match_one("rs-meddev-distributor")]


def test_match_all_equals_match_one_for_every_profile(eval_matcher):
    result = eval_matcher.match_all(top=3, block=3)
    for pid in result:
        assert result[pid] == eval_matcher.match_one(pid, top=3)


def test_scores_lie_on_the_zero_to_hundred_scale_best_first(eval_matcher):
    for matches in eval_matcher.match_all().values():
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 100.0 for s in scores)


def test_default_rule_excludes_same_country_only(real_encoder):
    matcher = Matcher(real_encoder)
    matcher.prepare(
        [
            Profile(1, "A", "RS", sectors=("wine",)),
            Profile(2, "B", "RS", sectors=("wine",)),
            Profile(3, "C", "HU", sectors=("wine",)),
        ]
    )
    assert [m.id for m in matcher.match_one(1)] == [3]


def test_empty_profile_is_matched_on_sectors_with_a_reason(real_encoder):
    matcher = Matcher(real_encoder)
    matcher.prepare(
        [
            Profile(1, "Baltic Amber UAB", "LT", sectors=("jewellery",)),
            Profile(2, "上海珠宝", "CN", sectors=("jewellery",), offers=(("zh", "我们批发琥珀首饰。"),)),
            Profile(3, "Tallinn Port", "EE", sectors=("logistics",)),
        ]
    )
    top = matcher.match_one(1)
    assert [m.id for m in top] == [2, 3]
    assert "you gave no description, offers or needs: matched on sectors only" in top[0].reasons
    assert "上海珠宝 listed no needs: matched on what it offers" in top[0].reasons
    assert top[0].score > top[1].score


def test_thin_profiles_score_below_full_ones_with_the_same_fit(real_encoder):
    offer = (("sr", "Izvozimo crno vino iz Srbije."),)
    need = (("zh", "寻找塞尔维亚葡萄酒出口商。"),)
    matcher = Matcher(real_encoder)
    matcher.prepare(
        [
            Profile("buyer", "Buyer", "CN", sectors=("wine",), needs=need, offers=(("zh", "我们进口葡萄酒。"),)),
            Profile("full", "Full", "RS", sectors=("wine",), offers=offer, needs=(("sr", "Tražimo uvoznika vina u Kini."),)),
            Profile("thin", "Thin", "HR", sectors=("wine",), offers=offer),
        ]
    )
    ranked = matcher.match_one("buyer")
    assert [m.id for m in ranked] == ["full", "thin"]
    assert "Thin listed no needs: matched on what it offers" in ranked[1].reasons


@pytest.mark.parametrize("kind", ["city", "agency", "chamber", "fund", "university", "institute", "park"])
def test_a_public_body_or_institute_whose_offer_answers_scores_as_a_company_would(real_encoder, kind):
    need = (("zh", "我们希望与欧洲城市合作，开展智能交通信号系统试点项目。"),)
    offer = (("sr", "Град нуди раскрснице за пилот пројекат паметне семафорске мреже."),)
    scores = {}
    for context in ("none", "kind_sectors"):
        for k in ("company", kind):
            matcher = Matcher(real_encoder, config=MatchConfig(supply_context=context))
            matcher.prepare([
                Profile("cn", "Traffic Tech", "CN", sectors=("smart-city",), needs=need,
                        offers=(("zh", "我们提供自适应交通信号控制系统。"),)),
                Profile("rs", "Partner", "RS", kind=k, sectors=("smart-city",), offers=offer,
                        needs=(("sr", "Тражимо технологију за управљање саобраћајем."),)),
            ])
            scores[context, k] = matcher.score_pair("cn", "rs").score
    # No rule of the engine weighs a kind: with the texts alone, every kind scores the same.
    assert scores["none", kind] == scores["none", "company"]
    # Read with the offers, the kind is a word to the encoder, not a penalty: within a point of a company.
    assert abs(scores["kind_sectors", kind] - scores["kind_sectors", "company"]) <= 1.0


def test_offers_are_read_with_kind_and_sectors_and_needs_alone():
    from fixed_vectors import VectorEncoder, unit

    encoder = VectorEncoder({"need": unit(1, 0), "offer": unit(1, 0.2), "their need": unit(0, 1), "desc": unit(0, 1)})
    matcher = Matcher(encoder)
    matcher.prepare([
        Profile("a", "A", "CN", kind="city", sectors=("urban-transport", "tourism"), needs=(("en", "need"),),
                description=(("en", "desc"),)),
        Profile("b", "B", "RS", kind="other", sectors=("venture-capital",), sector_names=("Venture capital",),
                offers=(("en", "offer"),), needs=(("en", "their need"),)),
    ])
    assert sorted(set(encoder.contexts)) == ["[Venture capital] ", "[city: urban transport, tourism] "]
    best = matcher.match_one("a")[0]
    assert best.id == "b"
    assert any("offer" in r and "[" not in r for r in best.reasons)

    plain = VectorEncoder(encoder.table)
    Matcher(plain, config=MatchConfig(supply_context="none")).prepare([
        Profile("b", "B", "RS", kind="city", sectors=("x",), offers=(("en", "offer"),))])
    assert plain.contexts == []
    with pytest.raises(ValueError, match="supply_context"):
        Matcher(plain, config=MatchConfig(supply_context="sectors")).prepare([Profile("b", "B", "RS")])


def test_a_reason_names_the_stated_offer_that_answers_before_a_description_that_scored_higher():
    import numpy as np
    from fixed_vectors import VectorEncoder, unit

    from silkbridge.engines.matching.matcher import REASON_FLOOR

    table = {"need": unit(1, 0, 0, 0), "desc": unit(1, 0.05, 0, 0), "offer": unit(1, 0.9, 0, 0), "noise": unit(0, 0, 1, 0)}
    rng = np.random.default_rng(1)
    for i in range(8):
        table[f"other {i}"] = unit(*rng.normal(size=4))

    def strength(**dist):
        profiles = [
            Profile("maker", "Maker", "CN", needs=(("en", "need"),), offers=(("en", "noise"),)),
            Profile("dist", "Distributor", "RS", **dist),
            *(Profile(f"o{i}", f"O{i}", "HU", offers=(("en", f"other {i}"),)) for i in range(8)),
        ]
        m = Matcher(VectorEncoder(table), config=MatchConfig(calibration=Calibration(hubness=1.0)))
        m.prepare(profiles)
        return m, m._best_pair("maker", "dist")

    _, (by_description, _, _) = strength(description=(("en", "desc"),))
    _, (by_offer, _, _) = strength(offers=(("en", "offer"),))
    assert by_description > by_offer >= REASON_FLOOR  # the description is the stronger evidence, discount included
    m, (_, _, chunk) = strength(description=(("en", "desc"),), offers=(("en", "offer"),))
    assert chunk.source == "offer"
    (reason,) = [r for r in m.score_pair("maker", "dist").reasons if r.code == "their_offer_answers"]
    assert reason.params["offer"] == "offer"


@pytest.mark.parametrize("share", [0.0, 0.25, 1.0])
def test_offers_are_embedded_in_the_mix_of_query_and_passage_forms_that_passage_share_names(share):
    import numpy as np
    from fixed_vectors import VectorEncoder, unit

    class TwoForms(VectorEncoder):
        """Queries and passages of one text land on different vectors."""

        def encode_passages(self, texts):
            return np.stack([self.passages[t] for t in texts]).astype(np.float32)

    encoder = TwoForms({"need": unit(1, 0), "offer": unit(1, 0)})
    encoder.passages = {"offer": unit(0, 1)}
    matcher = Matcher(encoder, config=MatchConfig(passage_share=share, supply_context="none"))
    matcher.prepare([Profile("a", "A", "CN", needs=(("en", "need"),)), Profile("b", "B", "RS", offers=(("en", "offer"),))])

    mixed = (1 - share) * unit(1, 0) + share * unit(0, 1)
    assert np.allclose(matcher._vectors["b"][0], mixed / np.linalg.norm(mixed), atol=1e-6)
    assert np.allclose(matcher._vectors["a"][0], unit(1, 0))  # needs are always read as queries
    with pytest.raises(ValueError, match="passage_share"):
        Matcher(encoder, config=MatchConfig(passage_share=1.5))


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_needs_are_read_in_the_mix_of_alone_and_after_their_kind_and_sectors_that_need_context_share_names(share):
    import numpy as np
    from fixed_vectors import VectorEncoder, unit

    encoder = VectorEncoder({"need": unit(1, 0), "[city: urban transport] need": unit(0, 1), "offer": unit(1, 1)})
    profiles = [Profile("a", "A", "RS", kind="city", sectors=("urban-transport",), needs=(("en", "need"),)),
                Profile("b", "B", "CN", kind="other", needs=(("en", "need"),), offers=(("en", "offer"),))]
    matcher = Matcher(encoder, config=MatchConfig(need_context_share=share, passage_share=0.0))
    matcher.prepare(profiles)

    mixed = (1 - share) * unit(1, 0) + share * unit(0, 1)
    assert np.allclose(matcher._vectors["a"][0], mixed / np.linalg.norm(mixed), atol=1e-6)
    assert np.allclose(matcher._vectors["b"][0], unit(1, 0))  # kind "other" and no sectors: nothing to read in front
    alone = Matcher(encoder, config=MatchConfig(need_context_share=share, supply_context="none"))
    alone.prepare(profiles)
    assert np.allclose(alone._vectors["a"][0], unit(1, 0))  # with supply_context "none" every text is read alone
    with pytest.raises(ValueError, match="need_context_share"):
        Matcher(encoder, config=MatchConfig(need_context_share=-0.1))


@pytest.mark.parametrize("rule", ["any", "different_country", "groups"])
def test_candidate_counts_are_the_row_sums_of_the_allowed_matrix(rule):
    from silkbridge.engines.matching.scoring import allowed_matrix, candidate_counts

    countries = ["CN", "cn", "RS", "HU", "RS", "US", "PL", "HK"]
    config = MatchConfig(cross_border=rule, country_groups=CN_CEE)
    allowed = allowed_matrix(countries, countries, config)
    allowed[range(len(countries)), range(len(countries))] = False
    assert candidate_counts(countries, config).tolist() == allowed.sum(axis=1).tolist()


def test_the_corrections_weaken_in_a_directory_too_small_to_estimate_them():
    from fixed_vectors import VectorEncoder, unit

    encoder = VectorEncoder({"n": unit(1, 0), "o": unit(1, 0.1)})
    few = [Profile(f"cn{i}", "C", "CN", needs=(("en", "n"),)) for i in range(2)]
    few += [Profile(f"rs{i}", "R", "RS", offers=(("en", "o"),)) for i in range(3)]
    matcher = Matcher(encoder, config=GROUPS)
    matcher.prepare(few)
    assert matcher._build()["strength"] == pytest.approx(2 / 20)  # the median organisation may meet two others
    many = few + [Profile(f"{c}{i}", c, c) for c in ("CN", "PL") for i in range(20)]
    matcher.prepare(many)
    assert matcher._build()["strength"] == 1.0
