"""The sign-off document as HTML: the same content as its Markdown, every value escaped.

The Markdown golive writes uses a small subset (headings, bullets, tables, paragraphs,
inline code, bold, ``<br>`` inside table cells), so this converter handles exactly that
subset and escapes all text: a value from evidence or the registry can never become markup.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"`([^`]*)`|\*\*([^*]+)\*\*")
_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_SEPARATOR = re.compile(r"^\|(?:-{3}\|)+$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;"
    "padding:.25rem .5rem;text-align:left;vertical-align:top}code{font-size:.9em}"
)


def signoff_html(markdown: str, *, title: str) -> str:
    """A standalone HTML page of ``markdown`` (golive's sign-off subset)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    lines = markdown.splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        heading = _HEADING.match(line)
        if not line.strip():
            n += 1
        elif heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
            n += 1
        elif line.startswith("- "):
            out.append("<ul>")
            while n < len(lines) and lines[n].startswith("- "):
                out.append(f"<li>{inline(lines[n][2:])}</li>")
                n += 1
            out.append("</ul>")
        elif line.startswith("|") and n + 1 < len(lines) and _SEPARATOR.match(lines[n + 1]):
            out.append("<table>")
            out.append(_row(line, "th"))
            n += 2
            while n < len(lines) and lines[n].startswith("|"):
                out.append(_row(lines[n], "td"))
                n += 1
            out.append("</table>")
        else:
            out.append(f"<p>{inline(line)}</p>")
            n += 1
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def inline(text: str) -> str:
    """Escape ``text``, keeping inline code and bold as elements."""
    parts = []
    end = 0
    for m in _INLINE.finditer(text):
        parts.append(html.escape(text[end : m.start()]))
        if m.group(1) is not None:
            parts.append(f"<code>{html.escape(m.group(1))}</code>")
        else:
            parts.append(f"<strong>{html.escape(m.group(2))}</strong>")
        end = m.end()
    parts.append(html.escape(text[end:]))
    return "".join(parts)


def _row(line: str, tag: str) -> str:
    cells = _CELL_SPLIT.split(line.strip())[1:-1]
    rendered = [
        "<br>".join(inline(part.strip().replace("\\|", "|")) for part in c.split("<br>"))
        for c in cells
    ]
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in rendered) + "</tr>"
