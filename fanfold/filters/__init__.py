"""Works filtering with exact facet counts (issue 3).

- `query.WorkFilter`: the filter as a value, parsed from GET parameters and written back.
- `selectors.filter_works(filter, viewer)`: one page of work ids, the total and facets.
- `index.FilterIndex`: roaring bitmaps (per filter tag) and numpy arrays (per work),
  built from the database and refreshed from the `FilterChange` log.
- `snapshot`: one index per host, written by one builder to FILTER_INDEX_DIR and
  memory-mapped by every worker (`selectors.current_index`), each applying the log on top.
- `fallback`: listings from the database while no snapshot is ready, equal to the
  index's answers (an index of just the candidate works) or, for broad ones, paged in SQL.
- `engine`: set algebra, ranges, sorting and facet counting over an index.
- `search`: the search syntax, and the database's text index (SQLite FTS5 or a
  PostgreSQL tsvector) for phrases and chapter text, maintained with the log.
- `words`: the word index (title, creators, tags, summary) searches use, kept in the
  filter index and refreshed with it; part of the host's snapshot (`word_snapshot`,
  `terms`), so workers map it rather than build it. `tokens` splits text into words.
- `services.mark_changed(work_ids=..., tag_ids=...)`: call it in the transaction of any
  write that changes what a work is filtered or searched by.
"""
