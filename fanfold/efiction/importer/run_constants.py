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
    "news",
    "comments",
)
SECOND_PASS = ("chapters", "reviews")
# Tables with nothing Fanfold can use, named in the report so nothing vanishes unsaid.
NOT_IMPORTED = {
    "poll": "polls were not imported",
    "shoutbox": "shoutbox messages were not imported",
}
