"""A person downloads what is held about them and deletes their account."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from silkbridge.accounts import notices, services
from silkbridge.accounts.models import Account, ApiToken, Membership, Notice
from silkbridge.directory.models import Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(make_org):
    user, _ = services.delegate_user("ana@example.rs", "Ana Petrović", "sr-latn")
    services.accept_link(user, "silk road 2026!")
    services.grant_membership(user, make_org(id="rs-nova", name="Nova", contact_name="Ana Petrović",
                                             contact_title="Director", contact_email="Ana@Example.rs"))
    services.create_token(user, "CRM")
    notices.notify(user, "invitation", key="invitation", context={"link": "http://x/"}, essential=True)
    return user


def test_the_download_holds_the_account_memberships_notices_and_tokens_but_no_secret(client, ana):
    client.force_login(ana)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Disposition"] == 'attachment; filename="silkbridge-my-data.json"'
    data = json.loads(response.content)
    assert data["user"]["email"] == "ana@example.rs"
    assert data["account"] == {"language": "sr-latn", "optional_notices": True, "email_confirmed": True}
    assert [(m["organisation"], m["status"]) for m in data["memberships"]] == [("rs-nova", "approved")]
    assert [n["event"] for n in data["notices"]] == ["invitation"]
    assert [t["name"] for t in data["api_tokens"]] == ["CRM"]
    assert data["directory_contacts"] == [{"organisation": "rs-nova", "name": "Ana Petrović", "name_latin": "",
                                           "title": "Director", "email": "Ana@Example.rs", "phone": ""}]
    assert ApiToken.objects.get().digest not in response.content.decode()


def test_deleting_needs_the_address_typed_and_then_removes_the_person_but_not_the_organisation(client, ana):
    client.force_login(ana)
    refused = client.post(reverse("accounts:delete"), {"confirm": "someone@example.org"})
    assert refused.context["form"].errors == {"confirm": ["This is not your e-mail address."]}
    assert get_user_model().objects.filter(pk=ana.pk).exists()
    client.post(reverse("accounts:delete"), {"confirm": "ANA@example.rs"})
    assert get_user_model().objects.filter(pk=ana.pk).exists() is False
    assert [Account.objects.count(), Membership.objects.count(), Notice.objects.count(),
            ApiToken.objects.count(), Person.objects.count(), Organisation.objects.count()] == [0, 0, 0, 0, 0, 1]
    assert client.get(reverse("accounts:home")).status_code == 302
