"""Web hardening: CSRF on every unsafe URL, no open redirects, log-in throttling, cookie
flags, a strict CSP on pages, fragments and errors, and uploads that never run as markup.

The cases and helpers are in hardening_cases.py. Every check adds to the "web hardening
checks" figure before the test asserts.
"""

import contextlib
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tests.check.access_probe import snapshot
from tests.check.access_urls import ROUTES, Target, admin_urls, url_for
from tests.check.access_world import build_world
from tests.check.hardening_cases import (
    ACTIVE_UPLOADS,
    EVIL_TARGETS,
    LOCK_BYPASSES,
    PNG,
    admin_csrf_failures,
    attachment_problems,
    csrf_client,
    header_problems,
    header_responses,
    logged_in_cookies,
    production_settings,
    redirecting_views,
    stays_on_site,
)
from tests.e2e import conftest as e2e
from wikiapp import actions

pytestmark = pytest.mark.django_db


FIGURE = "web hardening checks"


@pytest.fixture
def world(space, people):
    return build_world(space, people)


def _tally(figures, failures: list, checked: int) -> None:
    figures.add(FIGURE, checked=checked, failed=len(failures))
    assert failures == [], "\n".join(map(str, failures))


# --- CSRF ------------------------------------------------------------------------------


def _sender(route_name: str, people, staff):
    if route_name == "login":
        return None
    if route_name == "wiki:space_create":
        return staff
    return people.admin  # the space admin has every right a space URL can ask for


def test_every_unsafe_url_refuses_a_missing_wrong_or_foreign_csrf_token(
    world, people, django_user_model, figures
):
    staff = django_user_model.objects.create_user(
        "stan", password="stan-password-123", is_staff=True
    )
    team = Target(world.team, world.team, world.team)
    foreign = csrf_client(people.editor).cookies["csrftoken"].value
    failures, checked = [], 0
    posts = {name: route for name, route in ROUTES.items() if route.post is not None}
    assert len(posts) >= 20
    for name, route in posts.items():
        url = url_for(name, route, team)
        user = _sender(name, people, staff)
        data = (lambda r=route: {**r.form(world.team)}) if route.form else dict
        if name == "login":
            data = lambda: {"username": "rita", "password": "rita-password-123"}  # noqa: E731
        # Refused posts change nothing, so one session serves every variant; the
        # accepted one (the control) comes last.
        client = csrf_client(user)
        own = client.cookies["csrftoken"].value
        for variant in (
            "none",
            "wrong field",
            "wrong header",
            "malformed",
            "foreign field",
            "foreign header",
            "right",
        ):
            token = {"wrong": "A" * 32, "malformed": "not a token!", "foreign": foreign}.get(
                variant.split()[0], own
            )
            form, headers = data(), {}
            if variant.endswith("header") or variant == "right":
                headers["HTTP_X_CSRFTOKEN"] = token
            elif variant != "none":
                form["csrfmiddlewaretoken"] = token
            before = snapshot()
            response = client.post(url, form, **headers)
            changed = [t for t, digest in snapshot().items() if before.get(t) != digest]
            checked += 1
            if variant == "right":
                # The control: the same request with its own token is let through.
                if response.status_code == 403 or response.status_code >= 500:
                    failures.append((name, variant, "refused with the right token"))
                continue
            if response.status_code != 403 or changed:
                failures.append((name, variant, response.status_code, changed))
            elif b"CSRF" not in response.content:
                failures.append((name, variant, "403, but not the CSRF failure page"))
        if name in ("login", "logout"):
            # Refused log-ins and log-outs left the session as it was.
            checked += 1
            still = csrf_client(user)
            refused = still.post(url, data())
            logged_in = "_auth_user_id" in still.session
            if refused.status_code != 403 or logged_in != (user is not None):
                failures.append((name, "session changed by a refused post", logged_in))
    failures += admin_csrf_failures(world, django_user_model, foreign)
    checked += len(admin_urls(world)) * 3
    _tally(figures, failures, checked)


# --- Open redirects ----------------------------------------------------------------------


