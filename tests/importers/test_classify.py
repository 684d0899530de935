"""Kind classification of imported pages, and mapping source properties onto fields."""

import pytest

from importers.classify import classify, map_fields
from wikiapp import validation


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("ADR-007 Use PostgreSQL", "decision"),
        ("Decision log", "decision"),
        ("Definition of Done", "definition_of_done"),
        ("Team working agreement", "working_agreement"),
        ("Sprint 12 retrospective", "retrospective"),
        ("Postmortem: outage on March 3", "retrospective"),
        ("Runbook: restore the database", "runbook"),
        ("On-call handbook", "runbook"),
        ("Q3 OKRs", "goal"),
        ("Product backlog", "backlog"),
        ("Meeting notes", "page"),
        ("Goalkeeper training", "page"),
    ],
)
def test_it_classifies_by_title(title, kind):
    assert classify(title) == kind


def test_it_classifies_by_the_shape_of_the_text():
    adr = "## Context\nSlow.\n\n## Decision\nCache it.\n\n## Consequences\nStale data.\n"
    assert classify("Caching", adr) == "decision"
    assert classify("Sprint 4", "What went well: a lot. To improve: estimates.") == "retrospective"


def test_a_database_with_decision_columns_holds_decisions():
    assert classify("Architecture", columns=["Name", "Status", "Owner", "Date"]) == "decision"
    assert classify("Reading list", columns=["Name", "Status", "Date"]) == "page"


def test_it_maps_properties_onto_the_kinds_fields():
    fields, warnings = map_fields(
        "decision",
        {"Status": "Accepted", "Deciders": "ada", "Date": "2024-12-04", "Tags": ["db", "infra"]},
    )
    assert fields == {
        "status": "accepted",
        "owner": "ada",
        "date": "2024-12-04",
        "tags": ["db", "infra"],
    }
    assert warnings == []


def test_a_value_the_kind_cannot_take_is_kept_and_reported():
    fields, warnings = map_fields(
        "decision", {"Status": "Maybe later", "Owner": "Ann Lee"}, path="ADRs/Row.md"
    )
    # Under another name, so the page still saves with a valid decision status (none).
    assert fields == {"source_status": "Maybe later", "source_owner": "Ann Lee"}
    assert validation.clean_fields(fields, kind="decision") == fields
    assert warnings[0].path == "ADRs/Row.md"
    assert "Status" in warnings[0].reason
