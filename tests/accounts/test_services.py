"""People: accounts on demand, invitations at most once, one-time set-password links."""
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from silkbridge.accounts import services
from silkbridge.accounts.models import Account, Notice
from silkbridge.accounts.tokens import invitation_tokens, user_from_link

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_delegate_user_finds_an_address_whatever_its_case_and_creates_it_once():
    user, created = services.delegate_user("Li.Wei@Example.com", "Li Wei", "zh_Hans")
    again, created_again = services.delegate_user("li.wei@example.COM ", "Someone Else", "en")
    assert (created, created_again, again.pk) == (True, False, user.pk)
    assert (user.username, user.email, user.first_name, user.last_name) == ("li.wei@example.com", "Li.Wei@Example.com",
                                                                           "Li", "Wei")
    assert user.has_usable_password() is False
    assert Account.objects.get(user=user).language == "zh-hans"


def test_delegate_user_refuses_an_address_that_is_not_one():
    with pytest.raises(ValidationError):
        services.delegate_user("not an address", "X", "en")


@pytest.mark.parametrize("given, expected", [("sr_Latn", "sr-latn"), ("sr-Cyrl", "sr"), ("zh", "zh-hans"),
                                             ("SR", "sr"), ("de", "en"), ("", "en")])
def test_a_delegate_language_becomes_one_of_the_site_languages(given, expected):
    assert services.normalise_language(given) == expected


def test_invitation_is_sent_once_in_the_delegates_language_with_an_absolute_one_time_link(settings):
    settings.SITE_URL = "https://forum.example.org/"
    user, _ = services.delegate_user("ana@example.rs", "Ana Petrović", "sr-latn")
    assert services.invite(user) is True
    assert services.invite(user) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.rs"]
    assert message.subject == "Vaša pozivnica za silkbridge"
    link = link_in(message)
    assert link.startswith("https://forum.example.org/sr-latn/accounts/welcome/")
    uid, token = link.rstrip("/").split("/")[-2:]
    assert user_from_link(uid, token) == user
    assert list(Notice.objects.filter(user=user).values_list("key", "event")) == [("invitation", "invitation")]


def test_the_link_stops_working_once_the_password_is_set():
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    token = invitation_tokens.make_token(user)
    assert invitation_tokens.check_token(user, token) is True
    services.accept_link(user, "a long enough secret 42")
    user.refresh_from_db()
    assert invitation_tokens.check_token(user, token) is False
    assert services.account_of(user).email_confirmed is True


def test_an_invitation_link_lasts_a_month_not_djangos_three_days(settings, monkeypatch):
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    token = invitation_tokens.make_token(user)
    now = invitation_tokens._num_seconds(invitation_tokens._now())
    monkeypatch.setattr(invitation_tokens, "_num_seconds", lambda dt: now + 20 * 24 * 3600)
    assert invitation_tokens.check_token(user, token) is True
    monkeypatch.setattr(invitation_tokens, "_num_seconds", lambda dt: now + 31 * 24 * 3600)
    assert invitation_tokens.check_token(user, token) is False


def test_someone_who_has_a_password_is_not_invited():
    user, _ = services.delegate_user("ana@example.rs", "Ana", "en")
    services.accept_link(user, "a long enough secret 42")
    assert services.invite(user) is False
    assert mail.outbox == []


def test_an_address_whose_user_name_is_taken_by_another_account_is_refused_not_merged():
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("ana@example.rs", email="someone.else@example.org")
    with pytest.raises(ValidationError, match="belongs to an account with another e-mail address"):
        services.delegate_user("ana@example.rs", "Ana", "en")