def test_no_redirect_leaves_the_site(page, people, django_user_model, figures):
    # Stan can use the admin's own log-in form, which takes a `next` too.
    django_user_model.objects.create_user("stan", password="stan-password-123", is_staff=True)
    # The page's old address now redirects, keeping the query string.
    old_address = page.get_absolute_url()
    actions.rename_page(page=page, title="Renamed", base_version=page.version, author=people.admin)
    failures, checked = [], 0
    for where, send in redirecting_views(people, old_address).items():
        # The control: a local target is followed, so the refusals below mean something.
        local = send("/s/team/")
        checked += 1
        if local.status_code != 302 or not stays_on_site(local["Location"]):
            failures.append((where, "local target", local.status_code))
        for target in EVIL_TARGETS:
            response = send(target)
            checked += 1
            location = response.get("Location", "")
            if response.status_code not in (301, 302) or not stays_on_site(location):
                failures.append((where, repr(target), response.status_code, location))
    # A forged Host is refused, and a forwarded one ignored, so no absolute URL names it.
    forged = Client().get("/accounts/login/", HTTP_HOST="evil.example")
    forwarded = Client().get(old_address, HTTP_X_FORWARDED_HOST="evil.example")
    checked += 2
    if forged.status_code != 400:
        failures.append(("a forged Host header is served", forged.status_code))
    if not stays_on_site(forwarded.get("Location", "/")):
        failures.append(("X-Forwarded-Host steers a redirect", forwarded["Location"]))
    assert stays_on_site("/s/team/") and not stays_on_site("/\t/evil.example")
    _tally(figures, failures, checked)


# --- Login throttling -------------------------------------------------------------------


def _log_in(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_failures_lock_the_account_with_a_clear_page(people, figures):
    client = Client()
    failures, checked = [], 0
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit):
        response = _log_in(client, "rita", f"wrong-{attempt}")
        checked += 1
        # Every failure before the lock shows the form again, with its error.
        if attempt < limit - 1 and response.status_code != 200:
            failures.append(("failure before the limit", attempt, response.status_code))
    for _ in range(3):
        response = _log_in(client, "rita", "rita-password-123")
        checked += 1
        page = response.content.decode()
        if response.status_code != 429 or "Too many failed log-in attempts" not in page:
            failures.append(("right password while locked", response.status_code))
        if "_auth_user_id" in client.session:
            failures.append("the locked account was logged in")
        if "Content-Security-Policy" not in response or "<html" not in page:
            failures.append("the lock page is not a full page with its headers")
    # Spellings that name the same account, and headers that claim another address.
    for username, headers in LOCK_BYPASSES:
        sneaky = Client()
        response = sneaky.post(
            "/accounts/login/",
            {"username": username, "password": "rita-password-123"},
            REMOTE_ADDR="127.0.0.1",
            **headers,
        )
        checked += 1
        if "_auth_user_id" in sneaky.session or response.status_code >= 500:
            failures.append(("the lock was bypassed", repr(username), headers))
    admin_login = Client().post(
        "/admin/login/", {"username": "rita", "password": "rita-password-123"}
    )
    checked += 1
    if admin_login.status_code != 429:
        failures.append(("the admin login ignores the lock", admin_login.status_code))
    other = _log_in(Client(), "eddie", "eddie-password-123")
    checked += 1
    if other.status_code != 302:
        failures.append(("another user is locked too", other.status_code))
    elsewhere = _log_in(Client(), "rita", "rita-password-123", address="10.0.0.9")
    checked += 1
    # The lock is on username and address together (AXES_LOCKOUT_PARAMETERS).
    if elsewhere.status_code != 302:
        failures.append(("rita from another address", elsewhere.status_code))
    _tally(figures, failures, checked)


def test_failures_below_the_limit_do_not_lock(people, figures):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _log_in(client, "rita", f"wrong-{attempt}")
    response = _log_in(client, "rita", "rita-password-123")
    figures.add(FIGURE, checked=1, failed=int(response.status_code != 302))
    assert response.status_code == 302


# --- Cookies ----------------------------------------------------------------------------


def test_cookies_are_httponly_lax_and_secure_in_production(people, figures):
    failures, checked = [], 0
    session, csrf = logged_in_cookies(secure=False)
    checks = [
        ("dev session HttpOnly", session["httponly"]),
        ("dev session SameSite=Lax", session["samesite"] == "Lax"),
        ("dev csrf SameSite=Lax", csrf["samesite"] == "Lax"),
        ("dev csrf HttpOnly (htmx reads the token from the page)", csrf["httponly"]),
    ]
    production = production_settings()
    checks += [
        ("production DEBUG off", production["DEBUG"] is False),
        ("production session Secure", production["SESSION_COOKIE_SECURE"] is True),
        ("production csrf Secure", production["CSRF_COOKIE_SECURE"] is True),
        ("production session HttpOnly", production["SESSION_COOKIE_HTTPONLY"] is True),
        ("production SSL redirect", production["SECURE_SSL_REDIRECT"] is True),
        ("production HSTS a year", production["SECURE_HSTS_SECONDS"] >= 31_536_000),
    ]
    with override_settings(**{k: v for k, v in production.items() if k != "DEBUG"}):
        session, csrf = logged_in_cookies(secure=True)
        checks += [
            (
                "production session cookie flags",
                session == {"httponly": True, "secure": True, "samesite": "Lax"},
            ),
            ("production csrf cookie Secure+Lax", csrf["secure"] and csrf["samesite"] == "Lax"),
        ]
        plain = Client().get("/s/team/")
        checks.append(
            (
                "plain HTTP is sent to HTTPS",
                plain.status_code == 301 and plain["Location"].startswith("https://testserver/"),
            )
        )
        checks.append(("health check answers on HTTP", Client().get("/healthz").status_code == 200))
        hsts = Client().get("/accounts/login/", secure=True).get("Strict-Transport-Security", "")
        checks.append(("HSTS header over HTTPS", "max-age=31536000" in hsts))
    for label, ok in checks:
        checked += 1
        if not ok:
            failures.append(label)
    _tally(figures, failures, checked)


