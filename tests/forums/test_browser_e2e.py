"""A whole forum in a real headless Chromium, from an empty database: an organiser sets it up on Shanghai time
and imports participants from a spreadsheet; a delegate follows the invitation, sets a password, edits the
profile in Chinese and asks for a meeting; the other side accepts in Serbian Latin; the organiser schedules
and publishes; the agenda shows the forum's local times; every message is in the outbox."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

SLUG = "cangzhou-2027"


def outbox_messages(folder) -> list[str]:
    """Every message the file backend wrote (one file per connection, messages separated by a rule)."""
    out = []
    for path in sorted(folder.iterdir()):
        out += [m for m in path.read_text(encoding="utf-8").split("-" * 79) if m.strip()]
    return out


def invitation_link(folder, address: str) -> str:
    [message] = [m for m in outbox_messages(folder) if f"To: {address}" in m and "/welcome/" in m]
    return re.search(r"(http://\S+/welcome/\S+)", message).group(1)


def new_page(chromium):
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    return page


def set_password(page, link: str, password: str) -> None:
    page.goto(link)
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/me/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_organiser_runs_a_forum_from_an_empty_database(live_server, chromium, reference, settings, tmp_path):
    from openpyxl import Workbook

    from silkbridge.accounts.models import Notice
    from silkbridge.forums.models import Forum, MeetingRequest

    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    settings.DATA_DIR = tmp_path  # uploads of this test stay with it
    get_user_model().objects.create_user("olga", "olga@forum.example.org", "olga-pass-1", is_staff=True)
    base = f"{live_server.url}/forums/{SLUG}"

    # The organiser sets the forum up on Shanghai time.
    olga = new_page(chromium)
    olga.goto(f"{live_server.url}/accounts/login/")
    olga.fill("#id_username", "olga")
    olga.fill("#id_password", "olga-pass-1")
    olga.locator("main").get_by_role("button", name="Log in").click()
    olga.wait_for_load_state()
    olga.goto(f"{live_server.url}/forums/")
    olga.locator("#new-forum").click()
    olga.fill("#id_name", "China–CEEC SME Cooperation Forum 2027")
    olga.fill("#id_slug", SLUG)
    olga.fill("#id_starts_on", "2027-03-10")
    olga.select_option("#id_time_zone", "Asia/Shanghai")
    olga.fill("#id_sessions", "09:00-10:00, 14:00-15:00")
    olga.fill("#id_slot_minutes", "20")
    olga.fill("#id_tables", "2")
    olga.fill("#id_city", "Cangzhou")
    olga.fill("#id_request_deadline", "2027-03-08T18:00")
    olga.locator("#forum-setup button[type=submit]").click()
    olga.wait_for_url(f"{base}/manage/")
    forum = Forum.objects.get(slug=SLUG)
    assert (forum.time_zone, forum.slots.count(), forum.tables.count()) == ("Asia/Shanghai", 6, 2)

    # … and brings the participants in from a spreadsheet.
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "name", "country", "city", "language", "description",
                  "delegate_name", "delegate_email", "delegate_title", "delegate_language"])
    sheet.append(["cn-heli", "Cangzhou Heli Machinery", "CN", "Cangzhou", "en", "Pipe fittings.",
                  "Wang Fang", "wang.fang@heli.example.cn", "Sales director", "zh-hans"])
    sheet.append(["rs-sava", "Sava Logistika", "RS", "Belgrade", "sr-latn", "Železnički prevoz robe.",
                  "Milica Jovanović", "milica@sava.example.rs", "Direktorka", "sr-latn"])
    spreadsheet = tmp_path / "participants.xlsx"
    book.save(spreadsheet)
    olga.locator("#import-people").click()
    olga.set_input_files("#id_file", str(spreadsheet))
    olga.locator("#forum-import button[type=submit]").click()
    olga.wait_for_url("**/manage/imports/*/")
    olga.wait_for_selector("#job[data-status=done]")
    assert olga.locator("#invited").inner_text() == "2 invitations sent."
    # Sava Logistika receives its meetings at its own stand, chosen on the set-up page.
    olga.goto(f"{base}/manage/setup/")
    olga.select_option("#id_table_2", label="Sava Logistika")
    olga.locator("#forum-hosts button[type=submit]").click()
    olga.wait_for_url(f"{base}/manage/setup/")
    assert "Host stands saved." in olga.locator("main").inner_text()

    # A delegate follows the invitation, sets a password and edits the profile in Chinese.
    wang = new_page(chromium)
    link = invitation_link(tmp_path / "outbox", "wang.fang@heli.example.cn")
    assert link.startswith(f"{live_server.url}/zh-hans/accounts/welcome/")
    set_password(wang, link, "cangzhou-forum-2027")
    wang.goto(f"{live_server.url}/zh-hans/accounts/me/organisations/cn-heli/profile/")
    wang.fill("#id_language", "zh-hans")
    wang.fill("#id_description", "沧州合力机械生产管件和法兰。")
    wang.fill("#id_offers", "管件\n法兰")
    wang.fill("#id_needs", "塞尔维亚的物流伙伴")
    wang.locator("main form button[type=submit]").click()
    wang.wait_for_load_state()
    # … and asks the Serbian company for a meeting.
    wang.goto(f"{live_server.url}/zh-hans/forums/{SLUG}/requests/")
    wang.select_option("#id_recipient", label="Sava Logistika (RS)")
    wang.fill("#id_message", "铁路运输到重庆？")
    wang.locator("#request-form button[type=submit]").click()
    wang.wait_for_load_state()
    assert MeetingRequest.objects.get().status == "pending"

    # The other side accepts, in Serbian Latin.
    milica = new_page(chromium)
    link = invitation_link(tmp_path / "outbox", "milica@sava.example.rs")
    assert link.startswith(f"{live_server.url}/sr-latn/accounts/welcome/")
    set_password(milica, link, "beograd-forum-2027")
    milica.goto(f"{live_server.url}/sr-latn/forums/{SLUG}/requests/")
    incoming = milica.locator("tr[data-request]").first
    assert incoming.locator("td").first.inner_text() == "Cangzhou Heli Machinery"
    incoming.locator("button[name=action][value=accept]").click()
    milica.wait_for_load_state()
    assert MeetingRequest.objects.get().status == "accepted"

    # The organiser schedules and publishes.
    olga.goto(f"{base}/manage/")
    olga.fill("#id_time_limit", "5")
    olga.locator("#run-scheduler").click()
    olga.wait_for_url("**/manage/jobs/*/")
    olga.wait_for_selector("#job[data-status=done]")
    olga.goto(f"{base}/manage/")
    olga.locator("#publish").click()
    olga.wait_for_url(f"{base}/manage/")
    assert olga.locator("#forum-status").inner_text() == "Published"
    assert forum.meetings.select_related("table").get().table.number == 2  # at the host's stand

    # The agenda shows the forum's local time, not UTC.
    slot = forum.meetings.select_related("slot").get().slot
    local, utc = slot.start.astimezone(ZoneInfo("Asia/Shanghai")), slot.start.astimezone(ZoneInfo("UTC"))
    wang.goto(f"{live_server.url}/zh-hans/forums/{SLUG}/agenda/")
    row = wang.locator("table.agenda tbody tr").first
    assert f"{local:%H:%M}–" in row.inner_text()
    assert f"{utc:%H:%M}–" not in row.inner_text()
    assert "Asia/Shanghai" in wang.locator("main").inner_text()

    # Every message is in the outbox: one per person and event.
    assert sorted(Notice.objects.values_list("user__email", "event")) == [
        ("milica@sava.example.rs", "forum_request_received"),
        ("milica@sava.example.rs", "forum_schedule_published"),
        ("milica@sava.example.rs", "invitation"),
        ("wang.fang@heli.example.cn", "forum_request_accepted"),
        ("wang.fang@heli.example.cn", "forum_schedule_published"),
        ("wang.fang@heli.example.cn", "invitation"),
    ]
    assert len(outbox_messages(tmp_path / "outbox")) == 6
