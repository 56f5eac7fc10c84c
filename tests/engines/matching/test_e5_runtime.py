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
