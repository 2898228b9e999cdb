import pytest
from django.urls import reverse

from fanfold.archive import gate
from fanfold.kudos.models import Kudos

pytestmark = pytest.mark.django_db


@pytest.fixture
def refuse_everyone(monkeypatch):
    reason = "The archive is read-only while we move it to a new server."
    monkeypatch.setattr(gate, "_refusals", [lambda request: reason])
    monkeypatch.setattr(gate, "_banners", [lambda request: "Read-only until Sunday."])
    return reason


def test_a_refused_write_changes_nothing_and_says_why(
    client, make_user, make_work, refuse_everyone
):
    work = make_work()
    client.force_login(make_user())
    response = client.post(reverse("kudos:create", args=[work.pk]))
    assert response.status_code == 403
    assert refuse_everyone in response.content.decode()
    assert not Kudos.objects.exists()


def test_reading_and_logging_in_stay_open(client, make_user, make_work, refuse_everyone):
    work = make_work(title="Open Water")
    make_user("mira", password="a-long-passphrase")
    assert "Open Water" in client.get(work.get_absolute_url()).content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": "mira", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    page = client.get(reverse("archive:home")).content.decode()
    assert "Read-only until Sunday." in page


def test_nothing_is_refused_without_a_reason(client, make_user, make_work):
    work = make_work()
    client.force_login(make_user())
    client.post(reverse("kudos:create", args=[work.pk]))
    assert Kudos.objects.count() == 1
