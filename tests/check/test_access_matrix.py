"""Every URL, for every role, by every method: the right status, and no other space's secrets.

The acting people (anonymous, outsider, reader, editor, space admin) work in "team"; the
"vault" holds marker strings everywhere (see access_world). Each URL is asked for under the
team's slugs and ids, under the vault's, and mixed (a vault id under a team slug and the
reverse); the mixed ones are counted as "mixed-id checks". GETs of the team's URLs go once
as a full page and once as an htmx request; POSTs carry a form that would succeed for
someone with the right, and run in a savepoint compared before and after, then rolled back.
"""

from collections.abc import Iterator

import pytest
from django.test import Client

from tests.check.access_probe import Verdict, probe, snapshot
from tests.check.access_urls import (
    NEED_RANK,
    RANK,
    ROLES,
    ROUTES,
    Route,
    Target,
    admin_urls,
    expected,
    grants,
    mixed_targets,
    served_routes,
    url_for,
)
from tests.check.access_world import SECRET_WORD, World, build_world, echo_of, response_text
from wikiapp.models import Page, Revision

pytestmark = pytest.mark.django_db

SPACELESS = {None, "public", "anonymous", "login", "staff"}


def _member_views(world: World) -> list[str]:
    """Every vault URL its admin may GET: the lists, each page, each version, each job."""
    vault = Target(world.vault, world.vault, world.vault)
    urls = [
        url_for(name, route, vault)
        for name, route in ROUTES.items()
        if route.get not in (None, "anonymous", "staff")
    ]
    urls += [page.get_absolute_url() for page in world.vault.pages.values()]
    urls += [world.vault.page().url("revision", n) for n in range(1, world.vault.versions)]
    urls.append(f"/s/vault/-/import/{world.vault.extra['failed_job'].pk}/")
    urls.append(world.vault.extra["moved"].url("revision", 1))  # its title before the rename
    return urls


@pytest.fixture
def world(space, people) -> World:
    return build_world(space, people)


@pytest.fixture
def warm_world(world) -> World:
    """The vault's admin has looked at everything, so its fragments are in the cache: a
    cache key that forgot the space or the role would now hand them to someone else."""
    member = Client()
    member.force_login(world.vault_admin)
    for url in _member_views(world):
        member.get(url)
        member.get(url, HTTP_HX_REQUEST="true")
    return world


def _client(role: str, people) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(people, role))
    return client


def test_every_served_url_has_an_entry():
    served = served_routes()
    unnamed = [text for text, name in served if name is None and not text.startswith("admin/")]
    names = {name for text, name in served if name and not text.startswith("admin/")}
    assert unnamed == [], "give these URLs a name and an entry in access_urls.ROUTES"
    assert names == set(ROUTES), "add the new URLs to access_urls.ROUTES (or drop the old)"


def _judged(need, route: Route, role: str, method: str, kind: str, target: Target, world):
    """(right statuses, whether the role has the right) for one request."""
    ok = route.get_ok if method == "get" else route.post_ok
    if kind == "own" or need in SPACELESS:
        return expected(need, role, ok), grants(need, role)
    if role == "anonymous":
        return frozenset({302}), False
    if target.space is world.vault or RANK[role] < NEED_RANK[need]:
        # No member of the vault; a team member without the right may hear 403 first.
        return (frozenset({404}) if target.space is world.vault else frozenset({403, 404})), False
    return frozenset({404}), False


def _requests(world: World, role: str) -> Iterator[tuple[str, str, str, Route, Target, dict]]:
    """(kind, name, url, route, target, probe arguments) for every request this role sends."""
    team, vault = world.team, world.vault
    targets = [("own", Target(team, team, team)), ("vault", Target(vault, vault, vault))]
    targets += [("mixed", target) for target in mixed_targets(world)]
    for name, route in ROUTES.items():
        seen = set()
        for kind, target in targets:
            url = url_for(name, route, target)
            if url in seen:
                continue
            seen.add(url)
            # The htmx variant goes to the team's URLs, where each role gets its own answer
            # (an outsider's 404 included); vault and mixed URLs fail before any template.
            variants = [("get", False), ("post", False)]
            if kind == "own":
                variants.insert(1, ("get", True))
            for method, htmx in variants:
                need = route.get if method == "get" else route.post
                allowed, granted = _judged(need, route, role, method, kind, target, world)
                yield (
                    kind,
                    name,
                    url,
                    route,
                    target,
                    {
                        "method": method,
                        "htmx": htmx,
                        "allowed": allowed,
                        "granted": granted,
                        "data": (lambda r=route: r.form(team)) if route.form else None,
                        "must_write": kind == "own" and route.writes,
                        "to_login": role == "anonymous" and need not in SPACELESS - {"login"},
                    },
                )


