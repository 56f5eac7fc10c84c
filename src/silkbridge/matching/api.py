"""JSON API of matching: an organisation's recommended partners, mounted under /api/v1/organisations/."""
from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from silkbridge.apischema import Error
from silkbridge.directory.models import Organisation
from silkbridge.matching import services

router = Router(tags=["matching"])


class MatchOut(Schema):
    id: str
    name: str
    country: str
    score: float
    reasons: list[str]


class MatchesOut(Schema):
    organisation: str
    matches: list[MatchOut]


@router.get("/{org_id}/matches", response={200: MatchesOut, 404: Error},
            summary="Recommended partners of one organisation, best first")
def organisation_matches(request: HttpRequest, org_id: str, top: int = Query(10, ge=1, le=100)):
    """Stored recommendations when enough exist, otherwise computed now (embedding what is missing)."""
    org = get_object_or_404(Organisation, external_id=org_id)
    recs = services.recommendations_for(org, top)
    return {
        "organisation": org.external_id,
        "matches": [
            {"id": r.external_id, "name": r.name, "country": r.organisation.country_id, "score": r.score,
             "reasons": list(r.reasons)}
            for r in recs
        ],
    }
