"""Account pages: set a password from a link, sign up, reset a password, settings."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from silkbridge.accounts import services
from silkbridge.accounts.models import Notice

pytestmark = pytest.mark.django_db


def path_of_link(message) -> str:
    return re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+", message.body).group(0))


def test_an_invited_delegate_sets_a_password_and_lands_logged_in(client):
    user, _ = services.delegate_user("ana@example.rs", "Ana Petrović", "en")
    services.invite(user)
    link = path_of_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "ana@example.rs" in page.content.decode()
    response = client.post(link, {"new_password1": "silk road 2026!", "new_password2": "silk road 2026!"})
    assert (response.status_code, response.url) == (302, reverse("accounts:home"))
    assert client.get(reverse("accounts:home")).context["user"] == user
    # One-time: the same link is refused afterwards.
    assert client.get(link).status_code == 400


def test_a_bad_link_says_it_no_longer_works(client):
    assert client.get("/accounts/welcome/MQ/abc-def/").status_code == 400


def test_a_visitor_signs_up_and_confirms_through_the_mailed_link(client):
    response = client.post(reverse("accounts:sign_up"),
                           {"email": "Novak@Example.rs", "name": "Novak", "language": "sr"})
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["Novak@Example.rs"]]
    link = path_of_link(mail.outbox[0])
    assert link.startswith("/sr/accounts/welcome/")
    client.post(link, {"new_password1": "silk road 2026!", "new_password2": "silk road 2026!"})
    user = services.find_user("novak@example.rs")
    assert services.account_of(user).email_confirmed is True
    assert user.has_usable_password() is True


def test_signing_up_with_a_known_address_sends_a_reset_link_and_reveals_nothing(client):
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    services.accept_link(user, "silk road 2026!")
    first = client.post(reverse("accounts:sign_up"), {"email": "ana@example.rs", "name": "X", "language": "en"})
    assert "accounts/sign_up_sent.html" in [t.name for t in first.templates]
    assert list(Notice.objects.values_list("event", flat=True)) == ["account_exists"]
    assert "/accounts/password_reset/" in mail.outbox[0].body


def test_the_login_page_links_to_password_reset_and_sign_up(client):
    html = client.get(reverse("login")).content.decode()
    assert 'href="/accounts/password_reset/"' in html
    assert 'href="/accounts/sign-up/"' in html


def test_password_reset_pages_use_the_sites_look_and_reach_invited_people(client):
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    page = client.get(reverse("password_reset"))
    assert page.templates[0].name == "accounts/password_reset_form.html"
    assert "site-header" in page.content.decode()
    client.post(reverse("password_reset"), {"email": "ANA@example.rs"})
    assert len(mail.outbox) == 1
    link = path_of_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.templates[0].name == "accounts/password_reset_confirm.html"
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "silk road 2026!", "new_password2": "silk road 2026!"})
    assert done.url == reverse("accounts:home")
    user.refresh_from_db()
    assert user.check_password("silk road 2026!") is True


def test_a_person_turns_optional_notices_off_and_changes_language(client):
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    client.force_login(user)
    client.post(reverse("accounts:home"), {"name": "Ana P", "language": "sr-latn"})
    account = services.account_of(user)
    account.refresh_from_db()
    assert (account.language, account.optional_notices) == ("sr-latn", False)


def test_reading_the_account_page_and_me_writes_nothing(client):
    from django.contrib.auth import get_user_model

    from silkbridge.accounts.models import Account

    user = get_user_model().objects.create_user("old", email="old@example.org", password="pw")
    client.force_login(user)
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get("/api/v1/me").json()["language"] == "en"
    assert Account.objects.count() == 0
