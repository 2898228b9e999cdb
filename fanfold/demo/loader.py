"""Build a believable demo archive through the real services."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.accounts.services import pseud_create, user_create
from fanfold.challenges.models import Challenge
from fanfold.demo import corpus
from fanfold.demo.generator import ProseGenerator, as_format
from fanfold.markup import render_text
from fanfold.tags.models import Tag, TagType
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields, WorkFields
from fanfold.works.models import Work
from fanfold.works.services import cocreator_invite, creatorship_accept, work_create

Progress = Callable[[str], None]
OTHER_LANGUAGES = ["de", "es", "fr", "ja", "pt"]


@dataclass
class DemoReport:
    users: int = 0
    works: int = 0
    chapters: int = 0
    words: int = 0
    seconds: float = 0.0
    long_work_id: int | None = None


@dataclass
class Cast:
    """What the loader picks from: members, tag names and fixed tags."""

    users: list[User]
    ratings: list[Tag]
    warnings: list[Tag]
    categories: list[Tag]
    challenges: list[Challenge]
    relationships: dict[str, list[str]] = field(default_factory=dict)


def load_demo(
    *,
    works: int = 200,
    seed: int = 2026,
    long_work_chapters: int = 86,
    long_work_words: int = 253_000,
    progress: Progress = print,
) -> DemoReport:
    """Create members, tags and `works` works (plus one very long one), as authors would."""
    started = time.perf_counter()
    gen = ProseGenerator(seed)
    with transaction.atomic():
        cast = _make_cast(gen, seed)
    progress(f"members: {len(cast.users)}, fandoms: {len(corpus.FANDOMS)}")
    now = timezone.now()
    for start in range(0, works, 10):
        # One transaction per batch: SQLite commits (and fsyncs) ten works at a time.
        with transaction.atomic():
            for index in range(start, min(start + 10, works)):
                _make_work(gen, cast, index, now)
        progress(f"works {min(start + 10, works)}/{works}")
    long_work = _make_long_work(gen, cast, long_work_chapters, long_work_words, now, progress)
    _add_feedback(gen, cast, progress)
    with transaction.atomic():
        for fandom, characters in corpus.FANDOMS.items():
            _parent_tags(fandom, characters, cast.relationships[fandom])
    report = _report(cast, started)
    report.long_work_id = long_work.pk
    return report


def _make_cast(gen: ProseGenerator, seed: int) -> Cast:
    suffix = "" if not User.objects.filter(username__in=corpus.USERNAMES).exists() else f"_{seed}"
    users = [
        user_create(
            username=f"{name}{suffix}",
            email=f"{name}{suffix}@demo.invalid",
            password=None,
            email_verified=True,
        )
        for name in corpus.USERNAMES
    ]
    # Demo members get no comment e-mail (their addresses go nowhere).
    User.objects.filter(pk__in=[u.pk for u in users]).update(comment_emails=False)
    for user in users[:5]:
        pseud_create(user=user, name=f"{user.username.split('_')[0].title()} Drabbles")
    cast = Cast(
        users=users,
        ratings=list(Tag.objects.of_type(TagType.RATING)),
        warnings=list(Tag.objects.of_type(TagType.WARNING)),
        categories=list(Tag.objects.of_type(TagType.CATEGORY)),
        challenges=[_make_challenge(users[i], *c) for i, c in enumerate(corpus.CHALLENGES)],
    )
    for fandom, characters in corpus.FANDOMS.items():
        cast.relationships[fandom] = _relationships(gen, characters)
    return cast


def _make_challenge(owner: User, title: str, summary: str) -> Challenge:
    return Challenge.objects.create(
        title=title, summary=summary, summary_html=render_text(summary, "plain"), owner=owner
    )


def _relationships(gen: ProseGenerator, characters: list[str]) -> list[str]:
    pairs = [(a, b) for i, a in enumerate(characters) for b in characters[i + 1 :]]
    chosen = gen.rng.sample(pairs, min(len(pairs), 4))
    return [f"{a}/{b}" if gen.rng.random() < 0.7 else f"{a} & {b}" for a, b in chosen]


def _parent_tags(fandom: str, characters: list[str], relationships: list[str]) -> None:
    """Characters and relationships belong under their fandom (wranglers' work, done)."""
    parent = Tag.objects.named(fandom).first()
    if parent is None:
        return
    for tag in Tag.objects.filter(name__in=[*characters, *relationships]).exclude(
        type=TagType.FANDOM
    ):
        tag.parents.add(parent)


def _pick_fixed(gen: ProseGenerator, cast: Cast, index: int) -> tuple[Tag, list[Tag], list[Tag]]:
    # The first works go through every rating, warning and category so each is used.
    rating = (
        cast.ratings[index % len(cast.ratings)]
        if index < 10
        else gen.rng.choices(cast.ratings, weights=[30, 30, 18, 14, 8])[0]
    )
    if index < len(cast.warnings):
        warnings = [cast.warnings[index]]
    else:
        warnings = [gen.rng.choices(cast.warnings, weights=[20, 55, 10, 8, 4, 3])[0]]
    count = 1 if gen.rng.random() < 0.8 else 2
    categories = (
        [cast.categories[index % len(cast.categories)]]
        if index < 12
        else gen.rng.sample(cast.categories, count)
    )
    return rating, warnings, categories


def _chapter_count(gen: ProseGenerator) -> int:
    roll = gen.rng.random()
    if roll < 0.6:
        return 1
    if roll < 0.9:
        return gen.rng.randint(2, 10)
    return gen.rng.randint(11, 24)


def _work_fields(gen: ProseGenerator, cast: Cast, index: int, chapters: int) -> WorkFields:
    fandom = gen.rng.choices(list(corpus.FANDOMS), weights=[30, 22, 16, 12, 8, 6, 6])[0]
    characters = gen.rng.sample(corpus.FANDOMS[fandom], min(3, len(corpus.FANDOMS[fandom])))
    pool = cast.relationships[fandom]
    relationships = gen.rng.sample(pool, min(len(pool), gen.rng.randint(0, 2)))
    rating, warnings, categories = _pick_fixed(gen, cast, index)
    complete = gen.rng.random() < 0.7
    freeform_weights = [1 / (rank + 1) for rank in range(len(corpus.FREEFORMS))]
    freeforms = set(
        gen.rng.choices(corpus.FREEFORMS, weights=freeform_weights, k=gen.rng.randint(1, 6))
    )
    return WorkFields(
        title=gen.title(),
        rating=rating,
        warnings=warnings,
        categories=categories,
        fandoms=[fandom],
        characters=characters,
        relationships=relationships,
        freeforms=sorted(freeforms),
        summary=gen.summary(characters),
        notes=gen.rng.choice(corpus.NOTES) if gen.rng.random() < 0.3 else "",
        endnotes=gen.rng.choice(corpus.NOTES) if gen.rng.random() < 0.15 else "",
        text_format=gen.rng.choices(["html", "markdown", "plain"], weights=[80, 12, 8])[0],
        language=gen.rng.choice(OTHER_LANGUAGES) if gen.rng.random() < 0.05 else "en",
        expected_chapters=chapters if complete else gen.rng.choice([None, chapters + 3]),
        # Fixed strides rather than chance, so even a small demo has each kind of work.
        restricted=index % 17 == 3,
        series_title=(
            corpus.SERIES_TITLES[(index // 3) % len(corpus.SERIES_TITLES)] if index % 8 == 1 else ""
        ),
        challenge_id=cast.challenges[index % 2].pk if index % 15 == 4 else None,
    )


def _make_work(gen: ProseGenerator, cast: Cast, index: int, now: datetime) -> Work:
    chapters = _chapter_count(gen)
    data = _work_fields(gen, cast, index, chapters)
    author = cast.users[int(gen.rng.paretovariate(1.2)) % len(cast.users)]
    if data.series_title:
        # A series belongs to one author: give its parts to the same person.
        author = cast.users[corpus.SERIES_TITLES.index(data.series_title)]
    per_chapter = max(150, gen.word_target() // chapters)
    names = data.characters
    day = now - timedelta(days=gen.rng.randint(30 + 12 * chapters, 1000 + 12 * chapters))
    work = work_create(
        creator=author,
        data=data,
        post=index % 25 != 7,
        now=day,
        chapter=_chapter(gen, names, per_chapter, data.text_format, title=""),
    )
    for number in range(2, chapters + 1):
        day += timedelta(days=gen.rng.randint(2, 12), hours=gen.rng.randint(0, 23))
        posted = not (number == chapters and chapters > 3 and gen.rng.random() < 0.1)
        chapter_add(
            work=work,
            editor=author,
            post=posted,
            now=min(day, now),
            data=_chapter(
                gen,
                names,
                per_chapter,
                data.text_format,
                title=gen.title() if gen.rng.random() < 0.5 else "",
            ),
        )
    if index % 20 == 11:
        _add_cocreator(gen, cast, work, author)
    return work


def _chapter(
    gen: ProseGenerator, names: list[str], words: int, fmt: str, title: str
) -> ChapterFields:
    return ChapterFields(
        body=as_format(gen.chapter(names, words), fmt),
        title=title,
        notes=gen.rng.choice(corpus.NOTES) if gen.rng.random() < 0.15 else "",
        endnotes=gen.rng.choice(corpus.NOTES) if gen.rng.random() < 0.1 else "",
    )


def _add_cocreator(gen: ProseGenerator, cast: Cast, work: Work, author: User) -> None:
    friend = gen.rng.choice([u for u in cast.users if u.pk != author.pk])
    invitation = cocreator_invite(work=work, inviter=author, pseud=friend.default_pseud)
    creatorship_accept(creatorship=invitation, user=friend)


def _make_long_work(
    gen: ProseGenerator, cast: Cast, chapters: int, words: int, now: datetime, progress: Progress
) -> Work:
    """One work as long as the longest stories real archives hold (86 chapters)."""
    author = cast.users[0]
    names = corpus.FANDOMS["The Lanternwright Chronicles"]
    data = WorkFields(
        title="Everything the Lamp Remembers",
        rating=cast.ratings[3],
        warnings=[cast.warnings[0]],
        categories=[cast.categories[1]],
        fandoms=["The Lanternwright Chronicles"],
        characters=names[:3],
        relationships=[f"{names[0]}/{names[1]}"],
        freeforms=["Slow Burn", "Found Family", "Epic", "Canon Divergence"],
        summary="Eleven winters at the lighthouse, told one night at a time.",
        notes="This story grew for three years. Thank you to everyone who read along.",
        expected_chapters=chapters,
    )
    per_chapter = words // chapters
    day = now - timedelta(days=3 * 365)
    with transaction.atomic():
        work = work_create(
            creator=author,
            data=data,
            post=True,
            now=day,
            chapter=_chapter(gen, names, per_chapter, "html", "Landfall"),
        )
    for start in range(2, chapters + 1, 10):
        with transaction.atomic():
            for _number in range(start, min(start + 10, chapters + 1)):
                day += timedelta(days=12)
                chapter_add(
                    work=work,
                    editor=author,
                    post=True,
                    now=min(day, now),
                    data=_chapter(gen, names, per_chapter, "html", gen.title()),
                )
        progress(f"long work chapters {min(start + 9, chapters)}/{chapters}")
    work.refresh_from_db()
    return work


def _add_feedback(gen: ProseGenerator, cast: Cast, progress: Progress) -> None:
    """Kudos, comment threads with creators' replies, and bookmarks, through the same
    services readers use, so counters and inboxes are what a real archive would have."""
    from fanfold.bookmarks.services import BookmarkFields, bookmark_create
    from fanfold.comments.services import CommentFields, comment_create
    from fanfold.kudos.services import kudos_give

    rng = gen.rng
    works = list(
        Work.objects.filter(posted=True, creatorships__pseud__user__in=cast.users)
        .distinct()
        .prefetch_related("creatorships__pseud", "chapters")
    )
    for start in range(0, len(works), 25):
        with transaction.atomic():
            for work in works[start : start + 25]:
                creators = {c.pseud.user_id for c in work.creatorships.all() if c.approved}
                readers = [u for u in cast.users if u.pk not in creators]
                fans = rng.sample(readers, rng.randint(0, min(12, len(readers))))
                for fan in fans:
                    kudos_give(work=work, user=fan)
                for n in range(0 if work.restricted else rng.randint(0, 6)):
                    kudos_give(work=work, user=None, guest_key=f"demo-guest-{n}")
                chapters = [c for c in work.chapters.all() if c.posted]
                if work.comment_permission != "everyone" or not chapters:
                    continue
                for fan in fans[: rng.randint(0, 3)]:
                    top = comment_create(
                        work=work,
                        user=fan,
                        chapter=rng.choice(chapters),
                        data=CommentFields(body=rng.choice(corpus.COMMENTS)),
                    )
                    if rng.random() < 0.6 and top.status == "published":
                        author = next(u for u in cast.users if u.pk in creators)
                        comment_create(
                            work=work,
                            user=author,
                            parent=top,
                            data=CommentFields(body=rng.choice(corpus.REPLIES)),
                        )
                for fan in fans[: rng.randint(0, 2)]:
                    bookmark_create(
                        user=fan,
                        work=work,
                        data=BookmarkFields(
                            notes=rng.choice(corpus.BOOKMARK_NOTES),
                            tags=rng.sample(corpus.BOOKMARK_TAGS, rng.randint(0, 3)),
                            rec=rng.random() < 0.3,
                            private=rng.random() < 0.15,
                        ),
                    )
        progress(f"feedback {min(start + 25, len(works))}/{len(works)}")


def _report(cast: Cast, started: float) -> DemoReport:
    works = Work.objects.filter(creatorships__pseud__user__in=cast.users).distinct()
    totals = works.aggregate(chapters=Sum("chapter_count"), words=Sum("word_count"))
    return DemoReport(
        users=len(cast.users),
        works=works.count(),
        chapters=totals["chapters"] or 0,
        words=totals["words"] or 0,
        seconds=time.perf_counter() - started,
    )
