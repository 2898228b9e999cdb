"""Challenges, stories and series."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from fanfold.challenges.models import Challenge
from fanfold.efiction.importer.base import ImporterBase
from fanfold.efiction.importer.convert import (
    as_date,
    as_int,
    id_list,
)
from fanfold.efiction.importer.writes import (
    TITLE_MAX,
    WORK_MERGED,
    insert_rows,
    row_of,
    upsert,
    work_fields,
)
from fanfold.efiction.models import Kind
from fanfold.markup import sanitize_html
from fanfold.markup.formats import render_text
from fanfold.markup.sanitize import Profile
from fanfold.tags.models import Tag, TagType, tag_key
from fanfold.works.models import (
    Approval,
    Creatorship,
    SerialWork,
    Series,
    SeriesState,
    Work,
    WorkTag,
)


class StoriesMixin(ImporterBase):
    """Part of `Importer` (run.py): challenges, stories, series and favourites."""

    # -- challenges ------------------------------------------------------------------------
    def _import_challenges(self, tag_ids: dict[tuple[str, int], int]) -> None:
        rows = self.tables["challenges"]
        challenges, fandoms, characters = [], [], []
        self.challenge_ids: set[int] = set()
        for row in rows:
            chalid = as_int(row.values.get("chalid"))
            summary = self.text(row, "summary", "challenges", chalid)
            pk = self.pk(Kind.CHALLENGE, chalid)
            uid = as_int(row.values.get("uid"))
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
            for catid in id_list(row.values.get("catid")):
                if ("category", catid) in tag_ids:
                    fandoms.append((pk, tag_ids[("category", catid)]))
            for charid in id_list(row.values.get("characters")):
                if ("character", charid) in tag_ids:
                    characters.append((pk, tag_ids[("character", charid)]))
        if not challenges:
            return
        challenges = self._claim(Kind.CHALLENGE, challenges)
        self.challenge_ids = {self.state.legacy_for(Kind.CHALLENGE, c.pk) for c in challenges}
        claimed = {c.pk for c in challenges}
        fandoms = [pair for pair in fandoms if pair[0] in claimed]
        characters = [pair for pair in characters if pair[0] in claimed]
        with transaction.atomic():
            self._written(Kind.CHALLENGE, challenges)
            upsert(
                Challenge,
                challenges,
                ["title", "summary", "summary_html", "owner_id", "challenger_name"],
            )
            pks = [c.pk for c in challenges]
            links: list[tuple[type[Model], list[tuple[int, int]]]] = [
                (Challenge.fandoms.through, fandoms),
                (Challenge.characters.through, characters),
            ]
            for through, pairs in links:
                through._default_manager.filter(challenge_id__in=pks).delete()
                through._default_manager.bulk_create(
                    [through(challenge_id=c, tag_id=t) for c, t in dict.fromkeys(pairs)]
                )
        self.report.imported["challenges"] += len(challenges)

    # -- stories ---------------------------------------------------------------------------
    def _import_stories(self, tag_ids: dict[tuple[str, int], int]) -> None:
        coauthors: dict[int, list[int]] = defaultdict(list)
        for row in self.tables["coauthors"]:
            coauthors[as_int(row.values.get("sid"))].append(as_int(row.values.get("uid")))
        no_warning = (
            Tag.objects.filter(key=tag_key("Creator Chose Not To Use Archive Warnings"))
            .values_list("pk", flat=True)
            .first()
        )
        warning_ids = set(Tag.objects.filter(type=TagType.WARNING).values_list("pk", flat=True))
        rows = self.tables["stories"]
        batch = self.options.batch_size
        done = 0
        for start in range(0, len(rows), batch):
            works, creators, tags = [], [], []
            for row in rows[start : start + batch]:
                built = self._guarded(
                    "stories",
                    row,
                    "sid",
                    self._story,
                    row,
                    tag_ids,
                    coauthors,
                    warning_ids,
                    no_warning,
                )
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
                # Only eFiction's facts are refreshed on a re-run; counters, comment
                # settings and staff decisions made here since are inserted once.
                self._count_kept_hits("works", Work, {w.pk: w.hits for w in works})
                upsert(Work, works, work_fields(), merged=WORK_MERGED)
                self._written(Kind.STORY, works)
                pks = [w.pk for w in works]
                Creatorship.objects.filter(work_id__in=pks).delete()
                insert_rows(Creatorship, [row_of(c, skip_pk=True) for c in creators])
                WorkTag.objects.filter(work_id__in=pks).delete()
                insert_rows(WorkTag, [row_of(t, skip_pk=True) for t in tags])
            done += len(works)
            self.progress("stories", min(start + batch, len(rows)), len(rows))
        self.report.imported["works"] += done

    def _story(self, row, tag_ids, coauthors, warning_ids, no_warning):
        """One eFiction story as a work, its creators and its tags."""
        sid = as_int(row.values.get("sid"))
        uid = as_int(row.values.get("uid"))
        if sid <= 0:
            self.report.skip("stories", sid, "no usable sid")
            return None
        if uid not in self.user_pk:
            self.report.skip("stories", sid, f"author uid {uid} does not exist")
            return None
        pk = self.pk(Kind.STORY, sid)
        title = self._story_title(row, sid)
        summary = self.text(row, "summary", "stories", sid)
        notes = self.text(row, "storynotes", "stories", sid)
        validated = as_int(row.values.get("validated"))
        published = as_date(row.values.get("date"))
        updated = as_date(row.values.get("updated")) or published
        published = published or updated
        rid = self._story_rating(row, sid)
        rating_tag = tag_ids.get(("rating", rid))
        challenge_ids = [
            c for c in id_list(row.values.get("challenges")) if c in self.challenge_ids
        ]
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
            complete=bool(as_int(row.values.get("completed"))),
            published_at=published,
            updated_at=updated,
            created_at=published or timezone.now(),
            edited_at=updated or timezone.now(),
            hits=max(0, as_int(row.values.get("count"))),
            hits_folded=max(0, as_int(row.values.get("count"))),
            featured=as_int(row.values.get("featured")) == 1,
            rating_id=rating_tag,
            challenge_id=self.pk(Kind.CHALLENGE, challenge_ids[0]) if challenge_ids else None,
        )
        if len(challenge_ids) > 1:
            self.report.skip(
                "stories.challenges", sid, "answers several challenges; linked to the first"
            )
        self.story_info[sid] = (pk, published, updated)
        self.story_validated[sid] = validated
        self.story_wordcount[sid] = as_int(row.values.get("wordcount"))
        creators = self._story_creators(pk, sid, uid, coauthors.get(sid, []))
        tag_pks = [
            *(tag_ids.get(("category", c), 0) for c in id_list(row.values.get("catid"))),
            *(tag_ids.get(("character", c), 0) for c in id_list(row.values.get("charid"))),
            *(tag_ids.get(("class", c), 0) for c in id_list(row.values.get("classes"))),
            rating_tag or 0,
        ]
        tag_pks = [t for t in dict.fromkeys(tag_pks) if t]
        # AO3's rule: every work carries an archive warning; eFiction's had none to give.
        if no_warning and not warning_ids.intersection(tag_pks):
            tag_pks.append(no_warning)
        return work, creators, [WorkTag(work_id=pk, tag_id=t) for t in tag_pks]

    def _story_title(self, row, sid: int) -> str:
        title = " ".join(self.plain(row, "title", "stories", sid).split()) or f"Untitled ({sid})"
        if len(title) > TITLE_MAX:
            self.report.skip("stories.title", sid, "title shortened to 255 characters")
        return title[:TITLE_MAX]

    def _story_rating(self, row, sid: int) -> int:
        """The eFiction rating id, also for "non-standard" archives that keep the
        rating's name in stories.rid; -1 for none."""
        raw = row.values.get("rid")
        rid = as_int(raw, -1)
        if rid < 0 and isinstance(raw, bytes) and raw.strip():
            name = self.decoder.plain(raw, what="stories.rid").strip()
            rid = self.rating_by_name.get(tag_key(name), -1)
            if rid < 0:
                self.report.skip("stories.rid", sid, f"unknown rating “{name}”; left unrated")
        return rid

    def _story_creators(self, pk: int, sid: int, uid: int, coauthors: list[int]) -> list:
        creators = [Creatorship(work_id=pk, pseud_id=self.pk(Kind.PSEUD, uid), approved=True)]
        for position, co in enumerate(dict.fromkeys(coauthors), start=1):
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
        return creators

    # -- series ----------------------------------------------------------------------------
    def _import_series(self) -> None:
        states = {0: SeriesState.CLOSED, 1: SeriesState.MODERATED, 2: SeriesState.OPEN}
        series_list = []
        known = set()
        for row in self.tables["series"]:
            seriesid = as_int(row.values.get("seriesid"))
            uid = as_int(row.values.get("uid"))
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
                    state=states.get(as_int(row.values.get("isopen")), SeriesState.CLOSED),
                )
            )
            known.add(seriesid)
        series_list = self._claim(Kind.SERIES, series_list)
        known = {self.state.legacy_for(Kind.SERIES, s.pk) for s in series_list}
        parts = []
        seen = set()
        for row in self.tables["inseries"]:
            seriesid = as_int(row.values.get("seriesid"))
            sid = as_int(row.values.get("sid"))
            if seriesid not in known:
                continue
            if as_int(row.values.get("subseriesid")) and not sid:
                self.report.skip(
                    "inseries",
                    f"{seriesid}/{as_int(row.values.get('subseriesid'))}",
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
                    position=max(1, as_int(row.values.get("inorder"), 1)),
                    approved=bool(as_int(row.values.get("confirmed"), 1)),
                )
            )
        # Readers see "Part N of": number the confirmed parts 1, 2, 3 in eFiction's order
        # (its inorder may have gaps, e.g. where a nested series sat); unconfirmed ones
        # wait at position 0 for the owner, as submissions in Fanfold do.
        by_series: dict[int, list[SerialWork]] = defaultdict(list)
        for part in parts:
            by_series[part.series_id].append(part)
        for series_parts in by_series.values():
            series_parts.sort(key=lambda p: (p.position, p.work_id))
            number = 0
            for part in series_parts:
                if part.approved:
                    number += 1
                    part.position = number
                else:
                    part.position = 0
        with transaction.atomic():
            self._written(Kind.SERIES, series_list)
            now = timezone.now()
            for s in series_list:
                s.created_at = s.updated_at = now
            upsert(Series, series_list, ["title", "summary", "summary_html", "owner_id", "state"])
            SerialWork.objects.filter(series_id__in=[s.pk for s in series_list]).delete()
            SerialWork.objects.bulk_create(parts)
        self.report.imported["series"] += len(series_list)
