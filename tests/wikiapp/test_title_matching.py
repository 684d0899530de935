"""Title matching for the command palette: prefixes, order, permissions, query count."""

import pytest

from wikiapp import actions
from wikiapp.search import match_titles

pytestmark = pytest.mark.django_db


def make(space, people, title: str):
    return actions.create_page(space=space, title=title, author=people.editor)


def test_it_matches_titles_by_prefix_and_word_prefixes(space, people, page):
    for query in ["work", "work agr", "agree", "WORKING AGREEMENT", "agr-work", "work_agr"]:
        assert [p.title for p in match_titles(people.reader, query)] == ["Working agreement"]
    assert match_titles(people.reader, "work disagree") == []
    assert match_titles(people.reader, "orking") == []


def test_it_orders_title_matches_exact_then_starting_then_closest_then_shortest(space, people):
    for title in ["Retro notes archive", "Old retro", "Retro", "Retro notes"]:
        make(space, people, title)
    assert [p.title for p in match_titles(people.reader, "retro")] == [
        "Retro",
        "Retro notes",
        "Retro notes archive",
        "Old retro",
    ]
    assert [p.title for p in match_titles(people.reader, "notes ret")] == [
        "Retro notes",
        "Retro notes archive",
    ]


def test_among_equal_title_matches_the_shorter_comes_first(space, people):
    make(space, people, "Architecture notes")
    make(space, people, "Weekly notes")
    assert [p.title for p in match_titles(people.reader, "notes")] == [
        "Weekly notes",
        "Architecture notes",
    ]


def test_it_limits_title_matches(space, people):
    for n in range(5):
        make(space, people, f"Runbook {n}")
    assert len(match_titles(people.reader, "runbook", limit=3)) == 3


def test_it_matches_titles_only_in_the_users_spaces(space, people, page, other_space):
    actions.create_page(space=other_space, title="Working hours", author=people.outsider)
    assert [p.title for p in match_titles(people.reader, "work")] == ["Working agreement"]
    assert [p.title for p in match_titles(people.outsider, "work")] == ["Working hours"]


@pytest.mark.parametrize("query", ["", "   ", "&|!:*()'", "<-> \x00 ::", "__ -"])
def test_it_runs_no_query_for_a_title_search_without_words(
    query, space, people, page, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert match_titles(people.reader, query) == []


def test_it_matches_titles_in_one_query_with_their_spaces(space, people, django_assert_num_queries):
    for n in range(12):
        make(space, people, f"Decision {n}")
    with django_assert_num_queries(1):
        found = match_titles(people.reader, "decision")
        assert [p.space.name for p in found] == ["Team"] * 10


def test_operators_in_a_title_search_are_taken_as_text(space, people, page):
    assert [p.title for p in match_titles(people.reader, "work:* | !agreement")] == [
        "Working agreement"
    ]
