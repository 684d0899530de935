"""The app under test, started as `make run` starts it, and its memory watched while it runs."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil  # installed with pgserver, a runtime dependency

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production server, on plain HTTP at 127.0.0.1."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "wikiapp.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # TLS ends in front of the app in production; here nothing is in front.
        "DJANGO_HTTPS": "0",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)  # noqa: S603


class Gunicorn:
    """gunicorn wikiapp.wsgi with the worker count and options of wikiapp/serve.py."""

    def __init__(self, port: int):
        self.port = port
        self.workers = os.environ.get("WEB_CONCURRENCY", "3")
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wikiapp.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                self.workers,
                "--graceful-timeout",
                "10",
                # serve.py logs every request to stdout; at thousands a second that log
                # would be the benchmark, so it goes nowhere here.
            ],
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2):  # noqa: S310
                    if len(self.processes()) > int(self.workers):
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # A worker still booting on a busy machine may take longer than 2 s.
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer on /healthz within 30 s")

    def processes(self) -> list[psutil.Process]:
        if self.process is None or self.process.poll() is not None:
            return []
        try:
            master = psutil.Process(self.process.pid)
            return [master, *master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class MemorySampler:
    """Peak RSS of the gunicorn master plus workers, sampled every half second."""

    def __init__(self, server: Gunicorn, interval: float = 0.5):
        self.server = server
        self.interval = interval
        self.peak_total = 0
        self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "MemorySampler":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        processes = self.server.processes()
        sizes = []
        for process in processes:
            try:
                sizes.append(process.memory_info().rss)
            except psutil.NoSuchProcess:
                continue
        if sizes:
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_worker = max(self.peak_worker, max(sizes[1:], default=0))
