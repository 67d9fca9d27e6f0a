"""A fast static wiki server for 127.0.0.1: keep-alive HTTP/1.1, ETag / Last-Modified, 304s, redirects.

``titlecrawl serve DIR`` and the tests and benchmarks use it to crawl a folder of pages without the
network. ``LocalWikiServer(root).start()`` serves on a free port in a daemon thread; ``.url`` tells
where. Every request is counted in ``.stats`` (requests per path, statuses, body bytes sent, 304s), so
tests can check from the server's side what a crawl fetched.

Behaviour, like a small nginx:
- ``/a/b/`` serves ``a/b/index.html``; ``/a/b`` (a folder) redirects to ``/a/b/`` with a 301;
- ``ETag`` (from the file's mtime and size) and ``Last-Modified`` on every file; ``If-None-Match``
  (which wins) or ``If-Modified-Since`` that still match answer ``304 Not Modified`` with no body;
- a ``_redirects`` file in the root lists redirects, one per line: ``FROM TO [STATUS]`` (``#``
  comments), e.g. ``/old-memories/ /memories/4000-1001/ 301``; files whose name starts with ``_`` or
  ``.`` are never served;
- a missing file answers 404 with the root's ``404.html`` (or a short built-in page).

Extending it (the fault-injecting server of the hostile-wiki tests does): subclass
``WikiRequestHandler`` and override ``intercept()`` to answer some requests yourself, or
``send_file()`` / ``send_body()`` to change what goes out; pass the class as ``handler_class``.
"""

from __future__ import annotations

import email.utils
import logging
import mimetypes
import os
import posixpath
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
REDIRECTS_FILE = "_redirects"
NOT_FOUND_FILE = "404.html"

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
}
_BUILTIN_404 = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1><p>No page at this address.</p></body></html>\n"
)


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One request as the server saw it."""

    at: float
    """``time.monotonic()`` when the request arrived."""
    method: str
    path: str
    status: int
    body_bytes: int
    host: str | None
    user_agent: str | None
    conditional: bool
    """Whether it carried If-None-Match or If-Modified-Since."""


@dataclass
class ServerStats:
    """Thread-safe counters of what the server answered."""

    requests: int = 0
    body_bytes: int = 0
    """Bytes of response bodies sent (headers not counted)."""
    not_modified: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    log: deque[RequestLogEntry] = field(default_factory=lambda: deque(maxlen=200_000))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self.requests += 1
            self.body_bytes += entry.body_bytes
            self.statuses[entry.status] += 1
            self.paths[entry.path] += 1
            if entry.status == HTTPStatus.NOT_MODIFIED:
                self.not_modified += 1
            self.log.append(entry)

    def entries(self, path: str | None = None) -> list[RequestLogEntry]:
        """Logged requests, in arrival order (only those for ``path`` when given)."""
        with self._lock:
            return [e for e in self.log if path is None or e.path == path]

    def reset(self) -> None:
        with self._lock:
            self.requests = self.body_bytes = self.not_modified = 0
            self.statuses.clear()
            self.paths.clear()
            self.log.clear()


def read_redirects(root: Path) -> dict[str, tuple[str, int]]:
    """The ``_redirects`` table of a site folder: path -> (location, status)."""
    path = root / REDIRECTS_FILE
    table: dict[str, tuple[str, int]] = {}
    if not path.is_file():
        return table
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        if len(parts) not in (2, 3) or (len(parts) == 3 and not parts[2].isdigit()):
            logger.warning("%s:%d: expected 'FROM TO [STATUS]', got %r", path, number, line)
            continue
        status = int(parts[2]) if len(parts) == 3 else 301
        table[parts[0]] = (parts[1], status)
    return table


def content_type_for(path: Path) -> str:
    ctype = _CONTENT_TYPES.get(path.suffix.lower())
    if ctype:
        return ctype
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def file_etag(st: os.stat_result) -> str:
    """A strong validator from the file's mtime and size (as nginx does)."""
    return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def _not_modified_since(header: str, mtime: float) -> bool:
    try:
        since = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None:
        return False
    return int(mtime) <= since.timestamp()


