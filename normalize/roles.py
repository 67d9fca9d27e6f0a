"""Credit roles as shown on pages -> a small canonical vocabulary.

``canonical_roles(raw)`` returns one or more names from ``ROLE_VOCABULARY``; the caller keeps
the raw role beside them (``Credit.role``). The vocabulary: director, chief_director,
episode_director, assistant_director, storyboard, writer, screenplay, series_composition,
original_creator, author, illustrator, character_designer, character_artist, mechanical_designer,
color_designer, animation_director, key_animator, animator, art_director, background_art,
cgi_director, visual_effects, cinematographer, editor, sound_director, music, composer, lyricist,
theme_song_performer, producer, executive_producer, production_designer, costume_designer,
casting, voice_actor, cast, publisher, developer, designer, programmer, translator, distributor,
studio, adr_director, concept_artist, music_production, other. Documented choices:

- A credit naming several roles gives several ("Director & Editor & Original Creator",
  "Director, Writer", "Story & Art"), split on ``&``, ``,``, ``/``, ``;``, ``+``, " and ", "・" and
  "、", in the order shown and without duplicates.
- "X Y/Z" shares the head word: "Character Artist/Designer" is "Character Artist" and "Character
  Designer", two roles: ``("character_artist", "character_designer")`` (the issue's reading; a
  character artist draws the cast, a character designer designs it).
- Chief or assistant variants map to the plain role unless the vocabulary has them
  ("Chief Animation Direction" -> ``animation_director``; "Chief Director" -> ``chief_director``).
- Manga "Story" is ``writer`` and "Art" is ``illustrator``; "Original Work/Story/Creator" is
  ``original_creator``; comic pencils, inks and covers are ``illustrator``.
- IMDb department headings ("Directed by", "Writing Credits", "Film Editing by") and AniDB
  roles with their Japanese in brackets ("Direction (監督)") are read; a bracketed part is tried
  when the rest is unknown.
- Dubbing has its own director: "ADR Director", "Dubbing Director", "Dialogue Director" are
  ``adr_director`` (not ``director``, who directs the work, nor ``sound_director``, who may direct
  the original cast). "Concept Art" / "Concept Design" / "Image Board" are ``concept_artist``.
  AniDB's and ANN's "Music Work" (音楽制作, the people or company that produce the music) is
  ``music_production``; "Music Producer" stays ``producer``. Arrangement is ``music``
  ("Song Arrangement", "Theme Song Arrangement").
- A lone word after a slash shares the head of the part before it ("Character Artist/Designer");
  after a comma, "&" or "and" it is a role of its own ("Series Composition, Script" is
  ``("series_composition", "screenplay")``).
- Unknown roles give ``("other",)``; empty or missing roles give ``()``.
"""

from __future__ import annotations

import logging
import re

from normalize.text import clean_text

logger = logging.getLogger(__name__)

ROLE_VOCABULARY: tuple[str, ...] = (
    "director", "chief_director", "episode_director", "assistant_director", "storyboard",
    "writer", "screenplay", "series_composition", "original_creator", "author", "illustrator",
    "character_designer", "character_artist", "mechanical_designer", "color_designer",
    "animation_director", "key_animator", "animator", "art_director", "background_art",
    "cgi_director", "visual_effects", "cinematographer", "editor", "sound_director", "music",
    "composer", "lyricist", "theme_song_performer", "producer", "executive_producer",
    "production_designer", "costume_designer", "casting", "voice_actor", "cast", "publisher",
    "developer", "designer", "programmer", "translator", "distributor", "studio", "adr_director",
    "concept_artist", "music_production", "other",
)  # fmt: skip
"""The canonical roles, in a stable order."""

# Normalized phrase -> canonical role. Phrases are lower case, "by"/"credits" dropped.
_TABLE: dict[str, str] = {}


def _add(role: str, *phrases: str) -> None:
    if role not in ROLE_VOCABULARY:
        raise ValueError(role)
    for phrase in phrases:
        _TABLE[phrase] = role


_add("director", "director", "directed", "direction", "directing", "film director", "series director",
     "監督", "감독", "regie", "regisseur", "réalisation", "réalisateur", "dirección", "director general")
_add("chief_director", "chief director", "chief direction", "general director", "総監督", "総監督・監督")
_add("episode_director", "episode director", "episode direction", "unit director", "unit direction",
     "technical director", "演出", "各話演出", "処理")
_add("assistant_director", "assistant director", "assistant direction", "assistant directors",
     "second unit director or assistant director", "second unit director", "co-director", "codirector",
     "助監督", "副監督", "監督補佐")
_add("storyboard", "storyboard", "storyboards", "storyboard artist", "storyboarding", "絵コンテ", "コンテ")
_add("writer", "writer", "writers", "writing", "written", "writing credits", "writing credits wga", "story",
     "script writer", "scriptwriter", "story writer", "teleplay", "dialogue", "drehbuch", "scénario")
_add("screenplay", "screenplay", "script", "scenario", "screen play", "脚本", "シナリオ", "각본")
_add("series_composition", "series composition", "series composer", "script supervisor", "series script",
     "シリーズ構成", "構成")
