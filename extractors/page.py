"""One parsed page, shared by every field extractor: decode once, parse once.

``load_page`` turns bytes or text into a ``Page`` (an lxml tree plus helpers), never raising on
bad input: undecodable bytes, truncated markup and absurd nesting become ``input`` errors that the
record carries.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, to_unicode

from normalize.text import clean_text

from .records import ExtractionError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

def _html_parser(encoding: str | None = None) -> lxml.etree.HTMLParser:
    """A recovering HTML parser whose elements are ``HtmlElement`` through a C-level class lookup.

    ``lxml.html.HTMLParser`` picks each element's class in a Python callback (forms and inputs get
    their own classes), which costs a Python call every time an element is touched; extractors use
    none of those classes."""
    parser = lxml.etree.HTMLParser(
        recover=True, huge_tree=True, remove_comments=True, remove_pis=True, encoding=encoding
    )
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_PARSER = _html_parser()
"""For decoded text (``str``)."""
_UTF8_PARSER = _html_parser("utf-8")
"""For bytes known to be clean UTF-8: parsed as they are, without decoding them to ``str`` first."""
_HTMLISH = re.compile(
    r"<\s*(?:!doctype|html|head|body|div|p|table|h1|span|a|section|meta)[\s>/]", re.IGNORECASE
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CANDIDATES = ("cp932", "euc_jp", "cp1252", "gb18030", "big5", "euc_kr", "cp1251")
"""Encodings tried for bytes that declare none and are not UTF-8, best first on a tie: Japanese
(Shift_JIS as Windows writes it, EUC-JP), Western European, then Chinese, Korean and Cyrillic."""
_NON_ASCII_WORDS = re.compile(rb"[^\s<>]*[\x80-\xff][^\s<>]*")
"""Runs of bytes around non-ASCII ones. No trail byte of the multi-byte encodings above is a space,
``<`` or ``>``, so a run never cuts a character."""
_SAMPLE_BYTES = 64 * 1024
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e"
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "japanese": re.compile(f"[{_CJK}\u3040-\u30ff]"),
    "latin": re.compile("[\u00a0-\u024f\u2010-\u203a\u20ac\u2122]"),
    "chinese": re.compile(f"[{_CJK}]"),
    "korean": re.compile(f"[{_CJK}\uac00-\ud7a3\u3130-\u318f]"),
    "cyrillic": re.compile("[\u0400-\u04ff\u00a0-\u00bb\u2010-\u203a]"),
}
"""The characters text in each candidate's language is made of (besides ASCII)."""
_INSIDE_LATIN_WORD = re.compile(f"(?<=[A-Za-z])[{_CJK}\u3040-\u30ff\uac00-\ud7a3]+(?=[A-Za-z])")
"""CJK characters inside a Latin word ("F黎e"): what accented letters read as a CJK encoding look like."""
_SCRIPT_OF = {"cp932": "japanese", "euc_jp": "japanese", "cp1252": "latin", "gb18030": "chinese",
              "big5": "chinese", "euc_kr": "korean", "cp1251": "cyrillic"}  # fmt: skip