class WikiRequestHandler(BaseHTTPRequestHandler):
    """Serves one keep-alive connection. Override ``intercept`` to inject behaviour."""

    protocol_version = "HTTP/1.1"
    server_version = "titlecrawl-localwiki"
    sys_version = ""
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    server: LocalWikiServer

    # -- entry points -------------------------------------------------------------------
    def do_GET(self) -> None:
        self.serve_request(head=False)

    def do_HEAD(self) -> None:
        self.serve_request(head=True)

    def serve_request(self, *, head: bool) -> None:
        self.head_only = head
        self.started = time.monotonic()
        self.url_path = urlsplit(self.path).path or "/"
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.intercept():
            return
        target = self.server.redirects.get(self.url_path)
        if target is not None:
            self.send_redirect(target[0], target[1])
            return
        resolved = self.server.resolve(self.url_path)
        if resolved is None:
            self.send_not_found()
        elif isinstance(resolved, str):
            self.send_redirect(resolved, HTTPStatus.MOVED_PERMANENTLY)
        else:
            self.send_file(resolved)

    def intercept(self) -> bool:
        """Answer the request here and return True to bypass normal serving (a hook for subclasses)."""
        return False

    # -- responses ----------------------------------------------------------------------
    def send_file(self, path: Path, status: int = HTTPStatus.OK) -> None:
        """Send a file with validators, or a 304 when the request's validators still match."""
        try:
            st = path.stat()
            body = path.read_bytes()
        except OSError:
            self.send_not_found()
            return
        etag = file_etag(st)
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": last_modified}
        if status == HTTPStatus.OK and self.is_not_modified(etag, st.st_mtime):
            self.send_body(HTTPStatus.NOT_MODIFIED, b"", None, validators)
            return
        self.send_body(status, body, content_type_for(path), validators)

    def is_not_modified(self, etag: str, mtime: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return _etag_matches(inm, etag)
        ims = self.headers.get("If-Modified-Since")
        return ims is not None and _not_modified_since(ims, mtime)

    def send_redirect(self, location: str, status: int) -> None:
        body = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>\n'.encode()
        self.send_body(status, body, "text/html; charset=utf-8", {"Location": location})

    def send_not_found(self) -> None:
        page = self.server.root / NOT_FOUND_FILE
        body = page.read_bytes() if page.is_file() else _BUILTIN_404
        self.send_body(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8")

    def send_body(
        self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None
    ) -> None:
        """Send a complete response (with Content-Length, so the connection stays alive).

        The request is logged before the response goes out, so a client that has its answer finds it
        in ``stats`` (tests read the counters right after their request returns).
        """
        sends_body = status != HTTPStatus.NOT_MODIFIED and status >= 200 and status not in (204,)
        writes_body = sends_body and not self.head_only
        self.server.stats.record(
            RequestLogEntry(
                at=self.started,
                method=self.command,
                path=self.url_path,
                status=status,
                body_bytes=len(body) if writes_body else 0,
                host=self.headers.get("Host"),
                user_agent=self.headers.get("User-Agent"),
                conditional=bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")),
            )
        )
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if sends_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if writes_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class LocalWikiServer(ThreadingHTTPServer):
    """A threaded static server for a site folder, bound to 127.0.0.1 (port 0 picks a free one)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        root: str | Path,
        *,
        port: int = 0,
        delay: float = 0.0,
        handler_class: type[WikiRequestHandler] = WikiRequestHandler,
    ) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise NotADirectoryError(f"{root} is not a folder")
        self.delay = delay
        """Seconds to wait before answering each request (to slow a crawl down in tests)."""
        self.stats = ServerStats()
        self.redirects = read_redirects(self.root)
        self._thread: threading.Thread | None = None
        super().__init__((LOOPBACK, port), handler_class)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The site's root URL, ``http://127.0.0.1:PORT/``."""
        return f"http://{LOOPBACK}:{self.port}/"

    def resolve(self, url_path: str) -> Path | str | None:
        """The file for a URL path, a str location to redirect to (a folder without its slash), or None."""
        raw = unquote(url_path)
        if "\x00" in raw:
            return None
        norm = posixpath.normpath("/" + raw.lstrip("/"))
        parts = [p for p in norm.split("/") if p]
        if any(p.startswith((".", "_")) for p in parts):
            return None
        candidate = self.root.joinpath(*parts)
        try:
            candidate = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if candidate != self.root and self.root not in candidate.parents:
            return None  # a symlink out of the site folder
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return url_path + "/"
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def reload_redirects(self) -> None:
        self.redirects = read_redirects(self.root)

    def start(self) -> Self:
        """Serve in a daemon thread and return self (``with LocalWikiServer(d).start() as srv``)."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name=f"localwiki:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server_close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
