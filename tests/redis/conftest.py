"""A real ``redis-server`` for the scale-out tests: started on a free loopback port in a temp folder, stopped after.

Without ``redis-server`` on PATH the tests are skipped with the reason; with
``TITLECRAWL_REQUIRE_REDIS=1`` (CI) its absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

REQUIRE_ENV = "TITLECRAWL_REQUIRE_REDIS"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(binary: str, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    for _attempt in range(5):  # another process may take the free port before redis-server binds it
        port = _free_port()
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--daemonize", "no", "--logfile", str(folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                client.ping()
            except redis.ConnectionError:
                time.sleep(0.05)
                continue
            client.close()
            return proc, port
        client.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
    raise RuntimeError(f"redis-server would not start; see {folder / 'redis.log'}")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``redis://127.0.0.1:PORT`` of a private redis-server (no persistence)."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires it")
        pytest.skip(f"{message}; set {REQUIRE_ENV}=1 to make this a failure")
    folder = tmp_path_factory.mktemp("redis")
    proc, port = _start(binary, folder)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """An empty database of the test server for one test (flushed after)."""
    url = f"{redis_server}/0"
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
