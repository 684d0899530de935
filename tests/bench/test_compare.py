"""bench/compare.py marks the views whose cost grew with the corpus."""

import json

from bench import compare


def _run(tmp_path, name: str, rows: list[tuple[str, float, int]]) -> str:
    path = tmp_path / name
    scenarios = [{"name": n, "p95_ms": p95, "queries": q} for n, p95, q in rows]
    path.write_text(json.dumps({"when": name, "scenarios": scenarios}))
    return str(path)


def test_it_marks_growth_over_a_fifth_and_any_change_in_queries(tmp_path, capsys):
    small = _run(
        tmp_path,
        "small.json",
        [("static floor", 4, 0), ("page view", 30, 5), ("history", 30, 4), ("search (a)", 50, 6)],
    )
    large = _run(
        tmp_path,
        "large.json",
        [("static floor", 8, 0), ("page view", 35, 5), ("history", 30, 5), ("search (b)", 70, 6)],
    )
    assert compare.main([small, large]) == 1
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line}
    assert lines["static"].endswith("ok")  # the machine, not a view
    assert lines["page"].endswith("ok")  # +17%
    assert lines["history"].endswith("GREW")  # one more query
    assert lines["search"].endswith("GREW")  # +40%, matched across different words


def test_it_passes_when_nothing_grew(tmp_path):
    run = _run(tmp_path, "run.json", [("page view", 30, 5)])
    assert compare.main([run, run]) == 0
