"""The pages a new archive starts with, in Markdown. Staff edit them on the site; these
are only the first text (written for a small fandom archive run by volunteers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fanfold.markup import Profile, render_text


@dataclass(frozen=True)
class DefaultPage:
    slug: str
    title: str
    order: int
    body: str


ABOUT_TEXT = """\
This is a home for fan fiction, run by fans for fans. Anyone may read here; members
can post their own stories, leave kudos and comments, bookmark what they love and
subscribe to the writers and series they follow.

The archive is run by a small team of volunteers. We keep it free of advertising and
we do not sell anything, least of all your data. What we ask in return is that you
treat the people here, and their work, with the care you would want for your own.

## What you can post

Stories of any length set in the worlds and with the characters of existing books,
films, shows, games and other media, as well as original fiction. Works of every rating
are welcome as long as they are rated, tagged and warned for honestly, so that every
reader can decide what they want to read. The [Rules](/pages/rules) say what that means
in practice.

## Finding your way

- **Works** lists everything, newest first. Use the filters beside the list to narrow it
  down by fandom, rating, characters, length or tags, and to leave out what you would
  rather not see.
- Each work's tags lead to everything else with the same tag.
- **News** is where the staff announce changes, challenges and maintenance.
"""

FAQ_TEXT = """\
## Do I need an account to read?

No. Almost everything can be read without one. Some writers choose to show a work to
logged-in members only, and an account also lets you keep a reading history, bookmarks
and subscriptions.

## How do I post a story?

Sign up, log in and choose **Post**. You can paste rich text from a word processor,
write in Markdown or use plain text. A work can stay a draft until you are ready, and
you can add chapters one at a time.

## What do the ratings and warnings mean?

The rating says how explicit a work is, from General Audiences to Explicit. The
archive warnings name the content some readers need to avoid (major character death,
graphic violence, non-consent, underage). A writer who prefers not to warn must say so
by choosing *Creator Chose Not To Use Archive Warnings*, so readers always know where
they stand.

## Someone posted my work without permission. What can I do?

Use the **Report** link on the work, or contact the staff, with a link to your original.
We take plagiarism seriously and will look into it.

## Can I delete my account?

Yes. See the [Terms of service](/pages/terms) for what happens to your works and
comments when you do.

## I found a bug.

Tell us on the [Contact](/pages/contact) page what you did, what you expected and what
happened instead. A link to the page where it went wrong helps a lot.
"""

CONTACT_TEXT = """\
The archive is run by volunteers who read every message, though it may take a few days
to answer.

## Reporting a problem with a work or a comment

Use the **Report** link next to the work, chapter or comment. A report reaches the
moderators with a link to exactly what you saw, which is the fastest way to get
something looked at.

## Everything else

Questions about your account, ideas for the archive, requests from rights holders and
anything that does not fit a report: reply to any e-mail the archive has sent you, or
leave a comment on the latest **News** post, which the staff read. Please do not put
passwords or other private details in a public comment.

When you write, tell us your user name (if you have one) and link to the page you are
writing about.
"""

RULES_TEXT = """\
These rules keep the archive a place where people want to share their writing. They
apply to everything posted here: works, comments, profiles, bookmarks and tags. The
staff may hide content or suspend accounts that break them; serious or repeated cases
lead to a ban.

## Be decent to each other

- **No harassment.** Do not threaten, insult, stalk or pile on other people, here or
  by bringing a quarrel from elsewhere. Criticism of a story is welcome; attacks on the
  person who wrote it are not.
- Do not post someone's private information (real name, address, workplace, photos)
  without their consent.
- Do not use comments, tags or bookmarks to carry on a dispute. If someone's comments
  bother you, you can block or mute them, and you can report them.

## Rate, tag and warn honestly

- Every work needs a **rating** that fits its most explicit part.
- Use the **archive warnings** for the content they name, or choose *Creator Chose Not
  To Use Archive Warnings*. Warnings exist so readers can decide for themselves.
- Tag fandoms, relationships and characters that play a real part in the work. Do not
  add popular tags to a work that has nothing to do with them.
- A work the staff find mis-rated or missing a required warning may be hidden until it
  is fixed; you will be told what to change.

## Post only what is yours

