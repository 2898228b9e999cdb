import pytest
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.accounts.services import pseud_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user("keeper", is_superuser=True))
    return client


def test_user_list_and_change_page(admin_client_, make_user):
    member = make_user("wren")
    pseud_create(user=member, name="Night Owl")
    assert "wren" in admin_client_.get(reverse("admin:accounts_user_changelist")).text
    page = admin_client_.get(reverse("admin:accounts_user_change", args=[member.pk])).text
    assert 'name="view_adult"' in page and 'name="bio"' in page
    assert "Night Owl" in page  # the pseud inline


def test_adding_a_user_in_the_admin_gives_them_a_default_pseud(admin_client_):
    data = {
        "username": "finch",
        "usable_password": "true",
        "password1": "lamp-oil-and-salt",
        "password2": "lamp-oil-and-salt",
    }
    response = admin_client_.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302, response.text
    assert User.objects.get(username="finch").default_pseud.name == "finch"


def test_editing_the_bio_in_the_admin_renders_it(admin_client_, make_user):
    member = make_user("wren")
    url = reverse("admin:accounts_user_change", args=[member.pk])
    form = admin_client_.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "bio": "Keeper of <em>lamps</em>.",
            "date_joined_0": member.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
            "pseuds-TOTAL_FORMS": "1",
            "pseuds-INITIAL_FORMS": "1",
            "pseuds-0-id": str(member.default_pseud.pk),
            "pseuds-0-user": str(member.pk),
            "pseuds-0-name": "wren",
            "pseuds-0-description": "",
        }
    )
    for key in ("groups", "user_permissions", "last_login", "date_joined"):
        data.pop(key, None)
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.bio_html == "<p>Keeper of <em>lamps</em>.</p>"
