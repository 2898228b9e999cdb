"""axe-core, the accessibility checker, run inside a page Chromium has loaded.

`make test` installs it from npm at the version package-lock.json pins. It is evaluated
through the DevTools protocol, not added as a <script>, so the site's
Content-Security-Policy (no inline scripts) stays as strict as visitors get it."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 A and AA, and axe's best practices (landmarks, one <h1>, headings in order).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@cache
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("FANFOLD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} is missing; `make test` installs it (npm ci).")
        pytest.skip("axe-core is not installed (make node_modules/.installed)")
    return AXE.read_text()


# What a colour theme changes; the other rules give the same answer in every theme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# What a narrow screen changes besides colours seen through overlapping boxes: the same
# markup, laid out again (target sizes, scrolling regions, text cut off by overflow).
LAYOUT_RULES = [*COLOUR_RULES, "target-size", "scrollable-region-focusable", "meta-viewport"]


def axe_violations(page, *, rules: list[str] | None = None) -> list[str]:
    """Every rule (or only `rules`) the page breaks, one line per rule and element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = RUN_OPTIONS
    if rules:
        options = {**RUN_OPTIONS, "runOnly": {"type": "rule", "values": rules}}
    result = page.evaluate("options => axe.run(document, options)", options)
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:160]
            found.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary}")
    return found