- **No plagiarism.** Do not post someone else's writing as your own, in whole or in
  part, and do not post another person's work even with credit unless they have given
  you permission. Translations and podfics need the original author's permission too.
- Fan fiction borrows worlds and characters; it does not borrow other fans' words.
  Quoting briefly from a source, with credit, is fine.

## No spam

- No advertising, link farms, commercial promotion or posts made to push a product.
- Do not post the same thing over and over, or post empty or placeholder works.
- Accounts made to spam are removed with everything they posted.

## Reporting

If you see something that breaks these rules, use the **Report** link on it rather than
replying in public. Say which rule you think it breaks. Reports are read by the
moderators and are kept confidential: the person reported is not told who reported
them. Knowingly false reports are themselves a breach of these rules.
"""

TERMS_TEXT = """\
By creating an account or posting on this archive you agree to these terms. They are
written to be read; if anything is unclear, ask us before you post.

## Your content stays yours

You keep every right you have in what you post. Posting here does not transfer
ownership of your works, comments or anything else to the archive or its staff.

## What you let us do with it

So that we can run the site, you give the archive a free, non-exclusive licence to
store, copy, display and send your content to readers, to make backups of it, and to
offer it in download formats (such as e-book files) to readers who may read it here.
The licence ends when you delete the content, apart from backup copies, which are
overwritten in the normal course of things. We never sell your content or license it to
anyone else.

You are responsible for what you post. Only post what you have the right to post, and
nothing that breaks the [Rules](/pages/rules) or the law.

## Age

You must be at least 13 years old to create an account, or older if the law where you
live requires it. Some works are marked as suitable for adults only; by choosing to
read them you confirm that you are old enough to do so where you live.

## Privacy

We collect only what the archive needs to work: your user name, e-mail address and
password (stored as a one-way hash that nobody can read back), what you post, and your
preferences. To count kudos and hits fairly and to hold off floods of spam we use the
network address of each visit, keeping only a scrambled form of it or keeping it for a
short time. Cookies keep you logged in and remember your display settings. We show no
advertising, do not track you across other sites and do not sell or share your
information, except where the law obliges us to.

Your e-mail address is never shown to other members. The archive writes to you only
about your account and about the notices you have asked for, which you can turn off in
your preferences.

## Deleting your account

You can stop using the archive at any time and ask the staff (see
[Contact](/pages/contact)) to delete your account. Your profile, pen names, bookmarks,
subscriptions and reading history are deleted with it. Delete your works yourself
first if you want them gone, or ask us to; works left behind stay on the archive
without your name. Comments you left stay too, shown without your name, so that the
conversations they belong to still make sense; you can delete any of them yourself
before you go.

## Changes and enforcement

The staff may hide or remove content and suspend or close accounts that break these
terms or the rules. We may change these terms; when the change matters, we will say so
in the news first. The archive is offered as it is, run by volunteers, without any
guarantee that it will always be available.
"""

DEFAULT_PAGES = (
    DefaultPage("about", "About", 10, ABOUT_TEXT),
    DefaultPage("faq", "FAQ", 20, FAQ_TEXT),
    DefaultPage("rules", "Rules", 30, RULES_TEXT),
    DefaultPage("terms", "Terms of service", 40, TERMS_TEXT),
    DefaultPage("contact", "Contact", 50, CONTACT_TEXT),
)


def create_default_pages(page_model: Any, replacements: dict[str, str] | None = None) -> None:
    """Create the default pages that do not exist yet. `page_model` is the model (the
    historical one in a migration); `replacements` maps a slug to HTML that staff wrote
    earlier and that is kept instead of our text."""
    replacements = replacements or {}
    now = timezone.now()
    for default in DEFAULT_PAGES:
        if page_model.objects.filter(slug=default.slug).exists():
            continue
        body, fmt = default.body, "markdown"
        if replacements.get(default.slug, "").strip():
            body, fmt = replacements[default.slug].strip(), "html"
        page_model.objects.create(
            slug=default.slug,
            title=default.title,
            order=default.order,
            body=body,
            text_format=fmt,
            body_html=render_text(body, fmt, Profile.WORK),
            show_in_footer=True,
            created_at=now,
            updated_at=now,
        )
