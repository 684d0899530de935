"""The app as production runs it, on a PostgreSQL of its own, for checks with real processes.

    with live_wiki(SETUP) as wiki:       # SETUP: Python run by `manage.py shell -c`
        browser = Browser(wiki.base_url)
        browser.log_in("eddie")

`live_wiki` starts a private PostgreSQL in a new temporary directory (the embedded server
of wikiapp/embedded_pg.py, run as a module so nothing of it lives in this process),
migrates it, runs collectstatic and the setup code, then starts gunicorn as `make run`
does (bench.load.server: DEBUG off, WEB_CONCURRENCY workers) on 127.0.0.1 and a free
port. On the way out gunicorn and then PostgreSQL are stopped by PID, whatever happened.
"""

import contextlib
import html.parser
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import psutil
import psycopg

from bench.load import server
from wikiapp import embedded_pg

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "live-password-123"
REQUEST_TIMEOUT = 20  # seconds; a request slower than this counts as hung

# Setup code starts with these: one password hash for everyone, since the production
# hasher takes a good part of a second per user on a loaded machine.
PREAMBLE = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from wikiapp import actions
from wikiapp.models import Role
User = get_user_model()
HASH = make_password({PASSWORD!r})
def person(name, **extra):
    return User.objects.create(username=name, password=HASH, **extra)
