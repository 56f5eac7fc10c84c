"""The page cache serves anonymous pages again until a committed write, from any process, retires them."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    return response.get("X-Page-Cache") == "hit", response.content.decode()


def test_an_anonymous_page_is_served_from_the_cache_until_a_write_commits(make_org):
    org = make_org(id="rs-zora", name="Zora")
    client = Client()
    assert _get(client, org.get_absolute_url())[0] is False
    hit, html = _get(client, org.get_absolute_url())
    assert (hit, "Zora" in html) == (True, True)
    make_org(id="rs-zora", name="Zora Renamed")
    hit, html = _get(client, org.get_absolute_url())
    assert (hit, "Zora Renamed" in html) == (False, True)


def test_a_bulk_update_that_sends_no_signal_still_retires_the_cache(make_org):
    make_org(id="rs-zora", name="Zora")
    client = Client()
    _get(client, "/api/v1/organisations")
    assert _get(client, "/api/v1/organisations")[0] is True
    Organisation.objects.filter(external_id="rs-zora").update(name="Zora Bulk")
    hit, body = _get(client, "/api/v1/organisations")
    assert (hit, "Zora Bulk" in body) == (False, True)


def test_a_rolled_back_write_keeps_the_cache(make_org):
    make_org(id="rs-zora", name="Zora")
    client = Client()
    _get(client, "/")
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.filter(external_id="rs-zora").update(name="Never")
        raise RuntimeError("rolled back")
    assert _get(client, "/")[0] is True


def test_logged_in_people_never_get_a_cached_page(make_org):
    make_org(id="rs-zora", name="Zora")
    staff = get_user_model().objects.create_user("staff", password="pw-staff-1234", is_staff=True)
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(staff)
    _get(anonymous, "/")
    assert _get(anonymous, "/")[0] is True
    assert [_get(logged_in, "/")[0] for _ in range(2)] == [False, False]


def test_each_reader_of_a_cached_page_gets_a_working_csrf_token_of_their_own(make_org):
    make_org(id="rs-zora", name="Zora")
    _get(Client(), "/")
    reader = Client(enforce_csrf_checks=True)
    hit, html = _get(reader, "/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html).group(1)
    assert hit is True and "csrftoken" in reader.cookies
    switched = reader.post("/i18n/setlang/", {"language": "sr", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_each_language_is_cached_apart(make_org):
    make_org(id="rs-zora", name="Zora")
    client = Client()
    first = [_get(client, url) for url in ("/", "/zh-hans/", "/", "/zh-hans/")]
    assert [(hit, '<html lang="zh-hans">' in html) for hit, html in first] == [
        (False, False), (False, True), (True, False), (True, True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> tuple[bool, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers.get("X-Page-Cache") == "hit", response.read().decode()


@pytest.mark.django_db(transaction=False)
def test_several_worker_processes_see_a_write_made_by_another_process(tmp_path):
    """gunicorn with 2 workers, each with its own memory cache; a CLI import in a third process retires both."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SILKBRIDGE_")} | {"SILKBRIDGE_DATA_DIR": str(tmp_path)}
    cli = [sys.executable, "-m", "silkbridge"]
    subprocess.run([*cli, "init", "-q"], env=env, check=True)
    rows = tmp_path / "orgs.csv"
    rows.write_text("id,name,kind,country\nrs-zora,Zora Before,company,RS\n", encoding="utf-8")
    subprocess.run([*cli, "import", "orgs", str(rows)], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--workers", "2", "--threads", "2", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/organisations/rs-zora/"
    try:
        for _ in range(100):
            try:
                _fetch(url)
                break
            except OSError:
                time.sleep(0.2)
        before = [_fetch(url) for _ in range(12)]
        assert all("Zora Before" in html for _, html in before) and any(hit for hit, _ in before)
        rows.write_text("id,name,kind,country\nrs-zora,Zora After,company,RS\n", encoding="utf-8")
        subprocess.run([*cli, "import", "orgs", str(rows)], env=env, check=True, capture_output=True)
        after = [_fetch(url) for _ in range(12)]
        assert [("Zora After" in html) for _, html in after] == [True] * 12
    finally:
        server.terminate()
        server.wait(timeout=30)
