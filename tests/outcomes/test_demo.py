"""The demo outcomes: both reference files, fictional forum results linked to the demo forum, safe to rerun."""
from __future__ import annotations

from datetime import date

import pytest

from silkbridge.outcomes.demo import load_demo_outcomes
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_forum(reference, make_org):
    from silkbridge.forums import demo, services

    forum = services.create_forum(name=demo.DEMO_NAME, slug=demo.DEMO_SLUG, starts_on=date(2026, 12, 8), tables=2)
    meisheng = services.invite(forum, make_org(id="cn-zj-meisheng", name="Meisheng", country="CN"))
    medivera = services.invite(forum, make_org(id="rs-bg-medivera", name="Medivera"))
    request = services.request_meeting(meisheng, medivera)
    return forum, services.answer_request(request, accept=True)


def test_demo_outcomes_load_once_and_link_to_the_demo_forum(demo_forum):
    forum, meeting = demo_forum
    said: list[str] = []
    load_demo_outcomes(said.append)
    load_demo_outcomes(said.append)
    assert (CityRelation.objects.count(), Investment.objects.count(), Agreement.objects.count(),
            Visit.objects.count()) == (159, 95, 4, 1)
    assert said[-1] == "adding demo forum outcomes for China–CEEC SME Cooperation Forum 2026…"
    mou = Agreement.objects.get(import_key="demo:mou-medical")
    assert (mou.forum, mou.meeting, mou.signed_on) == (forum, meeting, date(2026, 12, 8))
    assert sorted(p.organisation.external_id for p in mou.parties.all()) == ["cn-zj-meisheng", "rs-bg-medivera"]
    warehouse = Investment.objects.get(import_key="demo:warehouse")
    assert (warehouse.currency, warehouse.amount_cny, warehouse.conversions["EUR"]["rate_date"]) == (
        "CNY", 48000000, "2026-10-13")
    plant = Investment.objects.get(import_key="demo:auto-plant")
    # Signed at the forum, after the last bundled exchange rate: stored unconverted, with the reason.
    assert (plant.amount_eur, plant.conversion_error.startswith("no EUR/USD rate for 2026-12-09")) == (None, True)
