"""Re-extraction without recrawling: captures from WARC / WET files and saved pages to a dataset.

``iter_captures(paths)`` reads, in a stable order:

- WARC and WARC.gz files (``.warc``, ``.warc.gz``, ``.arc.gz`` is not supported): ``response`` records
  (HTTP headers parsed, chunked and content encodings decoded), ``resource`` records, and the
  ``conversion`` records of WET files (``.warc.wet.gz``: the text of a page). ``revisit`` records
  carry no body and are counted as skipped.
- folders of saved pages, walked recursively in name order: ``.html``, ``.htm``, ``.txt`` and their
  ``.gz`` versions (gzip found by its magic number), plus any WARC files inside. URL and capture time
  come from a ``<file>.meta.json`` or a ``meta.json`` beside the page (``url``, ``fetched_at``; the
  samples' layout), the capture time else from the file's modification time.

``reextract(paths, outdir)`` runs the current extractors over every capture in a process pool (one
worker per core by default) and writes the same dataset as a crawl (``exports.dataset.DatasetWriter``)
plus ``OUTDIR/records.jsonl`` and ``OUTDIR/manifest.json``. Each record carries the capture's URL and
time. A version already in the dataset or met earlier in the run (same ``record_id``,
``content_sha256`` and ``extractor_version``) is not written again, so each content of a page is one
version (the first capture met), and a newer extractor adds its own reading of it. As in a crawl,
error responses (4xx, 5xx) become failures and pages that are not titles (people, characters,
indexes) are counted, not written; the pages of a MyAnimeList or IMDb title (its main page and its
sub-pages) make one merged record per title, as in a crawl (``exports/titleparts.py``); redirects, ``robots.txt``, sitemaps and non-page content types are
skipped and counted.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import orjson
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from exports.json import JsonLinesWriter
from exports.titleparts import TitlePartsMerger
from exports.warc import FAST_GZIP, RECORD_ID_HEADER, gzip_decompressor
from extractors import extract_title
from extractors.records import TitleRecord, format_timestamp

logger = logging.getLogger(__name__)

MAX_CAPTURE_BYTES = 64 * 1024 * 1024
"""Pages larger than this (after decoding) become failures instead of being extracted."""

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt")
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_BATCH = 8
"""Captures sent to a worker at once: amortizes the pickling round trip of small pages."""


@dataclass(frozen=True, slots=True)
class Capture:
    """One captured page: its bytes and where and when they were fetched."""

    source: str
    """Where it was read: a file path, or ``path#N`` for the N-th record of a WARC file."""
    url: str | None
    fetched_at: datetime | None
    body: bytes
    content_type: str | None = None
    status: int | None = None
    """The HTTP status when the capture kept one (WARC responses)."""
    record_id: str | None = None
    """The record id a titlecrawl crawl wrote beside the response (``WARC-Titlecrawl-Record-ID``)."""


@dataclass(frozen=True, slots=True)
class Skip:
    """A capture that is not extracted: why, and whether a crawl would list it as a failure."""

    source: str
    url: str | None
    fetched_at: datetime | None
    reason: str
    status: int | None = None
    failure: bool = False


# -- reading ------------------------------------------------------------------------------------


def _is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _is_page(path: Path) -> bool:
    name = path.name.lower()
    name = name.removesuffix(".gz")
    return name.endswith(PAGE_SUFFIXES) and not name.endswith(".meta.json")


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Input files in a stable order: files as given, folders walked recursively in name order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file() and (_is_warc(p) or _is_page(p)))
        else:
            out.append(path)
    return out


