"""Language names and codes -> ISO 639-1, and a name's language from its script.

``language_code`` reads English names ("Japanese"), native names ("日本語", "Deutsch"), ISO
639-1/639-2/639-3 codes ("ja", "jpn", "ger") and BCP 47 tags ("pt-BR" -> "pt"), with an optional
"language:" prefix or a bracketed note. Anything else is None.

``script_language`` decides from the Unicode script of the letters. Documented choices:

- Any kana -> ``ja``; any Hangul -> ``ko``; Han characters with neither are ambiguous (Japanese
  kanji or Chinese hanzi) and give ``han_default``, ``"ja"`` by default because the sites we read
  are anime and film wikis whose Han-only names are overwhelmingly Japanese titles; pass
  ``han_default="zh"`` for Chinese sites.
- Cyrillic -> ``ru`` (Ukrainian, Bulgarian ... are not told apart), Greek -> ``el``, Arabic ->
  ``ar``, Hebrew -> ``he``, Thai -> ``th``, Devanagari -> ``hi``.
- Latin letters only -> ``default`` (``"en"``: Latin script on an English-language wiki is
  English; romanized Japanese is not detected). No letters at all -> None.
"""

from __future__ import annotations

import functools
import logging
import re

from normalize.text import clean_text

logger = logging.getLogger(__name__)

# code: (English name and other spellings, native names, ISO 639-2/3 codes)
_LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "ja": (("japanese",), ("日本語", "にほんご", "japanisch", "japonais", "japonés", "giapponese"), ("jpn", "jap")),
    "en": (("english",), ("englisch", "anglais", "inglés", "inglese", "英語", "英语", "영어"), ("eng",)),
    "zh": (
        ("chinese", "mandarin", "cantonese", "chinese (mandarin)", "mandarin chinese", "standard chinese"),
        ("中文", "汉语", "漢語", "普通话", "國語", "国语", "粵語", "粤语", "中国語", "chinesisch", "chinois"),
        ("zho", "chi", "cmn", "yue"),
    ),
    "ko": (("korean",), ("한국어", "조선말", "韓国語", "koreanisch", "coréen"), ("kor",)),
    "de": (("german",), ("deutsch", "allemand", "alemán", "ドイツ語"), ("deu", "ger")),
    "fr": (("french",), ("français", "francais", "französisch", "francés", "フランス語"), ("fra", "fre")),
    "es": (("spanish", "castilian"), ("español", "espanol", "castellano", "spanisch", "espagnol", "スペイン語"), ("spa",)),
    "it": (("italian",), ("italiano", "italienisch", "italien", "イタリア語"), ("ita",)),
    "pt": (("portuguese", "brazilian portuguese"), ("português", "portugues", "portugiesisch", "portugais"), ("por",)),
    "ru": (("russian",), ("русский", "русский язык", "russisch", "russe", "ロシア語"), ("rus",)),
    "uk": (("ukrainian",), ("українська",), ("ukr",)),
    "pl": (("polish",), ("polski", "polnisch"), ("pol",)),
    "nl": (("dutch", "flemish"), ("nederlands", "niederländisch"), ("nld", "dut")),
    "sv": (("swedish",), ("svenska", "schwedisch"), ("swe",)),
    "no": (("norwegian", "norwegian bokmål", "bokmål"), ("norsk",), ("nor", "nob")),
    "da": (("danish",), ("dansk", "dänisch"), ("dan",)),
    "fi": (("finnish",), ("suomi", "finnisch"), ("fin",)),
    "is": (("icelandic",), ("íslenska",), ("isl", "ice")),
    "cs": (("czech",), ("čeština", "tschechisch"), ("ces", "cze")),
    "sk": (("slovak",), ("slovenčina",), ("slk", "slo")),
    "hu": (("hungarian",), ("magyar", "ungarisch"), ("hun",)),
    "ro": (("romanian",), ("română",), ("ron", "rum")),
    "bg": (("bulgarian",), ("български",), ("bul",)),
    "sr": (("serbian",), ("српски", "srpski"), ("srp",)),
    "hr": (("croatian",), ("hrvatski",), ("hrv",)),
    "sl": (("slovenian", "slovene"), ("slovenščina",), ("slv",)),
    "el": (("greek",), ("ελληνικά", "griechisch"), ("ell", "gre")),
    "tr": (("turkish",), ("türkçe", "türkisch"), ("tur",)),
    "ar": (("arabic",), ("العربية", "arabisch"), ("ara",)),
    "he": (("hebrew",), ("עברית", "hebräisch"), ("heb",)),
    "fa": (("persian", "farsi"), ("فارسی",), ("fas", "per")),
    "hi": (("hindi",), ("हिन्दी", "हिंदी"), ("hin",)),
    "bn": (("bengali", "bangla"), ("বাংলা",), ("ben",)),
    "ta": (("tamil",), ("தமிழ்",), ("tam",)),
    "te": (("telugu",), ("తెలుగు",), ("tel",)),
    "ur": (("urdu",), ("اردو",), ("urd",)),
    "th": (("thai",), ("ไทย", "ภาษาไทย"), ("tha",)),
    "vi": (("vietnamese",), ("tiếng việt",), ("vie",)),
    "id": (("indonesian",), ("bahasa indonesia",), ("ind",)),
    "ms": (("malay",), ("bahasa melayu",), ("msa", "may")),
    "tl": (("tagalog", "filipino"), ("wikang tagalog",), ("tgl", "fil")),
    "la": (("latin",), ("latina", "lingua latina"), ("lat",)),
    "ca": (("catalan",), ("català",), ("cat",)),
    "eu": (("basque",), ("euskara",), ("eus", "baq")),
    "gl": (("galician",), ("galego",), ("glg",)),
    "ga": (("irish",), ("gaeilge",), ("gle",)),
    "cy": (("welsh",), ("cymraeg",), ("cym", "wel")),
    "et": (("estonian",), ("eesti",), ("est",)),
    "lv": (("latvian",), ("latviešu",), ("lav",)),
    "lt": (("lithuanian",), ("lietuvių",), ("lit",)),
    "eo": (("esperanto",), (), ("epo",)),
}  # fmt: skip

