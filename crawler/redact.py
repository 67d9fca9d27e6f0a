"""Keep credentials out of logs, manifests and failure reasons: user names and passwords in URLs.

>>> redact_url("https://bob:secret@wiki.example.org/start")
'https://***@wiki.example.org/start'
>>> redact_url("/srv/state.sqlite")
'/srv/state.sqlite'
>>> redact_text("proxy http://bob:secret@proxy.example:3128 refused")
'proxy http://***@proxy.example:3128 refused'
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger(__name__)

_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/@\s]+@)")


def redact_url(url: str) -> str:
    """A URL without the user name and password it may carry (they never reach a manifest)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    if not parts.netloc or "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def redact_text(text: str) -> str:
    """``text`` with the user-info part of every URL in it replaced by ``***``."""
    return _USERINFO.sub(lambda m: m.group("scheme") + "***@", text)


_SECRET_HEADERS = frozenset({"proxy-authorization", "authorization", "cookie"})
"""Request headers whose values are credentials: never written to WARC files."""


def safe_header_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header pairs without credentials: ``Proxy-Authorization`` (meant for the proxy, not part of the
    request to the site) is left out; ``Authorization`` and ``Cookie`` values become ``***``.

    >>> safe_header_pairs([("Proxy-Authorization", "Basic dTpw"), ("Authorization", "Bearer x"), ("Accept", "*/*")])
    [('Authorization', '***'), ('Accept', '*/*')]
    """
    out: list[tuple[str, str]] = []
    for name, value in pairs:
        lower = name.lower()
        if lower == "proxy-authorization":
            continue
        out.append((name, "***" if lower in _SECRET_HEADERS else value))
    return out
