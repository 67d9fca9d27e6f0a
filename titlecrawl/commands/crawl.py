"""``titlecrawl crawl URL... -o OUTDIR``: a polite, incremental, resumable crawl of a wiki.

Exit status: 0 the crawl finished and at most ``--fail-threshold`` of its URLs failed; 1 more failed;
2 bad arguments or an unusable output folder; 3 the crawl did not finish (interrupted: rerun it, with
the same ``--job-dir`` to resume).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.manifest import EXIT_INCOMPLETE, EXIT_USAGE
from crawler.profiles import PROFILES
from crawler.redact import redact_url
from crawler.revisit import parse_duration

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.settings import Settings

logger = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "crawl",
        help="crawl a wiki from its start URL(s) into an output folder (incremental, resumable)",
        description="Crawl a wiki politely (robots.txt, AutoThrottle, Retry-After) from its start URLs, "
        "extract every title page and write OUTDIR/records.jsonl, failures.jsonl, manifest.json and the "
        "state of every page for the next, incremental run. Exit status: 0 done; 1 more than "
        "--fail-threshold of the URLs failed; 2 bad arguments; 3 the crawl did not finish.",
    )
    p.add_argument("urls", nargs="*", metavar="URL",
                   help="start URL(s) of one wiki (with --redis: optional, the seeded job's)")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUTDIR", help="output folder")
    p.add_argument("--max-pages", type=int, default=0, metavar="N", help="accept at most N URLs (default: all)")
    p.add_argument("--state", type=Path, metavar="PATH", help="state store (default OUTDIR/state.sqlite)")
    p.add_argument("--job-dir", type=Path, metavar="DIR", help="make the crawl resumable after a kill")
    p.add_argument("--profile", choices=sorted(PROFILES), help="site profile (default: by URL, else by markup)")
    p.add_argument("--fail-threshold", type=float, default=None, metavar="FRACTION",
                   help="exit 1 when more than this share of URLs failed (default 0.1)")
    p.add_argument("--contact", metavar="C", help="URL or e-mail for site operators, sent in the User-Agent "
                   "(default: $TITLECRAWL_CONTACT)")
    p.add_argument("--no-conditional", action="store_true", help="fetch every page whole (no 304s, no skipping)")
    p.add_argument("--recheck-after", metavar="DURATION",
                   help="a known page its sitemap <lastmod> shows unchanged gets no request, unless its last fetch "
                   "is older than this (30d, 12h, 90m, seconds; default 30d); 0 re-checks every page")
    p.add_argument("--recheck-all", action="store_true",
                   help="re-check every known page with a conditional request (same as --recheck-after 0)")
    p.add_argument("--proxy", metavar="URL", help="fetch through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT "
                   "(default: $TITLECRAWL_PROXY; its credentials never reach logs, manifests or WARC files)")
    p.add_argument("--warc", type=Path, metavar="DIR",
                   help="also write every request and response to rotating .warc.gz files in DIR")
    p.add_argument("--warc-max-bytes", type=int, metavar="N", help="start a new WARC file at N bytes (default 1 GB)")
    p.add_argument("--redis", metavar="URL",
                   help="redis://HOST:PORT/DB: a worker of a distributed crawl sharing its queue, job and page "
                   "state through Redis (docs/scaleout.md)")
    p.add_argument("--redis-prefix", metavar="P", help="prefix of the crawl's Redis keys (default titlecrawl)")
    p.add_argument("--worker-id", metavar="ID", help="this worker's name (default HOST-PID)")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a Scrapy or TITLECRAWL_* setting (repeatable), e.g. -s DOWNLOAD_DELAY=2")
    p.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    p.set_defaults(func=run)


def build_settings(overrides: dict[str, Any], *, log_level: str = "INFO") -> Settings:
    """The project's settings (``crawler.settings``) with ``overrides`` at command-line priority."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def run_crawls(
    settings: Settings,
    runs: list[dict[str, Any]],
    after_each: Callable[[int, dict[str, Any] | None], None] | None = None,
) -> list[dict[str, Any] | None]:
    """Run crawls one after the other in this process; return each one's manifest (None if it failed).

    ``runs`` holds the spider arguments of each crawl (``start_urls``, ``profile``); ``after_each(i,
    manifest)`` is called after each. A crawl that did not finish stops the sequence. Twisted's reactor runs once per process, so this is the only way to
    crawl twice in one process.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from twisted.internet.defer import inlineCallbacks
    from twisted.internet.error import ReactorNotRunning

    from crawler.session import session_for
    from crawler.spiders.wiki import WikiSpider

    logging.root.handlers.clear()  # Scrapy installs its own root handler
    if not is_reactor_installed():
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(WikiSpider)]
    from twisted.internet import reactor as installed_reactor

    reactor: Any = installed_reactor

    results: list[dict[str, Any] | None] = []

    @inlineCallbacks
    def sequence() -> Any:
        try:
            for number, kwargs in enumerate(runs):
                crawler = crawlers[0] if number == 0 else process.create_crawler(WikiSpider)
                if number:
                    crawlers.append(crawler)
                try:
                    yield process.crawl(crawler, **kwargs)
                except Exception as exc:  # noqa: BLE001 - any error ends the sequence, reported below
                    logger.error("the crawl could not run: %s", exc)
                    results.append(None)
                    break
                result = session_for(crawler).result
                results.append(result)
                if after_each is not None:
                    after_each(number, result)
                if result is None or not result.get("complete"):
                    break
        finally:
            reactor.callLater(0, stop_reactor)

    def stop_reactor() -> None:
        with contextlib.suppress(ReactorNotRunning):  # a shutdown signal may have stopped it already
            reactor.stop()

    reactor.callWhenRunning(sequence)
    process.start(stop_after_crawl=False)
    # A shutdown signal that lands after a crawl wrote its manifest but before its Deferred fired stops
    # the reactor under ``sequence``: that crawl's manifest is still in its session.
    results.extend(session_for(crawler).result for crawler in crawlers[len(results):])
    return results


def print_summary(manifest: dict[str, Any], *, file: Any = None) -> None:
    out = file or sys.stdout
    c = manifest["outcomes"]
    ch = manifest.get("changes", {})
    took = float(manifest.get("duration_seconds") or 0.0)
    print(
        f"{manifest['seen']} URLs in {took:.1f} s: {c['record']} records ({ch.get('new', 0)} new, "
        f"{ch.get('changed', 0)} changed), {c['unchanged']} unchanged"
        + (f" ({manifest['unchanged_by_lastmod']} by sitemap lastmod, no request)"
           if manifest.get("unchanged_by_lastmod") else "")
        + f", {c['not_title']} not titles, "
        f"{c['failure']} failures" + (f", {manifest['redirects']} redirects" if manifest.get("redirects") else ""),
        file=out,
    )
    if manifest.get("failures_by_reason"):
        reasons = ", ".join(f"{n} {reason}" for reason, n in manifest["failures_by_reason"].items())
        print(f"failures: {reasons}", file=out)
    if manifest.get("pending"):
        print(f"{manifest['pending']} URLs still pending: run again (same --job-dir) to finish", file=out)
    share, threshold = manifest["failure_share"], manifest["fail_threshold"]
    print(
        f"exit status {manifest['exit_status']} ({manifest['finish_reason']}; failure share {share:.1%}, "
        f"threshold {threshold:.1%})",
        file=out,
    )


def run(args: argparse.Namespace) -> int:
    try:
        overrides: dict[str, Any] = parse_assignments(args.set)
    except ValueError as exc:
        print(f"titlecrawl crawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.urls and not args.redis:
        print("titlecrawl crawl: give the wiki's start URL(s) (or --redis for a seeded job)", file=sys.stderr)
        return EXIT_USAGE
    for url in args.urls:
        if not url.startswith(("http://", "https://")):
            print(f"titlecrawl crawl: not an http(s) URL: {redact_url(url)}", file=sys.stderr)
            return EXIT_USAGE
        if redact_url(url) != url:  # it would reach logs, failures and manifests; and Scrapy cannot fetch it
            print(f"titlecrawl crawl: a start URL must not carry a user name or password: {redact_url(url)}",
                  file=sys.stderr)
            return EXIT_USAGE
    from crawler.proxy import PROXY_ENV, parse_proxy

    proxy = args.proxy or os.environ.get(PROXY_ENV)
    if proxy:  # checked here, so that a bad value is a usage error rather than a traceback from Scrapy
        try:
            parse_proxy(proxy)
        except ValueError as exc:
            print(f"titlecrawl crawl: {'--proxy' if args.proxy else PROXY_ENV}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.proxy:
        overrides["TITLECRAWL_PROXY"] = args.proxy
    overrides["TITLECRAWL_OUTDIR"] = str(args.output)
    if args.max_pages:
        overrides["TITLECRAWL_MAX_PAGES"] = args.max_pages
    if args.state:
        overrides["TITLECRAWL_STATE"] = str(args.state)
    if args.job_dir:
        overrides["TITLECRAWL_JOB_DIR"] = str(args.job_dir)
    if args.profile:
        overrides["TITLECRAWL_PROFILE"] = args.profile
    if args.fail_threshold is not None:
        overrides["TITLECRAWL_FAIL_THRESHOLD"] = args.fail_threshold
    if args.contact:
        overrides["TITLECRAWL_CONTACT"] = args.contact
    if args.no_conditional:
        overrides["TITLECRAWL_CONDITIONAL"] = False
    if args.recheck_all and args.recheck_after not in (None, "0"):
        print("titlecrawl crawl: --recheck-all and --recheck-after DURATION contradict each other", file=sys.stderr)
        return EXIT_USAGE
    if args.recheck_after is not None or args.recheck_all:
        value = "0" if args.recheck_all else args.recheck_after
        try:
            parse_duration(value)
        except ValueError as exc:
            print(f"titlecrawl crawl: --recheck-after: {exc}", file=sys.stderr)
            return EXIT_USAGE
        overrides["TITLECRAWL_RECHECK_AFTER"] = value
    if args.warc:
        overrides["TITLECRAWL_WARC_DIR"] = str(args.warc)
    if args.redis:
        overrides["TITLECRAWL_REDIS_URL"] = args.redis
    if args.redis_prefix:
        overrides["TITLECRAWL_REDIS_PREFIX"] = args.redis_prefix
    if args.worker_id:
        overrides["TITLECRAWL_WORKER_ID"] = args.worker_id
    if args.warc_max_bytes:
        overrides["TITLECRAWL_WARC_MAX_BYTES"] = args.warc_max_bytes
    level = "WARNING" if args.quiet else ("DEBUG" if args.verbose >= 2 else "INFO")
    settings = build_settings(overrides, log_level=level)
    (manifest,) = run_crawls(settings, [{"start_urls": args.urls}])[:1] or [None]
    if manifest is None:
        print("titlecrawl crawl: the crawl did not run (see the log above)", file=sys.stderr)
        return EXIT_USAGE
    print_summary(manifest)
    records = manifest.get("files", {}).get("records", "records.jsonl")
    print(f"wrote {args.output}/{records}, failures.jsonl, manifest.json", file=sys.stdout)
    return int(manifest.get("exit_status", EXIT_INCOMPLETE))
