"""WARC capture files: read back with warcio's own iterator and checker, digests recomputed."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from exports.warc import ERROR_HEADER, OPEN_SUFFIX, RECORD_ID_HEADER, WarcCaptureWriter

FETCHED = datetime(2026, 11, 1, 12, 0, 5, tzinfo=UTC)
PAGE = "<html><head><title>Memories</title></head><body><h1>Memories</h1><p>メモリーズ</p></body></html>".encode()


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()  # noqa: S324 - WARC's digest


def _records(path: Path) -> list[tuple[str, dict[str, str], dict[str, str] | None, bytes, bytes]]:
    """(type, WARC headers, HTTP headers, raw payload, decoded payload) of every record, digests checked."""
    out = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            warc = dict(record.rec_headers.headers)
            http = dict(record.http_headers.headers) if record.http_headers else None
            if record.rec_type == "response":
                decoded = record.content_stream().read()
                raw = b""
            else:
                raw = record.raw_stream.read()
                decoded = raw
            assert record.digest_checker.passed is not False, record.digest_checker.problems
            out.append((record.rec_type, warc, http, raw, decoded))
    return out


def test_exchange_is_a_request_and_a_response_with_digests(tmp_path: Path) -> None:
    with WarcCaptureWriter(tmp_path) as writer:
        warc_id = writer.write_exchange(
            "http://127.0.0.1:8123/memories/4000-1001/?a=1",
            {"User-Agent": "titlecrawl-test", "Accept": "text/html"},
            200,
            {b"Content-Type": [b"text/html; charset=utf-8"], b"Set-Cookie": [b"a=1", b"b=2"]},
            PAGE,
            FETCHED,
            record_id="animevice:4000-1001",
            reason="OK",
        )
    (path,) = writer.paths
    assert path.name.endswith(".warc.gz")
    assert path.name.startswith("titlecrawl-")
    assert not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    records = _records(path)
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    _, resp_warc, resp_http, _, body = records[1]
    _, req_warc, req_http, _, _ = records[2]
    assert body == PAGE
    assert resp_warc["WARC-Target-URI"] == "http://127.0.0.1:8123/memories/4000-1001/?a=1"
    assert resp_warc["WARC-Date"] == "2026-11-01T12:00:05Z"
    assert resp_warc[RECORD_ID_HEADER] == "animevice:4000-1001"
    assert resp_warc["WARC-Record-ID"] == warc_id
    assert resp_warc["WARC-Payload-Digest"] == _sha1(PAGE)
    assert resp_http is not None
    assert resp_http["Content-Type"] == "text/html; charset=utf-8"
    assert req_warc["WARC-Concurrent-To"] == warc_id
    assert req_warc["WARC-Date"] == "2026-11-01T12:00:05Z"
    assert req_http is not None
    assert req_http["User-Agent"] == "titlecrawl-test"
    assert req_http["Host"] == "127.0.0.1:8123"
    assert b"software: titlecrawl/" in records[0][3]


def test_content_encoded_bodies_are_stored_as_received(tmp_path: Path) -> None:
    compressed = gzip.compress(PAGE)
    with WarcCaptureWriter(tmp_path, compress=False) as writer:
        writer.write_exchange(
            "http://127.0.0.1/a",
            None,
            200,
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            compressed,
            FETCHED,
        )
        writer.write_exchange(
            "http://127.0.0.1/b",
            None,
            200,
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            PAGE,
            FETCHED,
            body_decoded=True,
        )
    (path,) = writer.paths
    assert path.name.endswith(".warc")
    responses = [r for r in _records(path) if r[0] == "response"]
    first, second = responses
    assert first[4] == PAGE  # warcio decodes the stored gzip payload
    assert first[1]["WARC-Payload-Digest"] == _sha1(compressed)
    assert "Transfer-Encoding" not in (first[2] or {})
    assert RECORD_ID_HEADER not in first[1]
    assert second[4] == PAGE
    assert "Content-Encoding" not in (second[2] or {})
    assert (second[2] or {})["Content-Length"] == str(len(PAGE))


def test_files_rotate_by_size_and_only_finished_files_have_the_final_name(tmp_path: Path) -> None:
    writer = WarcCaptureWriter(tmp_path, max_bytes=3_000, prefix="run1")
    bodies = [f"<html><body>page {i} {'x' * 2000}</body></html>".encode() for i in range(6)]
    for i, body in enumerate(bodies):
        writer.write_exchange(
            f"http://127.0.0.1/p{i}",
            None,
            200,
            {"Content-Type": "text/html"},
            body,
            FETCHED,
            record_id=f"t:{i}",
        )
        open_files = list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
        finished = set(tmp_path.glob("*.warc.gz"))
        assert finished == set(writer.paths)
        if open_files:
            assert writer.current_path is not None
            assert open_files == [writer.current_path.with_name(writer.current_path.name + OPEN_SUFFIX)]
    writer.close()
    writer.close()
    assert len(writer.paths) >= 2
    assert not list(tmp_path.glob(f"*{OPEN_SUFFIX}"))
    assert all(p.name.startswith("run1-") for p in writer.paths)
    seen = {}
    for path in writer.paths:
        records = _records(path)
        assert records[0][0] == "warcinfo"  # each file stands alone
        for _type, warc, _http, _raw, body in records:
            if _type == "response":
                seen[warc[RECORD_ID_HEADER]] = body
    assert seen == {f"t:{i}": body for i, body in enumerate(bodies)}
    with pytest.raises(ValueError, match="closed"):
        writer.write_exchange("http://127.0.0.1/late", None, 200, None, b"x", FETCHED)


def test_warcio_command_line_checks_and_indexes_the_files(tmp_path: Path) -> None:
    with WarcCaptureWriter(tmp_path) as writer:
        for i in range(3):
            writer.write_exchange(
                f"http://127.0.0.1/p{i}",
                {"Accept": "*/*"},
                200,
                {"Content-Type": "text/html"},
                PAGE + bytes([i]),
                FETCHED,
            )
    (path,) = writer.paths
    tool = Path(sys.executable).with_name("warcio")
    check = subprocess.run(
        [str(tool), "check", "-v", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
    index = subprocess.run(
        [str(tool), "index", "-f", "warc-type,warc-target-uri", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert index.returncode == 0
    assert index.stdout.count('"warc-type": "response"') == 3


def test_a_request_without_response_keeps_its_error(tmp_path: Path) -> None:
    with WarcCaptureWriter(tmp_path) as writer:
        writer.write_request(
            "http://127.0.0.1:9/slow",
            {"User-Agent": "t"},
            FETCHED,
            "TimeoutError: took longer than\n 180 seconds",
        )
    (path,) = writer.paths
    records = _records(path)
    assert [r[0] for r in records] == ["warcinfo", "request"]
    assert records[1][1][ERROR_HEADER] == "TimeoutError: took longer than 180 seconds"
    assert records[1][1]["WARC-Target-URI"] == "http://127.0.0.1:9/slow"


@pytest.mark.parametrize("level", [1, 3, 4, 9])
def test_every_level_writes_standard_gzip_members(tmp_path: Path, level: int) -> None:
    with WarcCaptureWriter(tmp_path, compress_level=level) as writer:
        for n in range(3):
            writer.write_exchange(f"http://127.0.0.1:8123/p{n}", None, 200, {"Content-Type": "text/html"},
                                  PAGE * (200 * n + 1), FETCHED, record_id=f"generic:p{n}")  # fmt: skip
    (path,) = writer.paths
    assert gzip.decompress(path.read_bytes()).count(PAGE) == 1 + 201 + 401  # Python's own gzip reads it
    records = _records(path)  # and warcio, digests checked
    assert [r[0] for r in records] == ["warcinfo"] + ["response", "request"] * 3
    assert [r[4] for r in records if r[0] == "response"] == [PAGE * (200 * n + 1) for n in range(3)]


def _warcio_exchange(url: str, body: bytes, record_id: str | None, ip: str | None, request_body: bytes) -> bytes:
    """The records warcio's own writer makes of an exchange (what the capture wrote before it formatted
    records itself), uncompressed."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    warc = {"WARC-Date": "2026-11-01T12:00:05Z"}
    if record_id:
        warc[RECORD_ID_HEADER] = record_id
    if ip:
        warc["WARC-IP-Address"] = ip
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("X-Name", "Mémoires")],
                            protocol="HTTP/1.1")  # fmt: skip
    response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                         http_headers=http, warc_headers_dict=warc)  # fmt: skip
    req_http = StatusAndHeaders("POST /m?x=1 HTTP/1.1", [("Host", "127.0.0.1:8123"), ("Accept", "text/html")],
                                is_http_request=True)  # fmt: skip
    request = writer.create_warc_record(url, "request", payload=io.BytesIO(request_body), length=len(request_body),
                                        http_headers=req_http, warc_headers_dict={"WARC-Date": "2026-11-01T12:00:05Z"})  # fmt: skip
    writer.write_request_response_pair(request, response)
    return out.getvalue()


