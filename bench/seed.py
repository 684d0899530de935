"""Seed the benchmark database: its own embedded PostgreSQL in var/bench-pgdata.

    BENCH_PAGES=2000 BENCH_REVISIONS=5 .venv/bin/python bench/seed.py

Starts (or attaches to) the server, migrates, and writes the corpus unless the one of
the same sizes is there already; a database holding anything else is dropped and made
again. Progress goes to stderr; the last line on stdout is the database URL, for the
load driver. The server keeps running: `.venv/bin/python bench/seed.py stop` ends it.

BENCH_PAGES (10,000), BENCH_REVISIONS (20 per page), BENCH_PASSWORD (of every bench user,
"bench-password-123"), BENCH_PGDATA (another data directory than var/bench-pgdata, to
keep two sizes side by side). The dev database under var/pgdata is never touched.
"""

import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# BENCH_PGDATA keeps a second corpus beside the first, e.g. the quick size for comparing.
DATA_DIR = Path(os.environ.get("BENCH_PGDATA") or BASE_DIR / "var" / "bench-pgdata").resolve()
SPACES = 5
HISTORY_REVISIONS = 200
# Bump when bench/corpus.py changes what it generates, so old corpora are seeded again.
CORPUS_VERSION = 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        number = int(value) if value else default
    except ValueError:
        sys.exit(f"{name} must be a whole number, not {value!r}")
    if number < 1:
        sys.exit(f"{name} must be at least 1")
    return number


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _marker(url: str) -> dict | None:
    """The sizes of the corpus in the database; None when there is none (or half of one)."""
    import psycopg

    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('bench_corpus')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT sizes FROM bench_corpus").fetchone()
    return row[0] if row else None


def _is_empty(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None


def _recreate(url: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _seed(url: str, sizes: dict, password: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wikiapp.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import seeding

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    result = seeding.seed(
        pages=sizes["pages"],
        revisions=sizes["revisions"],
        spaces=sizes["spaces"],
        history_revisions=sizes["history_revisions"],
        password=password,
        progress=True,
    )
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_corpus (sizes jsonb NOT NULL, seeded_at timestamptz NOT NULL,"
            " seconds double precision NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO bench_corpus VALUES (%s, now(), %s)", [json.dumps(sizes), seconds]
        )
    _log(
        f"Seeded {result.pages:,} pages, {result.revisions:,} revisions in "
        f"{result.spaces} spaces in {seconds:.0f} s."
    )
    connection.close()


def _report(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        pages, revisions, size, seconds = conn.execute(
            "SELECT (SELECT count(*) FROM wikiapp_page), (SELECT count(*) FROM wikiapp_revision),"
            " pg_size_pretty(pg_database_size(current_database())),"
            " (SELECT seconds FROM bench_corpus)"
        ).fetchone()
    _log(
        f"Corpus: {pages:,} pages, {revisions:,} revisions, database {size} "
        f"(seeded in {seconds:.0f} s)."
    )


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(BASE_DIR))
    from wikiapp import embedded_pg

    if argv == ["stop"]:
        embedded_pg.stop(DATA_DIR)
        return 0
    if argv:
        _log(__doc__)
        return 2
    sizes = {
        "pages": _env_int("BENCH_PAGES", 10_000),
        "revisions": _env_int("BENCH_REVISIONS", 20),
        "spaces": SPACES,
        "history_revisions": HISTORY_REVISIONS,
        "corpus": CORPUS_VERSION,
    }
    password = os.environ.get("BENCH_PASSWORD") or "bench-password-123"
    url = embedded_pg.ensure_running(DATA_DIR)
    found = _marker(url)
    if found == sizes:
        _log(f"The corpus of {sizes['pages']:,} x {sizes['revisions']} is there already.")
    else:
        if found is not None or not _is_empty(url):
            held = f"the corpus {found}" if found else "no finished corpus"
            _log(f"Dropping the bench database (it held {held}).")
            _recreate(url)
        _seed(url, sizes, password)
    _report(url)
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