def _detect_encoding(body: bytes) -> str | None:
    """Guess the encoding of bytes that declare none and are not valid UTF-8 (Shift_JIS, EUC-JP,
    cp1252 ...); None when nothing decodes them.

    Detectors guess poorly on a page whose markup is all ASCII around a few words in another script
    (charset-normalizer takes a Shift_JIS title for cp1257), so only the words that hold non-ASCII
    bytes are looked at: each candidate that decodes them strictly is scored by charset-normalizer's
    mess ratio (odd characters, mixed scripts, accents in odd places), then by the share of the
    non-ASCII characters that belong to the candidate's own scripts (kana and kanji for Japanese,
    accented letters and typographic punctuation for cp1252 ...), then by the order of ``_CANDIDATES``.
    Bytes that are truly ambiguous (a page whose only non-ASCII text is two accented capitals in a row,
    which are also one kanji) are read as Japanese.

    >>> _detect_encoding("<h1>夜の渡し舟</h1>".encode("shift_jis"))
    'cp932'
    >>> _detect_encoding("<h1>夜の渡し舟</h1>".encode("euc_jp"))
    'euc_jp'
    >>> _detect_encoding("<h1>Café Noël – “Pokémon”</h1>".encode("cp1252"))
    'cp1252'
    """
    from charset_normalizer.md import mess_ratio

    sample = b" ".join(m.group(0) for m in _NON_ASCII_WORDS.finditer(body, 0, len(body)))[:_SAMPLE_BYTES]
    if not sample:
        return "utf-8"
    best: tuple[float, float, int, str] | None = None
    for rank, candidate in enumerate(_CANDIDATES):
        try:
            text = sample.decode(candidate)
        except UnicodeDecodeError:
            try:  # the sample may end inside a character: one more try without its last word
                text = sample[: sample.rfind(b" ")].decode(candidate) if len(sample) == _SAMPLE_BYTES else ""
            except UnicodeDecodeError:
                continue
            if not text:
                continue
        non_ascii = sum(1 for ch in text if ch > "\x7f") or 1
        script = _SCRIPT_OF[candidate]
        own = len(_SCRIPTS[script].findall(text))
        if script not in ("latin", "cyrillic"):
            own -= 2 * sum(len(m) for m in _INSIDE_LATIN_WORD.findall(text))
        score = (mess_ratio(text, 1.0), -own / non_ascii, rank, candidate)
        if best is None or score < best:
            best = score
    return best[3] if best is not None else None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then HTTP charset, then ``<meta>``, then detection. Returns (text, encoding)."""
    text, encoding, _ = _decode(body, content_type)
    return text, encoding


def _declared_encoding(body: bytes) -> str | None:
    """``html_body_declared_encoding(body)``, answered without its tag scan (~40 us) when the first
    4 KB it reads cannot declare an encoding: a declaration spells "charset" or "encoding"."""
    head = body[:4096].lower()
    if b"charset" not in head and b"encoding" not in head:
        return None
    return html_body_declared_encoding(body)


def _decode(body: bytes, content_type: str | None) -> tuple[str, str, int]:
    """(text, encoding, offset): ``offset`` is where the page starts in ``body`` (after a BOM) when
    ``body[offset:]`` is valid UTF-8 and decoded as such, so the parser can read the bytes; else -1.

    The order is w3lib's ``html_to_unicode`` (BOM, HTTP charset, declared ``<meta>``/XML encoding
    in the first 4 KB, detection), decoding the bytes once."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        encoding, start = bom_encoding, len(bom)
    else:
        start = 0
        found = http_content_type_encoding(content_type) or _declared_encoding(body)
        if found is None:
            try:
                return body.decode("utf-8"), "utf-8", 0
            except UnicodeDecodeError:
                found = _detect_encoding(body) or "utf-8"
        elif found in {"utf-16", "utf-32"}:
            found += "-be"
        encoding = found
    if encoding == "utf-8":
        try:
            return body[start:].decode("utf-8"), encoding, start
        except UnicodeDecodeError:
            pass
    return to_unicode(body[start:], encoding), encoding, -1


def looks_like_html(text: str) -> bool:
    """Whether text is HTML markup rather than a plain-text rendering of a page."""
    return bool(_HTMLISH.search(text, 0, 5000))


@functools.lru_cache(maxsize=256)
def _compiled_xpath(query: str) -> lxml.etree.XPath:
    """A query compiled once (``element.xpath(str)`` compiles it again at every call)."""
    return lxml.etree.XPath(query)


