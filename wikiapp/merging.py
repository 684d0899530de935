"""Three-way merge of a page edit against the revision saved meanwhile.

base is what the editor started from, theirs is the page as saved since, mine is
the editor's text. Text merges line by line with merge3; the title and each
structured field merge as single values: a change on one side wins, the same
change on both sides is fine, different changes on both sides conflict.
"""

from dataclasses import dataclass, field

import merge3

_MISSING = object()


@dataclass
class MergeOutcome:
    title: str
    body: str
    fields: dict
    # Human-readable names of what conflicted: "title", "body", "field owner", ...
    conflicts: list[str] = field(default_factory=list)
    # For a body conflict: (base, theirs, mine) line runs of each conflicting region.
    body_regions: list[tuple[list[str], list[str], list[str]]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _lines(text: str) -> list[str]:
    # Every line ends in "\n" so an edit to the last line is not a spurious conflict.
    return [line + "\n" for line in text.split("\n")]


def merge_text(base: str, theirs: str, mine: str) -> tuple[str | None, list]:
    """Merged text, or None and the conflicting regions."""
    if theirs == mine or mine == base:
        return theirs, []
    if theirs == base:
        return mine, []
    merger = merge3.Merge3(_lines(base), _lines(theirs), _lines(mine))
    merged: list[str] = []
    regions = []
    for region in merger.merge_regions():
        kind = region[0]
        if kind == "unchanged":
            merged.extend(merger.base[region[1] : region[2]])
        elif kind in ("a", "same"):
            merged.extend(merger.a[region[1] : region[2]])
        elif kind == "b":
            merged.extend(merger.b[region[1] : region[2]])
        else:
            _, b0, b1, a0, a1, m0, m1 = region
            regions.append((merger.base[b0:b1], merger.a[a0:a1], merger.b[m0:m1]))
    if regions:
        return None, regions
    return "".join(merged)[:-1], []


def merge_value(base, theirs, mine):
    """(merged value, conflicted?) for one scalar value."""
    if theirs == mine or mine == base:
        return theirs, False
    if theirs == base:
        return mine, False
    return mine, True


def three_way(
    *, base: tuple[str, str, dict], theirs: tuple[str, str, dict], mine: tuple[str, str, dict]
) -> MergeOutcome:
    """Merge (title, body, fields) triples."""
    conflicts: list[str] = []
    title, clash = merge_value(base[0], theirs[0], mine[0])
    if clash:
        conflicts.append("title")
    body, regions = merge_text(base[1], theirs[1], mine[1])
    if regions:
        conflicts.append("body")
    fields: dict = {}
    for key in sorted(set(base[2]) | set(theirs[2]) | set(mine[2])):
        value, clash = merge_value(
            base[2].get(key, _MISSING), theirs[2].get(key, _MISSING), mine[2].get(key, _MISSING)
        )
        if clash:
            conflicts.append(f"field {key}")
        if value is not _MISSING:
            fields[key] = value
    return MergeOutcome(
        title=title,
        body=body if body is not None else mine[1],
        fields=fields,
        conflicts=conflicts,
        body_regions=regions,
    )
