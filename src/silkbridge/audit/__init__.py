"""The audit trail: who changed which record, when, and what changed, for writes made by a known person."""
