"""Matching services: the database embedding cache, re-embedding after edits, the index, the cross-border rule."""
from __future__ import annotations

import json

import pytest

from silkbridge.directory import services as dirsvc
from silkbridge.directory.models import Organisation, Sector
from silkbridge.engines.matching.text import supply_context
from silkbridge.engines.script import serbian_to_latin
from silkbridge.matching import services
from silkbridge.matching.models import Embedding, MatchResult

from .conftest import CountingEncoder

pytestmark = pytest.mark.django_db


def ids(matches):
    return [Organisation.objects.get(pk=m.id).external_id for m in matches]


def test_unchanged_texts_are_never_embedded_twice(directory, counting, real_encoder):
    services.compute_matches()
    first = len(counting.texts)
    # Six needs, each alone and after its organisation's kind and sectors
    # (MatchConfig.need_context_share), and twelve offers and descriptions.
    assert first == len(set(counting.texts)) == 24
    # The 12 offers and descriptions once more, in e5's other form.
    assert len(counting.passages) == len(set(counting.passages)) == 12
    assert Embedding.objects.count() == 36
    # A fresh process: nothing prepared in memory, only the database cache.
    second = CountingEncoder(real_encoder)
    services.use_encoder(second)
    services.compute_matches()
    assert second.texts == second.passages == []
    assert Embedding.objects.count() == 36


def test_profiles_carry_every_language_version_and_sector_codes(directory):
    org = directory["distributor"]
    directory_services_profile = {"language": "en", "origin": "translation", "description": "",
                                  "offers": "Distribution of small home appliances in Serbia", "needs": ""}
    dirsvc.save_organisation_details(org, profiles=[directory_services_profile])
    (profile,) = services.profiles_for(Organisation.objects.filter(pk=org.pk))
    assert profile.id == org.pk
    assert profile.country == "RS"
    assert profile.sectors == ("46",)
    # In words for the encoder, which reads them beside the offers.
    assert profile.sector_names == (Sector.objects.get(code="46").name_en,)
    # The author's own text first, then translations.
    assert profile.offers == (("sr-cyrl", "Дистрибуција малих кућних апарата малопродајним ланцима широм Србије"),
                              ("en", "Distribution of small home appliances in Serbia"))


def test_editing_a_profile_reembeds_it_and_refreshes_the_affected_matches(
        directory, counting, django_capture_on_commit_callbacks):
    services.compute_matches(top=3)
    maker, distributor = directory["maker"], directory["distributor"]
    before = list(MatchResult.objects.filter(organisation=maker).values_list("partner_id", "score", "reasons"))
    counting.texts.clear()
    new_offer = "Увоз и дистрибуција кинеских кућних апарата у ланцима продавница у Србији"
    profile = distributor.profiles.get()
    with django_capture_on_commit_callbacks(execute=True):
        dirsvc.save_organisation_details(distributor, profiles=[{
            "language": "sr-cyrl", "description": profile.description, "offers": new_offer, "needs": profile.needs}])
    # Only the edited text is embedded, in the Latin letters the encoder reads Serbian in, after the
    # organisation's kind and sectors in words.
    (p,) = services.profiles_for(Organisation.objects.filter(pk=distributor.pk))
    assert counting.texts == [supply_context("company", p.sector_names) + serbian_to_latin(new_offer)]
    assert counting.texts[0].startswith("[company: Wholesale trade")
    after = list(MatchResult.objects.filter(organisation=maker).values_list("partner_id", "score", "reasons"))
    assert after != before
    fresh = services.matches_for(maker, 3)
    assert after == [(m.id, m.score, [r.as_dict() for r in m.reasons]) for m in fresh]


def test_a_new_kind_reembeds_the_texts_read_with_it_and_nothing_else(directory, counting):
    services.sync()
    distributor = directory["distributor"]
    counting.texts.clear()
    distributor.kind = Organisation.Kind.AGENCY
    distributor.save()
    services.sync()
    (p,) = services.profiles_for(Organisation.objects.filter(pk=distributor.pk))
    assert counting.texts and all(t.startswith("[agency: ") for t in counting.texts)
    supply = services.matcher().supply_forms(p)
    needs = sorted(set(counting.texts) - set(supply))  # each need, read after the new kind (need_context_share)
    assert sorted(counting.texts) == sorted(supply + needs)
    assert [t.split("] ", 1)[1] for t in needs] == sorted(serbian_to_latin(text) for _, text in p.needs)


def test_an_import_through_the_directory_triggers_embedding(reference, counting, django_capture_on_commit_callbacks):
    record, errors = dirsvc.validate_row(
        {"id": "rs-new", "name": "Novi d.o.o.", "country": "RS", "language": "sr-latn",
         "offers": "Skladištenje i distribucija robe"}, dirsvc.Lookups())
    assert errors == []
    with django_capture_on_commit_callbacks(execute=True):
        dirsvc.upsert([(0, record)])
    assert counting.texts == counting.passages == ["[company] Skladištenje i distribucija robe"]
    assert Embedding.objects.count() == 2  # the offer in both e5 forms


