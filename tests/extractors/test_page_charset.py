"""Pages that declare no charset (no HTTP charset, no ``<meta>``): valid UTF-8 is read as UTF-8 with no
detector run; anything else is detected (extractors/page.py ``_detect_encoding``)."""

from __future__ import annotations

import pytest

from extractors import extract_title
from extractors import page as page_module
from extractors.page import decode_body, load_page
from tests.archive.pages import page

TITLES = {
    "shift_jis": "夜の渡し舟",
    "euc_jp": "風の次の駅 テレビアニメ",
    "cp1252": "Café Noël – “Pokémon”",
    "utf-8": "Ōtomo’s 夜の渡し舟",
}
URL = "https://myanimelist.net/anime/1002/x"


def undeclared(encoding: str, title: str) -> bytes:
    """A MAL-style page with ``title`` in it, with no charset anywhere, in ``encoding``."""
    html = page(1002, title, "Jul 16, 1988", "A short plot.").decode("utf-8")
    html = html.replace('<meta charset="utf-8">', "").replace("charset=utf-8", "")
    assert "charset" not in html.lower()
    return html.encode(encoding)


@pytest.mark.parametrize(("encoding", "expected"), [
    ("shift_jis", "cp932"), ("euc_jp", "euc_jp"), ("cp1252", "cp1252"), ("utf-8", "utf-8"),
])  # fmt: skip
def test_pages_without_a_charset_decode_to_their_text(encoding: str, expected: str) -> None:
    title = TITLES[encoding]
    body = undeclared(encoding, title)
    for content_type in (None, "text/html"):
        text, found = decode_body(body, content_type)
        assert found == expected
        assert title in text
    record = extract_title(body, URL, content_type="text/html")
    assert record.title == title
    assert not [e for e in record.errors if e.kind == "input"]


def test_valid_utf8_runs_no_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(body: bytes) -> str:
        raise AssertionError("the detector ran on valid UTF-8")

    monkeypatch.setattr(page_module, "_detect_encoding", boom)
    body = undeclared("utf-8", TITLES["utf-8"])
    assert TITLES["utf-8"] in decode_body(body)[0]
    assert load_page(body, URL, content_type="text/html").text.count(TITLES["utf-8"]) >= 1
    with pytest.raises(AssertionError, match="detector ran"):
        decode_body(undeclared("shift_jis", TITLES["shift_jis"]))  # the detector does run for other bytes


def test_short_latin_words_are_not_read_as_cjk() -> None:
    for word in ("Noël", "Pokémon", "Ça", "naïve café", "Ôtomo", "Fête", "Müller", "Señor «Zoë»"):
        body = f"<html><body><h1>{word}</h1><p>plain ascii text</p></body></html>".encode("cp1252")
        text, found = decode_body(body)
        assert (found, word in text) == ("cp1252", True), word


def test_declared_charsets_still_win() -> None:
    body = undeclared("shift_jis", TITLES["shift_jis"])
    assert decode_body(body, "text/html; charset=shift_jis")[1] == "cp932"  # w3lib reads Shift_JIS as cp932
    latin = "<h1>Café</h1>".encode("cp1252")
    assert decode_body(latin, "text/html; charset=iso-8859-1")[1] == "cp1252"  # w3lib's reading of latin-1
