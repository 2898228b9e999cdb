"""Formatting takes time linear in the size of the text, whatever the text.

Each shape is converted at 10k, 20k, 40k and 80k characters; eight times the text may
take at most three times eight times as long (noise, caches), where a quadratic step takes 64 times.
Times are the thread's CPU time, the least of a few runs, so a busy machine does not
decide the outcome; no test here asserts a duration.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pytest

from fanfold.markup import Profile, budget, count_words, render_text

SIZES = (10_000, 20_000, 40_000, 80_000)
# The HTML parser's own slow paths (scope checks over a deep stack of open elements,
# re-opened formatting elements) only show beyond 100,000 characters: those shapes are
# measured up to the chapter limit.
PARSER_SIZES = (62_500, 125_000, 250_000, 500_000)
# Three times linear: a quadratic step still shows at 64. Twice was too tight once the
# 80k-character inputs outgrow the CPU caches under two parallel test workers (a Markdown
# table of 26,000 cells measured 16.7 there, 11.5 alone).
MAX_GROWTH = 3 * SIZES[-1] / SIZES[0]
RUNS = 3  # two when a sample is long enough that noise hardly moves it
MIN_SAMPLE = 0.02  # seconds of CPU per sample: tiny samples are mostly noise
LONG_SAMPLE = 0.25


def repeat(unit: str) -> Callable[[int], str]:
    return lambda n: unit * (n // len(unit))


def nested(opening: str, closing: str) -> Callable[[int], str]:
    return lambda n: (
        opening * (n // (len(opening) + len(closing)))
        + "x"
        + closing * (n // (len(opening) + len(closing)))
    )


def lines(make_line: Callable[[int], str]) -> Callable[[int], str]:
    def make(n: int) -> str:
        out, size, i = [], 0, 0
        while size < n:
            out.append(make_line(i))
            size += len(out[-1])
            i += 1
        return "".join(out)

    return make


PROSE = (
    "The rain had not stopped for three days, and Mara kept the lamp lit in the tower "
    "window while the sea rose against the rocks below.\n\n"
)
MARKDOWN = {
    "brackets": repeat("["),  # 8.6 s as a chapter preview of 8,000 before
    "footnote references": repeat("[^1]"),  # 353 s for 20,000 before
    "footnote references with a note": lambda n: repeat("[^1]")(n - 12) + "\n\n[^1]: note\n",
    "image openers": repeat("!["),
    "unclosed links": repeat("[a]("),
    "emphasis runs": repeat("*_"),
    "strong emphasis runs": repeat("**_"),
    "backticks": repeat("`a"),
    "html openers": repeat("<a "),
    "comment openers": repeat("<!--"),
    "quote markers": repeat(">"),
    "nested quotes": lines(lambda i: ">" * (i % 200) + " x\n"),
    "nested lists": lines(lambda i: "  " * (i % 200) + "- x\n"),
    "wide table": lambda n: "\n".join(repeat(cell)(n // 3) for cell in ("|a", "|-", "|x")),
    "link definitions": lines(lambda i: f"[x{i}]: /u\n"),
    "prose": repeat(PROSE.replace("Mara", "*Mara*").replace("sea", "**sea**")),
}
HTML = {
    "comment openers": repeat("<!--"),  # 7.1 s for 25,000 as a chapter preview before
    "word conditional openers": repeat("<!--[if"),
    "nested spans": nested("<span>", "</span>"),  # 5.3 s for 10,000 before
    "nested styled spans": nested('<span style="font-weight:bold">', "</span>"),
    "span openers": repeat("<span"),
    "namespaced openers": repeat("<o:"),
    "paragraph openers": repeat("<p "),
    "no-break spaces": repeat("<p>" + "\u00a0" * 40 + "x"),
    "google docs wrappers": repeat('<b id="docs-internal-guid-1">'),
    "word paste": repeat(
        '<p class="MsoNormal" style="mso-margin-top-alt:auto"><span style="font-style:'
        'italic">The rain<o:p></o:p></span></p>\n'
    ),
    "prose": repeat(f"<p>{PROSE.strip()}</p>\n"),
}
# Measured at PARSER_SIZES: 45,000 nested <div>s (a 500,000-character chapter) took
# 20 s in nh3 before its input was bounded.
PARSER = {
    "nested divs": nested("<div>", "</div>"),
    "nested lists": repeat("<ul><li>"),
    "nested definition lists": repeat("<dl><dt>"),
    "unclosed formatting": lines(lambda i: f"<p><b class=c{i}>x</p>"),
    "unclosed fonts": lines(lambda i: f"<p><font color=c{i}>x</p>"),
    "unclosed italics": lambda n: repeat("<i>")(n // 2) + repeat("<p>x</p>")(n // 2),
    "many attributes": lambda n: "<p " + repeat(" a")(n) + ">x</p>",
}
PLAIN = {
    "angle brackets": repeat("<"),
    "ampersands": repeat("&#"),
    "blank lines": repeat("\n \n"),
    "prose": repeat(PROSE),
}


def cpu_seconds(convert: Callable[[], object], repeats: int) -> float:
    best = math.inf
    for run in range(RUNS):
        started = time.thread_time()
        for _ in range(repeats):
            convert()
        best = min(best, time.thread_time() - started)
        if run and best > LONG_SAMPLE:
            break
    return best


def growth(convert: Callable[[str], object], make: Callable[[int], str], sizes=SIZES) -> float:
    """How much longer the largest size takes than the smallest.

    CPU time still moves when other processes crowd the caches, so a reading over the
    limit is taken again (up to three times) and the least kept: a quadratic step stays
    over the limit every time, a noisy reading does not."""
    small, large = make(sizes[0]), make(sizes[-1])
    once = cpu_seconds(lambda: convert(small), 1)
    repeats = max(1, min(50, math.ceil(MIN_SAMPLE / max(once, 1e-6))))
    least = math.inf
    for _ in range(3):
        ratio = cpu_seconds(lambda: convert(large), repeats) / cpu_seconds(
            lambda: convert(small), repeats
        )
        least = min(least, ratio)
        if least < MAX_GROWTH:
            break
    return least


@pytest.fixture(autouse=True)
def _no_budget(monkeypatch):
    # The budget would cut the slowest shapes short; it has tests of its own.
    monkeypatch.setattr(budget, "BUDGET_SECONDS", 1e9)


def save_chapter(fmt: str) -> Callable[[str], object]:
    """What saving a chapter body costs: formatting, then counting its words."""
    return lambda text: count_words(render_text(text, fmt))


@pytest.mark.parametrize("shape", MARKDOWN)
def test_markdown_is_linear(shape):
    assert growth(save_chapter("markdown"), MARKDOWN[shape]) < MAX_GROWTH


@pytest.mark.parametrize("shape", HTML)
def test_html_is_linear(shape):
    assert growth(save_chapter("html"), HTML[shape]) < MAX_GROWTH


@pytest.mark.parametrize("shape", PARSER)
def test_html_parser_input_is_bounded(shape):
    assert growth(save_chapter("html"), PARSER[shape], PARSER_SIZES) < MAX_GROWTH


@pytest.mark.parametrize("shape", PLAIN)
def test_plain_text_is_linear(shape):
    assert growth(save_chapter("plain"), PLAIN[shape]) < MAX_GROWTH


@pytest.mark.parametrize("shape", ["comment openers", "nested spans", "unclosed formatting"])
def test_comments_are_linear(shape):
    def comment(text: str) -> object:
        # Comments with a tag are saved as HTML.
        return render_text(text, "html", Profile.COMMENT)

    make, sizes = (PARSER[shape], PARSER_SIZES) if shape in PARSER else (HTML[shape], SIZES)
    assert growth(comment, make, sizes) < MAX_GROWTH
