"""The optional re-ranker through the services and the CLI: nothing stored below the minimum, used only when enabled."""
from __future__ import annotations

import json

import pytest

from silkbridge.cli import main
from silkbridge.engines.matching import Decision
from silkbridge.matching import services

from .conftest import MAKER_NEED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reranker_file(settings, tmp_path):
    settings.MATCH_RERANKER_FILE = tmp_path / "reranker.json"
    settings.MATCH_RERANKER = False
    return settings.MATCH_RERANKER_FILE


def _decisions(orgs):
    """The maker and the distributor accept each other; every request to an unrelated organisation is declined."""
    o = {k: v.pk for k, v in orgs.items()}
    accepted = [("maker", "distributor"), ("distributor", "maker"), ("winery", "maker"), ("software", "university")]
    declined = [("maker", "rival"), ("maker", "winery"), ("rival", "software"), ("winery", "university"),
                ("university", "rival")]
    pairs = [(a, b, True) for a, b in accepted] + [(a, b, False) for a, b in declined]
    return [Decision(o[a], o[b], ok, float(t)) for t, (a, b, ok) in enumerate(pairs)]


def test_nothing_is_stored_or_used_below_the_minimum(directory, settings, reranker_file):
    settings.MATCH_RERANKER = True
    settings.MATCH_RERANKER_MIN_DECISIONS = 30
    report = services.fit_reranker(_decisions(directory))
    assert (report.accepted, report.declined, report.model) == (4, 5, None)
    assert not reranker_file.exists()
    assert services.match_config().reranker is None


def test_a_fitted_reranker_is_used_only_when_enabled_and_the_reasons_still_name_the_offer(directory, settings,
                                                                                          reranker_file):
    settings.MATCH_RERANKER_MIN_DECISIONS = 4
    report = services.fit_reranker(_decisions(directory))
    stored = json.loads(reranker_file.read_text(encoding="utf-8"))
    assert (stored["accepted"], stored["declined"], stored["model"]["coef"]) == (4, 5, list(report.model.coef))
    assert services.match_config().reranker is None
    plain = {m.id: m for m in services.matches_for(directory["maker"], 3)}
    settings.MATCH_RERANKER = True
    assert services.match_config().reranker == report.model
    top = services.matches_for(directory["maker"], 3)
    distributor = next(m for m in top if m.id == directory["distributor"].pk)
    assert distributor.reasons == plain[distributor.id].reasons
    assert distributor.reasons[0].endswith(f'answers your need "{MAKER_NEED}"')
    settings.MATCH_RERANKER_MIN_DECISIONS = 5  # the stored model was fitted on fewer accepted ones than now required
    assert services.match_config().reranker is None


def test_fit_reranker_on_the_command_line_reports_the_counts_as_json(directory, capsys, reranker_file):
    status = main(["match", "fit-reranker", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 0
    assert (payload["accepted"], payload["declined"], payload["stored"], payload["model"]) == (0, 0, False, None)
    assert not reranker_file.exists()