# --- Security headers and uploads -----------------------------------------------------

ATTACHMENTS = ("wiki:attachment", "wiki:attachment_named")
FRAGMENTS = ("wiki:history", "wiki:search", "wiki:palette", "wiki:decision_list", "wiki:import_job")


def test_pages_fragments_and_errors_carry_a_strict_csp_and_deny_framing(world, people, figures):
    failures, checked = [], 0
    kinds_seen = set()
    for kind, label, response in header_responses(world, people):
        kinds_seen.add(kind)
        if label in ATTACHMENTS:
            # Served files have their own, stricter policy (see the upload test below).
            content = b"".join(response.streaming_content)
            count, problems = attachment_problems(response, content)
        else:
            count, problems = header_problems(response)
        checked += count
        failures += [(kind, label, response.status_code, p) for p in problems]
        if kind == "htmx" and label in FRAGMENTS:
            checked += 1  # it really was a fragment, not the whole page again
            if b"<html" in response.content:
                failures.append((label, "htmx request answered with a whole page"))
        if kind == "page" and response.get("Content-Type", "").startswith("text/html"):
            checked += 1
            html = response.content.decode()
            inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", html)
            if inline:
                failures.append((label, "inline script the CSP would block", inline[:3]))
    assert kinds_seen == {"page", "htmx", "error"}
    assert checked > 500
    _tally(figures, failures, checked)


def test_uploaded_files_never_run_as_active_content_in_our_origin(world, people, figures):
    client = Client()
    client.force_login(people.admin)
    notes = world.team.page()
    uploads = {**ACTIVE_UPLOADS, "real.png": PNG}
    for name, content in uploads.items():
        upload = SimpleUploadedFile(name, content, content_type="text/html")
        response = client.post(notes.url("attachments"), {"file": upload})
        assert response.status_code == 302, (name, response.status_code)
    failures, checked = [], 0
    for attachment in notes.attachments.filter(name__in=uploads):
        content = uploads[attachment.name]
        for url in (
            notes.url("attachment", attachment.pk, attachment.name),
            notes.url("attachment_named", attachment.name),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            served = b"".join(response.streaming_content)
            count, problems = attachment_problems(response, content)
            checked += count + 1
            failures += [(attachment.name, url, p) for p in problems]
            if served != content:
                failures.append((attachment.name, "served bytes differ from the upload"))
    inline = client.get(notes.url("attachment_named", "real.png"))
    checked += 1
    if inline.get("Content-Disposition", "").startswith("attachment"):
        failures.append("a real PNG is no longer shown inline: the control for the rule above")
    assert notes.attachments.filter(name__in=uploads).count() == len(uploads)
    _tally(figures, failures, checked)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_browser_downloads_uploaded_markup_instead_of_running_it(
    browser, live_server, space, people, figures
):
    from playwright.sync_api import Error as PlaywrightError

    files = actions.create_page(space=space, title="Files", author=people.admin)
    active = ("page.html", "drawing.svg", "page.xhtml", "data.xml", "fake.png", "no-extension")
    for name in active:
        upload = SimpleUploadedFile(name, ACTIVE_UPLOADS[name])
        actions.add_attachment(page=files, upload=upload, author=people.admin)
    actions.add_attachment(
        page=files, upload=SimpleUploadedFile("real.png", PNG), author=people.admin
    )
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    e2e.log_in(tab, live_server, "ada", "ada-password-123")
    failures, checked = [], 0
    try:
        for name in active:
            url = live_server.url + files.url("attachment_named", name)
            # A navigation that turns into a download is reported as aborted.
            with (
                tab.expect_download(timeout=15_000) as download,
                contextlib.suppress(PlaywrightError),
            ):
                tab.goto(url)
            checked += 2
            if download.value.suggested_filename != name:
                failures.append((name, "downloaded as", download.value.suggested_filename))
            if tab.title() == "pwned" or tab.url == url:
                failures.append((name, "the browser rendered the upload"))
        # The control: a real image is shown inline, so the downloads above are a choice.
        shown = tab.goto(live_server.url + files.url("attachment_named", "real.png"))
        checked += 2
        if shown is None or shown.headers.get("content-type") != "image/png":
            failures.append("a real PNG was not shown inline")
        if dialogs:
            failures.append(("script ran in our origin", dialogs))
    finally:
        context.close()
    _tally(figures, failures, checked)
