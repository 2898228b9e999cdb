"""What an import did: counts per table, what was skipped and why, what had to be guessed.

The report is printed at the end of the command and kept on `EfictionImport.report`, so
an admin can look at it again from the Django admin.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Each kind of problem keeps every count but only this many examples, so a broken
# 200,000-row table cannot turn the report into a 200,000-line file.
EXAMPLES = 20


@dataclass
class Report:
    read: Counter = field(default_factory=Counter)  # table -> rows read
    imported: Counter = field(default_factory=Counter)  # what -> rows written
    skipped: Counter = field(default_factory=Counter)  # (table, reason) -> rows
    skipped_examples: dict = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)  # what (importer.dropped) -> rows
    dropped_examples: dict = field(default_factory=lambda: defaultdict(list))
    source_problems: list[str] = field(default_factory=list)
    encodings: list[tuple[str, str, int, str]] = field(default_factory=list)
    word_counts: dict = field(
        default_factory=lambda: {
            "stories_checked": 0,
            "stories_differing": 0,
            "chapters_checked": 0,
            "chapters_differing": 0,
            "efiction_total": 0,
            "fanfold_total": 0,
            "examples": [],
        }
    )
    # "works"/"chapters" -> rows whose Fanfold hit count was larger than eFiction's.
    kept_hits: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)  # phase -> seconds

    def skip(self, table: str, legacy_id: object, reason: str) -> None:
        key = (table, reason)
        self.skipped[key] += 1
        if len(self.skipped_examples[key]) < EXAMPLES:
            self.skipped_examples[key].append(str(legacy_id))

    def drop(self, what: str, legacy_id: object) -> None:
        """A row of a kind Fanfold has no home for (see importer.dropped)."""
        self.dropped[what] += 1
        if len(self.dropped_examples[what]) < EXAMPLES:
            self.dropped_examples[what].append(str(legacy_id))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def word_count_difference(self, what: str, efiction: int, fanfold: int) -> None:
        wc = self.word_counts
        if len(wc["examples"]) < EXAMPLES:
            wc["examples"].append(f"{what}: eFiction {efiction:,}, Fanfold {fanfold:,}")

    @property
    def usable(self) -> bool:
        """Whether anything a reader could use arrived: the command fails otherwise."""
        return self.imported["works"] > 0 or self.imported["users"] > 0

    def as_dict(self) -> dict:
        return {
            "read": dict(self.read),
            "imported": dict(self.imported),
            "skipped": [
                {
                    "table": table,
                    "reason": reason,
                    "rows": count,
                    "ids": self.skipped_examples[(table, reason)],
                }
                for (table, reason), count in sorted(self.skipped.items())
            ],
            "dropped": [
                {"what": what, "rows": count, "ids": self.dropped_examples[what]}
                for what, count in sorted(self.dropped.items())
            ],
            "notes": self.notes,
            "source_problems": self.source_problems,
            "encodings": [
                {"field": what, "encoding": enc, "count": n, "first": where}
                for what, enc, n, where in self.encodings
            ],
            "word_counts": self.word_counts,
            "kept_hits": dict(self.kept_hits),
            "seconds": round(self.seconds, 1),
            "phases": {name: round(sec, 1) for name, sec in self.phases.items()},
        }

    def as_text(self) -> str:
        lines = ["", "eFiction import report", "======================", ""]
        lines.append("Rows read and written:")
        for table, count in sorted(self.read.items()):
            lines.append(f"  {table:<18} {count:>9,} read")
        for what, count in sorted(self.imported.items()):
            lines.append(f"  {what:<18} {count:>9,} imported")
        if self.skipped:
            lines += ["", "Skipped (table: reason — rows; first ids):"]
            for (table, reason), count in sorted(self.skipped.items()):
                ids = ", ".join(self.skipped_examples[(table, reason)][:10])
                lines.append(f"  {table}: {reason} — {count:,}; {ids}")
        if self.dropped:
            lines += ["", "Not imported, no home in Fanfold (what — rows; first ids):"]
            for what, count in sorted(self.dropped.items()):
                ids = ", ".join(self.dropped_examples[what][:10])
                lines.append(f"  {what} — {count:,}; {ids}")
        if self.source_problems:
            lines += ["", f"Problems in the input ({len(self.source_problems):,}):"]
            lines += [f"  {p}" for p in self.source_problems[:50]]
            if len(self.source_problems) > 50:
                lines.append(f"  … and {len(self.source_problems) - 50:,} more")
        if self.encodings:
            lines += ["", "Text whose encoding had to be guessed (field: encoding — count; first):"]
            for what, enc, n, where in self.encodings:
                lines.append(f"  {what}: {enc} — {n:,}; {where}")
        wc = self.word_counts
        lines += [
            "",
            "Word counts recomputed:",
            f"  stories: {wc['stories_differing']:,} of {wc['stories_checked']:,} differ from "
            f"eFiction's stored count; chapters: {wc['chapters_differing']:,} of "
            f"{wc['chapters_checked']:,}",
            f"  total words: eFiction {wc['efiction_total']:,}, Fanfold {wc['fanfold_total']:,}",
        ]
        lines += [f"  {example}" for example in wc["examples"][:10]]
        lines += [
            "",
            "Hits: works and chapters keep the larger of eFiction's read count and "
            "Fanfold's; Fanfold's was larger for "
            f"{self.kept_hits['works']:,} works and {self.kept_hits['chapters']:,} chapters.",
        ]
        if self.notes:
            lines += ["", "Notes:"]
            lines += [f"  - {note}" for note in self.notes]
        phases = ", ".join(f"{name} {sec:.1f} s" for name, sec in self.phases.items())
        lines += ["", f"Finished in {self.seconds:.1f} s ({phases})."]
        return "\n".join(lines)
