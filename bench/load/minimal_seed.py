"""A stand-in for the corpus seeder: just enough bench data to try bench/run.py.

It fills var/bench-pgdata with the user "bench", one space, about 50 pages and the page
"Bench history" with a few revisions. The real seeder (bench/seed.py) fills the same
database with the full corpus; this module only exists until then. Run it again and it
leaves what is already there.

    .venv/bin/python -m bench.load.minimal_seed
"""

import os
import subprocess
import sys
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BENCH_PGDATA = Path(os.environ.get("BENCH_PGDATA") or BASE_DIR / "var" / "bench-pgdata").resolve()

WORDS = [
    *("deploy", "rollback", "incident", "runbook", "release", "staging", "database"),
    *("migration", "queue", "worker", "latency", "budget", "review", "owner", "service"),
    *("alert", "dashboard", "backlog", "retro", "decision", "team", "customer", "support"),
    *("escalation", "handover", "capacity", "forecast", "roadmap", "quarter", "goal"),
]


def _body(index: int) -> str:
    lines = [f"# Notes {index}", ""]
    for row in range(12):
        words = [WORDS[(index * 7 + row * 3 + k) % len(WORDS)] for k in range(14)]
        lines.append(" ".join(words).capitalize() + ".")
        lines.append("")
    if index % 17 == 0:
        lines.append("The zephyrine checklist applies here.")  # a rare word for search
    return "\n".join(lines)


def seed(*, pages: int = 50, history: int = 12) -> None:
    from django.contrib.auth import get_user_model

    from wikiapp import actions
    from wikiapp.models import Page, Role, Space

    password = os.environ.get("BENCH_PASSWORD", "bench-password-123")
    user, created = get_user_model().objects.get_or_create(username="bench")
    if created:
        user.set_password(password)
        user.save()
    space = Space.objects.filter(slug="bench").first() or actions.create_space(
        slug="bench", name="Bench", created_by=user
    )
    actions.set_role(space=space, user=user, role=Role.ADMIN, acting_user=user)
    existing = set(Page.objects.filter(space=space).values_list("title", flat=True))
    for index in range(pages):
        title = f"Bench page {index}"
        if title not in existing:
            actions.create_page(space=space, title=title, author=user, body=_body(index))
    page = Page.objects.filter(space=space, slug="bench-history").first()
    if page is None:
        page = actions.create_page(space=space, title="Bench history", author=user, body=_body(0))
    while page.version < history:
        body = page.current.body + f"\n\nEdit number {page.version + 1}: {WORDS[page.version]}."
        page = actions.save_revision(
            page=page, base_version=page.version, title=page.title, body=body, author=user
        ).page
    print(f"Bench DB: {Page.objects.count()} pages, history page at version {page.version}.")


def main() -> int:
    from wikiapp import embedded_pg

    os.environ["DATABASE_URL"] = embedded_pg.ensure_running(BENCH_PGDATA)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wikiapp.settings")
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True)  # noqa: S603
    django.setup()
    seed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
