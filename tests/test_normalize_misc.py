"""normalize.language, roles, counts, kinds and money: tables of real-page values and bad input."""

from __future__ import annotations

import importlib

import pytest

from normalize.counts import parse_float, parse_int, parse_list_summary, parse_score
from normalize.kinds import KINDS, parse_kind
from normalize.language import language_code, script_language
from normalize.money import parse_money
from normalize.roles import ROLE_VOCABULARY, canonical_roles

JUNK = [None, "", "   ", "???", "\x00\xff\xfe\ufffd", "<b></b>", "x" * 10_000, "(" * 20_000]
JUNK_IDS = ["None", "empty", "blank", "???", "binary", "markup", "huge", "huge-parens"]

# ----------------------------------------------------------------------------------- language

LANGUAGE_CODES = [
    ("Japanese", "ja"),
    ("japanese", "ja"),
    ("language: english", "en"),
    ("Language: Japanese", "ja"),
    ("English (dub)", "en"),
    ("Japanese (original)", "ja"),
    ("ja", "ja"),
    ("EN", "en"),
    ("jpn", "ja"),
    ("ger", "de"),
    ("deu", "de"),
    ("fr-FR", "fr"),
    ("pt_BR", "pt"),
    ("zh-Hant", "zh"),
    ("Deutsch", "de"),
    ("Français", "fr"),
    ("Español", "es"),
    ("日本語", "ja"),
    ("한국어", "ko"),
    ("中文", "zh"),
    ("Русский", "ru"),
    ("Mandarin", "zh"),
    ("Cantonese", "zh"),
    ("Korean", "ko"),
    ("Brazilian Portuguese", "pt"),
    ("Tagalog", "tl"),
    ("Spanish dub", "es"),
    ("Klingon", None),
    ("xx", None),
    ("i_audio_en", None),  # flag classes are the family extractor's business
    ("English, Japanese", None),  # two languages: not one code
]


@pytest.mark.parametrize(("name", "code"), LANGUAGE_CODES, ids=[c[0] for c in LANGUAGE_CODES])
def test_language_code(name: str, code: str | None) -> None:
    assert language_code(name) == code


@pytest.mark.parametrize("raw", JUNK, ids=JUNK_IDS)
def test_language_code_junk(raw: str | None) -> None:
    assert language_code(raw) is None


SCRIPTS = [
    ("メモリーズ", "ja"),
    ("Memories メモリーズ", "ja"),  # any kana: Japanese
    ("千と千尋の神隠し", "ja"),
    ("ＯＮＥ ＰＩＥＣＥ ワンピース", "ja"),
    ("君の名は。", "ja"),
    ("聲の形", "ja"),
    ("霸王别姬", "ja"),  # Han only: han_default
    ("추억", "ko"),
    ("Воспоминания", "ru"),
    ("Αναμνήσεις", "el"),
    ("ذكريات", "ar"),
    ("זכרונות", "he"),
    ("ความทรงจำ", "th"),
    ("यादें", "hi"),
    ("Memories", "en"),
    ("Pokémon", "en"),
    ("ＡＢＣ", "en"),
    ("Kanojo no Omoide", "en"),  # romanized Japanese is Latin script
    ("1995", None),
    ("１２３", None),
    ("!!!", None),
    ("ー・", "ja"),
]


