"""`silkbridge forum …`: exit statuses and outputs."""
from __future__ import annotations

import json

import pytest

from silkbridge.cli import main
from silkbridge.forums import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum_with_requests(make_forum, join):
    forum = make_forum("CLI Forum", slots=3, tables=2)
    a, b, c = join(forum, "rs-a", "Alpha"), join(forum, "cn-b", "Beta", country="CN"), join(forum, "hu-c", "Gamma")
    for x, y in [(a, b), (c, a)]:
        services.answer_request(services.request_meeting(x, y), accept=True, by=y)
    return forum


def test_unknown_forum_exits_2_with_a_message(capsys):
    assert main(["forum", "schedule", "no-such-forum"]) == 2
    assert capsys.readouterr().err == "silkbridge forum: error: no forum with slug or id 'no-such-forum'\n"


def test_unknown_participant_exits_2(forum_with_requests, capsys):
    assert main(["forum", "agenda", "cli-forum", "xx-nobody", "--ics"]) == 2
    assert capsys.readouterr().err == "silkbridge forum: error: organisation 'xx-nobody' does not take part in cli-forum\n"


def test_publish_before_scheduling_exits_2(forum_with_requests, capsys):
    assert main(["forum", "publish", "cli-forum"]) == 2
    assert "run the scheduler first" in capsys.readouterr().err


def test_schedule_publish_and_agenda(forum_with_requests, capsys, tmp_path):
    assert main(["forum", "schedule", str(forum_with_requests.pk), "--time-limit", "5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["placed"], result["unplaced"], result["status"]) == (2, 0, "optimal")
    assert main(["forum", "publish", "cli-forum", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"forum": "cli-forum", "version": 1, "meetings": 2,
                                                   "notify": ["cn-b", "hu-c", "rs-a"],
                                                   "mailed": ["cn-b", "hu-c", "rs-a"], "without_address": []}
    out = tmp_path / "alpha.ics"
    assert main(["forum", "agenda", "cli-forum", "rs-a", "--ics", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Meeting: Beta (table" in text and "SUMMARY:Meeting: Gamma (table" in text
    assert main(["forum", "agenda", "cli-forum", "rs-a", "--html"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<!doctype html>")
    assert captured.out.count('<td class="time">') == 2


def test_agenda_pdf_is_printed_by_chromium(forum_with_requests, tmp_path, capsys):
    from silkbridge.cli.forum import find_chromium

    if find_chromium() is None:
        pytest.skip("no chromium binary found (apt-get install chromium)")
    main(["forum", "schedule", "cli-forum", "--time-limit", "5", "--json"])
    out = tmp_path / "agenda.pdf"
    assert main(["forum", "agenda", "cli-forum", "rs-a", "--pdf", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data


def test_agenda_pdf_without_chromium_exits_2_and_names_the_way_out(forum_with_requests, monkeypatch, capsys):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["forum", "agenda", "cli-forum", "rs-a", "--pdf"]) == 2
    assert "needs Chromium" in capsys.readouterr().err


def test_list_shows_counts(forum_with_requests, capsys):
    assert main(["forum", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["slug"], row["status"], row["participants"], row["meetings"]) == ("cli-forum", "open", 3, 0)


def test_agenda_needs_a_format():
    with pytest.raises(SystemExit) as exc:
        main(["forum", "agenda", "cli-forum", "rs-a"])
    assert exc.value.code == 2
