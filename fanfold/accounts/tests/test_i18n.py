"""The interface in the reader's language: pages of accounts, news, pages, invitations,
challenges and the staff tools render in German and French, and e-mail goes out in
the language of the member it is written to (their preference, else the site's).

Pages are asked for with the language menu's cookie, as a visitor who chose the language
would; e-mail is rendered away from the recipient's request, so the member's own
preference must win over whatever language is active then."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from fanfold.accounts import emails
from fanfold.accounts.language import addresses_by_language, in_language_of, language_of
from fanfold.accounts.models import User
from fanfold.invitations.services import invitation_send_by_member, invitations_give
from fanfold.sanctions.services import member_warn
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db

HAS_LANGUAGE_FIELD = any(field.name == "language" for field in User._meta.get_fields())


def reads_in(user: User, code: str, monkeypatch) -> None:
    """Give `user` the language preference `code`: the `language` field when the model
    has it, else (before that field exists) a class attribute every member then shares."""
    if HAS_LANGUAGE_FIELD:
        user.language = code
        user.save(update_fields=["language"])
    else:
        monkeypatch.setattr(User, "language", code, raising=False)


def page(client, path: str, code: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de", ["Passwort vergessen?", "Benutzername", "Registriere dich"]),
        ("fr", ["Mot de passe oublié ?", "Nom d’utilisateur", "Inscrivez-vous"]),
        ("es", ["¿Has olvidado tu contraseña?", "Nombre de usuario", "Regístrate"]),
    ],
)
def test_the_login_page_is_translated(client, code, expected):
    html = page(client, reverse("accounts:login"), code)
    for text in expected:
        assert text in html
    assert "Forgotten your password?" not in html


def test_english_stays_as_it_was(client):
    html = page(client, reverse("accounts:login"), "en")
    assert "Forgotten your password?" in html and "it takes a minute" in html


def test_preferences_and_profile_in_german_and_french(client, make_user):
    member = make_user("liesel")
    client.force_login(member)
    html = page(client, reverse("accounts:preferences"), "de")
    assert "Einstellungen speichern" in html and "Werke für Erwachsene ohne Nachfrage" in html
    assert "Angemeldet als liesel." in html
    html = page(client, reverse("accounts:user", args=["liesel"]), "fr")
    assert "Toutes les œuvres de liesel" in html and "Gérer les pseudonymes" in html


def test_plurals_follow_the_count(client, make_user, make_work):
    one, two = make_user("ada"), make_user("bea")
    make_work(one)
    make_work(two)
    make_work(two)
    html = page(client, reverse("accounts:authors"), "de")
    assert "(1 Werk)" in html and "(2 Werke)" in html
    html = page(client, reverse("accounts:authors"), "fr")
    assert "(1 œuvre)" in html and "(2 œuvres)" in html


def test_news_pages_and_challenges_in_french(client):
    assert "Aucune actualité pour l’instant." in page(client, reverse("news:index"), "fr")
    assert "À propos de cette archive" in page(client, reverse("pages:index"), "fr")
    assert "Aucun défi pour l’instant." in page(client, reverse("challenges:index"), "fr")


def test_staff_tools_in_german(client, make_user, moderator):
    make_user("wren")
    client.force_login(moderator)
    html = page(client, reverse("sanctions:members") + "?q=wren", "de")
    assert "Mitglied suchen" in html and "1 Mitglied passt zu „wren“" in html
    assert "Meldungen und Einsprüche" in page(client, reverse("reports:queue"), "de")


def test_form_errors_and_messages_are_translated(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert "Wir konnten dich nicht anmelden." in html
    assert "Benutzername und Passwort passen nicht zusammen." in html


def test_a_members_preference_wins_over_the_active_language(make_user, monkeypatch):
    member = make_user("jeanne")
    assert language_of(member) == "en"
    reads_in(member, "fr", monkeypatch)
    with translation.override("de"), in_language_of(member) as code:
        assert code == "fr" and translation.get_language() == "fr"


def test_an_unknown_preference_falls_back_to_the_site_language(make_user, monkeypatch):
    member = make_user("kit")
    reads_in(member, "tlh", monkeypatch)
    assert language_of(member) == "en"


def test_verification_mail_is_written_in_the_members_language(rf, make_user, monkeypatch):
    member = make_user("greta", email="greta@example.org")
    reads_in(member, "de", monkeypatch)
    request = rf.get("/")
    with translation.override("en"):
        assert emails.send_verification_email(request, member)
    [message] = mail.outbox
    assert message.subject.startswith("Bestätige deine E-Mail-Adresse für")
    assert "Hallo greta," in message.body and "Der Link gilt drei Tage." in message.body


def test_staff_notices_go_out_in_the_recipients_language(
    make_user, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    member = make_user("amelie")
    reads_in(member, "fr", monkeypatch)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        member_warn(actor=moderator, member=member, reason="Pas de divulgâchage.")
    [message] = mail.outbox
    assert "Un avertissement de la modération" in message.subject
    assert "Bonjour amelie," in message.body and "Pas de divulgâchage." in message.body


@pytest.mark.skipif(not HAS_LANGUAGE_FIELD, reason="needs User.language (i18n-core)")
def test_one_notice_to_members_of_two_languages_is_written_twice(make_user):
    german = make_user("hanna", email="hanna@example.org")
    spanish = make_user("lucia", email="lucia@example.org")
    for member, code in ((german, "de"), (spanish, "es")):
        member.language = code
        member.save(update_fields=["language"])
    groups = addresses_by_language(["hanna@example.org", "lucia@example.org", "guest@x.org"])
    assert groups["de"] == ["hanna@example.org"] and groups["es"] == ["lucia@example.org"]
    assert groups["en"] == ["guest@x.org"]


def test_a_guest_address_is_written_to_in_the_language_active_now():
    with translation.override("fr"):
        assert addresses_by_language(["guest@example.org"]) == {"fr": ["guest@example.org"]}


def test_an_invitation_is_written_in_the_inviters_language(
    make_user, monkeypatch, django_capture_on_commit_callbacks
):
    member = make_user("mira")
    invitations_give(actor=make_user(roles=[Role.ADMINISTRATOR]), member=member, count=1)
    reads_in(member, "es", monkeypatch)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation_send_by_member(member=member, email="amiga@example.org")
    message = mail.outbox[-1]
    assert message.to == ["amiga@example.org"] and message.subject.startswith("Tu invitación a")
    assert "mira te ha invitado a" in message.body
