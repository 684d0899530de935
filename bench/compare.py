"""How cost grows with the corpus: two benchmark results side by side, per scenario.

    .venv/bin/python -m bench.compare bench/results/small.json bench/results/latest.json

Prints p95 and SQL queries per request of each scenario in both runs and the change in
p95; growth over 20% (FLAT), or any change in queries, is marked, since a view's cost
should not grow with the number of pages. The static floor shows how much the machine
itself differed.
"""

import json
import sys
from pathlib import Path

FLAT = 0.20


def _scenarios(path: str) -> tuple[dict, dict]:
    data = json.loads(Path(path).read_text())
    # Search scenarios name their word, which differs between corpora: compare by kind.
    rows = {row["name"].split(" (")[0]: row for row in data["scenarios"]}
    return data, rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    (small_run, small), (large_run, large) = _scenarios(argv[0]), _scenarios(argv[1])
    print(f"{'scenario':<16} {'p95 small':>9} {'p95 large':>9} {'change':>7} {'SQL':>7}  flat?")
    grew = False
    for name, before in small.items():
        after = large.get(name)
        if after is None:
            continue
        change = after["p95_ms"] / before["p95_ms"] - 1 if before["p95_ms"] else 0.0
        queries = f"{before['queries']}→{after['queries']}"
        flat = name == "static floor" or (change <= FLAT and before["queries"] == after["queries"])
        grew = grew or not flat
        print(
            f"{name:<16} {before['p95_ms']:>9.1f} {after['p95_ms']:>9.1f} {change:>+7.0%} "
            f"{queries:>7}  {'ok' if flat else 'GREW'}"
        )
    print(f"\n{argv[0]}: {small_run['when']}; {argv[1]}: {large_run['when']}")
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
