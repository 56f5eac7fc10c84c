"""News intelligence: articles read from files and feeds, and the facts in them that staff review."""
