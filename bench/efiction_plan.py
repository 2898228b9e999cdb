"""The shape of the generated eFiction archive, decided before any text is written.

mysqldump writes tables alphabetically, so `chapters` and `reviews` come before
`stories`, and `chapters.reviews` before the reviews themselves: everything one table
needs from a later one (chapter counts, review counts and scores, authors' story counts)
is drawn here first, as small per-row facts. The small tables are written from here too.
"""

from __future__ import annotations

import random
import time
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from efiction_text import ASCII, CP1252, UTF8, ParagraphPool, Words, encode, row

START = 1_072_915_200  # 2004-01-01
END = 1_577_836_800  # 2020-01-01
CHAPTERS_PER_STORY = 4
LONG_STORY_CHAPTERS = 86
GENRES = [
    "Action",
    "Adventure",
    "Angst",
    "Comedy",
    "Drama",
    "Fluff",
    "Friendship",
    "General",
    "Horror",
    "Humor",
    "Hurt/Comfort",
    "Mystery",
    "Parody",
    "Poetry",
    "Romance",
    "Sci-Fi",
    "Supernatural",
    "Suspense",
    "Tragedy",
    "AU",
]
WARNINGS = [
    "None",
    "Violence",
    "Character Death",
    "Language",
    "Sexual Content",
    "Self-Harm",
    "Abuse",
    "Drug Use",
    "Spoilers",
    "Dark Themes",
]
# name, ratingwarning bitmask (1 = warning, 2 = age consent), share of stories
RATINGS = (("G", "0", 15), ("PG", "0", 25), ("PG-13", "0", 30), ("R", "1", 20),
           ("NC-17", "2", 10))  # fmt: skip
NEWS, NEWS_COMMENTS = 12, 30
TOP_CATEGORIES = ("Books", "Anime & Manga", "Television", "Movies", "Games", "Original")


