"""Pages per second of a distributed crawl with 1, then 2 worker processes sharing one Redis.

Starts a private ``redis-server`` on a free loopback port (no persistence), serves a cloned wiki
(``benchmarks/clonewiki.py``, 1,500 title pages by default) with ``titlecrawl serve`` in its own process,
then for each worker count: empties Redis, ``titlecrawl seed``, starts the workers
(``titlecrawl crawl --redis``) into a fresh output folder, and watches the shared ledger in Redis.

Printed per run: URLs ended, the crawl time (first outcome to the last pending URL ending, read from
Redis every 50 ms) and pages per second over it, the wall time including process start and exit, and
Redis' memory (``used_memory``) at the end with the number of page states and ledger entries. Then
the memory per queued request, per duplicate-filter fingerprint and per page state, measured by
filling a scratch database.

    python -m benchmarks.redis_bench [--titles 1500] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from benchmarks.clonewiki import build_wiki
from crawler.localredis import free_port, start_redis_server

REPO = Path(__file__).resolve().parents[1]
FAST = ["-s", "LOGSTATS_INTERVAL=0", "-q"]


def wait_http(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the wiki server on port {port} did not start")


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("TITLECRAWL_", "SCRAPY_"))}
    out["PYTHONPATH"] = str(REPO)
    return out


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "titlecrawl.cli", *args]


def crawl(redis_url: str, wiki: str, workers: int, out: Path, timeout: float) -> dict[str, float]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    subprocess.run(cli("seed", "--redis", redis_url, wiki), cwd=REPO, env=env(), check=True, capture_output=True,
                   timeout=60)
    wall0 = time.monotonic()
    out.mkdir(parents=True)
    procs = []
    for i in range(workers):
        with (out / f"bench{i}.log").open("w") as log:
            procs.append(subprocess.Popen(
                cli("crawl", "--redis", redis_url, "-o", str(out), "--worker-id", f"bench{i}", *FAST),
                cwd=REPO, env=env(), stdout=log, stderr=subprocess.STDOUT,
            ))  # fmt: skip
    first = last = None
    done = 0
    deadline = wall0 + timeout
    try:
        while time.monotonic() < deadline:
            counts = {k.decode(): int(v) for k, v in client.hgetall("titlecrawl:count").items()}
            now = time.monotonic()
            done = counts.get("done", 0)
            if first is None and done > 0:
                first = now
            if first is not None and counts.get("pending", 1) == 0:
                last = now
                break
            time.sleep(0.05)
        for proc in procs:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    wall = time.monotonic() - wall0
    if first is None or last is None:
        raise RuntimeError("the crawl did not finish in time")
    info = client.info("memory")
    result = {
        "urls": float(done),
        "crawl_s": last - first,
        "pages_per_s": done / max(last - first, 1e-9),
        "wall_s": wall,
        "used_memory": float(info["used_memory"]),
        "pages": float(client.hlen("titlecrawl:pages")),
        "ledger": float(client.hlen("titlecrawl:ledger")),
        "codes": float(sum(abs(p.returncode or 0) for p in procs)),
    }
    client.close()
    return result


def memory_per_entry(redis_url: str, n: int = 20_000) -> dict[str, float]:
    """Bytes of Redis memory per queued request, dupefilter fingerprint, ledger entry + outcome, page state."""
    from crawler.redis_frontier import encode_page_request
    from crawler.state import Outcome, PageState
    from crawler.state_redis import RedisStore, _outcome_json, _pack_state

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    store = RedisStore(redis_url, prefix="mem", worker="mem")
    base = "http://wiki.example.org/some-title-slug-{i}/4000-{i}/"
    links = tuple(f"http://wiki.example.org/person-{j}/4040-{j}/" for j in range(40))

    def measure(fill: object) -> float:
        client.execute_command("MEMORY", "PURGE")
        before = int(client.info("memory")["used_memory"])
        for start in range(0, n, 1000):
            pipe = client.pipeline(transaction=False)
            for i in range(start, min(n, start + 1000)):
                fill(pipe, i)  # type: ignore[operator]
            pipe.execute()
        return (int(client.info("memory")["used_memory"]) - before) / n

    sha = "0123456789abcdef" * 4
    state = PageState(url="", etag='"5f1c-6a3e1b2c"', last_modified="Mon, 23 Nov 2026 10:00:00 GMT",
                      content_sha256=sha, record_sha256=sha, record_id="animevice:4000-1", extractor_version="whiskey/3",
                      first_seen="2026-11-01T00:00:00Z", last_seen="2026-11-23T00:00:00Z",
                      last_changed="2026-11-01T00:00:00Z", links=links)  # fmt: skip
    outcome = Outcome(url="", outcome="record", http_status=200, fetched_at="2026-11-23T00:00:00Z",
                      record_id="animevice:4000-1", record_status="ok", family="whiskey", change="new")
    result = {
        "queued request": measure(lambda p, i: p.zadd("mem:q", {encode_page_request(base.format(i=i)): 0})),
        "dupefilter fingerprint": measure(lambda p, i: p.sadd("mem:df", f"{i:040x}")),
        "ledger entry + outcome": measure(lambda p, i: (p.hset("mem:ledger", base.format(i=i), "d"),
                                                         p.hset("mem:outcomes", base.format(i=i), _outcome_json(outcome)))),
        "page state (40 links)": measure(lambda p, i: p.hset("mem:pages", base.format(i=i), _pack_state(state))),
    }
    store.close()
    client.flushdb()
    client.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pages/s of 1 and 2 titlecrawl workers sharing one Redis")
    parser.add_argument("--titles", type=int, default=1500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--keep", type=Path, help="copy the output folders (with the workers' logs) here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="redis-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "redis").mkdir()
        build_wiki(tmp / "wiki", args.titles)
        redis_proc, redis_port = start_redis_server(tmp / "redis")
        http_port = free_port()
        server = subprocess.Popen(cli("serve", str(tmp / "wiki"), "--port", str(http_port)), cwd=REPO, env=env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(http_port)
            url = f"redis://127.0.0.1:{redis_port}/0"
            wiki = f"http://127.0.0.1:{http_port}/"
            print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; "
                  f"{os.cpu_count()} CPUs; wiki of {args.titles} cloned title pages")
            for n in args.workers:
                r = crawl(url, wiki, n, tmp / f"out-{n}", args.timeout)
                load = os.getloadavg()
                print(f"{n} worker(s): {r['urls']:.0f} URLs in {r['crawl_s']:.1f} s = {r['pages_per_s']:.1f} pages/s "
                      f"(wall {r['wall_s']:.1f} s with start and exit; exit codes sum {r['codes']:.0f}); "
                      f"Redis used_memory {r['used_memory'] / 1e6:.1f} MB for {r['pages']:.0f} page states and "
                      f"{r['ledger']:.0f} ledger entries; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
                if args.keep:
                    shutil.copytree(tmp / f"out-{n}", args.keep / f"out-{n}", dirs_exist_ok=True)
            for name, size in memory_per_entry(url).items():
                print(f"memory per {name}: {size:.0f} bytes")
        finally:
            server.terminate()
            server.wait(timeout=20)
            redis_proc.terminate()
            redis_proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
