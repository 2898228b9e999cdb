"""The OPDS 1.2 catalogue at /opds: navigation feeds (newest, most kudos, fandoms A to Z,
a member's shelves), acquisition feeds of works with their downloads, and search.

Every list of works comes from the selectors the pages use (`works_filtered_listing`
through `listed_works`, the shelves' own selectors), for the viewer `catalogue_viewer`
finds; the same views answer under /opds/k/<feed key>/ so an app given that address
browses as its member without a password.

`browse` holds what every catalogue view shares (the `Browse` a view is handed, the
`catalogue_view` decorator that finds the viewer, the feed builders); `navigation` the
feeds that lead elsewhere (the root, fandoms A to Z); `acquisition` the feeds of works,
search and the members' downloads.
"""
