"""The benchmark load driver: the production server on the bench database, under wrk.

    .venv/bin/python -m bench.run            (BENCH_SECONDS=20 per scenario by default)
    BENCH_ONLY=search,save .venv/bin/python -m bench.run   (those and the static floor)

Starts the embedded PostgreSQL in var/bench-pgdata (never the dev one), runs migrate
and collectstatic, renders one page into var/static/bench/page.html as the static
floor, starts gunicorn as `make run` does (DJANGO_DEBUG=0, WEB_CONCURRENCY workers),
logs in as "bench" and drives each scenario with wrk on 127.0.0.1. Prints a table and
writes bench/results/latest.json. Seed the bench database first (bench/seed.py, or
bench/load/minimal_seed.py for a quick try).
"""

import datetime
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import django

from bench.load import server, wrk
from wikiapp import embedded_pg

BASE_DIR = Path(__file__).resolve().parent.parent
# BENCH_PGDATA points elsewhere only to try the driver beside a seeder rebuilding the DB.
BENCH_PGDATA = Path(os.environ.get("BENCH_PGDATA") or BASE_DIR / "var" / "bench-pgdata").resolve()
RESULTS = Path(os.environ.get("BENCH_RESULTS") or BASE_DIR / "bench" / "results" / "latest.json")
STATIC_PAGE = "bench/page.html"
USERNAME = "bench"
CONNECTIONS = 8
FLOOR_SHARE = 0.40  # a page view must reach this share of the static floor's requests/s


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base_url: str, password: str) -> tuple[str, str]:
    """Log in through the login form; return the Cookie header and the CSRF token."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/accounts/login/") as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token}
    opener.open(f"{base_url}/accounts/login/", urllib.parse.urlencode(fields).encode()).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not log in as {USERNAME!r}; check BENCH_PASSWORD.")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies["csrftoken"]


def preflight(base_url: str, cookie: str, scenario) -> None:
    """A scenario's first GET must answer 200, not a redirect wrk would count as success."""
    if scenario.mode == "save":
        return
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(  # noqa: S310 - base_url is our http://127.0.0.1
        base_url + scenario.paths[0], headers={"Cookie": cookie, **scenario.headers}
    )
    with opener.open(request) as response:
        if response.status != 200:
            raise SystemExit(f"{scenario.name}: {scenario.paths[0]} answered {response.status}")


def render_static_floor(path: str) -> None:
    """One rendered page's HTML, as a static file WhiteNoise will serve."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=USERNAME))
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"Rendering {path} for the static floor answered {response.status_code}")
    target = Path(settings.STATIC_ROOT) / STATIC_PAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(response.content)


def verdict(row: dict, floor_rps: float) -> tuple[str, bool | None]:
    target = row["target"]
    if target is None:
        return "", None
    ok = row[f"{target['metric']}_ms"] <= target["limit_ms"]
    label = f"{target['metric']} ≤ {target['limit_ms']:g} ms"
    if row["name"] == "page view" and floor_rps:
        share = row["rps"] / floor_rps
        ok = ok and share >= FLOOR_SHARE
        label += f", ≥{FLOOR_SHARE:.0%} floor ({share:.0%})"
    return label, ok


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'scenario':<28} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'SQL/req':>7} {'RSS MB':>7} {'worker MB':>9}  target / ok?"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ok = {True: "ok", False: "MISSED", None: ""}[row["ok"]]
        queries = "" if row["queries"] is None else str(row["queries"])
        print(
            f"{row['name']:<28} {row['rps']:>8.1f} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {row['errors']:>6} {queries:>7} "
            f"{row['peak_rss_mb']:>7.0f} {row['peak_worker_rss_mb']:>9.0f}  "
            f"{row['target_label']} {ok}".rstrip()
        )


def main() -> int:
    seconds = float(os.environ.get("BENCH_SECONDS", "20"))
    warmup = float(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
    password = os.environ.get("BENCH_PASSWORD", "bench-password-123")
    wrk.require_wrk()
    started_db = not embedded_pg.is_running(BENCH_PGDATA)
    os.environ.update(server.production_env(embedded_pg.ensure_running(BENCH_PGDATA)))
    gunicorn = None
    try:
        server.manage("migrate", "--no-input", "-v", "0")
        server.manage("collectstatic", "--no-input", "-v", "0")
        django.setup()
        from bench.load import scenarios

        plan = scenarios.build(username=USERNAME, static_path=f"/static/{STATIC_PAGE}")
        render_static_floor(plan[1].paths[0])
        plan = _only(plan, os.environ.get("BENCH_ONLY", ""))
        queries = {s.name: scenarios.count_queries(s, username=USERNAME) for s in plan}
        from django.db import connection

        connection.close()  # the driver holds no connection while the server is measured

        gunicorn = server.Gunicorn(server.free_port())
        gunicorn.start()
        cookie, csrf_token = login(gunicorn.base_url, password)
        rows = []
        with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
            options = dict(
                base_url=gunicorn.base_url,
                cookie=cookie,
                csrf_token=csrf_token,
                connections=CONNECTIONS,
                workdir=Path(workdir),
            )
            for scenario in plan:
                preflight(gunicorn.base_url, cookie, scenario)
                if warmup > 0:
                    wrk.run(scenario, seconds=warmup, **options)
                    time.sleep(1)  # requests cut off by wrk's stop still finish on the server
                with server.MemorySampler(gunicorn) as memory:
                    figures = wrk.run(scenario, seconds=seconds, **options)
                connection.close()
                rows.append(_row(scenario, figures, memory, queries[scenario.name]))
                print(f"  {scenario.name}: {rows[-1]['rps']:.0f} req/s", file=sys.stderr)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if started_db:
            embedded_pg.stop(BENCH_PGDATA)

    floor_rps = rows[0]["rps"]
    for row in rows:
        row["target_label"], row["ok"] = verdict(row, floor_rps)
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(_summary(seconds, gunicorn.workers, rows), indent=2) + "\n")
    print(f"\nWrote {RESULTS}")
    return 0 if all(row["ok"] is not False for row in rows) else 1


def _only(plan: list, names: str) -> list:
    """The static floor and the scenarios whose names start with one of `names` (a,b,...)."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    if not wanted:
        return plan
    return [plan[0]] + [s for s in plan[1:] if any(s.name.startswith(w) for w in wanted)]


def _row(scenario, figures: dict, memory, queries: int | None) -> dict:
    errors = figures["errors"]
    return {
        "name": scenario.name,
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "requests": figures["requests"],
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "error_statuses": figures.get("statuses", {}),  # saves only: refused, by status
        "queries": queries,
        "peak_rss_mb": memory.peak_total / 2**20,
        "peak_worker_rss_mb": memory.peak_worker / 2**20,
        "target": None if scenario.target is None else vars(scenario.target),
    }


def _summary(seconds: float, workers: str, rows: list[dict]) -> dict:
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "tool": "wrk",
        "seconds_per_scenario": seconds,
        "connections": CONNECTIONS,
        "gunicorn_workers": int(workers),
        "cpus": os.cpu_count(),
        "scenarios": rows,
    }


if __name__ == "__main__":
    sys.exit(main())
