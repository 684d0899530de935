"""Running wrk for one scenario and reading back the figures scenario.lua writes."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scenarios module needs Django set up first
    from bench.load.scenarios import Scenario

SCRIPT = Path(__file__).resolve().parent / "scenario.lua"


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: sudo apt-get install wrk (Debian/Ubuntu).")
    return path


def run(
    scenario: "Scenario",
    *,
    base_url: str,
    cookie: str,
    csrf_token: str,
    seconds: float,
    connections: int,
    workdir: Path,
) -> dict:
    """Drive `scenario` for `seconds` on `connections` connections; wrk's figures as a dict."""
    # Saves track each page's version per connection, so they need a thread per connection.
    threads = connections if scenario.mode == "save" else min(2, connections)
    data = workdir / "targets.txt"
    data.write_text("\n".join(scenario.data_lines(csrf_token)) + "\n")
    report = Path(tempfile.mkstemp(dir=workdir, suffix=".json")[1])
    env = os.environ | {
        "BENCH_DATA": str(data),
        "BENCH_MODE": scenario.mode,
        "BENCH_COOKIE": cookie,
        "BENCH_HEADERS": "|".join(f"{k}: {v}" for k, v in scenario.headers.items()),
        "BENCH_THREADS": str(threads),
        "BENCH_REPORT": str(report),
    }
    command = [
        require_wrk(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        f"--script={SCRIPT}",
        base_url,
    ]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    figures = json.loads(report.read_text())
    report.unlink()
    return figures
