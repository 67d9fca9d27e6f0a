"""``titlecrawl seed --redis URL START_URL...``: start (or extend) a distributed crawl's job in Redis.

The start URLs are accepted into the shared job's ledger and their requests pushed on scrapy-redis'
queue; workers started with ``titlecrawl crawl --redis URL -o OUTDIR`` (no start URL needed) take
them from there. Seeding a running job adds the URLs it does not have yet. Exit status 0, or 2 for
bad arguments or an unreachable Redis.
"""

from __future__ import annotations

import argparse
import logging
import sys

from crawler.profiles import PROFILES

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "seed",
        help="push a wiki's start URL(s) into Redis for the workers of a distributed crawl",
        description="Start the shared job of a distributed crawl in Redis (or join the running one) and "
        "queue its start URLs; then run `titlecrawl crawl --redis URL -o OUTDIR` on each machine.",
    )
    p.add_argument("urls", nargs="+", metavar="START_URL", help="start URL(s) of one wiki")
    p.add_argument("--redis", required=True, metavar="URL", help="redis://HOST:PORT/DB")
    p.add_argument("--redis-prefix", default="titlecrawl", metavar="P",
                   help="prefix of the crawl's Redis keys (default titlecrawl)")
    p.add_argument("--profile", choices=sorted(PROFILES), help="site profile (default: by URL, else by markup)")
    p.add_argument("--max-pages", type=int, default=0, metavar="N",
                   help="accept at most N URLs into the job (workers need the same --max-pages)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crawler.redis_frontier import encode_page_request
    from crawler.session import new_run_id, normalize_link
    from crawler.state_redis import RedisStore

    urls: list[str] = []
    for url in args.urls:
        link = normalize_link(url, url) if url.startswith(("http://", "https://")) else None
        if link is None:
            print(f"titlecrawl seed: not an http(s) URL: {url}", file=sys.stderr)
            return 2
        urls.append(link)
    try:
        store = RedisStore(args.redis, prefix=args.redis_prefix, worker=f"seed-{new_run_id()}")
    except (ConnectionError, ValueError) as exc:
        print(f"titlecrawl seed: {exc}", file=sys.stderr)
        return 2
    try:
        job = store.open_job(new_run_id(), new_run_id(), resumable=True,
                             meta={"start_urls": urls, "profile": args.profile})
        if job.resumed:
            known = [str(u) for u in job.meta.get("start_urls") or []]  # type: ignore[attr-defined]
            merged = known + [u for u in urls if u not in known]
            store.set_job_meta(job, start_urls=merged, **({"profile": args.profile} if args.profile else {}))
        added = store.discover(job, urls, limit=args.max_pages or None)
        if added:
            store.db.zadd(store.keys.queue, {encode_page_request(url): 0.0 for url in added})
        queued = int(store.db.zcard(store.keys.queue))
    finally:
        store.close()
    state = "joined running" if job.resumed else "started"
    print(f"{state} job {job.job_id}: {len(added)} new start URLs, {len(urls) - len(added)} already known; "
          f"{queued} requests queued")
    return 0
