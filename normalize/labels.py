"""The shared, multilingual info-box label vocabulary: a label as shown -> a record field.

Every info block on every wiki is a list of label / value pairs; the labels change far less than
the markup around them. ``field_for_label`` maps a label to the name of the ``TitleRecord`` field
its value belongs in (``releases``, ``runtime_minutes``, ``credits`` ...), or None when the label
is unknown (the caller keeps the pair in ``extra``). It is used by the generic fallback, by the
MediaWiki infobox rows and by any family extractor that reads labelled rows.

Labels repeat from page to page: the lookups are cached (pure functions of the label text).

Documented choices:

- Labels are compared case-folded and NFKC-normalized, without footnote markers, a trailing colon
  (``:`` or ``：``), a plural marker ``(s)`` / ``(es)`` or surrounding punctuation. A plural
  ``s`` is tried off when the plural itself is not listed ("Genres" -> "genre").
- The values are field names of ``extractors.records.TitleRecord``. Some need a reading the
  caller does: ``credits`` (people; the role is the label, canonical roles from
  ``credit_roles``), ``characters`` (cast lists, "Actor as Character"), ``names`` (a name in
  another language; the label often names the language), ``related`` (series, sequels: the
  relation is the label), ``synopsis`` (a description or plot; also headings of such sections),
  ``first_release_date`` (a run or an air date that may be a range: "Aired", "Original run",
  "放送期間"; start and end), ``releases`` (one release per line, "May 1, 1971 (US)").
- People labels ("Produced by", "Producer(s)") are ``credits``; companies labels ("Production
  company", "Studio") are ``studios``. "Distributed by" maps to nothing: distributors are neither
  studios nor licensors, so they stay in ``extra`` with their label.
- "Rating" is the content rating (``rating``); scores are "Score", "Average", "User rating".
- 原作 (original work) names a person on Japanese wikis: ``credits``.

>>> field_for_label("Release dates"), field_for_label("Erscheinungsdatum:"), field_for_label("放送期間")
('releases', 'releases', 'first_release_date')
>>> field_for_label("Running time"), field_for_label("Laufzeit"), field_for_label("上映時間")
('runtime_minutes', 'runtime_minutes', 'runtime_minutes')
>>> field_for_label("Directed by"), field_for_label("Regie"), field_for_label("監督")
('credits', 'credits', 'credits')
>>> field_for_label("Developer(s)"), field_for_label("Box office"), field_for_label("Distributed by")
('developers', 'box_office', None)
>>> credit_roles("Directed by"), credit_roles("Regia"), credit_roles("Starring")
(('director',), ('director',), ('cast',))
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

from normalize.roles import canonical_roles
from normalize.text import strip_footnotes

logger = logging.getLogger(__name__)

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "title": (
        "title", "name", "english title", "official title", "main title",
        "titel", "deutscher titel", "titre", "título", "titolo", "titolo italiano",
        "タイトル", "題名", "作品名",
    ),
    "names": (
        "original title", "original name", "japanese title", "japanese name", "native title",
        "romaji", "rōmaji", "romanized", "romanization", "hepburn", "revised hepburn", "kanji", "kana",
        "japanese", "english", "chinese", "korean", "german", "french", "spanish", "italian",
        "originaltitel", "titre original", "título original", "titolo originale",
        "原題", "原題名", "日本語題", "英題", "英語題",
    ),
    "aliases": (
        "also known as", "aka", "a.k.a.", "alias", "aliases", "synonym", "synonyms", "other name",
        "other names", "other title", "other titles", "alternative title", "alternative titles",
        "alternate title", "alternate titles", "alternative name", "alternative names", "short title",
        "auch bekannt als", "alternativtitel", "andere titel", "autre titre", "autres titres",
        "titre alternatif", "otros títulos", "título alternativo", "conocido como", "titolo alternativo",
        "altri titoli", "別名", "別題", "通称", "略称",
    ),
    "kind": (
        "type", "media type", "medium", "format", "category", "work type",
        "typ", "medientyp", "type de média", "tipo", "formato", "tipologia",
        "種類", "種別", "タイプ", "形式", "メディア",
    ),
    "genres": (
        "genre", "genres", "gattung", "genre(s)", "género", "géneros", "genere", "generi", "ジャンル",
    ),
    "themes": ("theme", "themes", "thema", "themen", "thème", "thèmes", "tema", "temas", "temi", "テーマ"),
    "tags": ("tags", "tag", "keywords", "schlagwörter", "mots-clés", "etiquetas", "タグ"),
    "demographics": (
        "demographic", "demographics", "target", "target group", "target audience", "audience",
        "zielgruppe", "public", "cible", "demografía", "público", "pubblico", "対象", "対象年齢層", "掲載誌の対象",
    ),
    "source": (
        "source", "source material", "based on", "adapted from", "original work type",
        "vorlage", "basierend auf", "nach einer vorlage von", "d'après", "adapté de", "basado en",
        "basada en", "basato su", "tratto da",
    ),
    "releases": (
        "release", "release date", "release dates", "released", "premiere", "premiered", "premiere date",
        "original release", "original release date", "first release", "theatrical release", "opening date",
        "publication date", "publication", "first published", "publish date", "date", "air date", "airdate",
        "original air date", "first aired", "broadcast date",
        "erscheinungsdatum", "erscheinungsjahr", "erstveröffentlichung", "veröffentlichung", "veröffentlicht",
        "kinostart", "uraufführung", "année de sortie", "sortie en salles", "anno", "año", "año de estreno",
        "anno di uscita",
        "date de sortie", "sortie", "date de parution", "parution", "première diffusion", "date de première",
        "fecha de estreno", "estreno", "fecha de lanzamiento", "lanzamiento", "fecha de publicación",
        "publicación", "data di uscita", "uscita", "data di pubblicazione", "pubblicazione", "prima visione",
        "公開", "公開日", "劇場公開", "上映", "発売日", "発売", "発行日", "初版", "初公開", "初放送", "配信日",
    ),
    "first_release_date": (
        "aired", "airing", "original run", "run", "original network run", "published", "publication run",
        "serialized", "serialization run", "broadcast run", "first run", "run dates",
        "ausstrahlung", "erstausstrahlung", "laufzeit der serie", "diffusion", "diffusion originale",
        "emisión", "emisión original", "transmisión", "trasmissione", "prima tv",
        "放送期間", "放送", "放映期間", "連載期間", "配信期間", "発表期間", "刊行期間",
    ),
    "end_date": (
        "end date", "ended", "last aired", "last episode", "final episode", "finale", "concluded",
        "ende", "fin", "fine", "放送終了", "終了",
    ),
    "season": ("season", "premiere season", "broadcast season", "saison", "temporada", "クール"),
    "release_status": ("status", "release status", "airing status", "publication status", "statut", "estado", "stato", "状態", "ステータス"),
    "broadcast": ("broadcast", "broadcast time", "time slot", "timeslot", "sendezeit", "horaire", "horario", "放送時間帯", "放送枠"),
    "episodes": (
        "episodes", "episode", "no. of episodes", "number of episodes", "episode count", "eps",
        "folgen", "episoden", "anzahl der folgen", "folgenanzahl", "épisodes", "nombre d'épisodes",
        "nb. d'épisodes", "episodios", "número de episodios", "n.º de episodios", "episodi", "numero di episodi",
        "話数", "全話数", "エピソード数",
    ),
    "volumes": (
        "volumes", "volume", "no. of volumes", "number of volumes", "bände", "bandanzahl", "tomes",
        "volúmenes", "tomos", "volumi", "巻数", "全巻数",
    ),
    "chapters": ("chapters", "no. of chapters", "number of chapters", "kapitel", "chapitres", "capítulos", "capitoli", "話", "章"),
    "runtime_minutes": (
        "running time", "runtime", "run time", "duration", "length", "episode length", "running length",
        "laufzeit", "länge", "dauer", "spieldauer", "filmlänge", "durée", "durée du film", "duración",
        "durata", "上映時間", "放送時間", "時間", "収録時間", "再生時間", "尺",
    ),
    "rating": (
        "rating", "rated", "content rating", "age rating", "mpaa rating", "certification", "classification",
        "esrb", "pegi", "cero", "usk", "fsk", "altersfreigabe", "freigabe", 
        "clasificación", "calificación", "classificazione", "divieto", "レーティング", "年齢制限", "映倫区分",
    ),
    "score": (
        "score", "average", "average rating", "average score", "user rating", "user score", "users' rating",
        "mean score", "bewertung", "durchschnittsbewertung", "note moyenne", "puntuación",
        "valoración", "valutazione", "voto", "評価", "平均評価", "スコア",
    ),
    "budget": ("budget", "production budget", "estimated budget", "produktionskosten", "presupuesto", "製作費", "予算"),
    "box_office": (
        "box office", "gross", "worldwide gross", "gross revenue", "revenue", "einspielergebnis",
        "box-office", "recettes", "recaudación", "taquilla", "incasso", "incassi", "興行収入", "配給収入",
    ),
    "studios": (
        "studio", "studios", "animation studio", "production company", "production companies",
        "production", "animation production", "animation", "produced at",
        "produktionsfirma", "produktionsgesellschaft", "produktionsfirmen", "animationsstudio",
        "société de production", "sociétés de production", "studio d'animation", 
        "productora", "productoras", "compañía productora", "estudio", "estudio de animación",
        "casa di produzione", "case di produzione", "studio di animazione",
        "制作会社", "アニメーション制作", "制作", "スタジオ", "製作会社", "制作スタジオ",
    ),
    "licensors": ("licensor", "licensors", "licensed by", "licence", "license", "lizenz", "lizenzgeber", "licencia", "licenza", "ライセンス"),
    "publishers": (
        "publisher", "publishers", "published by", "imprint", "label", "verlag", "verleger", "éditeur",
        "éditeurs", "maison d'édition", "editorial", "editore", "casa editrice",
        "出版社", "発行", "発行元", "販売元", "パブリッシャー",
    ),
    "developers": (
        "developer", "developers", "developed by", "entwickler", "développeur", "développeurs",
        "desarrollador", "desarrolladora", "desarrollo", "sviluppo", "sviluppatore", "開発", "開発元", "デベロッパー",
    ),
    "platforms": (
        "platform", "platforms", "system", "systems", "console", "plattform", "plattformen", "plate-forme",
        "plate-formes", "plateforme", "plateformes", "plataforma", "plataformas", "piattaforma", "piattaforme",
        "対応機種", "機種", "プラットフォーム",
    ),
    "countries": (
        "country", "countries", "country of origin", "origin", "production country", "pays de production",
        "land", "produktionsland", "herkunftsland", "pays", "pays d'origine", "país", "país de origen",
        "países", "paese", "paese di produzione", "nazione", "製作国", "国", "制作国",
    ),
    "languages": (
        "language", "languages", "original language", "sprache", "originalsprache", "langue",
        "langue originale", "idioma", "idioma original", "lingua", "lingua originale", "言語", "原語",
    ),
    "credits": (
        "directed by", "director", "directors", "direction", "series director", "chief director",
        "written by", "writer", "writers", "screenplay by", "screenplay", "story by", "story", "teleplay by",
        "created by", "creator", "creators", "original creator", "author", "authors", "written and illustrated by",
        "illustrated by", "illustrator", "artist", "artists", "cover artist", "penciller", "inker", "colorist",
        "letterer", "produced by", "producer", "producers", "executive producer", "executive producers",
        "music by", "music", "composer", "composers", "cinematography", "cinematographer",
        "edited by", "editing by", "editor", "editors", "editing", "starring", "narrated by", "narrator",
        "voices of", "character design", "character designer", "character designs", "animation director",
        "art director", "sound director", "designer", "designers", "programmer", "programmers",
        "mechanical design", "storyboard", "translator", "translated by", "animation by", "art by",
        "story and art by", "designed by", "original concept", "original concept by", "character design by",
        "animation directed by", "art direction by", "executive produced by", "co-directed by", "lyrics by",
        "regie", "regisseur", "drehbuch", "produzent", "produzenten", "musik", "kamera",
        "schnitt", "autor", "autoren", "zeichner", "illustration", "erzähler",
        "réalisation", "réalisateur", "réalisatrice", "scénario", "scénariste", "producteur", "producteurs",
        "musique", "photographie", "montage", "acteurs principaux", "auteur", "dessinateur", "création",
        "dirección", "guion", "guión", "guionista", "producción", "productor", "música",
        "fotografía", "montaje", "edición", "protagonistas", "creado por",
        "regia", "regista", "sceneggiatura", "soggetto", "produttore", "musiche", "fotografia", "montaggio",
        "autore", "disegni", "ideatore",
        "監督", "総監督", "脚本", "シリーズ構成", "製作", "プロデューサー", "音楽", "撮影", "編集", "出演者",
        "出演", "原作", "原案", "作画", "キャラクターデザイン", "絵コンテ", "作者", "著者", "作詞", "作曲",
        "声の出演", "ナレーター", "企画",
    ),
    "characters": (
        "cast", "voice cast", "main cast", "characters", "main characters", "cast and characters",
        "besetzung", "darsteller", "besetzung und rollen", "rollen", "figuren", "interpreti", "personnages", "reparto", "personajes",
        "interpreti e personaggi", "personaggi", "doppiatori", "キャスト", "登場人物", "声優",
    ),
    "related": (
        "series", "franchise", "preceded by", "followed by", "prequel", "sequel", "previous", "next",
        "followed", "preceded", "part of", "collection", "vorgänger", "nachfolger", "reihe", "précédé par",
        "suivi par", "précédent", "suivant", "saga", "precedido por", "seguido por", "precedente", "successivo",
        "シリーズ", "前作", "次作", "続編",
    ),
    "synopsis": (
        "synopsis", "plot", "plot summary", "summary", "premise", "description", "overview", "story summary",
        "storyline", "publisher's summary", "publisher summary", "opening crawl",
        "handlung", "inhalt", "zusammenfassung", "beschreibung", "résumé", "intrigue", "histoire",
        "sinopsis", "argumento", "trama", "sinossi", "riassunto", "あらすじ", "ストーリー", "概要", "物語",
    ),
    "deck": ("tagline", "slogan", "short description", "logline", "キャッチコピー"),
}  # fmt: skip

LABELS: dict[str, str] = {}
"""Normalized label -> record field (see ``normalize_label``)."""

for _field, _labels in _VOCABULARY.items():
    for _label in _labels:
        LABELS.setdefault(" ".join(_label.casefold().split()), _field)

# Credit labels whose canonical role ``normalize.roles`` does not read (Italian, Spanish ...).
_CREDIT_ROLES: dict[str, str] = {
    "regia": "director", "regista": "director", "dirección": "director",
    "sceneggiatura": "screenplay", "guion": "screenplay", "guión": "screenplay", "guionista": "screenplay",
    "scénariste": "screenplay", "soggetto": "writer", "produttore": "producer", "productor": "producer",
    "producción": "producer", "producteur": "producer", "producteurs": "producer", "produzent": "producer",
    "produzenten": "producer", "musiche": "music", "música": "music",
    "fotografia": "cinematographer", "fotografía": "cinematographer", "photographie": "cinematographer",
    "montaggio": "editor", "montaje": "editor", "edición": "editor",
    "protagonistas": "cast", "acteurs principaux": "cast",
    "出演者": "cast", "autore": "author", "autores": "author", "autoren": "author", "zeichner": "illustrator",
    "dessinateur": "illustrator", "disegni": "illustrator", "ideatore": "original_creator",
    "création": "original_creator", "creado por": "original_creator", "created by": "original_creator",
    "erzähler": "cast", "narrated by": "cast", "narrator": "cast", "ナレーター": "cast",
    "voices of": "voice_actor", "企画": "producer", "letterer": "illustrator", "teleplay by": "writer",
    "written and illustrated by": "author", "illustrated by": "illustrator", "réalisatrice": "director",
    "executive produced by": "executive_producer", "animation directed by": "animation_director",
}  # fmt: skip

_PERSON_LABELS = frozenset(
    " ".join(label.casefold().split())
    for label in (
        "born", "birth", "birth date", "date of birth", "birthday", "birthplace", "place of birth", "birth name",
        "died", "death", "date of death", "place of death", "resting place", "age", "height", "weight",
        "blood type", "gender", "sex", "species", "nationality", "occupation", "occupations", "spouse",
        "spouses", "children", "relatives", "parents", "partner", "hometown", "years active", "alma mater",
        "affiliation", "affiliations", "homeworld", "eye color", "hair color", "zodiac",
        "geboren", "gestorben", "geburtstag", "geburtsdatum", "geburtsort", "beruf", "né", "née", "naissance",
        "décès", "profession", "nacimiento", "fallecimiento", "ocupación", "nascita", "morte", "professione",
        "生年月日", "誕生日", "出身地", "血液型", "身長", "体重", "性別", "年齢", "没年月日", "職業", "出生地",
    )
)  # fmt: skip

_PLURAL_SUFFIX = re.compile(r"(?<=\w)\((s|es)\)", re.IGNORECASE)
_PLURAL_OTHER = re.compile(r"\s*\((?:en|e|n|i|a|innen)\)", re.IGNORECASE)
_EDGES = " \t:：;,.·•*-–—|=>«»\"'“”‘’()[]（）【】"


@functools.lru_cache(maxsize=4096)
def normalize_label(label: str | None) -> str:
    """A label as compared: case-folded, NFKC, no footnotes, plural markers or edge punctuation.

    >>> normalize_label(" Release date(s)[1]: "), normalize_label("Regisseur(e)"), normalize_label("監督：")
    ('release dates', 'regisseur', '監督')
    """
    if not label:
        return ""
    text = unicodedata.normalize("NFKC", strip_footnotes(label))
    text = _PLURAL_OTHER.sub("", _PLURAL_SUFFIX.sub(r"\1", text))
    text = " ".join(text.casefold().split())
    return text.strip(_EDGES)


@functools.lru_cache(maxsize=4096)
def field_for_label(label: str | None) -> str | None:
    """The record field a label's value belongs in, or None when the label is unknown.

    >>> field_for_label("Genre(s)"), field_for_label("No. of episodes"), field_for_label("Date de sortie")
    ('genres', 'episodes', 'releases')
    >>> field_for_label("Fecha de estreno"), field_for_label("Data di uscita"), field_for_label("Wingspan")
    ('releases', 'releases', None)
    """
    key = normalize_label(label)
    if not key or len(key) > 60:
        return None
    found = LABELS.get(key)
    if found is not None:
        return found
    if key.endswith("s") and key[:-1] in LABELS:
        return LABELS[key[:-1]]
    for lead in ("original ", "number of ", "no. of ", "total ", "official ", "main ", "primary "):
        if key.startswith(lead) and key[len(lead) :] in LABELS:
            return LABELS[key[len(lead) :]]
    return None


@functools.lru_cache(maxsize=4096)
def is_person_label(label: str | None) -> bool:
    """Whether a label belongs to a person's or a character's info box ("Born", "生年月日", "Species").

    >>> is_person_label("Date of birth:"), is_person_label("血液型"), is_person_label("Directed by")
    (True, True, False)
    """
    return normalize_label(label) in _PERSON_LABELS


@functools.lru_cache(maxsize=2048)
def credit_roles(label: str | None) -> tuple[str, ...]:
    """Canonical roles for a credit label ("Directed by" -> ``("director",)``), multilingual.

    >>> credit_roles("Sceneggiatura"), credit_roles("Music by"), credit_roles("原作")
    (('screenplay',), ('music',), ('original_creator',))
    """
    key = normalize_label(label)
    if key in _CREDIT_ROLES:
        return (_CREDIT_ROLES[key],)
    roles = canonical_roles(label)
    if roles == ("other",) and key.endswith("s") and key[:-1] in _CREDIT_ROLES:
        return (_CREDIT_ROLES[key[:-1]],)
    return roles
