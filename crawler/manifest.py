"""The end of a run: failures, the Parquet dataset, and the run manifest with its exit status.

``OUTDIR/manifest.json`` is the latest run's manifest; ``OUTDIR/manifests/<run_id>.json`` keeps every
run's (not in ``OUTDIR/runs/``: that folder is the dataset's ``runs`` table, which must hold only
Parquet files for ``pd.read_parquet("OUTDIR/runs")`` to work) (the drift check compares a run's layout errors per extractor family with the previous run's).
Every count comes from the job ledger, so a run that was killed and resumed reports each URL once.

Exit status (``exit_status`` in the manifest, and ``titlecrawl crawl``'s):
0 the crawl finished and the failure share is at most ``TITLECRAWL_FAIL_THRESHOLD``;
1 it finished but more URLs failed than that; 3 it did not finish (interrupted, closed early).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from extractors.drift import MANIFEST_KEY as LAYOUT_KEY
from extractors.drift import LayoutCounter, drift_warnings
from extractors.records import RECORD_SCHEMA_VERSION, ExtractionError, TitleRecord, record_from_dict
from extractors.registry import families
from titlecrawl import __version__

from .redact import redact_url
from .revisit import SKIP_REASON
from .session import FAILURES_FILE, MANIFEST_FILE, CrawlSession, iso, utc_now
from .state import OUTCOMES, CrawlStore, Job, Outcome

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_TOO_MANY_FAILURES = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

RUNS_DIR = "manifests"
LEGACY_RUNS_DIR = "runs"
"""Where output folders written before ``manifests/`` kept each run's manifest (still read)."""
EXPORT_PENDING_SUFFIX = ".export-pending.json"
"""``OUTDIR/.records.jsonl.export-pending.json`` names the run whose dataset export from that journal is
under way; an export that was killed leaves it behind."""
_SETTINGS = (
    "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
    "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "RETRY_ENABLED", "RETRY_TIMES", "RETRY_HTTP_CODES",
    "TITLECRAWL_RETRY_AFTER_MAX", "TITLECRAWL_BACKOFF_BASE", "USER_AGENT", "TITLECRAWL_MAX_PAGES",
    "TITLECRAWL_CONDITIONAL", "TITLECRAWL_FAIL_THRESHOLD", "TITLECRAWL_SITEMAPS", "TITLECRAWL_RECHECK_AFTER",
)  # fmt: skip

_FLOATS = frozenset({"AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY",
                     "DOWNLOAD_DELAY", "TITLECRAWL_RETRY_AFTER_MAX", "TITLECRAWL_BACKOFF_BASE",
                     "TITLECRAWL_FAIL_THRESHOLD"})
_NUMERIC = _FLOATS | {"CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE",
                      "RETRY_TIMES", "TITLECRAWL_MAX_PAGES"}
_BOOLS = frozenset({"ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "RETRY_ENABLED", "TITLECRAWL_CONDITIONAL",
                    "TITLECRAWL_SITEMAPS"})

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.settings import BaseSettings


def _setting(settings: BaseSettings, name: str) -> Any:
    value = settings.get(name)
    default = settings.getpriority(name) is not None and isinstance(value, str)
    if default and name in _NUMERIC:
        try:
            return settings.getfloat(name) if "." in value or name in _FLOATS else settings.getint(name)
        except ValueError:
            return value
    if isinstance(value, str) and value.lower() in ("true", "false") and name in _BOOLS:
        return settings.getbool(name)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return list(value)
    return str(value)


