"""Rotating WARC capture files: every request and response of a crawl, readable by any WARC tool.

``WarcCaptureWriter(directory)`` appends one ``request`` and one ``response`` record per exchange to
``<prefix>-<UTC time>-<serial>-<pid>.warc.gz`` files (one gzip member per record, a ``warcinfo``
record first). A file being written is named ``... .warc.gz.open`` and renamed when it reaches
``max_bytes`` or on ``close()``, so a reader that globs ``*.warc.gz`` only ever sees whole files.

The response record carries ``WARC-Date`` (the fetch time), ``WARC-Target-URI``, the block and
payload digests (sha1, computed by warcio) and ``WARC-Titlecrawl-Record-ID``: the ``record_id`` the
extraction made from this response, when it made one.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import logging
import os
import socket
import threading
import zlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlsplit

try:  # ISA-L's deflate: 4x faster than zlib at level 1, same gzip format and about the same ratio
    from isal import isal_zlib as fast_zlib
except ImportError:  # pragma: no cover - isal is a dependency; zlib is the fallback
    fast_zlib = None  # type: ignore[assignment]
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

RECORD_ID_HEADER = "WARC-Titlecrawl-Record-ID"
"""WARC header naming the titlecrawl ``record_id`` extracted from a response."""

ERROR_HEADER = "WARC-Titlecrawl-Error"
"""WARC header of a request record that got no response: why."""

OPEN_SUFFIX = ".open"
DEFAULT_MAX_BYTES = 1_000_000_000
DEFAULT_COMPRESS_LEVEL = 1
"""gzip level of each record's member. warcio's own writer uses zlib's 9, which cost a crawl more CPU than
parsing the page (about 20 ms per 200 KB page); level 1 is 7 times faster for files about a quarter
larger, and ISA-L's level 1 (``isal``, used for levels 1-3) another 4 times faster than zlib's
(docs/performance.md)."""

_HOP_BY_HOP = frozenset({"transfer-encoding"})
"""Dropped from stored responses: the body given to the writer is already de-chunked."""

HeaderValue = str | bytes | list[str] | list[bytes] | tuple[bytes, ...]
HeaderInput = (
    Mapping[str, HeaderValue] | Mapping[bytes, HeaderValue] | Iterable[tuple[str | bytes, str | bytes]]
)
"""Headers as a mapping (Scrapy's multi-valued bytes ``Headers`` too) or as (name, value) pairs."""


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def header_pairs(headers: HeaderInput | None) -> list[tuple[str, str]]:
    """Headers as (name, value) text pairs: a mapping, pairs, or Scrapy-style multi-valued bytes.

    >>> header_pairs({"Content-Type": "text/html"})
    [('Content-Type', 'text/html')]
    >>> header_pairs({b"Set-Cookie": [b"a=1", b"b=2"]})
    [('Set-Cookie', 'a=1'), ('Set-Cookie', 'b=2')]
    """
    if headers is None:
        return []
    items: Iterable[tuple[object, object]] = (
        headers.items() if isinstance(headers, Mapping) else headers  # type: ignore[assignment]
    )
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((_text(name), _text(v)) for v in values)  # type: ignore[arg-type]
    return pairs


def _version() -> str:
    try:
        return importlib.metadata.version("titlecrawl")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def warc_date(moment: datetime) -> str:
    """A WARC-Date (UTC, seconds); naive datetimes are taken as UTC.

    >>> warc_date(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    '2026-11-01T12:00:00Z'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(moment))


def _request_headers(
    url: str, headers: HeaderInput | None, method: str, http_version: str
) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = header_pairs(headers)
    if not any(n.lower() == "host" for n, _ in pairs) and parts.netloc:
        pairs.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"{method} {target} {http_version}", pairs, is_http_request=True)


FAST_LEVELS = range(1, 4)
"""Levels compressed with ISA-L (its levels 1-3) when it is installed; 4-9 with zlib."""


def gzip_compressor(level: int) -> Any:
    """A compressor object making one gzip member at ``level`` (1-9): ISA-L for 1-3, else zlib."""
    if fast_zlib is not None and level in FAST_LEVELS:
        return fast_zlib.compressobj(level, fast_zlib.DEFLATED, fast_zlib.MAX_WBITS + 16)
    return zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)


def gzip_decompressor() -> Any:
    """A decompressor of gzip members (``unused_data`` holds what follows one): ISA-L's when installed."""
    if fast_zlib is not None:
        return fast_zlib.decompressobj(16 + fast_zlib.MAX_WBITS)
    return zlib.decompressobj(16 + zlib.MAX_WBITS)


FAST_GZIP = fast_zlib is not None
"""Whether ISA-L (``isal``) compresses and inflates WARC records here."""


def _digest(*parts: bytes) -> str:
    """A WARC digest (``sha1:`` and base32), as warcio writes it."""
    digester = hashlib.sha1()  # noqa: S324 - the digest WARC tools expect, not a security measure
    for part in parts:
        digester.update(part)
    return "sha1:" + base64.b32encode(digester.digest()).decode("ascii")


def _headers_block(http: StatusAndHeaders) -> bytes:
    """An HTTP header block as warcio writes it (non-ASCII values percent-encoded)."""
    http.compute_headers_buffer()
    return bytes(http.headers_buff)


def _record_bytes(
    warc_headers: list[tuple[str, str]], http_block: bytes, payload: bytes, content_type: str,
    *, concurrent_to: str | None = None,
) -> list[bytes]:  # fmt: skip
    """A request or response record with its digests, in the pieces to write: the same bytes (header
    order included) warcio's ``write_request_response_pair`` writes, without its chunked copying."""
    headers = [*warc_headers, ("WARC-Payload-Digest", _digest(payload))]
    if concurrent_to:
        headers.append(("WARC-Concurrent-To", concurrent_to))
    headers += [("WARC-Block-Digest", _digest(http_block, payload)), ("Content-Type", content_type),
                ("Content-Length", str(len(http_block) + len(payload)))]  # fmt: skip
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    return [head.encode("utf-8"), http_block, payload, b"\r\n\r\n"]


class _GzipMember:
    """One gzip member per record, like warcio's ``GzippingWrapper`` but at a chosen level."""

    def __init__(self, out: IO[bytes], level: int) -> None:
        self.compressor = gzip_compressor(level)
        self.out = out

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())
        self.out.flush()


