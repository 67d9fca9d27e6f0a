"""A hostile local wiki: ``LocalWikiServer`` on 127.0.0.1 that answers chosen paths with faults.

``FaultServer(root, faults={"/a/": Fault.status(429, retry_after="1", times=1)}).start()`` serves the
site folder like ``crawler.localserver.LocalWikiServer`` and, for each path in ``faults``, answers its
first ``times`` requests (every request when ``times`` is None) with the fault instead; later requests
are served normally, so a fault with ``times`` is a page that recovers.

Fault kinds (``Fault.kind``):

- ``status``: a bare status (429, 500, 503 ...) with optional ``Retry-After``;
- ``reset``: the connection is closed with a TCP reset before any response;
- ``slow``: the answer starts only after ``delay`` seconds (longer than the client's timeout);
- ``truncate``: ``Content-Length`` announces more bytes than are sent, then the connection closes;
- ``body``: a fixed body with a chosen ``Content-Type`` (wrong or missing charset, a huge body);
- ``gzip``: ``body`` sent gzip-compressed with ``Content-Encoding: gzip`` (a gzip bomb when it expands
  far beyond the client's size limit);
- ``redirect``: a redirect to ``location`` (another path, or another server: off-site);
- ``changing``: ``make_body(n)`` for the n-th request (a page that changes between two fetches), no
  validators.

Every request is counted in ``.hits`` (per path, including the ones that never got an answer) and
logged in ``.arrivals`` with its arrival time, ``Host`` header and the fault it got, so tests can
check from the server's side how often a crawler retried and how long it waited.
"""

from __future__ import annotations

import gzip
import logging
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Literal

from crawler.localserver import LocalWikiServer, WikiRequestHandler

logger = logging.getLogger(__name__)

FaultKind = Literal["status", "reset", "slow", "truncate", "body", "gzip", "redirect", "changing"]


@dataclass(frozen=True, slots=True)
class Fault:
    """What a path answers instead of its page (for its first ``times`` requests; None: always)."""

    kind: FaultKind
    times: int | None = None
    status: int = HTTPStatus.OK
    retry_after: str | None = None
    delay: float = 0.0
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    location: str = ""
    make_body: Callable[[int], bytes] | None = None

    @classmethod
    def http(cls, status: int, *, retry_after: str | None = None, times: int | None = None) -> Fault:
        return cls("status", times=times, status=status, retry_after=retry_after)

    @classmethod
    def reset(cls, *, times: int | None = None) -> Fault:
        return cls("reset", times=times)

    @classmethod
    def slow(cls, delay: float, *, times: int | None = None) -> Fault:
        return cls("slow", times=times, delay=delay)

    @classmethod
    def truncate(cls, body: bytes, *, times: int | None = None) -> Fault:
        return cls("truncate", times=times, body=body)

    @classmethod
    def serve(cls, body: bytes, content_type: str | None) -> Fault:
        return cls("body", body=body, content_type=content_type)

    @classmethod
    def gzip_bomb(cls, expanded_bytes: int) -> Fault:
        return cls("gzip", body=gzip.compress(b"\0" * expanded_bytes, compresslevel=9))

    @classmethod
    def redirect(cls, location: str, status: int = HTTPStatus.FOUND) -> Fault:
        return cls("redirect", status=status, location=location)

    @classmethod
    def changing(cls, make_body: Callable[[int], bytes]) -> Fault:
        return cls("changing", make_body=make_body)


@dataclass(frozen=True, slots=True)
class Arrival:
    """One request as the fault server saw it arrive."""

    at: float
    """``time.monotonic()`` on arrival."""
    path: str
    host: str | None
    fault: FaultKind | None
    """The fault it was answered with (None: served normally)."""


class FaultRequestHandler(WikiRequestHandler):
    server: FaultServer

    def intercept(self) -> bool:
        srv = self.server
        nth = srv.count(self.url_path)
        fault = srv.faults.get(self.url_path)
        active = fault is not None and (fault.times is None or nth <= fault.times)
        srv.arrive(Arrival(self.started, self.url_path, self.headers.get("Host"), fault.kind if active and fault else None))
        if fault is None or not active:
            return False
        try:
            return self.inject(fault, nth)
        except OSError:  # the client hung up first (it timed out): what a slow fault is for
            self.close_connection = True
            return True

    def inject(self, fault: Fault, nth: int) -> bool:
        if fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            body = f"<html><body>{fault.status}: try again later</body></html>".encode()
            self.send_body(fault.status, body, "text/html; charset=utf-8", headers)
        elif fault.kind == "reset":
            # SO_LINGER with a zero timeout: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        elif fault.kind == "slow":
            time.sleep(fault.delay)
            page = self.server.resolve(self.url_path)  # then the page, to a client that has usually gone
            if isinstance(page, Path):
                self.send_file(page)
            else:
                self.send_not_found()
        elif fault.kind == "truncate":
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(fault.body) * 2))
            self.end_headers()
            self.wfile.write(fault.body)
            self.wfile.flush()
            self.close_connection = True
        elif fault.kind in ("body", "gzip"):
            headers = {"Content-Encoding": "gzip"} if fault.kind == "gzip" else {}
            self.send_body(HTTPStatus.OK, fault.body, fault.content_type, headers)
        elif fault.kind == "redirect":
            self.send_redirect(fault.location, fault.status)
        elif fault.kind == "changing" and fault.make_body is not None:
            self.send_body(HTTPStatus.OK, fault.make_body(nth), "text/html; charset=utf-8")
        else:
            raise ValueError(f"unknown fault {fault!r}")
        return True


class FaultServer(LocalWikiServer):
    """``LocalWikiServer`` whose ``faults`` (path -> Fault) answer instead of the pages."""

    def __init__(self, root: str | Path, faults: dict[str, Fault] | None = None, *, port: int = 0) -> None:
        super().__init__(root, port=port, handler_class=FaultRequestHandler)
        self.faults: dict[str, Fault] = dict(faults or {})
        self.hits: Counter[str] = Counter()
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()

    def count(self, path: str) -> int:
        """Count a request for ``path``; return its number (1 for the first)."""
        with self._lock:
            self.hits[path] += 1
            return self.hits[path]

    def arrive(self, arrival: Arrival) -> None:
        with self._lock:
            self.arrivals.append(arrival)

    def arrivals_for(self, path: str) -> list[Arrival]:
        with self._lock:
            return [a for a in self.arrivals if a.path == path]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (it timed out, it reset the connection) is expected here: no traceback."""
        logger.debug("connection from %s ended badly", client_address)

    def reset_counts(self) -> None:
        with self._lock:
            self.hits.clear()
            self.arrivals.clear()
        self.stats.reset()
