"""Cases and helpers for test_web_hardening: hostile redirect targets, the views that
redirect to a user-given URL, production settings, CSRF senders, lock-out bypasses,
security headers and active uploads."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from django.conf import settings
from django.test import Client

from tests.check.access_probe import snapshot
from tests.check.access_urls import ROUTES, Target, admin_urls, url_for

ROOT = Path(__file__).resolve().parents[2]

EVIL_TARGETS = [
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://EVIL.EXAMPLE",
    "//evil.example",
    "//evil.example/s/team/",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "https:\\\\evil.example",
    "//evil.example@testserver",
    "https://testserver@evil.example/",
    "https://evil.example\\@testserver/",
    "https://testserver.evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\r\n/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https%3A%2F%2Fevil.example",
    "\uff0f\uff0fevil.example",
    "//evil。example",
    "ftp://evil.example/",
]
SITE = "http://testserver/accounts/login/"


def stays_on_site(location: str, base: str = SITE) -> bool:
    """Whether a browser following this Location stays on testserver.

    Browsers drop tabs and newlines anywhere, trim spaces and control characters at the
    ends, and read backslashes as slashes in http(s) URLs (the WHATWG URL standard).
    """
    cleaned = "".join(c for c in location if c not in "\t\n\r").strip("\x00\x20\x1f")
    cleaned = cleaned.replace("\\", "/")
    parts = urlsplit(urljoin(base, cleaned))
    return parts.scheme in ("http", "https") and parts.hostname == "testserver"


def redirecting_views(people, old_address: str):
    """(where, how to send `target`): every view that redirects to a user-given URL."""

    def log_in(target, in_query=False):
        client = Client()
        query = {"next": target} if in_query else {}
        form = {"username": "rita", "password": "rita-password-123"}
        url = "/accounts/login/" + ("?" + urlencode(query) if query else "")
        return client.post(url, form if in_query else {**form, "next": target})

    reader = Client()
    reader.force_login(people.reader)

    def already_in(target):
        return reader.get("/accounts/login/", {"next": target})

    def log_out(target, in_query=False):
        client = Client()
        client.force_login(people.reader)
        if in_query:
            return client.post("/accounts/logout/?" + urlencode({"next": target}))
        return client.post("/accounts/logout/", {"next": target})

    def admin_log_in(target):
        client = Client()
        form = {"username": "stan", "password": "stan-password-123", "next": target}
        return client.post("/admin/login/", form)

    def moved_page(target):
        return reader.get(old_address, {"next": target, "from": target})

    return {
        "login, next in form": log_in,
        "login, next in query": lambda t: log_in(t, in_query=True),
        "login page when logged in": already_in,
        "logout, next in form": log_out,
        "logout, next in query": lambda t: log_out(t, in_query=True),
        "admin login": admin_log_in,
        "renamed page": moved_page,
    }


PRODUCTION_SETTINGS = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_REDIRECT_EXEMPT",
)


def production_settings() -> dict:
    """The effective settings under the production environment, read by a fresh process."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "production-like-secret-" + "q7Z" * 16,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "wikiapp.settings",
    }
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(PRODUCTION_SETTINGS)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def cookie_flags(response, name: str) -> dict:
    morsel = response.cookies[name]
    return {
        "httponly": bool(morsel["httponly"]),
        "secure": bool(morsel["secure"]),
        "samesite": morsel["samesite"],
    }


def logged_in_cookies(secure: bool) -> tuple[dict, dict]:
    client = Client(enforce_csrf_checks=True)
    form_page = client.get("/accounts/login/", secure=secure)
    token = form_page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "rita", "password": "rita-password-123", "csrfmiddlewaretoken": token},
        secure=secure,
        # Over HTTPS Django also checks that the form was posted from our own origin.
        HTTP_REFERER="https://testserver/accounts/login/" if secure else "",
    )
    assert response.status_code == 302
    return cookie_flags(response, settings.SESSION_COOKIE_NAME), cookie_flags(
        form_page, settings.CSRF_COOKIE_NAME
    )


# --- CSRF and log-in throttling ---------------------------------------------------


def csrf_client(user) -> Client:
    """A client that enforces CSRF like a browser session, with its token cookie set."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get("/accounts/login/" if user is None else "/")
    return client


def admin_csrf_failures(world, django_user_model, foreign: str) -> list:
    """Django's admin takes POSTs at every one of its URLs; a superuser sends each untokened."""
    root = django_user_model.objects.create_superuser("root", password="root-password-123")
    client = csrf_client(root)
    failures = []
    for url in admin_urls(world):
        for token in (None, "A" * 32, foreign):
            form = {} if token is None else {"csrfmiddlewaretoken": token}
            before = snapshot()
            response = client.post(url, form)
            changed = [t for t, digest in snapshot().items() if before.get(t) != digest]
            if response.status_code != 403 or b"CSRF" not in response.content or changed:
                failures.append(("admin", url, token, response.status_code, changed))
    # The control: the superuser's session survived, so every refusal above was the token.
    if client.get("/admin/").status_code != 200:
        failures.append("the superuser was logged out by a refused post")
    return failures