def build_manifest(session: CrawlSession, stats: dict[str, Any], reason: str) -> dict[str, Any]:
    store, job = session.require()
    counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    by_status: Counter[str] = Counter()
    by_family: Counter[str] = Counter()
    changes: Counter[str] = Counter()
    errors_per_field: Counter[str] = Counter()
    errors_per_kind: Counter[str] = Counter()
    layout_per_family: Counter[str] = Counter()
    failures_by_reason: Counter[str] = Counter()
    by_lastmod = 0
    layout = LayoutCounter()
    for o in store.outcomes(job):
        counts[o.outcome] += 1
        if o.outcome == "unchanged" and o.reason == SKIP_REASON:
            by_lastmod += 1
        if o.outcome == "record":
            layout.add(_stub_record(o))
            by_status[o.record_status or "?"] += 1
            by_family[o.family or "none"] += 1
            changes[o.change or "new"] += 1
            for field in {f for f, _k in o.errors}:
                errors_per_field[field] += 1
            for kind in {k for _f, k in o.errors}:
                errors_per_kind[kind] += 1
        elif o.outcome == "failure":
            failures_by_reason[o.reason or "unknown"] += 1
    for entry in layout.counts().values():  # by the family that flagged a page, not the fallback that read it
        if entry["layout"]:
            layout_per_family[entry["family"]] += entry["layout"]
    ledger = store.ledger_counts(job)
    seen = sum(counts.values())
    complete = reason == "finished" and not ledger.get("pending")
    failure_share = counts["failure"] / seen if seen else 1.0
    threshold = session.config.fail_threshold
    if not complete:
        exit_status = EXIT_INCOMPLETE
    elif failure_share > threshold:
        exit_status = EXIT_TOO_MANY_FAILURES
    else:
        exit_status = EXIT_OK
    elapsed = max(time.monotonic() - session.started_monotonic, 1e-6)
    finished_at = utc_now()
    settings = session.crawler.settings
    statuses = {
        k.rsplit("/", 1)[-1]: int(v) for k, v in stats.items() if k.startswith("downloader/response_status_count/")
    }
    return {
        "run_id": job.run_id,
        "job_id": job.job_id,
        "resumed": job.resumed,
        "titlecrawl_version": __version__,
        "record_schema_version": RECORD_SCHEMA_VERSION,
        "extractor_versions": {fam.name: fam.extractor_version for fam in families()},
        "started_at": job.started_at,
        "process_started_at": iso(session.started_at),
        "finished_at": iso(finished_at),
        "finish_reason": reason,
        "complete": complete,
        "start_urls": [redact_url(u) for u in session.start_urls],
        "profile": session.profile.name if session.profile else None,
        "outdir": str(session.config.outdir) if session.config.outdir else None,
        "state": redact_url(session.config.state) if session.config.state else None,
        "settings": {name: _setting(settings, name) for name in _SETTINGS},
        "seen": seen,
        "outcomes": counts,
        "unchanged_by_lastmod": by_lastmod,
        "revisit": {"recheck_after_seconds": session.config.recheck_after
                    if session.config.conditional else 0.0, **session.revisit_stats},
        "pending": ledger.get("pending", 0),
        "redirects": ledger.get("redirect", 0),
        "skipped_max_pages": session.skipped_max_pages,
        "changes": dict(changes),
        "records_by_status": dict(by_status),
        "records_by_family": dict(by_family),
        "errors_per_field": dict(sorted(errors_per_field.items())),
        "errors_per_kind": dict(sorted(errors_per_kind.items())),
        "layout_errors_per_family": dict(layout_per_family),
        LAYOUT_KEY: layout.counts(),
        "failures_by_reason": dict(failures_by_reason.most_common()),
        "http_statuses": dict(sorted(statuses.items())),
        "requests": int(stats.get("downloader/request_count", 0)),
        "retries": int(stats.get("retry/count", 0)),
        "bytes_downloaded": int(stats.get("downloader/response_bytes", 0)),
        "sitemaps": dict(session.sitemap_stats),
        "duration_seconds": round(elapsed, 2),
        "pages_this_process": session.ended_here,
        "pages_per_minute": round(session.ended_here / (elapsed / 60), 1),
        "failure_share": round(failure_share, 4),
        "fail_threshold": threshold,
        "exit_status": exit_status,
    }


