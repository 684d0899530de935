"""python manage.py import_confluence EXPORT.zip --space SLUG [--dry-run] [--report FILE.json]"""

from importers.management.commands import import_notion


class Command(import_notion.Command):
    help = (
        "Import a Confluence space export (HTML, or XML with entities.xml) into a space "
        "(created if missing)."
    )
    source = "confluence"
