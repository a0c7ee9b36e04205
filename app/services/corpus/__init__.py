"""The corpus: articles and their fields, outlets, events, actors, lists and the search index."""
