"""Comparing outlets: an event side by side, the matrix, statistics, framing, kept figures,
and search across the corpus."""
