"""Importing the fixture archives (see fixtures/README.md for what each one holds)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fanfold.accounts.models import User
from fanfold.archive.models import SiteSettings
from fanfold.bookmarks.models import Bookmark
from fanfold.challenges.models import Challenge
from fanfold.comments.models import Comment
from fanfold.efiction.models import EfictionImport, LegacyId
from fanfold.staff.permissions import has_perm, roles_of
from fanfold.staff.roles import Role
from fanfold.subscriptions.models import Subscription
from fanfold.tags.models import Tag
from fanfold.works.models import Approval, Chapter, SerialWork, Series, SeriesState, Work

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def run(dump: str, *args: str, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_efiction", str(FIXTURES / dump), *args, jobs=1, stdout=out, stderr=err, **options
    )
    return out.getvalue()


def work(sid: int) -> Work:
    return Work.objects.get(pk=EfictionImport.objects.get().pk_for("story", sid))


def user(uid: int) -> User:
    return User.objects.get(pk=EfictionImport.objects.get().pk_for("author", uid))


def tag_names(w: Work, tag_type: str) -> set[str]:
    return {t.name for t in w.tags.filter(type=tag_type)}


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.fixture
def full():
    return run("full/dump.sql")


def test_stories_become_works_with_their_facts(full):
    lantern = work(1)
    assert lantern.title == "The Lantern Road"
    assert lantern.featured and lantern.complete
    assert (lantern.chapter_count, lantern.expected_chapters) == (4, 4)
    assert lantern.hits == 154
    assert lantern.published_at == utc(2006, 1, 5, 10, 0)
    assert lantern.updated_at == utc(2006, 3, 1, 11, 30)
    assert [p.user.username for p in lantern.creators] == ["Admin Anne"]
    assert lantern.summary_html == '<p>Mira’s journey "home" begins.</p>'
    # The category tree: a subcategory is a fandom under its parent.
    assert tag_names(lantern, "fandom") == {"High Fantasy"}
    assert {t.name for t in Tag.objects.get(name="High Fantasy").parents.all()} == {"Fantasy"}
    assert tag_names(lantern, "character") == {"Mira the Mage", "Tomas"}
    assert tag_names(lantern, "freeform") == {"Adventure", "Found Family"}
    assert lantern.rating.name == "G"
    # No warning class: the archive's "chose not to warn" warning, as AO3 requires one.
    assert tag_names(lantern, "warning") == {"Creator Chose Not To Use Archive Warnings"}

    ember = work(2)
    assert ember.summary.startswith("“Fire remembers,” she said. It’s late…")
    assert tag_names(ember, "warning") == {
        "Major Character Death",
        "Graphic Depictions Of Violence",
    }
    assert ember.rating.adult and "18 or older" in ember.rating.warning_text
    assert not ember.complete and ember.expected_chapters is None
    # Chapter 8 was never validated: its author keeps it as a draft.
    assert ember.chapter_count == 3
    assert not Chapter.objects.get(work=ember, position=4).posted

    assert tag_names(work(3), "fandom") == {"High Fantasy", "Space Opera"}
    assert {p.user.username for p in work(4).creators} == {"Zoë Writer", "quillfeather"}
    assert work(6).updated_at == work(6).published_at == utc(2006, 8, 1, 10, 0)
    assert tag_names(work(6), "fandom") == set()
    assert work(7).restricted and work(7).rating.adult
    assert work(8).challenge_id == EfictionImport.objects.get().pk_for("challenge", 2)
    assert not work(9).featured  # featured=2 means "retired"
    assert work(9).rating.adult


def test_unvalidated_story_waits_in_the_moderation_queue(full):
    pending = work(5)
    assert pending.approval == Approval.PENDING
    # Its chapter waits with it, so approving the work shows the story whole.
    assert pending.chapter_count == 1
    assert pending not in Work.objects.visible_to(None)
    assert all(work(sid).approval == Approval.APPROVED for sid in (1, 2, 3, 4, 6, 7, 8, 9, 10))


def test_chapters_keep_order_notes_and_safe_text(full):
    chapters = list(work(1).chapters.order_by("position"))
    assert [c.title for c in chapters] == ["The Wick", "The Flame", "The Smoke", "The Ember"]
    assert chapters[0].notes == "Thanks to my beta!"
    assert chapters[1].endnotes_html == "<p>More soon.</p>"
    assert chapters[0].hits == 60
    hello = Chapter.objects.get(pk=EfictionImport.objects.get().pk_for("chapter", 19))
    assert "<script" not in hello.body_html and "onclick" not in hello.body_html
    # eFiction's plain-text rule: newlines are line breaks.
    verse = work(6).chapters.get()
    assert "<br>" in verse.body_html and "<p>" in verse.body_html
    cinders = work(2).chapters.get(position=1)
    assert "’" in cinders.body_html and "…" in cinders.body_html


def test_authors_keep_their_logins_and_roles(full):
    client = Client()
    assert client.login(username="Zoë Writer", password="zoe-pass")
    assert not client.login(username="Zoë Writer", password="wrong")
    anne, zoe, quill, max_, larry = (user(uid) for uid in (1, 2, 3, 4, 5))
    assert anne.is_staff and anne.is_superuser
    assert max_.is_staff and not max_.is_superuser
    # Admin levels become roles: 1 administrator, 3 moderator (limited to categories in
    # eFiction, which the report says Fanfold's queue does not do).
    assert roles_of(anne) == {Role.ADMINISTRATOR}
    assert roles_of(max_) == {Role.MODERATOR} and has_perm(max_, "approve_works")
    assert not roles_of(zoe) and not has_perm(zoe, "view_reports")
    assert not larry.is_active
    assert not Client().login(username="Locked Larry", password="larry-locked")
    assert zoe.trusted_author and not quill.trusted_author
    assert zoe.view_adult and not quill.view_adult
    # eFiction's alerts preference: Zoë had them on, quillfeather off.
    assert zoe.subscription_emails and not quill.subscription_emails
    assert anne.first_name == "Anne Keeper"
    assert anne.bio_html == "<p>I run this <b>archive</b>.</p>"
    assert "http://zoe.example/" in zoe.bio_html
    assert anne.date_joined == utc(2005, 3, 1, 12, 0)
    assert zoe.default_pseud.name == "Zoë Writer"


def test_reviews_become_comments_with_replies(full):
    imp = EfictionImport.objects.get()
    signed = Comment.objects.get(pk=imp.pk_for("review", 1))
    assert signed.user == user(6) and signed.chapter.position == 1
    guest = Comment.objects.get(pk=imp.pk_for("review", 2))
    assert guest.user is None and guest.guest_name == "Wanderer"
    hurt = Comment.objects.get(pk=imp.pk_for("review", 3))
    assert hurt.body_html == "<p>This hurt.</p>"
    reply = Comment.objects.get(parent=hurt)
    assert reply.by_creator and reply.user == user(2)
    assert reply.body_html == "<p>Thank you so much!</p>"
    # On the first run already, the reply carries the review's date, not the import's.
    assert reply.created_at == hurt.created_at == utc(2006, 2, 11, 8, 0)
    # Score-only reviews and reviews of a series have no place to go; they are reported.
    assert not Comment.objects.filter(pk__in=[imp.pk_for("review", 4), imp.pk_for("review", 5)])
    assert work(1).comment_count == 2
    assert work(2).comment_count == 2
    assert "…" in Comment.objects.get(pk=imp.pk_for("review", 7)).body


def test_series_challenges_favourites_and_site_texts(full):
    imp = EfictionImport.objects.get()
    states = {s.title: s.state for s in Series.objects.all()}
    assert states == {
        "Lantern Cycle": SeriesState.CLOSED,
        "Ember Chronicles": SeriesState.MODERATED,
        "Open Skies \\ Anyone's": SeriesState.OPEN,
    }
    open_skies = Series.objects.get(pk=imp.pk_for("series", 3))
    parts = {
        p.work_id: (p.position, p.approved) for p in SerialWork.objects.filter(series=open_skies)
    }
    # The unconfirmed entry by another author waits for the owner at position 0.
    assert parts == {work(3).pk: (1, True), work(8).pk: (2, True), work(4).pk: (0, False)}
    contact = Challenge.objects.get(pk=imp.pk_for("challenge", 2))
    assert contact.title == "First Contact" and contact.owner == user(6)
    assert {t.name for t in contact.fandoms.all()} == {"Science Fiction"}
    assert {t.name for t in contact.characters.all()} == {"Captain Vega"}

    bea = user(6)
    notes = {(b.work_id, b.series_id): b.notes for b in Bookmark.objects.filter(user=bea)}
    assert notes == {
        (work(1).pk, None): "My comfort read.",
        (None, imp.pk_for("series", 1)): "Best series",
    }
    assert Subscription.objects.filter(user=bea, creator=user(2)).exists()
    assert Subscription.objects.filter(user=user(3), creator=user(1)).exists()

    site = SiteSettings.objects.get()
    assert site.site_name == "Lantern Archive"
    assert site.tagline == "Light for the long road"
    assert site.disclaimer_html and site.rules_html and site.terms_html and site.welcome_html


def test_report_says_what_was_left_out_and_guessed(full):
    assert "a score without a review — 1; 4" in full
    assert "review of a series" in full
    assert "series inside a series" in full
    assert "story 2: eFiction 99,999, Fanfold 23" in full
    assert "stories.summary: cp1252" in full
    assert "news posts — 2; 1, 2" in full
    report = EfictionImport.objects.get().report
    assert report["imported"]["works"] == 10
    assert report["word_counts"]["stories_differing"] >= 2


def snapshot() -> list:
    """What a reader, author or admin would see, independent of row order."""
    return sorted(
        [
            *(
                (
                    "work",
                    w.pk,
                    w.title,
                    w.summary_html,
                    w.approval,
                    w.posted,
                    w.word_count,
                    w.chapter_count,
                    w.comment_count,
                    w.bookmark_count,
                    w.hits,
                    w.rating_id,
                    tuple(sorted(w.tags.values_list("name", flat=True))),
                )
                for w in Work.objects.all()
            ),
            *(
                ("chapter", c.pk, c.work_id, c.position, c.title, c.body_html, c.posted)
                for c in Chapter.objects.all()
            ),
            *(
                (
                    "comment",
                    c.parent_id,
                    c.work_id,
                    c.chapter_id,
                    c.body_html,
                    c.user_id,
                    c.guest_name,
                )
                for c in Comment.objects.all()
            ),
            *(("user", u.pk, u.username, u.password, u.is_staff) for u in User.objects.all()),
            *(("tag", t.name, t.type) for t in Tag.objects.all()),
            *(
                ("bookmark", b.user_id, b.work_id, b.series_id, b.notes)
                for b in Bookmark.objects.all()
            ),
            *(("sub", s.user_id, s.creator_id) for s in Subscription.objects.all()),
            *(
                ("serial", s.series_id, s.work_id, s.position, s.approved)
                for s in SerialWork.objects.all()
            ),
            *(("legacy", x.kind, x.legacy_id, x.object_id) for x in LegacyId.objects.all()),
        ],
        key=repr,
    )


def test_running_again_updates_instead_of_duplicating(full):
    first = snapshot()
    again = run("full/dump.sql")
    assert snapshot() == first
    assert "works                     10 imported" in again
    assert EfictionImport.objects.get().runs == 2


def test_rerun_keeps_passwords_members_changed(full):
    zoe = user(2)
    zoe.set_password("a brand new passphrase")
    zoe.save()
    run("full/dump.sql")
    assert Client().login(username="Zoë Writer", password="a brand new passphrase")
    assert not Client().login(username="Zoë Writer", password="zoe-pass")


def test_rerun_never_overwrites_what_was_made_in_fanfold_since(full, make_work):
    imp = EfictionImport.objects.get()
    # A work posted in Fanfold after the import takes the next id; a newer dump with a
    # story of that id must not replace it.
    native = make_work(title="Posted after the move")
    newer = imp.legacy_for("story", native.pk)
    dump = (
        (FIXTURES / "full/dump.sql")
        .read_bytes()
        .replace(b"(10,'Locked Out'", b"(%d,'Locked Out'" % newer)
    )
    assert b"(%d,'Locked Out'" % newer in dump
    path = Path(FIXTURES.parent / "_newer_dump.sql")
    path.write_bytes(dump)
    try:
        out = io.StringIO()
        call_command("import_efiction", str(path), jobs=1, stdout=out, stderr=io.StringIO())
    finally:
        path.unlink()
    native.refresh_from_db()
    assert native.title == "Posted after the move"
    assert "used by something made in Fanfold since the last import" in out.getvalue()


def test_backup_format_with_another_prefix():
    out = run("backup/dump.sql")
    assert "works                      3 imported" in out
    assert work(1).title == 'The "Lantern" Road'
    assert SiteSettings.objects.get().site_name == "Lantern Backup"
    assert work(2).chapters.count() == 4
    assert Client().login(username="Admin Anne", password="lantern-admin")


def test_ratings_stored_by_name():
    run("string_ratings/dump.sql")
    assert work(1).rating.name == "G"
    assert work(2).rating.name == "R" and work(2).rating.adult
    assert work(3).rating.name == "PG-13"
    assert work(9).rating.name == "NC-17"


def test_chapter_files_in_many_encodings():
    out = run("files/dump.sql", stories_dir=FIXTURES / "files/stories")
    texts = {c.position: c.body_html for c in work(1).chapters.all()}
    assert "“quotes”" in texts[1]
    assert "naïve café" in texts[2] and "\ufeff" not in texts[2]
    assert "“smart quotes”" in texts[3]
    assert "灯籠の道を歩いた。" in texts[4]
    assert work(1).chapters.get(position=4).word_count > 10  # counted per character
    assert "\r" not in work(2).chapters.get(position=2).body_html
    assert "text file stories/2/7.txt is missing" in out
    assert "3/999.txt" in out and "belongs to no chapter" in out
    assert work(4).chapters.count() == 2
    # Shift_JIS is read as cp932, its Windows superset; the guess is listed with the file.
    assert "file: cp932 — 1; stories/1/4.txt" in out
    assert "file: cp1252 — 1; stories/1/3.txt" in out


def test_files_next_to_the_dump_are_found_without_the_option():
    out = run("files/dump.sql")
    assert "灯籠の道を歩いた。" in work(1).chapters.get(position=4).body_html
    assert "no --stories-dir" not in out


def test_broken_rows_are_reported_and_the_rest_arrives():
    out = run("broken/dump.sql")
    assert "dump.sql:144: 3 values for 21 columns of stories; row skipped" in out
    assert "statement cut off at end of file" in out
    assert "stories: author uid 77 does not exist" in out
    assert "chapters: story 88 was not imported" in out
    assert Work.objects.count() == 2
    assert Chapter.objects.count() == 8


def test_nothing_usable_is_an_error(tmp_path):
    empty = tmp_path / "empty.sql"
    empty.write_bytes(b"-- nothing here\n")
    with pytest.raises(CommandError):
        call_command(
            "import_efiction", str(empty), jobs=1, stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_tag_mapping_can_be_written_edited_and_applied(tmp_path):
    mapping = tmp_path / "tags.csv"
    out = run("full/dump.sql", write_mapping=mapping)
    assert "Tag mapping written" in out
    assert not Work.objects.exists()  # writing the mapping imports nothing
    text = mapping.read_text(encoding="utf-8")
    assert "class,9,Found Family,Themes,freeform,Found Family" in text
    mapping.write_text(
        text.replace(
            "class,9,Found Family,Themes,freeform,Found Family",
            "class,9,Found Family,Themes,freeform,Found Family (Trope)",
        ).replace("class,7,Mild Language,Warnings,freeform", "class,7,Mild Language,Warnings,skip"),
        encoding="utf-8",
    )
    run("full/dump.sql", mapping=mapping)
    assert "Found Family (Trope)" in tag_names(work(1), "freeform")
    assert not Tag.objects.filter(name="Mild Language").exists()


def test_bad_mapping_stops_before_importing(tmp_path):
    mapping = tmp_path / "tags.csv"
    mapping.write_text("kind,legacy_id,type,name\nclass,9,genre,Found Family\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: type must be one of"):
        run("full/dump.sql", mapping=mapping)
    assert not Work.objects.exists()


def test_existing_content_shifts_ids_and_old_links_still_map(make_work):
    native = make_work(title="Already here")
    run("full/dump.sql")
    imp = EfictionImport.objects.get()
    assert imp.offsets["story"] >= native.pk
    assert Work.objects.get(pk=native.pk).title == "Already here"
    assert work(1).title == "The Lantern Road"
    assert "imported ids are shifted" in imp.report["notes"][0] or any(
        "shifted" in n for n in imp.report["notes"]
    )


def test_live_database_gives_the_same_archive_as_its_dump(loaded_database):
    out = io.StringIO()
    call_command("import_efiction", mysql=loaded_database, jobs=1, stdout=out, stderr=io.StringIO())
    assert "works                     10 imported" in out.getvalue()
    from_mysql = snapshot()
    # The same archive from its dump file changes nothing.
    run("full/dump.sql")
    assert snapshot() == from_mysql
    assert Client().login(username="Zoë Writer", password="zoe-pass")


def test_a_chapter_without_its_file_waits_as_a_draft():
    run("files/dump.sql")
    missing = Chapter.objects.get(pk=EfictionImport.objects.get().pk_for("chapter", 7))
    assert not missing.posted
    assert missing.body_html == ""


def test_a_row_nobody_foresaw_is_reported_and_the_rest_goes_on(monkeypatch):
    from fanfold.efiction.importer.stories import StoriesMixin

    real = StoriesMixin._story

    def story(self, row, *args):
        if int(row.values["sid"]) == 3:
            raise ValueError("a value like no other")
        return real(self, row, *args)

    monkeypatch.setattr(StoriesMixin, "_story", story)
    out = run("full/dump.sql")
    assert "stories: could not be converted (ValueError('a value like no other')" in out
    assert "dump.sql:" in out  # with the row's place in the dump
    assert Work.objects.count() == 9
    assert work(1).chapters.count() == 4


def test_out_of_range_numbers_are_clamped(tmp_path):
    dump = (FIXTURES / "full/dump.sql").read_bytes()
    # Chapter 24 (story 10): inorder 1 -> -3 and its read count 1 -> -7.
    old_chapter = b"(24,'Alone',1,'','<p>Nobody can log in as me now.</p>','','1',7,0,0,10,5,1)"
    assert old_chapter in dump
    dump = dump.replace(
        old_chapter,
        b"(24,'Alone',-3,'','<p>Nobody can log in as me now.</p>','','1',7,0,0,10,5,-7)",
    )
    path = tmp_path / "dump.sql"
    path.write_bytes(dump)
    call_command("import_efiction", str(path), jobs=1, stdout=io.StringIO(), stderr=io.StringIO())
    chapter = work(10).chapters.get()
    assert (chapter.position, chapter.hits) == (1, 0)
