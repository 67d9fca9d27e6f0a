"""A fast keep-alive HTTP/1.1 server for the synthetic wiki, on 127.0.0.1, rendering pages on the fly.

    .venv/bin/python benchmarks/synthserver.py --pages 10000 [--seed 1] [--port 0] [--max-seconds 3600]
        [--prerender]

Prints ``http://127.0.0.1:PORT/`` on its first line of output once it listens. One asyncio protocol
per connection: requests are parsed from the buffer (pipelined ones too), answered from
``SynthWiki.get`` (the sitemaps and robots.txt with absolute URLs on the request's ``Host``) with
``Content-Length``, ``ETag`` and ``Last-Modified``; ``If-None-Match`` (which
wins) or ``If-Modified-Since`` that match answer ``304`` without rendering the page. It stops on
SIGTERM / SIGINT, after ``--max-seconds``, or when the process given by ``--parent-pid`` is gone, and
prints its request counts and CPU time on the way out. Rendering costs about 1 ms per page; a 304 a
few microseconds. With ``--prerender`` every title page is rendered into memory before the server
listens (about 10 s and 2.1 GB for 10,000 pages), so that serving one costs only its socket writes:
a static server, whose CPU does not compete with the crawler's for the same cores. Bound to the
loopback only; nothing else is contacted.

Why not ``http.server``: a thread per connection and header parsing in Python cost the server more
CPU per request than the crawler spends on the page, on the same 2 cores (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.utils
import os
import resource
import signal
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthwiki import LAST_MODIFIED, SynthWiki

LOOPBACK = "127.0.0.1"
MAX_HEADER = 64 * 1024
_LAST_MODIFIED_TS = email.utils.parsedate_to_datetime(LAST_MODIFIED).timestamp()
_REASONS = {200: b"OK", 304: b"Not Modified", 400: b"Bad Request", 404: b"Not Found", 405: b"Method Not Allowed"}


class Counts:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.body_bytes = 0
        self.connections = 0


class WikiProtocol(asyncio.Protocol):
    def __init__(self, wiki: SynthWiki, counts: Counts, rendered: dict[str, tuple[bytes, str]] | None = None) -> None:
        self.wiki = wiki
        self.counts = counts
        self.rendered = rendered
        """Title pages rendered before the server started (``--prerender``), by path."""
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)  # noqa: S101 - a TCP server's transport
        self.transport = transport
        self.counts.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEADER:
                    self.respond(400, b"", {}, close=True)
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.handle(head)

    def handle(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) != 3:
            self.respond(400, b"", {}, close=True)
            return
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        if method not in ("GET", "HEAD"):
            self.respond(405, b"", {}, close=close)
            return
        path = target.split("?", 1)[0] if target.startswith("/") else "/"
        host = headers.get("host")
        etag = self.wiki.etag(path)
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        inm = headers.get("if-none-match")
        ims = headers.get("if-modified-since")
        matches = (inm is not None and etag in inm) or (inm is None and ims is not None and _not_modified_since(ims))
        if matches and (path in self.wiki.paths or self.wiki.get(path, host) is not None):
            self.respond(304, b"", validators, close=close)
            return
        found = self.rendered.get(path) if self.rendered is not None else None
        if found is None:
            found = self.wiki.get(path, host)
        if found is None:
            self.respond(404, b"<html><body><h1>Not Found</h1></body></html>\n", {"Content-Type": "text/html"},
                         close=close, head=method == "HEAD")  # fmt: skip
            return
        body, ctype = found
        self.respond(200, body, {"Content-Type": ctype, **validators}, close=close, head=method == "HEAD")

    def respond(self, status: int, body: bytes, headers: dict[str, str], *, close: bool, head: bool = False) -> None:
        if self.transport is None:
            return
        lines = [f"HTTP/1.1 {status} ".encode() + _REASONS.get(status, b"")]
        lines.extend(f"{name}: {value}".encode("latin-1") for name, value in headers.items())
        if status != 304:
            lines.append(b"Content-Length: %d" % len(body))
        if close:
            lines.append(b"Connection: close")
        self.transport.write(b"\r\n".join(lines) + b"\r\n\r\n")
        if status != 304 and not head:
            self.transport.write(body)
            self.counts.body_bytes += len(body)
        self.counts.statuses[status] += 1
        if close:
            self.transport.close()
            self.transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


def _not_modified_since(value: str) -> bool:
    try:
        since = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    return since is not None and since.timestamp() >= _LAST_MODIFIED_TS


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def prerender(wiki: SynthWiki) -> dict[str, tuple[bytes, str]]:
    """Every title page's body and content type, by path (they do not depend on the request)."""
    return {path: (wiki.page(i), "text/html; charset=utf-8") for path, i in wiki.paths.items()}


async def serve(
    wiki: SynthWiki, port: int, max_seconds: float, parent_pid: int | None,
    rendered: dict[str, tuple[bytes, str]] | None = None,
) -> Counts:  # fmt: skip
    counts = Counts()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: WikiProtocol(wiki, counts, rendered), LOOPBACK, port, backlog=256)
    bound = server.sockets[0].getsockname()[1]
    print(f"http://{LOOPBACK}:{bound}/", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.call_later(max_seconds, stop.set)

    async def watch_parent() -> None:
        while parent_pid is not None and not stop.is_set():
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                stop.set()
            await asyncio.sleep(1.0)

    watcher = asyncio.create_task(watch_parent())
    async with server:
        await stop.wait()
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=3600.0, help="stop by itself after this long")
    parser.add_argument("--parent-pid", type=int, help="stop when this process is gone")
    parser.add_argument("--prerender", action="store_true", help="render every title page before listening")
    args = parser.parse_args(argv)
    wiki = SynthWiki(args.pages, args.seed)
    _ = wiki.paths  # plan every page before the first request
    rendered = prerender(wiki) if args.prerender else None
    before = _cpu_seconds()
    counts = asyncio.run(serve(wiki, args.port, args.max_seconds, args.parent_pid, rendered))
    statuses = ", ".join(f"{n} x {status}" for status, n in sorted(counts.statuses.items()))
    mode = f"{len(rendered)} title pages prerendered" if rendered is not None else "pages rendered on request"
    print(f"served {sum(counts.statuses.values())} requests ({statuses}) on {counts.connections} connections, "
          f"{counts.body_bytes / 1e6:.0f} MB; server CPU while serving {_cpu_seconds() - before:.1f} s ({mode})",
          flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