def _stub_record(o: Outcome) -> TitleRecord:
    """Just enough of a record for the layout counter: its site, extractor and error kinds."""
    site = (o.record_id or "unknown:").split(":", 1)[0]
    errors = tuple(ExtractionError(field=f, kind=k, message="") for f, k in o.errors)
    return TitleRecord(record_id=o.record_id or "unknown:", site=site, extractor=o.family, errors=errors)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # workers of a distributed crawl share OUTDIR
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def write_manifest(outdir: Path, manifest: dict[str, Any]) -> Path:
    """``manifests/<run_id>.json`` (kept) and ``manifest.json`` (the latest run)."""
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    _write_atomic(outdir / RUNS_DIR / f"{manifest['run_id']}.json", data)
    _write_atomic(outdir / MANIFEST_FILE, data)
    return outdir / MANIFEST_FILE


def previous_manifest(outdir: Path, run_id: str) -> dict[str, Any] | None:
    """The manifest of the run before ``run_id`` in ``OUTDIR/manifests`` (or an older folder's
    ``OUTDIR/runs``); None for the first run."""
    found = [*(outdir / RUNS_DIR).glob("*.json"), *(outdir / LEGACY_RUNS_DIR).glob("*.json")]
    runs = sorted((p for p in found if p.stem < run_id), key=lambda p: p.stem)
    if not runs:
        return None
    try:
        data = json.loads(runs[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def failures(store: CrawlStore, job: Job) -> Iterator[Outcome]:
    return (o for o in store.outcomes(job) if o.outcome == "failure")


def write_failures(path: Path, store: CrawlStore, job: Job) -> int:
    """This run's failures, one JSON line each (url, status, reason, fetched_at, run_id)."""
    lines = [
        orjson.dumps({"url": o.url, "status": o.http_status, "reason": o.reason, "fetched_at": o.fetched_at,
                      "run_id": job.run_id})
        for o in failures(store, job)
    ]
    _write_atomic(path, b"".join(line + b"\n" for line in lines))
    return len(lines)


def export_dataset(session: CrawlSession, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """Feed the run's part of the records journal, the failures and the manifest to ``exports.dataset``.

    The journal is the durable copy; the dataset is written from it at the end of the run, from where
    the export before this run stopped, so records of a killed run reach the dataset with the next run.
    That start is kept per run: a job stopped and resumed (one run, exported at the end of each of its
    sessions) writes all its records again under its run id, replacing its earlier part files instead
    of losing what they held. Versions already in the dataset from other runs (same record id, content
    hash and extractor version) are skipped.
    """
    try:
        from exports.dataset import DatasetWriter, existing_versions, remove_run_files
    except ImportError:
        return None
    outdir = session.config.outdir
    journal = session.journal
    store, job = session.require()
    if outdir is None or journal is None:
        return None
    run_key = f"{journal.export_key}#run:{job.run_id}"
    start = store.get_mark(run_key)
    if start is None:  # the run's first export starts where the previous run's stopped
        start = store.get_mark(journal.export_key) or 0
        store.set_mark(run_key, start)
        store.commit()
    end = journal.offset
    pending = journal.path.with_name(f".{journal.path.name}{EXPORT_PENDING_SUFFIX}")  # one per journal (worker)
    killed = _pending_export(pending)
    if killed is not None and killed != job.run_id:
        killed_start = store.get_mark(f"{journal.export_key}#run:{killed}")
        if killed_start is None or killed_start >= start:
            # its export was killed before its end; its records are all past this run's start: written again
            removed = remove_run_files(outdir, killed)
            logger.warning("removed %d dataset file(s) of run %s, whose export was interrupted", removed, killed)
    _write_atomic(pending, orjson.dumps({"run_id": job.run_id}))
    existing = existing_versions(outdir, exclude_run=job.run_id)
    written = 0
    with DatasetWriter(outdir, run_id=job.run_id) as writer:
        with journal.path.open("rb") as fh:
            fh.seek(start)
            for line in iter(fh.readline, b""):
                if fh.tell() > end or not line.strip():
                    break
                record = record_from_dict(orjson.loads(line))
                if (record.record_id, record.content_sha256, record.extractor_version) in existing:
                    continue
                writer.write(record)
                written += 1
        own = getattr(store, "run_failures", None)  # Redis: only the failures this worker's run ended
        for o in own(job) if own is not None else failures(store, job):
            fetched = datetime.fromisoformat(o.fetched_at) if o.fetched_at else utc_now()
            writer.write_failure(o.url, o.http_status, o.reason or "", fetched)
        writer.write_run(manifest)
    store.set_mark(journal.export_key, end)
    store.commit()
    pending.unlink(missing_ok=True)
    return {"records": written, "tables": dict(writer.counts)}


def _pending_export(path: Path) -> str | None:
    """The run id of an export that started and never finished (None if there is none)."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        logger.warning("ignoring unreadable %s", path)
        return None
    run_id = data.get("run_id") if isinstance(data, dict) else None
    return run_id if isinstance(run_id, str) else None


def refresh_versions(outdir: Path, manifest: dict[str, Any]) -> None:
    """Rebuild ``OUTDIR/versions`` (every distinct content of every page) after the run's export,
    so the table lists this run's new versions too; a failure is kept in the manifest, not raised."""
    from exports.versions import write_versions

    try:
        path = write_versions(outdir)
    except Exception as exc:  # the titles table is intact; `titlecrawl diff --dataset OUTDIR --since` rebuilds it
        logger.exception("could not refresh the versions table")
        manifest["versions_error"] = f"{type(exc).__name__}: {exc}"
    else:
        if path is not None:
            manifest.setdefault("files", {})["versions"] = path.relative_to(outdir).as_posix()


def finish_run(session: CrawlSession, stats: dict[str, Any], reason: str) -> dict[str, Any]:
    """Close the books of a run: pending URLs, failures, dataset, manifest; the job is done or resumable."""
    store, job = session.require()
    store.commit()
    session.adopt_dead_workers()  # distributed crawls: records of killed workers in this OUTDIR
    if session.journal is not None:
        session.journal.close()
    if reason == "finished":
        for url in list(store.pending(job)):  # nothing may end without an outcome
            store.finish(job, Outcome(url=url, outcome="failure", reason="not fetched: dropped before download",
                                      fetched_at=iso(utc_now())))
        store.commit()
    manifest = build_manifest(session, stats, reason)
    if session.worker_id is not None:  # a distributed crawl: the counts are the whole job's
        manifest["worker"] = session.worker_id
    outdir = session.config.outdir
    if outdir is not None:
        manifest["drift_warnings"] = drift_warnings(previous_manifest(outdir, job.run_id), manifest)
        manifest["files"] = {"records": session.records_file, "failures": FAILURES_FILE, "manifest": MANIFEST_FILE}
        write_failures(outdir / FAILURES_FILE, store, job)
        try:
            dataset = export_dataset(session, manifest)
        except Exception as exc:  # the journal keeps the records; the next run exports them
            logger.exception("could not write the Parquet dataset; the next run retries from records.jsonl")
            manifest["dataset_error"] = f"{type(exc).__name__}: {exc}"
        else:
            if dataset is not None:
                manifest["dataset"] = dataset
        refresh_versions(outdir, manifest)
        write_manifest(outdir, manifest)
    store.close_job(job, finished=bool(manifest["complete"]))
    c = manifest["outcomes"]
    logger.info(
        "run %s %s: %d URLs: %d records, %d unchanged, %d not titles, %d failures (exit status %d)",
        job.run_id, reason, manifest["seen"], c["record"], c["unchanged"], c["not_title"], c["failure"],
        manifest["exit_status"],
    )  # fmt: skip
    return manifest
