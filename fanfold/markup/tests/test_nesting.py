"""The parser's bounds leave real text alone and cut only what no one writes."""

import nh3
import pytest

from fanfold.markup import sanitize_html
from fanfold.markup.nesting import MAX_DEPTH, MAX_FORMATTING, MAX_TAG_LENGTH, bound_nesting

REAL_TEXTS = [
    # Old hand-written HTML (eFiction stories): paragraphs and list items never closed.
    "<p>One<p>Two<ul><li>a<li>b</ul><p>Three",
    # A sloppy author who opens italics in every paragraph and never closes them.
    "".join(f"<p><i>line {n}</p>" for n in range(500)),
    # Deep but real: quotes in quotes, lists in lists, tables in tables.
    "<blockquote>" * 12 + "deep" + "</blockquote>" * 12,
    "<ul><li>" * 30 + "x" + "</li></ul>" * 30,
    "<table><tr><td>" * 10 + "x" + "</td></tr></table>" * 10,
    # Many closed formatting elements and a thousand paragraphs.
    "".join(
        f'<p><b class="c{n}">a</b> <em>b</em> <font color="#{n:06x}">c</font></p>'
        for n in range(1000)
    ),
    '<p title="a > b">attributes with &gt; <a href="/x">link</a></p>',
]


@pytest.mark.parametrize("html", REAL_TEXTS)
def test_real_text_is_left_alone(html):
    assert bound_nesting(html) == html


def test_nesting_deeper_than_the_bound_is_cut():
    html = "<div>" * 1000 + "x" + "</div>" * 1000
    assert sanitize_html(html).count("<div>") == MAX_DEPTH
    assert "x" in sanitize_html(html)


def test_distinct_unclosed_formatting_elements_are_bounded():
    html = "".join(f"<p><b class=c{n}>x</p>" for n in range(300))
    # Each new paragraph re-opens every unclosed one: without the bound the last
    # paragraph would sit in 300 <b>s (and the output grow with the square).
    last = nh3.clean(bound_nesting(html)).rsplit("<p>", 1)[1]
    assert last.count("<b") == MAX_FORMATTING


def test_a_huge_tag_keeps_only_its_name():
    html = "<p " + "a " * MAX_TAG_LENGTH + ">text</p>"
    assert bound_nesting(html) == "<p>text</p>"


def test_tag_names_are_read_as_the_parser_reads_them():
    # "<a:b>" is not a link, so it does not close the previous one: each nests.
    html = "<a:b>" * (MAX_DEPTH + 50)
    assert bound_nesting(html).count("<a:b>") == MAX_DEPTH