class _LevelGzipWARCWriter(WARCWriter):  # type: ignore[misc]
    """warcio's writer with each record compressed at ``level`` (warcio always uses 9)."""

    def __init__(self, out: IO[bytes], level: int) -> None:
        super().__init__(out, gzip=False)
        self.level = level

    def _write_warc_record(self, out: IO[bytes], record: object) -> None:
        super()._write_warc_record(_GzipMember(out, self.level), record)


class WarcCaptureWriter:
    """Write HTTP exchanges to rotating ``.warc.gz`` files in ``directory``. Thread-safe.

    ``paths`` lists the finished files. Use as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        prefix: str = "titlecrawl",
        compress: bool = True,
        info: Mapping[str, str] | None = None,
        compress_level: int = DEFAULT_COMPRESS_LEVEL,
    ) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if not 1 <= compress_level <= 9:
            raise ValueError("compress_level must be 1 to 9")
        self.compress_level = compress_level
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.compress = compress
        self.info = dict(info or {})
        self.paths: list[Path] = []
        self.exchanges = 0
        self._serial = 0
        self._fh: IO[bytes] | None = None
        self._path: Path | None = None
        self._writer: WARCWriter | None = None
        self._lock = threading.Lock()
        self._closed = False

    # -- files --------------------------------------------------------------------------------
    @property
    def current_path(self) -> Path | None:
        """The final name of the file being written (it exists as ``<name>.open`` until rotated)."""
        return self._path

    def _open(self) -> WARCWriter:
        if self._writer is not None:
            return self._writer
        self._serial += 1
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        ext = ".warc.gz" if self.compress else ".warc"
        name = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}{ext}"
        self._path = self.directory / name
        self._fh = open(self._path.with_name(name + OPEN_SUFFIX), "wb")  # noqa: SIM115 - kept open across calls
        self._writer = (
            _LevelGzipWARCWriter(self._fh, self.compress_level) if self.compress else WARCWriter(self._fh, gzip=False)
        )
        info = {
            "software": f"titlecrawl/{_version()} (warcio)",
            "format": "WARC File Format 1.0",
            "hostname": socket.gethostname(),
            **self.info,
        }
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))
        logger.debug("opened %s", self._fh.name)
        return self._writer

    def _finish(self) -> None:
        """Close the current file and give it its final name."""
        if self._fh is None or self._path is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._path.with_name(self._path.name + OPEN_SUFFIX).replace(self._path)
        self.paths.append(self._path)
        logger.info("wrote %s", self._path)
        self._fh = None
        self._writer = None
        self._path = None

    # -- records ------------------------------------------------------------------------------
    def write_exchange(
        self,
        url: str,
        request_headers: HeaderInput | None,
        response_status: int,
        response_headers: HeaderInput | None,
        body: bytes,
        fetched_at: datetime,
        record_id: str | None = None,
        *,
        method: str = "GET",
        request_body: bytes = b"",
        reason: str = "",
        http_version: str = "HTTP/1.1",
        ip_address: str | None = None,
        body_decoded: bool = False,
    ) -> str:
        """Append a response record and its request record; return the response's WARC-Record-ID.

        ``body`` is the payload as received (still content-encoded when the headers say so); with
        ``body_decoded=True`` it was decoded already, and ``Content-Encoding`` is dropped.
        """
        if self._closed:
            raise ValueError("the WARC writer is closed")
        date = warc_date(fetched_at)
        resp_pairs = [(n, v) for n, v in header_pairs(response_headers) if n.lower() not in _HOP_BY_HOP]
        if body_decoded:
            resp_pairs = [
                (n, v) for n, v in resp_pairs if n.lower() not in ("content-encoding", "content-length")
            ]
            resp_pairs.append(("Content-Length", str(len(body))))
        status_line = f"{response_status} {reason}".rstrip() if reason else f"{response_status}"
        resp_http = StatusAndHeaders(status_line, resp_pairs, protocol=http_version)

        req_http = _request_headers(url, request_headers, method, http_version)

        extra = [(RECORD_ID_HEADER, record_id)] if record_id else []
        if ip_address:
            extra.append(("WARC-IP-Address", ip_address))
        response_id = str(StatusAndHeadersParser.make_warc_id())
        response = _record_bytes([("WARC-Date", date), *extra, ("WARC-Type", "response"),
                                  ("WARC-Record-ID", response_id), ("WARC-Target-URI", url)],
                                 _headers_block(resp_http), body, "application/http; msgtype=response")  # fmt: skip
        request = _record_bytes([("WARC-Date", date), ("WARC-Type", "request"),
                                 ("WARC-Record-ID", StatusAndHeadersParser.make_warc_id()), ("WARC-Target-URI", url)],
                                _headers_block(req_http), request_body, "application/http; msgtype=request",
                                concurrent_to=response_id)  # fmt: skip
        with self._lock:
            if self._closed:
                raise ValueError("the WARC writer is closed")
            self._open()
            assert self._fh is not None  # noqa: S101 - _open() opened it
            for parts in (response, request):
                self._write_member(parts)
            self.exchanges += 1
            if self._fh.tell() >= self.max_bytes:
                self._finish()
        return response_id

    def _write_member(self, parts: list[bytes]) -> None:
        """One record: a gzip member of its own (or plain bytes without compression)."""
        assert self._fh is not None  # noqa: S101
        if not self.compress:
            self._fh.write(b"".join(parts))
            return
        compressor = gzip_compressor(self.compress_level)
        out = [compressor.compress(part) for part in parts]
        out.append(compressor.flush())
        self._fh.write(b"".join(out))

    def write_request(
        self,
        url: str,
        request_headers: HeaderInput | None,
        fetched_at: datetime,
        error: str,
        *,
        method: str = "GET",
        http_version: str = "HTTP/1.1",
    ) -> str:
        """Append a request that got no response (timeout, refused connection ...), with the error in a
        ``WARC-Titlecrawl-Error`` header; return its WARC-Record-ID."""
        if self._closed:
            raise ValueError("the WARC writer is closed")
        req_http = _request_headers(url, request_headers, method, http_version)
        headers = {"WARC-Date": warc_date(fetched_at), ERROR_HEADER: " ".join(error.split())[:1000]}
        with self._lock:
            writer = self._open()
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=req_http,
                warc_headers_dict=headers,
            )
            writer.write_record(request)
            if self._fh is not None and self._fh.tell() >= self.max_bytes:
                self._finish()
        return str(request.rec_headers.get_header("WARC-Record-ID"))

    def close(self) -> None:
        """Finish the current file (renaming it to its final name). Idempotent."""
        with self._lock:
            self._finish()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
