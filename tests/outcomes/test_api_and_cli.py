"""The JSON API (read for all, write for staff, same validation as the forms) and `silkbridge report`."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from ninja.testing import TestClient

from silkbridge.cli import main
from silkbridge.outcomes import services
from silkbridge.outcomes.api import router
from silkbridge.outcomes.models import Agreement, Investment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    return TestClient(router)


def test_anyone_reads_records_with_provenance(api, reference, forum):
    project = services.save_record(Investment(title="Plant", amount=Decimal("10"), currency="EUR", country_id="RS",
                                              signed_on=date(2022, 2, 1), forum=forum, source_title="Gazette"))
    listing = api.get("/investments", user=AnonymousUser()).json()
    assert listing["count"] == 1
    item = api.get(f"/investments/{project.pk}", user=AnonymousUser()).json()
    assert (item["title"], item["fields"]["amount_eur"], item["fields"]["forum"]) == ("Plant", "10.00", forum.pk)
    assert item["fields"]["conversions"]["EUR"]["source"] == "identity"
    assert (item["provenance"]["source_title"], item["provenance"]["entry_method"]) == ("Gazette", "manual")
    assert api.get("/investments/99999", user=AnonymousUser()).status_code == 404


def test_only_staff_write(api, reference, django_user_model):
    member = django_user_model.objects.create_user("member", password="pw")
    response = api.post("/agreements", json={"title": "MoU"}, user=member)
    assert response.status_code == 403
    assert Agreement.objects.count() == 0


def test_staff_create_update_delete_through_the_forms_rules(api, staff, make_org):
    make_org(id="rs-zora", name="Zora")
    created = api.post("/agreements", json={"title": "MoU", "kind": "mou", "signed_on": "2024-05-08",
                                            "parties": ["rs-zora", "government: CN"]}, user=staff)
    assert created.status_code == 201
    body = created.json()
    assert [(p["organisation"], p["country"]) for p in body["parties"]] == [("rs-zora", None), (None, "CN")]
    assert body["provenance"]["entered_by"] == "editor"
    bad = api.put(f"/agreements/{body['id']}", json={"title": "MoU", "kind": "treaty", "parties": ["nobody"]}, user=staff)
    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json()["errors"]) == ["kind", "parties"]
    changed = api.put(f"/agreements/{body['id']}", json={"title": "Contract", "kind": "contract", "amount": "50",
                                                         "currency": "USD", "signed_on": "2024-05-08"}, user=staff)
    assert changed.status_code == 200
    assert (changed.json()["fields"]["kind"], changed.json()["fields"]["amount_usd"], changed.json()["parties"]) == (
        "contract", "50.00", [])
    assert api.delete(f"/agreements/{body['id']}", user=staff).status_code == 204
    assert Agreement.objects.count() == 0


def test_api_reports(api, reference, forum):
    services.save_record(Investment(title="P", amount=Decimal("10"), currency="USD", signed_on=date(2022, 2, 1),
                                    forum=forum))
    assert api.get(f"/reports/forum/{forum.slug}", user=AnonymousUser()).json()["totals"]["usd"] == "10.00"
    assert api.get("/reports/programme?from_year=2023", user=AnonymousUser()).json()["investments"] == 0
    assert api.get("/reports/forum/none", user=AnonymousUser()).status_code == 404


def test_cli_forum_report_json(capsys, reference, forum):
    services.save_record(Investment(title="P", amount=Decimal("1000"), currency="CNY", signed_on=date(2022, 2, 1),
                                    forum=forum))
    services.save_record(Agreement(title="M", kind="mou", forum=forum))
    assert main(["report", "forum", forum.slug, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["agreements"], data["mous"], data["investments"], data["totals"]["cny"]) == (1, 1, 1, "1000.00")


def test_cli_programme_report_text_and_years(capsys, reference):
    services.save_record(Investment(title="P", amount=Decimal("2000000"), currency="USD", signed_on=date(2019, 2, 1),
                                    country_id="RS"))
    assert main(["report", "programme", "--from", "2019", "--to", "2019"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Cooperation programme, 2019–2019"
    assert "investment total     USD 2,000,000 |" in out
    assert main(["report", "programme", "--from", "2020", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["investments"] == 0


def test_cli_unknown_forum_exits_2(capsys, db):
    assert main(["report", "forum", "no-such-forum", "--json"]) == 2
    assert capsys.readouterr().err == "silkbridge report: error: no forum with short name or number 'no-such-forum'\n"


def test_cli_import_commands_use_the_outcome_imports(capsys, reference, tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("city1,country1,city2,country2\nNiš,Serbia,Chengdu,China\nX,Atlantis,Chengdu,China\n",
                    encoding="utf-8")
    assert main(["import", "sister-cities", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "imported": 1, "created": 1, "updated": 0, "unchanged": 0,
        "rejected": [{"row": 3, "id": "X – Chengdu", "field": "country1", "error": "unknown country 'Atlantis'"}]}


def test_staff_records_a_visit_and_whom_it_met(api, staff, make_org, city):
    make_org(id="cn-ningbo", name="Ningbo FAO", country="CN")
    make_org(id="rs-kg", name="Kragujevac LED")
    response = api.post("/visits", json={
        "delegation": "Ningbo delegation", "organisation": "cn-ningbo", "from_country": "CN", "to_country": "RS",
        "to_city": city("Kragujevac", "RS").pk, "starts_on": "2024-05-06", "ends_on": "2024-05-08",
        "met": ["rs-kg"], "source_url": "https://example.org/visit"}, user=staff)
    assert response.status_code == 201
    fields = response.json()["fields"]
    assert (fields["organisation"], fields["met"], fields["to_country"], fields["ends_on"]) == (
        "cn-ningbo", ["rs-kg"], "RS", "2024-05-08")
    backwards = api.post("/visits", json={"delegation": "D", "starts_on": "2024-05-06", "ends_on": "2024-05-01"},
                         user=staff)
    assert backwards.status_code == 422
