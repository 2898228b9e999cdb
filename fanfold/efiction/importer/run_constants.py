"""Which eFiction tables each pass reads, and which have no home in Fanfold."""

# The tables read in the first pass; chapters and reviews stream in the second.
FIRST_PASS = (
    "settings",
    "messages",
    "authors",
    "authorprefs",
    "authorfields",
    "authorinfo",
    "categories",
    "characters",
    "classtypes",
    "classes",
    "ratings",
    "challenges",
    "stories",
    "coauthors",
    "series",
    "inseries",
    "favorites",
)
SECOND_PASS = ("chapters", "reviews")
# eFiction's configuration and bookkeeping: nothing in them is an archive's content.
MACHINERY = frozenset({"blocks", "codeblocks", "panels", "modules", "stats", "online"})
# The `messages` rows that become site texts (message_name -> SiteSettings field).
MOVED_MESSAGES = {"copyright": "disclaimer", "rules": "rules", "tos": "terms", "welcome": "welcome"}
# The texts eFiction's installer seeds in `messages`; any other row is a custom page
# (admin/custpages.php, shown by viewpage.php?page=NAME).
EFICTION_MESSAGES = frozenset(
    {*MOVED_MESSAGES, "help", "thankyou", "nothankyou", "printercopyright", "maintenance"}
)
