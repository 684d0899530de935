"""Hostile page saves and attachment uploads through the real forms.

Each input goes to the create form, the edit form or the attachment form as an editor would
send it. What the wiki must refuse gets a 400 with a readable reason and stores nothing;
what it can make safe (a path in a file name, a NUL a browser would never send) is stored
made safe. Never a server error, and always within a time and memory bound.
"""

import random
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from tests.check.hostile import DEEP_LIST, HUGE_TITLE, MEMORY_LIMIT, bounded, stored
from wikiapp.models import Attachment, Page

pytestmark = pytest.mark.django_db

OVER_LIMIT = "x" * (settings.WIKI_MAX_BODY_CHARS + 1)
# Refused by the form: (title, body, what the editor is told).
REFUSED_PAGES = {
    "1 MB title": (HUGE_TITLE, "Body", "at most 200 characters"),
    "NUL in a title": ("Ti\0tle", "Body", "Null characters are not allowed"),
    "NUL in a body": ("Title", "a\0b", "Null characters are not allowed"),
    "body over the size limit": ("Title", OVER_LIMIT, "at most 200000 characters"),
}
BOUNDARY = "hostile-boundary"


@pytest.fixture
def editor(people, space) -> Client:
    client = Client(raise_request_exception=False)  # a crash must show as a 500, counted
    client.force_login(people.editor)
    return client


def create(client: Client, title: str, body: str):
    return client.post("/s/team/-/new/", {"title": title, "body": body})


def edit(client: Client, page: Page, title: str, body: str):
    form = {"title": title, "body": body, "base_version": page.version}
    return client.post(f"{page.get_absolute_url()}edit/", form)


def send_file(client: Client, page: Page, name: bytes, content: bytes):
    """The attachment form's request, its file name exactly these bytes, as a client may send."""
    body = (
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + name
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return client.generic(
        "POST",
        f"{page.get_absolute_url()}attachments/",
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def errors(response) -> list[str]:
    return re.findall(r'class="(?:errorlist|error)[^>]*>(.*?)</', response.content.decode(), re.S)


def attempt(figures, send, *, refused: bool) -> tuple:
    """Send one hostile request under the guard; count it; the response and what it stored."""
    before = stored()
    with bounded() as memory:
        response = send()
    after = stored()
    changed = after != before
    figures.add(
        "hostile inputs",
        tried=1,
        stored=int(refused and changed),
        accepted_safely=int(not refused and changed),
        server_errors=int(response.status_code >= 500),
    )
    assert memory["peak"] < MEMORY_LIMIT
    return response, changed


@pytest.mark.parametrize("case", REFUSED_PAGES, ids=str)
def test_the_create_form_refuses_it_and_stores_nothing(case, editor, figures):
    title, body, message = REFUSED_PAGES[case]
    response, changed = attempt(figures, lambda: create(editor, title, body), refused=True)

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not changed


@pytest.mark.parametrize("case", REFUSED_PAGES, ids=str)
def test_the_edit_form_refuses_it_and_keeps_the_page(case, editor, page, figures):
    title, body, message = REFUSED_PAGES[case]
    response, changed = attempt(figures, lambda: edit(editor, page, title, body), refused=True)

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not changed
    page.refresh_from_db()
    assert page.version == 1


def test_a_body_over_the_request_limit_is_a_bad_request(editor, page, figures):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response, changed = attempt(figures, lambda: edit(editor, page, "Title", body), refused=True)

    assert response.status_code == 400
    assert "it may be too large or malformed). Nothing was saved." in response.content.decode()
    assert not changed


@pytest.mark.parametrize("form", ["create", "edit"])
def test_a_10000_level_list_is_saved_and_shown_as_plain_text(form, editor, page, figures):
    def send():
        if form == "create":
            return create(editor, "Deep", DEEP_LIST)
        return edit(editor, page, page.title, DEEP_LIST)

    response, changed = attempt(figures, send, refused=False)
    assert response.status_code == 302
    assert changed
    with bounded() as memory:
        shown = editor.get(response["Location"])
    assert shown.status_code == 200
    assert "<pre>- - - - " in shown.content.decode()  # plain text, not 10,000 nested lists
    assert memory["peak"] < MEMORY_LIMIT


# Refused by the attachment form: (file name as sent, what the editor is told).
REFUSED_NAMES = {
    # Django's parser drops a part whose headers it cannot decode.
    "invalid UTF-8 in the name": (b"report-\xff\xfe.pdf", "This field is required"),
    "1 MB name": (HUGE_TITLE.encode(), "it may be too large or malformed"),
    "a name that is only ..": (b"..", "This field is required"),
    "an escaped NUL": (b"report&#0;.pdf", "not valid UTF-8"),
}


@pytest.mark.parametrize("case", REFUSED_NAMES, ids=str)
def test_the_attachment_form_refuses_the_name(case, editor, page, figures):
    name, message = REFUSED_NAMES[case]
    response, changed = attempt(figures, lambda: send_file(editor, page, name, b"x"), refused=True)

    assert response.status_code == 400
    assert escape(message) in response.content.decode(), errors(response)
    assert not changed


# Made safe by Django's upload parser: (file name as sent, the name it is kept under).
SAFE_NAMES = {
    "zip-slip parent path": (b"../../../etc/passwd", "passwd"),
    "absolute path": (b"/etc/cron.d/evil", "evil"),
    "Windows path": (b"C:\\Windows\\System32\\evil.dll", "evil.dll"),
    "NUL in the name": (b"evil.txt\0.png", "evil.txt.png"),
    "300-character name": (HUGE_TITLE[:300].encode(), HUGE_TITLE[:255]),  # Django cuts it
}


@pytest.mark.parametrize("case", SAFE_NAMES, ids=str)
def test_a_file_name_is_made_safe_before_it_is_kept(case, editor, page, figures):
    name, kept = SAFE_NAMES[case]
    response, _ = attempt(figures, lambda: send_file(editor, page, name, b"data"), refused=False)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == kept
    media = Path(settings.MEDIA_ROOT).resolve()
    on_disk = Path(attachment.file.path).resolve()
    assert on_disk.is_relative_to(media / "attachments")
    assert on_disk.read_bytes() == b"data"


def test_an_upload_over_the_size_limit_is_refused(editor, page, settings, figures):
    settings.WIKI_MAX_UPLOAD_BYTES = 1024**2
    data = random.Random(3).randbytes(2 * 1024**2)
    response, changed = attempt(
        figures, lambda: send_file(editor, page, b"big.bin", data), refused=True
    )

    assert response.status_code == 400
    assert "attachments may be at most 1,048,576 bytes" in response.content.decode()
    assert not changed
