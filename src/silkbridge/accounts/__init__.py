"""People: accounts, invitations, notices, self-registration, personal API tokens and privacy."""
