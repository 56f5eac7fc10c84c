"""Signals later apps answer: the forums say who, besides staff, may approve a membership."""
from django.dispatch import Signal

# Sent with user= and membership=; a receiver returns True when that user may decide the request.
may_decide_membership = Signal()
