"""The private PostgreSQL the project runs on when DATABASE_URL is not set.

`pgserver` starts PostgreSQL 16 in a data directory under var/, or attaches to
the server already running there, so gunicorn workers, manage.py and pytest
share one server. Run as a module it wraps a command:

    python -m wikiapp.embedded_pg -- pytest

starts (or attaches to) the server, runs the command with DATABASE_URL pointing
at it, and stops the server afterwards if this call was the one that started it.
"""

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "wiki"


def data_dir() -> Path:
    return Path(os.environ.get("WIKI_PGDATA", DEFAULT_DATA_DIR)).resolve()


def is_running(directory: Path | None = None) -> bool:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as it is under root and CI.
        warnings.simplefilter("ignore")
        from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(directory or data_dir())
    return info is not None and info.is_running()


def ensure_running(directory: Path | None = None) -> str:
    """Start or attach to the embedded server; return a URL to the wiki database."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    import psycopg

    directory = directory or data_dir()
    directory.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; `stop()` ends it.
    server = pgserver.get_server(directory, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)


def stop(directory: Path | None = None) -> None:
    from pgserver._commands import pg_ctl

    directory = directory or data_dir()
    if not is_running(directory):
        return
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=directory, user=user)


def run_with_database(command: list[str]) -> int:
    """Run `command` against the embedded server, stopping it after if we started it."""
    started_here = False
    if not os.environ.get("DATABASE_URL"):
        started_here = not is_running()
        os.environ["DATABASE_URL"] = ensure_running()
    # Ctrl-C reaches the child through the terminal; we only wait for it to end.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.call(command)  # noqa: S603 - the command is the caller's own
    finally:
        signal.signal(signal.SIGINT, previous)
        if started_here:
            stop()


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if argv == ["stop"]:
        stop()
        return 0
    if argv == ["url"]:
        print(ensure_running())
        return 0
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    return run_with_database(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
