"""The README's backup and restore commands, run as written: the restore equals the original.

A private PostgreSQL gets the demo content plus pages with several revisions, a rename, a
move, read receipts and attachments with their files. The commands of the README section
"Backup and restore" for the embedded server then dump it and its media root, and restore
both into a fresh data directory (standing in for moving var/pgdata aside). Every row of
every table, the schema objects, the sequences and the attachment files must be equal.
"""

import hashlib
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

from psycopg import sql

from tests.check.live import BASE_DIR, PrivatePostgres, live_wiki

README = BASE_DIR / "README.md"
PAGES = 6
REVISIONS = 4
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

SETUP = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wikiapp.models import Page
call_command("seed_demo")
admin = User.objects.get(username="admin")
editor = person("eddie")
space = actions.create_space(slug="team", name="Team", created_by=admin)
actions.set_role(space=space, user=editor, role=Role.EDITOR, acting_user=admin)
parent = actions.create_page(space=space, title="Start here", body="Begin.", author=admin)
for number in range({PAGES}):
    page = actions.create_page(
        space=space, title=f"Page {{number}}", body="First — ünïcode 🙂", author=editor
    )
    for version in range(2, {REVISIONS} + 1):
        body = f"Version {{version}} of page {{number}}, linking [[Page {{number + 1}}]]."
        page = actions.save_revision(
            page=page, base_version=page.version, title=page.title, body=body,
            author=editor, message=f"Edit {{version}}",
        ).page
    actions.mark_read(page=page, user=editor)
first = Page.objects.get(space=space, slug="page-0")
actions.rename_page(page=first, title="Page zero", base_version=first.version, author=editor)
second = Page.objects.get(space=space, slug="page-1")
actions.move_page(page=second, parent=parent, acting_user=editor)
first = Page.objects.get(space=space, slug="page-zero")
for name, data in [("diagram.png", {PNG!r}), ("notes.txt", b"Plain notes.\\n")]:
    actions.add_attachment(page=first, upload=SimpleUploadedFile(name, data), author=editor)
"""

SCHEMA = {
    "columns": """SELECT table_name, column_name, data_type, is_nullable, column_default
                  FROM information_schema.columns WHERE table_schema = 'public'""",
    # PostgreSQL prints `col IN (...)` checks back with the casts in other places after a
    # restore (on the array, then on each element); without casts and brackets the
    # columns, operators and values are still all compared.
    "constraints": r"""SELECT conrelid::regclass::text, conname, CASE contype
                         WHEN 'c' THEN regexp_replace(
                           pg_get_constraintdef(oid), '::[a-z ]+(\[\])?|[()]', '', 'g')
                         ELSE pg_get_constraintdef(oid) END
                       FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "triggers": """SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
                   FROM pg_trigger WHERE NOT tgisinternal""",
    "functions": """SELECT proname, pg_get_functiondef(oid) FROM pg_proc
                    WHERE pronamespace = 'public'::regnamespace""",
    "sequences": "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'",
}


def test_the_documented_backup_restores_every_row_and_file(figures, tmp_path):
    where, _, backup, fresh, restore = readme_blocks()
    # The fresh embedded database is made by the same command that names it.
    assert where.splitlines()[1] in fresh.splitlines()
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / ".venv").symlink_to(BASE_DIR / ".venv")  # the README's commands use .venv/
    restored = PrivatePostgres(tmp_path / "restored-pgdata")
    try:
        with live_wiki(SETUP, serve=False) as wiki:
            run(where + backup, workdir, wiki.postgres.directory, wiki.media)
            with wiki.postgres.connect() as connection:
                before = snapshot(connection)
                attachments = connection.execute(
                    "SELECT file, sha256 FROM wikiapp_attachment"
                ).fetchall()
            files_before = files(wiki.media)
        restored_media = tmp_path / "restored-media"
        run(where + restore, workdir, restored.directory, restored_media)
        restored.start()  # attaches to the server the restore started, for its URL
        with restored.connect() as connection:
            after = snapshot(connection)
    finally:
        restored.kill()
    files_after = files(restored_media)

    differing = {
        name: sorted(set(before.get(name, [])) ^ set(after.get(name, [])))
        for name in before.keys() | after
        if _difference(before.get(name), after.get(name))
    }
    differences = sum(_difference(before.get(name), after.get(name)) for name in differing)
    file_differences = len(set(files_before.items()) ^ set(files_after.items()))
    figures.add(
        "backup and restore",
        pages=len(before["table wikiapp_page"]),
        revisions=len(before["table wikiapp_revision"]),
        tables=sum(name.startswith("table ") for name in before),
        rows=sum(len(rows) for name, rows in before.items() if name.startswith("table ")),
        files=len(files_before),
        differences=differences + file_differences,
    )

    assert len(before["table wikiapp_revision"]) >= PAGES * REVISIONS
    assert len(attachments) == 2
    assert {files_after.get(name) for name, _ in attachments} == {sha for _, sha in attachments}
    assert differing == {}
    assert file_differences == 0


def readme_blocks() -> list[str]:
    """The shell blocks of the README's "Backup and restore" section, in order."""
    section = README.read_text().split("\n## Backup and restore\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 5, "the test expects: where (embedded, URL), backup, fresh, restore"
    return blocks


def run(script: str, workdir: Path, pgdata: Path, media: Path) -> None:
    """Run README commands in bash, for the embedded server in `pgdata` with `media`."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"WIKI_PGDATA": str(pgdata), "WIKI_MEDIA_ROOT": str(media)}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"


def snapshot(connection) -> dict[str, list[str]]:
    """Every row of every table and every schema object, each as text, by name."""
    found = {name: _rows(connection, query) for name, query in SCHEMA.items()}
    tables = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    ).fetchall()
    for (table,) in tables:
        query = sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))
        found[f"table {table}"] = _rows(connection, query)
    return found


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def _rows(connection, query) -> list[str]:
    cursor = connection.execute(query)
    columns = [column.name for column in cursor.description]
    return sorted(repr(dict(zip(columns, row, strict=True))) for row in cursor.fetchall())


def _difference(before: list[str] | None, after: list[str] | None) -> int:
    """Rows in one and not the other, counting repeats."""
    before, after = Counter(before or []), Counter(after or [])
    return sum((before - after).values()) + sum((after - before).values())
