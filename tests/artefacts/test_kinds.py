"""The kind registry and its field validation, without the database."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from artefacts import kinds

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_lists_the_seven_artefacts_in_menu_order():
    assert [k.key for k in kinds.artefacts()] == [
        "working_agreement",
        "goal",
        "backlog",
        "definition_of_done",
        "decision",
        "retrospective",
        "runbook",
    ]
    assert kinds.get("nonsense") is kinds.PLAIN


def test_every_kind_has_a_distinct_list_address_and_go_key():
    artefacts = kinds.artefacts()
    assert len({k.list_slug for k in artefacts}) == 7
    assert len({k.go_key for k in artefacts}) == 7
    assert all(k.menu for k in artefacts)


def test_the_keyboard_script_knows_every_kinds_go_key():
    script = (ROOT / "static" / "js" / "wiki.js").read_text()
    letters = set(re.findall(r'run: goTo\("(\w)"\)', script))
    assert {k.go_key for k in kinds.artefacts()} <= letters


def test_it_normalises_goal_fields():
    goal = kinds.get("goal")
    cleaned = goal.clean_fields(
        {
            "objective": "Faster pages",
            "owner": "@ada",
            "status": "At Risk",
            "target_date": "2027-03-31",
            "key_results": "p95 under 50 ms | 40%\nNo P1 incidents | 100",
        }
    )
    assert cleaned == {
        "objective": "Faster pages",
        "owner": "ada",
        "status": "at risk",
        "target_date": "2027-03-31",
        "key_results": [
            {"measure": "p95 under 50 ms", "progress": 40},
            {"measure": "No P1 incidents", "progress": 100},
        ],
    }


def test_cleaning_is_idempotent_so_stored_values_validate_again():
    goal = kinds.get("goal")
    once = goal.clean_fields({"objective": "x", "status": "done", "key_results": "a | 5"})
    assert goal.clean_fields(once) == once


def test_it_reports_every_bad_field_at_once():
    with pytest.raises(ValidationError) as caught:
        kinds.get("goal").clean_fields(
            {"status": "meh", "target_date": "next week", "key_results": "x | 140"}
        )
    errors = caught.value.message_dict
    assert errors["objective"] == ["Objective is required."]
    assert "must be one of" in errors["status"][0]
    assert "date like" in errors["target_date"][0]
    assert "row 1" in errors["key_results"][0]


def test_required_fields_may_be_missing_when_not_required():
    assert kinds.get("decision").clean_fields({}, require=False) == {}


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("backlog", {"items": "Fix login | ada | urgent"}, "Priority must be one of"),
        ("backlog", {"items": "Fix login | | high | todo | javascript:alert(1)"}, "http or https"),
        (
            "retrospective",
            {"date": "2026-11-20", "action_items": "Do it | bob | maybe"},
            "yes or no",
        ),
        ("decision", {"date": "2026-11-20", "status": "accepted", "owner": "a b"}, "username"),
    ],
)
def test_it_refuses_malformed_values(kind, data, message):
    with pytest.raises(ValidationError) as caught:
        kinds.get(kind).clean_fields(data)
    assert message in " ".join(caught.value.messages)


def test_rows_round_trip_through_their_text_form():
    items = kinds.get("backlog").field("items")
    value = items.clean("Fix login | ada | high | doing | https://tracker.example/T-1\nTidy up")
    assert items.clean(items.as_text(value)) == value
    assert value[1] == {
        "title": "Tidy up",
        "owner": None,
        "priority": None,
        "status": None,
        "ticket": None,
    }
