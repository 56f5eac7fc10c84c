"""Safe behind TLS: the trusted-proxy settings, `check --deploy`, the Content-Security-Policy and login throttling."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "right-password-42"


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("member", password=PASSWORD)


def _deploy_check(tmp_path, **extra) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SILKBRIDGE_")}
    env |= {"SILKBRIDGE_DATA_DIR": str(tmp_path), "SILKBRIDGE_ALLOWED_HOSTS": "forum.example.org", **extra}
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--settings", "silkbridge.web.settings"],
                          env=env, capture_output=True, text=True)
    return done.stdout + done.stderr


def test_check_deploy_is_clean_behind_a_tls_proxy(tmp_path):
    out = _deploy_check(tmp_path, SILKBRIDGE_BEHIND_TLS_PROXY="true", SILKBRIDGE_HSTS_PRELOAD="true")
    assert out.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_about_plain_http(tmp_path):
    out = _deploy_check(tmp_path)
    assert [code for code in ("W004", "W008", "W012", "W016") if f"security.{code}" in out] == ["W004", "W008", "W012",
                                                                                                "W016"]


def _login(client: Client, username: str, password: str, **headers):
    client.get("/accounts/login/", **headers)
    token = client.cookies["csrftoken"].value
    return client.post("/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token},
                       **headers)


PROXIED = {"HTTP_HOST": "forum.example.org", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ORIGIN": "https://forum.example.org",
           "HTTP_X_FORWARDED_FOR": "203.0.113.7"}


@pytest.fixture
def behind_proxy(settings):
    settings.ALLOWED_HOSTS = ["forum.example.org"]
    settings.BEHIND_TLS_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def test_a_login_post_through_an_https_proxy_succeeds(behind_proxy, member):
    response = _login(Client(enforce_csrf_checks=True), "member", PASSWORD, **PROXIED)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert response.cookies["sessionid"]["secure"] is True


def test_without_the_proxy_setting_the_same_post_fails_the_origin_check(settings, member):
    settings.ALLOWED_HOSTS = ["forum.example.org"]
    response = _login(Client(enforce_csrf_checks=True), "member", PASSWORD, **PROXIED)
    assert response.status_code == 403


def test_thirty_wrong_passwords_lock_the_user_out_even_with_the_right_one(member):
    client = Client()
    statuses = [_login(client, "member", f"wrong-{i}").status_code for i in range(30)]
    assert statuses[:4] == [200] * 4 and set(statuses[5:]) == {429}
    locked = _login(client, "member", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_user_name_is_refused_from_another_address_too(member):
    for i in range(5):
        _login(Client(REMOTE_ADDR="198.51.100.1"), "member", f"wrong-{i}")
    assert _login(Client(REMOTE_ADDR="198.51.100.2"), "member", PASSWORD).status_code == 429


def test_one_address_guessing_many_user_names_is_locked_out(member):
    client = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(5):
        _login(client, f"nobody-{i}", "guess")
    assert _login(client, "member", PASSWORD).status_code == 429
    other = _login(Client(REMOTE_ADDR="198.51.100.10"), "member", PASSWORD)
    assert other.status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_counted_not_the_proxy(behind_proxy, member):
    for i in range(5):
        _login(Client(), f"nobody-{i}", "guess", **PROXIED)
    other_client = {**PROXIED, "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert _login(Client(), "member", PASSWORD, **other_client).status_code == 302
    assert _login(Client(), "member", PASSWORD, **PROXIED).status_code == 429


def test_pages_carry_a_policy_that_allows_scripts_from_this_site_only(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert (directives["script-src"], directives["frame-ancestors"], directives["object-src"]) == (
        "'self'", "'none'", "'none'")
