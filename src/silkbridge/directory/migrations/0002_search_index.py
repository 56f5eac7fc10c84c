"""Full-text search over the folded search document: FTS5 on SQLite, a GIN index on PostgreSQL."""
from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE directory_organisation_fts USING fts5("
    "search_document, content='directory_organisation', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER directory_organisation_fts_ai AFTER INSERT ON directory_organisation BEGIN "
    "INSERT INTO directory_organisation_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER directory_organisation_fts_ad AFTER DELETE ON directory_organisation BEGIN "
    "INSERT INTO directory_organisation_fts(directory_organisation_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER directory_organisation_fts_au AFTER UPDATE OF search_document ON directory_organisation BEGIN "
    "INSERT INTO directory_organisation_fts(directory_organisation_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO directory_organisation_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_organisation_fts_au",
    "DROP TRIGGER IF EXISTS directory_organisation_fts_ad",
    "DROP TRIGGER IF EXISTS directory_organisation_fts_ai",
    "DROP TABLE IF EXISTS directory_organisation_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX directory_organisation_search_gin ON directory_organisation "
    "USING gin (to_tsvector('simple', search_document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS directory_organisation_search_gin"]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
