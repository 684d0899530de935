"""Line and word diffs between two revisions' Markdown text, and between their fields."""

import pytest
from django.utils.safestring import SafeString

from wikiapp.diffing import (
    FieldChange,
    InlineLine,
    Line,
    Stats,
    field_changes,
    inline,
    side_by_side,
    stats,
)


def numbered(count: int) -> str:
    return "\n".join(f"line {n}" for n in range(1, count + 1))


def test_it_marks_only_the_changed_word():
    rows = side_by_side("We meet on Mondays.\nBring notes.", "We meet on Tuesdays.\nBring notes.")

    assert rows == [
        Line("replace", 1, "We meet on <del>Mondays</del>.", 1, "We meet on <ins>Tuesdays</ins>."),
        Line("equal", 2, "Bring notes.", 2, "Bring notes."),
    ]


def test_it_wraps_consecutive_changed_words_in_one_mark():
    [row] = side_by_side("keep the old plan here", "keep a brand new plan here")

    assert row.old_html == "keep <del>the old</del> plan here"
    assert row.new_html == "keep <ins>a brand new</ins> plan here"


def test_it_marks_the_whole_of_a_very_long_line_instead_of_its_words():
    old, new = "word " * 500, "word " * 499 + "other "

    [row] = side_by_side(old, new)

    assert row.tag == "replace"
    assert row.old_html == f"<del>{old}</del>"
    assert row.new_html == f"<ins>{new}</ins>"


def test_it_numbers_inserted_lines_on_the_new_side_only():
    rows = side_by_side("a\nb", "a\nnew\nb")

    assert rows == [
        Line("equal", 1, "a", 1, "a"),
        Line("insert", None, "", 2, "new"),
        Line("equal", 2, "b", 3, "b"),
    ]


def test_it_numbers_deleted_lines_on_the_old_side_only():
    rows = side_by_side("a\ngone\nb", "a\nb")

    assert rows == [
        Line("equal", 1, "a", 1, "a"),
        Line("delete", 2, "gone", None, ""),
        Line("equal", 3, "b", 2, "b"),
    ]


def test_it_pairs_an_uneven_replace_block_row_by_row():
    rows = side_by_side("top\nA\nB\nC\nend", "top\nX\nY\nend")

    assert [(r.tag, r.old_no, r.new_no) for r in rows] == [
        ("equal", 1, 1),
        ("replace", 2, 2),
        ("replace", 3, 3),
        ("delete", 4, None),
        ("equal", 5, 4),
    ]
    assert rows[1].old_html == "<del>A</del>"
    assert rows[1].new_html == "<ins>X</ins>"
    assert rows[3].old_html == "C"


def test_it_collapses_long_unchanged_runs_keeping_context_around_the_change():
    old = numbered(20)
    new = old.replace("line 10", "line ten")

    rows = side_by_side(old, new, context=2)

    assert [(r.tag, r.old_no, r.new_no, r.skipped) for r in rows] == [
        ("skip", 1, 1, 7),
        ("equal", 8, 8, 0),
        ("equal", 9, 9, 0),
        ("replace", 10, 10, 0),
        ("equal", 11, 11, 0),
        ("equal", 12, 12, 0),
        ("skip", 13, 13, 8),
    ]


def test_it_collapses_a_run_between_two_changes_keeping_context_on_both_sides():
    old = numbered(12)
    new = old.replace("line 1\n", "first\n").replace("line 12", "last")

    rows = side_by_side(old, new, context=3)

    assert [(r.tag, r.old_no, r.skipped) for r in rows] == [
        ("replace", 1, 0),
        ("equal", 2, 0),
        ("equal", 3, 0),
        ("equal", 4, 0),
        ("skip", 5, 4),
        ("equal", 9, 0),
        ("equal", 10, 0),
        ("equal", 11, 0),
        ("replace", 12, 0),
    ]


def test_it_keeps_an_unchanged_run_of_two_contexts_expanded():
    old = numbered(8)
    new = old.replace("line 1\n", "first\n").replace("line 8", "last")

    rows = side_by_side(old, new, context=3)

    assert "skip" not in [r.tag for r in rows]
    assert len(rows) == 8


def test_it_escapes_html_in_the_text():
    old = "<script>alert(1)</script>"
    new = "<script>alert(2)</script>"

    [row] = side_by_side(old, new)
    inline_rows = inline(old, new)

    assert row.old_html == "&lt;script&gt;alert(<del>1</del>)&lt;/script&gt;"
    assert row.new_html == "&lt;script&gt;alert(<ins>2</ins>)&lt;/script&gt;"
    assert all("<script>" not in r.html for r in inline_rows)
    assert isinstance(row.old_html, SafeString)
    assert isinstance(inline_rows[0].html, SafeString)


def test_it_escapes_unchanged_and_whole_line_rows_too():
    rows = side_by_side("a & b\n<i>", "a & b\n<i>\n<b>")

    assert rows[0].old_html == "a &amp; b"
    assert rows[2].new_html == "&lt;b&gt;"


