"""How fast a generated Notion export imports: python bench/notion_import.py [PAGES]

Uses its own database (wiki_bench_import) on the embedded PostgreSQL, dropped and made
afresh each run, never the development one. Generates a deterministic Markdown & CSV export
of PAGES pages (default 1,000: a hierarchy, a decision database, three links per page),
imports it through the same pipeline as `manage.py import_notion`, then imports it again
(which must add nothing) and prints pages per second for both.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "wiki_bench_import"


def fresh_database() -> None:
    import psycopg

    from wikiapp import embedded_pg

    url = os.environ.get("DATABASE_URL") or embedded_pg.ensure_running()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    base, _, query = url.partition("?")
    os.environ["DATABASE_URL"] = (
        base.rsplit("/", 1)[0] + f"/{DATABASE}" + (f"?{query}" if query else "")
    )


def main(pages: int) -> None:
    fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wikiapp.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from importers.pipeline import run_import
    from tests.importers.notion.builders import generated_export

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", password=None)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.zip"
        export.write_bytes(generated_export(pages))
        size = export.stat().st_size
        results = []
        for label in ("first import", "re-import"):
            started = time.perf_counter()
            report = run_import(source="notion", file=export, space_slug="bench", user=user)
            seconds = time.perf_counter() - started
            results.append((label, report, seconds))
    print(f"Generated Notion export: {pages} pages, {size / 1024**2:.1f} MB")
    for label, report, seconds in results:
        stored = report["stored"]
        print(
            f"{label:>12}: {report['pages']} pages in {seconds:.2f} s = "
            f"{report['pages'] / seconds:.0f} pages/s "
            f"({stored['pages_created']} created, {stored['pages_updated']} updated, "
            f"{stored['revisions']} revisions, links {report['links']})"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
