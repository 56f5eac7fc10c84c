"""In a real headless Chromium: a delegate follows the invitation from the outbox, sets a password and
edits their organisation's profile in Chinese."""
from __future__ import annotations

import re

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invited_delegate_sets_a_password_lands_logged_in_and_edits_the_profile_in_chinese(
        live_server, chromium, make_org, settings, tmp_path):
    from silkbridge.accounts import services
    from silkbridge.directory.models import Organisation

    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    org = make_org(id="cn-heli", name="Cangzhou Heli Machinery", country="CN", language="en",
                   description="Pipe fittings.")
    user, _ = services.delegate_user("wang.fang@heli.example.cn", "Wang Fang", "zh-hans")
    services.grant_membership(user, org)
    assert services.invite(user) is True

    (message,) = (tmp_path / "outbox").iterdir()
    link = re.search(r"(http://\S+/welcome/\S+)", message.read_text()).group(1)
    assert link.startswith(f"{live_server.url}/zh-hans/accounts/welcome/")

    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(link)
    assert page.locator("h1").inner_text() == "设置您的密码"
    page.fill("#id_new_password1", "cangzhou-forum-2026")
    page.fill("#id_new_password2", "cangzhou-forum-2026")
    page.get_by_role("button", name="设置密码并登录").click()
    page.wait_for_url(f"{live_server.url}/zh-hans/accounts/me/")
    assert page.locator(".account__name").inner_text() == "Wang"
    assert "密码已设置，您已登录。" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="编辑简介").click()
    page.wait_for_url(f"{live_server.url}/zh-hans/accounts/me/organisations/cn-heli/profile/")
    page.fill("#id_language", "zh-hans")
    page.fill("#id_description", "沧州合力机械生产管件和法兰。")
    page.fill("#id_offers", "管件\n法兰")
    page.fill("#id_needs", "塞尔维亚的经销商")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert "简介已保存" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="查看公开页面").click()
    page.wait_for_load_state()
    assert "沧州合力机械生产管件和法兰。" in page.locator("main").inner_text()
    texts = {p.language: p.description for p in Organisation.objects.get(pk=org.pk).profiles.all()}
    assert texts == {"en": "Pipe fittings.", "zh-hans": "沧州合力机械生产管件和法兰。"}