def test_it_escapes_the_changed_words_inside_the_marks():
    [row] = side_by_side("if a < b", "if a > b && c")

    assert row.old_html == "if a <del>&lt;</del> b"
    assert row.new_html == "if a <ins>&gt;</ins> b<ins> &amp;&amp; c</ins>"


def test_identical_texts_have_no_changes():
    text = "# Title\n\nSome text.\n"

    assert all(r.tag == "equal" for r in side_by_side(text, text))
    assert len(side_by_side(text, text)) == 3
    assert all(r.tag == "equal" for r in inline(text, text))
    assert stats(text, text) == Stats(added=0, removed=0)


def test_a_long_identical_text_is_one_skip_row():
    text = numbered(50)

    assert side_by_side(text, text) == [Line("skip", 1, "", 1, "", skipped=50)]
    assert inline(text, text) == [InlineLine("skip", 1, 1, "", skipped=50)]


def test_line_endings_and_a_trailing_newline_do_not_count_as_changes():
    assert stats("a\nb", "a\r\nb\r\n") == Stats(added=0, removed=0)
    assert [r.tag for r in side_by_side("a\nb", "a\nb\n")] == ["equal", "equal"]


def test_empty_old_text_is_all_inserts():
    rows = side_by_side("", "x\ny")

    assert rows == [Line("insert", None, "", 1, "x"), Line("insert", None, "", 2, "y")]
    assert stats("", "x\ny") == Stats(added=2, removed=0)


def test_empty_new_text_is_all_deletes():
    rows = inline("x\ny", "")

    assert rows == [InlineLine("delete", 1, None, "x"), InlineLine("delete", 2, None, "y")]
    assert stats("x\ny", "") == Stats(added=0, removed=2)


def test_two_empty_texts_have_no_rows():
    assert side_by_side("", "") == []
    assert inline("", "") == []


def test_inline_lists_deleted_lines_before_inserted_ones_with_word_marks():
    rows = inline("a\nold one\nold two\nz", "a\nnew one\nz")

    assert rows == [
        InlineLine("equal", 1, 1, "a"),
        InlineLine("delete", 2, None, "<del>old</del> one"),
        InlineLine("delete", 3, None, "old two"),
        InlineLine("insert", None, 2, "<ins>new</ins> one"),
        InlineLine("equal", 4, 3, "z"),
    ]


def test_inline_collapses_like_side_by_side():
    old = numbered(30)
    new = old.replace("line 15", "line fifteen")

    rows = inline(old, new, context=1)

    assert [(r.tag, r.skipped) for r in rows] == [
        ("skip", 13),
        ("equal", 0),
        ("delete", 0),
        ("insert", 0),
        ("equal", 0),
        ("skip", 14),
    ]


def test_blank_lines_between_changes_still_match():
    # Over 200 lines, difflib's autojunk stops blank lines anchoring a match; they must anyway.
    filler = "\n".join(f"para {n}\n" for n in range(150))
    old = f"{filler}\nA\n\nB\n\n{filler}"
    new = f"{filler}\nX\n\nY\n\n{filler}"

    assert stats(old, new) == Stats(added=2, removed=2)


def test_stats_counts_added_and_removed_lines():
    assert stats("a\nb\nc", "a\nB\nc\nd\ne") == Stats(added=3, removed=1)


def test_a_big_document_with_a_few_changes_diffs_only_what_changed():
    lines = [f"Paragraph {n} about how we work." if n % 2 else "" for n in range(5000)]
    changed = list(lines)
    for n in (11, 1501, 3001, 4999):
        changed[n] = changed[n].replace("how", "why")
    del changed[2000:2004]

    rows = side_by_side("\n".join(lines), "\n".join(changed))

    assert sum(r.tag == "replace" for r in rows) == 4
    assert stats("\n".join(lines), "\n".join(changed)) == Stats(added=4, removed=8)


def test_field_changes_lists_added_removed_and_changed_keys_sorted():
    old = {"status": "draft", "owner": "ana", "tags": ["a"], "same": 1}
    new = {"status": "done", "tags": ["a", "b"], "due": "2025-01-01", "same": 1}

    assert field_changes(old, new) == [
        FieldChange("due", None, "2025-01-01"),
        FieldChange("owner", "ana", None),
        FieldChange("status", "draft", "done"),
        FieldChange("tags", ["a"], ["a", "b"]),
    ]


def test_field_changes_tells_json_true_from_one():
    assert field_changes({"done": 1}, {"done": True}) == [FieldChange("done", 1, True)]
    assert field_changes({"x": {"a": [1]}}, {"x": {"a": [1]}}) == []


def test_field_changes_of_equal_fields_is_empty():
    assert field_changes({"a": 1, "b": None}, {"a": 1}) == []


def test_a_negative_context_is_refused():
    with pytest.raises(ValueError, match="context"):
        side_by_side("a", "b", context=-1)
