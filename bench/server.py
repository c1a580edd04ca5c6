"""The app under gunicorn on a free port of 127.0.0.1, for the bench and the outage test: started
with the environment given, awaited until it answers, stopped when the block ends."""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager

from django.conf import settings

READY_PATH = "/healthz"  # the no-op view: it answers as soon as a worker runs, database or not


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, *, workers: int, timeout: float = 60):
    """gunicorn serving notesite.wsgi (sync workers) with `env`; yields its base URL once
    READY_PATH answers 200, and stops it when the block ends."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "gunicorn", "notesite.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--log-level", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
        try:
            _wait_until_serving(base_url + READY_PATH, server, log, timeout)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_serving(url, server, log, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")