_add("original_creator", "original creator", "original work", "original story", "original concept",
     "original manga", "original novel", "creator", "created", "original", "based on", "comic", "manga",
     "novel", "book", "short story", "characters", "原作", "原案", "原作者")
_add("author", "author", "original author", "novelist", "mangaka", "著者", "作者", "著", "作家", "autor", "auteur")
_add("illustrator", "illustrator", "illustrated", "illustration", "illustrations", "art", "artist", "penciler",
     "penciller", "pencils", "inker", "inks", "cover", "cover artist", "作画", "イラスト", "挿絵", "漫画", "画")
_add("character_designer", "character designer", "character design", "character designs",
     "original character design", "キャラクターデザイン", "キャラクター原案", "キャラデザ", "캐릭터 디자인")
_add("character_artist", "character artist")
_add("mechanical_designer", "mechanical designer", "mechanical design", "mecha design", "mecha designer",
     "メカニックデザイン", "メカデザイン")
_add("color_designer", "color designer", "color design", "colour design", "color setting", "colour setting",
     "color key", "color supervisor", "colour supervisor", "colorist", "colourist", "colors", "色彩設計",
     "色指定")
_add("animation_director", "animation director", "animation direction", "chief animation director",
     "chief animation direction", "sakuga kantoku", "作画監督", "総作画監督", "作監")
_add("key_animator", "key animator", "key animation", "key animators", "原画")
_add("animator", "animator", "animation", "in-between animation", "in between animation", "in-betweener",
     "2nd key animation", "second key animation", "animation department", "inbetween artist",
     "in-between artist", "inbetweener", "inbetween animation", "assistant animator", "動画", "第二原画")
_add("art_director", "art director", "art direction", "美術監督")
_add("background_art", "background art", "background artist", "backgrounds", "art board", "美術", "背景")
_add("cgi_director", "cgi director", "cg director", "3d director", "3dcg director", "cg direction",
     "3d direction", "3dcg", "3dcg監督", "cg監督", "cgディレクター", "3dcgディレクター")
_add("visual_effects", "visual effects", "special effects", "vfx", "effects", "特殊効果", "特技監督")
_add("cinematographer", "cinematographer", "cinematography", "director of photography", "photography",
     "photography direction", "photography director", "camera", "撮影", "撮影監督", "kamera")
_add("editor", "editor", "editing", "film editing", "film editor", "edited", "編集", "schnitt", "montage")
_add("sound_director", "sound director", "sound direction", "audio director", "音響監督")
_add("music", "music", "original music", "musik", "musique", "soundtrack", "score", "music department",
     "arrangement", "arranger", "theme song arrangement", "song arrangement", "music arrangement",
     "編曲", "音楽", "음악")
_add("composer", "composer", "composition", "music composer", "theme song composition", "作曲", "作曲家")
_add("lyricist", "lyricist", "lyrics", "theme song lyrics", "作詞")
_add("theme_song_performer", "theme song performer", "theme song performance", "theme song", "singer",
     "vocals", "performer", "song performance", "insert song performance", "主題歌", "歌")
_add("producer", "producer", "produced", "production", "producers", "animation producer", "co-producer",
     "line producer", "associate producer", "music producer", "プロデューサー", "製作", "制作プロデューサー",
     "プロデュース")
_add("executive_producer", "executive producer", "executive producers", "executive production",
     "製作総指揮", "エグゼクティブプロデューサー")
_add("production_designer", "production designer", "production design", "production designed", "美術設定")
_add("costume_designer", "costume designer", "costume design")
_add("casting", "casting", "casting director", "キャスティング")
_add("voice_actor", "voice actor", "voice actress", "voice", "voices", "voiced", "voice cast", "seiyuu", "dub",
     "声優", "声の出演", "声", "성우")
_add("cast", "cast", "actor", "actress", "starring", "narrated", "narrator", "narration", "series cast", "cast in credits order",
     "cast verified as complete", "出演", "キャスト")
_add("publisher", "publisher", "published", "publishing", "出版社", "発売", "発売元", "出版")
_add("developer", "developer", "developed", "development", "開発", "開発元")
_add("designer", "designer", "game designer", "lead designer", "game design", "designed")
_add("programmer", "programmer", "programming", "lead programmer", "プログラム", "プログラマー")
_add("translator", "translator", "translation", "translated", "翻訳", "訳")
_add("distributor", "distributor", "distribution", "distributed", "配給", "配給会社")
_add("studio", "studio", "studios", "production company", "production companies", "animation studio", "animation work", "animation production", "アニメーション制作",
     "制作", "製作会社")
# IMDb departments that are crews, not the role their first word names.
_add("other", "camera and electrical department", "costume and wardrobe department", "sound department",
     "script and continuity department", "art department", "makeup department", "editorial department",
     "visual effects department", "special effects department", "location management", "stunts",
     "transportation department", "production management", "set decoration", "additional crew", "thanks",
     "other crew", "miscellaneous crew")
