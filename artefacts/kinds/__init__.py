"""The registry of page kinds: one module per kind, listed here in menu order.

Adding a kind: write a module next to these with a KIND, add it to _MODULES, and add
templates/artefacts/fields/<key>.html for how its fields show on the page.
"""

from artefacts.kinds import (
    backlog,
    decision,
    definition_of_done,
    goal,
    page,
    retrospective,
    runbook,
    working_agreement,
)
from artefacts.kinds.base import Field, Finding, Kind

_MODULES = (
    working_agreement,
    goal,
    backlog,
    definition_of_done,
    decision,
    retrospective,
    runbook,
    page,
)

KINDS: dict[str, Kind] = {module.KIND.key: module.KIND for module in _MODULES}
PLAIN = KINDS["page"]


def get(key: str) -> Kind:
    return KINDS.get(key, PLAIN)


def artefacts() -> list[Kind]:
    """The kinds a team's system is made of, in menu order (plain pages excluded)."""
    return [kind for kind in KINDS.values() if kind.is_artefact]


def by_list_slug(slug: str) -> Kind | None:
    return next((k for k in artefacts() if k.list_slug == slug), None)


__all__ = ["KINDS", "PLAIN", "Field", "Finding", "Kind", "artefacts", "by_list_slug", "get"]
