"""`silkbridge match`: JSON shape for one organisation and for --all, errors, thin profiles."""
from __future__ import annotations

import json

import pytest

from silkbridge.cli import main
from silkbridge.matching.models import MatchResult

from .conftest import DISTRIBUTOR_OFFER, MAKER_NEED

pytestmark = pytest.mark.django_db

ALL_IDS = ["cn-maker", "cn-rival", "hu-software", "pl-university", "rs-distributor", "rs-winery"]


def run(capsys, *argv) -> tuple[int, dict | str, str]:
    status = main(["match", *argv])
    out = capsys.readouterr()
    return status, (json.loads(out.out) if "--json" in argv and status == 0 else out.out), out.err


def test_match_one_prints_the_documented_json_with_the_serbian_distributor_first(directory, capsys):
    status, payload, _ = run(capsys, "cn-maker", "--top", "3", "--json")
    assert status == 0
    assert list(payload) == ["results"]
    assert len(payload["results"]) == 1
    result = payload["results"][0]
    assert list(result) == ["organisation", "matches"]
    assert result["organisation"] == "cn-maker"
    assert len(result["matches"]) == 3
    for m in result["matches"]:
        assert list(m) == ["id", "name", "country", "score", "reasons"]
        assert isinstance(m["score"], float) and all(isinstance(r, str) for r in m["reasons"])
        assert m["country"] != "CN"  # the default rule: a different country
    top = result["matches"][0]
    assert (top["id"], top["name"], top["country"]) == ("rs-distributor", "Дом Трејд д.о.о.", "RS")
    assert [m["score"] for m in result["matches"]] == sorted((m["score"] for m in result["matches"]), reverse=True)
    assert top["score"] > result["matches"][1]["score"]


def test_reasons_quote_the_matched_texts_in_their_own_languages(directory, capsys):
    _, payload, _ = run(capsys, "cn-maker", "--top", "1", "--json")
    first_reason = payload["results"][0]["matches"][0]["reasons"][0]
    # The distributor's Cyrillic text answers the maker's Chinese need; both are quoted.
    assert first_reason.startswith('their ')
    assert f'answers your need "{MAKER_NEED}"' in first_reason
    quoted = first_reason.split('"')[1].rstrip("…")
    assert quoted in (DISTRIBUTOR_OFFER + " Велепродаја и дистрибуција кућне технике у Србији, мрежа од 300 продавница.")


def test_match_all_prints_and_stores_every_organisations_table(directory, capsys):
    status, payload, _ = run(capsys, "--all", "--top", "2", "--json")
    assert status == 0
    assert [r["organisation"] for r in payload["results"]] == ALL_IDS
    assert all(len(r["matches"]) == 2 for r in payload["results"])
    stored = {
        org: [(p, score) for o, p, score in
              MatchResult.objects.order_by("organisation__external_id", "rank")
              .values_list("organisation__external_id", "partner__external_id", "score") if o == org]
        for org in ALL_IDS
    }
    printed = {r["organisation"]: [(m["id"], m["score"]) for m in r["matches"]] for r in payload["results"]}
    assert stored == printed


def test_plain_output_lists_rank_score_name_and_reasons(directory, capsys):
    _, payload, _ = run(capsys, "cn-maker", "--top", "1", "--json")
    top = payload["results"][0]["matches"][0]
    status, text, _ = run(capsys, "cn-maker", "--top", "1")
    assert status == 0
    assert text.splitlines() == [
        "cn-maker:",
        f"   1. {top['score']:5.1f}  Дом Трејд д.о.о. (RS)  [rs-distributor]",
        *(f"        - {reason}" for reason in top["reasons"]),
    ]


def test_unknown_organisation_is_a_clear_error_with_status_2(directory, capsys):
    status, _, err = run(capsys, "no-such-org", "--json")
    assert status == 2
    assert err == "silkbridge match: error: no organisation with id 'no-such-org' in the directory\n"


def test_org_and_all_together_is_a_usage_error(directory, capsys):
    status, _, err = run(capsys, "cn-maker", "--all")
    assert status == 2
    assert "give either ORG_ID or --all" in err


def test_an_organisation_without_texts_is_matched_and_told_why(directory, make_org, capsys):
    make_org(id="rs-thin", name="Tanki d.o.o.", country="RS", sectors="46")
    status, payload, _ = run(capsys, "rs-thin", "--top", "3", "--json")
    assert status == 0
    matches = payload["results"][0]["matches"]
    assert len(matches) == 3
    for m in matches:
        assert "you gave no description, offers or needs: matched on sectors only" in m["reasons"]
