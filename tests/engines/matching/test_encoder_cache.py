import numpy as np

from silkbridge.engines.matching import Matcher, MemoryCache, Profile, text_key


def test_encoder_returns_unit_float32_rows(real_encoder):
    v = real_encoder.encode_passages(["Izvoz jabuka u Kinu", "出口苹果"])
    assert v.dtype == np.float32
    assert v.shape == (2, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_query_and_passage_prefixes_give_different_vectors(real_encoder):
    q = real_encoder.encode_queries(["寻找塞尔维亚经销商"])[0]
    p = real_encoder.encode_passages(["寻找塞尔维亚经销商"])[0]
    assert float(q @ p) < 0.99


def test_text_key_ignores_whitespace_but_not_model_or_text():
    assert text_key("m", "passage:  a\n b ") == text_key("m", "passage: a b")
    assert text_key("m", "passage: a b") != text_key("other", "passage: a b")
    assert text_key("m", "query: a b") != text_key("m", "passage: a b")


def _profile(pid, need, offer):
    return Profile(id=pid, name=f"Org {pid}", country="RS" if pid % 2 else "CN", needs=(("", need),), offers=(("", offer),))


def test_cached_texts_are_not_encoded_again(encoder):
    cache = MemoryCache()
    profiles = [
        _profile(1, "Tražimo distributera u Kini.", "Proizvodimo vino."),
        _profile(2, "寻找欧洲葡萄酒。", "我们进口葡萄酒。"),
    ]
    first = Matcher(encoder, cache).prepare(profiles)
    # Two needs, each read alone and after its organisation's kind ("[company] …",
    # MatchConfig.need_context_share): four texts; two offers, each read in both e5 forms
    # (MatchConfig.passage_share): two texts, four embeddings.
    assert (first.encoded, first.cached, encoder.texts) == (6, 0, 8)
    second = Matcher(encoder, cache).prepare(profiles)
    assert (second.encoded, second.cached, encoder.texts) == (0, 6, 8)
    assert cache.hits == 8


def test_only_changed_texts_are_encoded_and_progress_reaches_the_total(encoder):
    cache = MemoryCache()
    matcher = Matcher(encoder, cache)
    matcher.prepare([_profile(1, "Need one.", "Offer one."), _profile(2, "Need two.", "Offer two.")])
    seen = []
    report = matcher.prepare([_profile(2, "Need two, revised.", "Offer two.")], progress=lambda d, t: seen.append((d, t)))
    assert (report.encoded, report.cached) == (2, 1)  # the revised need, alone and in context; the offer
    assert encoder.texts == 10  # two needs in two readings, two offers in both forms, then the revised need twice
    assert seen[-1] == (3, 3)
