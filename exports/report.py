"""A self-contained HTML report of record diffs: old and new side by side, every page value escaped.

``render_report(diffs, title=...)`` returns one HTML document (inline CSS, no script, no external
resource, and a Content-Security-Policy that forbids both), for one diff or a whole run's changes.
Page content is only ever inserted through ``html.escape``: a synopsis carrying ``<script>`` shows
the tag as text. Links are made only for ``http(s)`` URLs.
"""

from __future__ import annotations

import difflib
import html
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from exports.diff import Change, RecordDiff

logger = logging.getLogger(__name__)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'"

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:78rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:2rem 0 .2rem}
.meta{color:#555;margin:.1rem 0 .6rem;font-size:.9rem}.summary{color:#333}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f4f4f6;font-weight:600}col.f{width:9rem}col.c{width:6rem}col.k{width:13rem}
tr.added td.new,tr.added td.kind{background:#eefbea}tr.removed td.old,tr.removed td.kind{background:#fdeeee}
ins{background:#c9f2c0;text-decoration:none}del{background:#f8c9c9}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:0 .6rem}dt{color:#666}dd{margin:0}
.diff{background:#fff3c4}.none{color:#999}.empty{color:#777;font-style:italic}
p.para{margin:0 0 .4rem;white-space:pre-wrap}p.para:last-child{margin-bottom:0}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _link(url: str | None) -> str:
    """An escaped URL, a link only when it is http(s)."""
    if not url:
        return ""
    text = _e(url)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{text}" rel="noreferrer noopener">{text}</a>'
    return text


def _value(value: Any, highlight: Iterable[str] = ()) -> str:
    """A record value as escaped HTML: text, numbers, lists, and list items as small tables."""
    if value is None:
        return '<span class="none">—</span>'
    if isinstance(value, Mapping):
        marked = set(highlight)
        rows = []
        for name, item in value.items():
            if item in (None, [], ()) and name not in marked:
                continue
            cls = ' class="diff"' if name in marked else ""
            rows.append(f"<dt{cls}>{_e(name)}</dt><dd{cls}>{_value(item)}</dd>")
        return "<dl>" + "".join(rows) + "</dl>"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) if value else '<span class="none">[]</span>'
    if isinstance(value, str) and "\n" in value:
        return "".join(f'<p class="para">{_e(p)}</p>' for p in value.split("\n\n"))
    return _e(value)


def _marked_words(old: str, new: str) -> tuple[str, str]:
    """Both paragraphs as HTML, removed words in ``<del>`` on the old side, added in ``<ins>``."""
    a, b = old.split(), new.split()
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = _e(" ".join(a[i1:i2])), _e(" ".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f"<del>{old_part}</del>")
        if new_part:
            right.append(f"<ins>{new_part}</ins>")
    return " ".join(left), " ".join(right)


def _cells(change: Change) -> tuple[str, str]:
    if change.change == "edited" and isinstance(change.old, str) and isinstance(change.new, str):
        old, new = _marked_words(change.old, change.new)
        return f'<p class="para">{old}</p>', f'<p class="para">{new}</p>'
    highlight = tuple(change.fields)
    return _value(change.old, highlight), _value(change.new, highlight)


def _section(diff: RecordDiff) -> str:
    head = [f"<h2>{_e(diff.record_id or 'record')}</h2>"]
    meta = []
    if diff.url:
        meta.append(_link(diff.url))
    meta.append(f"{_e(diff.old_fetched_at or '?')} &rarr; {_e(diff.new_fetched_at or '?')}")
    if diff.old_content_sha256 or diff.new_content_sha256:
        meta.append(
            f"content {_e((diff.old_content_sha256 or '?')[:12])} &rarr; {_e((diff.new_content_sha256 or '?')[:12])}"
        )
    head.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if not diff.changes:
        head.append('<p class="empty">No changes.</p>')
        return "\n".join(head)
    rows = []
    for change in diff.changes:
        old, new = _cells(change)
        rows.append(
            f'<tr class="{_e(change.change)}"><td class="field">{_e(change.field)}</td>'
            f'<td class="kind">{_e(change.change)}</td><td class="key">{_e(change.key or "")}</td>'
            f'<td class="old">{old}</td><td class="new">{new}</td></tr>'
        )
    table = (
        '<table class="changes"><colgroup><col class="f"><col class="c"><col class="k"><col><col></colgroup>'
        "<thead><tr><th>Field</th><th>Change</th><th>Item</th><th>Old</th><th>New</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return "\n".join([*head, table])


def render_report(diffs: Sequence[RecordDiff], *, title: str = "titlecrawl diff") -> str:
    """The report as one HTML document."""
    changes = sum(len(d.changes) for d in diffs)
    changed = [d for d in diffs if d.changes]
    pages = len({d.record_id for d in changed})
    summary = f"{changes} change{'s' * (changes != 1)} in {pages} page{'s' * (pages != 1)}"
    if len(changed) > pages:
        summary += f" ({len(changed)} pairs of versions)"
    body = "\n".join(_section(d) for d in diffs) if diffs else '<p class="empty">No versions to compare.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head>\n"
        f'<body><h1>{_e(title)}</h1><p class="summary">{_e(summary)}</p>\n{body}\n</body></html>\n'
    )


def write_report(diffs: Sequence[RecordDiff], path: str | Path, *, title: str = "titlecrawl diff") -> Path:
    """Write the report (atomically) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_report(diffs, title=title), encoding="utf-8")
    tmp.replace(path)
    return path
