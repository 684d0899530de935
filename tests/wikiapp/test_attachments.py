"""Attachments: upload limits, listing, and safe downloads."""

import io
import os
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wikiapp import actions
from wikiapp.actions.files import attachment_path, discard_unreferenced
from wikiapp.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(client, page, name, content):
    return client.post(
        f"/s/team/{page.slug}/attachments/", {"file": SimpleUploadedFile(name, content)}
    )


def test_it_stores_an_upload_with_its_hash_and_size(people, page, client_as):
    response = upload(client_as(people.editor), page, "notes.txt", b"hello")
    assert response.status_code == 302
    attachment = Attachment.objects.get(page=page)
    assert attachment.name == "notes.txt"
    assert attachment.size == 5
    assert attachment.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


def test_it_refuses_a_file_over_the_limit_and_stores_nothing(people, page, client_as, settings):
    settings.WIKI_MAX_UPLOAD_BYTES = 10
    response = upload(client_as(people.editor), page, "big.bin", b"x" * 11)
    assert response.status_code == 400
    assert b"at most 10 bytes" in response.content
    assert not Attachment.objects.exists()


def test_it_refuses_a_second_file_with_the_same_name(people, page, client_as):
    client = client_as(people.editor)
    upload(client, page, "notes.txt", b"one")
    response = upload(client, page, "notes.txt", b"two")
    assert response.status_code == 400
    assert b"already has an attachment named" in response.content
    assert Attachment.objects.get().size == 3


def test_it_serves_real_images_inline(people, page, client_as):
    client = client_as(people.editor)
    upload(client, page, "chart.png", PNG)
    attachment = Attachment.objects.get()
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "fake.png"])
def test_it_serves_everything_else_as_a_sandboxed_download(people, page, client_as, name):
    client = client_as(people.editor)
    upload(client, page, name, b"<script>alert(1)</script>")
    attachment = Attachment.objects.get()
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_keeps_only_the_last_part_of_a_path_in_a_file_name(people, page, client_as):
    upload(client_as(people.editor), page, "C:\\Users\\me\\report.pdf", b"%PDF")
    assert Attachment.objects.get().name == "report.pdf"


def test_it_forbids_readers_to_upload(people, page, client_as):
    response = upload(client_as(people.reader), page, "x.txt", b"x")
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_page_text_can_show_an_attachment_by_its_name(people, page, client_as):
    client = client_as(people.editor)
    upload(client, page, "team chart.png", PNG)
    result = actions.save_revision(
        page=page,
        base_version=page.version,
        title=page.title,
        body="![The chart](<team chart.png>) and [the same](team%20chart.png)",
        author=people.editor,
    )
    url = f"/s/team/{page.slug}/files/team%20chart.png"
    assert f'src="{url}"' in result.revision.html
    assert f'href="{url}"' in result.revision.html
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_a_file_name_that_is_not_attached_answers_404(people, page, client_as):
    assert client_as(people.reader).get(f"/s/team/{page.slug}/files/nope.png").status_code == 404


def test_a_named_file_is_not_served_from_another_page(people, page, client_as):
    client = client_as(people.editor)
    upload(client, page, "notes.txt", b"secret")
    other = actions.create_page(space=page.space, title="Other", author=people.editor)
    assert client.get(f"/s/team/{other.slug}/files/notes.txt").status_code == 404


def test_the_preview_points_file_names_at_the_page_being_edited(people, page, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/preview/", {"body": "![x](a.png)", "page": page.slug}
    )
    assert f'src="/s/team/{page.slug}/files/a.png"' in response.content.decode()


def test_the_preview_knows_pages_with_long_addresses(people, space, client_as):
    long = actions.create_page(space=space, title="A" * 120, author=people.editor)
    response = client_as(people.editor).post(
        "/s/team/-/preview/", {"body": "![x](a.png)", "page": long.slug}
    )
    assert f'src="/s/team/{long.slug}/files/a.png"' in response.content.decode()


def test_the_preview_ignores_a_page_value_that_is_no_address(people, space, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/preview/", {"body": "![x](a.png)", "page": "../../x"}
    )
    assert 'src="a.png"' in response.content.decode()


def test_a_rolled_back_imports_clean_up_keeps_content_another_page_uses(people, page, space):
    kept = actions.add_attachment(
        page=page, upload=SimpleUploadedFile("a.txt", b"shared bytes"), author=people.editor
    )
    orphan = "0" * 64
    default_storage.save(attachment_path(orphan), SimpleUploadedFile("x", b"left over"))

    discard_unreferenced([kept.sha256, orphan])

    assert default_storage.exists(attachment_path(kept.sha256))
    assert not default_storage.exists(attachment_path(orphan))


def test_the_sweep_deletes_only_old_files_no_attachment_uses(people, page):
    kept = actions.add_attachment(
        page=page, upload=SimpleUploadedFile("a.txt", b"in use"), author=people.editor
    )
    old_orphan, new_orphan = "1" * 64, "2" * 64
    for sha256 in (old_orphan, new_orphan):
        default_storage.save(attachment_path(sha256), SimpleUploadedFile("x", b"left over"))
    two_days_ago = time.time() - 2 * 86400
    for sha256 in (kept.sha256, old_orphan):
        os.utime(default_storage.path(attachment_path(sha256)), (two_days_ago, two_days_ago))
    out = io.StringIO()

    call_command("sweep_files", "--dry-run", stdout=out)
    assert out.getvalue().split("\n")[:2] == [
        old_orphan,
        "Would delete 1 unreferenced attachment file(s).",
    ]
    assert default_storage.exists(attachment_path(old_orphan))

    call_command("sweep_files", stdout=io.StringIO())
    assert not default_storage.exists(attachment_path(old_orphan))
    assert default_storage.exists(attachment_path(kept.sha256))  # in use, however old
    assert default_storage.exists(attachment_path(new_orphan))  # its upload may be running
