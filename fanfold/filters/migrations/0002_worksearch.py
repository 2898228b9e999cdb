from django.db import migrations

SQLITE = (
    "CREATE VIRTUAL TABLE filters_worksearch USING fts5("
    "title, summary, tags, creators, body, tokenize = 'unicode61 remove_diacritics 2')"
)
POSTGRES = [
    "CREATE TABLE filters_worksearch (work_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX filters_worksearch_document ON filters_worksearch USING GIN (document)",
]


def create(apps, schema_editor):
    # The text index is vendor-specific; everything that reads it is in filters.search.
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)
    else:
        schema_editor.execute(SQLITE)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS filters_worksearch")


class Migration(migrations.Migration):
    dependencies = [("filters", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
