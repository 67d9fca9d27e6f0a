"""A tiny forwarding HTTP proxy for tests: 127.0.0.1 only, Basic proxy authentication required.

- listens on 127.0.0.1 (a free port), HTTP/1.1 with keep-alive, one thread per connection;
- a request without the right ``Proxy-Authorization: Basic ...`` gets ``407 Proxy Authentication
  Required`` (with ``Proxy-Authenticate``) and is not forwarded;
- forwards only absolute-form ``http://127.0.0.1:PORT/...`` requests (GET and HEAD) to that loopback
  server; any other target gets ``403``, ``CONNECT`` gets ``405``: it never opens a connection off this
  machine;
- bounded: at most ``max_requests`` requests are answered (then ``503``), upstream bodies at most
  ``max_body`` bytes, upstream timeouts of a few seconds; ``stop()`` ends it.

It counts what it did in ``forwarded`` (target paths), ``rejected`` (407s) and ``refused`` (403s).
"""

from __future__ import annotations

import base64
import http.client
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
_HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authorization", "proxy-authenticate", "proxy-connection", "te", "trailer",
    "transfer-encoding", "upgrade",
})  # fmt: skip


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testproxy"
    sys_version = ""
    timeout = 30
    server: TestProxy

    def log_message(self, format: str, *args: object) -> None:
        return  # quiet

    def do_GET(self) -> None:
        self.relay(head=False)

    def do_HEAD(self) -> None:
        self.relay(head=True)

    def do_CONNECT(self) -> None:
        self.answer(HTTPStatus.METHOD_NOT_ALLOWED, b"no tunnels here\n")

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def relay(self, *, head: bool) -> None:
        server = self.server
        if not server.take_turn():
            self.answer(HTTPStatus.SERVICE_UNAVAILABLE, b"request limit reached\n")
            return
        if self.headers.get("Proxy-Authorization") != server.expected_auth:
            server.count("rejected", self.path)
            self.answer(HTTPStatus.PROXY_AUTHENTICATION_REQUIRED, b"proxy authentication required\n",
                        {"Proxy-Authenticate": 'Basic realm="test"'})  # fmt: skip
            return
        target = urlsplit(self.path)
        if target.scheme != "http" or target.hostname != LOOPBACK or not target.port:
            server.count("refused", self.path)
            self.answer(HTTPStatus.FORBIDDEN, b"only http://127.0.0.1:PORT/ targets\n")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP and k.lower() != "host"}
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        upstream = http.client.HTTPConnection(LOOPBACK, target.port, timeout=server.upstream_timeout)
        try:
            upstream.request(self.command, path, headers=headers)
            response = upstream.getresponse()
            body = response.read(server.max_body + 1)
            if len(body) > server.max_body:
                self.answer(HTTPStatus.BAD_GATEWAY, b"upstream body too large\n")
                return
            server.count("forwarded", path)
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Via", "1.1 testproxy")
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except OSError as exc:
            self.answer(HTTPStatus.BAD_GATEWAY, f"upstream failed: {type(exc).__name__}\n".encode())
        finally:
            upstream.close()


class TestProxy(ThreadingHTTPServer):
    """``with TestProxy("user", "secret").start() as proxy: proxy.url_with(user, password)``."""

    __test__ = False  # not a test class for pytest
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, user: str, password: str, *, max_requests: int = 2000, max_body: int = 8 * 1024 * 1024,
        upstream_timeout: float = 20.0,
    ) -> None:  # fmt: skip
        super().__init__((LOOPBACK, 0), ProxyHandler)
        self.expected_auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.max_requests = max_requests
        self.max_body = max_body
        self.upstream_timeout = upstream_timeout
        self.forwarded: list[str] = []
        self.rejected: list[str] = []
        self.refused: list[str] = []
        self.answered = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url_with(self, user: str, password: str) -> str:
        return f"http://{user}:{password}@{LOOPBACK}:{self.port}"

    def take_turn(self) -> bool:
        with self._lock:
            self.answered += 1
            return self.answered <= self.max_requests

    def count(self, what: str, path: str) -> None:
        with self._lock:
            getattr(self, what).append(path)

    def start(self) -> Self:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                                        name=f"testproxy:{self.port}")  # fmt: skip
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
