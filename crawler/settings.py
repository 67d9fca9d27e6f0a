"""Scrapy settings of the titlecrawl project (``scrapy crawl wiki``; ``titlecrawl crawl`` starts from these).

Polite by default: robots.txt obeyed, AutoThrottle on, a few requests per site at a time, a
User-Agent naming the project and a contact (``TITLECRAWL_CONTACT``), bounded retries that honour
``Retry-After``, a download size limit and timeout. ``TITLECRAWL_*`` settings configure the crawl
itself; each can be given with ``-s NAME=VALUE``.
"""

from __future__ import annotations

import os

BOT_NAME = "titlecrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- politeness ------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "titlecrawl"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
COOKIES_ENABLED = False
METAREFRESH_ENABLED = False  # decodes every body; wikis do not use meta refresh for content
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no extra listening port
# USER_AGENT is left unset here: the spider makes it "titlecrawl/<version> (+<TITLECRAWL_CONTACT>)"
# unless you set USER_AGENT yourself.

# -- throughput (one item per page: see ../shared/PERF-NOTES.md) ------------------------------
CONCURRENT_ITEMS = 1
LOGSTATS_INTERVAL = 30.0

# -- titlecrawl --------------------------------------------------------------------------------
TITLECRAWL_CONTACT = os.environ.get("TITLECRAWL_CONTACT", "")
"""A URL or e-mail address for site operators, put in the User-Agent."""
TITLECRAWL_OUTDIR = None
"""Output folder: records.jsonl, failures.jsonl, manifest.json, manifests/, state.sqlite, the dataset (None: feeds only)."""
TITLECRAWL_STATE = None
"""State store file (SQLite); default OUTDIR/state.sqlite, or a throwaway one without OUTDIR."""
TITLECRAWL_JOB_DIR = None
"""Folder making the crawl resumable after a kill (Scrapy's JOBDIR setting is read as well)."""
TITLECRAWL_MAX_PAGES = 0
"""Stop accepting new URLs after this many (0: no limit)."""
TITLECRAWL_PROFILE = None
"""Site profile name; default: chosen by the start URL's host, else by the first page's markup."""
TITLECRAWL_FAIL_THRESHOLD = 0.1
"""Exit status 1 when more than this share of the URLs failed."""
TITLECRAWL_CONDITIONAL = True
"""Send If-None-Match / If-Modified-Since from the state store."""
TITLECRAWL_SITEMAPS = True
"""Read the profile's sitemaps (and those robots.txt names) besides following links."""
TITLECRAWL_RECHECK_AFTER = "30d"
"""A recrawl settles a known page as unchanged without a request when its sitemap lastmod is older than its
last fetch, unless that fetch is older than this (``30d``, ``12h``, seconds); ``0``: re-check every page."""
TITLECRAWL_LOCAL_FAST = True
"""A crawl of 127.0.0.1 / localhost only (your own server) drops DOWNLOAD_DELAY and the AutoThrottle start
delay and allows 8 requests at a time, unless you set those yourself; robots.txt and AutoThrottle stay on."""
TITLECRAWL_RETRY_AFTER_MAX = 300.0
"""Longest Retry-After honoured, in seconds; a server asking for more makes the URL a failure."""
TITLECRAWL_BACKOFF_BASE = 2.0
"""Seconds before the first retry without Retry-After; doubled on each further retry."""
TITLECRAWL_BACKOFF_MAX = 60.0
TITLECRAWL_REDIS_URL = None
"""``redis://HOST:PORT/DB``: share the frontier, the job ledger and the page state with other workers through
Redis (scrapy-redis scheduler and duplicate filter; docs/scaleout.md). ``REDIS_URL`` is read as well."""
TITLECRAWL_REDIS_PREFIX = "titlecrawl"
"""Prefix of every Redis key of the crawl (one crawl per prefix; several can share one database)."""
TITLECRAWL_WORKER_ID = None
"""This worker's name in Redis and in its file names (default ``<host>-<pid>``)."""
TITLECRAWL_REDIS_HEARTBEAT = 5.0
"""Seconds between a worker's heartbeats (and its checks for dead workers)."""
TITLECRAWL_REDIS_DEAD_AFTER = 30.0
"""A worker silent this long is dead: its in-flight requests go back on the queue."""
TITLECRAWL_REDIS_ORPHAN_GRACE = 10.0
"""Seconds of an empty queue and no claims before pending URLs nobody holds are queued again."""
TITLECRAWL_PROXY = None
"""``http://[user:password@]host:port``: fetch everything through this proxy (crawler/proxy.py); else the
``TITLECRAWL_PROXY`` environment variable (keeps the password out of ``ps``)."""
TITLECRAWL_WARC_DIR = None
"""Capture every request and response into rotating .warc.gz files in this folder (crawler/warc_capture.py)."""
TITLECRAWL_WARC_MAX_BYTES = 1_000_000_000
"""Start a new WARC file once the current one reaches this size."""
TITLECRAWL_WARC_COMPRESS_LEVEL = 1
"""gzip level (1-9) of the WARC records: 1 is about 7x cheaper than 9 for files about 25% larger; levels 1-3
are compressed with ISA-L (``isal``), another 4x cheaper than zlib's level 1 for the same ratio."""
TITLECRAWL_GC_TUNE = True
"""Fewer garbage collections in the crawl process (start-up objects frozen, a higher young-generation
threshold; crawler/pipelines.py ``QuietGC``): about a tenth of its CPU."""
TITLECRAWL_EXTRACT_WORKERS = "auto"
"""Processes that parse and extract pages, off the crawl loop (crawler/offload.py): ``auto`` = one per core
(none on a single core); ``0`` = in the crawl process; or a number."""

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.FrontierMiddleware": 50,
    "crawler.middlewares.ConditionalRequestMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SharedRobotsTxtMiddleware": 100,  # Scrapy's, minus a race (crawler/middlewares.py)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.PoliteRetryMiddleware": 550,
    "crawler.proxy.ProxyMiddleware": 740,  # --proxy / TITLECRAWL_PROXY; before Scrapy's HttpProxyMiddleware (750)
    "crawler.warc_capture.WarcCaptureDownloaderMiddleware": 950,  # off unless TITLECRAWL_WARC_DIR
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.OutcomeSpiderMiddleware": 990,
    "crawler.warc_capture.WarcCaptureSpiderMiddleware": 950,  # off unless TITLECRAWL_WARC_DIR
}
ITEM_PIPELINES = {
    "crawler.pipelines.RecordSinkPipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.ConditionalAutoThrottle": 0,  # a 304 may lower the delay too (incremental recrawls)
    "crawler.extensions.ProgressLog": 500,
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {"parquet": "exports.feed.ParquetItemExporter"}  # -O out.parquet (docs/dataset.md)
LOG_LEVEL = "INFO"
