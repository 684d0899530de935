"""The reliability and security suite behind `make check`.

Each check adds what it tried to a named figure (`figures.add("XSS payloads", tried=1,
executed=0)`); the figures are printed after the run and written to
test-output/check-figures.json, so a run says how much was proved, not only that it passed.
Add to a figure before asserting, so a failing run still shows what went wrong.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "check-figures.json"


class Figures:
    def __init__(self) -> None:
        self._counts: dict[str, Counter] = {}

    def add(self, name: str, **counts: int) -> None:
        figure = self._counts.setdefault(name, Counter())
        for key, value in counts.items():
            figure[key] += value

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: dict(counts) for name, counts in self._counts.items()}


FIGURES = pytest.StashKey[Figures]()


def _figures(config) -> Figures:
    if FIGURES not in config.stash:
        config.stash[FIGURES] = Figures()
    return config.stash[FIGURES]


@pytest.fixture
def figures(request) -> Figures:
    return _figures(request.config)


def pytest_terminal_summary(terminalreporter, config) -> None:
    found = _figures(config).as_dict()
    if not found:
        return
    terminalreporter.section("reliability and security figures")
    width = max(len(name) for name in found)
    for name, counts in found.items():
        shown = " / ".join(f"{key.replace('_', ' ')} {value:,}" for key, value in counts.items())
        terminalreporter.write_line(f"{name.ljust(width)}  {shown}")
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(found, indent=2) + "\n")
