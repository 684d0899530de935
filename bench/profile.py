"""Where one request's time goes: pyinstrument over repeated requests to one path.

    .venv/bin/python -m bench.profile /s/space-1/some-page/ [--repeat 50] [--html out.html]

Runs against the seeded bench database (var/bench-pgdata) with the production settings
(DEBUG off) through Django's test client, logged in as "bench". The first request warms
up caches and the second is counted for SQL; then --repeat are timed plainly, and
--repeat more are profiled together.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django

from bench.load import server
from wikiapp import embedded_pg

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_PGDATA = Path(os.environ.get("BENCH_PGDATA") or BASE_DIR / "var" / "bench-pgdata").resolve()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the URL path to request, e.g. /search/?q=deploy")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--user", default="bench")
    parser.add_argument("--htmx", action="store_true", help="send the HX-Request header")
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    args = parser.parse_args()

    from pyinstrument import Profiler

    os.environ.update(server.production_env(embedded_pg.ensure_running(BENCH_PGDATA)))
    server.manage("collectstatic", "--no-input", "-v", "0")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    headers = {"HTTP_HX_REQUEST": "true"} if args.htmx else {}
    response = client.get(args.path, **headers)  # warms up; the next one is counted
    # The capture reads the connection's query log, which each request's start clears:
    # count before the next request.
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path, **headers)
    counted = len(queries)
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")
    started = time.perf_counter()
    for _ in range(args.repeat):
        client.get(args.path, **headers)
    plain = (time.perf_counter() - started) / args.repeat
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path, **headers)
    profiler.stop()
    print(
        f"{plain * 1000:.2f} ms a request unprofiled (mean of {args.repeat}), "
        f"{counted} queries, {len(response.content):,} bytes"
    )
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
