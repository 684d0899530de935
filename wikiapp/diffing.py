"""Differences between two revisions of a page, for the inline and side-by-side diff views.

Lines are matched with difflib; inside each pair of replaced lines the words are matched again
so the views can highlight only what changed. Text comes back HTML-escaped as SafeString, with
changed words wrapped in <del> (old side) and <ins> (new side). No database access here.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of whitespace and single punctuation marks are separate tokens.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Word matching is roughly quadratic in tokens; past this a line pair is marked whole.
_MAX_WORD_DIFF_CHARS = 2000
# Exact (autojunk=False) line matching is roughly cubic on texts with many repeated lines, such as
# blank lines, so it only re-matches replaced regions up to this many lines (both sides together).
_MAX_REFINE_LINES = 200
_EMPTY = SafeString("")

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Line:
    """One row of the side-by-side view.

    tag is "equal", "delete", "insert", "replace" or "skip". A "skip" row stands for `skipped`
    unchanged lines, and its line numbers are those of the first hidden line on each side.
    """

    tag: str
    old_no: int | None
    old_html: str
    new_no: int | None
    new_html: str
    skipped: int = 0


@dataclass(frozen=True)
class InlineLine:
    """One row of the inline view; tag is "equal", "delete", "insert" or "skip"."""

    tag: str
    old_no: int | None
    new_no: int | None
    html: str
    skipped: int = 0


@dataclass(frozen=True)
class Stats:
    added: int
    removed: int


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: object  # None when the field was added
    new: object  # None when the field was removed


def side_by_side(old: str, new: str, *, context: int = 3) -> list[Line]:
    """Rows for a two-column diff, long unchanged runs collapsed to "skip" rows."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Line] = []
    for tag, i1, i2, j1, j2 in _blocks(a, b, context):
        if tag == "skip":
            rows.append(Line("skip", i1 + 1, _EMPTY, j1 + 1, _EMPTY, skipped=i2 - i1))
        elif tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                rows.append(Line("equal", i + 1, escape(a[i]), j + 1, escape(b[j])))
        else:
            # Pair old and new lines row by row; the longer side's extra lines stand alone.
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                if i < i2 and j < j2:
                    old_html, new_html = _word_diff(a[i], b[j])
                    rows.append(Line("replace", i + 1, old_html, j + 1, new_html))
                elif i < i2:
                    rows.append(Line("delete", i + 1, escape(a[i]), None, _EMPTY))
                else:
                    rows.append(Line("insert", None, _EMPTY, j + 1, escape(b[j])))
    return rows


def inline(old: str, new: str, *, context: int = 3) -> list[InlineLine]:
    """Rows for a one-column diff: each change's deleted lines, then its inserted lines."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[InlineLine] = []
    for tag, i1, i2, j1, j2 in _blocks(a, b, context):
        if tag == "skip":
            rows.append(InlineLine("skip", i1 + 1, j1 + 1, _EMPTY, skipped=i2 - i1))
        elif tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                rows.append(InlineLine("equal", i + 1, j + 1, escape(a[i])))
        else:
            pairs = [_word_diff(a[i1 + k], b[j1 + k]) for k in range(min(i2 - i1, j2 - j1))]
            for k, i in enumerate(range(i1, i2)):
                html = pairs[k][0] if k < len(pairs) else escape(a[i])
                rows.append(InlineLine("delete", i + 1, None, html))
            for k, j in enumerate(range(j1, j2)):
                html = pairs[k][1] if k < len(pairs) else escape(b[j])
                rows.append(InlineLine("insert", None, j + 1, html))
    return rows


def stats(old: str, new: str) -> Stats:
    """How many lines were added and removed (a replaced line counts as one of each)."""
    added = removed = 0
    for tag, i1, i2, j1, j2 in _line_opcodes(old.splitlines(), new.splitlines()):
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return Stats(added=added, removed=removed)


def field_changes(old: Mapping, new: Mapping) -> list[FieldChange]:
    """The fields whose values differ, sorted by name."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        # A missing field and a field set to None look the same in the view, so they compare equal.
        before, after = old.get(name), new.get(name)
        if not _same(before, after):
            changes.append(FieldChange(name=name, old=before, new=after))
    return changes


def _same(a: object, b: object) -> bool:
    # Python's == says True == 1 == 1.0, but a field going from 1 to true did change.
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(_same, a, b))
    return a == b


def _line_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    # The default autojunk heuristic keeps big texts fast but never anchors a match on lines
    # that are very common (blank lines, fences), so it can lump unrelated changes together.
    # Small replaced regions are matched again exactly to split them back apart.
    opcodes: list[Opcode] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if tag == "replace" and (i2 - i1) + (j2 - j1) <= _MAX_REFINE_LINES:
            exact = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).get_opcodes()
            pieces = [(t, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for t, x1, x2, y1, y2 in exact]
        else:
            pieces = [(tag, i1, i2, j1, j2)]
        for piece in pieces:
            if opcodes and opcodes[-1][0] == piece[0] == "equal":
                opcodes[-1] = ("equal", opcodes[-1][1], piece[2], opcodes[-1][3], piece[4])
            else:
                opcodes.append(piece)
    return opcodes


def _blocks(a: list[str], b: list[str], context: int) -> Iterator[Opcode]:
    """Line opcodes with unchanged runs longer than 2*context split around a "skip" block."""
    if context < 0:
        raise ValueError("context must not be negative")
    opcodes = _line_opcodes(a, b)
    for k, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal" or i2 - i1 <= 2 * context:
            yield tag, i1, i2, j1, j2
            continue
        head = context if k > 0 else 0
        tail = context if k < len(opcodes) - 1 else 0
        if head:
            yield "equal", i1, i1 + head, j1, j1 + head
        yield "skip", i1 + head, i2 - tail, j1 + head, j2 - tail
        if tail:
            yield "equal", i2 - tail, i2, j2 - tail, j2


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """The two lines escaped, changed words wrapped in <del> on the old and <ins> on the new."""
    if len(old) + len(new) > _MAX_WORD_DIFF_CHARS:
        return _mark("del", old), _mark("ins", new)
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Most edits touch a few words: matching only what lies between the common start and end
    # is far cheaper than matching the whole line.
    start = end = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]

    # Whitespace is junk so that the spaces between unrelated words cannot anchor a match: that
    # would mark a rewritten line as confetti, and in time cubic in its length. It also means
    # consecutive changed words come out as one change rather than one per word.
    matcher = SequenceMatcher(str.isspace, mid_a, mid_b, autojunk=False)
    old_html, new_html = [escape("".join(a[:start]))], [escape("".join(b[:start]))]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])
        if tag == "equal":
            old_html.append(escape(old_text))
            new_html.append(escape(new_text))
        else:
            old_html.append(_mark("del", old_text))
            new_html.append(_mark("ins", new_text))
    old_html.append(escape("".join(a[len(a) - end :])))
    new_html.append(escape("".join(b[len(b) - end :])))
    return _join(old_html), _join(new_html)


def _mark(element: str, text: str) -> SafeString:
    if not text:
        return _EMPTY
    return _join([f"<{element}>", escape(text), f"</{element}>"])


def _join(pieces: list[str]) -> SafeString:
    return mark_safe("".join(pieces))  # noqa: S308 - callers pass escaped text and our own tags
