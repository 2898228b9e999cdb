"""Template hygiene the template engine does not enforce."""

from pathlib import Path

import fanfold

ROOT = Path(fanfold.__file__).parent


def test_no_one_line_comment_tag_spans_lines():
    # Django's {# #} ends at the end of its line; one left open is printed on the page
    # (the filter listing printed its own description this way). Longer comments use
    # {% comment %}.
    open_comments = []
    for template in ROOT.rglob("templates/**/*"):
        if template.suffix not in {".html", ".txt", ".xml"}:
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if "{#" in line and "#}" not in line[line.index("{#") :]:
                open_comments.append(f"{template.relative_to(ROOT)}:{number}")
    assert not open_comments, open_comments
