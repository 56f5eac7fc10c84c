"""Report pages in a real headless Chromium: the plotly charts draw, and nothing is fetched from outside the site."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from silkbridge.outcomes import services
from silkbridge.outcomes.models import Agreement, CityRelation, Investment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_page(chromium):
    page = chromium.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # The site's Content-Security-Policy refuses inline scripts; a refusal shows up on the console.
    page.on("console", lambda message: requested.append(f"console: {message.text}")
            if "Content Security Policy" in message.text else None)
    return page, requested


@pytest.fixture
def outcomes(reference, forum, make_org, city):
    a = make_org(id="rs-zora", name="Zora")
    b = make_org(id="cn-huaxin", name="Huaxin", country="CN")
    services.save_record(Agreement(title="MoU", kind="mou", signed_on=date(2024, 5, 8), forum=forum),
                         parties=[services.PartyRef(organisation_id=a.pk), services.PartyRef(organisation_id=b.pk)])
    services.save_record(Investment(title="Plant", amount=Decimal("1000000"), currency="EUR", signed_on=date(2024, 5, 8),
                                    country_id="RS", sector_id="D", forum=forum),
                         parties=[services.PartyRef(role="investor", organisation_id=b.pk)])
    services.save_record(CityRelation(city_a=city("Chengdu", "CN"), city_b=city("Niš", "RS"), since=2011, forum=forum))
    return forum


def _only_local(requested: list[str]) -> list[str]:
    return [u for u in requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")]


def test_forum_report_draws_every_chart_offline(live_server, browser_page, outcomes):
    page, requested = browser_page
    page.goto(f"{live_server.url}/outcomes/reports/forum/{outcomes.slug}/")
    page.wait_for_selector("#chart-network svg.main-svg", timeout=20_000)
    drawn = page.eval_on_selector_all(".plotly-graph-div", "divs => divs.map(d => [d.id, d.querySelectorAll('svg.main-svg').length > 0])")
    assert drawn == [["chart-years", True], ["chart-investment-years", True], ["chart-sectors", True],
                     ["chart-countries", True], ["chart-network", True]]
    assert page.inner_text("#figure-agreements") == "1"
    assert _only_local(requested) == []


def test_programme_report_and_printable_page_render_in_the_browser(live_server, browser_page, outcomes):
    page, requested = browser_page
    page.goto(f"{live_server.url}/outcomes/reports/programme/?from=2024&to=2024")
    page.wait_for_selector("#chart-years svg.main-svg", timeout=20_000)
    assert page.inner_text("#figure-investments") == "1"
    page.goto(f"{live_server.url}/outcomes/reports/programme/?format=print")
    page.wait_for_selector("#chart-countries svg.main-svg", timeout=20_000)
    assert page.inner_text("#figure-relations") == "1"
    assert _only_local(requested) == []
