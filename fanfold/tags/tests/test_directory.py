"""The fandom directory at /fandoms: fandoms by media (their metatag) and by letter,
each with the count of works the viewer may read, never naming a fandom only works out
of their sight carry; cached per audience and rebuilt when the archive changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.tags.directory import fandom_directory, initial
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

URL = reverse("tags:fandoms")
NEVER = ("Secret Fandom", "Hidden Fandom", "NRT Secret", "Naruto Shippuden")


def listed(html: str) -> dict[str, int]:
    """Fandom name -> count, as the page lists them."""
    pattern = r'<a class="tag" href="[^"]*">([^<]+)</a> <span class="count">\(([\d,]+) works?\)'
    return {name: int(count.replace(",", "")) for name, count in re.findall(pattern, html)}


def test_guests_see_fandoms_of_public_works_by_media(client, finding):
    html = client.get(URL).content.decode()
    assert listed(html) == {"Naruto": 2, "Bleach": 1, "Ōkami": 1, "2001 Nights": 1}
    # Anime heads its group, counting its fandoms' works (the metatag's closure).
    anime, others = html.index(">Anime</a>"), html.index("Other fandoms")
    assert anime < html.index(">Naruto</a>") < html.index(">Bleach</a>") < others
    assert '<span class="count">(3)</span>' in html
    assert others < html.index(">Ōkami</a>")
    for name in (*NEVER, "Buffy", "Locked Fandom", "Unfinished Map"):
        assert name not in html, name


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_also_count_members_only_works(client, finding, member, who):
    client.force_login(finding.root if who == "staff" else member)
    html = client.get(URL).content.decode()
    assert listed(html) == {
        "Naruto": 2,
        "Bleach": 1,
        "Ōkami": 1,
        "2001 Nights": 1,
        "Buffy": 1,
        "Locked Fandom": 1,
    }
    for name in NEVER:
        assert name not in html, name


def test_by_letter_and_by_media(client, finding):
    assert listed(client.get(URL + "?letter=n").content.decode()) == {"Naruto": 2}
    # Accents fold into their letter; digits and symbols are under "#".
    assert listed(client.get(URL + "?letter=o").content.decode()) == {"Ōkami": 1}
    assert listed(client.get(URL + "?letter=0").content.decode()) == {"2001 Nights": 1}
    html = client.get(URL + "?letter=b").content.decode()
    assert listed(html) == {"Bleach": 1}  # Buffy is members-only
    assert listed(client.get(URL + "?media=Anime").content.decode()) == {
        "Naruto": 2,
        "Bleach": 1,
    }
    others = client.get(URL + "?media=").content.decode()
    assert listed(others) == {"Ōkami": 1, "2001 Nights": 1}
    # Letters without a fandom are not links.
    assert 'href="?letter=z"' not in html and 'href="?letter=n"' in html


@pytest.mark.parametrize(
    "query", ["?letter=ab", "?letter=%00", "?media=Buffy", "?media=Secret+Fandom", "?media=Nope"]
)
def test_unknown_letters_and_media_are_not_found(client, finding, query):
    assert client.get(URL + query).status_code == 404


def test_the_letter_of_a_name():
    assert [initial(n) for n in ("Ōkami", "école", "2001", "Ünder", "Šta", "Ад", "")] == [
        "o",
        "e",
        "0",
        "u",
        "s",
        "0",
        "0",
    ]


def test_cached_per_audience_until_the_archive_changes(client, finding, member, one_listing_bucket):
    assert listed(client.get(URL).content.decode())["Bleach"] == 1
    # Cached: the next request only reads the listing stamp (and the site settings).
    with CaptureQueriesContext(connection) as queries:
        fandom_directory(None)
    assert len(queries) == 1
    client.force_login(member)
    assert "Buffy" in listed(client.get(URL).content.decode())  # its own copy
    client.logout()
    work_set_hidden(work=finding.works["reapers"], hidden=True, actor=finding.root, notify=False)
    html = client.get(URL).content.decode()
    assert "Bleach" not in listed(html)
    assert listed(html)["Naruto"] == 2


def test_the_header_links_the_directory(client, finding):
    assert f'href="{URL}"' in client.get(reverse("works:index")).content.decode()