def _read_limited(stream: Any, limit: int = MAX_CAPTURE_BYTES) -> bytes | None:
    data: bytes = stream.read(limit + 1)
    return None if len(data) > limit else data


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = iso_date_to_datetime(value, tz_aware=True)
        except (ValueError, TypeError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _is_page_url(url: str | None) -> bool:
    path = urlsplit(url).path.lower() if url else ""
    return not (path.endswith("/robots.txt") or "sitemap" in path.rsplit("/", 1)[-1])


class _FastReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader of a WARC.gz file, inflating its gzip members with ISA-L (about 2.5x faster)."""

    DECOMPRESSORS: ClassVar[dict[str, Callable[[], Any]]] = {
        **DecompressingBufferedReader.DECOMPRESSORS,
        "gzip": gzip_decompressor,
    }


def archive_records(fh: Any) -> Any:
    """warcio's ``ArchiveIterator`` over ``fh``, with ISA-L inflating the records when it is installed."""
    iterator = ArchiveIterator(fh)
    if FAST_GZIP:  # not started yet: its reader can still be swapped
        iterator.reader = _FastReader(iterator.fh)
    return iterator


def iter_warc(path: Path) -> Iterator[Capture | Skip]:
    """The page captures of one WARC / WET file (gzip or not)."""
    with open(path, "rb") as fh:
        for number, record in enumerate(archive_records(fh), 1):
            kind = record.rec_type
            if kind not in ("response", "resource", "conversion", "revisit"):
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI")
            fetched_at = _parse_time(headers.get_header("WARC-Date"))
            source = f"{path}#{number}"
            if kind == "revisit":
                yield Skip(source, url, fetched_at, "revisit record (no body)")
                continue
            status: int | None = None
            if kind == "response" and record.http_headers is not None:
                content_type = record.http_headers.get_header("Content-Type")
                try:
                    status = int(record.http_headers.get_statuscode())
                except (TypeError, ValueError):
                    status = None
            else:
                content_type = headers.get_header("Content-Type")
            if status is not None and status >= 400:
                yield Skip(source, url, fetched_at, f"HTTP {status}", status=status, failure=True)
                continue
            if status is not None and not 200 <= status < 300:
                yield Skip(source, url, fetched_at, f"HTTP {status}", status=status)
                continue
            mime = (content_type or "text/html").split(";")[0].strip().lower()
            if mime not in _PAGE_TYPES or not _is_page_url(url):
                yield Skip(source, url, fetched_at, f"not a page ({mime})", status=status)
                continue
            try:
                body = _read_limited(record.content_stream())
            except (OSError, ValueError, EOFError) as exc:
                yield Skip(source, url, fetched_at, f"unreadable body: {exc}", status=status, failure=True)
                continue
            if body is None:
                yield Skip(source, url, fetched_at, "over the size limit", status=status, failure=True)
                continue
            if kind == "conversion" and "charset" not in (content_type or ""):
                content_type = "text/plain; charset=utf-8"
            yield Capture(
                source=source,
                url=url,
                fetched_at=fetched_at,
                body=body,
                content_type=content_type,
                status=status,
                record_id=headers.get_header(RECORD_ID_HEADER),
            )


def _sidecar(path: Path) -> dict[str, Any]:
    """``<file>.meta.json``, else ``meta.json`` in the same folder (its ``subpages`` map too)."""
    for meta in (path.with_name(path.name + ".meta.json"), path.with_name("meta.json")):
        if not meta.is_file():
            continue
        try:
            data = orjson.loads(meta.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            logger.warning("ignoring unreadable %s", meta)
            continue
        if not isinstance(data, dict):
            continue
        subpages = data.get("subpages")
        if meta.name == "meta.json" and isinstance(subpages, dict) and path.name in subpages:
            return {**data, "url": subpages[path.name]}
        return data
    return {}


def read_page_file(path: Path) -> Capture | Skip:
    """One saved page (gzip detected by its magic number) with its URL and capture time."""
    source = str(path)
    meta = _sidecar(path)
    url = meta.get("url") if isinstance(meta.get("url"), str) else None
    try:
        fetched_at = _parse_time(meta.get("fetched_at")) or datetime.fromtimestamp(
            int(path.stat().st_mtime), tz=UTC
        )
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.open(fh, "rb") as unzipped:
                    body = _read_limited(unzipped)
            else:
                body = _read_limited(fh)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return Skip(source, url, None, f"unreadable: {exc}", failure=True)
    if body is None:
        return Skip(source, url, fetched_at, "over the size limit", failure=True)
    name = path.name.lower().removesuffix(".gz")
    content_type = "text/plain" if name.endswith(".txt") else None
    return Capture(source=source, url=url, fetched_at=fetched_at, body=body, content_type=content_type)


def iter_captures(paths: Iterable[str | Path]) -> Iterator[Capture | Skip]:
    """Every capture of the inputs (see the module doc), in a stable order."""
    for path in expand_inputs(paths):
        if _is_warc(path):
            try:
                yield from iter_warc(path)
            except (OSError, ArchiveLoadFailed, EOFError) as exc:
                yield Skip(str(path), None, None, f"unreadable WARC: {exc}", failure=True)
        elif path.is_file():
            yield read_page_file(path)
        else:
            yield Skip(str(path), None, None, "no such file", failure=True)


# -- extracting ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of extracting one capture: a record, or why it failed."""

    capture: Capture
    record: TitleRecord | None
    error: str | None = None


def extract_capture(capture: Capture, *, site: str | None = None) -> TitleRecord:
    """The record of one capture: the pure extractor, given the capture's URL and time."""
    return extract_title(
        capture.body, capture.url, fetched_at=capture.fetched_at, site=site, content_type=capture.content_type
    )


def _extract_batch(batch: list[Capture], site: str | None) -> list[tuple[TitleRecord | None, str | None]]:
    out: list[tuple[TitleRecord | None, str | None]] = []
    for capture in batch:
        try:
            out.append((extract_capture(capture, site=site), None))
        except Exception as exc:  # one bad page must not end a run over years of captures
            logger.debug("extracting %s failed", capture.source, exc_info=True)
            out.append((None, f"{type(exc).__name__}: {exc}"))
    return out


def _batches(items: Iterator[Capture | Skip], size: int) -> Iterator[list[Capture | Skip]]:
    batch: list[Capture | Skip] = []
    for item in items:
        batch.append(item)
        if sum(isinstance(i, Capture) for i in batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process that has the extractors imported: no fork of this
    (threaded: tqdm, pyarrow) process, and no import cost per worker."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["extractors", "exports.reextract"])
        return context
    return multiprocessing.get_context("spawn")


def run_extraction(
    items: Iterable[Capture | Skip], *, jobs: int = 0, site: str | None = None
) -> Iterator[Outcome | Skip]:
    """Extract every capture, in input order; ``jobs`` worker processes (0: one per core, 1: inline).

    At most a few batches per worker are in flight, so memory stays flat however large the input.
    """
    jobs = jobs or os.cpu_count() or 1
    stream = iter(items)
    if jobs == 1:
        for item in stream:
            if isinstance(item, Skip):
                yield item
                continue
            ((record, error),) = _extract_batch([item], site)
            yield Outcome(item, record, error)
        return
    pending: deque[tuple[list[Capture | Skip], Future[list[tuple[TitleRecord | None, str | None]]]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        for batch in _batches(stream, _BATCH):
            captures = [i for i in batch if isinstance(i, Capture)]
            pending.append((batch, pool.submit(_extract_batch, captures, site)))
            if len(pending) >= jobs * 3:
                yield from _drain(pending.popleft())
        while pending:
            yield from _drain(pending.popleft())


def _drain(
    entry: tuple[list[Capture | Skip], Future[list[tuple[TitleRecord | None, str | None]]]],
) -> Iterator[Outcome | Skip]:
    batch, future = entry
    results = iter(future.result())
    for item in batch:
        if isinstance(item, Skip):
            yield item
        else:
            record, error = next(results)
            yield Outcome(item, record, error)


# -- the run ------------------------------------------------------------------------------------


@dataclass(slots=True)
class ReextractStats:
    """What a re-extraction run did, for the manifest and the progress bar."""

    pages: int = 0
    records: int = 0
    duplicates: int = 0
    skipped: int = 0
    failures: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    errors_per_field: Counter[str] = field(default_factory=Counter)
    extractor_versions: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        """Pages whose record lists errors, plus pages that could not be extracted at all."""
        return self.outcomes["partial"] + self.failures


def run_id_for(paths: Sequence[Path]) -> str:
    """A run id that depends only on the inputs (names, sizes, times), so that re-running the same
    re-extraction into the same folder replaces that run's files instead of adding rows."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            st = path.stat()
            digest.update(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return "reextract-" + digest.hexdigest()[:16]


def reextract(
    paths: Sequence[str | Path],
    outdir: str | Path,
    *,
    jobs: int = 0,
    site: str | None = None,
    progress: bool | None = None,
    run_id: str | None = None,
    on_record: Callable[[TitleRecord], None] | None = None,
    keep_not_title: bool = False,
) -> tuple[dict[str, Any], ReextractStats]:
    """Re-extract every capture of ``paths`` into the dataset ``outdir``; return (manifest, stats).

    ``progress``: show a tqdm bar (None: only when stderr is a terminal). With ``jobs`` other than 1
    the workers start from a forkserver: call this under ``if __name__ == "__main__":`` in a script. Pages the extractors find
    are not titles (person, character, index pages) are counted, not written, as in a crawl, unless
    ``keep_not_title``.
    """
    from tqdm import tqdm

    from exports.dataset import DatasetWriter, existing_versions
    from exports.versions import write_versions

    outdir = Path(outdir)
    files = expand_inputs(paths)
    run_id = run_id or run_id_for(files)
    started = datetime.now(UTC)
    clock = time.monotonic()
    stats = ReextractStats()
    seen = existing_versions(outdir, exclude_run=run_id)
    writer = DatasetWriter(outdir, run_id=run_id)
    closed = False
    try:
        with (
            JsonLinesWriter(outdir / "records.jsonl") as jsonl,
            tqdm(
                desc="reextract", unit="page", disable=None if progress is None else not progress, leave=True
            ) as bar,
        ):
            parts = TitlePartsMerger()  # MAL / IMDb sub-pages: one merged record per title, as in a crawl
            for item in run_extraction(iter_captures(files), jobs=jobs, site=site):
                if isinstance(item, Skip):
                    _skip(item, stats, writer)
                elif item.record is not None and parts.applies(item.record):
                    stats.pages += 1
                    written = parts.add(item.record)
                    if written is None:  # the same record as this page's last capture
                        stats.duplicates += 1
                        stats.outcomes["duplicate"] += 1
                    for merged in written or ():
                        _outcome(Outcome(item.capture, merged), stats, writer, jsonl, seen, on_record, keep_not_title,
                                 page=False)  # fmt: skip
                else:
                    _outcome(item, stats, writer, jsonl, seen, on_record, keep_not_title)
                bar.update(1)
                bar.set_postfix(records=stats.records, errors=stats.errors, refresh=False)
            for merged in parts.finish():
                capture = Capture(source="merged", url=merged.url, fetched_at=merged.fetched_at, body=b"")
                _outcome(Outcome(capture, merged), stats, writer, jsonl, seen, on_record, keep_not_title, page=False)
        finished = datetime.now(UTC)
        manifest = _manifest(run_id, files, started, finished, time.monotonic() - clock, stats)
        writer.write_run(manifest)
        writer.close()
        closed = True
    finally:
        if not closed:
            writer.close()
    write_versions(outdir)
    tmp = outdir / "manifest.json.tmp"
    tmp.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
    tmp.replace(outdir / "manifest.json")
    return manifest, stats


def _skip(item: Skip, stats: ReextractStats, writer: Any) -> None:
    if item.failure:
        stats.failures += 1
        stats.outcomes["failure"] += 1
        writer.write_failure(item.url or item.source, item.status, item.reason, item.fetched_at)
        # an HTTP error was the site's answer at capture time; an unreadable input is our problem
        logger.log(logging.INFO if item.status else logging.WARNING, "%s: %s", item.source, item.reason)
    else:
        stats.skipped += 1
        stats.outcomes["skipped"] += 1


def _outcome(
    item: Outcome,
    stats: ReextractStats,
    writer: Any,
    jsonl: JsonLinesWriter,
    seen: set[tuple[Any, ...]],
    on_record: Callable[[TitleRecord], None] | None,
    keep_not_title: bool,
    *,
    page: bool = True,
) -> None:
    stats.pages += page
    record = item.record
    if record is None:
        stats.failures += 1
        stats.outcomes["failure"] += 1
        writer.write_failure(
            item.capture.url or item.capture.source,
            item.capture.status,
            f"extraction failed: {item.error}",
            item.capture.fetched_at,
        )
        logger.warning("%s: extraction failed: %s", item.capture.source, item.error)
        return
    if record.status == "not_title" and not keep_not_title:
        stats.outcomes["not_title"] += 1  # as in a crawl: counted, not a record
        return
    key = (record.record_id, record.content_sha256, record.extractor_version)
    if key in seen:
        stats.duplicates += 1
        stats.outcomes["duplicate"] += 1
        return
    seen.add(key)
    if item.capture.record_id and item.capture.record_id != record.record_id:
        logger.info(
            "%s: record id is now %s (was %s when captured)",
            item.capture.source,
            record.record_id,
            item.capture.record_id,
        )
    writer.write(record)
    jsonl.write(record)
    stats.records += 1
    stats.outcomes[record.status] += 1
    stats.extractor_versions[record.extractor_version or "none"] += 1
    for error in record.errors:
        stats.errors_per_field[error.field] += 1
    if on_record is not None:
        on_record(record)


def _manifest(
    run_id: str,
    files: Sequence[Path],
    started: datetime,
    finished: datetime,
    seconds: float,
    stats: ReextractStats,
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "command": "reextract",
        "started_at": format_timestamp(started),
        "finished_at": format_timestamp(finished),
        "inputs": [str(p) for p in files],
        "counts": dict(sorted(stats.outcomes.items())),
        "pages": stats.pages,
        "records": stats.records,
        "duplicates": stats.duplicates,
        "skipped": stats.skipped,
        "failures": stats.failures,
        "errors_per_field": dict(sorted(stats.errors_per_field.items())),
        "extractor_versions": dict(sorted(stats.extractor_versions.items())),
        "pages_per_minute": round(stats.pages * 60 / seconds, 1) if seconds > 0 else None,
    }
