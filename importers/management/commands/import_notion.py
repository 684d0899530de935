"""python manage.py import_notion EXPORT.zip --space SLUG [--dry-run] [--report FILE.json]"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from importers.pipeline import run_import, write_report
from importers.zipsafe import UnsafeArchive


class Command(BaseCommand):
    help = "Import a Notion export (Markdown & CSV, or HTML) into a space (created if missing)."
    source = "notion"

    def add_arguments(self, parser):
        parser.add_argument("export", help="the export .zip as downloaded")
        parser.add_argument("--space", required=True, help="slug of the space to import into")
        parser.add_argument("--dry-run", action="store_true", help="read and report only")
        parser.add_argument("--report", help="write the JSON report to this file")
        parser.add_argument(
            "--as", dest="username", help="who the import is by (default: a superuser)"
        )

    def handle(self, *args, **options):
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user called {options['username']!r}.")
        bar = tqdm(unit="page", desc="Storing", disable=options["verbosity"] == 0)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = run_import(
                source=self.source,
                file=options["export"],
                space_slug=options["space"],
                user=user,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except (UnsafeArchive, ValidationError, OSError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise CommandError(f"Nothing was imported: {text}") from error
        finally:
            bar.close()
        if options["report"]:
            write_report(report, options["report"])
        links = report["links"]
        self.stdout.write(
            f"{'Would import' if report['dry_run'] else 'Imported'} {report['pages']} pages, "
            f"{report['revisions']} revisions, {report['attachments']} attachments into "
            f"'{report['space']}'. Links: {links['total']} ({links['resolved']} to imported "
            f"pages, {links['external']} external, {links['unresolved']} unresolved). "
            f"Kinds: {report['kinds']}. Warnings: {len(report['warnings'])}."
        )
        if "stored" in report:
            stored = report["stored"]
            self.stdout.write(
                f"Stored: {stored['pages_created']} new pages, {stored['pages_updated']} "
                f"updated, {stored['revisions']} revisions, {stored['attachments']} attachments "
                "(unchanged pages from an earlier import are left as they are)."
            )