class Page:
    """A decoded, parsed page and its provenance. Extractors read it and never change it.

    A page read from valid UTF-8 bytes is parsed from those bytes, and its ``text`` is decoded only
    when an extractor asks for it (``contains`` answers plain substring questions from the bytes):
    most pages never need it, and decoding a mostly-ASCII page into ``str`` costs 5-15% of its parse.
    """

    __slots__ = ("_start", "_text", "_utf8", "content_sha256", "errors", "memo", "root", "url")

    url: str | None
    root: HtmlElement | None
    """The parsed tree; None for plain-text inputs or when nothing could be parsed."""
    content_sha256: str
    errors: list[ExtractionError]
    """Problems with the input itself (encoding, truncation, nesting)."""
    memo: dict[str, Any]
    """What an extractor worked out once for this page (a base URL resolver ...): it lives and dies
    with the page, unlike a module-level cache."""

    def __init__(
        self,
        url: str | None,
        text: str | None,
        root: HtmlElement | None,
        content_sha256: str,
        errors: list[ExtractionError] | None = None,
        *,
        utf8: bytes | None = None,
        utf8_start: int = 0,
    ) -> None:
        """``text`` may be None when ``utf8`` holds the page's valid UTF-8 bytes (its text starting
        at ``utf8_start``, after a byte order mark)."""
        if text is None and utf8 is None:
            raise ValueError("a Page needs its text or its UTF-8 bytes")
        self.url = url
        self._text = text
        self._utf8 = utf8
        self._start = utf8_start
        self.root = root
        self.content_sha256 = content_sha256
        self.errors = errors if errors is not None else []
        self.memo = {}

    def __repr__(self) -> str:
        return f"Page(url={self.url!r}, html={self.root is not None}, errors={len(self.errors)})"

    @property
    def text(self) -> str:
        """The decoded page (HTML source, or the plain text of a text rendering)."""
        if self._text is None:
            raw = (self._utf8 or b"")[self._start :]  # __init__ keeps one of the two
            try:
                self._text = raw.decode("utf-8")
            except UnicodeDecodeError:  # the parser took the bytes for UTF-8 and Python does not
                logger.debug("page bytes the parser read as UTF-8 do not decode strictly", exc_info=True)
                self._text = raw.decode("utf-8", "replace")
        return self._text

    @property
    def undecoded(self) -> bytes | None:
        """The page's valid UTF-8 bytes while its text is not decoded (ASCII patterns may search
        them instead), else None."""
        return self._utf8 if self._text is None else None

    def head(self, size: int) -> str:
        """``page.text[:size]``, from the first bytes while the text is not decoded."""
        raw = self.undecoded
        if raw is None:
            return self.text[:size]
        # A character takes at most 4 bytes; a character cut at the end is dropped.
        return raw[self._start : self._start + 4 * size].decode("utf-8", "ignore")[:size]

    def contains_in_head(self, needle: str, limit: int) -> bool:
        """``needle in page.text[:limit]``, from the bytes while the text is not decoded."""
        raw = self.undecoded
        if raw is None or not needle.isascii():
            return needle in self.text[:limit]
        at = raw.find(needle.encode("ascii"), self._start)  # the first occurrence in the text too
        if at < 0:
            return False
        if at - self._start + len(needle) <= limit:  # a character takes at least one byte
            return True
        return len(raw[self._start : at].decode("utf-8")) + len(needle) <= limit

    def contains(self, needle: str) -> bool:
        """``needle in page.text``, from the page's UTF-8 bytes while its text is not decoded (an
        ASCII string occurs in UTF-8 bytes exactly where it occurs in their text)."""
        if self._text is None and self._utf8 is not None and needle.isascii():
            return needle.encode("ascii") in self._utf8
        return needle in self.text

    @property
    def is_html(self) -> bool:
        return self.root is not None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower() if self.url else ""

    def xpath(self, query: str, node: HtmlElement | None = None) -> list[HtmlElement]:
        """Elements matching ``query`` (relative to ``node`` when given); empty on a text page."""
        base = node if node is not None else self.root
        if base is None:
            return []
        return [el for el in _compiled_xpath(query)(base) if isinstance(el, lxml.html.HtmlElement)]

    def first(self, query: str, node: HtmlElement | None = None) -> HtmlElement | None:
        found = self.xpath(query, node)
        return found[0] if found else None

    def strings(self, query: str, node: HtmlElement | None = None) -> list[str]:
        """Cleaned, non-empty string results of an XPath (``@href``, ``text()``)."""
        base = node if node is not None else self.root
        if base is None:
            return []
        out = []
        for value in _compiled_xpath(query)(base):
            text = clean_text(str(value))
            if text:
                out.append(text)
        return out

    def string(self, query: str, node: HtmlElement | None = None) -> str | None:
        found = self.strings(query, node)
        return found[0] if found else None

    def absolute(self, href: str | None) -> str | None:
        """``href`` resolved against the page URL (unchanged when the page has no URL)."""
        if not href:
            return None
        href = href.strip()
        if self.url:
            return _join(self.url, href)
        return href


