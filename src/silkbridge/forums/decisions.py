"""Answered meeting requests as the matching engine's decisions: the judgements the optional re-ranker learns from."""
from __future__ import annotations

from silkbridge.engines.matching import Decision

from .models import MeetingRequest


def meeting_decisions() -> list[Decision]:
    """Every accepted or declined request between two organisations, dated when it was answered (else sent).

    Pending, expired and withdrawn requests say nothing about the pair and are left out.
    """
    rows = (MeetingRequest.objects
            .filter(status__in=[MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.DECLINED])
            .values_list("requester__organisation_id", "recipient__organisation_id", "status",
                         "answered_at", "created_at"))
    return [
        Decision(a, b, status == MeetingRequest.Status.ACCEPTED, (answered or created).timestamp())
        for a, b, status, answered, created in rows
    ]
