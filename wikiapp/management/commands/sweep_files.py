"""Delete attachment files no row uses, such as those an import killed mid-way left behind."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from wikiapp.actions.files import sweep_unreferenced


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="leave files younger than this alone (default 24): their upload may be running",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *, older_than_hours: float, dry_run: bool, **options):
        if older_than_hours < 0:
            self.stderr.write("--older-than-hours cannot be negative.")
            raise SystemExit(2)
        found = sweep_unreferenced(older_than=timedelta(hours=older_than_hours), dry_run=dry_run)
        for sha256 in found:
            self.stdout.write(sha256)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {len(found)} unreferenced attachment file(s).")
