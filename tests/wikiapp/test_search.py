"""Full-text search: ranking, syntax, snippets, permissions, the page, query counts."""

import importlib

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wikiapp import actions, search
from wikiapp.models import Page, Role
from wikiapp.search import match_titles, search_pages

pytestmark = pytest.mark.django_db


def make(space, people, title: str, body: str = "", **extra) -> Page:
    return actions.create_page(space=space, title=title, body=body, author=people.editor, **extra)


def titles(results) -> list[str]:
    return [hit.page.title for hit in results]


# Ranking and syntax


def test_it_ranks_a_title_match_above_a_body_only_match(space, people):
    make(space, people, "Budget")
    make(space, people, "Notes", body="The budget is tight. More budget talk, budget budget.")
    assert titles(search_pages(people.reader, "budget")) == ["Budget", "Notes"]


def test_it_ranks_a_fields_match_above_a_body_only_match(space, people):
    make(space, people, "Goal one", fields={"owner": "Priya", "key_results": [{"measure": "x"}]})
    make(space, people, "Goal two", body="Priya wrote this. Ask Priya, Priya knows.")
    assert titles(search_pages(people.reader, "priya")) == ["Goal one", "Goal two"]


def test_it_breaks_rank_ties_by_the_most_recently_updated(space, people):
    first = make(space, people, "First", body="retro")
    make(space, people, "Second", body="retro")
    actions.save_revision(
        page=first, base_version=1, title="First again", body="retro", author=people.editor
    )
    assert titles(search_pages(people.reader, "retro")) == ["First again", "Second"]


def test_with_too_many_matches_it_ranks_and_shows_only_the_newest(
    space, people, monkeypatch, client_as
):
    monkeypatch.setattr(search, "RANK_AT_MOST", 3)
    for title in ["Deploy old", "Deploy older", "Notes a", "Notes b", "Deploy newest"]:
        make(space, people, title, body="deploy")
    found = search_pages(people.reader, "deploy")
    assert found.count() == 3 and found.more
    # The three newest, the title match first.
    assert titles(found) == ["Deploy newest", "Notes b", "Notes a"]
    html = client_as(people.reader).get("/search/?q=deploy").content.decode()
    assert "More than 3 pages match “deploy”: the 3 most recently changed" in html


def test_it_finds_a_word_in_every_page_through_the_index(space, people):
    for n in range(3):
        make(space, people, f"Page {n}", body="common")
    found = search_pages(people.reader, "common")
    with CaptureQueriesContext(connection) as queries:
        assert found.count() == 3
    setting, match = (query["sql"] for query in queries)
    assert setting == "SET LOCAL enable_seqscan = off"
    with connection.cursor() as cursor:  # the setting lasts as long as the test's transaction
        cursor.execute("EXPLAIN " + match)
        plan = " ".join(row[0] for row in cursor.fetchall())
    # Tiny tables get whichever index; the point is that no scan unpacks every vector.
    assert "Seq Scan on wikiapp_page" not in plan


def test_it_searches_field_values_at_any_depth_but_not_field_names(space, people):
    make(space, people, "Goals", fields={"key_results": [{"measure": "latency", "progress": 40}]})
    assert titles(search_pages(people.reader, "latency")) == ["Goals"]
    assert titles(search_pages(people.reader, "40")) == ["Goals"]
    assert titles(search_pages(people.reader, "measure")) == []


def test_it_matches_a_quoted_phrase_only_in_that_order(space, people):
    make(space, people, "Never on Fridays", body="We never deploy friday evenings.")
    make(space, people, "Release day", body="Friday: we deploy.")
    assert titles(search_pages(people.reader, '"deploy friday"')) == ["Never on Fridays"]
    assert len(titles(search_pages(people.reader, "deploy friday"))) == 2


def test_it_leaves_out_pages_with_an_excluded_word(space, people):
    make(space, people, "Office retro")
    make(space, people, "Remote retro")
    assert titles(search_pages(people.reader, "retro -remote")) == ["Office retro"]


def test_it_finds_either_word_with_or(space, people):
    make(space, people, "Kanban board")
    make(space, people, "Scrum guide")
    make(space, people, "Waterfall plan")
    assert sorted(titles(search_pages(people.reader, "kanban or scrum"))) == [
        "Kanban board",
        "Scrum guide",
    ]
    assert titles(search_pages(people.reader, "kanban scrum")) == []


def test_it_matches_other_forms_of_a_word(space, people):
    make(space, people, "Notes", body="The weekly meeting moved.")
    assert titles(search_pages(people.reader, "meetings")) == ["Notes"]