def _numbered_ids(data: bytes) -> bytes:
    """Record ids (random UUIDs) replaced by their order of first appearance."""
    seen: dict[bytes, bytes] = {}
    return re.sub(rb"<urn:uuid:[0-9a-f-]+>", lambda m: seen.setdefault(m.group(), b"<id-%d>" % len(seen)), data)


@pytest.mark.parametrize("compress", [True, False])
def test_exchange_records_are_the_bytes_warcio_writes(tmp_path: Path, compress: bool) -> None:
    cases = [(PAGE * 50, "generic:m", "127.0.0.1", b""), (b"", None, None, b"q=1"), (PAGE, "x:1", None, b"")]
    expected = b"".join(_warcio_exchange("http://127.0.0.1:8123/m?x=1", *case) for case in cases)
    with WarcCaptureWriter(tmp_path, compress=compress) as writer:
        for body, record_id, ip, request_body in cases:
            writer.write_exchange("http://127.0.0.1:8123/m?x=1", [("Host", "127.0.0.1:8123"), ("Accept", "text/html")],
                                  200, {"Content-Type": "text/html; charset=utf-8", "X-Name": "Mémoires"}, body,
                                  FETCHED, record_id, method="POST", request_body=request_body, reason="OK",
                                  ip_address=ip)  # fmt: skip
    (path,) = writer.paths
    data = path.read_bytes()
    written = gzip.decompress(data) if compress else data
    warcinfo_end = written.index(b"\r\n\r\nWARC/1.0\r\n") + 4
    assert _numbered_ids(written[warcinfo_end:]) == _numbered_ids(expected)
    assert len(_records(path)) == 1 + 2 * len(cases)  # digests checked by warcio
