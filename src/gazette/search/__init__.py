"""Search: the query language, the index derived from the store, and ranking."""
