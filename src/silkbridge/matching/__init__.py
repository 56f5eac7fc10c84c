"""Cross-lingual matchmaking for the directory: embedding cache, recommendations, re-embedding on change."""
