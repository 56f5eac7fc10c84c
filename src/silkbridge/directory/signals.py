"""Signals later apps listen to (matching re-embeds changed profiles)."""
from django.dispatch import Signal

# ids: list of Organisation primary keys whose names or profile texts changed.
organisations_changed = Signal()
