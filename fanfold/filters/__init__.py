"""Works filtering with exact facet counts (issue 3).

- `query.WorkFilter`: the filter as a value, parsed from GET parameters and written back.
- `selectors.filter_works(filter, viewer)`: one page of work ids, the total and facets.
- `index.FilterIndex`: per-process roaring bitmaps (per filter tag) and numpy arrays (per
  work), built from the database and refreshed from the `FilterChange` log.
- `engine`: set algebra, ranges, sorting and facet counting over an index.
- `search`: the search syntax, and the database's text index (SQLite FTS5 or a
  PostgreSQL tsvector) for phrases and chapter text, maintained with the log.
- `words`: the in-memory word index (title, creators, tags, summary) searches use, kept
  in the filter index and refreshed with it.
- `services.mark_changed(work_ids=..., tag_ids=...)`: call it in the transaction of any
  write that changes what a work is filtered or searched by.
"""