def _ghostly(target: Target, world: World) -> Target:
    """The same target with the vault's parts replaced by ones that exist nowhere."""
    parts = (target.space, target.page, target.ids)
    return Target(*(world.ghost if part is world.vault else part for part in parts))


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_by_its_rights_and_leaks_nothing(
    role, warm_world, people, figures
):
    world = warm_world
    client = _client(role, people)
    verdicts: dict[str, list[Verdict]] = {"matrix": [], "mixed": []}
    for kind, name, url, route, target, arguments in _requests(world, role):
        # Logging out ends the session, so it gets a client of its own.
        sender = _client(role, people) if name == "logout" else client
        label = f"{role} {arguments['method'].upper()}{' htmx' if arguments['htmx'] else ''} {url}"
        verdict = probe(sender, url=url, label=label, markers=world.markers, **arguments)
        verdicts["mixed" if kind == "mixed" else "matrix"].append(verdict)
        if kind == "mixed":
            # Another space's id must get the same answer as an id that exists nowhere.
            ghost_url = url_for(name, route, _ghostly(target, world))
            ghost = probe(sender, url=ghost_url, label=label, markers=world.markers, **arguments)
            if ghost.status != verdict.status:
                ghost.leaks.append(f"{verdict.status} here, but {ghost.status} at {ghost_url}")
            verdicts["mixed"].append(ghost)
    for url in admin_urls(world):
        for method in ("get", "post"):
            login_form = url == "/admin/login/"
            verdict = probe(
                client,
                method,
                url,
                label=f"{role} {method.upper()} {url}",
                markers=world.markers,
                allowed=frozenset({200} if login_form else {302}),
                granted=False,
                to_login=not login_form and url != "/admin/logout/",
            )
            verdicts["matrix"].append(verdict)
    for figure, found in (("URL x role checks", "matrix"), ("mixed-id checks", "mixed")):
        done = verdicts[found]
        figures.add(
            figure,
            checked=len(done),
            leaks=sum(v.leaked for v in done),
            wrong_status=sum(v.failed and not v.leaked for v in done),
        )
    failures = [str(v) for found in verdicts.values() for v in found if v.failed]
    assert failures == [], "\n".join(failures)
    assert len(verdicts["matrix"]) > 200 and len(verdicts["mixed"]) > 50


def test_the_markers_show_for_a_member_of_their_space(world, figures):
    """The control: were the vault open to someone, the markers would be found."""
    client = Client()
    client.force_login(world.vault_admin)
    seen = ""
    for url in _member_views(world):
        response = client.get(url)
        assert response.status_code == 200, url
        seen += response_text(response)
    shown = [m for m in world.markers.all if m.casefold() in seen.casefold()]
    hidden = sorted(set(world.markers.all) - set(shown))
    figures.add("markers visible to their space's admin", markers=len(world.markers.all))
    # Only the e-mail address is shown nowhere in the wiki.
    assert [m for m in hidden if not m.startswith("xqvmail")] == [], hidden


SEARCHERS = ("outsider", "reader", "editor", "admin")


