"""On an empty database: an admin account with a generated password, and a demo space."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from artefacts.demo import create_handbook
from wikiapp import actions

WELCOME = """\
Welcome to your team's wiki. Each page here is **versioned**: every save is kept,
and any two versions can be compared or restored from the page's history.

## Getting around

- Every page can have subpages: use *New subpage* on a page.
- Link to another page by its title: [[How we work]]. A link to a page that does
  not exist yet, like [[Onboarding checklist]], shows in red; follow it to create it.
- Press `e` to edit a page and `Ctrl`+`Enter` to save.

## Writing

| You type | You get |
|---|---|
| `**bold**` | **bold** |
| `- [ ] task` | a task list |
| a fenced ```` ``` ```` block | code |

- [x] Read this page
- [ ] Write down how your team works
"""

HOW_WE_WORK = """\
This page is where the team writes down how it works: when we meet, how we decide,
what "done" means. Edit it together; the history keeps every version.

## Meetings

- Planning: Mondays, 10:00
- Retrospective: every other Friday
"""


class Command(BaseCommand):
    help = "Create an admin account and a demo space if the database has no users yet."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Users exist already; no demo content created.")
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            admin = User.objects.create_superuser("admin", email="", password=password)
            space = actions.create_space(
                slug="demo",
                name="Demo space",
                description="A first space to try the wiki in.",
                created_by=admin,
            )
            welcome = actions.create_page(space=space, title="Welcome", body=WELCOME, author=admin)
            actions.create_page(
                space=space, title="How we work", body=HOW_WE_WORK, parent=welcome, author=admin
            )
            create_handbook(admin=admin)
        banner = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{banner}\n  Admin account created (shown only this once):\n"
                f"    username: admin\n    password: {password}\n{banner}\n"
            )
        )
