"""The WARC capture middlewares in a real Scrapy crawl of a tiny local server (a spider of the test's own)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from exports.warc import ERROR_HEADER, OPEN_SUFFIX, RECORD_ID_HEADER

ROOT = Path(__file__).resolve().parents[2]

PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
    "/": (
        200,
        {"Content-Type": "text/html"},
        (
            b'<html><body><a href="/t/1/">One</a> <a href="/t/2/">Two</a> <a href="/old/">Old</a> '
            b'<a href="/missing/">Missing</a> <a href="/private/x">Private</a></body></html>'
        ),
    ),
    "/t/1/": (200, {"Content-Type": "text/html"}, b"<html><body><h1>Title one</h1></body></html>"),
    "/t/2/": (
        200,
        {"Content-Type": "text/html", "Content-Encoding": "gzip"},
        gzip.compress(b"<html><body><h1>Title two</h1></body></html>"),
    ),
    "/old/": (301, {"Location": "/t/1/?from=old"}, b""),
    "/t/1/?from=old": (
        200,
        {"Content-Type": "text/html"},
        b"<html><body><h1>Title one again</h1></body></html>",
    ),
}

SPIDER = textwrap.dedent(
    """
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from crawler.warc_capture import warc_settings

    class TitleSpider(scrapy.Spider):
        name = "t"

        def parse(self, response):
            if "/t/" in response.url:
                yield {"record_id": "test:" + response.url.split("/t/")[1], "url": response.url}
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href)

    settings = {"ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
                "RETRY_ENABLED": False, "DOWNLOAD_TIMEOUT": 10,
                **warc_settings(sys.argv[2], max_bytes=1500, prefix="mw")}
    process = CrawlerProcess(settings)
    process.crawl(TitleSpider, start_urls=[sys.argv[1] + "/", "http://127.0.0.1:9/refused"])
    process.start()
    """
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status, headers, body = PAGES.get(
            self.path, (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.slow
def test_every_request_and_response_is_captured_with_record_ids(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, seen = server
    script = tmp_path / "spider.py"
    script.write_text(SPIDER)
    proc = subprocess.run(
        [sys.executable, str(script), base, str(tmp_path / "warc")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "warc_capture" not in proc.stderr  # no error from the middlewares (Scrapy logs the refused ones)
    assert "Spider error" not in proc.stderr
    files = sorted((tmp_path / "warc").iterdir())
    assert files
    assert all(f.name.startswith("mw-") and f.name.endswith(".warc.gz") for f in files)
    assert len(files) > 1  # rotated at 1500 bytes
    assert not [f for f in files if f.name.endswith(OPEN_SUFFIX)]

    responses: dict[str, tuple[int, str | None, bytes]] = {}
    raw: dict[str, bytes] = {}
    requests: list[str] = []
    failed: dict[str, str] = {}
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, check_digests=True):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    status = int(record.http_headers.get_statuscode())
                    if record.http_headers.get_header("Content-Encoding"):
                        raw[uri.removeprefix(base)] = record.raw_stream.read()
                        body = gzip.decompress(raw[uri.removeprefix(base)])
                    else:
                        body = record.content_stream().read()
                    responses[uri.removeprefix(base)] = (
                        status,
                        record.rec_headers.get_header(RECORD_ID_HEADER),
                        body,
                    )
                    assert record.digest_checker.passed is not False
                elif record.rec_type == "request":
                    requests.append(uri)
                    if record.rec_headers.get_header(ERROR_HEADER):
                        failed[uri] = record.rec_headers.get_header(ERROR_HEADER)
    # one response record per request the server answered, nothing more, nothing less
    assert sorted(responses) == sorted(seen)
    assert set(seen) == {"/robots.txt", "/", "/t/1/", "/t/2/", "/old/", "/t/1/?from=old", "/missing/"}
    assert responses["/robots.txt"][:2] == (200, None)
    assert responses["/old/"][:2] == (301, None)
    assert responses["/missing/"][:2] == (404, None)
    assert responses["/"][:2] == (200, None)  # the spider made no record of the home page
    assert responses["/t/1/"][:2] == (200, "test:1/")
    assert responses["/t/1/?from=old"][:2] == (200, "test:1/?from=old")
    # stored as sent (gzip, with its Content-Encoding), read back decoded
    assert responses["/t/2/"] == (200, "test:2/", b"<html><body><h1>Title two</h1></body></html>")
    assert raw["/t/2/"] == PAGES["/t/2/"][2]
    # the request that never got an answer is there too, with its error
    assert sorted(failed) == ["http://127.0.0.1:9/refused", "http://127.0.0.1:9/robots.txt"]
    assert "ConnectionRefused" in failed["http://127.0.0.1:9/refused"]
    # requests: every answered one, plus the two refused; the page robots.txt forbids was never sent
    assert len(requests) == len(seen) + 2
    assert f"{base}/private/x" not in requests


def test_record_ids_are_found_in_records_dicts_and_page_items() -> None:
    from dataclasses import dataclass

    from crawler.warc_capture import _record_id
    from extractors.records import TitleRecord

    @dataclass
    class PageItem:  # the shape of the crawler's item: the record inside
        url: str
        record: TitleRecord | None = None

    record = TitleRecord(record_id="animevice:4000-1001", site="animevice")
    assert _record_id(record) == "animevice:4000-1001"
    assert _record_id({"record_id": "x:1"}) == "x:1"
    assert _record_id(PageItem("u", record)) == "animevice:4000-1001"
    assert _record_id(PageItem("u")) is None
    assert _record_id({"record": None}) is None
