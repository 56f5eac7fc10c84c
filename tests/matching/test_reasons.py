"""Match reasons are stored with their message code and shown in the reader's language."""
from __future__ import annotations

import pytest
from django.utils import translation

from silkbridge.engines.matching import Reason
from silkbridge.matching.reasons import localise_many, to_json

ANSWER = Reason("their_offer_answers", 'their offer "Регистрација…" answers your need "寻找经销商"',
                offer="Регистрација…", need="寻找经销商")
SECTORS = Reason("shared_sectors", "shared sectors: Manufacture of electrical equipment",
                 sectors=["27"], names={"27": ["Manufacture of electrical equipment", "电气设备制造业"]})
THIN = Reason("other_no_needs", "Acme listed no needs: matched on what it offers", name="Acme")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("their offer “Регистрација…” answers your need “寻找经销商”",
            "shared sectors: Manufacture of electrical equipment",
            "Acme listed no needs: matched on what it offers")),
    ("zh-hans", ("对方的供给“Регистрација…”满足您的需求“寻找经销商”", "共同行业：电气设备制造业",
                 "Acme 未列出需求：按其供给匹配")),
    ("sr", ("њихова понуда „Регистрација…” одговара вашој потреби „寻找经销商”",
            "заједничке делатности: Manufacture of electrical equipment",
            "Acme није навела потребе: упарено по ономе што нуди")),
    ("sr-latn", ("njihova ponuda „Регистрација…” odgovara vašoj potrebi „寻找经销商”",
                 "zajedničke delatnosti: Manufacture of electrical equipment",
                 "Acme nije navela potrebe: upareno po onome što nudi")),
])
def test_reasons_are_rebuilt_in_the_active_language_from_what_was_stored(db, language, expected):
    stored = [to_json(r) for r in (ANSWER, SECTORS, THIN)]  # as the JSON column keeps them
    with translation.override(language):
        assert localise_many([stored]) == [expected]
        assert localise_many([[ANSWER, SECTORS, THIN]]) == [expected]  # straight from the engine too


def test_plain_strings_and_unknown_codes_are_shown_as_written(db):
    legacy = ["shared sectors: Wine", {"code": "from_a_newer_version", "params": {}, "text": "as written"}]
    with translation.override("zh-hans"):
        assert localise_many([legacy]) == [("shared sectors: Wine", "as written")]


def test_the_engine_reason_is_still_the_english_sentence():
    assert ANSWER == 'their offer "Регистрација…" answers your need "寻找经销商"'
    assert to_json(ANSWER) == {"code": "their_offer_answers", "params": {"offer": "Регистрација…", "need": "寻找经销商"},
                               "text": str(ANSWER)}