_add("casting", "casting department")
_add("costume_designer", "costume and wardrobe")
_add("adr_director", "adr director", "adr direction", "adr directors", "dubbing director", "dub director",
     "dubbing direction", "dialogue director", "吹替演出", "吹き替え演出")
_add("concept_artist", "concept art", "concept artist", "concept design", "concept designer",
     "conceptual design", "image board", "イメージボード", "コンセプトアート", "コンセプトデザイン")
_add("music_production", "music work", "music production", "music production company",
     "music production cooperation", "音楽制作", "音楽制作協力")  # fmt: skip

_SPLIT = re.compile(r"\s*(&|＆|,|，|/|／|;|\+|・|、| and | und | et | y )\s*", re.IGNORECASE)
_SLASHES = frozenset("/／")
_BRACKETS = re.compile(r"\s*[(\[（【]([^)\]）】]*)[)\]）】]\s*")
# "(as T.C. Frank)", "(uncredited)": notes about the credit, not roles.
_CREDIT_NOTE = re.compile(
    r"\s*[(\[（]\s*(?:as\s[^)\]）]*|uncredited|credited|voice|segments?\s[^)\]）]*)[)\]）]\s*", re.IGNORECASE
)
_SUFFIX = re.compile(r"\s+(?:by|credits?|von|par)$", re.IGNORECASE)
_NOISE = re.compile(r"[.:：·•*\"“”'’]+")


def _normalize(part: str) -> str:
    text = _NOISE.sub(" ", part.lower())
    text = clean_text(text)
    for _ in range(2):
        text = _SUFFIX.sub("", text)
    return text.strip()


def _lookup(part: str) -> str | None:
    text = _normalize(part)
    if not text:
        return None
    found = _TABLE.get(text)
    if found is not None:
        return found
    if text.endswith("s") and text[:-1] in _TABLE:
        return _TABLE[text[:-1]]
    for lead in ("chief ", "lead ", "main ", "head ", "senior ", "supervising ", "co-", "additional "):
        if text.startswith(lead) and text[len(lead) :] in _TABLE:
            return _TABLE[text[len(lead) :]]
    return None


def _one(part: str) -> str | None:
    """The canonical role of one role phrase, trying bracketed parts when the rest is unknown."""
    outer = _BRACKETS.sub(" ", part).strip()
    found = _lookup(outer)
    if found is not None:
        return found
    for inner in _BRACKETS.findall(part):
        found = _lookup(inner)
        if found is not None:
            return found
    return None


def _parts(text: str) -> list[str]:
    if _lookup(text) is not None:
        return [text]  # a known phrase containing a separator ("In-Between Animation")
    protected = _BRACKETS.sub(lambda m: " (" + m.group(1).replace("/", "\x00").replace("・", "\x01") + ") ", text)
    pieces = _SPLIT.split(protected)  # part, separator, part, separator, ...
    parts: list[str] = []
    previous_words: list[str] = []
    for index in range(0, len(pieces), 2):
        part = pieces[index].replace("\x00", "/").replace("\x01", "・").strip()
        if not part:
            continue
        words = part.split()
        # "Character Artist/Designer": a lone word after a slash shares the head of the part before
        # it; after a comma or "&" it stands alone ("Series Composition, Script" is two roles).
        slash = index > 0 and pieces[index - 1].strip() in _SLASHES
        if slash and len(words) == 1 and len(previous_words) > 1:
            shared = " ".join([*previous_words[:-1], part])
            if _one(shared) is not None:
                part = shared
        parts.append(part)
        previous_words = part.split()
    return parts


def canonical_roles(raw: str | None) -> tuple[str, ...]:
    """Canonical roles for a role as shown; ``("other",)`` when unknown, ``()`` when empty.

    >>> canonical_roles("Character Artist/Designer")
    ('character_artist', 'character_designer')
    >>> canonical_roles("Director & Editor & Original Creator")
    ('director', 'editor', 'original_creator')
    >>> canonical_roles("Story & Art"), canonical_roles("監督"), canonical_roles("Direction (監督)")
    (('writer', 'illustrator'), ('director',), ('director',))
    >>> canonical_roles("Series Composition, Script"), canonical_roles("ADR Director")
    (('series_composition', 'screenplay'), ('adr_director',))
    >>> canonical_roles("Concept Art"), canonical_roles("Music Work (音楽制作)"), canonical_roles("Song Arrangement")
    (('concept_artist',), ('music_production',), ('music',))
    >>> canonical_roles("Film Editing by"), canonical_roles("Best Boy Grip"), canonical_roles("")
    (('editor',), ('other',), ())
    """
    if raw is None:
        return ()
    if not isinstance(raw, str):
        raise TypeError(f"expected text, got {type(raw).__name__}")
    text = clean_text(_CREDIT_NOTE.sub(" ", raw))
    if not text or not any(c.isalnum() for c in text):
        return ()
    if len(text) > 200:
        return ("other",)
    roles: list[str] = []
    for part in _parts(text):
        role = _one(part) or "other"
        if role not in roles:
            roles.append(role)
    return tuple(roles) or ("other",)
