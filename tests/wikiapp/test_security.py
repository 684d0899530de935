"""Security baseline: CSP, CSRF, login throttling, safe redirects, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_it_sends_a_content_security_policy_without_inline_script(people, page, client_as):
    response = client_as(people.reader).get(page.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script>" not in response.content.decode()  # no inline script blocks at all


def test_it_configures_htmx_for_a_strict_csp(people, page, client_as):
    html = client_as(people.reader).get(page.get_absolute_url()).content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert "hx-on" not in html


def test_it_refuses_writes_without_a_csrf_token(people, page):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.editor)
    response = client.post(
        f"/s/team/{page.slug}/edit/", {"title": "x", "body": "y", "base_version": 1}
    )
    assert response.status_code == 403


def test_it_accepts_the_csrf_token_in_the_htmx_header(people, page):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.editor)
    html = client.get(page.get_absolute_url()).content.decode()
    token = html.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    response = client.post(
        "/s/team/-/preview/", {"body": "*hi*"}, HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"<em>hi</em>" in response.content


def test_it_locks_a_username_after_five_failed_logins(people):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "rita", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "rita", "password": "rita-password-123"}
    )
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content


def test_it_logs_in_and_follows_a_local_next(people):
    response = Client().post(
        "/accounts/login/?next=/s/team/",
        {"username": "rita", "password": "rita-password-123", "next": "/s/team/"},
    )
    assert response.status_code == 302 and response["Location"] == "/s/team/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_it_never_redirects_off_site_after_login(people, target):
    response = Client().post(
        "/accounts/login/", {"username": "rita", "password": "rita-password-123", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_sets_nosniff_and_frame_denial(people, page, client_as):
    response = client_as(people.reader).get(page.get_absolute_url())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_deploy_check_is_clean_in_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 20 + "-a-real-looking-secret-" + "x9Q" * 10,
        "DJANGO_ALLOWED_HOSTS": "wiki.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