_PLAIN_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,=:@%/]*")
"""A root-relative path without query, fragment, parameters, white space or non-ASCII characters."""
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9\-._~!$&'()*+,=:@%]+(?:/[A-Za-z0-9\-._~!$&'()*+,=:@%/]*)?"
    r"(?:\?[A-Za-z0-9\-._~!$&'()*+,=:@%/?]+)?(?:#[A-Za-z0-9\-._~!$&'()*+,=:@%/?#]+)?"
)
"""An absolute http(s) URL that ``urlunsplit(urlsplit(url))`` gives back unchanged: lower-case
scheme, a host part, no parameters (``;``), no empty query or fragment, no white space, brackets
or non-ASCII characters."""


def _join(base: str, href: str) -> str:
    """``urljoin(base, href)`` without parsing both URLs for the two most common links: a plain
    root-relative path ("/wiki/X") on an http(s) base is the base's origin plus the path, and a
    plain absolute http(s) URL is itself (``urljoin`` gives it back as it is, or re-assembled from
    its parts, which gives the same text). ``tests/extractors/test_join.py`` compares them."""
    parts = _base_parts(base)
    if parts is not None:
        if href[:1] == "/":
            if (
                parts[1] is not None
                and href[1:2] != "/"
                and _PLAIN_PATH.fullmatch(href)
                and "//" not in href
                and "/./" not in href
                and "/../" not in href
                and not href.endswith(("/.", "/.."))
            ):
                return parts[1] + href
        elif href[:4] == "http" and _PLAIN_URL.fullmatch(href):
            return href
    return urljoin(base, href)


@functools.lru_cache(maxsize=1024)
def _base_parts(base: str) -> tuple[str, str | None] | None:
    """A base URL's scheme and, for an http(s) URL with a host part, its ``scheme://netloc``; None
    for an empty base or one ``urlsplit`` refuses (``urljoin`` then decides, and raises alike)."""
    if not base:
        return None
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None
    return parts.scheme, origin


def element_text(el: HtmlElement) -> str:
    """``el.text_content()`` (all descendant text, not cleaned), without its XPath call when the
    element has no children: most elements read one by one (links, cells, labels) have none."""
    if len(el):
        return str(el.text_content())
    return el.text or ""


_TEXT_NODES = lxml.etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


_NO_TEXT_TAGS = ("script", "style")


def text_of(node: HtmlElement | None) -> str:
    """The whitespace-collapsed text of an element (scripts and styles left out)."""
    if node is None:
        return ""
    if not len(node) and isinstance(node.tag, str):
        # No children (most elements read one by one): ``.text`` is its one text node, unless it
        # sits in (or is) a script or style; the XPath call costs more than the rest of the work.
        if node.tag in _NO_TEXT_TAGS or next(node.iterancestors("script", "style"), None) is not None:
            return ""
        return clean_text(node.text)
    if (
        isinstance(node.tag, str)
        and next(node.iter("script", "style"), None) is None
        and next(node.iterancestors("script", "style"), None) is None
    ):
        # Nothing to leave out: ``itertext`` gives the same text nodes in the same order, as plain
        # strings (the XPath makes a "smart" string, with a link to its parent, per text node).
        return clean_text("".join(node.itertext()))
    return clean_text("".join(_TEXT_NODES(node)))


def texts_of(nodes: Iterable[HtmlElement]) -> list[str]:
    return [t for t in (text_of(n) for n in nodes) if t]


