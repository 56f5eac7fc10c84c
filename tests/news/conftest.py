"""Directory records and article files shared by the news tests."""
from __future__ import annotations

import pytest

ARTICLE = """Medivera Balkan and Meisheng sign ultrasound deal

Belgrade, 3 June 2025 - Medivera Balkan d.o.o. and Hangzhou Meisheng Medical Technology Co., Ltd. signed a memorandum of understanding in Belgrade on 3 June 2025 on the distribution of portable ultrasound systems in Serbia. The agreement is worth EUR 2.5 million.
Wang Li, sales director of Meisheng, said the first systems will arrive in autumn.
Kragujevac and Ningbo signed a sister city agreement in 2025.
Wuxi Tianhui Photovoltaic Technology will invest USD 40 million in a solar panel plant in Zrenjanin, Serbia.
"""


@pytest.fixture
def directory(make_org):
    """Medivera under its Cyrillic name, Meisheng and Tianhui under their Chinese names, with other names and people."""
    from silkbridge.directory import services

    medivera = make_org(id="rs-bg-medivera", name="Медивера Балкан д.о.о.", country="RS", city="Belgrade")
    meisheng = make_org(id="cn-zj-meisheng", name="杭州美声医疗科技有限公司", country="CN", city="Hangzhou")
    services.save_organisation_details(meisheng, names={"en": "Hangzhou Meisheng Medical Technology Co., Ltd."},
                                       people=[{"name": "王丽", "title": "销售总监"}])
    tianhui = make_org(id="cn-js-tianhui-solar", name="无锡天辉光伏科技有限公司", country="CN", city="Wuxi")
    services.save_organisation_details(tianhui, names={"en": "Wuxi Tianhui Photovoltaic Technology Co., Ltd."})
    association = make_org(id="rs-bg-scba", name="Serbian-Chinese Business Association", country="RS")
    return {"medivera": medivera, "meisheng": meisheng, "tianhui": tianhui, "association": association}


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "deal.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path
