"""Space members and roles, managed by space admins."""

import pytest

from wikiapp.models import Membership

pytestmark = pytest.mark.django_db


def test_it_lists_members_with_their_roles(people, space, client_as):
    html = client_as(people.reader).get("/s/team/-/members/").content.decode()
    assert "ada" in html and "eddie" in html and "rita" in html
    assert "Add a member" not in html


def test_an_admin_adds_a_member(people, space, client_as):
    response = client_as(people.admin).post(
        "/s/team/-/members/", {"username": "otto", "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(space=space, user=people.outsider).role == "editor"


def test_an_admin_changes_a_role_and_removes_a_member(people, space, client_as):
    client = client_as(people.admin)
    client.post("/s/team/-/members/", {"user": people.reader.pk, "role": "editor"})
    assert Membership.objects.get(space=space, user=people.reader).role == "editor"
    client.post("/s/team/-/members/", {"user": people.reader.pk, "role": "remove"})
    assert not Membership.objects.filter(space=space, user=people.reader).exists()


def test_it_refuses_an_unknown_username_with_a_message(people, space, client_as):
    response = client_as(people.admin).post(
        "/s/team/-/members/", {"username": "nobody", "role": "reader"}
    )
    assert response.status_code == 400
    assert b"There is no user called" in response.content


def test_the_last_admin_cannot_step_down(people, space, client_as):
    response = client_as(people.admin).post(
        "/s/team/-/members/", {"user": people.admin.pk, "role": "reader"}
    )
    assert response.status_code == 400
    assert Membership.objects.get(space=space, user=people.admin).role == "admin"


def test_editors_cannot_change_members(people, space, client_as):
    response = client_as(people.editor).post(
        "/s/team/-/members/", {"username": "otto", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=people.outsider).exists()
