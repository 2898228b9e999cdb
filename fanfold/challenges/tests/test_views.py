import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.challenges.models import Challenge
from fanfold.challenges.services import ChallengeFields, challenge_create
from fanfold.works.models import Work
from fanfold.works.staff_services import work_set_hidden
from fanfold.works.tests.test_posting_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(make_user):
    return challenge_create(
        owner=make_user("setter"),
        data=ChallengeFields(
            title="Storm Night",
            summary="<p>Write a storm.</p>",
            fandoms=["Lighthouse Keepers"],
            characters=["Ada Vell"],
        ),
    )


def test_challenge_page_shows_the_prompt_and_only_visible_responses(
    client, challenge, make_work, moderator
):
    make_work(title="Shown Response", challenge_id=challenge.pk)
    make_work(title="Members Response", challenge_id=challenge.pk, restricted=True)
    make_work(title="Draft Response", challenge_id=challenge.pk, post=False)
    work_set_hidden(
        work=make_work(title="Hidden Response", challenge_id=challenge.pk),
        hidden=True,
        actor=moderator,
    )
    page = client.get(challenge.get_absolute_url()).text
    assert challenge.get_absolute_url() == f"/challenges/{challenge.pk}"
    assert f"Challenge #{challenge.pk}" in page and "Write a storm." in page
    assert f'<a href="{reverse("accounts:user", args=["setter"])}">setter</a>' in page
    assert "Ada Vell</a>" in page and "Lighthouse Keepers</a>" in page
    assert "Shown Response" in page
    for title in ("Members Response", "Draft Response", "Hidden Response"):
        assert title not in page
    assert 'class="filtered-listing"' in page  # the filter sidebar is kept


def test_challenger_name_shows_when_there_is_no_account(client):
    imported = challenge_create(
        owner=None, data=ChallengeFields(title="Old Prompt", challenger_name="Mira of 2004")
    )
    assert "set by Mira of 2004" in client.get(imported.get_absolute_url()).text


def test_list_counts_responses_the_viewer_may_see(client, challenge, make_work, make_user):
    make_work(title="Public", challenge_id=challenge.pk)
    make_work(title="Members", challenge_id=challenge.pk, restricted=True)
    older = challenge_create(owner=None, data=ChallengeFields(title="Earlier Prompt"))
    Challenge.objects.filter(pk=older.pk).update(created_at=challenge.created_at.replace(year=2001))
    page = client.get(reverse("challenges:index")).text
    assert "1 response<" in page and "0 responses" in page
    assert page.index("Storm Night") < page.index("Earlier Prompt")  # newest first
    client.force_login(make_user())
    assert "2 responses" in client.get(reverse("challenges:index")).text


def test_list_costs_the_same_queries_for_many_challenges(client, make_user, make_work):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("challenges:index")).status_code == 200
        return len(queries)

    owner = make_user()
    first = challenge_create(owner=owner, data=ChallengeFields(title="One"))
    make_work(challenge_id=first.pk)
    count()  # the first request loads the site settings
    one = count()
    for n in range(12):
        made = challenge_create(owner=owner, data=ChallengeFields(title=f"Prompt {n}"))
        make_work(title=f"Answer {n}", challenge_id=made.pk)
    assert count() == one


def test_members_set_a_challenge_and_guests_are_sent_to_log_in(client, make_user):
    url = reverse("challenges:new")
    assert client.get(url).status_code == 302
    client.force_login(make_user("setter"))
    assert 'data-autocomplete="fandom"' in client.get(url).text
    response = client.post(
        url,
        {
            "title": "Lantern Week",
            "summary": "Lanterns <script>x</script>",
            "fandoms": "Lighthouse Keepers",
            "characters": "Ada Vell, Tom Reed",
        },
    )
    challenge = Challenge.objects.get(title="Lantern Week")
    assert response["Location"] == challenge.get_absolute_url()
    assert challenge.owner.username == "setter" and "<script>" not in challenge.summary_html
    assert challenge.characters.count() == 2


def test_invalid_challenge_form_keeps_what_was_typed(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("challenges:new"), {"title": "", "summary": "My careful prompt", "fandoms": ""}
    )
    assert response.status_code == 200 and "My careful prompt" in response.text
    assert "nothing you typed was lost" in response.text and not Challenge.objects.exists()


def test_only_owner_or_staff_edit(client, challenge, make_user):
    url = reverse("challenges:edit", args=[challenge.pk])
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Mine"}).status_code == 403
    assert "Edit challenge" not in client.get(challenge.get_absolute_url()).text
    client.force_login(challenge.owner)
    assert "Ada Vell" in client.get(url).text  # the form starts from the current tags
    client.post(url, {"title": "Storm Night II", "summary": "", "fandoms": "", "characters": ""})
    challenge.refresh_from_db()
    assert challenge.title == "Storm Night II" and not challenge.characters.exists()


def test_work_form_takes_a_challenge_by_number_or_link(client, challenge, make_user):
    client.force_login(make_user())
    prefilled = client.get(reverse("works:new") + f"?challenge={challenge.pk}").text
    assert f'value="{challenge.pk}"' in prefilled
    link = f"http://testserver/challenges/{challenge.pk}"
    client.post(reverse("works:new"), form_data(title="By Link", challenge=link))
    client.post(reverse("works:new"), form_data(title="By Number", challenge=f"#{challenge.pk}"))
    assert set(challenge.responses.values_list("title", flat=True)) == {"By Link", "By Number"}
    work = Work.objects.get(title="By Link")
    meta = client.get(work.get_absolute_url()).text
    assert f"challenge #{challenge.pk}: Storm Night</a>" in meta
    assert f'<dd class="challenge">Response to <a href="/challenges/{challenge.pk}">' in meta


def test_work_form_refuses_an_unknown_challenge(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("works:new"), form_data(challenge="404"))
    assert "There is no challenge with that number" in response.text
    assert not Work.objects.exists()
