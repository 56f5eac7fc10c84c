import pytest

from silkbridge.engines.matching.e5_runtime import E5Tokenizer
from silkbridge.engines.matching.e5_weights import load_image


@pytest.fixture(scope="module")
def tokenizer():
    return E5Tokenizer(load_image(weights=False))


@pytest.mark.parametrize(
    "text",
    [
        "寻找塞尔维亚及西巴尔干地区的医疗器械经销商",
        "Регистрација медицинских средстава код АЛИМС-а",
        "Szukamy  importera\towoców w Chinach — GACC!",
        "Αναζητούμε εξωτερικό συνεργάτη 😀 ⅷ ﬁ",
        "",
    ],
)
def test_python_tokenizer_gives_the_c_engines_token_count(tokenizer, real_encoder, text):
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        ids = tokenizer.content_ids(prefix + text)
        assert len(ids) + 2 == real_encoder._model.token_count(text, is_query)


def test_pytorch_runtime_gives_the_c_engines_vectors_where_torch_is_installed(real_encoder):
    pytest.importorskip("torch")
    from silkbridge.engines.matching import TorchE5Encoder

    texts = ["寻找塞尔维亚的医疗器械经销商", "Регистрација медицинских средстава",
             " ".join(["Dugačak profil o izvozu i proizvodnji."] * 150)]  # beyond one 512-token window
    got = TorchE5Encoder(device="cpu").encode_passages(texts)
    assert (got * real_encoder.encode_passages(texts)).sum(1).min() >= 0.999