def test_it_runs_no_query_for_an_empty_search(space, people, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(search_pages(people.reader, "  \x00 ")) == []


# Highlighting


def test_it_marks_matches_in_the_snippet_and_escapes_the_body(space, people):
    make(
        space,
        people,
        "Plan",
        body="Budget notes <img src=x onerror=alert(1)> and <script>alert(2)</script> & more.",
    )
    [hit] = search_pages(people.reader, "budget")
    assert "<mark>Budget</mark>" in hit.snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet
    assert "<img" not in hit.snippet and "<script" not in hit.snippet
    assert "&amp; more" in hit.snippet


def test_it_takes_the_snippet_from_around_a_match_deep_in_a_long_page(space, people):
    filler = "Nothing to see in this paragraph at all.\n\n" * 200
    make(space, people, "Long", body=f"{filler}The rollback needs two people.\n\n{filler}")
    [hit] = search_pages(people.reader, "rollbacks")
    assert "<mark>rollback</mark> needs two people" in hit.snippet


def test_it_marks_matches_in_the_title_and_escapes_it(space, people):
    make(space, people, "Using <details> for budget tables")
    [hit] = search_pages(people.reader, "budget")
    assert hit.title == "Using &lt;details&gt; for <mark>budget</mark> tables"


# Permissions and filters


def test_it_shows_only_pages_of_the_users_spaces(space, people, page, other_space):
    actions.create_page(space=other_space, title="Secret agreement", author=people.outsider)
    assert titles(search_pages(people.reader, "agreement")) == ["Working agreement"]
    assert titles(search_pages(people.outsider, "agreement")) == ["Secret agreement"]


def test_a_space_filter_naming_a_space_the_user_is_not_in_finds_nothing(
    space, people, page, other_space
):
    actions.create_page(space=other_space, title="Secret agreement", author=people.outsider)
    assert titles(search_pages(people.reader, "agreement", space_slug="secret")) == []
    assert titles(search_pages(people.reader, "agreement", space_slug="nowhere")) == []


def test_it_filters_by_space(space, people, page, other_space):
    actions.set_role(space=other_space, user=people.reader, role=Role.READER, acting_user=None)
    actions.create_page(space=other_space, title="Secret agreement", author=people.outsider)
    assert len(titles(search_pages(people.reader, "agreement"))) == 2
    assert titles(search_pages(people.reader, "agreement", space_slug="secret")) == [
        "Secret agreement"
    ]


def test_superusers_search_every_space(space, page, other_space, people, django_user_model):
    actions.create_page(space=other_space, title="Secret agreement", author=people.outsider)
    root = django_user_model.objects.create_user("root", is_superuser=True)
    assert len(titles(search_pages(root, "agreement"))) == 2
    actions.create_page(space=other_space, title="Rb", kind="runbook", author=people.outsider)
    assert search.visible_kinds(root) == ["page", "runbook"]
    assert search.visible_kinds(people.reader) == ["page"]


def test_it_filters_by_kind(space, people):
    make(space, people, "Use Postgres", kind="decision")
    make(space, people, "Postgres notes")
    assert titles(search_pages(people.reader, "postgres", kind="decision")) == ["Use Postgres"]


# Keeping the vectors current


def test_the_vectors_follow_each_save(space, people, page):
    assert titles(search_pages(people.reader, "mondays")) == ["Working agreement"]
    actions.save_revision(
        page=page, base_version=1, title="Team charter", body="We meet on Tuesdays.", author=None
    )
    assert titles(search_pages(people.reader, "mondays")) == []
    assert titles(search_pages(people.reader, "tuesdays")) == ["Team charter"]
    assert titles(search_pages(people.reader, "agreement")) == []
    assert [p.title for p in match_titles(people.reader, "char")] == ["Team charter"]


def test_a_save_writes_the_vectors_in_the_page_update_it_already_does(space, people, page):
    with CaptureQueriesContext(connection) as captured:
        actions.save_revision(
            page=page, base_version=1, title=page.title, body="New text", author=people.editor
        )
    updates = [q["sql"] for q in captured if q["sql"].startswith('UPDATE "wikiapp_page"')]
    assert len(updates) == 1
    assert '"search_vector" = ' in updates[0] and '"title_vector" = ' in updates[0]
    # What the caller holds afterwards is the stored vector, not an expression to re-run.
    assert "'new':" in page.search_vector


def test_the_migration_fills_the_vectors_of_existing_pages(space, people):
    make(space, people, "Goals", body="Ship it.", fields={"owner": "Priya"})
    Page.objects.update(search_vector=None, title_vector=None)
    assert titles(search_pages(people.reader, "priya")) == []
    migration = importlib.import_module("wikiapp.migrations.0003_page_search_vectors")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_VECTORS, {"config": settings.WIKI_SEARCH_CONFIG})
    assert titles(search_pages(people.reader, "priya")) == ["Goals"]
    assert titles(search_pages(people.reader, "ship")) == ["Goals"]
    assert titles(search_pages(people.reader, "goal")) == ["Goals"]
    assert [p.title for p in match_titles(people.reader, "goa")] == ["Goals"]


