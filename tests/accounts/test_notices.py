"""Notices: one message per person and key, in their language, optional ones only to those who want them."""
import pytest
from django.core import mail

from silkbridge.accounts import notices, services
from silkbridge.accounts.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user, _ = services.delegate_user("wang@example.cn", "Wang Fang", "zh-hans")
    return user


def test_a_retried_notice_is_sent_once(person):
    sent = [notices.notify(person, "invitation", key="k1", context={"link": "http://x/"}, essential=True)
            for _ in range(3)]
    assert sent == [True, False, False]
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(user=person).count() == 1


def test_a_notice_is_written_in_the_recipients_language(person):
    notices.notify(person, "invitation", key="k1", context={"link": "http://x/"}, essential=True)
    assert mail.outbox[0].subject == "您的 silkbridge 邀请"


def test_a_person_who_turned_optional_notices_off_gets_only_essential_ones(person):
    services.update_preferences(person, optional_notices=False)
    assert notices.notify(person, "invitation", key="optional", context={"link": "http://x/"}) is False
    assert notices.notify(person, "invitation", key="essential", context={"link": "http://x/"}, essential=True) is True
    assert list(Notice.objects.values_list("key", flat=True)) == ["essential"]


def test_a_failed_send_leaves_no_record_so_the_next_try_sends(person, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(OSError):
        notices.notify(person, "invitation", key="k1", context={"link": "http://x/"}, essential=True)
    assert Notice.objects.count() == 0
    monkeypatch.undo()
    assert notices.notify(person, "invitation", key="k1", context={"link": "http://x/"}, essential=True) is True


def test_absolute_links_start_with_the_site_url_and_carry_the_language_prefix(settings):
    settings.SITE_URL = "https://b2b.example.org"
    assert notices.absolute_reverse("accounts:home", language="zh-hans") == "https://b2b.example.org/zh-hans/accounts/me/"
    assert notices.absolute_reverse("accounts:home", language="en") == "https://b2b.example.org/accounts/me/"


def test_the_outbox_folder_receives_the_message_without_smtp(settings, tmp_path, person):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    notices.notify(person, "invitation", key="k1", context={"link": "http://x/welcome/"}, essential=True)
    files = list((tmp_path / "outbox").iterdir())
    assert len(files) == 1
    assert "http://x/welcome/" in files[0].read_text()


@pytest.mark.parametrize("language, subject", [("zh-hans", "您的 silkbridge 邀请"), ("sr", "Ваша позивница за silkbridge"),
                                               ("sr-latn", "Vaša pozivnica za silkbridge"),
                                               ("en", "Your invitation to silkbridge")])
def test_the_invitation_speaks_each_site_language(language, subject):
    user, _ = services.delegate_user(f"{language}@example.org", "X", language)
    services.invite(user)
    assert mail.outbox[0].subject == subject


def test_account_pages_are_translated(client):
    html = client.get("/zh-hans/accounts/sign-up/").content.decode()
    assert "注册" in html and "我已有账户" in html
    assert "Већ имам налог" in client.get("/sr/accounts/sign-up/").content.decode()


def test_the_footer_of_optional_notices_links_to_the_account_page_in_the_readers_language(person, settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    settings.SITE_URL = "https://b2b.example.org"
    with translation.override("zh-hans"):
        footer = render_to_string("accounts/notices/_footer.txt",
                                  {"account_url": notices.absolute_reverse("accounts:home", language="zh-hans")})
    assert footer.splitlines()[1:] == ["您可以在账户页面关闭可选通知：", "https://b2b.example.org/zh-hans/accounts/me/"]
