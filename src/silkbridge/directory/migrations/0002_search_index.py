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
# A stored tsvector: computing to_tsvector per row at query time costs ~0.1 ms a row.
POSTGRES_FORWARD = [
    "ALTER TABLE directory_organisation ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED",
    "CREATE INDEX directory_organisation_search_gin ON directory_organisation USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_organisation_search_gin",
    "ALTER TABLE directory_organisation DROP COLUMN IF EXISTS search_vector",
]


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