# The search page


def test_it_shows_the_form_and_a_hint_without_a_query(
    space, people, page, client_as, django_assert_max_num_queries
):
    client = client_as(people.reader)
    with django_assert_max_num_queries(4):  # session, user, spaces, kinds
        response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-q"' in html and 'type="search"' in html and " autofocus" in html
    assert 'id="search-hint"' in html
    assert 'id="search-results"' not in html


def test_it_lists_results_with_link_space_kind_title_and_snippet(space, people, page, client_as):
    html = client_as(people.reader).get("/search/?q=mondays").content.decode()
    assert 'id="search-results"' in html
    assert f'class="result-link" href="/s/team/{page.slug}/"' in html
    assert "in Team" in html and '<span class="kind">page</span>' in html
    assert "We meet on <mark>Mondays</mark>" in html
    assert " autofocus" not in html


def test_its_form_works_with_and_without_javascript(space, people, client_as):
    html = client_as(people.reader).get("/search/?q=x").content.decode()
    assert 'method="get" action="/search/"' in html
    assert 'hx-get="/search/" hx-target="#search-results-wrap" hx-push-url="true"' in html
    # Not on the text box's change: leaving it for a result link would race the link.
    assert (
        'hx-trigger="submit, input changed delay:250ms from:#search-q, change from:#search-space'
        in html
    )
    assert 'id="search-results-wrap"' in html


def test_it_offers_only_the_users_spaces_and_their_kinds(space, people, other_space, client_as):
    make(space, people, "Use Postgres", kind="decision")
    actions.create_page(space=other_space, title="Hidden", kind="runbook", author=people.outsider)
    html = client_as(people.reader).get("/search/").content.decode()
    assert '<option value="team">Team</option>' in html
    assert "<option>decision</option>" in html
    assert "secret" not in html.lower() and "runbook" not in html


def test_it_never_shows_another_spaces_pages_even_when_asked_for_it(
    space, people, page, other_space, client_as
):
    actions.create_page(space=other_space, title="Secret agreement", author=people.outsider)
    client = client_as(people.reader)
    for url in ["/search/?q=agreement", "/search/?q=agreement&space=secret"]:
        assert "Secret agreement" not in client.get(url).content.decode()
    assert "No pages match" in client.get("/search/?q=agreement&space=secret").content.decode()


def test_it_serves_only_the_results_to_its_own_htmx_requests(space, people, page, client_as):
    response = client_as(people.reader).get("/search/?q=mondays", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="search-results"' in html and "<mark>Mondays</mark>" in html
    assert "<html" not in html and 'id="search-q"' not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_it_serves_the_whole_page_to_boosted_links_and_history_restores(
    header, space, people, page, client_as
):
    response = client_as(people.reader).get(
        "/search/?q=mondays", headers={"HX-Request": "true", header: "true"}
    )
    html = response.content.decode()
    assert "<html" in html and 'id="search-q"' in html and "<mark>Mondays</mark>" in html


def test_it_pages_twenty_results_at_a_time_keeping_the_filters(space, people, client_as):
    for n in range(25):
        make(space, people, f"Runbook {n}", kind="runbook")
    client = client_as(people.reader)
    first = client.get("/search/?q=runbook&space=team&kind=runbook").content.decode()
    assert first.count('class="result-link"') == 20
    assert "25 pages match" in first
    assert 'href="/search/?q=runbook&amp;space=team&amp;kind=runbook&amp;page=2"' in first
    second = client.get("/search/?q=runbook&space=team&kind=runbook&page=2").content.decode()
    assert second.count('class="result-link"') == 5
    assert 'href="/search/?q=runbook&amp;space=team&amp;kind=runbook&amp;page=1"' in second


def test_it_takes_a_nul_byte_in_any_parameter_as_text(space, people, page, client_as):
    response = client_as(people.reader).get("/search/?q=mon%00days&space=te%00am&kind=%00")
    assert response.status_code == 200


@pytest.fixture
def many_matches(space, people):
    for n in range(35):
        make(space, people, f"Runbook {n}", body=f"Step {n}: restart the service.", kind="runbook")


# session, user, the index setting, the ids shown in rank order, one page of them with
# their snippets; the full page also lists spaces and kinds.
@pytest.mark.parametrize(
    ("headers", "budget"), [({}, 7), ({"HX-Request": "true"}, 5)], ids=["page", "fragment"]
)
@pytest.mark.parametrize("number", [1, 2])
def test_a_page_of_results_runs_a_fixed_number_of_queries(
    headers, budget, number, many_matches, people, client_as, django_assert_max_num_queries
):
    client = client_as(people.reader)
    with django_assert_max_num_queries(budget):
        response = client.get(f"/search/?q=runbook&page={number}", headers=headers)
    assert response.content.decode().count('class="result-link"') == (20 if number == 1 else 15)
