"""What each scenario requests, read from the bench database through the ORM.

Runs inside the driver process after django.setup() against the bench database.
"""

import os
import random
import urllib.parse
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wikiapp.models import Page, Space

SAMPLE = 500


@dataclass
class Target:
    """A figure one scenario must meet: `metric` (p50/p95/p99) at most `limit_ms`."""

    metric: str
    limit_ms: float


@dataclass
class Scenario:
    name: str
    paths: list[str]  # GET paths; for saves, the edit-form paths
    mode: str = "get"
    headers: dict[str, str] = field(default_factory=dict)
    target: Target | None = None
    # saves only: per path, the page's id and its form fields without the token
    forms: list[tuple[int, str]] = field(default_factory=list)

    def data_lines(self, csrf_token: str) -> list[str]:
        if self.mode != "save":
            return self.paths
        # read now: the warm-up and the query count have saved new versions since
        versions = dict(
            Page.objects.filter(pk__in=[pk for pk, _ in self.forms]).values_list("pk", "version")
        )
        return [
            f"{path}\t{versions[pk]}\tcsrfmiddlewaretoken={csrf_token}&{form}"
            for path, (pk, form) in zip(self.paths, self.forms, strict=True)
        ]


def _words(rng: random.Random) -> tuple[str, str]:
    """A word in many pages and one in very few, from the full-text index itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM wikiapp_page') "
            "WHERE length(word) >= 5 AND word ~ '^[a-z]+$' ORDER BY ndoc DESC, word"
        )
        rows = cursor.fetchall()
    if not rows:
        raise SystemExit("The bench database has no searchable pages; seed it first.")
    fewest = rows[-1][1]
    rare = rng.choice([word for word, ndoc in rows if ndoc == fewest][:50])
    # the index holds stems ("histori"); a corpus with known words can name them instead
    common = os.environ.get("BENCH_COMMON_WORD") or rows[0][0]
    return common, os.environ.get("BENCH_RARE_WORD") or rare


def build(*, username: str, static_path: str, seed: int = 1) -> list[Scenario]:
    rng = random.Random(seed)
    user = get_user_model().objects.get(username=username)
    spaces = list(Space.objects.filter(memberships__user=user).order_by("pk"))
    if not spaces:
        raise SystemExit(f"User {username!r} is a member of no space; seed the bench DB first.")
    visible = Page.objects.filter(space__in=spaces).select_related("space")
    pages = list(visible.order_by("?")[:SAMPLE])
    history_page = visible.filter(slug="bench-history").order_by("space_id").first()
    if history_page is None:
        raise SystemExit("No page with the slug 'bench-history' in the bench user's spaces.")
    common, rare = _words(rng)
    pairs = [rng.randint(1, max(1, history_page.version - 1)) for _ in range(100)]
    titles = [page.title for page in pages]
    palette_headers = {
        # what htmx sends when the palette input changes (templates/base.html)
        "HX-Request": "true",
        "HX-Trigger": "palette-q",
        "HX-Trigger-Name": "q",
        "HX-Target": "palette-results",
        "HX-Current-URL": "http://127.0.0.1" + pages[0].get_absolute_url(),
    }
    palette = [
        "/palette/?"
        + urllib.parse.urlencode(
            {"q": rng.choice(title.split())[:4], "from": rng.choice(pages).get_absolute_url()}
        )
        for title in titles
    ]
    # the history page is left alone, so history and diff see the same revisions each run
    editable = [p for p in pages if p.kind == "page" and p.pk != history_page.pk][:200]
    return [
        Scenario("static floor", [static_path]),
        Scenario(
            "page view", [page.get_absolute_url() for page in pages], target=Target("p99", 50)
        ),
        Scenario("space home", [space.get_absolute_url() for space in spaces[:SAMPLE]]),
        Scenario("history", [history_page.url("history")], target=Target("p95", 50)),
        Scenario(
            "diff",
            [history_page.url("diff") + f"?from={n}&to={n + 1}" for n in pairs],
        ),
        Scenario(f"search common ({common})", [f"/search/?q={common}"], target=Target("p95", 50)),
        Scenario(f"search rare ({rare})", [f"/search/?q={rare}"], target=Target("p95", 50)),
        Scenario("palette", palette, headers=palette_headers, target=Target("p95", 30)),
        Scenario(
            "health",
            [f"/s/{space.slug}/-/health/" for space in spaces[:SAMPLE]],
            target=Target("p95", 60),
        ),
        Scenario(
            "save",
            [page.url("page_edit") for page in editable],
            mode="save",
            target=Target("p95", 100),
            forms=[(page.pk, _form_fields(page)) for page in editable],
        ),
    ]


def _form_fields(page: Page) -> str:
    # body last: the load script appends a line to it, then base_version
    return urllib.parse.urlencode(
        [("title", page.title), ("message", "bench save"), ("body", page.current.body)]
    )


def count_queries(scenario: Scenario, *, username: str) -> int | None:
    """SQL queries one request of `scenario` makes, replayed through the test client.

    The first request warms up what a long run has warm (read receipts, caches); the
    second is counted. Saves write a revision to the bench database each time.
    """
    if scenario.name == "static floor":
        return 0
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    path = scenario.paths[0]
    headers = {k.upper().replace("-", "_"): v for k, v in scenario.headers.items()}
    meta = {f"HTTP_{name}": value for name, value in headers.items()}
    counted = None
    for _ in range(2):  # the first request warms up; the second is counted
        with CaptureQueriesContext(connection) as queries:
            if scenario.mode == "save":
                response = client.post(
                    path, _save_body(path), content_type="application/x-www-form-urlencoded"
                )
            else:
                response = client.get(path, **meta)
        if response.status_code >= 400:
            raise RuntimeError(f"{scenario.name}: {path} answered {response.status_code}")
        counted = len(queries)
    return counted


def _save_body(edit_path: str) -> str:
    _, _, space, slug, *_ = edit_path.split("/")
    page = Page.objects.select_related("current").get(space__slug=space, slug=slug)
    note = "%0A%0ABench+query+count"
    return f"{_form_fields(page)}{note}&base_version={page.version}"
