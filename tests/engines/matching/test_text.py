from silkbridge.engines.language import detect_iso as detect_language
from silkbridge.engines.matching.text import split_chunks
from silkbridge.engines.script import fold


def test_fold_makes_serbian_cyrillic_and_latin_equal():
    assert fold("Ђорђе Јовановић, Шабац") == fold("Đorđe Jovanović, Šabac") == "djordje jovanovic, sabac"


def test_fold_handles_digraph_letters_and_ascii_spelling():
    assert fold("Љубљана Њиш Џеп") == "ljubljana njis dzep"
    assert fold("Djordjevic") == fold("Ђорђевић")


def test_fold_strips_accents_of_other_latin_languages():
    assert fold("  Łódź  Győr\tBrașov  Čáslav ") == "lodz gyor brasov caslav"


def test_fold_transliterates_bulgarian_and_macedonian_letters():
    assert fold("Щастие Ѓорѓи Ќерка Ѕвезда") == "stastie gorgi kerka dzvezda"


def test_fold_leaves_chinese_untouched():
    assert fold("寻找 经销商") == "寻找 经销商"


def test_detect_language_finds_serbian_cyrillic_and_polish():
    assert detect_language("Тражимо нове произвођаче ултразвучних апарата из Азије") == "sr"
    assert detect_language("Szukamy importera owoców w Chinach, który przejmie odprawę celną") == "pl"


def test_detect_language_prefers_the_declared_language():
    assert detect_language("Tražimo partnere u Kini za razmjenu studenata", "hr") == "hr"
    assert detect_language("anything at all", "zh-Hans") == "zh"


def test_detect_language_returns_und_for_too_little_text():
    assert detect_language("ok") == "und"


def test_ten_thousand_characters_are_chunked_whole_and_in_order(real_encoder):
    sentences = [f"Реченица број {i} говори о сарадњи са партнерима." for i in range(250)]
    text = " ".join(sentences)
    assert len(text) > 10_000
    chunks = split_chunks(text, max_tokens=96)
    assert " ".join(chunks) == text
    assert len(chunks) == 34
    # every chunk fits one encoder window with room to spare, so nothing is truncated
    assert max(real_encoder._model.token_count(c) for c in chunks) < 200


def test_a_run_on_text_without_punctuation_is_still_split_under_the_budget():
    text = "слово " * 3000
    chunks = split_chunks(text, max_tokens=50)
    assert " ".join(chunks) == text.strip()
    assert all(len(c) <= 200 for c in chunks)


def test_chinese_sentences_split_at_full_stops():
    assert split_chunks("我们生产超声设备。我们寻找经销商！", max_tokens=10) == ["我们生产超声设备。", "我们寻找经销商！"]


def test_chinese_sentences_in_one_chunk_are_joined_without_spaces():
    assert split_chunks("我们生产超声设备。我们寻找经销商！") == ["我们生产超声设备。我们寻找经销商！"]


def test_serbian_cyrillic_reaches_the_encoder_in_latin_letters_and_other_cyrillic_stays_as_written():
    from silkbridge.engines.matching.text import encoder_form

    assert encoder_form("Тражимо дистрибутера у Србији", "sr") == "Tražimo distributera u Srbiji"
    assert encoder_form("Tražimo distributera", "sr") == "Tražimo distributera"
    # Bulgarian and Macedonian letters keep a text out of the Serbian table, even if it was taken for Serbian.
    assert encoder_form("Търсим дистрибутор в България", "sr") == "Търсим дистрибутор в България"
    assert encoder_form("Бараме партнер кој ќе воведе", "sr") == "Бараме партнер кој ќе воведе"
    assert encoder_form("Търсим дистрибутор", "bg") == "Търсим дистрибутор"


def test_supply_context_names_kind_and_sectors_in_words():
    from silkbridge.engines.matching.text import supply_context

    assert supply_context("research_institute", ("food-safety", "rapid tests")) == "[research institute: food safety, rapid tests] "
    assert supply_context("other", ("Venture capital",)) == "[Venture capital] "
    assert supply_context("city", ()) == "[city] "
    assert supply_context("other", ()) == ""
    assert supply_context("", ("  ", "")) == ""
