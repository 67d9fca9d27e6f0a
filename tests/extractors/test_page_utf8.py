"""UTF-8 pages are parsed from their bytes with the text decoded only on demand: the page must be
the same as the general path's (decode, then parse), and substring questions answered from the
bytes must be the ones the text answers."""

from __future__ import annotations

import random

import lxml.etree
import pytest

from extractors import page as page_module
from extractors.page import Page, load_page
from extractors.registry import extract_page
from tests.conftest import shared_page, title_pages

_BODY = "<p>Café — 夜の渡し舟 ok</p>" * 40


def _doc(body: str, *, head: str = "<meta charset='utf-8'>", end: str = "</body></html>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body>{body}{end}".encode()


CRAFTED: dict[str, bytes] = {
    "plain": _doc(_BODY),
    "undeclared": _doc(_BODY, head=""),
    "bom": b"\xef\xbb\xbf" + _doc(_BODY),
    "two boms": b"\xef\xbb\xbf\xef\xbb\xbf" + _doc(_BODY),
    "invalid byte": _doc(_BODY).replace("Café".encode(), b"Caf\xe9", 1),
    "invalid byte, declared": _doc(_BODY).replace("Café".encode(), b"Caf\xe9"),
    "surrogate": _doc(_BODY + "x").replace(b"x</body>", b"\xed\xa0\x80</body>"),
    "cut at the end": _doc(_BODY)[:-3] + b"\xe5\xa4",
    "invalid after 100 parser errors": _doc("<p>&bogus; </foo>" * 300 + "<p>a</p>").replace(b"<p>a</p>", b"<p>a\x80</p>"),
    "valid after 100 parser errors": _doc("<p>&bogus; </foo>" * 300 + "<p>é</p>"),
    "truncated": _doc(_BODY * 3, end=""),
    "truncated, short": _doc("<p>é</p>", end=""),
    "trailing white space": _doc(_BODY) + " \n\u3000".encode() * 5000,
    "truncated, trailing white space": _doc(_BODY * 3, end="") + b" \n" * 9000,
    "end tag early, many characters after": _doc(_BODY) + ("<p>夜</p>" * 900).encode(),
    "nul bytes": _doc("a\x00b" + _BODY),
    "deep": _doc("<div>" * 3000 + "deep" + "</div>" * 3000),
    "cp1252 declared": _doc(_BODY, head="<meta charset='windows-1252'>").replace("é".encode(), b"\xe9"),
    "plain text": "Memories (1995)\nDirected by Katsuhiro Otomo — 夜\n".encode() * 50,
    "binary": bytes(range(256)) * 40,
    "ideographic spaces": "\u3000".encode() * 100,
    "xml declaration": b"<?xml version='1.0' encoding='utf-8'?>" + _doc(_BODY),
    "http charset": _doc(_BODY, head=""),
}


def _general(data: bytes, url: str | None, content_type: str | None, monkeypatch: pytest.MonkeyPatch) -> Page:
    with monkeypatch.context() as m:
        m.setattr(page_module, "_load_utf8", lambda *args: None)
        return load_page(data, url, content_type=content_type)


def _same(data: bytes, monkeypatch: pytest.MonkeyPatch, url: str | None = None, content_type: str | None = None) -> Page:
    fast = load_page(data, url, content_type=content_type)
    general = _general(data, url, content_type, monkeypatch)
    assert fast.content_sha256 == general.content_sha256
    assert [(e.field, e.kind, e.message) for e in fast.errors] == [(e.field, e.kind, e.message) for e in general.errors]
    tree = (lambda p: lxml.etree.tostring(p.root.getroottree()) if p.root is not None else None)
    assert tree(fast) == tree(general)
    assert fast.text == general.text  # decodes the fast page's text last, after the other checks
    return fast


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_pages_load_alike(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    content_type = "text/html; charset=utf-8" if name == "http charset" else None
    _same(CRAFTED[name], monkeypatch, content_type=content_type)


def test_real_and_sample_pages_load_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = title_pages()
    assert pages
    for path in pages:
        _same(path.read_bytes(), monkeypatch)


def test_which_pages_take_the_bytes_path() -> None:
    assert load_page(CRAFTED["bom"]).undecoded is not None
    assert load_page(CRAFTED["valid after 100 parser errors"]).undecoded is None  # decoded to be sure
    for name in ("invalid byte", "surrogate", "invalid after 100 parser errors", "cp1252 declared", "deep",
                 "plain text"):  # fmt: skip
        assert load_page(CRAFTED[name]).undecoded is None, name


def test_an_extractor_leaves_the_text_undecoded() -> None:
    """The point of it all: reading a whole MAL or MediaWiki page, or sniffing the family of a page
    on an unknown host, needs no ``str`` of the page."""
    for name, url in (
        ("myanimelist__anime-21-one-piece.html", "https://myanimelist.net/anime/21"),
        ("wikipedia__billy-jack-1971-film.html", "https://en.wikipedia.org/wiki/Billy_Jack"),
        ("wikipedia__billy-jack-1971-film.html", "http://127.0.0.1:8000/wiki/Billy_Jack"),
    ):
        page = load_page(shared_page(name).read_bytes(), url)
        record = extract_page(page)
        assert record.title
        assert page.undecoded is not None, name


def test_substring_questions_from_bytes() -> None:
    data = CRAFTED["bom"] + ("<p>" + "é" * 400_000 + "needle</p>").encode()
    rng = random.Random(3)
    text = load_page(data).text
    for _ in range(300):
        start = rng.randrange(len(text) - 8)
        needle = text[start : start + rng.randrange(1, 8)]
        limit = rng.choice([10, 300, 2000, 300_000, 400_000, 500_000, start + len(needle), start + len(needle) - 1])
        fresh = load_page(data)
        assert fresh.contains(needle) == (needle in text)
        assert fresh.contains_in_head(needle, limit) == (needle in text[:limit]), (needle, limit)
        assert fresh.head(limit) == text[:limit]
        assert fresh.undecoded is not None or not needle.isascii()
    at = text.index("needle")  # ~402,000 characters, ~804,000 bytes
    page = load_page(data)
    assert page.contains_in_head("needle", at + 6)
    assert not page.contains_in_head("needle", at + 5)
    assert not page.contains("absent")
