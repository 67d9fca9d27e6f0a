"""Money amounts (budgets, box office) -> ``(amount, ISO 4217 currency)`` via price-parser.

Documented choices:

- Scale words and suffixes multiply: "million"/"M"/"mn"/"Mio.", "billion"/"bn"/"B"/"Mrd.",
  "thousand"/"k", and Japanese 万 (10^4), 億 (10^8), 兆 (10^12).
- A bare ``$`` is USD and a bare ``¥``/``円`` is JPY: assumptions that hold on the English
  wikis and anime sites we read (a Canadian or Chinese page may mean otherwise; the raw text is
  kept). ``kr`` (several crowns) and other ambiguous signs give currency None.
- The first amount wins ("$20 million (US) / ¥3 billion" is 20,000,000 USD). A range
  ("$20–25 million") has no single amount: ``(None, currency)``.
- Unparseable text gives ``(None, None)``; amounts of 10^15 or more are absurd: None.
"""

from __future__ import annotations

import logging
import math
import re

from price_parser import Price

from normalize.text import clean_text, strip_footnotes

logger = logging.getLogger(__name__)

MAX_AMOUNT = 1e15

_CURRENCIES: dict[str, str] = {
    "$": "USD", "dólares": "USD", "us$": "USD", "usd": "USD", "u.s.$": "USD", "us $": "USD", "dollars": "USD", "dollar": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP", "uk£": "GBP",
    "¥": "JPY", "￥": "JPY", "円": "JPY", "jpy": "JPY", "yen": "JPY", "jp¥": "JPY",
    "cn¥": "CNY", "cny": "CNY", "rmb": "CNY", "元": "CNY", "yuan": "CNY", "人民币": "CNY",
    "₩": "KRW", "krw": "KRW", "won": "KRW", "원": "KRW",
    "₹": "INR", "inr": "INR", "rs": "INR", "rs.": "INR",
    "ca$": "CAD", "c$": "CAD", "cad": "CAD", "can$": "CAD",
    "a$": "AUD", "au$": "AUD", "aud": "AUD",
    "nz$": "NZD", "nzd": "NZD",
    "hk$": "HKD", "hkd": "HKD",
    "nt$": "TWD", "twd": "TWD",
    "s$": "SGD", "sgd": "SGD",
    "r$": "BRL", "brl": "BRL",
    "mx$": "MXN", "mxn": "MXN",
    "chf": "CHF", "fr.": "CHF",
    "₽": "RUB", "rub": "RUB", "руб": "RUB", "руб.": "RUB",
    "₺": "TRY", "try": "TRY",
    "₱": "PHP", "php": "PHP",
    "฿": "THB", "thb": "THB",
    "₫": "VND", "vnd": "VND",
    "zł": "PLN", "pln": "PLN",
    "dm": "DEM", "dem": "DEM",
    "ff": "FRF", "frf": "FRF",
    "₤": "ITL", "itl": "ITL", "lire": "ITL",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK",
}  # fmt: skip

_SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "tsd": 1e3, "tsd.": 1e3,
    "million": 1e6, "millions": 1e6, "millones": 1e6, "milioni": 1e6, "millón": 1e6, "mil": 1e6, "mil.": 1e6, "mn": 1e6, "m": 1e6, "mio": 1e6, "mio.": 1e6,
    "millionen": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "bil": 1e9, "mrd": 1e9, "mrd.": 1e9, "milliarden": 1e9, "milliard": 1e9,
    "milliards": 1e9, "miliardi": 1e9,
    "trillion": 1e12,
    "万": 1e4, "億": 1e8, "亿": 1e8, "兆": 1e12, "만": 1e4, "억": 1e8,
}  # fmt: skip
_SCALE = re.compile(
    r"^\s*(?P<scale>thousand|millions?|millionen|millones|milioni|millón|milliarden|milliards?|miliardi|billions?"
    r"|trillion|mil\.?|mio\.?|mrd\.?|tsd\.?|mn|bn|bil|[kmb])(?![a-z])|^\s*(?P<cjk>万|億|亿|兆|만|억)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\d\s*(?:-|–|—|~|〜|to|bis)\s*[$€£¥]?\s*\d", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_AMOUNT_TEXT = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:[\s\u00a0\u202f'’]\d{3})+(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?"
)


def _currency(symbol: str | None, text: str) -> str | None:
    if symbol:
        found = _CURRENCIES.get(symbol.strip().lower())
        if found is not None:
            return found
    lowered = text.lower()
    for word in ("us$", "usd", "eur", "gbp", "jpy", "cny", "krw", "yen", "円", "元"):
        if word in lowered:
            return _CURRENCIES[word]
    return None


def parse_money(raw: str | None) -> tuple[float | None, str | None]:
    """An amount and its ISO 4217 currency; ``(None, None)`` when there is none.

    >>> parse_money("$20 million"), parse_money("¥1.2 billion")
    ((20000000.0, 'USD'), (1200000000.0, 'JPY'))
    >>> parse_money("$1,234,567"), parse_money("US$ 5M"), parse_money("12億円")
    ((1234567.0, 'USD'), (5000000.0, 'USD'), (1200000000.0, 'JPY'))
    >>> parse_money("$20–25 million"), parse_money("Unknown")
    ((None, 'USD'), (None, None))
    """
    if raw is None:
        return None, None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    text = clean_text(strip_footnotes(raw))
    if not text or not _NUMBER.search(text) or len(text) > 500:
        return None, None
    price = Price.fromstring(text)
    currency = _currency(price.currency, text)
    if price.amount is None or price.amount_text is None:
        return None, currency
    head = text.split(price.amount_text, 1)[0] if price.amount_text in text else ""
    if head.strip().startswith(("-", "−")) or head.rstrip().endswith(("-", "−")):
        return None, currency  # money amounts on title pages are never negative
    if _RANGE.search(text[len(head) :]):
        return None, currency
    if not _AMOUNT_TEXT.fullmatch(price.amount_text.strip()):
        return None, currency  # price-parser joins "2004 5" into 20045: not one written amount
    amount = float(price.amount)
    if price.amount_text in text:
        rest = text[len(head) + len(price.amount_text) :]
        m = _SCALE.match(rest)
        if m:
            amount *= _SCALES[(m["scale"] or m["cjk"]).lower()]
        elif re.match(r"[A-Za-z\d]", rest) and not rest.lower().startswith(tuple(_CURRENCIES)):
            return None, currency  # "$1e30": the number runs on into something else
    if not math.isfinite(amount) or amount < 0 or amount >= MAX_AMOUNT:
        return None, currency
    return amount, currency