def test_the_supply_index_is_saved_and_updated_only_for_changed_organisations(
        directory, settings, django_capture_on_commit_callbacks):
    services.compute_matches()
    folder = settings.VECTOR_INDEX_DIR / "organisations"
    manifest = json.loads((folder / "profiles.json").read_text())
    assert sorted(manifest) == sorted(str(o.pk) for o in directory.values())
    found = services.search_offers("distributor of household appliances for retail chains in Serbia", top=2)
    assert found[0][0].external_id == "rs-distributor"
    winery = directory["winery"]
    profile = winery.profiles.get()
    with django_capture_on_commit_callbacks(execute=True):
        dirsvc.save_organisation_details(winery, profiles=[{
            "language": "sr-latn", "description": profile.description, "offers": "Vino", "needs": profile.needs}])
    changed = json.loads((folder / "profiles.json").read_text())
    assert {k for k in manifest if manifest[k] != changed[k]} == {str(winery.pk)}
    index, _ = services.load_index()
    assert len(index) == 6


def test_the_cross_border_rule_comes_from_settings(directory, settings):
    maker, winery = directory["maker"], directory["winery"]
    assert "cn-rival" not in ids(services.matches_for(maker, 5))
    settings.MATCH_CROSS_BORDER = "any"
    assert "cn-rival" in ids(services.matches_for(maker, 5))
    settings.MATCH_CROSS_BORDER = "groups"
    assert sorted(ids(services.matches_for(winery, 5))) == ["cn-maker", "cn-rival"]


def test_an_unknown_cross_border_rule_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MATCH_CROSS_BORDER = "same_planet"
    with pytest.raises(ImproperlyConfigured, match="MATCH_CROSS_BORDER must be one of"):
        services.match_config()


def test_scores_are_symmetric_which_the_refresh_after_an_edit_relies_on(directory):
    services.sync()
    m = services.matcher()
    pks = [o.pk for o in directory.values()]
    for a in pks:
        for b in pks:
            if a != b:
                assert m.score_pair(a, b).score == m.score_pair(b, a).score


def test_stored_recommendations_are_read_back_without_computing(directory, counting):
    services.compute_matches(top=2)
    counting.texts.clear()
    services.use_encoder(counting)  # drop the prepared profiles: reading must not need them
    recs = services.cached_matches(directory["maker"])
    assert [(r.external_id, r.country.code) for r in recs][0] == ("rs-distributor", "RS")
    assert len(recs) == 2
    assert recs[0].url == "/organisations/rs-distributor/"
    assert counting.texts == []
    assert services.recommendations_for(directory["maker"], 2) == recs


def test_the_demo_step_stores_everyones_recommendations_and_says_so(directory):
    from silkbridge.matching.demo import load_demo_matches

    said: list[str] = []
    rows = load_demo_matches(said.append, top=2)
    assert rows == MatchResult.objects.count() == 12
    assert said[0] == "computing recommended partners…"
    assert said[-1] == "12 recommendations for 6 organisations"
    assert said.count("embedding: done") == 1


def test_a_bulk_change_refreshes_the_stored_table_in_one_batch(directory, monkeypatch):
    services.compute_matches(top=2)
    monkeypatch.setattr(services, "BULK_CHANGES", 1)
    for key in ("winery", "software"):
        org = directory[key]
        profile = org.profiles.get()
        dirsvc.save_organisation_details(org, profiles=[{
            "language": profile.language, "description": "", "offers": profile.offers, "needs": ""}])
    done = services.reembed([directory["winery"].pk, directory["software"].pk])
    assert done == {"encoded": 0, "refreshed": 6, "rows": 12}
    stored = list(MatchResult.objects.order_by("organisation_id", "rank").values_list(
        "organisation_id", "partner_id", "score", "reasons"))
    fresh = services.compute_matches(top=2)
    assert stored == [(o, m.id, m.score, [r.as_dict() for r in m.reasons]) for o in sorted(fresh) for m in fresh[o]]


def test_the_shared_sector_reason_names_the_sectors(directory, settings):
    settings.MATCH_CROSS_BORDER = "any"
    matches = {Organisation.objects.get(pk=m.id).external_id: m for m in services.matches_for(directory["maker"], 5)}
    assert "shared sectors: Manufacture of electrical equipment" in matches["cn-rival"].reasons


def test_reading_stored_recommendations_is_one_query(directory, django_assert_num_queries):
    services.compute_matches(top=3)
    maker = directory["maker"]
    with django_assert_num_queries(1):
        recs = services.cached_matches(maker)
        assert [(r.name, r.country.code, r.url) for r in recs][0] == (
            "Дом Трејд д.о.о.", "RS", "/organisations/rs-distributor/")
