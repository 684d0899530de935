"""Storing a neutral tree: through the actions, all or nothing, and re-importable."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from importers.models import ImportedPage
from importers.tree import SourceAttachment, SourcePage, SourceRevision, SourceTree
from importers.writer import store_tree
from wikiapp.models import Attachment, Page, Revision

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2021, 5, 4, 9, 30, tzinfo=datetime.UTC)


def rev(title, body, version, author="Jane Doe", days=0):
    return SourceRevision(
        title=title,
        body=body,
        author=author,
        version=version,
        created_at=WHEN + datetime.timedelta(days=days),
        message=f"v{version} note",
    )


def make_tree() -> SourceTree:
    child = SourcePage(
        source_id="102",
        path="Team/Runbooks",
        kind="runbook",
        fields={"trigger": "API down", "steps": [{"step": "Restart"}]},
        revisions=[rev("Restart the API", "Do it.", "1")],
        attachments=[SourceAttachment(name="diagram.png", size=4, read=lambda: b"\x89PNG")],
    )
    root = SourcePage(
        source_id="101",
        path="Team",
        revisions=[
            rev("Team home", "First", "1"),
            rev("Team home", "Second", "2", days=3, author="Sam Roe"),
        ],
        children=[child],
    )
    return SourceTree(source="confluence", roots=[root])


def test_it_stores_pages_history_and_attachments_with_their_provenance(space, people):
    result = store_tree(tree=make_tree(), space=space, author=people.admin)
    assert (result.pages_created, result.revisions, result.attachments) == (2, 3, 1)
    home = Page.objects.get(space=space, title="Team home")
    runbook = Page.objects.get(space=space, title="Restart the API")
    assert runbook.parent == home and runbook.kind == "runbook"
    assert runbook.fields["trigger"] == "API down"
    history = list(home.revisions.order_by("number"))
    assert [(r.body, r.author_label, r.source_version, r.origin) for r in history] == [
        ("First", "Jane Doe", "1", "import"),
        ("Second", "Sam Roe", "2", "import"),
    ]
    assert history[0].created_at == WHEN and history[0].source_id == "101"
    assert Attachment.objects.get(page=runbook).name == "diagram.png"
    assert result.kinds == {"page": 1, "runbook": 1}


def test_importing_the_same_export_again_creates_nothing_new(space, people):
    store_tree(tree=make_tree(), space=space, author=people.admin)
    again = store_tree(tree=make_tree(), space=space, author=people.admin)
    assert (again.pages_created, again.pages_updated, again.revisions, again.attachments) == (
        0,
        0,
        0,
        0,
    )
    assert Page.objects.filter(space=space).count() == 2
    assert Revision.objects.filter(page__space=space).count() == 3
    assert ImportedPage.objects.filter(space=space).count() == 2


def test_a_newer_export_adds_only_the_new_revisions(space, people):
    store_tree(tree=make_tree(), space=space, author=people.admin)
    newer = make_tree()
    newer.roots[0].revisions.append(rev("Team home", "Third", "3", days=9))
    result = store_tree(tree=newer, space=space, author=people.admin)
    assert (result.pages_created, result.pages_updated, result.revisions) == (0, 1, 1)
    home = Page.objects.get(space=space, title="Team home")
    assert home.version == 3 and home.current.body == "Third"


def test_a_failure_anywhere_stores_nothing(space, people):
    tree = make_tree()
    tree.roots[0].children.append(
        SourcePage(source_id="103", path="Team/Broken", revisions=[rev("Bad\x00title", "x", "1")])
    )
    with pytest.raises(ValidationError) as caught:
        store_tree(tree=tree, space=space, author=people.admin)
    assert "Team/Broken" in " ".join(caught.value.messages)
    assert not Page.objects.filter(space=space).exists()
    assert not ImportedPage.objects.exists()


def test_an_unusable_attachment_is_a_warning_not_a_failure(space, people, settings):
    settings.WIKI_MAX_UPLOAD_BYTES = 2
    result = store_tree(tree=make_tree(), space=space, author=people.admin)
    assert result.attachments == 0
    assert result.warnings[0].path == "Team/Runbooks/diagram.png"
    assert "at most 2 bytes" in result.warnings[0].reason
    assert Page.objects.filter(space=space).count() == 2


def test_links_to_pages_stored_later_in_the_tree_show_as_links(space, people, client_as):
    later = SourcePage(source_id="2", revisions=[rev("Later page", "Here.", "1")])
    first = SourcePage(
        source_id="1",
        revisions=[rev("First page", "See [[Later page]] and ![chart](chart.png).", "1")],
        children=[later],
    )
    store_tree(tree=SourceTree(source="notion", roots=[first]), space=space, author=people.admin)
    html = client_as(people.reader).get("/s/team/first-page/").content.decode()
    assert '<a class="wikilink" href="/s/team/later-page/"' in html
    assert 'src="/s/team/first-page/files/chart.png"' in html
