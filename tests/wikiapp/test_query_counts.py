"""Query counts of the main views, pinned: none may grow with the amount of data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wikiapp import actions

pytestmark = pytest.mark.django_db

# view path (under a space called "team") -> most queries it may run, including the
# session and user lookups every logged-in request pays for.
BUDGET = {
    "/": 3,
    # session, user, space, tree stamp, and the tree when the stamp is new
    "/s/team/": 5,
    "/s/team/-/members/": 4,
    "/s/team/working-agreement/": 6,
    "/s/team/working-agreement/edit/": 3,
    "/s/team/working-agreement/history/": 5,
    "/s/team/working-agreement/diff/?from=1&to=30": 5,
    "/s/team/working-agreement/v/2/": 4,
    "/s/team/working-agreement/attachments/": 4,
    # 30 matches: session, user, the index setting, the ids in rank order, one page of 20
    # of them, the spaces and kinds to filter by.
    "/search/?q=child+or+grandchild": 7,
}


@pytest.fixture
def busy_space(space, people, page):
    """A page with a long history, many children and attachments, in a space of many pages."""
    for n in range(2, 31):
        actions.save_revision(
            page=page, base_version=n - 1, title=page.title, body=f"v{n}\n", author=people.editor
        )
    for n in range(15):
        child = actions.create_page(
            space=space, title=f"Child {n}", parent=page, author=people.editor
        )
        actions.create_page(space=space, title=f"Grandchild {n}", parent=child, author=people.admin)
        actions.add_attachment(
            page=page, upload=SimpleUploadedFile(f"f{n}.txt", b"x"), author=people.editor
        )
    return space


@pytest.mark.parametrize("path", list(BUDGET))
def test_each_main_view_runs_a_fixed_small_number_of_queries(
    path, busy_space, people, client_as, django_assert_max_num_queries
):
    client = client_as(people.admin)
    with django_assert_max_num_queries(BUDGET[path]):
        response = client.get(path)
    assert response.status_code == 200
