"""Background work below every domain app: dispatch by function object, `Job` rows linked to their
subject, progress reporting and message texts that each reader sees in their own language."""
