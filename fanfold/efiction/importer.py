"""Bring an eFiction 3.5 archive into Fanfold.

Two passes over the source (a dump file or a live database):

1. every table except chapters and reviews (authors, stories, series, the tag tables, …;
   a few MB even for a large archive) is read and written: site texts, tags (through the
   mapping), users and pen names, challenges, works with their creators and tags,
   series, favourites;
2. chapters and reviews stream through in batches (they are the bulk of the dump), each
   batch one transaction.

Then the works' derived values (chapters, words, counters) are recomputed in SQL, the
search documents are written and every filter index is told to rebuild.

Every row gets a fixed primary key (eFiction id + a per-kind offset chosen on the first
run, see `models.EfictionImport`) and is written with an upsert, so re-running the
import updates rows instead of duplicating them, and a run killed at any point is
finished by running it again: each batch is atomic and the next run rewrites everything.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import multiprocessing
import os
import re
import signal
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fanfold.accounts.models import Pseud, User
from fanfold.archive.models import SiteSettings
from fanfold.bookmarks.models import Bookmark
from fanfold.challenges.models import Challenge
from fanfold.comments.models import PATH_WIDTH, Comment
from fanfold.efiction.decode import Decoder
from fanfold.efiction.hashers import encoded_from_legacy
from fanfold.efiction.mapping import (
    Entry,
    Legacy,
    default_mapping,
    read_mapping,
    write_mapping,
)
from fanfold.efiction.models import OFFSET_KINDS, EfictionImport, Kind, LegacyId
from fanfold.efiction.report import Report
from fanfold.efiction.source import Row, Source
from fanfold.markup import sanitize_html
from fanfold.markup.formats import render_text
from fanfold.markup.sanitize import Profile
from fanfold.markup.wordcount import count_words
from fanfold.subscriptions.models import Subscription
from fanfold.tags.models import Tag, TagType, tag_key
from fanfold.works.models import (
    Approval,
    Chapter,
    Creatorship,
    Language,
    SerialWork,
    Series,
    SeriesState,
    Work,
    WorkTag,
)

# The tables read in the first pass; chapters and reviews stream in the second.
FIRST_PASS = (
    "settings",
    "messages",
    "authors",
    "authorprefs",
    "authorfields",
    "authorinfo",
    "categories",
    "characters",
    "classtypes",
    "classes",
    "ratings",
    "challenges",
    "stories",
    "coauthors",
    "series",
    "inseries",
    "favorites",
)
SECOND_PASS = ("chapters", "reviews")
# Tables with nothing Fanfold can use, named in the report so nothing vanishes unsaid.
NOT_IMPORTED = {
    "news": "Fanfold has no news posts; the news items were not imported",
    "comments": "comments on news posts were not imported (Fanfold has no news)",
    "poll": "polls were not imported",
    "shoutbox": "shoutbox messages were not imported",
}

# Model fields by table, for the model's maximum lengths.
USERNAME_MAX = User._meta.get_field("username").max_length or 40
TITLE_MAX = Work._meta.get_field("title").max_length or 255

MODELS_BY_KIND: dict[str, type[models.Model]] = {
    Kind.AUTHOR: User,
    Kind.PSEUD: Pseud,
    Kind.STORY: Work,
    Kind.CHAPTER: Chapter,
    Kind.SERIES: Series,
    Kind.CHALLENGE: Challenge,
    Kind.REVIEW: Comment,
}

_RESPONSE = re.compile(
    r"(?:<br\s*/?>\s*){1,2}<i>\s*Author'?s Response:\s*(?P<text>.*?)\s*</i>\s*$",
    re.S | re.I,
)
_HAS_BREAKS = re.compile(r"<\s*(?:p|br)\b", re.I)
_BLOCK_TAG = re.compile(r"<\s*(?:div|h[1-6]|li|blockquote|pre|table|hr|center)\b", re.I)
_ZERO_DATE = re.compile(rb"^0000-00-00")


@dataclass
class Options:
    stories_dir: Path | None = None
    mapping: Path | None = None
    write_mapping: Path | None = None
    batch_size: int = 500
    # Worker processes preparing chapter text; 0 = one per CPU, 1 = none (in-process).
    jobs: int = 0
    # Test hook: the process kills itself (SIGKILL) after this many second-pass
    # batches, so a test can prove that a re-run completes an interrupted import.
    crash_after_batches: int | None = None


Progress = Callable[[str, int, int | None], None]


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


# --- chapter text, prepared in worker processes ---------------------------------------------


@dataclass(slots=True)
class ChapterJob:
    """What a worker needs to prepare one chapter (raw bytes; picklable)."""

    chapid: int
    sid: int
    title: bytes
    notes: bytes
    endnotes: bytes
    text: bytes | None  # None: read `path` (store=files)
    path: str | None
    stored_words: int
    position: int
    validated: bool
    reads: int


# job, title, source text, body html, words, notes, endnotes, problem (or "")
PreparedChapter = tuple[ChapterJob, str, str, str, int, str, str, str]
GuessDelta = tuple[Counter, dict]


def prepare_chapters(jobs: list[ChapterJob]) -> tuple[list[PreparedChapter], GuessDelta]:
    """Decode, clean and count a batch of chapters. Runs in a worker process: no
    database access here, only text."""
    decoder = Decoder()
    out: list[PreparedChapter] = []
    for job in jobs:
        where = f"chapters {job.chapid}"
        problem = ""
        if job.text is not None:
            text = decoder.text(job.text, what="chapters.storytext", where=where)
        elif job.path is not None:
            try:
                data = Path(job.path).read_bytes()
            except OSError as error:
                data, problem = b"", f"cannot read {job.path}: {error.strerror}"
            parts = Path(job.path).parts
            text = decoder.file(data, where="stories/" + "/".join(parts[-2:]))
        else:
            text = ""
        source = efiction_story_html(text)
        body_html = render_text(source, "html")
        out.append(
            (
                job,
                decoder.plain(job.title, what="chapters.title", where=where),
                source,
                str(body_html),
                count_words(body_html),
                decoder.text(job.notes, what="chapters.notes", where=where),
                decoder.text(job.endnotes, what="chapters.endnotes", where=where),
                problem,
            )
        )
    return out, (Counter(decoder.guesses), dict(decoder.examples))


class _Done:
    """A finished result with the interface of multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def ready(self) -> bool:
        return True

    def get(self):
        return self.value


# --- small conversions ------------------------------------------------------------------


