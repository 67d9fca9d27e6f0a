"""The HTML diff report: side by side, marked words, and page content that can never run."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from exports.diff import RecordDiff, compare
from exports.report import render_report, write_report
from extractors.records import Credit, TitleRecord

from .conftest import Browser

SCRIPT = '<script>document.title="pwned"</script>'
HOSTILE_NAME = "<img src=x onerror=\"document.title='img'\">Mallory"


def _hostile_diff() -> RecordDiff:
    old = TitleRecord(
        record_id="animevice:4000-1001",
        site="animevice",
        url="javascript:document.title='link'",
        title="Memories",
        synopsis="Three short stories by Katsuhiro Otomo.\n\nMagnetic Rose answers a distress call.",
        credits=(Credit(person="Koji Morimoto", role="Director"),),
    )
    new = old.replace(
        title=f"Memories {SCRIPT}",
        synopsis=f"Three short stories by Katsuhiro Otomo. {SCRIPT}\n\nMagnetic Rose answers a distress call.",
        credits=(*old.credits, Credit(person=HOSTILE_NAME, role="Writer </td></tr></table>")),
    )
    return compare(old, new)


def test_report_shows_both_sides_with_marked_words() -> None:
    old = TitleRecord(record_id="x:1", site="x", synopsis="Released in Japan in 1995 by Shochiku.")
    new = old.replace(synopsis="Released in Japan in 1995 by Sony Pictures.", runtime_minutes=113)
    doc = lxml.html.document_fromstring(render_report([compare(old, new)], title="Memories history"))
    assert doc.findtext(".//title") == "Memories history"
    rows = doc.xpath("//table[@class='changes']/tbody/tr")
    assert [r.get("class") for r in rows] == ["edited", "added"]
    edited = rows[0]
    assert edited.xpath("string(td[@class='old']//del)") == "Shochiku."
    assert edited.xpath("string(td[@class='new']//ins)") == "Sony Pictures."
    assert edited.xpath("string(td[@class='key'])") == "paragraph 1"
    assert rows[1].xpath("string(td[@class='new'])") == "113"
    assert "2 changes in 1 page" in doc.text_content()


def test_page_content_is_escaped_in_the_html_source() -> None:
    report = render_report([_hostile_diff()], title=f"diff {SCRIPT}")
    assert "<script" not in report
    assert "<img" not in report
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in report
    doc = lxml.html.document_fromstring(report)
    assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
    assert "default-src 'none'" in doc.xpath("string(//meta[@http-equiv='Content-Security-Policy']/@content)")


def test_empty_and_unchanged_reports(tmp_path: Path) -> None:
    record = TitleRecord(record_id="x:1", site="x", title="Memories")
    path = write_report([compare(record, record)], tmp_path / "r" / "report.html")
    text = path.read_text(encoding="utf-8")
    assert "No changes." in text
    assert "0 changes in 0 pages" in text
    assert "No versions to compare." in render_report([])


@pytest.mark.browser
def test_chromium_renders_scripts_as_text_and_runs_none(tmp_path: Path, browser: Browser) -> None:
    # Control: the same script, unescaped, does run in this browser set-up (so the check below means something).
    control = tmp_path / "control.html"
    control.write_text(
        f"<!DOCTYPE html><html><head><title>control</title></head><body>{SCRIPT}</body></html>"
    )
    assert lxml.html.document_fromstring(browser.dump_dom(control)).findtext(".//title") == "pwned"

    path = write_report([_hostile_diff()], tmp_path / "report.html", title="Memories <b>diff</b>")
    dom = lxml.html.document_fromstring(browser.dump_dom(path))
    assert dom.findtext(".//title") == "Memories <b>diff</b>"  # no script changed the title
    assert not dom.xpath("//script | //img | //iframe | //object")
    assert not dom.xpath("//body//b")
    cells = dom.xpath("//table[@class='changes']/tbody/tr")
    texts = {
        (row.xpath("string(td[@class='field'])"), row.xpath("string(td[@class='kind'])")): row.xpath(
            "string(td[@class='new'])"
        )
        for row in cells
    }
    # the page's markup is shown as text, where the page had it
    assert SCRIPT in texts[("title", "changed")]
    assert SCRIPT in texts[("synopsis", "edited")]
    assert HOSTILE_NAME in texts[("credits", "added")]
    assert "</td></tr></table>" in texts[("credits", "added")]
    assert len(cells) == 3  # the hostile role did not break the table apart
    # the javascript: URL is shown, never linked
    assert "javascript:document.title='link'" in dom.xpath("string(//p[@class='meta'])")
    assert not dom.xpath("//a[starts-with(@href, 'javascript')]")


_POISON = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
_TYPED = frozenset({"fetched_at", "date", "last_edited_at", "content_sha256", "precision", "date_precision", "status"})


def _poisoned(value: object, key: str = "") -> object:
    """Every free-text string of a record's dict with markup appended (typed strings left parseable)."""
    if isinstance(value, str):
        return value if key in _TYPED else value + _POISON
    if isinstance(value, dict):
        return {k: _poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poisoned(v, key) for v in value]
    return value


def test_every_field_of_a_poisoned_record_is_escaped() -> None:
    from extractors.records import record_from_dict
    from tests.exports.factories import memories

    old = memories()
    new = record_from_dict(_poisoned(old.to_dict()))  # type: ignore[arg-type]
    report = render_report([compare(old, new), compare(new, old)], title=_POISON)
    assert report.count("&lt;img src=x onerror=alert(1)&gt;") > 20  # the poison is shown, as text
    doc = lxml.html.document_fromstring(report)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert not tags & {"img", "script", "iframe", "object", "embed", "svg"}, tags
    assert not [(el.tag, a) for el in doc.iter() for a in el.attrib if a.lower().startswith("on")]
    assert all(href.startswith(("http://", "https://")) for href in doc.xpath("//a/@href"))
