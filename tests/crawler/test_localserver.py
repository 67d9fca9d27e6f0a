"""The local wiki server: files, folders, validators and 304s, redirects, 404s, keep-alive, counters."""

from __future__ import annotations

import http.client
import os
import time
from pathlib import Path

import pytest

from crawler.localserver import LocalWikiServer, WikiRequestHandler


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "memories" / "4000-1001").mkdir(parents=True)
    (tmp_path / "memories" / "4000-1001" / "index.html").write_text("<html><body>Memories</body></html>")
    (tmp_path / "index.html").write_text("<html><body>home</body></html>")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    (tmp_path / "sitemap.xml").write_text("<urlset/>")
    (tmp_path / "404.html").write_text("<html><body>no such page here</body></html>")
    (tmp_path / "_redirects").write_text("# moved pages\n/old-memories/ /memories/4000-1001/ 301\n/tmp/ /  302\n")
    (tmp_path / "_secret.txt").write_text("hidden")
    return tmp_path


@pytest.fixture
def server(root: Path):
    with LocalWikiServer(root).start() as srv:
        yield srv


def get(server: LocalWikiServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_serves_folder_index_with_validators_and_content_types(server: LocalWikiServer) -> None:
    status, headers, body = get(server, "/memories/4000-1001/")
    assert (status, body) == (200, b"<html><body>Memories</body></html>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"].startswith('"')
    assert headers["Last-Modified"].endswith("GMT")
    assert get(server, "/robots.txt")[1]["Content-Type"] == "text/plain; charset=utf-8"
    assert get(server, "/sitemap.xml")[1]["Content-Type"] == "application/xml"
    assert server.url == f"http://127.0.0.1:{server.port}/"


def test_folder_without_slash_redirects(server: LocalWikiServer) -> None:
    status, headers, _ = get(server, "/memories/4000-1001")
    assert status == 301
    assert headers["Location"] == "/memories/4000-1001/"


def test_conditional_requests_get_304_without_body(server: LocalWikiServer, root: Path) -> None:
    _, headers, _ = get(server, "/memories/4000-1001/")
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    status, h304, body = get(server, "/memories/4000-1001/", {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert h304["ETag"] == etag
    assert get(server, "/memories/4000-1001/", {"If-Modified-Since": last_modified})[0] == 304
    assert get(server, "/memories/4000-1001/", {"If-None-Match": '"other"'})[0] == 200
    # If-None-Match wins over a matching If-Modified-Since
    assert get(server, "/memories/4000-1001/", {"If-None-Match": '"other"', "If-Modified-Since": last_modified})[0] == 200
    assert server.stats.not_modified == 2

    page = root / "memories" / "4000-1001" / "index.html"
    page.write_text("<html><body>Memories, edited</body></html>")
    later = time.time() + 5
    os.utime(page, (later, later))
    status, h2, body = get(server, "/memories/4000-1001/", {"If-None-Match": etag, "If-Modified-Since": last_modified})
    assert status == 200
    assert body == b"<html><body>Memories, edited</body></html>"
    assert h2["ETag"] != etag


def test_redirects_file_404_page_and_hidden_files(server: LocalWikiServer) -> None:
    status, headers, _ = get(server, "/old-memories/")
    assert (status, headers["Location"]) == (301, "/memories/4000-1001/")
    assert get(server, "/tmp/")[0] == 302
    status, _, body = get(server, "/lost-signal/4000-1999/")
    assert (status, body) == (404, b"<html><body>no such page here</body></html>")
    assert get(server, "/_redirects")[0] == 404
    assert get(server, "/_secret.txt")[0] == 404
    assert get(server, "/../../etc/passwd")[0] == 404
    assert get(server, "/%2e%2e/%2e%2e/etc/passwd")[0] == 404


def test_head_has_headers_and_no_body(server: LocalWikiServer) -> None:
    status, headers, body = get(server, "/", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) > 0


def test_keep_alive_serves_several_requests_on_one_connection(server: LocalWikiServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for path in ("/", "/memories/4000-1001/", "/nope/", "/robots.txt"):
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            assert not resp.will_close
        sock = conn.sock
        conn.request("GET", "/")
        conn.getresponse().read()
        assert conn.sock is sock  # the same TCP connection
    finally:
        conn.close()


def test_counters_and_log(server: LocalWikiServer) -> None:
    _, headers, body = get(server, "/memories/4000-1001/")
    get(server, "/memories/4000-1001/", {"If-None-Match": headers["ETag"]})
    get(server, "/missing/")
    stats = server.stats
    assert stats.requests == 3
    assert stats.statuses == {200: 1, 304: 1, 404: 1}
    assert stats.paths["/memories/4000-1001/"] == 2
    assert stats.body_bytes == len(body) + len(b"<html><body>no such page here</body></html>")
    entries = stats.entries("/memories/4000-1001/")
    assert [e.status for e in entries] == [200, 304]
    assert [e.conditional for e in entries] == [False, True]
    stats.reset()
    assert stats.requests == 0


def test_intercept_hook_and_delay(root: Path) -> None:
    class Teapot(WikiRequestHandler):
        def intercept(self) -> bool:
            if self.url_path == "/tea/":
                self.send_body(418, b"short and stout", "text/plain")
                return True
            return False

    with LocalWikiServer(root, handler_class=Teapot, delay=0.2).start() as srv:
        started = time.monotonic()
        assert get(srv, "/tea/")[0] == 418
        assert time.monotonic() - started >= 0.2
        srv.delay = 0
        assert get(srv, "/")[0] == 200


def test_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        LocalWikiServer(tmp_path / "nope")
