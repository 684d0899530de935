"""Every wiki URL, for every role: outsiders see nothing, readers cannot write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from importers.models import ImportJob
from wikiapp import actions

pytestmark = pytest.mark.django_db

# url name -> (need for GET, need for POST); None: that method is not served.
NEEDS = {
    "home": ("login", None),
    "space_create": (None, "staff"),
    "space": ("read", None),
    "members": ("read", "admin"),
    "import": ("admin", "admin"),
    "import_job": ("admin", None),
    "import_report": ("admin", None),
    "import_again": (None, "admin"),
    "page_create": ("edit", "edit"),
    "preview": (None, "edit"),
    "page": ("read", None),
    "page_edit": ("edit", "edit"),
    "page_rename": ("edit", "edit"),
    "page_move": ("edit", "edit"),
    "history": ("read", None),
    "diff": ("read", None),
    "revision": ("read", None),
    "restore": ("edit", "edit"),
    "attachments": ("read", "edit"),
    "attachment": ("read", None),
    "attachment_named": ("read", None),
    "search": ("login", None),
    "palette": ("login", None),
    "kind_list": ("read", None),
    "agreement": ("read", None),
    "goals": ("read", None),
    "backlog": ("read", None),
    "done": ("read", None),
    "acknowledge": (None, "read"),
    "backlog_move": (None, "edit"),
    "health": ("read", "admin"),
    "joiner": ("read", None),
    "decision_list": ("read", None),
    "supersede": ("edit", "edit"),
    "runbook_list": ("read", None),
    "mark_exercised": ("edit", "edit"),
    "retro_list": ("read", None),
    "close_action_item": (None, "edit"),
    "page_kind": ("admin", "admin"),
}
RANK = {"anonymous": 0, "outsider": 0, "reader": 1, "editor": 2, "admin": 3}
NEED_RANK = {"read": 1, "edit": 2, "admin": 3}


def wiki_url_names() -> set[str]:
    namespace = get_resolver().namespace_dict["wiki"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)}


def test_the_table_covers_every_wiki_url():
    assert wiki_url_names() == set(NEEDS)


@pytest.fixture
def urls(space, people, page):
    attachment = actions.add_attachment(
        page=page, upload=SimpleUploadedFile("notes.txt", b"hello"), author=people.admin
    )
    job = ImportJob.objects.create(
        space=space, created_by=people.admin, source="notion", upload_name="old.zip"
    )
    page_args = [space.slug, page.slug]
    args = {
        "import": [space.slug],
        "import_job": [space.slug, job.pk],
        "import_report": [space.slug, job.pk],
        "import_again": [space.slug, job.pk],
        "home": [],
        "space_create": [],
        "search": [],
        "palette": [],
        "kind_list": [space.slug, "decisions"],
        "agreement": [space.slug],
        "goals": [space.slug],
        "backlog": [space.slug],
        "done": [space.slug],
        "health": [space.slug],
        "joiner": [space.slug],
        "decision_list": [space.slug],
        "runbook_list": [space.slug],
        "retro_list": [space.slug],
        "close_action_item": [*page_args, 0],
        "space": [space.slug],
        "members": [space.slug],
        "page_create": [space.slug],
        "preview": [space.slug],
        "attachment": [*page_args, attachment.pk, attachment.name],
        "attachment_named": [*page_args, attachment.name],
        "revision": [*page_args, 1],
        "restore": [*page_args, 1],
    }
    return {name: reverse(f"wiki:{name}", args=args.get(name, page_args)) for name in NEEDS}


def expected(role: str, need: str) -> set[int]:
    if role == "anonymous":
        return {302}
    if need == "login":
        return {200}
    if need == "staff":
        return {403}
    if role == "outsider":
        return {404}
    if RANK[role] >= NEED_RANK[need]:
        return {200, 302, 400}  # allowed: shown, done, or refused for its (empty) input
    return {403}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "reader", "editor", "admin"])
def test_every_url_answers_each_role_as_its_rights_allow(role, people, urls, client_as):
    user = None if role == "anonymous" else getattr(people, role)
    client = client_as(user)
    checked = 0
    for name, (get_need, post_need) in NEEDS.items():
        for method, need in (("get", get_need), ("post", post_need)):
            response = getattr(client, method)(urls[name])
            if need is None:
                allowed = {405} if role != "anonymous" else {302, 405}
                assert response.status_code in allowed, (name, method, role)
                continue
            assert response.status_code in expected(role, need), (
                name,
                method,
                role,
                response.status_code,
            )
            if role == "anonymous":
                assert response["Location"].startswith("/accounts/login/")
            checked += 1
    assert checked >= 20


def test_an_attachment_id_of_another_space_is_not_found_through_ones_own_space(
    space, people, page, client_as, django_user_model
):
    other_space = actions.create_space(slug="secret", name="Secret", created_by=people.outsider)
    secret_page = actions.create_page(space=other_space, title="Plans", author=people.outsider)
    secret = actions.add_attachment(
        page=secret_page, upload=SimpleUploadedFile("plans.txt", b"secret"), author=people.outsider
    )
    url = reverse("wiki:attachment", args=[space.slug, page.slug, secret.pk, secret.name])
    response = client_as(people.reader).get(url)
    assert response.status_code == 404


def test_an_import_job_of_another_space_is_not_found_through_ones_own_space(
    space, people, client_as
):
    other_space = actions.create_space(slug="secret", name="Secret", created_by=people.admin)
    secret = ImportJob.objects.create(
        space=other_space, created_by=people.admin, source="notion", upload_name="secret.zip"
    )
    for name in ("import_job", "import_report"):
        url = reverse(f"wiki:{name}", args=[space.slug, secret.pk])
        assert client_as(people.admin).get(url).status_code == 404


def test_staff_alone_reach_django_admin(people, client_as, django_user_model):
    assert client_as(people.admin).get("/admin/").status_code == 302
    staff = django_user_model.objects.create_user("sam", is_staff=True, is_superuser=True)
    assert client_as(staff).get("/admin/").status_code == 200


def test_django_admin_shows_wiki_data_read_only(people, page, client_as, django_user_model):
    staff = django_user_model.objects.create_user("sam", is_staff=True, is_superuser=True)
    client = client_as(staff)
    assert client.get("/admin/wikiapp/page/").status_code == 200
    detail = client.get(f"/admin/wikiapp/revision/{page.current.pk}/change/")
    assert detail.status_code == 200
    assert b'name="body"' not in detail.content  # shown, not editable
    assert client.get("/admin/wikiapp/page/add/").status_code == 403
