import functools
from types import SimpleNamespace

import pytest

from fanfold.accounts.services import user_create
from fanfold.staff.roles import Role
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tag_make_canonical, tag_merge, tag_set_parents
from fanfold.works.fields import ChapterFields, WorkFields
from fanfold.works.services import work_create
from fanfold.works.staff_services import work_set_hidden

PASSWORD = "a-long-passphrase"


@pytest.fixture
def staff(make_user):
    return make_user("wrangler", roles=[Role.WRANGLER])


@pytest.fixture
def finding(db):
    """A small archive of wrangled fandoms, built for each test inside the test's own
    transaction (a module-wide transaction shared by tests let state from other modules'
    tests on the same xdist worker reach these tests' requests).

    Anime (a fandom metatag) over Naruto (with the synonym Naruto Shippuden and the
    character Sakura Haruno) and Bleach; Ōkami and 2001 Nights on their own; Buffy
    and the loose Locked Fandom only on members-only works; Secret Fandom, the
    synonym NRT Secret and the character Draft Character only on a draft; Hidden
    Fandom only on a hidden work. An active author, a closed account ("gone").
    """
    return _build_finding()


def _build_finding() -> SimpleNamespace:
    author = user_create(username="author", email="author@example.org", password=PASSWORD)
    root = user_create(
        username="root", email="root@example.org", password=PASSWORD, is_superuser=True
    )
    gone = user_create(username="authorgone", email="gone@example.org", password=PASSWORD)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    work = functools.partial(_work, author)
    works = {
        "dawn": work("Leaf Village Dawn", ["Naruto"], characters=["Sakura Haruno"]),
        "chidori": work("Chidori Nights", ["Naruto Shippuden"]),
        "reapers": work("Soul Reapers", ["Bleach"]),
        "sun": work("Okami Sun", ["Ōkami"]),
        "odyssey": work("Odyssey Two", ["2001 Nights"]),
        "slayer": work("Slayer Patrol", ["Buffy"], restricted=True),
        "locked": work("Locked Cove", ["Locked Fandom"], restricted=True),
        "draft": work(
            "Unfinished Map",
            ["Secret Fandom", "Naruto", "NRT Secret"],
            characters=["Draft Character"],
            post=False,
        ),
        "hidden": work("Hidden Reef", ["Hidden Fandom", "Bleach"]),
    }
    work_set_hidden(work=works["hidden"], hidden=True, actor=root, notify=False)
    anime = Tag.objects.create(name="Anime", type=TagType.FANDOM)
    named = {t.name: t for t in Tag.objects.all()}
    for name in ("Anime", "Naruto", "Bleach", "Buffy", "Sakura Haruno"):
        tag_make_canonical(user=root, tag=named[name])
    naruto = Tag.objects.get(pk=named["Naruto"].pk)
    for synonym in ("Naruto Shippuden", "NRT Secret"):
        tag_merge(user=root, tag=named[synonym], into=naruto)
    anime = Tag.objects.get(pk=anime.pk)
    for fandom in ("Naruto", "Bleach"):
        tag_set_parents(user=root, tag=named[fandom], add=[anime])
    for character in ("Sakura Haruno", "Draft Character"):
        tag_set_parents(user=root, tag=named[character], add=[naruto])
    return SimpleNamespace(author=author, root=root, gone=gone, works=works)


def _work(author, title: str, fandoms: list[str], *, post: bool = True, **fields):
    data = WorkFields(
        title=title,
        rating=Tag.objects.named("General Audiences").get(),
        warnings=[Tag.objects.named("No Archive Warnings Apply").get()],
        fandoms=fandoms,
        **fields,
    )
    chapter = ChapterFields(body="<p>The tide came in.</p>", title="One")
    return work_create(creator=author, data=data, chapter=chapter, post=post)


@pytest.fixture
def member(db, finding):
    return user_create(username="member", email="member@example.org", password=PASSWORD)
