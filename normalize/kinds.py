"""Title types as sites show them -> the record's ``kind``.

The kinds are those of ``extractors.records.KINDS``: film, tv, ova, ona, special, music, game,
manga, novel, comic, other. Documented choices:

- Light novels, novels and books are ``novel``; manhwa, manhua, one-shots, doujinshi and
  webtoons are ``manga``; comic issues and volumes (Comic Vine) are ``comic``.
- Web series (AniDB "Web", aniSearch "Web") are ``ona``; "TV Special", "DVD Special", "Music
  Video" and "Picture Drama" fall in ``special`` or ``music`` as named; "TV Short" and
  "Television series" are ``tv``; "Anime" alone is unknown (it may be any of tv/film/ova: None).
- IMDb's title types: "TV Mini Series" and "TV Episode" (an episode's own page) are ``tv``;
  "Video" (first released on home video) is ``ova``, as "direct-to-video" is; "Short" is
  ``film``, as "short film" is; podcasts are ``other`` (a known kind that is none of the others).
  aniSearch's "Bonus" (a bonus episode) is ``special``.
- Unknown strings give None; the caller keeps ``kind_raw``.
"""

from __future__ import annotations

import logging
import re

from normalize.text import clean_text

logger = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("film", "tv", "ova", "ona", "special", "music", "game", "manga", "novel", "comic", "other")

_TABLE: dict[str, str] = {}


def _add(kind: str, *names: str) -> None:
    if kind not in KINDS:
        raise ValueError(kind)
    for name in names:
        _TABLE[name] = kind


_add("film", "movie", "movies", "film", "films", "feature film", "anime film", "animated film", "theatrical",
     "theatrical film", "theatrical movie", "motion picture", "short film", "short movie", "documentary",
     "documentary film", "live action film", "live-action film", "tv movie", "television film", "tv film",
     "made-for-tv movie", "direct-to-video film", "short", "spielfilm", "kinofilm", "映画", "劇場版", "劇場アニメ", "영화")
_add("tv", "tv", "tv series", "tv-series", "tv anime", "tv show", "television", "television series",
     "television program", "television programme", "tv programme", "series", "anime series", "animated series",
     "tv short", "tv shorts", "tv-short", "miniseries", "mini-series", "serie", "fernsehserie",
     "tv-serie", "tv mini series", "tv mini-series", "tv miniseries", "mini series", "limited series",
     "tv episode", "episode", "テレビアニメ", "テレビシリーズ", "tvアニメ", "ドラマ", "tv drama", "drama")
_add("ova", "ova", "oav", "ovas", "original video animation", "original video", "oad",
     "original animation dvd", "direct-to-video", "video")
_add("ona", "ona", "web", "web series", "web anime", "original net animation", "net animation",
     "streaming series", "webアニメ", "ウェブアニメ")
_add("special", "special", "specials", "tv special", "tv-special", "dvd special", "bd special",
     "blu-ray special", "television special", "recap", "pilot", "cm", "commercial", "promotional video", "pv",
     "picture drama", "sp", "bonus")
_add("music", "music", "music video", "musicvideo", "mv", "music clip", "song", "album", "soundtrack",
     "single", "ミュージックビデオ")
_add("game", "game", "games", "video game", "videogame", "computer game", "visual novel", "mobile game",
     "browser game", "arcade game", "ゲーム", "videospiel", "spiel", "jeu vidéo")
_add("manga", "manga", "manhwa", "manhua", "one-shot", "oneshot", "one shot", "doujinshi", "doujin",
     "webtoon", "web manga", "yonkoma", "4-koma", "漫画", "マンガ", "まんが", "만화")
_add("novel", "novel", "novels", "light novel", "light novels", "book", "books", "novella", "short story",
     "web novel", "roman", "小説", "ライトノベル", "ラノベ")
_add("comic", "comic", "comics", "comic book", "comic books", "issue", "issues", "volume", "volumes",
     "graphic novel", "trade paperback", "tpb", "comic strip", "comic series", "comic book series", "bande dessinée")
_add("other", "other", "misc", "miscellaneous", "podcast", "podcast series", "podcast episode")  # fmt: skip

_MODIFIERS = re.compile(
    r"^(?:(?:animated|anime|animation|live[- ]action|japanese|american|korean|chinese|french|british|"
    r"original|independent|short|feature[- ]length|computer[- ]animated|stop[- ]motion|adult)\s+)+",
    re.IGNORECASE,
)
_NOISE = re.compile(r"[\s_]+")
_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_PREFIX = re.compile(r"^(?:type|format|media|medium|kind|typ|art)\s*[:=]\s*", re.IGNORECASE)


def parse_kind(raw: str | None) -> str | None:
    """The record kind for a type string; None when unknown.

    >>> [parse_kind(x) for x in ("Movie", "TV Series", "OVA", "Video Game", "Light Novel", "Manga")]
    ['film', 'tv', 'ova', 'game', 'novel', 'manga']
    >>> [parse_kind(x) for x in ("TV Mini Series", "TV Episode", "Video", "Short", "Podcast Series")]
    ['tv', 'tv', 'ova', 'film', 'other']
    >>> [parse_kind(x) for x in ("Music Video", "Web", "issue", "Anime", None)]
    ['music', 'ona', 'comic', None, None]
    """
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    text = _NOISE.sub(" ", clean_text(raw).lower()).strip(" .,;:")
    if not text or len(text) > 80:
        return None
    text = _PREFIX.sub("", text)
    found = _TABLE.get(text)
    if found is None:
        bare = _NOTE.sub(" ", text).strip(" .,;:")
        found = _TABLE.get(bare)
        if found is None:
            # "TV (26 eps)", "Movie, 1995": the leading word(s) before a separator.
            head = re.split(r"\s*[,|/;(]\s*|\s+-\s+", bare or text, maxsplit=1)[0]
            found = _TABLE.get(head)
            if found is None:
                # "Animated television series", "Japanese anime film": drop the adjectives.
                found = _TABLE.get(_MODIFIERS.sub("", head))
    return found
