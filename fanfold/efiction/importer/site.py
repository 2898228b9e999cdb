"""Site texts and the tag vocabulary."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from fanfold.archive.models import SiteSettings
from fanfold.efiction.importer.base import ImporterBase
from fanfold.efiction.importer.convert import (
    as_int,
    efiction_story_html,
    php_date_format,
)
from fanfold.efiction.importer.run_constants import MOVED_MESSAGES
from fanfold.efiction.languages import language_code
from fanfold.efiction.mapping import (
    Entry,
    Legacy,
)
from fanfold.efiction.models import EfictionImport, LegacyId
from fanfold.tags.models import Tag, TagType, tag_key
from fanfold.tags.services import DESCRIPTION_MAX, tag_set_description
from fanfold.works.models import (
    Language,
)


class SiteMixin(ImporterBase):
    """Part of `Importer` (run.py): site texts and the tag vocabulary."""

    def _legacy_vocabulary(self) -> Legacy:
        legacy = Legacy()
        for row in self.tables["categories"]:
            catid = as_int(row.values.get("catid"))
            legacy.categories[catid] = (
                self.plain(row, "category", "categories", catid) or f"Category {catid}",
                as_int(row.values.get("parentcatid"), -1),
                as_int(row.values.get("displayorder")),
            )
        for row in self.tables["characters"]:
            charid = as_int(row.values.get("charid"))
            legacy.characters[charid] = (
                self.plain(row, "charname", "characters", charid) or f"Character {charid}",
                as_int(row.values.get("catid"), -1),
            )
        for row in self.tables["classtypes"]:
            type_id = as_int(row.values.get("classtype_id"))
            legacy.classtypes[type_id] = self.plain(
                row, "classtype_title", "classtypes", type_id
            ) or self.plain(row, "classtype_name", "classtypes", type_id)
        for row in self.tables["classes"]:
            class_id = as_int(row.values.get("class_id"))
            legacy.classes[class_id] = (
                self.plain(row, "class_name", "classes", class_id) or f"Class {class_id}",
                as_int(row.values.get("class_type")),
            )
        for row in self.tables["ratings"]:
            rid = as_int(row.values.get("rid"))
            legacy.ratings[rid] = (
                self.plain(row, "rating", "ratings", rid) or f"Rating {rid}",
                as_int(row.values.get("ratingwarning")),
                self.text(row, "warningtext", "ratings", rid),
            )
        return legacy

    # -- site texts ------------------------------------------------------------------------
    def _import_site_texts(self) -> None:
        site = SiteSettings.current()
        site = SiteSettings.objects.get(pk=site.pk)
        settings_rows = self.tables["settings"]
        if settings_rows:
            row = settings_rows[0]
            for column in ("store", "storiespath", "sitename", "slogan", "language", "dateformat"):
                self.settings[column] = self.plain(row, column, "settings", "")
            if self.settings.get("sitename"):
                site.site_name = str(self.settings["sitename"])[:100]
            if self.settings.get("slogan"):
                site.tagline = str(self.settings["slogan"])[:200]
        self.store_files = self.settings.get("store", "") == "files"
        date_format = php_date_format(str(self.settings.get("dateformat", "")))
        if date_format != self.state.date_format:
            self.state.date_format = date_format
            EfictionImport.objects.filter(pk=1).update(date_format=date_format)
        # eFiction has one language per site (its language file, e.g. "en", "de").
        code = language_code(str(self.settings.get("language", "")))
        self.language = code if code in Language.values else Language.EN
        self._set_interface_language(site, code)
        for row in self.tables["messages"]:
            name = self.plain(row, "message_name", "messages", "")
            text = self.text(row, "message_text", "messages", name)
            if name in MOVED_MESSAGES and text.strip():
                setattr(site, MOVED_MESSAGES[name], text)
                self.report.imported["site texts"] += 1
        site.save()

    def _set_interface_language(self, site: SiteSettings, code: str) -> None:
        """The archive's own language becomes the site's default interface language when
        Fanfold ships it; otherwise the report says which language stays."""
        if not code:
            return
        shipped = {language for language, _ in settings.LANGUAGES}
        if code in shipped:
            site.default_language = code
            self.report.note(
                f"The site's default interface language is now {code!r}, as on eFiction."
            )
        else:
            self.report.note(
                f"eFiction's interface language {code!r} is not one Fanfold ships "
                f"({', '.join(sorted(shipped))}); the site's default stays "
                f'{site.default_language!r} (README, "Languages", says how to add one).'
            )

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
        self._describe_tags(result)
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

    def _describe_tags(self, tag_ids: dict[tuple[str, int], int]) -> None:
        """Category descriptions and character bios become their tags' descriptions. A
        tag that has one already (written in Fanfold, or by an earlier run) keeps it."""
        texts: dict[int, str] = {}
        for kind, table, id_column, column in (
            ("category", "categories", "catid", "description"),
            ("character", "characters", "charid", "bio"),
        ):
            for row in self.tables[table]:
                legacy_id = as_int(row.values.get(id_column))
                text = self.text(row, column, table, legacy_id).strip()
                tag_pk = tag_ids.get((kind, legacy_id))
                if text and tag_pk and tag_pk not in texts:
                    texts[tag_pk] = efiction_story_html(text)[:DESCRIPTION_MAX]
        for tag in Tag.objects.filter(pk__in=list(texts), description=""):
            tag_set_description(tag=tag, description=texts[tag.pk])
            self.report.imported["tag descriptions"] += 1

    def _legacy_group(self, kind: str, legacy_id: int) -> str:
        if kind == "class":
            _name, type_id = self.legacy.classes[legacy_id]
            return self.legacy.classtypes.get(type_id, "")[:200]
        if kind == "rating":
            return self.legacy.ratings[legacy_id][0][:200]
        return ""
