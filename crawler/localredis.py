"""A private ``redis-server`` on 127.0.0.1 for tests and benchmarks (no persistence, files in a folder).

Production crawls point ``--redis`` at a server you run; this only starts throwaway ones.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

logger = logging.getLogger(__name__)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (another process may still take it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_server_binary() -> str | None:
    """The ``redis-server`` on PATH, or None."""
    return shutil.which("redis-server")


def start_redis_server(folder: Path, binary: str | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """Start redis-server on a free loopback port with no RDB/AOF; its process and port once it answers PING."""
    binary = binary or redis_server_binary()
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):  # another process may take the free port before redis-server binds it
        port = free_port()
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--daemonize", "no", "--logfile", str(folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    client.ping()
                except redis.ConnectionError:
                    time.sleep(0.05)
                    continue
                return proc, port
        finally:
            client.close()
        logger.debug("redis-server on port %d did not come up; trying another port", port)
        stop_redis_server(proc)
    raise RuntimeError(f"redis-server would not start; see {folder / 'redis.log'}")


def stop_redis_server(proc: subprocess.Popen[bytes]) -> None:
    """Terminate it (kill after 20 s) and reap it."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
