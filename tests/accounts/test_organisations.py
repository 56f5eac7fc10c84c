"""Speaking for an organisation: create one, ask to represent one, edit its profile through the directory."""
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from silkbridge.accounts import services
from silkbridge.accounts.models import Membership
from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    user, _ = services.delegate_user("ana@example.rs", "Ana", "sr-latn")
    services.accept_link(user, "silk road 2026!")
    return user


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("staff", "staff@example.org", "pw", is_staff=True)


def test_a_signed_up_person_adds_their_organisation_and_represents_it(client, reference, ana):
    client.force_login(ana)
    response = client.post(reverse("accounts:new_organisation"),
                           {"name": "Nova Mašina d.o.o.", "kind": "company", "country": "RS", "city": "Niš",
                            "website": "novamasina.rs"})
    org = Organisation.objects.get()
    assert response.url == reverse("accounts:profile", args=[org.external_id])
    assert (org.name, org.country_id, org.city.name_en, org.website) == ("Nova Mašina d.o.o.", "RS", "Niš",
                                                                        "https://novamasina.rs")
    assert list(services.organisations_of(ana)) == [org]


def test_adding_an_organisation_already_listed_is_refused_with_the_reason(client, make_org, ana):
    make_org(name="Nova Mašina d.o.o.", country="RS")
    client.force_login(ana)
    response = client.post(reverse("accounts:new_organisation"),
                           {"name": "Nova Mašina d.o.o.", "kind": "company", "country": "RS"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": [
        "an organisation of this name is already in the directory for this country; ask to represent it instead"]}
    assert Membership.objects.count() == 0


def test_staff_approve_a_request_to_represent_and_the_person_is_told_in_their_language(client, make_org, ana, staff):
    org = make_org(id="rs-nova", name="Nova")
    client.force_login(ana)
    client.post(reverse("accounts:represent"), {"organisation": "rs-nova", "message": "I am its director"})
    membership = Membership.objects.get()
    assert (membership.status, services.can_edit_organisation(ana, org)) == ("pending", False)
    with pytest.raises(services.MembershipError):
        services.decide_membership(membership, approve=True, by=ana)
    client.force_login(staff)
    assert list(client.get(reverse("accounts:home")).context["pending"]) == [membership]
    client.post(reverse("accounts:decide", args=[membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by) == ("approved", staff)
    assert services.can_edit_organisation(ana, org) is True
    assert [m.to for m in mail.outbox] == [["ana@example.rs"]]
    assert "/sr-latn/accounts/me/organisations/rs-nova/profile/" in mail.outbox[0].body


def test_asking_for_an_unknown_organisation_names_the_field(client, reference, ana):
    client.force_login(ana)
    response = client.post(reverse("accounts:represent"), {"organisation": "xx-nobody"})
    assert response.context["form"].errors == {"organisation": ["No organisation has this ID."]}


def test_a_representative_edits_the_profile_in_chinese_and_the_directory_keeps_both_languages(
        client, make_org, ana, settings):
    org = make_org(id="rs-nova", name="Nova", language="en", description="Machine tools.", offers="Lathes")
    services.grant_membership(ana, org)
    client.force_login(ana)
    response = client.post(reverse("accounts:profile", args=["rs-nova"]), {
        "language": "", "description": "我们生产数控机床。", "offers": "车床\n铣床", "needs": "中国经销商",
        "sectors": "C28, logistics, silk weaving lore", "website": "https://nova.rs"})
    assert response.status_code == 302
    org.refresh_from_db()
    texts = {p.language: (p.description, p.offers, p.needs) for p in org.profiles.all()}
    assert texts == {"en": ("Machine tools.", "Lathes", ""), "zh-hans": ("我们生产数控机床。", "车床\n铣床", "中国经销商")}
    assert ([s.code for s in org.sectors.all()], org.sectors_other, org.website) == (["28", "52"], "silk weaving lore",
                                                                                     "https://nova.rs")


def test_a_profile_edit_is_embedded_again_in_the_background(client, make_org, ana, settings, monkeypatch):
    from silkbridge.matching import signals

    org = make_org(id="rs-nova", name="Nova")
    services.grant_membership(ana, org)
    queued = []
    monkeypatch.setattr(signals, "dispatch", lambda task, *args: queued.append((task, args)))
    services.edit_profile(org, by=ana, language="sr-latn", description="Proizvodimo alatne mašine.")
    assert queued == [(signals.reembed_organisations, ([org.pk],))]


def test_a_bad_website_is_refused_naming_the_field_and_nothing_changes(client, make_org, ana):
    org = make_org(id="rs-nova", name="Nova", website="https://nova.rs")
    services.grant_membership(ana, org)
    client.force_login(ana)
    response = client.post(reverse("accounts:profile", args=["rs-nova"]),
                           {"description": "x", "website": "not a site"})
    assert response.context["form"].errors == {"website": ["website 'not a site' is not an http(s) address"]}
    org.refresh_from_db()
    assert (org.website, org.profiles.count()) == ("https://nova.rs", 0)


def test_someone_else_may_not_edit_the_profile(client, make_org, ana):
    make_org(id="rs-nova", name="Nova")
    client.force_login(ana)
    assert client.get(reverse("accounts:profile", args=["rs-nova"])).status_code == 403


def test_an_organisations_page_links_to_asking_to_represent_it(client, make_org, ana):
    make_org(id="rs-nova", name="Nova")
    client.force_login(ana)
    html = client.get(reverse("directory:detail", args=["rs-nova"])).content.decode()
    assert 'href="/accounts/me/organisations/represent/?org=rs-nova"' in html
    form = client.get("/accounts/me/organisations/represent/?org=rs-nova").context["form"]
    assert form["organisation"].value() == "rs-nova"