"""


class PrivatePostgres:
    """The embedded PostgreSQL, in a data directory no one else uses."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.url = ""
        self.pid: int | None = None

    def start(self) -> str:
        """Start it (creating the data directory and the wiki database) and return its URL."""
        answer = subprocess.run(
            [sys.executable, "-W", "ignore", "-m", "wikiapp.embedded_pg", "url"],
            env={**os.environ, "WIKI_PGDATA": str(self.directory)},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        self.url = answer.stdout.strip().splitlines()[-1]
        self.pid = int((self.directory / "postmaster.pid").read_text().split()[0])
        return self.url

    def stop(self) -> None:
        """A fast shutdown, as `make stop-db` does: sessions are ended, not waited for."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pgserver's import warns when XDG_RUNTIME_DIR is unset
            embedded_pg.stop(self.directory)

    def kill(self) -> None:
        """Teardown: stop it, and kill the postmaster by PID if it outlived the stop."""
        pid_file = self.directory / "postmaster.pid"
        if self.pid is None and pid_file.exists():  # started by someone else's command
            self.pid = abs(int(pid_file.read_text().split()[0]))
        with contextlib.suppress(Exception):
            self.stop()
        if self.pid is not None:
            with contextlib.suppress(psutil.NoSuchProcess):
                postmaster = psutil.Process(self.pid)
                if postmaster.name() == "postgres":
                    postmaster.send_signal(signal.SIGKILL)
                    postmaster.wait(10)

    def database_url(self, name: str) -> str:
        return urllib.parse.urlsplit(self.url)._replace(path=f"/{name}").geturl()

    def connect(self, name: str = embedded_pg.DATABASE_NAME) -> psycopg.Connection:
        return psycopg.connect(self.database_url(name), autocommit=True)


class LiveWiki:
    def __init__(self, root: Path):
        self.postgres = PrivatePostgres(root / "pgdata")
        self.media = root / "media"
        self.gunicorn: server.Gunicorn | None = None

    @property
    def base_url(self) -> str:
        return self.gunicorn.base_url

    def env(self) -> dict[str, str]:
        return {**server.production_env(self.postgres.url), "WIKI_MEDIA_ROOT": str(self.media)}

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            cwd=BASE_DIR,
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def run_django(self, code: str) -> str:
        """Run Python in the app's Django (actions and models), against this database."""
        return self.manage("shell", "--no-imports", "-c", PREAMBLE + code)

    def serve(self) -> None:
        # bench.load.server.Gunicorn passes this process's environment on to gunicorn.
        with _environment(self.env()):
            self.gunicorn = server.Gunicorn(server.free_port())
            self.gunicorn.start()

    def server_pids(self) -> list[int]:
        """gunicorn's master and workers, to tell the same processes from new ones."""
        return sorted(process.pid for process in self.gunicorn.processes())

    def stop(self) -> None:
        if self.gunicorn is not None:
            self.gunicorn.stop()
        self.postgres.kill()


_collected: list[bool] = []


@contextlib.contextmanager
def live_wiki(setup: str = "", *, serve: bool = True) -> Iterator[LiveWiki]:
    # A short path: PostgreSQL's socket lives in the data directory.
    root = Path(tempfile.mkdtemp(prefix="wiki-live-"))
    wiki = LiveWiki(root)
    try:
        wiki.postgres.start()
        wiki.manage("migrate", "--no-input", "-v", "0")
        if setup:
            wiki.run_django(setup)
        if serve:
            if not _collected:
                # Into the checkout's var/static, once a run: the same files every time.
                wiki.manage("collectstatic", "--no-input", "-v", "0")
                _collected.append(True)
            wiki.serve()
        yield wiki
    finally:
        wiki.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


class Browser:
    """One person's cookies against the live app, over http.client: each request a new
    connection with a time limit, redirects returned rather than followed."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in answer.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        headers = {name.lower(): value for name, value in answer.getheaders()}
        return Response(answer.status, headers, text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, fields)

    def form(self, path: str, field: str) -> tuple[Response, dict[str, str]]:
        """GET `path`; the fields of its form that has `field`, as a browser would send them."""
        page = self.get(path)
        if page.status != 200:
            return page, {}
        return page, next((f for f in forms(page.text) if field in f), {})

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        _, fields = self.form("/accounts/login/", "csrfmiddlewaretoken")
        fields |= {"username": username, "password": password}
        answer = self.post("/accounts/login/", fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"{username} could not log in: {answer.status}")


class _FormParser(html.parser.HTMLParser):
    """The named inputs and textareas of each <form>, with their values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif self.forms and tag == "input" and attributes.get("name"):
            if attributes.get("type") not in {"checkbox", "radio", "submit"}:
                self.forms[-1][attributes["name"]] = attributes.get("value") or ""
        elif self.forms and tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self.forms[-1][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def forms(text: str) -> list[dict[str, str]]:
    parser = _FormParser()
    parser.feed(text)
    return parser.forms


@dataclass(frozen=True)
class StoredRevision:
    number: int
    message: str
    body: str
    author: str


@dataclass(frozen=True)
class StoredPage:
    slug: str
    version: int
    current: int | None  # the number of the revision page.current points to
    revisions: tuple[StoredRevision, ...]

    @property
    def whole(self) -> bool:
        """Revisions numbered 1..N without a gap, and the page showing number N."""
        numbers = [revision.number for revision in self.revisions]
        return numbers == list(range(1, len(numbers) + 1)) and self.current == self.version == (
            numbers[-1] if numbers else None
        )


def stored_pages(postgres: PrivatePostgres, space: str) -> dict[str, StoredPage]:
    """What the database holds for each page of `space`, read directly with SQL."""
    with postgres.connect() as connection:
        pages = connection.execute(
            """SELECT p.id, p.slug, p.version, c.number FROM wikiapp_page p
               JOIN wikiapp_space s ON s.id = p.space_id
               LEFT JOIN wikiapp_revision c ON c.id = p.current_id
               WHERE s.slug = %s""",
            [space],
        ).fetchall()
        rows = connection.execute(
            """SELECT r.page_id, r.number, r.message, r.body, coalesce(u.username, '')
               FROM wikiapp_revision r LEFT JOIN auth_user u ON u.id = r.author_id
               ORDER BY r.page_id, r.number"""
        ).fetchall()
    revisions: dict[int, list[StoredRevision]] = {}
    for page_id, *values in rows:
        revisions.setdefault(page_id, []).append(StoredRevision(*values))
    return {
        slug: StoredPage(slug, version, current, tuple(revisions.get(page_id, [])))
        for page_id, slug, version, current in pages
    }
