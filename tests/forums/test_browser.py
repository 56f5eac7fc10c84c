"""A forum in a real headless Chromium: request → accept → schedule → publish → agenda."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def browser(chromium):
    return chromium


def logged_in(browser, live_server, username: str, password: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_request_accept_schedule_publish_and_read_the_agenda(live_server, browser, make_forum, join):
    from silkbridge.forums.models import Delegate, Forum, MeetingRequest

    forum = make_forum("Browser Forum", slots=3, tables=2, venue="Sava Centar")
    a, b = join(forum, "rs-a", "Alpha Logistika"), join(forum, "cn-b", "Beta Trading", country="CN")
    User = get_user_model()
    Delegate.objects.create(participant=a, user=User.objects.create_user("alice", password="alice-pass-1"))
    Delegate.objects.create(participant=b, user=User.objects.create_user("bob", password="bob-pass-1"))
    forum.organisers.add(User.objects.create_user("olga", password="olga-pass-1"))
    base = f"{live_server.url}/forums/{forum.slug}"

    alice = logged_in(browser, live_server, "alice", "alice-pass-1")
    alice.goto(f"{base}/requests/")
    alice.select_option("#id_recipient", label="Beta Trading (CN)")
    alice.fill("#id_message", "Rail freight to Chongqing?")
    alice.get_by_role("button", name="Send request").click()
    alice.wait_for_url(f"{base}/requests/")
    row = alice.locator("tr[data-request]")
    assert row.locator("td.status").inner_text() == "Waiting for an answer"

    bob = logged_in(browser, live_server, "bob", "bob-pass-1")
    bob.goto(f"{base}/requests/")
    incoming = bob.locator("tr[data-request]").first
    assert incoming.locator("td").first.inner_text() == "Alpha Logistika"
    assert "rs-a@example.com" not in incoming.inner_text()
    incoming.get_by_role("button", name="Accept").click()
    bob.wait_for_url(f"{base}/requests/")
    incoming = bob.locator("tr[data-request]").first
    assert incoming.locator("td.status").inner_text() == "Accepted"
    assert "rs-a@example.com" in incoming.inner_text()
    assert MeetingRequest.objects.get().status == "accepted"

    olga = logged_in(browser, live_server, "olga", "olga-pass-1")
    olga.goto(f"{base}/manage/")
    olga.fill("#id_time_limit", "5")
    olga.locator("#run-scheduler").click()
    olga.wait_for_url("**/manage/jobs/*/")
    assert olga.locator("#job").get_attribute("data-status") == "done"
    olga.get_by_role("link", name="Review the schedule").click()
    assert olga.locator("#schedule tbody tr").count() == 1
    assert olga.locator("#notify").inner_text() == "cn-b, rs-a"
    olga.locator("#publish").click()
    olga.wait_for_url(f"{base}/manage/")
    assert olga.locator("#forum-status").inner_text() == "Published"
    assert Forum.objects.get(pk=forum.pk).status == "published"

    meeting = forum.meetings.select_related("table", "slot").get()
    alice.goto(f"{base}/agenda/rs-a/")
    cells = alice.locator("table.agenda tbody tr").first
    assert alice.locator("table.agenda tbody tr").count() == 1
    assert cells.locator("td.table-number").inner_text() == str(meeting.table.number)
    assert cells.locator("td.other").inner_text().startswith("Beta Trading (CN)")
    assert "cn-b@example.com" in cells.inner_text()
    with alice.expect_download() as download:
        alice.get_by_role("link", name="Calendar (.ics)").click()
    assert download.value.suggested_filename == "browser-forum-rs-a.ics"
