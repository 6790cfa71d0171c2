"""The sign-off as HTML: golive's Markdown subset, every value escaped."""

from __future__ import annotations

from golive.proof.signoff_html import inline, signoff_html


def test_headings_lists_tables_and_paragraphs() -> None:
    page = signoff_html(
        "# READY\n\n- Spec: `shop`\n- **ALLOWED**\n\n| a | b |\n|---|---|\n"
        "| x \\| y | `p`<br>`q` |\n\nThe end.\n",
        title="READY",
    )
    body = page.split("<body>\n")[1].split("\n</body>")[0].splitlines()
    assert body == [
        "<h1>READY</h1>",
        "<ul>",
        "<li>Spec: <code>shop</code></li>",
        "<li><strong>ALLOWED</strong></li>",
        "</ul>",
        "<table>",
        "<tr><th>a</th><th>b</th></tr>",
        "<tr><td>x | y</td><td><code>p</code><br><code>q</code></td></tr>",
        "</table>",
        "<p>The end.</p>",
    ]


def test_markup_in_values_is_escaped_everywhere() -> None:
    evil = '<script>alert("x")</script> & <img src=x onerror=y>'
    page = signoff_html(f"# {evil}\n\n- {evil}\n\n| c |\n|---|\n| {evil} |\n\n{evil}\n", title=evil)
    assert "<script" not in page
    assert "<img" not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ") == 5
    assert inline("`<b>` **<i>**") == "<code>&lt;b&gt;</code> <strong>&lt;i&gt;</strong>"