@pytest.mark.parametrize(("text", "lang"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_script_language(text: str, lang: str | None) -> None:
    assert script_language(text) == lang


def test_script_language_parameters() -> None:
    assert script_language("霸王别姬", han_default="zh") == "zh"
    assert script_language("メモリーズ", han_default="zh") == "ja"  # kana decides before Han
    assert script_language("Memories", default="de") == "de"
    assert script_language("Memories", default=None) is None
    assert script_language("Воспоминания", default=None) == "ru"


@pytest.mark.parametrize("raw", JUNK, ids=JUNK_IDS)
def test_script_language_junk(raw: str | None) -> None:
    assert script_language(raw) in (None, "en")  # letters in junk are Latin: the default
    assert script_language(raw, default=None) is None


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: script_language("x", han_default=""), ValueError),
        (lambda: script_language("x", han_default=1), TypeError),  # type: ignore[arg-type]
        (lambda: script_language(b"x"), TypeError),  # type: ignore[arg-type]
        (lambda: language_code(1), TypeError),  # type: ignore[arg-type]
    ],
    ids=["empty-han-default", "int-han-default", "bytes", "int-name"],
)
def test_language_bad_arguments(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


# -------------------------------------------------------------------------------------- roles

ROLES = [
    # The seed (Whiskey family).
    ("Director", ("director",)),
    ("Character Artist/Designer", ("character_artist", "character_designer")),
    ("Key Animator", ("key_animator",)),
    ("Art Director", ("art_director",)),
    ("Writer", ("writer",)),
    ("Music", ("music",)),
    ("Voice Actor", ("voice_actor",)),
    ("Original Creator", ("original_creator",)),
    ("Storyboard Artist", ("storyboard",)),
    ("Theme Song Performer", ("theme_song_performer",)),
    ("Penciler", ("illustrator",)),
    ("Colorist", ("color_designer",)),
    # Several roles in one credit.
    ("Director & Editor & Original Creator", ("director", "editor", "original_creator")),
    ("Director, Writer", ("director", "writer")),
    ("Writer and Director", ("writer", "director")),
    ("Story & Art", ("writer", "illustrator")),
    ("Director, Episode Director, Storyboard", ("director", "episode_director", "storyboard")),
    ("Animation Director/Key Animator", ("animation_director", "key_animator")),
    ("Theme Song Composition, Theme Song Arrangement", ("composer", "music")),
    ("character designer / supervising animator", ("character_designer", "animator")),
    ("Director, Director", ("director",)),
    ("Director & Best Boy", ("director", "other")),
    # A comma or "&" separates whole roles; only a slash shares the head word.
    ("Series Composition, Script", ("series_composition", "screenplay")),
    ("Series Composition & Script", ("series_composition", "screenplay")),
    ("Series Composition/Script", ("series_composition",)),  # "Series Script", the same role
    ("Key Animator, Director", ("key_animator", "director")),
    # Dubbing, concept art, music production and arrangement.
    ("ADR Director", ("adr_director",)),
    ("ADR Direction", ("adr_director",)),
    ("Dubbing Director", ("adr_director",)),
    ("Concept Art", ("concept_artist",)),
    ("Concept Artist", ("concept_artist",)),
    ("Concept Design", ("concept_artist",)),
    ("Music Work", ("music_production",)),
    ("Music Work (音楽制作)", ("music_production",)),
    ("音楽制作", ("music_production",)),
    ("Song Arrangement", ("music",)),
    ("Music Producer", ("producer",)),
    # MAL / ANN / Anime-Planet.
    ("Series Composition", ("series_composition",)),
    ("Chief Director", ("chief_director",)),
    ("Chief Animation Director", ("animation_director",)),
    ("Original Character Design", ("character_designer",)),
    ("Sound Director", ("sound_director",)),
    ("Executive Producer", ("executive_producer",)),
    ("In-Between Animation", ("animator",)),
    ("2nd Key Animation", ("animator",)),
    ("Script", ("screenplay",)),
    ("Photography", ("cinematographer",)),
    ("Animation Production", ("studio",)),
    # AniDB: English with the Japanese in brackets.
    ("Direction (監督)", ("director",)),
    ("Original Work", ("original_creator",)),
    ("Original Work:", ("original_creator",)),
    ("Chief Animation Direction", ("animation_director",)),
    ("Script/Screenplay (脚本)", ("screenplay",)),
    ("Key Animation (原画)", ("key_animator",)),
    ("Colour Design (色彩設計)", ("color_designer",)),
    ("Background Art (背景)", ("background_art",)),
    ("Work (制作)", ("studio",)),
    ("Sound Effects Assistant (効果助手)", ("other",)),
    ("Assistant Art Direction (美術監督補佐)", ("other",)),
    # IMDb department headings and credit cells.
    ("Directed by", ("director",)),
    ("Writing Credits", ("writer",)),
    ("Writing Credits (WGA)", ("writer",)),
    ("Produced by", ("producer",)),
    ("Music by", ("music",)),
    ("Cinematography by", ("cinematographer",)),
    ("Film Editing by", ("editor",)),
    ("Casting By", ("casting",)),
    ("Art Direction by", ("art_director",)),
    ("Cast (in credits order)", ("cast",)),
    ("Animation Department", ("animator",)),
    ("Sound Department", ("other",)),
    ("Camera and Electrical Department", ("other",)),
    ("(screenplay)", ("screenplay",)),
    ("(comic)", ("original_creator",)),
    ("animator (as Yoshiyuki Hane)", ("animator",)),
    ("executive producer", ("executive_producer",)),
    ("inbetween artist", ("animator",)),
    # Wikipedia info-box labels.
    ("Developer(s)", ("developer",)),
    ("Publisher(s)", ("publisher",)),
    ("Composer(s)", ("composer",)),
    ("Screenplay by", ("screenplay",)),
    ("Story by", ("writer",)),
    ("Based on", ("original_creator",)),
    ("Starring", ("cast",)),
    ("Narrated by", ("cast",)),
    ("Distributed by", ("distributor",)),
    ("Production company", ("studio",)),
    ("Voiced by", ("voice_actor",)),
    ("Illustrated by", ("illustrator",)),
    ("Cover artist", ("illustrator",)),
    ("Translated by", ("translator",)),
    # Japanese credits.
    ("監督", ("director",)),
    ("総監督", ("chief_director",)),
    ("脚本", ("screenplay",)),
    ("音楽", ("music",)),
    ("キャラクターデザイン", ("character_designer",)),
    ("作画監督", ("animation_director",)),
    ("シリーズ構成・脚本", ("series_composition", "screenplay")),
    ("原作", ("original_creator",)),
    ("声の出演", ("voice_actor",)),
    # Unknown roles.
    ("Best Boy Grip", ("other",)),
    ("Caterer", ("other",)),
]


@pytest.mark.parametrize(("raw", "roles"), ROLES, ids=[r[0] for r in ROLES])
def test_canonical_roles(raw: str, roles: tuple[str, ...]) -> None:
    assert canonical_roles(raw) == roles


@pytest.mark.parametrize(
    ("raw", "roles"),
    [(None, ()), ("", ()), ("   ", ()), ("&&/,", ()), ("(as Shôji Saka)", ()), ("???", ()),
     ("\x00\xff\xfe", ("other",)), ("x" * 10_000, ("other",))],
    ids=["None", "empty", "blank", "separators", "credited-as", "???", "binary", "huge"],
)  # fmt: skip
def test_canonical_roles_junk(raw: str | None, roles: tuple[str, ...]) -> None:
    assert canonical_roles(raw) == roles


def test_every_canonical_role_is_in_the_vocabulary() -> None:
    seen = {role for raw, _ in ROLES for role in canonical_roles(raw)}
    assert seen <= set(ROLE_VOCABULARY)
    assert len(ROLE_VOCABULARY) == len(set(ROLE_VOCABULARY))
    assert "other" in ROLE_VOCABULARY


def test_roles_bad_argument() -> None:
    with pytest.raises(TypeError):
        canonical_roles(["Director"])  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- counts

INTS = [
    ("1,234", 1234),
    ("1.234", 1234),  # German thousands
    ("1 234", 1),  # an ordinary space does not group: the first number
    ("1\u00a0234", 1234),
    ("1\u202f234", 1234),
    ("1'234", 1234),
    ("60,116 votes", 60116),
    ("730,240", 730240),
    ("26 eps", 26),
    ("#15", 15),
    ("Rank #15", 15),
    ("#892 2 based on the top anime page", 892),
    ("12,345,678", 12345678),
    ("1.2k", 1200),
    ("3M", 3_000_000),
    ("2 million", 2_000_000),
    ("３４", 34),
    ("Episodes: 12", 12),
    ("0", 0),
    ("8.40", None),
    ("1.5", None),
    ("1.25k", 1250),
    ("1.2345k", None),
    ("-3", None),
    ("Unknown", None),
    ("?", None),
    ("ep26", None),
    ("9" * 16, None),
    ("9" * 5000, None),
]


@pytest.mark.parametrize(("raw", "value"), INTS, ids=[repr(i[0])[:30] for i in INTS])
def test_parse_int(raw: str, value: int | None) -> None:
    assert parse_int(raw) == value


FLOATS = [
    ("8.40", 8.4),
    ("8,4", 8.4),
    ("1,234", 1234.0),
    ("1,234.5", 1234.5),
    ("1.234,5", 1234.5),
    ("1.234", 1.234),
    ("1.234.567", 1234567.0),
    ("-0.5", -0.5),
    ("Score: 8.541", 8.541),
    ("N/A", None),
    ("1,2,3", None),
    ("9" * 400, None),
    ("inf", None),
    ("nan", None),
]


@pytest.mark.parametrize(("raw", "value"), FLOATS, ids=[repr(f[0])[:30] for f in FLOATS])
def test_parse_float(raw: str, value: float | None) -> None:
    assert parse_float(raw) == value


SCORES = [
    ("8.40", (8.4, None)),
    ("8.541 (scored by 428,921 users)", (8.541, None)),
    ("4.503 out of 5", (4.503, 5.0)),
    ("4.503 out of 5 from 60,116 votes", (4.503, 5.0)),
    ("8.2/10", (8.2, 10.0)),
    ("8.2 / 10", (8.2, 10.0)),
    ("7,5/10", (7.5, 10.0)),
    ("Rating: 3.5 / 5 stars", (3.5, 5.0)),
    ("82%", (82.0, 100.0)),
    ("10/10", (10.0, 10.0)),
    ("0/10", (0.0, 10.0)),
    ("N/A", (None, None)),
    ("11/10", (None, None)),
    ("101%", (None, None)),
    ("8.2/0", (None, None)),
    ("-3", (None, None)),
    ("R", (None, None)),
]


@pytest.mark.parametrize(("raw", "score"), SCORES, ids=[s[0] for s in SCORES])
def test_parse_score(raw: str, score: tuple[float | None, float | None]) -> None:
    assert parse_score(raw) == score


LIST_SUMMARIES = [
    ("a list of 334 items by Obsidian609", (334, "Obsidian609")),
    ("a list of 181 items by shels", (181, "shels")),
    ("a list of 95 items by jlanzer", (95, "jlanzer")),
    ("A list of 1 item by someone", (1, "someone")),
    ("a list of 24 titles", (24, None)),
    ("334 items", (334, None)),
    ("1,234 items", (1234, None)),
    ("334 items by Obsidian609", (334, "Obsidian609")),
    ("a list by Obsidian609", (None, "Obsidian609")),
    ("Seen and Watched a list of 334 items by Obsidian609", (334, "Obsidian609")),
    ("a list of 24 titles created 12 Aug 2011", (24, None)),
    ("a list of 1\u00a0234 items", (1234, None)),
    ("Memories", None),
    ("by", None),
    ("by Obsidian609", None),  # an author alone is not a list summary
    ("a list of many items", None),
]


@pytest.mark.parametrize(("raw", "summary"), LIST_SUMMARIES, ids=[s[0] for s in LIST_SUMMARIES])
def test_parse_list_summary(raw: str, summary: tuple[int | None, str | None] | None) -> None:
    assert parse_list_summary(raw) == summary


@pytest.mark.parametrize("raw", JUNK, ids=JUNK_IDS)
def test_counts_junk(raw: str | None) -> None:
    assert parse_int(raw) is None
    assert parse_float(raw) is None
    assert parse_score(raw) == (None, None)
    assert parse_list_summary(raw) is None


def test_counts_bad_argument() -> None:
    with pytest.raises(TypeError):
        parse_int(1234)  # type: ignore[arg-type]


# -------------------------------------------------------------------------------------- kinds

KIND_TABLE = [
    # MyAnimeList
    ("TV", "tv"), ("Movie", "film"), ("OVA", "ova"), ("ONA", "ona"), ("Special", "special"),
    ("Music", "music"), ("Manga", "manga"), ("Light Novel", "novel"), ("One-shot", "manga"),
    ("Manhwa", "manga"), ("Manhua", "manga"), ("Doujinshi", "manga"), ("Novel", "novel"),
    ("TV Special", "special"), ("CM", "special"), ("PV", "special"),
    # AniDB, aniSearch, Anime-Planet
    ("TV Series", "tv"), ("Web", "ona"), ("TV-Series", "tv"), ("DVD Special", "special"),
    ("Movie (1 ep x 107 min)", "film"), ("Movie, 1 (~129 min)", "film"), ("TV (26 eps x 24 min)", "tv"),
    ("Music Video", "music"),
    # Giant Bomb, Comic Vine
    ("game", "game"), ("issue", "comic"), ("volume", "comic"), ("movie", "film"),
    # Wikipedia info-box types
    ("film", "film"), ("video game", "game"), ("Video Game", "game"), ("television series", "tv"),
    ("Animated television series", "tv"), ("Japanese animated film", "film"), ("Short film", "film"),
    ("Original video animation", "ova"), ("Visual novel", "game"), ("Type: Movie", "film"),
    ("劇場版", "film"), ("テレビアニメ", "tv"),
    # IMDb title types, aniSearch's bonus episodes
    ("TV Mini Series", "tv"), ("TV Mini-Series", "tv"), ("TV Episode", "tv"), ("Video", "ova"),
    ("Short", "film"), ("TV Short", "tv"), ("TV Movie", "film"), ("Podcast Series", "other"),
    ("Podcast", "other"), ("Bonus", "special"),
    # Unknown
    ("anime", None), ("Animation", None), ("Unknown", None), ("Video clip", None),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "kind"), KIND_TABLE, ids=[k[0] for k in KIND_TABLE])
