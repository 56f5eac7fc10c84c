"""Directory: organisations, their multilingual profiles, people, countries, cities and sectors."""
