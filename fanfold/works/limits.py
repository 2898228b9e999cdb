"""How long an author's texts may be, and how large a posting form's body can get.

A leaf module (no Django imports) so settings can size the request limit from it.
"""

TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
CHAPTER_MAX = 500_000
# Room for every other field of the largest posting form (the new-work page: titles,
# tags, summaries, notes; 45,010 characters today). A test keeps this true.
OTHER_POSTING_FIELDS_MAX = 50_000

# One character is up to 4 bytes in UTF-8, and form encoding writes each of those bytes
# as three characters (%E3), so a 300,000-character Japanese chapter is 2.7 MB on the
# wire. Names, choices and the token fit in the allowance.
FORM_BYTES_PER_CHARACTER = 4 * 3
FORM_ALLOWANCE_BYTES = 64 * 1024


def form_body_max(characters: int) -> int:
    """The largest body a form holding `characters` of text can send."""
    return characters * FORM_BYTES_PER_CHARACTER + FORM_ALLOWANCE_BYTES


# The request limit: any posting form filled to every limit still arrives whole, so
# text over a limit reaches the form, which says so and keeps it.
POSTING_FORM_BODY_MAX = form_body_max(CHAPTER_MAX + OTHER_POSTING_FIELDS_MAX)
