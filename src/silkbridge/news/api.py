"""JSON API of the news review queue (staff only): articles, their candidates, accepting and rejecting."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from ninja.security import django_auth

from silkbridge.apischema import MAX_ID, MAX_OFFSET, Error, field_errors
from silkbridge.news import services
from silkbridge.news.models import Article, Candidate

router = Router(tags=["news"], auth=django_auth)


class ArticleSummary(Schema):
    id: int
    title: str
    url: str
    published: str | None
    language: str
    pending: int
    candidates: int


class ArticleList(Schema):
    count: int
    items: list[ArticleSummary]


class CandidateOut(Schema):
    id: int
    kind: str
    status: str
    start: int
    end: int
    sentence: str
    payload: dict[str, Any]
    confidence: float | None
    organisation: int | None
    person: int | None
    city: int | None
    record_kind: str
    record_id: int | None


class ArticleOut(ArticleSummary):
    text: str
    items: list[CandidateOut]


class ReviewIn(Schema):
    changes: dict[str, Any] = {}


def _staff(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_staff", False))


def _candidate(c: Candidate) -> dict:
    return {"id": c.pk, "kind": c.kind, "status": c.status, "start": c.start, "end": c.end, "sentence": c.sentence,
            "payload": c.payload, "confidence": c.confidence, "organisation": c.organisation_id,
            "person": c.person_id, "city": c.city_id, "record_kind": c.record_kind, "record_id": c.record_id}


def _summary(a: Article) -> dict:
    return {"id": a.pk, "title": a.title, "url": a.url, "published": a.published.isoformat() if a.published else None,
            "language": a.language, "pending": a.pending, "candidates": a.total}


@router.get("/articles", response={200: ArticleList, 403: Error}, summary="Articles with their pending candidates")
def list_articles(request: HttpRequest, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                  pending_only: bool = False):
    if not _staff(request):
        return Status(403, {"detail": "staff only"})
    queryset = services.pending_counts().order_by("-ingested_at", "-id")
    if pending_only:
        queryset = queryset.filter(pending__gt=0)
    return {"count": queryset.count(), "items": [_summary(a) for a in queryset[offset:offset + limit]]}


@router.get("/articles/{article_id}", response={200: ArticleOut, 403: Error, 404: Error},
            summary="One article with its text and candidates")
def get_article(request: HttpRequest, article_id: int = Path(..., ge=1, le=MAX_ID)):
    if not _staff(request):
        return Status(403, {"detail": "staff only"})
    article = get_object_or_404(services.pending_counts(), pk=article_id)
    return {**_summary(article), "text": article.text, "items": [_candidate(c) for c in article.candidates.all()]}


def _review(request: HttpRequest, candidate_id: int, action):
    if not _staff(request):
        return Status(403, {"detail": "staff only"})
    candidate = get_object_or_404(Candidate.objects.select_related("article"), pk=candidate_id)
    try:
        action(candidate)
    except ValidationError as exc:
        return Status(422, {"detail": "not stored",
                            "errors": field_errors(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)})
    candidate.refresh_from_db()
    return Status(200, _candidate(candidate))


@router.post("/candidates/{candidate_id}/accept", response={200: CandidateOut, 403: Error, 404: Error, 422: Error},
             summary="Accept a candidate, optionally with changed values; a fact becomes an outcome record")
def accept(request: HttpRequest, candidate_id: int = Path(..., ge=1, le=MAX_ID), payload: ReviewIn | None = None):
    changes = payload.changes if payload else {}
    return _review(request, candidate_id,
                   lambda c: services.accept_candidate(c, by=request.user, changes=changes or None))


@router.post("/candidates/{candidate_id}/reject", response={200: CandidateOut, 403: Error, 404: Error, 422: Error},
             summary="Reject a candidate")
def reject(request: HttpRequest, candidate_id: int = Path(..., ge=1, le=MAX_ID)):
    return _review(request, candidate_id, lambda c: services.reject_candidate(c, by=request.user))
