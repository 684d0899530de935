"""`make run`: database, migrations, demo content, then gunicorn and the import worker.

Without DATABASE_URL the embedded PostgreSQL under var/ is started first and stopped
when the server stops; with it, that database is used and left alone.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from wikiapp import embedded_pg

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)  # noqa: S603


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, and a plain `kill`, both stop the server, the worker and the database it
    # started; SIGINT is set explicitly because a shell may start us with it ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    started_db = False
    if not os.environ.get("DATABASE_URL"):
        started_db = not embedded_pg.is_running()
        os.environ["DATABASE_URL"] = embedded_pg.ensure_running()
        print(f"Embedded PostgreSQL in {embedded_pg.data_dir()}", flush=True)
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    server = worker = None
    try:
        _manage("migrate", "--no-input", "-v", "0")
        _manage("collectstatic", "--no-input", "-v", "0")
        _manage("seed_demo")
        # The worker runs the imports queued from the Import page (django-tasks).
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, str(BASE_DIR / "manage.py"), "db_worker", "--no-reload"],
            cwd=BASE_DIR,
        )
        print(f"Serving on http://{host}:{port}/ (Ctrl-C stops)", flush=True)
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wikiapp.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                workers,
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
            cwd=BASE_DIR,
        )
        return server.wait()
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    finally:
        for process in (server, worker):
            _stop(process)
        if started_db:
            embedded_pg.stop()
            print("Stopped the embedded PostgreSQL.", flush=True)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


if __name__ == "__main__":
    sys.exit(main())
