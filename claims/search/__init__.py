"""Full-text search across the public knowledge base.

- results.py: `search()` for the /search/ page and /api/v1/search/ (ranked hits with snippets,
  facets, pages), `matching()` for the API's `q` filters, `suggestions()` when nothing is found;
- parameters.py: the one validation of the search parameters, for the page and the API;
- views.py, urls.py: the /search/ page;
- query.py parses what was typed; engines.py holds the engines (PostgreSQL full-text search,
  SQLite FTS5, a slow fallback); documents.py builds an entry's text, index.py keeps the entries
  (models.py) in step with the records, signals.py calls it on every write.

Kept free of imports: claims/models.py loads this package for its SearchEntry model.
"""
