"""Fresh-machine setup pieces: reading DATABASE_URL and the first-run demo content."""

from io import StringIO

import pytest
from django.core.management import call_command

from wikiapp.models import Page, Space
from wikiapp.settings import database_from_url


def test_it_reads_a_socket_url_like_the_embedded_servers():
    config = database_from_url("postgresql://postgres:@/wiki?host=/work/var/pgdata")
    assert config["HOST"] == "/work/var/pgdata"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("wiki", "postgres", "")


def test_it_reads_a_tcp_url_with_options():
    config = database_from_url("postgres://app:s%40cret@db.example:6543/wiki?sslmode=require")
    assert (config["HOST"], config["PORT"], config["PASSWORD"]) == ("db.example", "6543", "s@cret")
    assert config["OPTIONS"]["sslmode"] == "require"
    assert config["CONN_MAX_AGE"] > 0


def test_it_prepares_statements_unless_told_not_to(monkeypatch):
    url = "postgres://app@db.example/wiki"
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("DJANGO_DB_PREPARED", "0")
    assert "prepare_threshold" not in database_from_url(url)["OPTIONS"]


def test_it_refuses_a_non_postgres_url():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("sqlite:///db.sqlite3")


@pytest.mark.django_db
def test_first_run_creates_an_admin_and_a_demo_space_once(django_user_model):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "username: admin" in text
    password = text.split("password: ", 1)[1].split()[0]
    admin = django_user_model.objects.get(username="admin")
    assert admin.check_password(password) and admin.is_superuser
    space = Space.objects.get(slug="demo")
    assert Page.objects.filter(space=space, title="Welcome").exists()

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "password" not in again.getvalue()
    assert django_user_model.objects.count() == 1