def _bytes(value: object) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def _int(value: object, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(bytes(value).strip() or default)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def _ids(value: object) -> list[int]:
    """eFiction's comma-separated id lists ("3,12,", "-1", "")."""
    if value is None:
        return []
    if isinstance(value, int):
        return [value] if value > 0 else []
    out = []
    for part in bytes(value).split(b","):  # type: ignore[arg-type]
        part = part.strip()
        if part.lstrip(b"-").isdigit() and int(part) > 0:
            out.append(int(part))
    return list(dict.fromkeys(out))


def _date(value: object) -> dt.datetime | None:
    """eFiction 3.5 stores DATETIME (server local time, taken as UTC); 3.5.6+ stores
    Unix time. Zero dates mean "unknown"."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC) if value > 0 else None
    raw = bytes(value).strip()  # type: ignore[arg-type]
    if not raw or _ZERO_DATE.match(raw):
        return None
    if raw.isdigit():
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC) if int(raw) > 0 else None
    text = raw.decode("ascii", "replace")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None


def efiction_story_html(text: str) -> str:
    """eFiction showed text that has no <p> or <br> with its newlines as line breaks.

    Text with no block elements at all is left as it is: Fanfold's HTML cleaning turns
    it into paragraphs (blank lines) with line breaks (single newlines), which reads the
    same. Text with blocks (a <div>, a <blockquote>) but no breaks gets eFiction's rule
    literally, since cleaning would otherwise run its lines together.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HAS_BREAKS.search(text) or not _BLOCK_TAG.search(text):
        return text
    return text.replace("\n", "<br />\n")


def split_response(review_html: str) -> tuple[str, str]:
    """eFiction appends the author's reply inside the review; split it back out."""
    match = _RESPONSE.search(review_html)
    if not match:
        return review_html, ""
    return review_html[: match.start()].rstrip(), match.group("text").strip()


@contextmanager
def _explicit_dates(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk writes keep eFiction's dates in auto_now/auto_now_add fields."""
    changed = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _upsert(model: type[models.Model], objs: list, fields: Iterable[str]) -> None:
    """Insert or update by primary key, in one statement per batch."""
    if objs:
        model._default_manager.bulk_create(
            objs, update_conflicts=True, unique_fields=["pk"], update_fields=list(fields)
        )


def _fields(model: type[models.Model], *exclude: str) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in exclude and f.attname not in exclude
    ]


# --- the import ---------------------------------------------------------------------------


class Importer:
    def __init__(
        self,
        source: Source,
        options: Options | None = None,
        progress: Progress = _quiet,
        decoder: Decoder | None = None,
    ):
        self.source = source
        self.options = options or Options()
        self.progress = progress
        self.decoder = decoder or Decoder()
        self.report = Report()
        self.state: EfictionImport
        self.legacy = Legacy()
        self.tables: dict[str, list[Row]] = defaultdict(list)
        # Filled as the first pass is written, used by the second.
        self.user_pk: dict[int, int] = {}  # uid -> user pk (only authors that exist)
        self.story_info: dict[int, tuple[int, dt.datetime | None, dt.datetime | None]] = {}
        # sid -> eFiction's validated flag: 0 pending, 1 validated, 2 chapters auto-validated.
        self.story_validated: dict[int, int] = {}
        self.story_wordcount: dict[int, int] = {}
        self.settings: dict[str, object] = {}
        self.store_files = False
        self.file_index: dict[int, list[Path]] | None = None
        self.responses: list = []
        self.seen_max: dict[str, int] = {}
        self.max_at_start: dict[str, int] = {}

    # -- helpers -----------------------------------------------------------------------
    def pk(self, kind: str, legacy_id: int) -> int:
        return self.state.pk_for(kind, legacy_id)

    def text(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        return self.decoder.text(
            row.values.get(column), what=f"{table}.{column}", where=f"{table} {legacy_id}"
        )

    def plain(self, row: Row, column: str, table: str, legacy_id: object) -> str:
        return self.decoder.plain(
            row.values.get(column), what=f"{table}.{column}", where=f"{table} {legacy_id}"
        )

    # -- entry point -----------------------------------------------------------------------
    def run(self) -> Report:
        started = time.monotonic()
        self._read_first_pass()
        self.legacy = self._legacy_vocabulary()
        entries = default_mapping(self.legacy)
        if self.options.mapping:
            entries = read_mapping(self.options.mapping, entries)
        if self.options.write_mapping:
            write_mapping(entries, self.options.write_mapping)
            self.report.note(f"tag mapping written to {self.options.write_mapping}")
            self.report.seconds = time.monotonic() - started
            return self.report
        self.state = self._start()
        self._import_site_texts()
        tag_ids = self._import_tags(entries)
        self._import_authors()
        self._import_challenges(tag_ids)
        self._import_stories(tag_ids)
        self._import_series()
        self._import_favourites()
        self.tables.clear()  # the first pass's rows are written; free them
        self._second_pass()
        # Replies take fresh ids: move the id sequences past every imported id first.
        self._reset_sequences()
        for start in range(0, len(self.responses), self.options.batch_size):
            with transaction.atomic():
                self._write_responses(self.responses[start : start + self.options.batch_size])
        self._finish()
        self.report.seconds = time.monotonic() - started
        self.report.source_problems = list(self.source.problems)
        self.report.encodings = [
            (what, enc, n, self.decoder.examples.get((what, enc), ""))
            for (what, enc), n in sorted(self.decoder.guesses.items())
        ]
        high_water = dict(self.state.high_water)
        for kind, top in self.seen_max.items():
            high_water[kind] = max(int(high_water.get(kind, 0)), top)
        EfictionImport.objects.filter(pk=1).update(
            finished_at=timezone.now(), report=self.report.as_dict(), high_water=high_water
        )
        return self.report

    # -- first pass ---------------------------------------------------------------------
    def _read_first_pass(self) -> None:
        present = self.source.tables()
        for table, reason in NOT_IMPORTED.items():
            if table in present:
                self.report.note(reason)
        for row in self.source.rows(FIRST_PASS, progress=self._bytes_progress("reading")):
            self.tables[row.table].append(row)
            self.report.read[row.table] += 1

    def _bytes_progress(self, stage: str) -> Callable[[int], None]:
        total = self.source.total

        def report(done: int) -> None:
            self.progress(stage, done, total)

        return report

    def _legacy_vocabulary(self) -> Legacy:
        legacy = Legacy()
        for row in self.tables["categories"]:
            catid = _int(row.values.get("catid"))
            legacy.categories[catid] = (
                self.plain(row, "category", "categories", catid) or f"Category {catid}",
                _int(row.values.get("parentcatid"), -1),
                _int(row.values.get("displayorder")),
            )
        for row in self.tables["characters"]:
            charid = _int(row.values.get("charid"))
            legacy.characters[charid] = (
                self.plain(row, "charname", "characters", charid) or f"Character {charid}",
                _int(row.values.get("catid"), -1),
            )
        for row in self.tables["classtypes"]:
            type_id = _int(row.values.get("classtype_id"))
            legacy.classtypes[type_id] = self.plain(
                row, "classtype_title", "classtypes", type_id
            ) or self.plain(row, "classtype_name", "classtypes", type_id)
        for row in self.tables["classes"]:
            class_id = _int(row.values.get("class_id"))
            legacy.classes[class_id] = (
                self.plain(row, "class_name", "classes", class_id) or f"Class {class_id}",
                _int(row.values.get("class_type")),
            )
        for row in self.tables["ratings"]:
            rid = _int(row.values.get("rid"))
            legacy.ratings[rid] = (
                self.plain(row, "rating", "ratings", rid) or f"Rating {rid}",
                _int(row.values.get("ratingwarning")),
                self.text(row, "warningtext", "ratings", rid),
            )
        return legacy

    def _start(self) -> EfictionImport:
        """The import record, with the id offsets fixed on the first run."""
        with transaction.atomic():
            state = EfictionImport.objects.select_for_update().filter(pk=1).first()
            if state is None:
                offsets = {}
                for kind in OFFSET_KINDS:
                    model = MODELS_BY_KIND[kind]
                    top = model._default_manager.order_by("-pk").values_list("pk", flat=True)
                    offsets[kind] = int(top.first() or 0)
                state = EfictionImport.objects.create(
                    pk=1,
                    source=self.source.description[:500],
                    prefix=self.source.prefix,
                    offsets=offsets,
                    started_at=timezone.now(),
                )
                moved = {k: v for k, v in offsets.items() if v}
                if moved:
                    self.report.note(
                        "the archive already had content, so imported ids are shifted: "
                        + ", ".join(f"{k} +{v}" for k, v in moved.items())
                        + " (old eFiction links still work)"
                    )
            for kind in OFFSET_KINDS:
                top = MODELS_BY_KIND[kind]._default_manager.order_by("-pk")
                self.max_at_start[kind] = int(top.values_list("pk", flat=True).first() or 0)
            state.runs += 1
            state.source = self.source.description[:500]
            state.save(update_fields=["runs", "source"])
        return state

    # -- site texts ------------------------------------------------------------------------
    def _import_site_texts(self) -> None:
        site = SiteSettings.current()
        site = SiteSettings.objects.get(pk=site.pk)
        settings_rows = self.tables["settings"]
        if settings_rows:
            row = settings_rows[0]
            for column in ("store", "storiespath", "sitename", "slogan", "language"):
                self.settings[column] = self.plain(row, column, "settings", "")
            if self.settings.get("sitename"):
                site.site_name = str(self.settings["sitename"])[:100]
            if self.settings.get("slogan"):
                site.tagline = str(self.settings["slogan"])[:200]
        self.store_files = self.settings.get("store", "") == "files"
        # eFiction has one language per site (its language file, e.g. "en", "de").
        code = str(self.settings.get("language", "")).strip().lower()[:2]
        self.language = code if code in Language.values else Language.EN
        targets = {"copyright": "disclaimer", "rules": "rules", "tos": "terms"}
        targets["welcome"] = "welcome"
        for row in self.tables["messages"]:
            name = self.plain(row, "message_name", "messages", "")
            text = self.text(row, "message_text", "messages", name)
            if name in targets and text.strip():
                setattr(site, targets[name], text)
                self.report.imported["site texts"] += 1
        site.save()

    # -- tags ------------------------------------------------------------------------------
    def _import_tags(self, entries: list[Entry]) -> dict[tuple[str, int], int]:
        """Create or reuse the mapped tags; returns (kind, legacy id) -> tag id."""
        result: dict[tuple[str, int], int] = {}
        with transaction.atomic():
            existing = {
                t.key: t
                for t in Tag.objects.filter(key__in=[tag_key(e.name) for e in entries if e.name])
            }
            by_key: dict[str, Tag] = {}
            for order, entry in enumerate(entries, start=1):
                if entry.skipped:
                    self.report.skip(f"{entry.kind} (mapping)", entry.legacy_id, "mapped to skip")
                    continue
                key = tag_key(entry.name)
                tag = by_key.get(key) or existing.get(key)
                if tag is None:
                    tag = Tag(name=entry.name, type=entry.type, canonical=True)
                    if entry.kind == "rating":
                        tag.sort_order = 200 + order
                    tag.save()
                    self.report.imported["tags"] += 1
                elif tag.type != entry.type:
                    self.report.skip(
                        entry.kind,
                        entry.legacy_id,
                        f"“{entry.name}” already exists as a {tag.type} tag",
                    )
                    continue
                if entry.kind == "rating":
                    # Reused seeded ratings keep their own adult flag unless eFiction's is
                    # stricter: a consent rating must never become unguarded.
                    changed = False
                    if entry.adult and not tag.adult:
                        tag.adult, changed = True, True
                    if entry.warning_text and tag.warning_text != entry.warning_text:
                        tag.warning_text, changed = entry.warning_text, True
                    if changed:
                        tag.save()
                by_key[key] = tag
                result[(entry.kind, entry.legacy_id)] = tag.pk
            # Parents (fandom metatags of fandoms, fandoms of characters).
            for entry in entries:
                if entry.skipped or (entry.kind, entry.legacy_id) not in result:
                    continue
                tag = by_key[tag_key(entry.name)]
                for parent_name in entry.parents:
                    parent = (
                        by_key.get(tag_key(parent_name))
                        or Tag.objects.filter(key=tag_key(parent_name)).first()
                    )
                    if parent is None:
                        parent = Tag.objects.create(
                            name=parent_name, type=TagType.FANDOM, canonical=True
                        )
                        by_key[parent.key] = parent
                    if parent.pk != tag.pk:
                        tag.parents.add(parent)
            rows = [
                LegacyId(
                    kind=kind,
                    legacy_id=legacy_id,
                    object_id=tag_id,
                    group=self._legacy_group(kind, legacy_id),
                )
                for (kind, legacy_id), tag_id in result.items()
            ]
            LegacyId.objects.filter(kind__in=["rating", "category", "character", "class"]).delete()
            LegacyId.objects.bulk_create(rows)
        self.members_only_ratings = {
            rid for rid, (_n, bits, _w) in self.legacy.ratings.items() if bits & 4
        }
        self.members_only_ratings |= {
            e.legacy_id for e in entries if e.kind == "rating" and e.members_only
        }
        self.members_only_ratings -= {
            e.legacy_id for e in entries if e.kind == "rating" and not e.members_only
        }
        self.rating_by_name = {
            tag_key(name): rid for rid, (name, _b, _w) in self.legacy.ratings.items()
        }
        return result

    def _legacy_group(self, kind: str, legacy_id: int) -> str:
        if kind == "class":
            _name, type_id = self.legacy.classes[legacy_id]
            return self.legacy.classtypes.get(type_id, "")[:200]
        if kind == "rating":
            return self.legacy.ratings[legacy_id][0][:200]
        return ""

    # -- authors ---------------------------------------------------------------------------
    def _import_authors(self) -> None:
        prefs = {_int(r.values.get("uid")): r for r in self.tables["authorprefs"]}
        profile_fields = self._profile_fields()
        imported_pks = {
            self.pk(Kind.AUTHOR, _int(r.values.get("uid"))) for r in self.tables["authors"]
        }
        # Accounts that were not made by this import keep their names; an eFiction pen
        # name that collides with one gets a suffix (and the report says so).
        taken = {
            name.casefold(): pk
            for pk, name in User.objects.exclude(pk__in=imported_pks).values_list("pk", "username")
        }
        users, pseuds = [], []
        for row in self.tables["authors"]:
            uid = _int(row.values.get("uid"))
            if uid <= 0:
                self.report.skip("authors", uid, "no usable uid")
                continue
            penname = self.plain(row, "penname", "authors", uid).strip()
            if not penname:
                self.report.skip("authors", uid, "empty pen name")
                continue
            username = self._username(penname, uid, taken)
            pref = prefs.get(uid)
            level = _int(pref.values.get("level")) if pref else 0
            password = encoded_from_legacy(self.plain(row, "password", "authors", uid))
            bio = self.text(row, "bio", "authors", uid)
            extra = profile_fields.get(uid)
            if extra:
                bio = (bio + "\n" + extra).strip()
            email = self.plain(row, "email", "authors", uid).strip()
            if "@" not in email or len(email) > 254 or " " in email:
                if email:
                    self.report.skip("authors.email", uid, "not an e-mail address; left empty")
                email = ""
            pk = self.pk(Kind.AUTHOR, uid)
            users.append(
                User(
                    pk=pk,
                    username=username,
                    password=password or "!",  # "!" = no usable password
                    email=email,
                    email_verified=bool(email),
                    first_name=self.plain(row, "realname", "authors", uid)[:150],
                    bio=bio[:5000],
                    bio_html=render_text(bio[:5000], "html"),
                    date_joined=_date(row.values.get("date")) or timezone.now(),
                    is_staff=level >= 1,
                    is_superuser=level == 1,
                    is_active=level != -1,
                    trusted_author=bool(pref and _int(pref.values.get("validated"))),
                    view_adult=bool(pref and _int(pref.values.get("ageconsent"))),
                    comment_emails=bool(pref is None or _int(pref.values.get("newreviews"), 1)),
                )
            )
            if password is None:
                self.report.skip("authors.password", uid, "not an md5 hash; must reset password")
            pseuds.append(
                Pseud(
                    pk=self.pk(Kind.PSEUD, uid),
                    user_id=pk,
                    name=username,
                    is_default=True,
                    created_at=_date(row.values.get("date")) or timezone.now(),
                )
            )
        # Accounts made in Fanfold since the last run keep their ids (see _claim).
        claimed = {u.pk for u in self._claim(Kind.AUTHOR, users)}
        claimed_pseuds = {p.pk for p in self._claim(Kind.PSEUD, pseuds)}
        pairs = [
            (u, p)
            for u, p in zip(users, pseuds, strict=True)
            if u.pk in claimed and p.pk in claimed_pseuds
        ]
        users, pseuds = [u for u, _p in pairs], [p for _u, p in pairs]
        for user in users:
            self.user_pk[self.state.legacy_for(Kind.AUTHOR, user.pk)] = user.pk
        self._keep_changed_passwords(users)
        batch = self.options.batch_size
        with _explicit_dates(Pseud):
            for start in range(0, len(users), batch):
                with transaction.atomic():
                    _upsert(User, users[start : start + batch], _user_fields())
                    _upsert(Pseud, pseuds[start : start + batch], ["user_id", "name"])
                self.progress("authors", min(start + batch, len(users)), len(users))
        self.report.imported["users"] += len(users)

    def _keep_changed_passwords(self, users: list[User]) -> None:
        """On a re-run, a member who has logged in since (password re-hashed with
        Argon2) or changed their password keeps it: only untouched eFiction hashes are
        refreshed from the dump."""
        current = dict(
            User.objects.filter(pk__in=[u.pk for u in users]).values_list("pk", "password")
        )
        for user in users:
            stored = current.get(user.pk)
            if stored and not stored.startswith(("efiction_md5$", "!")):
                user.password = stored

    def _profile_fields(self) -> dict[int, str]:
        """eFiction's custom profile fields (website, etc.), added to the bio as text."""
        titles = {}
        for row in self.tables["authorfields"]:
            field_id = _int(row.values.get("field_id"))
            if _int(row.values.get("field_on"), 1):
                titles[field_id] = self.plain(row, "field_title", "authorfields", field_id)
        lines: dict[int, list[str]] = defaultdict(list)
        for row in self.tables["authorinfo"]:
            title = titles.get(_int(row.values.get("field")))
            info = self.plain(row, "info", "authorinfo", _int(row.values.get("uid"))).strip()
            if title and info:
                lines[_int(row.values.get("uid"))].append(
                    f"<p>{html_lib.escape(title)}: {html_lib.escape(info)}</p>"
                )
        return {uid: "\n".join(parts) for uid, parts in lines.items()}

    def _username(self, penname: str, uid: int, taken: dict[str, int]) -> str:
        name = penname.replace("/", "-")[:USERNAME_MAX]
        if name != penname:
            self.report.skip(
                "authors.penname", uid, "pen name shortened or '/' replaced for the login name"
            )
        base, n = name, 1
        while name.casefold() in taken and taken[name.casefold()] != self.pk(Kind.AUTHOR, uid):
            n += 1
            suffix = f" ({n})" if n > 2 else " (eFiction)"
            name = base[: USERNAME_MAX - len(suffix)] + suffix
        if name != penname.replace("/", "-")[:USERNAME_MAX]:
            self.report.skip("authors.penname", uid, f"pen name already taken; logs in as “{name}”")
        taken[name.casefold()] = self.pk(Kind.AUTHOR, uid)
        return name

    # -- challenges ------------------------------------------------------------------------
    def _import_challenges(self, tag_ids: dict[tuple[str, int], int]) -> None:
        rows = self.tables["challenges"]
        challenges, fandoms, characters = [], [], []
        self.challenge_ids: set[int] = set()
        for row in rows:
            chalid = _int(row.values.get("chalid"))
            summary = self.text(row, "summary", "challenges", chalid)
            pk = self.pk(Kind.CHALLENGE, chalid)
            uid = _int(row.values.get("uid"))
            challenges.append(
                Challenge(
                    pk=pk,
                    title=(self.plain(row, "title", "challenges", chalid) or f"Challenge {chalid}")[
                        :255
                    ],
                    summary=summary[:5000],
                    summary_html=sanitize_html(summary[:5000], Profile.WORK),
                    owner_id=self.user_pk.get(uid),
                    challenger_name=self.plain(row, "challenger", "challenges", chalid)[:200],
                )
            )
            self.challenge_ids.add(chalid)
            for catid in _ids(row.values.get("catid")):
                if ("category", catid) in tag_ids:
                    fandoms.append((pk, tag_ids[("category", catid)]))
            for charid in _ids(row.values.get("characters")):
                if ("character", charid) in tag_ids:
                    characters.append((pk, tag_ids[("character", charid)]))
        if not challenges:
            return
        challenges = self._claim(Kind.CHALLENGE, challenges)
        self.challenge_ids = {self.state.legacy_for(Kind.CHALLENGE, c.pk) for c in challenges}
        with transaction.atomic():
            _upsert(
                Challenge,
                challenges,
                ["title", "summary", "summary_html", "owner_id", "challenger_name"],
            )
            pks = [c.pk for c in challenges]
            for through, pairs in (
                (Challenge.fandoms.through, fandoms),
                (Challenge.characters.through, characters),
            ):
                through.objects.filter(challenge_id__in=pks).delete()
                through.objects.bulk_create(
                    [through(challenge_id=c, tag_id=t) for c, t in dict.fromkeys(pairs)]
                )
        self.report.imported["challenges"] += len(challenges)

    # -- stories ---------------------------------------------------------------------------
    def _import_stories(self, tag_ids: dict[tuple[str, int], int]) -> None:
        coauthors: dict[int, list[int]] = defaultdict(list)
        for row in self.tables["coauthors"]:
            coauthors[_int(row.values.get("sid"))].append(_int(row.values.get("uid")))
        no_warning = (
            Tag.objects.filter(key=tag_key("Creator Chose Not To Use Archive Warnings"))
            .values_list("pk", flat=True)
            .first()
        )
        warning_ids = set(Tag.objects.filter(type=TagType.WARNING).values_list("pk", flat=True))
        rows = self.tables["stories"]
        batch = self.options.batch_size
        done = 0
        with _explicit_dates(Work):
            for start in range(0, len(rows), batch):
                works, creators, tags = [], [], []
                for row in rows[start : start + batch]:
                    built = self._story(row, tag_ids, coauthors, warning_ids, no_warning)
                    if built is None:
                        continue
                    work, work_creators, work_tags = built
                    works.append(work)
                    creators += work_creators
                    tags += work_tags
                claimed = {w.pk for w in self._claim(Kind.STORY, works)}
                for work in works:
                    if work.pk not in claimed:
                        del self.story_info[self.state.legacy_for(Kind.STORY, work.pk)]
                works = [w for w in works if w.pk in claimed]
                creators = [c for c in creators if c.work_id in claimed]
                tags = [t for t in tags if t.work_id in claimed]
                with transaction.atomic():
                    _upsert(Work, works, _work_fields())
                    pks = [w.pk for w in works]
                    Creatorship.objects.filter(work_id__in=pks).delete()
                    Creatorship.objects.bulk_create(creators)
                    WorkTag.objects.filter(work_id__in=pks).delete()
                    WorkTag.objects.bulk_create(tags)
                done += len(works)
                self.progress("stories", min(start + batch, len(rows)), len(rows))
        self.report.imported["works"] += done

    def _story(self, row, tag_ids, coauthors, warning_ids, no_warning):
        sid = _int(row.values.get("sid"))
        uid = _int(row.values.get("uid"))
        if sid <= 0:
            self.report.skip("stories", sid, "no usable sid")
            return None
        if uid not in self.user_pk:
            self.report.skip("stories", sid, f"author uid {uid} does not exist")
            return None
        pk = self.pk(Kind.STORY, sid)
        title = " ".join(self.plain(row, "title", "stories", sid).split()) or f"Untitled ({sid})"
        if len(title) > TITLE_MAX:
            self.report.skip("stories.title", sid, "title shortened to 255 characters")
            title = title[:TITLE_MAX]
        summary = self.text(row, "summary", "stories", sid)
        notes = self.text(row, "storynotes", "stories", sid)
        validated = _int(row.values.get("validated"))
        published = _date(row.values.get("date"))
        updated = _date(row.values.get("updated")) or published
        published = published or updated
        rid_raw = row.values.get("rid")
        rid = _int(rid_raw, -1)
        if rid < 0 and isinstance(rid_raw, bytes) and rid_raw.strip():
            # "Non-standard" archives keep the rating's name in stories.rid.
            name = self.decoder.plain(rid_raw, what="stories.rid").strip()
            rid = self.rating_by_name.get(tag_key(name), -1)
            if rid < 0:
                self.report.skip("stories.rid", sid, f"unknown rating “{name}”; left unrated")
        rating_tag = tag_ids.get(("rating", rid))
        challenge_ids = [c for c in _ids(row.values.get("challenges")) if c in self.challenge_ids]
        work = Work(
            pk=pk,
            title=title,
            text_format="html",
            language=self.language,
            summary=summary,
            summary_html=render_text(summary, "html"),
            notes=notes,
            notes_html=render_text(notes, "html"),
            posted=True,
            approval=Approval.APPROVED if validated else Approval.PENDING,
            restricted=rid in self.members_only_ratings,
            complete=bool(_int(row.values.get("completed"))),
            published_at=published,
            updated_at=updated,
            created_at=published or timezone.now(),
            edited_at=updated or timezone.now(),
            hits=_int(row.values.get("count")),
            hits_folded=_int(row.values.get("count")),
            featured=_int(row.values.get("featured")) == 1,
            rating_id=rating_tag,
            challenge_id=self.pk(Kind.CHALLENGE, challenge_ids[0]) if challenge_ids else None,
        )
        if len(challenge_ids) > 1:
            self.report.skip(
                "stories.challenges", sid, "answers several challenges; linked to the first"
            )
        self.story_info[sid] = (pk, published, updated)
        self.story_validated[sid] = validated
        self.story_wordcount[sid] = _int(row.values.get("wordcount"))
        creators = [Creatorship(work_id=pk, pseud_id=self.pk(Kind.PSEUD, uid), approved=True)]
        for position, co in enumerate(dict.fromkeys(coauthors.get(sid, [])), start=1):
            if co == uid:
                continue
            if co not in self.user_pk:
                self.report.skip("coauthors", f"{sid}/{co}", "co-author does not exist")
                continue
            creators.append(
                Creatorship(
                    work_id=pk, pseud_id=self.pk(Kind.PSEUD, co), approved=True, position=position
                )
            )
        tag_pks: list[int] = []
        for catid in _ids(row.values.get("catid")):
            tag_pks.append(tag_ids.get(("category", catid), 0))
        for charid in _ids(row.values.get("charid")):
            tag_pks.append(tag_ids.get(("character", charid), 0))
        for class_id in _ids(row.values.get("classes")):
            tag_pks.append(tag_ids.get(("class", class_id), 0))
        if rating_tag:
            tag_pks.append(rating_tag)
        tag_pks = [t for t in dict.fromkeys(tag_pks) if t]
        if no_warning and not warning_ids.intersection(tag_pks):
            tag_pks.append(no_warning)
        tags = [WorkTag(work_id=pk, tag_id=t) for t in tag_pks]
        return work, creators, tags

    # -- series ----------------------------------------------------------------------------
    def _import_series(self) -> None:
        states = {0: SeriesState.CLOSED, 1: SeriesState.MODERATED, 2: SeriesState.OPEN}
        series_list = []
        known = set()
        for row in self.tables["series"]:
            seriesid = _int(row.values.get("seriesid"))
            uid = _int(row.values.get("uid"))
            if uid not in self.user_pk:
                self.report.skip("series", seriesid, f"owner uid {uid} does not exist")
                continue
            summary = self.text(row, "summary", "series", seriesid)
            series_list.append(
                Series(
                    pk=self.pk(Kind.SERIES, seriesid),
                    title=(self.plain(row, "title", "series", seriesid) or f"Series {seriesid}")[
                        :TITLE_MAX
                    ],
                    summary=summary[:1250],
                    summary_html=sanitize_html(summary[:1250], Profile.WORK),
                    owner_id=self.user_pk[uid],
                    state=states.get(_int(row.values.get("isopen")), SeriesState.CLOSED),
                )
            )
            known.add(seriesid)
        series_list = self._claim(Kind.SERIES, series_list)
        known = {self.state.legacy_for(Kind.SERIES, s.pk) for s in series_list}
        parts = []
        seen = set()
        for row in self.tables["inseries"]:
            seriesid = _int(row.values.get("seriesid"))
            sid = _int(row.values.get("sid"))
            if seriesid not in known:
                continue
            if _int(row.values.get("subseriesid")) and not sid:
                self.report.skip(
                    "inseries",
                    f"{seriesid}/{_int(row.values.get('subseriesid'))}",
                    "series inside a series: Fanfold has no nested series; the inner "
                    "series is kept on its own",
                )
                continue
            if sid not in self.story_info or (seriesid, sid) in seen:
                continue
            seen.add((seriesid, sid))
            parts.append(
                SerialWork(
                    series_id=self.pk(Kind.SERIES, seriesid),
                    work_id=self.story_info[sid][0],
                    position=_int(row.values.get("inorder"), 1) or 1,
                    approved=bool(_int(row.values.get("confirmed"), 1)),
                )
            )
        with transaction.atomic(), _explicit_dates(Series):
            now = timezone.now()
            for s in series_list:
                s.created_at = s.updated_at = now
            _upsert(Series, series_list, ["title", "summary", "summary_html", "owner_id", "state"])
            SerialWork.objects.filter(series_id__in=[s.pk for s in series_list]).delete()
            SerialWork.objects.bulk_create(parts)
        self.report.imported["series"] += len(series_list)

    # -- favourites ------------------------------------------------------------------------
    def _import_favourites(self) -> None:
        series_pks = set(
            Series.objects.filter(
                pk__in=[
                    self.pk(Kind.SERIES, _int(r.values.get("item")))
                    for r in self.tables["favorites"]
                ]
            ).values_list("pk", flat=True)
        )
        bookmarks: dict[tuple[int, str, int], Bookmark] = {}
        subscriptions = []
        for row in self.tables["favorites"]:
            uid = _int(row.values.get("uid"))
            item = _int(row.values.get("item"))
            kind = self.plain(row, "type", "favorites", item).upper()
            where = f"{uid}/{kind}/{item}"
            if uid not in self.user_pk:
                self.report.skip("favorites", where, "member does not exist")
                continue
            user_pk = self.user_pk[uid]
            notes = self.text(row, "comments", "favorites", where)
            if kind == "ST":
                if item not in self.story_info:
                    self.report.skip("favorites", where, "story does not exist")
                    continue
                target = ("work", self.story_info[item][0])
            elif kind == "SE":
                if self.pk(Kind.SERIES, item) not in series_pks:
                    self.report.skip("favorites", where, "series does not exist")
                    continue
                target = ("series", self.pk(Kind.SERIES, item))
            elif kind == "AU":
                if item not in self.user_pk or item == uid:
                    self.report.skip("favorites", where, "author does not exist")
                    continue
                subscriptions.append(Subscription(user_id=user_pk, creator_id=self.user_pk[item]))
                continue
            else:
                self.report.skip("favorites", where, f"unknown favourite type “{kind}”")
                continue
            bookmarks[(user_pk, *target)] = Bookmark(
                user_id=user_pk,
                pseud_id=self.pk(Kind.PSEUD, uid),
                notes=notes[:5000],
                notes_html=sanitize_html(notes[:5000], Profile.WORK),
                **{f"{target[0]}_id": target[1]},
            )
        with transaction.atomic():
            users = {key[0] for key in bookmarks}
            existing = {
                (b.user_id, "work" if b.work_id else "series", b.work_id or b.series_id): b
                for b in Bookmark.objects.filter(user_id__in=users)
            }
            new, changed = [], []
            for key, bookmark in bookmarks.items():
                old = existing.get(key)
                if old is None:
                    new.append(bookmark)
                elif old.notes != bookmark.notes:
                    old.notes, old.notes_html = bookmark.notes, bookmark.notes_html
                    changed.append(old)
            Bookmark.objects.bulk_create(new)
            Bookmark.objects.bulk_update(changed, ["notes", "notes_html"])
            Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
        self.report.imported["bookmarks"] += len(bookmarks)
        self.report.imported["subscriptions"] += len(subscriptions)

    # -- second pass: chapters and reviews ---------------------------------------------------
    def _second_pass(self) -> None:
        """Chapters go through worker processes (decoding, cleaning and counting 10 KB
        of HTML is the import's main cost) with a bounded number of batches in flight,
        so memory stays flat; the main process reads the source and writes in order."""
        self.known_chapters: dict[int, int] = {}  # chapid -> sid, for reviews
        if self.store_files:
            self._index_story_files()
        jobs = self.options.jobs or os.cpu_count() or 1
        if connection.in_atomic_block:
            # Called inside a transaction (tests, or a caller's atomic block): forking
            # needs the connection closed, which would end that transaction.
            jobs = 1
        pool = None
        if jobs > 1:
            # Forked workers must not inherit open database connections.
            connections.close_all()
            pool = multiprocessing.get_context("fork").Pool(jobs)
        in_flight: deque = deque()
        chapters: list[ChapterJob] = []
        reviews: list[Row] = []
        written = 0

        def write_ready(block: bool) -> None:
            nonlocal written
            while in_flight and (block or in_flight[0].ready() or len(in_flight) > 2 * jobs):
                results, guesses = in_flight.popleft().get()
                self._write_chapters(results, guesses)
                written += 1
                crash = self.options.crash_after_batches
                if crash and written >= crash:
                    os.kill(os.getpid(), signal.SIGKILL)

        def submit() -> None:
            batch = list(chapters)
            chapters.clear()
            if pool is None:
                in_flight.append(_Done(prepare_chapters(batch)))
            else:
                in_flight.append(pool.apply_async(prepare_chapters, (batch,)))
            write_ready(block=False)

        try:
            for row in self.source.rows(SECOND_PASS, progress=self._bytes_progress("chapters")):
                self.report.read[row.table] += 1
                if row.table == "chapters":
                    job = self._chapter_job(row)
                    if job is not None:
                        chapters.append(job)
                        if len(chapters) >= self.options.batch_size:
                            submit()
                else:
                    reviews.append(row)
                    if len(reviews) >= self.options.batch_size:
                        # A review may point at a chapter still being prepared.
                        if chapters:
                            submit()
                        write_ready(block=True)
                        self._write_reviews(reviews)
                        reviews.clear()
            if chapters:
                submit()
            write_ready(block=True)
            if reviews:
                self._write_reviews(reviews)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()

    def _index_story_files(self) -> None:
        base = self.options.stories_dir
        if base is None:
            self.report.note(
                "the archive kept chapter text in files (store=files) but no --stories-dir "
                "was given: chapters were imported without their text"
            )
            return
        index: dict[int, list[Path]] = defaultdict(list)
        for path in sorted(base.glob("*/*.txt")):
            if path.stem.isdigit():
                index[int(path.stem)].append(path)
        self.file_index = index
        self.files_used: set[Path] = set()

    def _chapter_file(self, chapid: int, uid: int) -> Path | None:
        """stories/<chapter uid>/<chapid>.txt, or the same name in another folder (real
        archives have files filed under a co-author)."""
        if self.file_index is None:
            return None
        base = self.options.stories_dir
        assert base is not None
        path = base / str(uid) / f"{chapid}.txt"
        candidates = self.file_index.get(chapid, [])
        if path not in candidates:
            if not candidates:
                self.report.skip(
                    "chapters", chapid, f"text file stories/{uid}/{chapid}.txt is missing"
                )
                return None
            path = candidates[0]
            self.report.skip(
                "chapters.file",
                chapid,
                f"text found in another folder ({path.parent.name}/{path.name})",
            )
        self.files_used.add(path)
        return path

    def _chapter_job(self, row: Row) -> ChapterJob | None:
        values = row.values
        chapid = _int(values.get("chapid"))
        sid = _int(values.get("sid"))
        if sid not in self.story_info:
            self.report.skip("chapters", chapid, f"story {sid} was not imported")
            return None
        self.known_chapters[chapid] = sid
        path = None
        if self.store_files:
            path = self._chapter_file(chapid, _int(values.get("uid")))
        return ChapterJob(
            chapid=chapid,
            sid=sid,
            title=_bytes(values.get("title")),
            notes=_bytes(values.get("notes")),
            endnotes=_bytes(values.get("endnotes")),
            text=None if self.store_files else _bytes(values.get("storytext")),
            path=str(path) if path else None,
            stored_words=_int(values.get("wordcount")),
            position=_int(values.get("inorder"), 1) or 1,
            # A pending story's chapters wait with it (approving the work shows them);
            # in a validated story an unvalidated chapter is a draft for its author, as
            # eFiction only ever showed validated chapters.
            validated=bool(_int(values.get("validated"), 1) or self.story_validated.get(sid) == 0),
            reads=_int(values.get("count")),
        )

    def _write_chapters(self, results: list[PreparedChapter], guesses: GuessDelta) -> None:
        for key, count in guesses[0].items():
            self.decoder.guesses[key] += count
            self.decoder.examples.setdefault(key, guesses[1].get(key, ""))
        wc = self.report.word_counts
        chapters = []
        for job, title, source, body_html, words, notes, endnotes, problem in results:
            if problem:
                self.report.skip("chapters", job.chapid, problem)
            work_pk, published, updated = self.story_info[job.sid]
            wc["chapters_checked"] += 1
            if job.stored_words != words:
                wc["chapters_differing"] += 1
            chapters.append(
                Chapter(
                    pk=self.pk(Kind.CHAPTER, job.chapid),
                    work_id=work_pk,
                    position=job.position,
                    title=title[:TITLE_MAX],
                    body=source,
                    body_html=body_html,
                    word_count=words,
                    notes=notes,
                    notes_html=render_text(notes, "html"),
                    endnotes=endnotes,
                    endnotes_html=render_text(endnotes, "html"),
                    posted=job.validated,
                    published_at=published if job.position == 1 else updated,
                    created_at=published or timezone.now(),
                    edited_at=updated or timezone.now(),
                    hits=job.reads,
                )
            )
        chapters = self._claim(Kind.CHAPTER, chapters)
        with _explicit_dates(Chapter), transaction.atomic():
            _upsert(Chapter, chapters, _fields(Chapter))
        self.report.imported["chapters"] += len(chapters)

    def _write_reviews(self, rows: list[Row]) -> None:
        comments, responses = [], []
        for row in rows:
            reviewid = _int(row.values.get("reviewid"))
            kind = self.plain(row, "type", "reviews", reviewid).upper() or "ST"
            item = _int(row.values.get("item"))
            if kind != "ST":
                self.report.skip(
                    "reviews", reviewid, "review of a series (Fanfold comments are on works)"
                )
                continue
            if item not in self.story_info:
                self.report.skip("reviews", reviewid, f"story {item} was not imported")
                continue
            body = self.text(row, "review", "reviews", reviewid).strip()
            if body == "No Review" or not body:
                self.report.skip("reviews", reviewid, "a score without a review")
                continue
            body, response = split_response(body)
            work_pk = self.story_info[item][0]
            chapid = _int(row.values.get("chapid"))
            chapter_pk = (
                self.pk(Kind.CHAPTER, chapid) if self.known_chapters.get(chapid) == item else None
            )
            uid = _int(row.values.get("uid"))
            member = uid in self.user_pk
            pk = self.pk(Kind.REVIEW, reviewid)
            created = _date(row.values.get("date")) or self.story_info[item][2] or timezone.now()
            own = str(pk).zfill(PATH_WIDTH)
            comments.append(
                Comment(
                    pk=pk,
                    work_id=work_pk,
                    chapter_id=chapter_pk,
                    thread_id=pk,
                    depth=0,
                    path=own,
                    user_id=self.user_pk[uid] if member else None,
                    pseud_id=self.pk(Kind.PSEUD, uid) if member else None,
                    guest_name=""
                    if member
                    else (self.plain(row, "reviewer", "reviews", reviewid) or "Anonymous")[:60],
                    body=body,
                    body_html=render_text(efiction_story_html(body), "html", Profile.COMMENT),
                    created_at=created,
                )
            )
            if response:
                responses.append((reviewid, pk, work_pk, chapter_pk, response, created))
        with _explicit_dates(Comment), transaction.atomic():
            self._move_replies_out_of_the_way([c.pk for c in comments])
            comments = self._claim(Kind.REVIEW, comments)
            _upsert(
                Comment,
                comments,
                _fields(Comment, "by_creator", "status", "hidden_by_admin", "deleted", "edited_at"),
            )
        claimed = {c.pk for c in comments}
        # Replies are written after every review, once the id sequence is past them.
        self.responses += [r for r in responses if r[1] in claimed]
        self.report.imported["comments"] += len(comments)

    def _move_replies_out_of_the_way(self, pks: list[int]) -> None:
        """A reply made by an earlier run from a response got the next free id; if a
        newer dump has a review with that id, the reply is removed here and written
        again (with a new id) after the reviews."""
        moved = LegacyId.objects.filter(kind=Kind.RESPONSE, object_id__in=pks)
        ids = list(moved.values_list("object_id", flat=True))
        if ids:
            Comment.objects.filter(pk__in=ids, by_creator=True, depth=1).delete()
            moved.delete()

    def _claim(self, kind: str, objs: list) -> list:
        """The rows this run may write. An eFiction id above what earlier runs imported
        whose Fanfold id is already taken belongs to something made in Fanfold since
        (a member who signed up, a new work or comment): it is kept, and the eFiction
        row is reported instead of overwriting it."""
        offset = int(self.state.offsets.get(kind, 0))
        low = offset + int(self.state.high_water.get(kind, 0))
        high = self.max_at_start[kind]
        suspects = [o.pk for o in objs if low < o.pk <= high]
        taken: set[int] = set()
        if suspects:
            model = MODELS_BY_KIND[kind]
            taken = set(model._default_manager.filter(pk__in=suspects).values_list("pk", flat=True))
        kept = []
        for obj in objs:
            legacy = obj.pk - offset
            if obj.pk in taken:
                self.report.skip(
                    kind,
                    legacy,
                    "its id is used by something made in Fanfold since the last import",
                )
                continue
            self.seen_max[kind] = max(self.seen_max.get(kind, 0), legacy)
            kept.append(obj)
        return kept

    def _write_responses(self, responses: list) -> None:
        """The author's response becomes a reply by the work's first creator."""
        if not responses:
            return
        existing = dict(
            LegacyId.objects.filter(
                kind=Kind.RESPONSE, legacy_id__in=[r[0] for r in responses]
            ).values_list("legacy_id", "object_id")
        )
        first_creator = dict(
            Creatorship.objects.filter(
                work_id__in={r[2] for r in responses}, position=0
            ).values_list("work_id", "pseud_id")
        )
        pseud_user = dict(
            Pseud.objects.filter(pk__in=set(first_creator.values())).values_list("pk", "user_id")
        )
        for reviewid, parent_pk, work_pk, chapter_pk, text, created in responses:
            pseud_pk = first_creator.get(work_pk)
            fields = {
                "work_id": work_pk,
                "chapter_id": chapter_pk,
                "parent_id": parent_pk,
                "thread_id": parent_pk,
                "depth": 1,
                "user_id": pseud_user.get(pseud_pk),
                "pseud_id": pseud_pk,
                "body": text,
                "body_html": render_text(efiction_story_html(text), "html", Profile.COMMENT),
                "by_creator": True,
                "created_at": created,
            }
            pk = existing.get(reviewid)
            if pk and Comment.objects.filter(pk=pk).update(**fields):
                continue
            reply = Comment.objects.create(**fields)
            reply.path = f"{str(parent_pk).zfill(PATH_WIDTH)}/{str(reply.pk).zfill(PATH_WIDTH)}"
            reply.save(update_fields=["path"])
            LegacyId.objects.update_or_create(
                kind=Kind.RESPONSE, legacy_id=reviewid, defaults={"object_id": reply.pk}
            )
        self.report.imported["review responses"] += len(responses)

    # -- finishing ---------------------------------------------------------------------------
    def _finish(self) -> None:
        if self.store_files and self.file_index is not None:
            unused = [
                p for paths in self.file_index.values() for p in paths if p not in self.files_used
            ]
            for path in unused[:20]:
                self.report.skip(
                    "stories folder",
                    f"{path.parent.name}/{path.name}",
                    "file belongs to no chapter",
                )
            if len(unused) > 20:
                self.report.note(
                    f"{len(unused):,} files in the stories folder belong to no chapter"
                )
        work_pks = [info[0] for info in self.story_info.values()]
        self.progress("finishing", 0, None)
        with transaction.atomic():
            self._recount(work_pks)
        self._compare_word_counts()
        self._reset_sequences()
        self._index_text(work_pks)
        from fanfold.filters.services import filter_index_rebuild_all

        filter_index_rebuild_all()
        SiteSettings.objects.get(pk=1).save()  # bump the version: cached pages are stale

    def _recount(self, work_pks: list[int]) -> None:
        chapters = Chapter.objects.filter(work=OuterRef("pk"), posted=True).order_by()
        chapter_count = chapters.values("work").annotate(n=Count("pk")).values("n")
        word_count = chapters.values("work").annotate(n=Sum("word_count")).values("n")
        comments = Comment.objects.counted().filter(work=OuterRef("pk")).order_by()
        comment_count = comments.values("work").annotate(n=Count("pk")).values("n")
        bookmarks = Bookmark.objects.filter(work=OuterRef("pk")).order_by()
        bookmark_count = bookmarks.values("work").annotate(n=Count("pk")).values("n")
        zero = Value(0)
        for start in range(0, len(work_pks), 2000):
            chunk = work_pks[start : start + 2000]
            Work.objects.filter(pk__in=chunk).update(
                chapter_count=Coalesce(Subquery(chapter_count), zero),
                word_count=Coalesce(Subquery(word_count), zero),
                comment_count=Coalesce(Subquery(comment_count), zero),
                bookmark_count=Coalesce(Subquery(bookmark_count), zero),
                render_version=models.F("render_version") + 1,
            )
        # eFiction's "completed" means the chapters posted are all there will be.
        Work.objects.filter(pk__in=work_pks, complete=True).update(
            expected_chapters=models.F("chapter_count")
        )
        Work.objects.filter(pk__in=work_pks, complete=False).update(expected_chapters=None)
        empty = list(
            Work.objects.filter(pk__in=work_pks, chapter_count=0).values_list("pk", flat=True)
        )
        if empty:
            # A story with no readable chapter cannot be shown; its author keeps it as a
            # draft to finish or delete.
            Work.objects.filter(pk__in=empty).update(posted=False)
            for pk in empty:
                self.report.skip(
                    "stories", self.state.legacy_for(Kind.STORY, pk), "no chapters; kept as a draft"
                )

    def _compare_word_counts(self) -> None:
        wc = self.report.word_counts
        words = dict(
            Work.objects.filter(pk__in=[i[0] for i in self.story_info.values()]).values_list(
                "pk", "word_count"
            )
        )
        for sid, (pk, _p, _u) in self.story_info.items():
            stored = self.story_wordcount.get(sid, 0)
            counted = words.get(pk, 0)
            wc["stories_checked"] += 1
            wc["efiction_total"] += stored
            wc["fanfold_total"] += counted
            if stored != counted:
                wc["stories_differing"] += 1
                self.report.word_count_difference(f"story {sid}", stored, counted)

    def _reset_sequences(self) -> None:
        """PostgreSQL's id sequences do not follow explicit ids; move them past them."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS_BY_KIND.values()))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def _index_text(self, work_pks: list[int]) -> None:
        from fanfold.filters.search import search_documents_update

        step = 100
        for start in range(0, len(work_pks), step):
            with transaction.atomic():
                search_documents_update(work_ids=work_pks[start : start + step])
            self.progress("search index", min(start + step, len(work_pks)), len(work_pks))


def _user_fields() -> list[str]:
    return [
        "username",
        "password",
        "email",
        "email_verified",
        "first_name",
        "bio",
        "bio_html",
        "date_joined",
        "is_staff",
        "is_superuser",
        "is_active",
        "trusted_author",
        "view_adult",
        "comment_emails",
    ]


def _work_fields() -> list[str]:
    return [
        "title",
        "text_format",
        "language",
        "summary",
        "summary_html",
        "notes",
        "notes_html",
        "posted",
        "approval",
        "restricted",
        "complete",
        "published_at",
        "updated_at",
        "created_at",
        "edited_at",
        "hits",
        "hits_folded",
        "featured",
        "rating_id",
        "challenge_id",
    ]