@pytest.mark.parametrize("role", SEARCHERS)
def test_search_and_palette_never_find_another_spaces_secrets(role, warm_world, people, figures):
    world = warm_world
    client = _client(role, people)
    vault_urls = [p.get_absolute_url() for p in world.vault.pages.values()]
    requests = [("/search/", {"q": SECRET_WORD, "space": s}) for s in ("", "team", "vault")]
    requests += [("/search/", {"q": SECRET_WORD, "kind": k}) for k in ("decision", "page")]
    requests.append(("/palette/", {"q": SECRET_WORD}))
    for marker in world.markers.all:
        requests.append(("/search/", {"q": marker}))
        requests.append(("/palette/", {"q": marker}))
    for url in vault_urls:
        requests.append(("/palette/", {"q": "", "from": url}))
    failures, checked = [], 0
    for path, query in requests:
        for htmx in (False, True) if SECRET_WORD in query.values() else (False,):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.get(path, query, **headers)
            checked += 1
            echoed = " ".join(query.values()).casefold()
            found = world.markers.found_in(response_text(response), ignore=echoed)
            if response.status_code != 200 or found:
                failures.append((path, query, htmx, response.status_code, found))
    figures.add("mixed-id checks", checked=checked, leaks=len(failures))
    assert failures == []


def test_a_reader_posting_to_every_edit_url_changes_nothing(world, people, figures):
    """Without savepoints: every write a reader may not make, sent for real, one after another."""
    client = _client("reader", people)
    team = Target(world.team, world.team, world.team)
    before = snapshot()
    counts = (Page.objects.count(), Revision.objects.count())
    versions = {key: page.version for key, page in world.team.pages.items()}
    sent = 0
    for name, route in ROUTES.items():
        if route.post in ("edit", "admin", "staff"):
            response = client.post(url_for(name, route, team), route.form(world.team))
            sent += 1
            figures.add("URL x role checks", checked=1, leaks=int(response.status_code != 403))
            assert response.status_code == 403, name
    assert sent >= 15
    assert (Page.objects.count(), Revision.objects.count()) == counts
    for key, page in world.team.pages.items():
        page.refresh_from_db()
        assert page.version == versions[key], key
    assert snapshot() == before


def test_a_renamed_pages_old_address_redirects_only_its_members(world, people, figures):
    old = world.vault.extra["old_slug"]
    urls = [f"/s/{space}/{old}/{tail}" for space in ("vault", "team") for tail in ("", "history/")]
    failures, checked = [], 0
    for role in ("outsider", "reader", "editor", "admin"):
        client = _client(role, people)
        for url in urls:
            response = client.get(url)
            checked += 1
            found = world.markers.found_in(response_text(response), ignore=echo_of(url))
            if response.status_code != 404 or found:
                failures.append((role, url, response.status_code, found))
    member = Client()
    member.force_login(world.vault_admin)
    moved = member.get(f"/s/vault/{old}/")  # the control: members are sent on
    figures.add("mixed-id checks", checked=checked, leaks=len(failures))
    assert failures == []
    assert moved.status_code == 302 and moved["Location"].startswith("/s/vault/")


def test_ids_in_forms_and_query_strings_stay_in_their_space(world, people, figures):
    """The space admin of "team" names vault pages, titles and files in parameters."""
    client = _client("admin", people)
    secret = world.vault.page()
    team = world.team
    before = snapshot()
    preview_body = f"[[{secret.title}]] ![]({world.vault.attachment.name})"
    cases = [
        ("get", "/s/team/-/new/", {"parent": secret.slug}, {404}),
        ("get", "/s/team/-/new/", {"title": secret.title}, {200}),
        ("post", "/s/team/-/new/", {"parent": secret.slug, "title": "Child"}, {404}),
        ("post", team.page().url("page_move"), {"parent": world.vault.page("parent").slug}, {400}),
        ("post", "/s/team/-/preview/", {"page": secret.slug, "body": preview_body}, {200}),
        ("get", team.page().url("diff"), {"from": 1, "to": world.vault.versions}, {404}),
        ("get", "/palette/", {"from": f"/s/vault/-/import/{world.vault.job.pk}/"}, {200}),
        ("get", "/search/", {"q": SECRET_WORD, "space": "vault", "page": 2}, {200}),
    ]
    failures = []
    for method, url, params, allowed in cases:
        response = getattr(client, method)(url, params)
        text = response_text(response)
        echoed = " ".join(str(v) for v in params.values()).casefold()
        found = world.markers.found_in(text, ignore=echoed)
        if response.status_code not in allowed or found or "/s/vault/" in text:
            failures.append((method, url, params, response.status_code, found))
    figures.add("mixed-id checks", checked=len(cases), leaks=len(failures))
    assert failures == []
    assert snapshot() == before
