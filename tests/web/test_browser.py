"""The directory in a real headless Chromium: switch to Chinese, search, open an organisation."""
from __future__ import annotations

import pytest


@pytest.fixture
def browser_page(chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visitor_switches_to_chinese_searches_and_opens_an_organisation(live_server, make_org, browser_page):
    make_org(id="rs-zora", name="Зора Софтвер д.о.о.", country="RS", city="Niš", sectors="62",
             language="sr-cyrl", description="Развој софтвера за логистику и складишта.",
             offers="Софтвер за складишта", needs="Партнери у Кини")
    make_org(id="cn-huaxin", name="华信物流有限公司", country="CN", sectors="52",
             language="zh-hans", description="我们提供中欧铁路物流和仓储服务。")
    page = browser_page

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Directory"
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(live_server.url + "/zh-hans/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "名录"

    page.get_by_label("搜索").fill("zora softver")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/zh-hans/?q=zora+softver**")
    assert page.locator(".result-count").inner_text() == "1 家机构"
    page.get_by_role("link", name="Зора Софтвер д.о.о.").click()

    page.wait_for_url(live_server.url + "/zh-hans/organisations/rs-zora/")
    assert page.locator("h1").inner_text() == "Зора Софтвер д.о.о."
    assert page.locator("#profile-heading").inner_text() == "简介"
    assert page.locator(".org-head .org-card__meta").inner_text() == "企业\n尼什, 塞尔维亚"
    assert page.get_by_role("heading", name="我们提供").is_visible()
    assert page.get_by_text("Софтвер за складишта").is_visible()
