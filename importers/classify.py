"""Which kind an imported page is, from its title, its text and (Notion) its columns.

Heuristics, deliberately simple and listed here in one place; an admin can change a
page's kind afterwards. Order matters: the first kind whose rule matches wins.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from artefacts import kinds
from importers.tree import Warning

_TITLE_RULES: list[tuple[str, re.Pattern]] = [
    ("decision", re.compile(r"\b(adr[-\s]?\d*|decision( log| record)?s?|architecture decision)\b")),
    ("definition_of_done", re.compile(r"\b(definition of done|dod)\b")),
    (
        "working_agreement",
        re.compile(r"\b(working agreements?|team (agreement|charter)|ways of working)\b"),
    ),
    ("retrospective", re.compile(r"\b(retro(spective)?s?|lessons learned|post[- ]?mortem)\b")),
    (
        "runbook",
        re.compile(
            r"\b(runbooks?|playbooks?|on[- ]?call|incident response"
            r"|how to (restart|restore|rotate|deploy))\b"
        ),
    ),
    ("goal", re.compile(r"\b(okrs?|goals?|objectives?( and key results)?|key results)\b")),
    ("backlog", re.compile(r"\b(backlog|to-?do list|task list)\b")),
]

# Text that gives a kind away even when the title does not.
_BODY_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("decision", ("## context", "## decision", "## consequences")),
    ("retrospective", ("went well", "to improve")),
    ("runbook", ("## steps", "## trigger")),
]

# Column names (casefolded) that mean a field of a kind, for Notion databases and properties.
FIELD_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "decision": {
        "status": ("status", "state"),
        "owner": ("owner", "deciders", "decider", "decided by", "author"),
        "date": ("date", "decided", "decision date", "created"),
    },
    "goal": {
        "owner": ("owner", "assignee", "responsible"),
        "status": ("status", "health"),
        "target_date": ("target date", "due", "due date", "deadline", "date"),
        "objective": ("objective", "goal"),
    },
    "runbook": {
        "owner": ("owner", "maintainer"),
        "trigger": ("trigger", "when", "when to use"),
        "last_exercised": ("last exercised", "last tested", "last run", "tested"),
    },
    "retrospective": {"date": ("date",), "facilitator": ("facilitator", "host")},
    "working_agreement": {"owner": ("owner",), "review_by": ("review by", "review date")},
    "definition_of_done": {"scope": ("scope", "applies to")},
}


def classify(title: str, body: str = "", *, columns: Iterable[str] = ()) -> str:
    """The kind key for a page; "page" when nothing matches."""
    folded_title = title.casefold()
    for key, pattern in _TITLE_RULES:
        if pattern.search(folded_title):
            return key
    names = {c.strip().casefold() for c in columns}
    if names and _has_all_fields(names, "decision"):
        return "decision"
    folded_body = body.casefold()
    for key, needles in _BODY_RULES:
        if all(needle in folded_body for needle in needles):
            return key
    return "page"


def _has_all_fields(names: set[str], kind: str) -> bool:
    """Every field of the kind has a column: Status, Owner and Date make a decision log."""
    return all(any(a in names for a in options) for options in FIELD_ALIASES[kind].values())


def map_fields(kind_key: str, properties: dict, *, path: str = "") -> tuple[dict, list[Warning]]:
    """The kind's fields found among source `properties`, cleaned; the rest kept as they are.

    A value the kind cannot take (a status it does not know, say) stays under its source
    name and is reported, so nothing from the export is lost.
    """
    kind = kinds.get(kind_key)
    aliases = FIELD_ALIASES.get(kind_key, {})
    folded = {str(name).strip().casefold(): name for name in properties}
    fields: dict = {}
    used: set = set()
    warnings: list[Warning] = []
    for field_name, options in aliases.items():
        source = next((folded[o] for o in options if o in folded), None)
        if source is None or source in used:
            continue
        value = properties[source]
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        try:
            cleaned = kind.field(field_name).clean(value, require=False)
        except ValidationError as error:
            warnings.append(Warning(path, f"{source}: {' '.join(error.messages)} (kept as is)"))
            continue
        if cleaned is not None:
            fields[field_name] = cleaned
            used.add(source)
    own = {f.name for f in kind.fields}
    extra = {}
    for name, value in properties.items():
        if name in used:
            continue
        key = _key(name)
        # A kept value must not pose as the kind's field it failed to be.
        extra[f"source_{key}" if key in own else key] = value
    return {**extra, **fields}, warnings


def _key(name) -> str:
    return re.sub(r"\W+", "_", str(name).strip().casefold()).strip("_") or "field"
