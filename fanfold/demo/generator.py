"""Deterministic prose for the demo archive, built from the corpus with one seeded RNG."""

from __future__ import annotations

import random

from fanfold.demo import corpus


class ProseGenerator:
    """Sentences, paragraphs, chapters, titles and summaries from one `random.Random`."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def title(self) -> str:
        pattern = self.rng.choice(corpus.TITLE_PATTERNS)
        noun, noun2 = self.rng.sample(corpus.TITLE_NOUNS, 2)
        return pattern.format(adj=self.rng.choice(corpus.TITLE_ADJECTIVES), noun=noun, noun2=noun2)

    def summary(self, names: list[str]) -> str:
        a, b = (names * 2)[:2] if len(names) < 2 else self.rng.sample(names, 2)
        return self.rng.choice(corpus.SUMMARIES).format(a=a, b=b)

    def sentence(self, names: list[str]) -> str:
        name = self.rng.choice(names)
        roll = self.rng.random()
        if roll < 0.25:
            line = self.rng.choice(corpus.DIALOGUE)
            return f"“{line}” {name} {self.rng.choice(corpus.SAID)}."
        if roll < 0.4:
            return self.rng.choice(corpus.WEATHER)
        if roll < 0.7:
            return (
                f"{self.rng.choice(corpus.CONNECTIVES)}, {name} "
                f"{self.rng.choice(corpus.ACTIONS)} in {self.rng.choice(corpus.PLACES)}."
            )
        return (
            f"{name} felt {self.rng.choice(corpus.FEELINGS)}, and "
            f"{self.rng.choice(corpus.ACTIONS)}."
        )

    def paragraph(self, names: list[str], words: int) -> tuple[str, int]:
        sentences, count = [], 0
        while count < words:
            sentence = self.sentence(names)
            sentences.append(sentence)
            count += len(sentence.split())
        return " ".join(sentences), count

    def chapter(self, names: list[str], words: int) -> list[str]:
        """Paragraphs of about `words` words in total, with the odd scene break."""
        paragraphs: list[str] = []
        written = 0
        while written < words:
            text, count = self.paragraph(names, min(self.rng.randint(40, 140), words - written))
            paragraphs.append(text)
            written += count
            if self.rng.random() < 0.04:
                paragraphs.append("* * *")
        return paragraphs

    def word_target(self, low: int = 400, high: int = 30_000) -> int:
        """Log-normal lengths: most works short, a long tail of long ones."""
        return max(low, min(high, int(self.rng.lognormvariate(7.8, 0.9))))


def as_format(paragraphs: list[str], fmt: str) -> str:
    """Render paragraphs the way an author would type them in each input format."""
    if fmt == "plain":
        return "\n\n".join(paragraphs)
    if fmt == "markdown":
        return "\n\n".join("***" if p == "* * *" else p for p in paragraphs)
    return "\n".join(
        '<p style="text-align: center">* * *</p>' if p == "* * *" else f"<p>{p}</p>"
        for p in paragraphs
    )