def load_page(data: bytes | str, url: str | None = None, *, content_type: str | None = None) -> Page:
    """Decode and parse a page once. Never raises for bad content."""
    errors: list[ExtractionError] = []
    utf8_offset = -1
    if isinstance(data, bytes):
        body = data
        if not body or body.isspace():
            errors.append(ExtractionError(field="page", kind="input", message="empty input"))
            return Page(url=url, text="", root=None, content_sha256=sha256_hex(body), errors=errors)
        fast = _load_utf8(body, url, content_type)
        if fast is not None:
            return fast
        text, encoding, utf8_offset = _decode(body, content_type)
        # Replacement characters mean undecodable bytes unless the bytes were valid UTF-8.
        if utf8_offset < 0 and text.count("\ufffd") > max(10, len(text) // 100):
            errors.append(
                ExtractionError(
                    field="page", kind="input", message=f"bytes do not decode cleanly as {encoding}"
                )
            )
    else:
        text = data
        body = text.encode("utf-8", "surrogatepass")
    sha = sha256_hex(body)
    if not text or text.isspace():
        errors.append(ExtractionError(field="page", kind="input", message="empty input"))
        return Page(url=url, text=text, root=None, content_sha256=sha, errors=errors)
    if _binary_share(text) > 0.1:
        errors.append(ExtractionError(field="page", kind="input", message="input is binary, not a page"))
        return Page(url=url, text=text, root=None, content_sha256=sha, errors=errors)
    if not looks_like_html(text):
        return Page(url=url, text=text, root=None, content_sha256=sha, errors=errors)
    root = _parse(text, errors, body[utf8_offset:] if utf8_offset >= 0 else None)
    return Page(url=url, text=text, root=root, content_sha256=sha, errors=errors)


def _utf8_start(body: bytes, content_type: str | None) -> int | None:
    """Where the page's text starts in ``body`` when ``_decode`` would read it as UTF-8 (after a
    UTF-8 byte order mark, else 0); None when it would pick another encoding."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return len(bom) if bom_encoding == "utf-8" else None
    found = http_content_type_encoding(content_type) or _declared_encoding(body)
    return 0 if found is None or found == "utf-8" else None


_HEAD_BYTES = 20_000
"""Bytes decoded for the checks on a page's first characters (at least the 5,000 they read)."""
_TAIL_BYTES = 12_000
"""Bytes decoded for the truncation check on a page's last characters."""
_FALLBACK_ERRORS = frozenset({"ERR_INVALID_ENCODING", "ERR_INTERNAL_ERROR", "ERR_EXCESSIVE_DEPTH"})
"""Parser errors that send a page down the general path (not UTF-8 after all; nested too deep)."""
_UNREPORTED_AFTER = 90
"""Errors logged from which on the log may have stopped (libxml2 stops reporting at 100)."""


def _load_utf8(body: bytes, url: str | None, content_type: str | None) -> Page | None:
    """The page parsed straight from its bytes when they are UTF-8 HTML, its text left undecoded;
    None when the general path must decide (another encoding, invalid UTF-8, not HTML, too deep).

    libxml2 reports invalid UTF-8 (``ERR_INVALID_ENCODING``) at exactly the byte sequences Python's
    strict decoder refuses; when its error log is full (it stops at 100 errors) the bytes are
    decoded to be sure. The checks of ``load_page`` run on the decoded first and last characters,
    with the same results as on the whole text."""
    start = _utf8_start(body, content_type)
    if start is None or body.startswith(b"\xef\xbb\xbf", start):
        # libxml2 skips one byte order mark: a second one is text (the general path parses the
        # bytes after the first, and libxml2 then skips the second).
        return None
    head = body[start : start + _HEAD_BYTES].decode("utf-8", "ignore")
    if _binary_share(head) > 0.1 or not looks_like_html(head):
        return None  # the general path says which, from the whole text
    try:
        root = lxml.html.document_fromstring(body, parser=_UTF8_PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None
    log = _UTF8_PARSER.error_log
    for entry in log:
        if entry.type_name in _FALLBACK_ERRORS or "depth" in entry.message.lower():
            return None
    text: str | None = None
    if len(log) >= _UNREPORTED_AFTER:  # libxml2 reports no errors past its limit: decode to be sure
        try:
            text = body[start:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    errors: list[ExtractionError] = []
    if _looks_truncated(body, start, text):
        errors.append(
            ExtractionError(field="page", kind="input", message="page looks truncated (no closing </html>)")
        )
    return Page(url=url, text=text, root=root, content_sha256=sha256_hex(body), errors=errors,
                utf8=body, utf8_start=start)


def _looks_truncated(body: bytes, start: int, text: str | None) -> bool:
    """``_truncated``, from the page's last bytes when its text is not decoded."""
    if text is None:
        window = max(start, len(body) - _TAIL_BYTES)
        tail = body[window:].decode("utf-8", "ignore")  # drops a character cut at the window's start
        if window == start:
            text = tail  # the whole text
        else:
            end = len(tail)
            while end and tail[end - 1].isspace():
                end -= 1
            if end >= 2000:  # the last 2,000 characters are here, and the text is longer than that
                last = tail[end - 2000 : end].lower()
                return "</html>" not in last and "</body>" not in last
            text = body[start:].decode("utf-8", "replace")  # a long run of trailing white space
    return _truncated(text)


def _truncated(text: str) -> bool:
    """Whether the page lacks a closing ``</html>`` or ``</body>`` in its last 2,000 characters
    (trailing white space aside); pages of 2,000 characters or fewer are never called truncated."""
    end = len(text)
    while end and text[end - 1].isspace():  # text.rstrip() would copy the whole page
        end -= 1
    tail = text[max(0, end - 2000) : end].lower()
    return "</html>" not in tail and "</body>" not in tail and len(text) > 2000


MAX_DEPTH = 400
"""Nesting kept when a page is deeper than the parser allows (libxml2 stops at 2048); real pages
stay under 100, and recursive tree walkers (html-text) need headroom under Python's 1000 frames."""
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def flatten_deep_markup(text: str, max_depth: int = MAX_DEPTH) -> str:
    """The markup with start and end tags nested deeper than ``max_depth`` removed (text kept).

    >>> flatten_deep_markup("<div><div><div>x</div></div></div><p>y</p>", max_depth=2)
    '<div><div>x</div></div><p>y</p>'
    """
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    last = 0
    for m in _TAG.finditer(text):
        closing, name, selfclosing = m[1], m[2].lower(), m[3]
        keep = True
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                keep = False
            elif name in stack:
                while stack and stack.pop() != name:
                    pass
        elif name not in _VOID and not selfclosing:
            if len(stack) >= max_depth:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                stack.append(name)
        if not keep:
            out.append(text[last : m.start()])
            last = m.end()
    out.append(text[last:])
    return "".join(out)


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


_NOT_TEXT_ASCII = bytes(c for c in range(128) if _NOT_TEXT.match(chr(c)))
"""The ASCII characters ``_NOT_TEXT`` matches, as bytes (``bytes.translate`` deletes them)."""


def _binary_share(text: str) -> float:
    """Share of control and replacement characters in the first 4,000 characters."""
    sample = text[:4000]
    if not sample:
        return 0.0
    if sample.isascii():  # count by deleting them from the bytes (no regex scan, no match list)
        data = sample.encode("ascii")
        return (len(data) - len(data.translate(None, _NOT_TEXT_ASCII))) / len(sample)
    return len(_NOT_TEXT.findall(sample)) / len(sample)


def _starts_with_xml_declaration(text: str) -> bool:
    """``text.lstrip().startswith("<?xml")`` without copying the page."""
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    return text.startswith("<?xml", start)


def _parse(text: str, errors: list[ExtractionError], utf8: bytes | None = None) -> HtmlElement | None:
    """Parse the page: its UTF-8 bytes when given (``text`` decoded from them), else ``text``."""
    # lxml refuses str input that carries an XML encoding declaration; strip it.
    source = text[text.index("?>") + 2 :] if _starts_with_xml_declaration(text) else text
    parser = _PARSER if utf8 is None else _UTF8_PARSER
    try:
        root = lxml.html.document_fromstring(source if utf8 is None else utf8, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        errors.append(ExtractionError(field="page", kind="input", message=f"HTML could not be parsed: {exc}"))
        return None
    for entry in parser.error_log:
        if entry.type_name in ("ERR_INTERNAL_ERROR", "ERR_EXCESSIVE_DEPTH") or "depth" in entry.message.lower():
            # libxml2 stops at its depth limit and drops the rest of the page: parse again with the
            # tags nested beyond MAX_DEPTH removed (their text is kept).
            errors.append(
                ExtractionError(
                    field="page",
                    kind="input",
                    message=f"markup too deeply nested: {entry.message.strip()} "
                    f"(tags deeper than {MAX_DEPTH} were dropped, their text kept)",
                )
            )
            try:
                root = lxml.html.document_fromstring(flatten_deep_markup(source), parser=_PARSER)
            except (lxml.etree.ParserError, ValueError):
                logger.debug("re-parse of the flattened page failed", exc_info=True)
            break
    if _truncated(text):
        errors.append(
            ExtractionError(field="page", kind="input", message="page looks truncated (no closing </html>)")
        )
    return root
