"""normalize.runtime: running times to whole minutes, bad input included."""

from __future__ import annotations

import pytest

from normalize.runtime import parse_runtime, parse_runtimes

RUNTIMES = [
    # The seed and the saved pages.
    ("115 (mins)", 115),
    ("1 hr. 54 min.", 114),
    ("24 min. per ep.", 24),
    ("24 min.", 24),
    ("PT2H9M", 129),
    ("PT117M", 117),
    ("114 min.", 114),
    ("117 min", 117),
    ("Movie (1 ep x 107 min)", 107),
    ("TV (26 eps x 24 min)", 24),
    ("Movie, 1 (~129 min)", 129),
    # Units and spellings.
    ("2h 9m", 129),
    ("1h 30m", 90),
    ("1h30", 90),
    ("1 h 54 min", 114),
    ("90 minutes", 90),
    ("1 minute", 1),
    ("107 min", 107),
    ("107 mins", 107),
    ("2 hours", 120),
    ("1 hour 30 minutes", 90),
    ("1 hour and 30 minutes", 90),
    ("1.5 hours", 90),
    ("1,5 Stunden", 90),
    ("1,234 min", 1234),  # a comma before three digits groups thousands
    ("115 Minuten", 115),
    ("115 Min.", 115),
    ("115分", 115),
    ("1時間54分", 114),
    ("１１５分", 115),
    ("115분", 115),
    ("115 мин.", 115),
    ("approx. 24 minutes", 24),
    ("Runtime: 115", 115),
    ("115", 115),
    (" 115 ", 115),
    ("115'", 115),
    # Seconds round to the nearest minute, halves up; a short positive clip is 1 minute.
    ("23 min. 40 sec.", 24),
    ("23 min. 20 sec.", 23),
    ("1 min. 30 sec.", 2),
    ("4 min 29 s", 4),
    ("45 sec.", 1),
    ("20 sec.", 1),
    ("1:54:30", 115),
    ("PT1H54M30S", 115),
    ("PT45S", 1),
    ("P0DT2H9M", 129),
    ("pt2h9m", 129),
    # Footnotes and notes.
    ("114 minutes[1]", 114),
    ("117 minutes (original)", 117),
    ("117 min (2004-2005 cut)", 117),
    ("2 hours 1995", 120),  # a year after the hours is not their minutes
    ("100000 min", 100_000),
    # Spelled out.
    ("half hour", 30),
    ("half an hour", 30),
    ("Half-hour", 30),
    ("about a half hour per episode", 30),
    ("one hour", 60),
    ("an hour", 60),
    ("One-hour special", 60),
    ("two hours", 120),
    ("one and a half hours", 90),
    ("an hour and a half", 90),
    ("1 and a half hours", 90),
    ("a quarter of an hour", 15),
    ("thirty minutes", 30),
    ("one hour 30 minutes", 90),
    ("eine Stunde", 60),
    ("halbe Stunde", 30),
    ("eineinhalb Stunden", 90),
    ("anderthalb Stunden", 90),
]


@pytest.mark.parametrize(("raw", "minutes"), RUNTIMES, ids=[r[0] for r in RUNTIMES])
def test_parse_runtime(raw: str, minutes: int) -> None:
    assert parse_runtime(raw) == minutes


NOT_RUNTIMES = [
    None,
    "",
    "  ",
    "Unknown",
    "?",
    "N/A",
    "TBA",
    "???",
    "-",
    "1:54",  # h:mm or m:ss: ambiguous
    "90-100 min",
    "90-100",
    "90–100 minutes",
    "24 ~ 26 min",
    "0 min",
    "PT0M",
    "P",
    "PT",
    "9999999 min",
    "100001 min",
    "9" * 400 + " min",
    "PT" + "9" * 400 + "M",
    "P" + "9" * 400 + "D",
    "99999999999999999999999999",
    "1e9 min",
    "minimal",
    "Memories",
    "forty-five minutes",  # compound number words are not read
    "half",
    "one",
    "\x00\xff\xfe\ufffd",
    "<b>115</b>",
    "-115 min",
    "x" * 10_000,
    "1" * 20_000,  # once quadratic in the range check
    "1 min " * 5_000,
]


@pytest.mark.parametrize("raw", NOT_RUNTIMES, ids=[repr(r)[:30] for r in NOT_RUNTIMES])
def test_unparseable_runtime_is_none(raw: str | None) -> None:
    assert parse_runtime(raw) is None
    assert parse_runtimes(raw) == []


MULTI = [
    ("117 min | 95 min", [117, 95]),
    ("117 minutes (original) 95 minutes (US)", [117, 95]),
    ("117 min / 95 min / 100 min", [117, 95, 100]),
    ("117; 95", [117, 95]),
    ("115 (mins)", [115]),
    ("1 hr. 54 min.", [114]),
    ("24 min. per ep.", [24]),
    ("117 min | 117 min", [117, 117]),
    ("Unknown", []),
    ("", []),
]


@pytest.mark.parametrize(("raw", "minutes"), MULTI, ids=[m[0] or "empty" for m in MULTI])
def test_parse_runtimes(raw: str, minutes: list[int]) -> None:
    assert parse_runtimes(raw) == minutes


def test_first_of_several_is_the_runtime() -> None:
    assert parse_runtime("117 min | 95 min") == 117


def test_non_text_raises() -> None:
    with pytest.raises(TypeError):
        parse_runtime(115)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_runtimes(b"115 min")  # type: ignore[arg-type]
