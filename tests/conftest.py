"""Shared fixtures: a space with named people in each role, built through the actions."""

import os
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from wikiapp import actions
from wikiapp.models import Page, Role, Space

CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class People:
    admin: object
    editor: object
    reader: object
    outsider: object


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    # Uploaded files go to a per-test folder; static files need no collectstatic run;
    # a fast hasher keeps the named people cheap to create.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Fragments cached by an earlier test must not answer for this one.
    cache.clear()


@pytest.fixture
def people(django_user_model) -> People:
    def make(name: str):
        return django_user_model.objects.create_user(name, password=f"{name}-password-123")

    return People(
        admin=make("ada"), editor=make("eddie"), reader=make("rita"), outsider=make("otto")
    )


@pytest.fixture
def space(people) -> Space:
    space = actions.create_space(slug="team", name="Team", created_by=people.admin)
    actions.set_role(space=space, user=people.editor, role=Role.EDITOR, acting_user=people.admin)
    actions.set_role(space=space, user=people.reader, role=Role.READER, acting_user=people.admin)
    return space


@pytest.fixture
def page(space, people) -> Page:
    return actions.create_page(
        space=space,
        title="Working agreement",
        body="# How we work\n\nWe meet on Mondays.\n\nWe review every change.\n",
        author=people.admin,
    )


@pytest.fixture
def client_as():
    """A logged-in test client for a user (None: anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole run: Playwright's sync API allows one at a time."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
