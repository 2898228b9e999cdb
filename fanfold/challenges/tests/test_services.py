import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.challenges.services import ChallengeFields, challenge_create, challenge_update
from fanfold.staff.roles import Role
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def test_create_sanitises_the_summary_and_finds_or_creates_tags(make_user, make_work):
    make_work(fandoms=("Lighthouse Keepers",))
    challenge = challenge_create(
        owner=make_user("setter"),
        data=ChallengeFields(
            title="  Storm Night ",
            summary='<p>Write a storm.</p><img src=x onerror="alert(1)">',
            fandoms=["lighthouse keepers"],
            characters=["Ada Vell"],
        ),
    )
    assert challenge.title == "Storm Night"
    assert "onerror" not in challenge.summary_html and "Write a storm." in challenge.summary_html
    assert [t.name for t in challenge.fandoms.all()] == ["Lighthouse Keepers"]
    assert Tag.objects.get(name="Ada Vell").type == TagType.CHARACTER


def test_a_tag_of_another_type_is_refused_on_its_field(make_user, make_work):
    make_work(fandoms=("Lighthouse Keepers",))
    with pytest.raises(ValidationError) as caught:
        challenge_create(
            owner=make_user(),
            data=ChallengeFields(title="Mixups", characters=["Lighthouse Keepers"]),
        )
    assert "already a Fandom tag" in str(caught.value.message_dict["characters"])


def test_only_the_owner_or_staff_update(make_user):
    challenge = challenge_create(owner=make_user("setter"), data=ChallengeFields(title="Old"))
    with pytest.raises(PermissionDenied):
        challenge_update(
            challenge=challenge, editor=make_user("stranger"), data=ChallengeFields(title="Mine")
        )
    challenge_update(
        challenge=challenge,
        editor=make_user("mod", roles=[Role.MODERATOR]),
        data=ChallengeFields(title="Renamed"),
    )
    challenge.refresh_from_db()
    assert challenge.title == "Renamed"
