"""``titlecrawl serve DIR``: serve a folder of wiki pages on 127.0.0.1 (ETag, Last-Modified, 304s)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from crawler.localserver import LocalWikiServer


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="serve a folder of pages on 127.0.0.1 (keep-alive, ETag/Last-Modified, 304s, redirects)",
        description="Serve DIR as a static wiki on 127.0.0.1 until interrupted: a/b/ serves a/b/index.html, "
        "conditional requests get 304, a _redirects file ('FROM TO [STATUS]' per line) adds redirects "
        "and 404.html is the not-found page.",
    )
    p.add_argument("root", metavar="DIR", type=Path, help="the site folder (e.g. samples/site)")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    p.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer (default 0)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        server = LocalWikiServer(args.root, port=args.port, delay=args.delay)
    except (OSError, NotADirectoryError) as exc:
        print(f"titlecrawl serve: {exc}", file=sys.stderr)
        return 1
    print(f"serving {server.root} at {server.url} (Ctrl-C to stop)", flush=True)
    # `kill`, systemd, a test: SIGTERM stops as Ctrl-C does. SIGINT gets its handler explicitly too: a
    # process started in the background by a non-interactive shell inherits SIGINT ignored.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        print(f"served {server.stats.requests} requests ({server.stats.not_modified} not modified)", flush=True)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