LOCK_BYPASSES = [
    (" rita", {}),
    ("rita ", {}),
    ("rita\t", {}),
    ("\uff52\uff49\uff54\uff41", {}),  # fullwidth: NFKC makes it "rita"
    ("RITA", {}),
    ("Rita", {}),
    ("rita", {"HTTP_X_FORWARDED_FOR": "10.9.8.7"}),
    ("rita", {"HTTP_X_REAL_IP": "10.9.8.7"}),
    ("rita", {"HTTP_CLIENT_IP": "10.9.8.7", "HTTP_FORWARDED": "for=10.9.8.7"}),
    ("rita", {"HTTP_HX_REQUEST": "true"}),
]


# --- Security headers -------------------------------------------------------------------

# Sources that would let injected markup run script.
UNSAFE_SCRIPT_SOURCES = (
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
    "*",
    "data:",
    "blob:",
    "http:",
    "https:",
)


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return directives


def header_problems(response) -> tuple[int, list[str]]:
    """(properties checked, what is wrong) for one response's security headers."""
    policy = csp_directives(response.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    objects = policy.get("object-src", policy.get("default-src"))
    checks = {
        "a Content-Security-Policy": bool(policy),
        "script-src without unsafe sources": scripts is not None
        and not any(source in scripts for source in UNSAFE_SCRIPT_SOURCES),
        "object-src 'none'": objects == ["'none'"],
        "base-uri restricted": policy.get("base-uri") in (["'none'"], ["'self'"]),
        "frame-ancestors 'none'": policy.get("frame-ancestors") == ["'none'"],
        "X-Frame-Options DENY": response.get("X-Frame-Options") == "DENY",
        "X-Content-Type-Options nosniff": response.get("X-Content-Type-Options") == "nosniff",
    }
    return len(checks), [f"no {name}" for name, ok in checks.items() if not ok]


# An uploaded file may carry script; none of these may run in our origin.
ACTIVE_UPLOADS = {
    "page.html": b"<!doctype html><script>document.title='pwned'</script>",
    "page.htm": b"<html><body onload=\"document.title='pwned'\"></body></html>",
    "page.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "data.xml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">'
    b"alert(1)</x:script>",
    "fake.png": b"<html><script>alert(1)</script></html>",
    "fake.gif": b"GIF89a<script>alert(1)</script>",
    "script.js": b"alert(1)",
    "plain.txt": b"<html><script>alert(1)</script></html>",
    "no-extension": b"<html><script>alert(1)</script></html>",
    "report.pdf": b"%PDF-1.4 /JS (app.alert(1))",
    "image.png.html": b"<script>alert(1)</script>",
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
# Raster images are shown inline (for ![](x.png) in pages); nothing else is.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def attachment_problems(response, content: bytes) -> tuple[int, list[str]]:
    """(properties checked, what is wrong) for one served attachment."""
    policy = csp_directives(response.get("Content-Security-Policy", ""))
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    inline = not disposition.lower().startswith("attachment")
    checks = {
        "nosniff": response.get("X-Content-Type-Options") == "nosniff",
        "a sandboxing CSP": "sandbox" in policy and policy.get("default-src") == ["'none'"],
        "no script-src allowance": "script-src" not in policy,
        "never framed": policy.get("frame-ancestors") == ["'none'"],
        "inline only as a raster image": not inline or content_type in INLINE_TYPES,
        "inline only if the bytes are that image": not inline
        or content.startswith((PNG[:8], b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"RIFF")),
        "never served as HTML, SVG or XML": content_type
        not in {"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml"}
        or not inline,
    }
    return len(checks), [f"not {name}" for name, ok in checks.items() if not ok]


def header_responses(world, people):
    """(label, response) for full pages, htmx fragments, redirects and error pages."""
    team = Target(world.team, world.team, world.team)
    admin, reader, outsider = (Client() for _ in range(3))
    admin.force_login(people.admin)
    reader.force_login(people.reader)
    outsider.force_login(people.outsider)
    for name, route in ROUTES.items():
        if route.get in (None, "anonymous", "staff"):
            continue
        url = url_for(name, route, team)
        yield "page", name, admin.get(url)
        yield "htmx", name, admin.get(url, HTTP_HX_REQUEST="true")
    preview = url_for("wiki:preview", ROUTES["wiki:preview"], team)
    yield "htmx", "preview", admin.post(preview, {"body": "*hi*"}, HTTP_HX_REQUEST="true")
    edit = url_for("wiki:page_edit", ROUTES["wiki:page_edit"], team)
    yield "error", "403 role too low", reader.get(edit)
    yield "error", "403 htmx", reader.get(edit, HTTP_HX_REQUEST="true")
    yield "error", "404 outsider", outsider.get("/s/team/")
    yield "error", "404 htmx", outsider.get("/s/team/", HTTP_HX_REQUEST="true")
    yield "error", "404 no route", admin.get("/no/such/address/")
    yield "error", "405", admin.get(preview)
    bad = "title=%ff&body=x&base_version=1"
    yield "error", "400 not UTF-8", admin.post(edit, bad, "application/x-www-form-urlencoded")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.admin)
    yield "error", "403 CSRF", strict.post(edit, {"title": "x"})
    yield "page", "login", Client().get("/accounts/login/")
    yield "page", "redirect to login", Client().get("/s/team/")
    yield "page", "admin login", Client().get("/admin/login/")
    yield "page", "healthz", Client().get("/healthz")
    locked = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        response = locked.post("/accounts/login/", {"username": "otto", "password": f"x{attempt}"})
    yield "error", "429 locked out", response