_BY_NAME: dict[str, str] = {}
for _code, (_english, _native, _iso3) in _LANGUAGES.items():
    _BY_NAME[_code] = _code
    for _name in (*_english, *_native, *_iso3):
        _BY_NAME[_name] = _code
    for _name in _english:
        _BY_NAME[f"{_name} language"] = _code

_PREFIX = re.compile(r"^(?:(?:original\s+)?language|lang|sprache|langue|idioma|言語)\s*[:=]\s*", re.IGNORECASE)
_NOTE = re.compile(r"\s*[(\[（][^)\]）]*[)\]）]\s*$")
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})+$", re.IGNORECASE)


def language_code(name: str | None) -> str | None:
    """The ISO 639-1 code for a language name or code; None when unknown.

    >>> [language_code(x) for x in ("Japanese", "language: english", "ja", "Deutsch", "日本語")]
    ['ja', 'en', 'ja', 'de', 'ja']
    >>> language_code("pt-BR"), language_code("jpn"), language_code("Japanese (original)")
    ('pt', 'ja', 'ja')
    >>> language_code("Klingon") is None
    True
    """
    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"expected text, got {type(name).__name__}")
    text = clean_text(name).lower().strip(" .,;:")
    if not text or len(text) > 60:
        return None
    text = _PREFIX.sub("", text)
    text = _NOTE.sub("", text).strip(" .,;:") or text
    found = _BY_NAME.get(text)
    if found is not None:
        return found
    m = _TAG.fullmatch(text)
    if m:
        return _BY_NAME.get(m.group(1).lower())
    if text.endswith((" dub", " sub", " audio", " subtitles", " dubbed")):
        return language_code(text.rsplit(" ", 1)[0])
    return None


# Script ranges: (first, last, script)
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"), (0x1F00, 0x1FFF, "el"),
    (0x0400, 0x052F, "ru"), (0x1C80, 0x1C8F, "ru"), (0x2DE0, 0x2DFF, "ru"), (0xA640, 0xA69F, "ru"),
    (0x0590, 0x05FF, "he"), (0xFB1D, 0xFB4F, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x08A0, 0x08FF, "ar"),
    (0xFB50, 0xFDFF, "ar"), (0xFE70, 0xFEFF, "ar"),
    (0x0900, 0x097F, "hi"),
    (0x0E00, 0x0E7F, "th"),
    (0x1100, 0x11FF, "hangul"), (0x3130, 0x318F, "hangul"), (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7AF, "hangul"), (0xD7B0, 0xD7FF, "hangul"), (0xFFA0, 0xFFDC, "hangul"),
    (0x3041, 0x309F, "kana"), (0x30A0, 0x30FA, "kana"), (0x30FC, 0x30FF, "kana"),
    (0x31F0, 0x31FF, "kana"), (0xFF66, 0xFF9F, "kana"), (0x1B000, 0x1B16F, "kana"),
    (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"), (0xF900, 0xFAFF, "han"),
    (0x20000, 0x2FA1F, "han"), (0x3005, 0x3007, "han"),
)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _script(char: str) -> str | None:
    """The script of one character (cached: pages repeat the same few hundred characters)."""
    code = ord(char)
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script
    if char.isalpha():
        return "latin" if code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0xFF21 <= code <= 0xFF5A else "other"
    return None


def script_language(text: str | None, default: str | None = "en", *, han_default: str = "ja") -> str | None:
    """The language a name is written in, judged by its script; None when it has no letters.

    >>> [script_language(x) for x in ("メモリーズ", "추억", "Воспоминания", "Memories", "1995")]
    ['ja', 'ko', 'ru', 'en', None]
    >>> script_language("千と千尋の神隠し"), script_language("霸王别姬"), script_language("霸王别姬", han_default="zh")
    ('ja', 'ja', 'zh')
    >>> script_language("Memories", default=None) is None
    True
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    if default is not None and not isinstance(default, str):
        raise TypeError("default must be a language code or None")
    if not isinstance(han_default, str):
        raise TypeError("han_default must be a language code")
    if not han_default:
        raise ValueError("han_default must not be empty")
    if text.isascii():
        # Only ASCII letters count (as Latin), and they are exactly the ASCII characters with a case.
        return default if text.lower() != text.upper() else None
    counts: dict[str, int] = {}
    for char in text:
        if char.isascii():
            if char.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        script = _script(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if "kana" in counts:
        return "ja"
    if "hangul" in counts:
        return "ko"
    if "han" in counts:
        return han_default
    others = {k: v for k, v in counts.items() if k not in ("latin", "other")}
    if others:
        return max(others, key=lambda k: others[k])
    if "latin" in counts:
        return default
    return None
