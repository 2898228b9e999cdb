"""Markdown to HTML with markdown-it-py: CommonMark plus tables, footnotes and definition
lists (what authors used from Python-Markdown's "extra"), in time linear in the text.

Python-Markdown, used before, runs its inline patterns over the whole paragraph again
after every match, so a paragraph of 20,000 `[` or `[^1]` took minutes; markdown-it
tokenizes once, left to right. Footnotes are rendered as Python-Markdown rendered them,
so texts written with footnotes keep their look.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, list_block
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from fanfold.markup.budget import Deadline


def _watch_inline(state: StateInline, silent: bool) -> bool:
    """First inline rule: runs once per token tried, so a long paragraph cannot outlast
    the conversion's budget. Never matches."""
    state.env["deadline"].tick()
    return False


def _watch_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    state.env["deadline"].tick()
    return False


def _list_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """CommonMark's lists, except that at the top level a list needs a blank line before
    it, as in Python-Markdown: prose with a line that starts "- " (a dialogue dash) or
    "1." right after text stays one paragraph. Lists nested in lists still need none."""
    if silent and state.parentType == "paragraph" and state.blkIndent == 0:
        return False
    return list_block(state, start_line, end_line, silent)


def _label(token: Token) -> str:
    return token.meta.get("label") or str(token.meta["id"] + 1)


def _footnote_ref(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    label, number = _label(token), token.meta["id"] + 1
    return f'<sup><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'


def _footnote_anchor(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    label, number = _label(token), token.meta["id"] + 1
    return (
        f'&#160;<a class="footnote-backref" href="#fnref:{label}" '
        f'title="Jump back to footnote {number} in the text">&#8617;</a>'
    )


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Only pandoc-style `[^label]` references, as Python-Markdown had: `^[...]` stays text.
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    md.block.ruler.at("list", _list_block, {"alt": ["paragraph", "reference", "blockquote"]})
    md.inline.ruler.before("text", "watch", _watch_inline)
    md.block.ruler.before("table", "watch", _watch_block)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule("footnote_block_open", lambda *a: '<div class="footnote">\n<hr>\n<ol>\n')
    md.add_render_rule("footnote_block_close", lambda *a: "</ol>\n</div>\n")
    md.add_render_rule("footnote_open", lambda *a: "<li>\n")
    md.add_render_rule("footnote_close", lambda *a: "</li>\n")
    return md


_MARKDOWN = _build()


def markdown_to_html(text: str, deadline: Deadline) -> str:
    """Unsanitised HTML for Markdown `text` (raw HTML passes through to the sanitiser)."""
    return _MARKDOWN.render(text, {"deadline": deadline})
