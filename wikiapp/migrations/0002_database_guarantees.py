"""What must never happen, refused by PostgreSQL itself rather than by our code alone.

- A revision is never updated or deleted.
- A page's current revision belongs to that page and its number is the page's version.
"""

from django.db import migrations

IMMUTABLE_REVISIONS = """
CREATE FUNCTION wikiapp_revision_is_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'revisions are immutable: % refused on revision %', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER wikiapp_revision_immutable
    BEFORE UPDATE OR DELETE ON wikiapp_revision
    FOR EACH ROW EXECUTE FUNCTION wikiapp_revision_is_immutable();
"""

DROP_IMMUTABLE_REVISIONS = """
DROP TRIGGER wikiapp_revision_immutable ON wikiapp_revision;
DROP FUNCTION wikiapp_revision_is_immutable();
"""

CURRENT_REVISION_BELONGS = """
ALTER TABLE wikiapp_revision
    ADD CONSTRAINT revision_page_id_number_key UNIQUE (page_id, id, number);
ALTER TABLE wikiapp_page
    ADD CONSTRAINT page_current_is_own_revision
    FOREIGN KEY (id, current_id, version)
    REFERENCES wikiapp_revision (page_id, id, number)
    DEFERRABLE INITIALLY IMMEDIATE;
"""

DROP_CURRENT_REVISION_BELONGS = """
ALTER TABLE wikiapp_page DROP CONSTRAINT page_current_is_own_revision;
ALTER TABLE wikiapp_revision DROP CONSTRAINT revision_page_id_number_key;
"""


class Migration(migrations.Migration):
    dependencies = [("wikiapp", "0001_initial")]

    operations = [
        migrations.RunSQL(IMMUTABLE_REVISIONS, DROP_IMMUTABLE_REVISIONS),
        migrations.RunSQL(CURRENT_REVISION_BELONGS, DROP_CURRENT_REVISION_BELONGS),
    ]
