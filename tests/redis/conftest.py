"""A real ``redis-server`` for the scale-out tests: started on a free loopback port in a temp folder, stopped after.

Without ``redis-server`` on PATH the tests are skipped with the reason; with
``TITLECRAWL_REQUIRE_REDIS=1`` (CI) its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from crawler.localredis import redis_server_binary, start_redis_server, stop_redis_server

REQUIRE_ENV = "TITLECRAWL_REQUIRE_REDIS"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``redis://127.0.0.1:PORT`` of a private redis-server (no persistence)."""
    binary = redis_server_binary()
    if binary is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires it")
        pytest.skip(f"{message}; set {REQUIRE_ENV}=1 to make this a failure")
    folder = tmp_path_factory.mktemp("redis")
    proc, port = start_redis_server(folder, binary)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop_redis_server(proc)


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
