import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from fanfold.exports.links import download_links
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def built(client, work) -> None:
    for link in download_links(work):
        if link.format in ("epub", "html"):
            assert client.get(link.url).status_code == 200


def test_pruning_removes_books_of_works_readers_can_no_longer_have(client, make_work):
    kept, hidden, deleted = make_work(title="Kept"), make_work(title="Hid"), make_work(title="Gone")
    for work in (kept, hidden, deleted):
        built(client, work)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    deleted.delete()
    call_command("prune_downloads", stdout=open("/dev/null", "w"))  # noqa: SIM115
    folders, _ = default_storage.listdir("downloads")
    assert folders == [f"work-{kept.pk}"]
    assert len(default_storage.listdir(f"downloads/work-{kept.pk}")[1]) == 2
