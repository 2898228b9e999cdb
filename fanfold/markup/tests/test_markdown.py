"""Markdown as authors wrote it for Python-Markdown ("extra") renders the same."""

from fanfold.markup import render_text


def md(text: str) -> str:
    return str(render_text(text, "markdown"))


def test_footnotes_look_as_before():
    assert md("Text with a footnote.[^1]\n\n[^1]: The note.") == (
        '<p>Text with a footnote.<sup><a class="footnote-ref" href="#fn:1" '
        'rel="nofollow noopener">1</a></sup></p>\n<div class="footnote">\n<hr>\n<ol>\n<li>\n'
        '<p>The note.&nbsp;<a class="footnote-backref" href="#fnref:1" title="Jump back to '
        'footnote 1 in the text" rel="nofollow noopener">↩</a></p>\n</li>\n</ol>\n</div>'
    )


def test_a_reference_without_a_note_stays_text():
    assert md("See[^9] and ^[inline].") == "<p>See[^9] and ^[inline].</p>"


def test_tables_and_definition_lists():
    assert md("| a | b |\n|---|---|\n| 1 | 2 |") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"
    )
    assert md("Term\n: Definition") == "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>"


def test_a_list_needs_a_blank_line_before_it_at_the_top_level():
    # Dialogue dashes right after a line of prose stay prose, as in Python-Markdown.
    assert md("He said:\n- Go.\n- Now?") == "<p>He said:\n- Go.\n- Now?</p>"
    assert md("Packing:\n\n- rope\n- lamp") == (
        "<p>Packing:</p>\n<ul>\n<li>rope</li>\n<li>lamp</li>\n</ul>"
    )
    # Nested lists need none (two spaces of indent nest, as in CommonMark).
    assert md("- a\n  - b") == "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"


def test_scene_breaks_headings_quotes_and_links():
    assert md("# One\n\n***\n\n> said\n\n[home](https://example.org)") == (
        '<h1>One</h1>\n<hr>\n<blockquote>\n<p>said</p>\n</blockquote>\n<p><a href="https://'
        'example.org" rel="nofollow noopener">home</a></p>'
    )


def test_raw_html_is_still_sanitised():
    assert md('<img src="x" onerror="alert(1)">\n\n<script>alert(1)</script>') == '<img src="x">'