def when(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


@dataclass(slots=True)
class Story:
    sid: int
    uid: int
    chapters: int
    first_chapid: int
    date: int
    updated: int
    cats: str
    chars: str
    classes: str
    rid: int
    validated: str
    completed: str
    featured: str
    coauthor: int = 0
    challenge: int = 0
    wordcount: int = 0
    reviews: int = 0
    score_sum: int = 0
    scores: int = 0

    def rating(self) -> int:
        return round(self.score_sum / self.scores) if self.scores else 0


class Archive:
    """Everything decided up front; text is made while the tables are written."""

    def __init__(self, stories: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.words = Words(rng)
        self.pool = ParagraphPool.build(self.words)
        self.n_authors = max(4, stories // 6)
        self.pennames = self._pennames()
        self.joined = [rng.randint(START - 86400 * 365, END - 86400) for _ in self.pennames]
        self.categories = self._categories()
        self.characters = self._characters()
        self.n_challenges = max(2, stories // 500)
        self.stories = self._stories(stories)
        self.story_counts = [0] * (self.n_authors + 1)
        for story in self.stories:
            self.story_counts[story.uid] += 1
        self.series = self._series()
        self.reviews = self._reviews()

    # --- random choices used by several tables --------------------------------------------

    def flavour(self) -> str:
        """Mostly ASCII; a few % cp1252 quotes, a few % UTF-8 (see efiction_text)."""
        roll = self.rng.random()
        return CP1252 if roll < 0.03 else UTF8 if roll < 0.05 else ASCII

    def encoded(self, text: str) -> bytes:
        return encode(text, self.flavour())

    def summary(self) -> bytes:
        text = self.words.text(self.rng.randint(1, 3))
        if self.rng.random() < 0.15:  # what a WYSIWYG editor stores for typographic marks
            text = f"&#8220;{self.words.title()}&#8221; {text} &#8230; &#233;t&#233;"
        return self.encoded(text)

    def total_words(self) -> int:
        return sum(s.wordcount for s in self.stories)

    # --- the plan ---------------------------------------------------------------------------

    def _pennames(self) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        for _ in range(self.n_authors):
            name = self.words.name()
            if self.rng.random() < 0.3:
                name += " " + self.words.name()
            while name in seen:
                name += str(self.rng.randint(0, 9))
            seen.add(name)
            names.append(name)
        return names

    def _categories(self) -> list[tuple[int, int, str, int, int]]:
        """(catid, parent, name, depth, order): ~60 categories three deep."""
        cats: list[tuple[int, int, str, int, int]] = []
        for order, name in enumerate(TOP_CATEGORIES, 1):
            cats.append((len(cats) + 1, -1, name, 0, order))
        for top in range(1, len(TOP_CATEGORIES) + 1):
            for order in range(1, 6):
                fandom = len(cats) + 1
                cats.append((fandom, top, "The " + self.words.title(1, 3), 1, order))
                for sub in range(1, self.rng.choice((0, 0, 1, 2)) + 1):
                    cats.append((len(cats) + 1, fandom, self.words.title(1, 2) + " Era", 2, sub))
        return cats

    def _characters(self) -> list[tuple[int, int, str]]:
        fandoms = [c[0] for c in self.categories if c[3] == 1]
        chars = []
        for charid in range(1, 401):
            catid = -1 if charid % 20 == 0 else fandoms[charid % len(fandoms)]
            chars.append((charid, catid, f"{self.words.name()} {self.words.name()}"))
        return chars

    def _chapter_counts(self, stories: int) -> list[int]:
        """1-40 chapters (geometric-like), one story of 86, summing to 4 per story."""
        rng = self.rng
        counts = [min(40, 1 + int(rng.expovariate(1 / 3.2))) for _ in range(stories)]
        long_one = stories // 2
        counts[long_one] = LONG_STORY_CHAPTERS
        target = max(CHAPTERS_PER_STORY * stories, LONG_STORY_CHAPTERS + stories - 1)
        while (diff := target - sum(counts)) != 0:
            for _ in range(min(abs(diff), 10_000)):
                i = rng.randrange(stories)
                if i != long_one and (counts[i] < 40 if diff > 0 else counts[i] > 1):
                    counts[i] += 1 if diff > 0 else -1
        return counts

    def _stories(self, n: int) -> list[Story]:
        rng = self.rng
        weights = [1 / (rank + 1) ** 0.5 for rank in range(self.n_authors)]
        uids = rng.choices(range(1, self.n_authors + 1), weights=weights, k=n)
        leaves = [c for c in self.categories if c[3] > 0]
        by_cat: dict[int, list[int]] = {}
        for charid, catid, _ in self.characters:
            by_cat.setdefault(catid, []).append(charid)
        first = 1
        stories = []
        for sid, (uid, chapters) in enumerate(zip(uids, self._chapter_counts(n), strict=True), 1):
            cats = rng.sample(leaves, 1 if rng.random() < 0.85 else 2)
            fandom = cats[0][1] if cats[0][3] == 2 else cats[0][0]
            pool = by_cat.get(fandom, []) + by_cat[-1]
            date = rng.randint(START, END - 86400 * 400)
            roll = rng.random()
            stories.append(Story(
                sid=sid, uid=uid, chapters=chapters, first_chapid=first, date=date,
                updated=date + (rng.randint(0, 86400 * 365) if chapters > 1 else 0),
                cats="-1" if roll < 0.002 else ",".join(str(c[0]) for c in cats),
                chars=",".join(map(str, rng.sample(pool, rng.randint(0, min(4, len(pool)))))),
                classes=self._classes_csv(), rid=self._rating(),
                validated="0" if roll > 0.995 else ("2" if roll < 0.3 else "1"),
                completed="1" if rng.random() < 0.65 else "0",
                featured="1" if roll < 0.005 else ("2" if roll < 0.007 else "0"),
                coauthor=self._other_author(uid) if rng.random() < 0.02 else 0,
                challenge=rng.randint(1, self.n_challenges) if rng.random() < 0.01 else 0,
            ))  # fmt: skip
            first += chapters
        return stories

    def _classes_csv(self) -> str:
        genres = self.rng.sample(range(1, len(GENRES) + 1), self.rng.randint(1, 3))
        warnings = self.rng.sample(range(len(GENRES) + 1, len(GENRES) + len(WARNINGS) + 1),
                                   self.rng.randint(0, 2))  # fmt: skip
        return ",".join(map(str, genres + warnings))

    def _rating(self) -> int:
        return self.rng.choices(range(1, 6), weights=[r[2] for r in RATINGS])[0]

    def _other_author(self, uid: int) -> int:
        return uid % self.n_authors + 1

    def _series(self) -> list[tuple[int, list[int], int]]:
        """(owner uid, story ids, isopen) for ~1 series per 15 stories."""
        by_author: dict[int, list[int]] = {}
        for s in self.stories:
            by_author.setdefault(s.uid, []).append(s.sid)
        series, used = [], set()
        for _ in range(len(self.stories) // 15):
            uid = self.stories[self.rng.randrange(len(self.stories))].uid
            free = [sid for sid in by_author[uid] if sid not in used][: self.rng.randint(2, 6)]
            used.update(free)
            series.append((uid, free, self.rng.choice((0, 0, 0, 1, 2))))
        return series

    def _reviews(self) -> list[tuple[int, int, str, int, int, int]]:
        """(item, chapid, type, uid, score, date); counts go onto stories and chapters."""
        rng = self.rng
        self.chapter_reviews = array("H", bytes(2 * (self.stories[-1].first_chapid + 200)))
        self.chapter_scores: dict[int, list[int]] = {}
        reviews = []
        while len(reviews) < 2 * len(self.stories):
            uid = 0 if rng.random() < 0.25 else rng.randint(1, self.n_authors)
            score = -1 if rng.random() < 0.5 else rng.randint(1, 10)
            if self.series and rng.random() < 0.03:
                seriesid = rng.randint(1, len(self.series))
                reviews.append((seriesid, 0, "SE", uid, score, rng.randint(START, END)))
                continue
            story = self.stories[rng.randrange(len(self.stories))]
            if story.validated == "0":
                continue
            chapid = story.first_chapid + rng.randrange(story.chapters)
            reviews.append((story.sid, chapid, "ST", uid, score, rng.randint(story.date, END)))
            story.reviews += 1
            self.chapter_reviews[chapid] += 1
            if score > 0:
                story.score_sum, story.scores = story.score_sum + score, story.scores + 1
                self.chapter_scores.setdefault(chapid, []).append(score)
        return reviews

    def chapter_rating(self, chapid: int) -> int:
        scores = self.chapter_scores.get(chapid)
        return round(sum(scores) / len(scores)) if scores else 0

    # --- the small tables -------------------------------------------------------------------

    def authorfield_rows(self) -> Iterable[bytes]:
        yield row(1, 1, "website", "Web Site", "", "", "", 1)
        yield row(2, 4, "journal", "Journal", "http://{info}.journal.example.com", "", "", 0)
        yield row(3, 3, "betareader", "Beta-reader", "", "", "", 1)
        yield row(4, 2, "pronouns", "Pronouns", "she/her|#|he/him|#|they/them", "", "", 1)

    def block_rows(self) -> Iterable[bytes]:
        for number, name in enumerate(("categories", "featured", "info", "login", "news"), 1):
            yield row(number, name, name.capitalize(), f"{name}/{name}.php", 1, "a:0:{}")

    def category_rows(self) -> Iterable[bytes]:
        counts: dict[int, int] = {}
        for story in self.stories:
            for catid in story.cats.split(","):
                counts[int(catid)] = counts.get(int(catid), 0) + (story.validated != "0")
        for catid, parent, name, depth, order in self.categories:
            yield row(catid, parent, name, self.words.text(1), "", "0", depth, order,
                      counts.get(catid, 0))  # fmt: skip

    def challenge_rows(self) -> Iterable[bytes]:
        responses = Counter(s.challenge for s in self.stories)
        for chalid in range(1, self.n_challenges + 1):
            uid = self.rng.randint(1, self.n_authors)
            yield row(chalid, self.pennames[uid - 1], uid, self.words.title(), "", "",
                      self.words.text(2), responses[chalid])  # fmt: skip

    def character_rows(self) -> Iterable[bytes]:
        for charid, catid, name in self.characters:
            yield row(charid, catid, name, self.words.text(1) if charid % 7 == 0 else "", "")

    def class_rows(self) -> Iterable[bytes]:
        for class_id, name in enumerate(GENRES + WARNINGS, 1):
            yield row(class_id, 1 if class_id <= len(GENRES) else 2, name)

    def classtype_rows(self) -> Iterable[bytes]:
        yield row(1, "genres", "Genres")
        yield row(2, "warnings", "Warnings")

    def coauthor_rows(self) -> Iterable[bytes]:
        return (row(s.sid, s.coauthor) for s in self.stories if s.coauthor)

    def codeblock_rows(self) -> Iterable[bytes]:
        hooks = ("storyblock", "seriesblock", "sitestats", "delchar")
        for code_id, hook in enumerate(hooks, 1):
            text = f'include(_BASEDIR."modules/challenges/{hook}.php");'
            yield row(code_id, text, hook, "challenges")

    def comment_rows(self) -> Iterable[bytes]:
        for cid in range(1, NEWS_COMMENTS + 1):
            yield row(cid, cid % NEWS + 1, self.rng.randint(1, self.n_authors),
                      self.words.text(1), when(self.rng.randint(START, END)))  # fmt: skip

    def inseries_rows(self) -> Iterable[bytes]:
        for seriesid, (_, sids, _) in enumerate(self.series, 1):
            for inorder, sid in enumerate(sids, 1):
                yield row(seriesid, sid, 0, 1, inorder)
            if seriesid % 50 == 0 and seriesid > 1:  # a series nested in another
                yield row(seriesid, 0, seriesid - 1, 1, len(sids) + 1)

    def log_rows(self) -> Iterable[bytes]:
        for log_id in range(1, len(self.stories) // 10 + 1):
            uid = self.rng.randint(1, self.n_authors)
            kind = self.rng.choice(("RG", "ED", "DL", "VS", "LP", "BL", "RE", "AM", "EB"))
            yield row(log_id, f"{self.pennames[uid - 1]} did {kind}", uid,
                      self.rng.randint(1 << 24, 3 << 30), when(self.rng.randint(START, END)),
                      kind)  # fmt: skip

    def message_rows(self) -> Iterable[bytes]:
        names = ("welcome", "copyright", "help", "nothankyou", "printercopyright", "rules",
                 "thankyou", "tos", "maintenance")  # fmt: skip
        for number, name in enumerate(names, 1):
            yield row(number, name, name.capitalize(), f"<p>{self.words.text(3)}</p>")

    def module_rows(self) -> Iterable[bytes]:
        yield row(1, "Challenges", "1.1")

    def news_rows(self) -> Iterable[bytes]:
        for nid in range(1, NEWS + 1):
            comments = sum(1 for c in range(1, NEWS_COMMENTS + 1) if c % NEWS + 1 == nid)
            yield row(nid, self.pennames[0], self.words.title(), f"<p>{self.words.text(4)}</p>",
                      when(START + nid * 86400 * 400), comments)  # fmt: skip

    def pagelink_rows(self) -> Iterable[bytes]:
        links = (("home", "Home", "index.php"), ("recent", "Most Recent", "browse.php?type=recent"),
                 ("catslink", "Categories", "browse.php?type=categories"),
                 ("authors", "Authors", "authors.php?list=authors"),
                 ("search", "Search", "search.php"), ("series", "Series", "browse.php?type=series"),
                 ("login", "Account Info", "user.php"))  # fmt: skip
        for number, (name, text, url) in enumerate(links, 1):
            yield row(number, name, text, None, url, "0", 1 if name == "login" else 0)

    def panel_rows(self) -> Iterable[bytes]:
        panels = (
            ("newstory", "Add New Story", "stories.php?action=newstory", 1, "S"),
            ("managestories", "Manage Stories", "stories.php?action=viewstories", 1, "S"),
            ("storiesby", "Stories by {author}", "", 0, "P"),
            ("favst", "Favorite Stories", "", 0, "F"),
            ("settings", "Settings", "", 1, "A"),
        )
        for number, (name, title, url, level, kind) in enumerate(panels, 1):  # fmt: skip
            yield row(number, name, title, url, level, number, 0, kind)

    def rating_rows(self) -> Iterable[bytes]:
        for rid, (name, bits, _) in enumerate(RATINGS, 1):
            text = self.words.text(1) if bits != "0" else ""
            yield row(rid, name, bits, text)

    def series_rows(self) -> Iterable[bytes]:
        for seriesid, (uid, sids, isopen) in enumerate(self.series, 1):
            story = self.stories[sids[0] - 1] if sids else self.stories[0]
            yield row(seriesid, self.words.title(), self.summary(), uid, isopen, story.cats,
                      0, story.classes, story.chars, 0, len(sids), "")  # fmt: skip

    def settings_rows(self) -> Iterable[bytes]:
        from efiction_schema import columns

        values = dict.fromkeys(columns("settings"), 0)
        values.update(
            sitekey="Lnt3rnArc1", sitename="The Lantern Archive", slogan="Stories by fans",
            url="http://archive.example.org", siteemail="admin@archive.example.org",
            tableprefix="", skin="Zenlike", hiddenskins="", language="en",
            storiespath="stories", store="mysql", coauthallowed=1, imageheight=200,
            imagewidth=200, roundrobins=1, allowseries=2, tinyMCE=1,
            allowed_tags="<b><i><u><center><hr><p><br /><br><blockquote><ol><ul><li><strong><em>",
            favorites=1, multiplecats=1, newscomments=1, logging=1, dateformat="d/m/y",
            timeformat="- h:i a", recentdays=7, displaycolumns=1, itemsperpage=25,
            displayprofile=1, linkrange=5, reviewsallowed=1, ratings=1, anonreviews=1,
            revdelete=1, rateonly=1, alertson=1, agestatement=1, words="", version="3.5.5",
            smtp_host=None, smtp_username=None, smtp_password=None,
        )  # fmt: skip
        yield row(*values.values())

    def stats_rows(self) -> Iterable[bytes]:
        chapters = sum(s.chapters for s in self.stories)
        authors = len({s.uid for s in self.stories})
        yield row("Lnt3rnArc1", len(self.stories), chapters, len(self.series),
                  len(self.reviews), self.total_words(), authors, self.n_authors,
                  len({r[3] for r in self.reviews if r[3]}), self.n_authors)  # fmt: skip