def test_parse_kind(raw: str, kind: str | None) -> None:
    assert parse_kind(raw) == kind


@pytest.mark.parametrize("raw", JUNK, ids=JUNK_IDS)
def test_parse_kind_junk(raw: str | None) -> None:
    assert parse_kind(raw) is None


def test_kinds_match_the_record_contract() -> None:
    records = importlib.import_module("extractors.records")  # normalize must not import extractors
    assert records.KINDS == KINDS
    assert {kind for _, kind in KIND_TABLE if kind} <= set(KINDS)


# -------------------------------------------------------------------------------------- money

MONEY = [
    ("$20 million", (20_000_000.0, "USD")),
    ("¥1.2 billion", (1_200_000_000.0, "JPY")),
    ("$1,234,567", (1_234_567.0, "USD")),
    ("US$ 5M", (5_000_000.0, "USD")),
    ("$800,000", (800_000.0, "USD")),
    ("$32,500,000[1]", (32_500_000.0, "USD")),
    ("$15 million (estimated)", (15_000_000.0, "USD")),
    ("US$ 274.9 million", (274_900_000.0, "USD")),
    ("$1.5 bn", (1_500_000_000.0, "USD")),
    ("$100k", (100_000.0, "USD")),
    ("5 million USD", (5_000_000.0, "USD")),
    ("€3.5 Mio.", (3_500_000.0, "EUR")),
    ("1,5 Mrd. €", (1_500_000_000.0, "EUR")),
    ("€ 12.000.000", (12_000_000.0, "EUR")),
    ("£2,000,000 (estimated)", (2_000_000.0, "GBP")),
    ("12億円", (1_200_000_000.0, "JPY")),
    ("3000円", (3000.0, "JPY")),
    ("3,000,000 yen", (3_000_000.0, "JPY")),
    ("JP¥ 2.1 billion", (2_100_000_000.0, "JPY")),
    ("HK$ 3,000", (3000.0, "HKD")),
    ("CA$5", (5.0, "CAD")),
    ("₩1,000", (1000.0, "KRW")),
    ("kr 100", (100.0, None)),  # crowns of which country: unknown
    ("$20–25 million", (None, "USD")),  # a range has no single amount
    ("$1e30", (None, "USD")),
    ("-$5", (None, "USD")),
    ("$", (None, None)),
    ("budget", (None, None)),
    ("Unknown", (None, None)),
    ("9" * 40, (None, None)),
    ("2004 5M", (None, None)),  # price-parser alone reads 20045 million
    ("m2 10", (None, None)),
    ("$" + "9" * 20, (None, "USD")),
]


@pytest.mark.parametrize(("raw", "money"), MONEY, ids=[m[0][:30] for m in MONEY])
def test_parse_money(raw: str, money: tuple[float | None, str | None]) -> None:
    assert parse_money(raw) == money


@pytest.mark.parametrize("raw", JUNK, ids=JUNK_IDS)
def test_parse_money_junk(raw: str | None) -> None:
    assert parse_money(raw) == (None, None)


def test_money_bad_argument() -> None:
    with pytest.raises(TypeError):
        parse_money(20.0)  # type: ignore[arg-type]
